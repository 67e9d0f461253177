/**
 * The main job against the bundled mock in process, under every contract version: every rule's
 * worked examples and generated cases of every kind, through the real SDK and raw HTTP. The mock
 * answers from the same oracle that scores it, so this proves the wiring (set-up, transports,
 * scoring, results), not the contract: every decided case must pass, nothing may end in a harness
 * error, and every rule is either exercised or listed with the reason it was not.
 */
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTRACT_VERSIONS } from '../contract/types.ts';
import { runConformance } from '../replay/runner.ts';
import type { RunResults } from '../scoring/results.ts';

const envSeed = process.env.KMS_CONFORMANCE_SEED;
const SEED = envSeed !== undefined && /^-?\d+$/.test(envSeed) ? Number(envSeed) : Math.floor(Math.random() * 2 ** 31);
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe.each(CONTRACT_VERSIONS)(`run against the bundled mock in process, contract %s (seed ${SEED})`, (version) => {
  it('every decided case passes, nothing errs, and results.json holds every case', async () => {
    const out = await mkdtemp(join(tmpdir(), 'kmsc-run-'));
    dirs.push(out);
    const r = await runConformance({ seed: SEED, runs: 25, contract: version, out });
    const shown = r.failures.slice(0, 5).map((f) => `${f.id}: ${JSON.stringify(f.findings)}`).join('\n');
    expect(r.counts.fail, `seed ${SEED}\n${shown}`).toBe(0);
    expect(r.counts.error, `seed ${SEED}`).toBe(0);
    expect(r.exitCode).toBe(0);
    // Not vacuous: most cases are decided and pass.
    expect(r.counts.pass).toBeGreaterThan(r.counts.total / 2);
    expect(r.run.status).toBe('complete');
    const file = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as RunResults;
    expect(file.cases).toHaveLength(r.counts.total);
    expect(file.counts).toEqual(r.counts);
    expect(file.contract.version).toBe(version);
    expect(file.run.seed).toBe(SEED);
    // Every rule is exercised or says why not; a rule nobody reached is never a pass.
    for (const rule of file.rules) {
      if (rule.verdict === 'not-exercised') expect(rule.reason, rule.id).toMatch(/\w/);
      if (rule.verdict === 'pass') expect(rule.counts.pass, rule.id).toBeGreaterThan(0);
    }
    expect(file.rules.filter((x) => x.verdict === 'pass').length).toBeGreaterThan(file.rules.length * 0.8);
  });
});
