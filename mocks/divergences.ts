/**
 * Named divergence profiles: opt-in ways to make the mock misbehave like real emulators do, so the
 * conformance suite can be shown to catch them (ARCHITECTURE.md, "Mock model essentials"). None is
 * on by default; every one breaks the documented contract on purpose.
 */
import { CONSTRAINT_TEXT, validationMessage } from '../contract/messages.ts';
import type { Expectation, OracleRequest, Violation } from '../contract/types.ts';

/** What each profile does, and which emulator behaviour it imitates. */
export const DIVERGENCES = {
  'skip-lockout-check': 'accepts policies that lock the caller out (no lockout safety check), as emulators without IAM evaluation do',
  'skip-principal-check': 'accepts principals that do not exist (no "principals must exist" check)',
  'skip-size-quota': 'accepts key policies over the 32 KB quota (only the model length is checked)',
  'policy-name-required': 'rejects PutKeyPolicy and GetKeyPolicy without PolicyName (ValidationException "Member must not be null"), as emulators built on the pre-2024-03 model do, although PolicyName has been optional since 2024-03-18',
  'reformat-policy': 'GetKeyPolicy returns the policy re-serialised as compact JSON instead of the text as sent',
  'omit-request-id': 'sends no x-amzn-RequestId header',
} as const;

/**
 * The contract rules each profile breaks: a full run against the mock with the profile on must
 * fail exactly these rules and pass every other (`suites/divergence.test.ts`).
 */
export const DIVERGENCE_BREAKS: Readonly<Record<keyof typeof DIVERGENCES, readonly string[]>> = {
  'skip-lockout-check': ['PutKeyPolicy.Policy.lockout'],
  'skip-principal-check': ['PutKeyPolicy.Policy.statement.principal.exists'],
  'skip-size-quota': ['PutKeyPolicy.Policy.size.quota'],
  'policy-name-required': ['PutKeyPolicy.PolicyName.default', 'GetKeyPolicy.PolicyName.default'],
  'reformat-policy': ['GetKeyPolicy.output.defaultPolicyText'],
  'omit-request-id': ['Wire.success.requestId'],
};

/** Name of a divergence profile. */
export type DivergenceName = keyof typeof DIVERGENCES;

const IGNORED_RULES: Partial<Record<DivergenceName, readonly string[]>> = {
  'skip-lockout-check': ['PutKeyPolicy.Policy.lockout'],
  'skip-principal-check': ['PutKeyPolicy.Policy.statement.principal.exists'],
  'skip-size-quota': ['PutKeyPolicy.Policy.size.quota'],
};

/**
 * Rewrites the oracle's expectation the way the active profiles misbehave: violations of ignored
 * rules disappear (and success is allowed when none is left); with `policy-name-required`, a
 * request without PolicyName gets the ValidationException the 2017–2024-01 model gave it.
 */
export function divergeExpectation(e: Expectation, active: ReadonlySet<DivergenceName>, request: OracleRequest): Expectation {
  if (active.size === 0 || e.kind !== 'decided') return e;
  const ignored = new Set<string>();
  for (const d of active) for (const id of IGNORED_RULES[d] ?? []) ignored.add(id);
  let violations: readonly Violation[] = e.violations.filter((v) => !ignored.has(v.ruleId));
  let outcomes = violations.length === 0 ? [{ kind: 'success' as const }] : e.outcomes;
  const policyNameOperation = request.operation === 'PutKeyPolicy' || request.operation === 'GetKeyPolicy';
  if (active.has('policy-name-required') && policyNameOperation && request.input.PolicyName === undefined) {
    const required: Violation = {
      ruleId: `${request.operation}.PolicyName.required`,
      outcomes: [{ kind: 'error', code: 'ValidationException', statuses: [400] }],
      message: validationMessage([{ member: 'PolicyName', value: null, constraint: CONSTRAINT_TEXT.required() }]),
      path: 'PolicyName',
      respondWith: { code: 'ValidationException', status: 400 },
    };
    violations = [required, ...violations];
    outcomes = required.outcomes;
  }
  if (violations.length === e.violations.length && violations.every((v, i) => v === e.violations[i])) return e;
  return { ...e, outcomes, violations };
}

/** Re-serialises a policy as compact JSON (the `reformat-policy` profile); text that is not JSON stays as it is. */
export function reformatPolicy(policy: string): string {
  try {
    return JSON.stringify(JSON.parse(policy));
  } catch {
    return policy;
  }
}
