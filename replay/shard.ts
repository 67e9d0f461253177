/**
 * Sharding a run (`--shard i/n`): the planned cases are dealt round-robin over the shards in the
 * order the plan lists them (shard `i` takes the cases at planned positions `i-1`, `i-1+n`, …).
 * The plan is a pure function of the seed, the options and the target's world, so the same seed
 * and shard give the same cases on any machine, and the shards of one plan are disjoint and cover
 * it. Each shard opens its own target, sets up and cleans up its own keys; `kms-conformance merge`
 * puts the shards' `results.json` files back together (`scoring/merge.ts`).
 */
import { createHash } from 'node:crypto';
import type { Transport } from '../scoring/results.ts';

/** One shard of a run: number `index` (1-based) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Shards a run may be split into at most. */
export const MAX_SHARDS = 1000;

/** What is wrong with a shard, as a sentence naming the value; `undefined` when it is fine. */
export function shardProblem(s: Shard): string | undefined {
  if (!Number.isInteger(s.count) || s.count < 1 || s.count > MAX_SHARDS) return `the number of shards must be a whole number from 1 to ${MAX_SHARDS}, got ${JSON.stringify(s.count)}.`;
  if (!Number.isInteger(s.index) || s.index < 1 || s.index > s.count) return `the shard number must be a whole number from 1 to ${s.count} (shards are numbered from 1), got ${JSON.stringify(s.index)}.`;
  return undefined;
}

/**
 * Parses `i/n` (`2/3`: the second of three shards). Returns the shard, or the problem as a
 * sentence naming the value (the caller adds the flag and an example).
 */
export function parseShard(raw: string): Shard | { readonly problem: string } {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  if (!m) return { problem: `must be i/n (shard i of n, numbered from 1), got ${JSON.stringify(raw)}.` };
  const s = { index: Number(m[1]), count: Number(m[2]) };
  const problem = shardProblem(s);
  return problem === undefined ? s : { problem };
}

/** Whether the item at planned position `k` (0-based) belongs to a shard. */
export function inShard(k: number, shard: Shard | undefined): boolean {
  return shard === undefined || k % shard.count === shard.index - 1;
}

/** The items of a planned sequence that belong to a shard (round-robin over the planned order), lazily. */
export function* shardStream<T>(planned: Iterable<T>, shard: Shard | undefined): Generator<T, void, undefined> {
  let k = 0;
  for (const item of planned) if (inShard(k++, shard)) yield item;
}

/** The items of a planned list that belong to a shard (round-robin over the planned order). */
export function shardOf<T>(planned: readonly T[], shard: Shard | undefined): T[] {
  return [...shardStream(planned, shard)];
}

/**
 * A fingerprint of a whole plan (every planned case id, in order, and the transports): shards of
 * one run carry the same one, so `merge` can tell shards of different plans apart (other `--runs`,
 * `--kinds`, `--rule` or `--no-examples`) even when their seeds agree.
 */
export function planHash(caseIds: Iterable<string>, transports: readonly Transport[]): string {
  const h = createHash('sha256');
  h.update(transports.join(','));
  for (const id of caseIds) {
    h.update('\n');
    h.update(id);
  }
  return `sha256:${h.digest('hex')}`;
}
