/**
 * Whether the oracle's expectation for a case agrees with the case's label. Used by the
 * generators' own tests and available to users who label cases themselves.
 */
import { expected, expectedWire } from '../contract/oracle.ts';
import { outcomesFor } from '../contract/rules/index.ts';
import type { Expectation } from '../contract/types.ts';
import type { GeneratorContext } from './context.ts';
import type { GeneratedCase } from './kinds.ts';
import type { CaseLabel } from './labels.ts';
import type { PolicyCase } from './policy-case.ts';
import { worldFromSetup } from './request-case.ts';
import { caseRequest, caseSetup } from './cases.ts';
import { GENERATOR_KEY_ID } from './verify.ts';

/**
 * What disagreement was found, or `agrees`.
 * - `valid_not_success`: a `valid` case the oracle does not accept with success alone;
 * - `rule_not_involved`: the labelled rule is not among the oracle's rules;
 * - `other_violation`: the oracle sees a violation of a rule outside the label;
 * - `outcomes_missing`: the expectation does not accept every outcome of the labelled rule (checked
 *   when the label has no `also` rules);
 * - `not_unspecified`: an `unspecified` case the oracle decides.
 */
export type Agreement =
  | { readonly kind: 'agrees' }
  | { readonly kind: 'valid_not_success'; readonly expectation: Expectation }
  | { readonly kind: 'rule_not_involved'; readonly ruleId: string; readonly expectation: Expectation }
  | { readonly kind: 'other_violation'; readonly ruleIds: readonly string[]; readonly expectation: Expectation }
  | { readonly kind: 'outcomes_missing'; readonly ruleId: string; readonly expectation: Expectation }
  | { readonly kind: 'not_unspecified'; readonly expectation: Expectation };

/** Compares a label with an expectation (see {@link Agreement}). */
export function agreement(label: CaseLabel, e: Expectation, ctx: GeneratorContext): Agreement {
  switch (label.kind) {
    case 'valid':
      return e.kind === 'decided' && e.violations.length === 0 && e.outcomes.length === 1 && e.outcomes[0]?.kind === 'success'
        ? { kind: 'agrees' }
        : { kind: 'valid_not_success', expectation: e };
    case 'invalid': {
      if (!e.rules.includes(label.ruleId)) return { kind: 'rule_not_involved', ruleId: label.ruleId, expectation: e };
      const allowed = new Set([label.ruleId, ...(label.also ?? [])]);
      const others = e.violations.map((v) => v.ruleId).filter((r) => !allowed.has(r));
      if (others.length > 0) return { kind: 'other_violation', ruleIds: others, expectation: e };
      // With `also` rules the other rules' outcomes may narrow the answer (e.g. an empty body is
      // accepted by Wire.body.empty but fails the required members), so only a lone rule must
      // keep all of its outcomes.
      if (e.kind === 'decided' && (label.also ?? []).length === 0) {
        const json = new Set(e.outcomes.map((o) => JSON.stringify(o)));
        if (!outcomesFor(label.ruleId, ctx.version).every((o) => json.has(JSON.stringify(o)))) return { kind: 'outcomes_missing', ruleId: label.ruleId, expectation: e };
      }
      return { kind: 'agrees' };
    }
    case 'unspecified':
      return e.kind === 'unspecified' && (label.ruleId === undefined || e.rules.includes(label.ruleId)) ? { kind: 'agrees' } : { kind: 'not_unspecified', expectation: e };
  }
}

/** The PutKeyPolicy request a policy case stands for (on the generators' key, {@link GENERATOR_KEY_ID}). */
export function policyRequestInput(c: PolicyCase): Record<string, unknown> {
  return {
    KeyId: GENERATOR_KEY_ID,
    Policy: c.policy,
    ...(c.bypassPolicyLockoutSafetyCheck === undefined ? {} : { BypassPolicyLockoutSafetyCheck: c.bypassPolicyLockoutSafetyCheck }),
  };
}

/** The oracle's expectation for any generated case under its context (the request and set-up from `cases.ts`, as a run sends it). */
export function expectationFor(c: GeneratedCase, ctx: GeneratorContext): Expectation {
  const world = worldFromSetup(caseSetup(c), ctx);
  const request = caseRequest(c, ctx);
  if (request !== undefined) return expected({ operation: request.operation, input: request.input }, world, ctx.caller, ctx.version);
  if (c.kind !== 'wire') throw new Error(`[kms-conformance] internal error: a ${c.kind} case has no request`);
  const v = c.value;
  return expectedWire({ method: v.method, path: v.path, headers: v.headers, body: v.body }, world, ctx.caller, ctx.version);
}

/** Whether the oracle agrees with a generated case's label. */
export function caseAgreement(c: GeneratedCase, ctx: GeneratorContext): Agreement {
  return agreement(c.value.label, expectationFor(c, ctx), ctx);
}

/**
 * A one-line account of an agreement (`agrees`, or the kind with the rules, violations and
 * outcomes involved), without messages or policy text, for test failures and logs.
 */
export function describeAgreement(a: Agreement): string {
  if (a.kind === 'agrees') return 'agrees';
  const e = a.expectation;
  const outcomes = e.kind === 'decided' ? e.outcomes.map((o) => (o.kind === 'success' ? 'success' : `${o.code}:${o.statuses.join('|')}`)) : ['unspecified'];
  const extra = a.kind === 'rule_not_involved' || a.kind === 'outcomes_missing' ? ` rule=${a.ruleId}` : a.kind === 'other_violation' ? ` others=${a.ruleIds.join(',')}` : '';
  return `${a.kind}${extra} rules=[${e.rules.join(',')}] violations=[${e.violations.map((v) => v.ruleId).join(',')}] outcomes=[${outcomes.join(',')}]`;
}
