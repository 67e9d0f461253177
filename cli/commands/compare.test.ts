import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRunResults } from '../../reports/test/fixtures.ts';
import { runCli } from '../../suites/helpers/cli.ts';
import { ResultsWriter } from '../../scoring/results-file.ts';
import type { RunSummary } from '../../scoring/results.ts';

let dir: string;
let a: string;
let b: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kmsc-cli-compare-'));
  for (const [name, r] of [
    ['divergent', buildRunResults()],
    ['clean', buildRunResults({ failing: [], waived: false, target: { name: 'mock' } })],
  ] as const) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'results.json'), JSON.stringify(r));
  }
  a = join(dir, 'divergent', 'results.json');
  b = join(dir, 'clean', 'results.json');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('kms-conformance compare', () => {
  it('writes compare.html and compare.md into --out and says how many rules disagree', async () => {
    const out = join(dir, 'out', 'nested');
    const r = await runCli(['compare', a, b, '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    // Every rule of the catalogue the fixtures were scored with (it grows with the contract).
    const rules = (JSON.parse(readFileSync(a, 'utf8')) as { rules: unknown[] }).rules.length;
    expect(r.out).toContain(`Compared 2 runs (mock (lenient-names), mock): ${rules} rules, 11 where the targets disagree.`);
    expect(r.out).toContain(`wrote ${join(out, 'compare.html')}`);
    expect(existsSync(join(out, 'compare.html'))).toBe(true);
    expect(readFileSync(join(out, 'compare.md'), 'utf8')).toContain('| Rule | mock (lenient-names) | mock |');
  });

  it('exits 2 with a message naming the file for a missing or invalid results.json', async () => {
    const missing = join(dir, 'nope.json');
    const r1 = await runCli(['compare', a, missing, '--out', join(dir, 'o1')]);
    expect(r1.code).toBe(2);
    expect(r1.err).toBe(`kms-conformance: ${missing}: no such file. Give the results.json of a finished run (kms-conformance run writes it into its --out directory).\n`);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"schemaVersion": 1');
    const r2 = await runCli(['compare', bad, a, '--out', join(dir, 'o2')]);
    expect(r2.code).toBe(2);
    expect(r2.err).toContain(`kms-conformance: ${bad}: not valid JSON`);
    expect(existsSync(join(dir, 'o2', 'compare.html'))).toBe(false);
  });

  it('exits 2 when given fewer than two files or none', async () => {
    const one = await runCli(['compare', a]);
    expect(one.code).toBe(2);
    expect(one.err).toContain('compare needs at least two results.json files, got 1');
    const none = await runCli(['compare']);
    expect(none.code).toBe(2);
    expect(none.err).toContain("missing required argument 'results'");
  });

  it('exits 2 when --out cannot be created', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const r = await runCli(['compare', a, b, '--out', join(file, 'sub')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--out ${join(file, 'sub')}: cannot write there`);
  });
});

describe('kms-conformance compare, runs as run writes them', () => {
  it('reads only the summary of each results.json: a file whose case list is cut short still compares', async () => {
    const files: string[] = [];
    for (const [name, r] of [
      ['big-divergent', buildRunResults({ extraFailures: 300 })],
      ['big-clean', buildRunResults({ failing: [], waived: false, target: { name: 'mock' } })],
    ] as const) {
      const { cases, ...summary } = r;
      const w = await ResultsWriter.open(join(dir, name));
      for (const c of cases) w.add(c);
      await w.drained();
      files.push(await w.finish(summary as RunSummary));
    }
    // Cut the first file in the middle of its cases: read whole, it is not JSON.
    const text = readFileSync(files[0]!, 'utf8');
    writeFileSync(files[0]!, text.slice(0, Math.floor(text.length * 0.6)));
    expect(() => JSON.parse(readFileSync(files[0]!, 'utf8'))).toThrow();
    const r = await runCli(['compare', files[0]!, files[1]!, '--out', join(dir, 'out-big')]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Compared 2 runs \(mock \(lenient-names\), mock\): \d+ rules, \d+ where the targets disagree\./);
  });
});

