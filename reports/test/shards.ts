/**
 * Shard fixtures for `merge` tests: small case records and a shard's `results.json` as the runner
 * writes it (failures settled over that shard alone).
 */
import { BlameCounts } from '../../scoring/blame.ts';
import type { ShardInput } from '../../scoring/merge.ts';
import type { CaseRecord, RunResults } from '../../scoring/results.ts';
import { buildRunResults } from './fixtures.ts';

/** The plan hash every fixture shard shares. */
export const FIXTURE_PLAN = `sha256:${'a'.repeat(64)}`;

/** A request case record that passed, or failed as `rejected_valid_input` with `ruleIds` as candidates. */
export function shardCase(id: string, verdict: 'pass' | 'fail', ruleIds: string[], extra: Partial<CaseRecord> = {}): CaseRecord {
  return {
    id,
    source: 'request',
    transport: 'sdk',
    operation: 'PutKeyPolicy',
    verdict,
    ruleIds,
    ...(verdict === 'fail' ? { findings: [{ code: 'rejected_valid_input' as const, caseId: id, ruleIds, expected: 'success', observed: '400 ValidationException', message: 'rejected' }] } : {}),
    exchanges: [],
    ms: 1,
    ...extra,
  };
}

/** Shard `index` of `count` holding `cases`, blame settled over this shard alone, as `shard-<index>/results.json`. */
export function shardInput(index: number, count: number, cases: CaseRecord[], over: Partial<RunResults> = {}): ShardInput {
  const { baseline: _b, ...base } = buildRunResults({ failing: [] });
  const { baseline: _s, ...settings } = base.settings;
  const blame = new BlameCounts();
  for (const c of cases) {
    if (c.verdict === 'pass') blame.passed(c.ruleIds);
    else if (c.verdict === 'fail') blame.failed(c);
  }
  const settled = new Map(blame.settle(cases.filter((c) => c.verdict === 'fail')).map((c) => [c.id, c]));
  return {
    file: `shard-${index}/results.json`,
    results: { ...base, settings: { ...settings, shard: { index, count, planHash: FIXTURE_PLAN } }, cases: cases.map((c) => settled.get(c.id) ?? c), ...over },
  };
}
