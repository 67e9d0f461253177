import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRun, resolveRunOptions, runConformance, RunConfigError } from './runner.ts';
import { parseShard, planHash, shardOf } from './shard.ts';

describe('parseShard', () => {
  it('reads i/n', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
  });
  it.each([
    ['0/3', 'the shard number must be a whole number from 1 to 3 (shards are numbered from 1), got 0.'],
    ['4/3', 'the shard number must be a whole number from 1 to 3 (shards are numbered from 1), got 4.'],
    ['1/0', 'the number of shards must be a whole number from 1 to 1000, got 0.'],
    ['2', 'must be i/n (shard i of n, numbered from 1), got "2".'],
    ['a/b', 'must be i/n (shard i of n, numbered from 1), got "a/b".'],
    ['-1/2', 'must be i/n (shard i of n, numbered from 1), got "-1/2".'],
  ])('refuses %s, saying why', (raw, problem) => {
    expect(parseShard(raw)).toEqual({ problem });
  });
});

describe('shardOf', () => {
  it('deals a plan round-robin: the shards are disjoint, cover it, and differ in size by one at most', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 60 }), fc.integer({ min: 1, max: 9 }), (plan, n) => {
        const parts = Array.from({ length: n }, (_, i) => shardOf(plan.map((v, k) => ({ v, k })), { index: i + 1, count: n }));
        expect(parts.flat().map((x) => x.k).sort((a, b) => a - b)).toEqual(plan.map((_, k) => k));
        const sizes = parts.map((p) => p.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });
  it('is the whole plan without a shard', () => {
    expect(shardOf([1, 2, 3], undefined)).toEqual([1, 2, 3]);
    expect(shardOf([1, 2, 3], { index: 2, count: 2 })).toEqual([2]);
  });
});

describe('the runner with a shard', () => {
  it('plans the same cases for the same seed and shard, and the shards of a seed are the plan', () => {
    const o = { seed: 99, runs: 3, out: false } as const;
    const whole = [...planRun(o).cases].map((c) => c.id);
    const a = [...planRun({ ...o, shard: { index: 2, count: 3 } }).cases].map((c) => c.id);
    expect([...planRun({ ...o, shard: { index: 2, count: 3 } }).cases].map((c) => c.id)).toEqual(a);
    const all = [1, 2, 3].flatMap((i) => [...planRun({ ...o, shard: { index: i, count: 3 } }).cases].map((c) => c.id));
    expect(all.sort()).toEqual([...whole].sort());
    expect(a.length).toBeGreaterThan(whole.length / 3 - 1);
    expect(planRun({ ...o, shard: { index: 2, count: 3 } }).shard).toEqual({ index: 2, count: 3 });
  });
  it('refuses a shard out of range before anything is sent', () => {
    expect(() => resolveRunOptions({ seed: 1, shard: { index: 3, count: 2 } })).toThrow(RunConfigError);
    expect(() => resolveRunOptions({ seed: 1, shard: { index: 3, count: 2 } })).toThrow('runConformance: shard is {"index":3,"count":2}: the shard number must be a whole number from 1 to 2 (shards are numbered from 1), got 3. Example: { index: 1, count: 2 }, the first of two shards.');
    expect(() => resolveRunOptions({ shard: { index: 1, count: 1.5 } })).toThrow(/number of shards must be a whole number/);
    expect(() => resolveRunOptions({ shard: { index: 1, count: 2 } })).toThrow('runConformance: shard needs a seed: the shards of a run must plan the same cases');
    expect(resolveRunOptions({ seed: 3, shard: { index: 1, count: 2 } }).shard).toEqual({ index: 1, count: 2 });
  });
  it('hashes a plan by its case ids in order and its transports', () => {
    expect(planHash(['a', 'b'], ['sdk'])).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(planHash(['a', 'b'], ['sdk'])).not.toBe(planHash(['b', 'a'], ['sdk']));
    expect(planHash(['a', 'b'], ['sdk'])).not.toBe(planHash(['a', 'b'], ['sdk', 'http']));
  });
});

describe('the plan counted without holding it', () => {
  const base = { seed: 12, runs: 9, out: false, shrinkBudget: { attempts: 0 } } as const;
  it.each([
    ['the whole plan (generated cases only)', { examples: false }],
    ['a shard', { shard: { index: 2, count: 3 } }],
    ['a shard of a rule filter (counted by generating)', { shard: { index: 1, count: 2 }, rules: ['KeyId.malformed', 'PutKeyPolicy.Policy.statement.principal.missing', 'Wire.body.json'] }],
    ['raw HTTP only', { transports: ['http'] as const, kinds: ['wire', 'request'] as const }],
  ])('%s: the total announced at the start is the number of records, and the plan hash is that of the planned ids', async (_name, extra) => {
    const o = { ...base, ...extra };
    let announced = -1;
    const r = await runConformance({ ...o, onStart: (s) => void (announced = s.total) });
    expect(announced).toBe(r.counts.total);
    const plan = planRun(o);
    expect(plan.jobs + plan.skipped).toBe(r.counts.total);
    expect(r.counts.total).toBeGreaterThan(0);
    if ('shard' in o) {
      const { shard: _s, ...unsharded } = o;
      const whole = planRun(unsharded);
      // The plan's fingerprint covers its cases and then its sequences (a run of other --sequences is another plan).
      expect(r.settings.shard?.planHash).toBe(planHash([...[...whole.cases].map((c) => c.id), ...whole.sequences.map((q) => q.id)], whole.transports));
    }
  }, 120_000);
});
