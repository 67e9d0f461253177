/**
 * The lazy runner judges exactly as the eager one did: four small runs (in process with two
 * divergence profiles, one with a baseline; a shard of a faithful run; the mock server with a
 * divergence profile, over the endpoint path) give the digests recorded with the runner that
 * planned every case up front and held every failure (`suites/fixtures/run-digests.json`, from
 * `scripts/record-run-digests.ts`): the same verdicts, blame, shrinks, waivers, replay files,
 * per-rule scores, code matrix, plan hash and exit code. The one difference by design: the
 * returned `failures` keep at most `FAILURES_KEPT_PER_RULE` records per rule.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runConformance } from '../replay/runner.ts';
import { FailureSample } from '../scoring/aggregate.ts';
import type { CaseRecord } from '../scoring/results.ts';
import { DIGEST_FIXTURE, DIGEST_RUNS, runDigest } from './helpers/run-digest.ts';
import { mockServer } from './helpers/servers.ts';

const recorded = JSON.parse(await readFile(DIGEST_FIXTURE, 'utf8')) as { runs: Record<string, Record<string, unknown>> };
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('a run judges as the eager runner did (recorded digests)', () => {
  it('records a digest for every run it checks', () => {
    expect(Object.keys(recorded.runs).sort()).toEqual(DIGEST_RUNS.map((d) => d.name).sort());
  });

  it.each(DIGEST_RUNS.map((d) => [d.name, d] as const))('%s', async (_name, d) => {
    const dir = await mkdtemp(join(tmpdir(), 'kmsc-digest-'));
    dirs.push(dir);
    const server = d.server ? await mockServer({ divergences: d.server.divergences }) : undefined;
    try {
      const r = await runConformance({ ...d.options, out: dir, ...(server ? { endpoint: server.url } : {}) });
      const got = await runDigest(r, dir);
      const want = recorded.runs[d.name]!;
      // The returned failures are the recorded ones, bounded per rule the same way.
      const sample = new FailureSample();
      // (A digest writes a missing `shrunk` as null.)
      for (const f of want.failures as (Omit<CaseRecord, 'shrunk'> & { shrunk: CaseRecord['shrunk'] | null })[]) sample.offer({ ...f, shrunk: f.shrunk ?? undefined } as CaseRecord);
      const kept = new Set(sample.kept.map((f) => f.id));
      expect(got).toEqual({ ...want, failures: (want.failures as CaseRecord[]).filter((f) => kept.has(f.id)) });
      expect(r.failuresOmitted).toBe(sample.omitted);
      // Not vacuous: every run judged cases, and all but the faithful one failed some.
      expect(r.counts.total).toBeGreaterThan(50);
      if (d.options.mock?.divergences !== undefined || d.server !== undefined) expect(r.counts.fail).toBeGreaterThan(0);
    } finally {
      await server?.close();
    }
  }, 120_000);
});
