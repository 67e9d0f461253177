/**
 * A run's outcome without what legitimately differs between two runs of the same plan (timings,
 * request ids, the keys an endpoint created): what each case was judged (verdict, rules, finding
 * codes and blame candidates, waiver, shrink, replay file) and every aggregate of the summary.
 * Two runs of the same seed and options that judge the same way have equal digests.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DivergenceName } from '../../mocks/divergences.ts';
import type { ConformanceResult, RunOptions } from '../../replay/runner.ts';
import type { CaseRecord, RunResults } from '../../scoring/results.ts';

function caseDigest(r: CaseRecord): Record<string, unknown> {
  return {
    id: r.id,
    source: r.source,
    transport: r.transport,
    operation: r.operation,
    verdict: r.verdict,
    ruleIds: r.ruleIds,
    findings: (r.findings ?? []).map((f) => ({ code: f.code, ruleIds: f.ruleIds, candidates: f.candidates ?? null })),
    waived: r.waived?.match ?? null,
    stage: r.stage ?? null,
    replayFile: r.replayFile ?? null,
    shrunk: r.shrunk === undefined ? null : { original: r.shrunk.original, size: r.shrunk.size, steps: r.shrunk.steps, attempts: r.shrunk.attempts },
  };
}

/** The digest of a run: the returned summary, its failures, `results.json` and the replay files' names. */
export async function runDigest(result: ConformanceResult, outDir: string): Promise<Record<string, unknown>> {
  const file = JSON.parse(await readFile(join(outDir, 'results.json'), 'utf8')) as RunResults;
  const replayFiles = (await readdir(join(outDir, 'cases')).catch(() => [] as string[])).sort();
  const summary = (s: ConformanceResult | RunResults): Record<string, unknown> => ({
    status: s.run.status,
    seed: s.run.seed,
    settings: s.settings,
    counts: s.counts,
    score: s.score,
    rules: s.rules.map((x) => [x.id, x.verdict, x.counts, x.firstFinding?.code ?? null, x.firstFinding?.ruleIds ?? null, x.firstReplayFile ?? null, x.reason ?? null]),
    codes: s.codes,
    by: s.by,
    baseline: s.baseline ?? null,
  });
  const sha = (v: unknown): string => createHash('sha256').update(JSON.stringify(v)).digest('hex');
  const whole = summary(file);
  return {
    // The summary returned and the one in results.json agree; both as one hash, with the parts a reader checks first in full.
    summary: sha(whole),
    returnedSummary: sha(summary(result)),
    counts: file.counts,
    score: file.score,
    settings: file.settings,
    baseline: file.baseline ?? null,
    failingRules: file.rules.filter((x) => x.verdict === 'fail' || x.verdict === 'waived').map((x) => x.id),
    exitCode: result.exitCode,
    failures: result.failures.map(caseDigest),
    // Every case in order as one hash (a fixture of every passing case would be megabytes), and in full those that failed.
    cases: sha(file.cases.map(caseDigest)),
    failed: file.cases.filter((c) => c.verdict === 'fail').map(caseDigest),
    replayFiles,
  };
}

/** The runs whose digests were recorded before the runner planned lazily (`suites/fixtures/run-digests.json`). */
export const DIGEST_RUNS: readonly { readonly name: string; readonly server?: { readonly divergences: readonly DivergenceName[] }; readonly options: RunOptions }[] = [
  { name: 'in process, no-policy-validation', options: { seed: 4242, runs: 6, concurrency: 1, mock: { divergences: ['no-policy-validation'] }, shrinkBudget: { attempts: 8 } } },
  { name: 'in process, malformed-key-id-validation, baseline', options: { seed: 77, runs: 20, examples: false, concurrency: 1, mock: { divergences: ['malformed-key-id-validation'] }, shrinkBudget: { attempts: 0 }, baseline: { file: 'digest-baseline.json', entries: [{ match: 'KeyId.malformed', reason: 'known', owner: 'digest', expires: '2999-01-01' }] }, today: '2026-01-01' } },
  { name: 'in process, faithful, shard 2/3', options: { seed: 99, runs: 6, concurrency: 1, shard: { index: 2, count: 3 } } },
  { name: 'mock server, policy-name-required', server: { divergences: ['policy-name-required'] }, options: { seed: 5, runs: 12, examples: false, concurrency: 1, shrinkBudget: { attempts: 4 } } },
];

/** Where the recorded digests live. */
export const DIGEST_FIXTURE = fileURLToPath(new URL('../fixtures/run-digests.json', import.meta.url));
