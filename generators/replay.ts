/**
 * Replaying generated cases: the same kind, seed and path give the same case, byte for byte, on
 * any machine (fast-check's generation is seeded and platform-independent). Paths are those
 * `generate` prints (`"7"` is the 8th case) or a counterexample path from a failed property
 * (`"7:2:0"`, the case after shrinking). With your own property,
 * `fc.assert(fc.property(validPolicyArb(), p), { seed, path, numRuns: 1 })` runs exactly that case
 * (without `numRuns: 1` fast-check goes on with the runs after it).
 */
import fc from 'fast-check';
import { caseArb, type CaseArbOptions, type GenerateKind, type GeneratedCase } from './kinds.ts';

/** Where a case comes from. */
export interface CaseOrigin {
  /** fast-check seed (a 32-bit integer). */
  readonly seed: number;
  /** fast-check path: run index, then shrink steps, joined by `:`. */
  readonly path: string;
}

/** Thrown when a `{seed, path}` is not one fast-check can replay. */
export class ReplayError extends Error {
  override readonly name = 'ReplayError';
}

const PATH = /^\d+(:\d+)*$/;

/**
 * The case at `origin` of a kind.
 *
 * @throws ReplayError when the seed is not a 32-bit integer or the path is malformed.
 * @example
 * ```ts
 * const c = replayCase('invalid-policy', { seed: 42, path: '7' });
 * // the same case as line 8 of `kms-conformance generate --kind invalid-policy --seed 42`
 * ```
 */
export function replayCase(kind: GenerateKind, origin: CaseOrigin, options: CaseArbOptions = {}): GeneratedCase {
  if (!Number.isInteger(origin.seed) || origin.seed < -(2 ** 31) || origin.seed > 2 ** 31 - 1) {
    throw new ReplayError(`replayCase: seed must be a 32-bit integer, got ${origin.seed}. Use the seed printed with the case.`);
  }
  if (!PATH.test(origin.path)) {
    throw new ReplayError(`replayCase: path must look like "7" or "7:2:0", got ${JSON.stringify(origin.path)}. Use the path printed with the case.`);
  }
  const [value] = fc.sample(caseArb(kind, options), { seed: origin.seed, path: origin.path, numRuns: 1 });
  if (value === undefined) throw new ReplayError(`replayCase: no case at path ${origin.path} for seed ${origin.seed}; the path may come from another kind or version.`);
  return value;
}

/**
 * The first `count` cases of a kind for a seed, each with the origin that replays it.
 *
 * @example
 * ```ts
 * for (const { value, origin } of generateCases('wire', 10, 1)) console.log(origin.path, value.value.label);
 * ```
 */
export function generateCases(kind: GenerateKind, count: number, seed: number, options: CaseArbOptions = {}): { value: GeneratedCase; origin: CaseOrigin }[] {
  return fc.sample(caseArb(kind, options), { seed, numRuns: count }).map((value, i) => ({ value, origin: { seed, path: String(i) } }));
}
