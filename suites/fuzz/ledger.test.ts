/**
 * The register check of the fuzz and soak runs, on hand-made histories: it must flag every way a
 * store can go wrong under concurrent writers, and nothing that a correct store can do.
 */
import { describe, expect, it } from 'vitest';
import { Ledger } from './ledger.ts';

const BASES = ['{"Version":"2012-10-17","Statement":[]}', '{"Statement":[{"Sid":"b"}]}'];
const INITIAL = ['initial-0', 'initial-1'];

/** A ledger on a clock that moves one ms per reading, so the order of calls is the order of time. */
function ledger(): { l: Ledger; now: () => number } {
  let t = 0;
  const now = (): number => ++t;
  return { l: new Ledger(['key-0', 'key-1'], INITIAL, BASES, now), now };
}

describe('Ledger', () => {
  it('gives every write a unique text that names it, and accepts a correct history', () => {
    const { l, now } = ledger();
    const a = l.begin(0, 0);
    const b = l.begin(0, 0);
    expect(a.policy).not.toBe(b.policy);
    expect(a.policy.startsWith(BASES[0] ?? '')).toBe(true);
    expect(JSON.parse(a.policy)).toEqual(JSON.parse(BASES[0] ?? ''));
    l.settle(a.seq, 'ok');
    l.settle(b.seq, 'ok');
    l.read(0, b.policy, now());
    l.read(1, INITIAL[1] ?? '', now());
    expect(l.verify([b.policy, INITIAL[1] ?? ''])).toEqual([]);
    expect(l.counts()).toEqual({ writes: { ok: 2, failed: 0, aborted: 0, unknown: 0 }, reads: 2 });
  });

  it('accepts either of two overlapping writes as the final policy', () => {
    const { l } = ledger();
    const a = l.begin(0, 0);
    const b = l.begin(0, 1);
    l.settle(b.seq, 'ok');
    l.settle(a.seq, 'ok');
    expect(l.verify([a.policy, INITIAL[1] ?? ''])).toEqual([]);
    expect(l.verify([b.policy, INITIAL[1] ?? ''])).toEqual([]);
  });

  it('flags a final policy replaced by a write begun after it was answered (a lost write)', () => {
    const { l } = ledger();
    const a = l.begin(0, 0);
    l.settle(a.seq, 'ok');
    const b = l.begin(0, 1);
    l.settle(b.seq, 'ok');
    expect(l.verify([a.policy, INITIAL[1] ?? ''])).toEqual([expect.objectContaining({ code: 'final_stale', keyId: 'key-0' })]);
    expect(l.verify([INITIAL[0] ?? '', INITIAL[1] ?? ''])).toEqual([expect.objectContaining({ code: 'final_stale', keyId: 'key-0' })]);
  });

  it('flags a read that returns a policy already replaced when the read began', () => {
    const { l, now } = ledger();
    const a = l.begin(0, 0);
    l.settle(a.seq, 'ok');
    const b = l.begin(0, 1);
    l.settle(b.seq, 'ok');
    l.read(0, a.policy, now());
    expect(l.verify([b.policy, INITIAL[1] ?? '']).map((f) => f.code)).toEqual(['read_stale']);
  });

  it('accepts a read that overlaps the write replacing what it returns', () => {
    const { l, now } = ledger();
    const a = l.begin(0, 0);
    l.settle(a.seq, 'ok');
    const readSent = now();
    const b = l.begin(0, 1);
    l.read(0, a.policy, readSent);
    l.settle(b.seq, 'ok');
    expect(l.verify([b.policy, INITIAL[1] ?? ''])).toEqual([]);
  });

  it('flags reads of failed, aborted, foreign and unknown policies', () => {
    const { l, now } = ledger();
    const failed = l.begin(0, 0);
    l.settle(failed.seq, 'failed');
    const aborted = l.begin(0, 0);
    l.settle(aborted.seq, 'aborted');
    const other = l.begin(1, 0);
    l.settle(other.seq, 'ok');
    l.read(0, failed.policy, now());
    l.read(0, aborted.policy, now());
    l.read(0, other.policy, now());
    l.read(0, `${failed.policy} `, now());
    l.read(0, '{"torn":', now());
    expect(l.verify([INITIAL[0] ?? '', other.policy]).map((f) => f.code)).toEqual(['read_failed_write', 'read_failed_write', 'read_other_key', 'read_unknown_policy', 'read_unknown_policy']);
    expect(l.verify([failed.policy, other.policy]).map((f) => f.code).slice(-1)).toEqual(['final_failed_write']);
  });

  it('treats a write without an answer as possibly applied', () => {
    const { l } = ledger();
    const a = l.begin(0, 0);
    l.settle(a.seq, 'ok');
    const b = l.begin(0, 1);
    expect(l.verify([b.policy, INITIAL[1] ?? ''])).toEqual([]);
    expect(l.verify([a.policy, INITIAL[1] ?? ''])).toEqual([]);
  });
});
