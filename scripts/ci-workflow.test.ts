/**
 * The CI recipe in `examples/ci/conformance.yml` is a file users copy: it must parse, shard the
 * run across its matrix, merge the shards, upload the report and write the job summary, and every
 * `kms-conformance` command it runs must exist with the flags it passes (asked of the CLI's own
 * commander program, so a renamed flag breaks this test, not the user's CI).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildProgram } from '../cli/main.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const file = join(root, 'examples', 'ci', 'conformance.yml');

interface Step {
  readonly run?: string;
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
}
interface Job {
  readonly steps: Step[];
  readonly strategy?: { matrix?: { shard?: unknown[] } };
}
interface Workflow {
  readonly env?: Record<string, unknown>;
  readonly jobs: Record<string, Job>;
}

const workflow = parse(readFileSync(file, 'utf8')) as Workflow;
const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
/** Every `npx kms-conformance …` invocation of every `run:` script, one per line. */
const invocations = steps
  .flatMap((s) => (s.run ?? '').split('\n'))
  .map((l) => l.trim())
  .filter((l) => l.startsWith('npx kms-conformance '))
  .map((l) => l.replace(/\s*[&|>].*$/, '').split(/\s+/).slice(2));

function program(): Command {
  const sink = { write: () => true } as unknown as NodeJS.WritableStream;
  return buildProgram({ out: sink, err: sink, exitCode: 0 });
}

describe('examples/ci/conformance.yml', () => {
  it('parses, with a shard matrix as wide as SHARDS, a merge job after it, uploads and a job summary', () => {
    const shards = Number(workflow.env?.['SHARDS']);
    const matrix = workflow.jobs['conformance']?.strategy?.matrix?.shard ?? [];
    expect(matrix).toEqual(Array.from({ length: shards }, (_, i) => i + 1));
    expect(invocations.map((a) => a[0])).toEqual(['serve', 'run', 'merge']);
    expect(steps.filter((s) => s.uses?.startsWith('actions/upload-artifact@')).map((s) => s.with?.['path'])).toEqual(['shard-${{ matrix.shard }}', 'conformance-report']);
    expect(steps.some((s) => /summary\.md >> "\$GITHUB_STEP_SUMMARY"/.test(s.run ?? ''))).toBe(true);
  });

  it('runs only commands the CLI has, with flags those commands take (run --shard i/n and merge --out included)', () => {
    const commands = new Map(program().commands.map((c) => [c.name(), c]));
    const problems: string[] = [];
    for (const [name, ...args] of invocations) {
      const command = commands.get(name ?? '');
      if (command === undefined) {
        problems.push(`kms-conformance ${name}: no such command (the CLI has ${[...commands.keys()].join(', ')})`);
        continue;
      }
      const longs = new Set(command.options.map((o) => o.long));
      for (const flag of args.filter((a) => a.startsWith('--'))) if (!longs.has(flag)) problems.push(`kms-conformance ${name} ${flag}: no such flag`);
    }
    expect(problems).toEqual([]);
    expect(invocations.find((a) => a[0] === 'run')).toContain('--shard');
  });
});
