/**
 * `run --shard i/n` + `merge` give the unsharded run: the same seed split into two and into three
 * shards, merged, has the unsharded run's per-rule verdicts and counts, score, code matrix and
 * case verdicts with their blamed rules, both against the mock server (every key built through
 * the API, the shards of a split running at once, each setting up and cleaning up its own) and in
 * process. The mock runs with divergence profiles on, so there are failures whose blame is settled
 * over the whole run (`scoring/merge.test.ts` shows a shard alone blaming a failure otherwise than
 * the whole run would).
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import type { DivergenceName } from '../mocks/divergences.ts';
import type { MockServer } from '../mocks/server.ts';
import { validateResults } from '../reports/schema.ts';
import { runConformance, type ConformanceResult, type RunOptions } from '../replay/runner.ts';
import type { RunResults } from '../scoring/results.ts';
import { mockServer } from './helpers/servers.ts';

const SEED = 20_261_212;
const DIVERGENT: DivergenceName[] = ['policy-name-required', 'skip-principal-check'];

const cli = runCli;

async function readResults(dir: string): Promise<RunResults> {
  return JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as RunResults;
}

/** What must be the same in a merged run and the unsharded one. */
function verdicts(r: RunResults) {
  return {
    counts: r.counts,
    score: r.score,
    rules: Object.fromEntries(r.rules.map((x) => [x.id, { verdict: x.verdict, counts: x.counts, ...(x.reason === undefined ? {} : { reason: x.reason }) }])),
    codes: [...r.codes].sort((a, b) => `${a.expected} ${a.observed}`.localeCompare(`${b.expected} ${b.observed}`)),
    by: r.by,
    cases: Object.fromEntries(r.cases.map((c) => [c.id, `${c.verdict} [${[...c.ruleIds].sort().join(', ')}]`])),
  };
}

interface Sharded {
  readonly full: RunResults;
  readonly fullResult: ConformanceResult;
  /** Shard results per split (2 and 3). */
  readonly shards: Record<2 | 3, RunResults[]>;
  readonly merged: Record<2 | 3, { readonly results: RunResults; readonly code: number; readonly dir: string }>;
}

/**
 * Runs the unsharded run and the 2- and 3-way splits with `options`, and merges the splits. With
 * `parallel` the shards of a split run at once against the one target, as CI jobs would.
 */
async function shardAndMerge(root: string, options: RunOptions, parallel: boolean): Promise<Sharded> {
  const fullResult = await runConformance({ ...options, out: join(root, 'full') });
  const full = await readResults(join(root, 'full'));
  const shards = { 2: [] as RunResults[], 3: [] as RunResults[] };
  const merged = {} as Sharded['merged'];
  for (const n of [2, 3] as const) {
    const dirs = Array.from({ length: n }, (_, i) => join(root, `shard-${i + 1}-of-${n}`));
    const one = (i: number): Promise<ConformanceResult> => runConformance({ ...options, shard: { index: i + 1, count: n }, out: dirs[i]! });
    if (parallel) await Promise.all(dirs.map((_, i) => one(i)));
    else for (let i = 0; i < n; i++) await one(i);
    for (const d of dirs) shards[n].push(await readResults(d));
    const files = dirs.map((d) => join(d, 'results.json'));
    const dir = join(root, `merged-${n}`);
    // Out of order on purpose: merge puts shards in their order.
    const r = await cli(['merge', ...files.reverse(), '--out', dir, '--quiet']);
    expect(r.err, r.out).toBe('');
    merged[n] = { results: await readResults(dir), code: r.code, dir };
  }
  return { full, fullResult, shards, merged };
}

function checks(name: string, get: () => Sharded): void {
  describe(name, () => {
    it('the shards are disjoint and together are the unsharded run’s cases', () => {
      const { full, shards } = get();
      const all = full.cases.map((c) => c.id).sort();
      for (const n of [2, 3] as const) {
        const ids = shards[n].flatMap((s) => s.cases.map((c) => c.id));
        expect(new Set(ids).size, 'no case in two shards').toBe(ids.length);
        expect(ids.sort()).toEqual(all);
        for (const [k, s] of shards[n].entries()) {
          expect(s.settings.shard).toMatchObject({ index: k + 1, count: n });
          expect(s.settings.shard?.planHash).toBe(shards[n][0]!.settings.shard?.planHash);
          expect(s.cases.length, `shard ${k + 1}/${n} is not empty`).toBeGreaterThan(all.length / n / 2);
        }
      }
    });

    it('merged, two and three shards have the unsharded verdicts, counts, score, code matrix and blame', () => {
      const { full, fullResult, merged, shards } = get();
      expect(full.counts.fail, 'the divergences make failures to blame').toBeGreaterThan(0);
      for (const n of [2, 3] as const) {
        const m = merged[n];
        const v = validateResults(m.results);
        expect(v.ok ? [] : v.errors).toEqual([]);
        expect(verdicts(m.results), `${n} shards`).toEqual(verdicts(full));
        expect(m.code).toBe(fullResult.exitCode);
        expect(m.results.settings.shard).toBeUndefined();
        expect(m.results.run.seed).toBe(SEED);
        expect(m.results.cleanup).toEqual({
          created: shards[n].reduce((k, s) => k + s.cleanup.created, 0),
          scheduledForDeletion: shards[n].reduce((k, s) => k + s.cleanup.scheduledForDeletion, 0),
          notCleaned: shards[n].flatMap((s) => s.cleanup.notCleaned),
        });
      }
    });

    it('copies every failing case’s replay file into the merged report', async () => {
      const { merged } = get();
      for (const n of [2, 3] as const) {
        const withFile = merged[n].results.cases.filter((c) => c.replayFile !== undefined);
        expect(withFile.length).toBe(merged[n].results.counts.fail);
        const files = new Set(await readdir(join(merged[n].dir, 'cases')));
        for (const c of withFile) expect(files.has(c.replayFile!.replace(/^cases\//, '')), c.replayFile).toBe(true);
      }
    });
  });
}

let root: string;
let server: MockServer;
let overHttp: Sharded;
let inProcess: Sharded;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kmsc-shard-'));
  server = await mockServer({ divergences: DIVERGENT });
  // Small runs: the worked examples are most of the cases; over HTTP one transport is enough (in process runs both).
  overHttp = await shardAndMerge(join(root, 'http'), { endpoint: server.url, seed: SEED, runs: 2, transports: ['http'], convergeTimeoutMs: 2000 }, true);
  inProcess = await shardAndMerge(join(root, 'in-process'), { seed: SEED, runs: 3, mock: { divergences: DIVERGENT } }, false);
}, 600_000);

afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

checks(`--shard + merge against the mock server over HTTP (${DIVERGENT.join(', ')}; seed ${SEED})`, () => overHttp);
checks(`--shard + merge in process (${DIVERGENT.join(', ')}; seed ${SEED})`, () => inProcess);
