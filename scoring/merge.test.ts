import { describe, expect, it } from 'vitest';
import { buildRunResults } from '../reports/test/fixtures.ts';
import { shardCase, shardInput } from '../reports/test/shards.ts';
import { mergeShards, MergeError, unsettle, type ShardInput } from './merge.ts';
import type { CaseRecord } from './results.ts';

const A = 'KeyId.arn';
const B = 'PutKeyPolicy.PolicyName.default';
const rec = shardCase;
const shard = shardInput;

describe('mergeShards', () => {
  // Shard 1 alone cannot tell A from B (tie, A first by id); shard 2 saw A pass three times.
  const one = shard(1, 2, [rec('request:1:0/sdk', 'fail', [A, B])]);
  const two = shard(2, 2, [rec('request:1:1/sdk', 'pass', [A]), rec('request:1:2/sdk', 'pass', [A]), rec('request:1:3/sdk', 'pass', [A])]);

  it('settles blame again over every shard: the failure a shard blamed on A is B’s once A passed elsewhere', () => {
    expect(one.results.cases[0]!.ruleIds).toEqual([A]);
    const m = mergeShards([two, one]);
    const f = m.records.find((r) => r.id === 'request:1:0/sdk')!;
    expect(f.ruleIds).toEqual([B]);
    expect(f.findings?.[0]).toMatchObject({ ruleIds: [B], candidates: [A, B] });
    expect(m.summary.rules.find((r) => r.id === B)?.verdict).toBe('fail');
    expect(m.summary.rules.find((r) => r.id === A)?.verdict).toBe('pass');
    expect(m.summary.counts).toMatchObject({ total: 4, pass: 3, fail: 1 });
    expect(m.records.map((r) => r.id)).toEqual(['request:1:0/sdk', 'request:1:1/sdk', 'request:1:2/sdk', 'request:1:3/sdk']);
    expect(m.summary.settings.shard).toBeUndefined();
    expect(m.exitCode).toBe(1);
  });

  it('keeps a reason the plan gives for an unreachable rule, and recomputes the ones read from counts', () => {
    const m = mergeShards([one, two]);
    expect(m.summary.rules.find((r) => r.id === 'Throttling.PutKeyPolicy')?.reason).toBe('throttling needs --fault-profile; not run by default');
    expect(m.summary.rules.find((r) => r.id === 'KeyId.mrk')?.reason).toBe('no case of this run reached it');
  });

  it('applies a baseline after blame is settled, and wants one when the shards used one', () => {
    const withBaseline = (s: ShardInput): ShardInput => ({ ...s, results: { ...s.results, settings: { ...s.results.settings, baseline: 'known.json' } } });
    expect(() => mergeShards([withBaseline(one), two])).toThrow(/shard-1\/results.json was run with --baseline known.json; pass the baseline to merge too/);
    const m = mergeShards([withBaseline(one), two], { baseline: { file: 'known.json', entries: [{ match: B, reason: 'tracked', owner: 'team', expires: '2099-01-01' }] }, today: '2026-12-01' });
    expect(m.records.find((r) => r.verdict === 'fail')?.waived?.match).toBe(B);
    expect(m.summary.baseline).toEqual({ file: 'known.json', waived: 1, stale: [], expired: [] });
    expect(m.exitCode).toBe(0);
  });

  it('undoes a settled record: candidates become the rules again, the waiver goes', () => {
    const settled: CaseRecord = { ...rec('x', 'fail', [B]), findings: [{ code: 'rejected_valid_input', caseId: 'x', ruleIds: [B], candidates: [A, B], expected: 'success', observed: '400', message: 'm' }], waived: { match: B, reason: 'r', owner: 'o', expires: '2099-01-01' } };
    const u = unsettle(settled);
    expect(u.ruleIds).toEqual([A, B]);
    expect(u.findings?.[0]?.candidates).toBeUndefined();
    expect(u.waived).toBeUndefined();
  });

  const refused: [string, () => ShardInput[], RegExp][] = [
    ['another seed', () => [one, { ...two, results: { ...two.results, run: { ...two.results.run, seed: 7 } } }], /shard-1\/results.json has seed 4242, but shard-2\/results.json has 7\. Run every shard with the same --seed, then merge\./],
    ['another tool version', () => [one, { ...two, results: { ...two.results, tool: { ...two.results.tool, version: '9.9.9' } } }], /has tool version kms-conformance 0\.1\.0, but shard-2\/results.json has kms-conformance 9\.9\.9/],
    ['another contract version', () => [one, { ...two, results: { ...two.results, contract: { ...two.results.contract, version: '2024-03-18' } } }], /has contract version 2025-06-05, but shard-2\/results.json has 2024-03-18/],
    ['another catalogue', () => [one, { ...two, results: { ...two.results, contract: { ...two.results.contract, catalogueHash: `sha256:${'0'.repeat(64)}` } } }], /rule catalogue/],
    ['another target', () => [one, { ...two, results: { ...two.results, target: { kind: 'endpoint', endpoint: 'http://127.0.0.1:4566', name: '127.0.0.1' } } }], /target .* same --endpoint/],
    ['another plan', () => [one, { ...two, results: { ...two.results, settings: { ...two.results.settings, shard: { index: 2, count: 2, planHash: `sha256:${'b'.repeat(64)}` } } } }], /plan .*--runs, --kinds/],
    ['another split', () => [one, shard(2, 3, [])], /number of shards 2, but shard-2\/results.json has 3\. Give the shards of one split/],
    ['the same shard twice', () => [one, { ...one, file: 'copy/results.json' }], /shard-1\/results.json and copy\/results.json are both shard 1\/2 \(the same run, given twice\)\. Give each shard once\./],
    ['a missing shard', () => [two], /shard 1\/2 is missing: got 2\/2 \(shard-2\/results.json\)\. Run the missing shard with the same flags \(--shard 1\/2\)/],
    ['an unsharded run', () => [one, { file: 'full/results.json', results: buildRunResults() }], /full\/results.json is not a shard/],
    ['an interrupted shard', () => [one, { ...two, results: { ...two.results, run: { ...two.results.run, status: 'interrupted' } } }], /shard-2\/results.json \(shard 2\/2\) was interrupted/],
    ['overlapping shards', () => [one, shard(2, 2, [rec('request:1:0/sdk', 'pass', [A])])], /case request:1:0\/sdk is in both shard-1\/results.json and shard-2\/results.json/],
  ];
  it.each(refused)('refuses %s with a message naming the files and values', (_name, inputs, message) => {
    let caught: unknown;
    try {
      mergeShards(inputs());
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(MergeError);
    expect((caught as MergeError).message).toMatch(/^merge: /);
    expect((caught as MergeError).message).toMatch(message);
  });
});
