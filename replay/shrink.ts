/**
 * Shrinking a failure against the live target: a generated case that failed is regenerated from
 * its `{seed, path}` and fast-check's shrinker proposes smaller cases of the same kind (labels stay
 * true while shrinking, as in the generators' own properties); each is sent to the target, and a
 * proposal is kept only while it still fails on the same rule. The search is bounded in attempts
 * and time; the smallest failing case found is what the report shows and the replay file holds.
 */
import fc from 'fast-check';
import type { RunCase } from '../generators/cases.ts';
import type { PolicyCase } from '../generators/policy-case.ts';
import { policyCaseHolds } from '../generators/verify.ts';
import type { GeneratorContext } from '../generators/context.ts';
import { caseArb, isGenerateKind } from '../generators/kinds.ts';
import type { CaseRecord } from '../scoring/results.ts';
import { executeCase, type ExecuteOptions } from './execute.ts';

/** How much a shrink may cost. */
export interface ShrinkBudget {
  /** Cases sent to the target at most (the original's re-check included). @defaultValue 100 */
  readonly attempts: number;
  /** Milliseconds at most. @defaultValue 30000 */
  readonly ms: number;
}

/** The default budget per shrunk failure. */
export const DEFAULT_SHRINK_BUDGET: ShrinkBudget = { attempts: 100, ms: 30_000 };

/** What a shrink found: the smallest failing case, its record, and what it cost. */
export interface ShrinkResult {
  readonly minimal: RunCase;
  readonly record: CaseRecord;
  readonly attempts: number;
  /** Smaller failing cases found one after another. */
  readonly steps: number;
  readonly ms: number;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A case's size for reports: the length of its JSON (policy text, request members or bytes). */
export function caseSize(c: RunCase): number {
  const v = c.case.value;
  if (c.case.kind === 'wire') return (v as { body: Uint8Array }).body.length + JSON.stringify((v as { headers: unknown }).headers).length;
  if (c.case.kind === 'request') return JSON.stringify((v as { input: unknown }).input).length;
  return (v as { policy: string }).policy.length;
}

/**
 * Shrinks one failing generated case against the target. `undefined` when the case cannot be
 * shrunk (a worked example or a case without `{seed, path}`) or the budget allows nothing.
 */
export async function shrinkFailure(rc: RunCase, failed: CaseRecord, ruleId: string, context: GeneratorContext, o: ExecuteOptions, budget: ShrinkBudget = DEFAULT_SHRINK_BUDGET): Promise<ShrinkResult | undefined> {
  if (rc.origin === undefined || !isGenerateKind(rc.source) || budget.attempts < 2) return undefined;
  const started = Date.now();
  const deadline = started + budget.ms;
  let attempts = 0;
  let steps = -1;
  let best: { c: RunCase; r: CaseRecord } = { c: rc, r: failed };
  const stillFails = (r: CaseRecord): boolean => r.verdict === 'fail' && (r.findings ?? []).some((f) => (f.candidates ?? f.ruleIds).includes(ruleId));
  const details = await fc.check(
    fc.asyncProperty(caseArb(rc.source, { context }), async (value) => {
      // Out of budget: call every further proposal a pass, so the last failing one stands.
      if (attempts >= budget.attempts || Date.now() > deadline) return true;
      attempts++;
      const candidate: RunCase = { ...rc, case: value };
      const r = await executeCase(candidate, failed.transport, o);
      if (!stillFails(r)) return true;
      steps++;
      best = { c: candidate, r };
      return false;
    }),
    { seed: rc.origin.seed, path: rc.origin.path, numRuns: 1, endOnFailure: false },
  );
  // The smallest failing case fast-check reached is replayable from the seed and its path.
  let minimal: RunCase = { ...best.c, origin: { seed: rc.origin.seed, path: details.counterexamplePath ?? rc.origin.path } };
  let record: CaseRecord = best.r;
  // A valid policy's text can shrink further than its structure: padding and layout carry no
  // meaning, so the compact text, then a shorter Id, are tried while the label holds.
  if (minimal.case.kind === 'valid-policy') {
    const budgetLeft = (): boolean => attempts < budget.attempts && Date.now() <= deadline;
    const attempt = async (policy: string): Promise<boolean> => {
      const value = { ...(minimal.case.value as PolicyCase), policy };
      if (!budgetLeft() || !policyCaseHolds(value, context)) return false;
      attempts++;
      const candidate: RunCase = { id: minimal.id, source: minimal.source, case: { kind: 'valid-policy', value } };
      const r = await executeCase(candidate, failed.transport, o);
      if (!stillFails(r)) return false;
      steps++;
      minimal = candidate; // a text no {seed, path} gives: its JSON is the replay
      record = r;
      return true;
    };
    const doc = parseObject((minimal.case.value as PolicyCase).policy);
    if (doc !== undefined) {
      await attempt(JSON.stringify(doc));
      const id = doc.Id;
      if (typeof id === 'string' && id.length > 0) {
        // Binary search on the Id's length for the shortest text that still fails.
        let lo = 0;
        let hi = id.length;
        while (lo < hi && budgetLeft()) {
          const mid = Math.floor((lo + hi) / 2);
          const shorter = { ...doc, Id: id.slice(0, mid) };
          if (mid === 0) delete (shorter as { Id?: unknown }).Id;
          if (await attempt(JSON.stringify(shorter))) hi = mid;
          else lo = mid + 1;
        }
      }
    }
  }
  if (steps <= 0) return undefined;
  return { minimal, record: { ...record, id: failed.id, ...(minimal.origin === undefined ? {} : { origin: minimal.origin }) }, attempts, steps, ms: Date.now() - started };
}
