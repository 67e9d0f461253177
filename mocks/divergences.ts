/**
 * Named divergence profiles: opt-in ways to make the mock misbehave like real emulators do, so the
 * conformance suite can be shown to catch them (ARCHITECTURE.md, "Mock model essentials"). None is
 * on by default; every one breaks the documented contract on purpose.
 */
import type { Expectation } from '../contract/types.ts';

/** What each profile does, and which emulator behaviour it imitates. */
export const DIVERGENCES = {
  'skip-lockout-check': 'accepts policies that lock the caller out (no lockout safety check), as emulators without IAM evaluation do',
  'skip-principal-check': 'accepts principals that do not exist (no "principals must exist" check)',
  'skip-size-quota': 'accepts key policies over the 32 KB quota (only the model length is checked)',
  'policy-name-unsupported-operation': 'answers PolicyName other than "default" with UnsupportedOperationException "Only default policy is supported" (LocalStack-style)',
  'reformat-policy': 'GetKeyPolicy returns the policy re-serialised as compact JSON instead of the text as sent',
  'omit-request-id': 'sends no x-amzn-RequestId header',
} as const;

/** Name of a divergence profile. */
export type DivergenceName = keyof typeof DIVERGENCES;

const IGNORED_RULES: Partial<Record<DivergenceName, readonly string[]>> = {
  'skip-lockout-check': ['PutKeyPolicy.Policy.lockout'],
  'skip-principal-check': ['PutKeyPolicy.Policy.statement.principal.exists'],
  'skip-size-quota': ['PutKeyPolicy.Policy.size.quota'],
};

/**
 * Rewrites the oracle's expectation the way the active profiles misbehave: violations of ignored
 * rules disappear (and success is allowed when none is left), PolicyName violations become
 * UnsupportedOperationException.
 */
export function divergeExpectation(e: Expectation, active: ReadonlySet<DivergenceName>): Expectation {
  if (active.size === 0 || e.kind !== 'decided') return e;
  const ignored = new Set<string>();
  for (const d of active) for (const id of IGNORED_RULES[d] ?? []) ignored.add(id);
  let violations = e.violations.filter((v) => !ignored.has(v.ruleId));
  if (active.has('policy-name-unsupported-operation')) {
    violations = violations.map((v) =>
      v.ruleId.endsWith('.PolicyName.onlyDefault')
        ? { ...v, message: 'Only default policy is supported', respondWith: { code: 'UnsupportedOperationException', status: 400 } }
        : v,
    );
  }
  if (violations.length === e.violations.length && !active.has('policy-name-unsupported-operation')) return e;
  const outcomes = violations.length === 0 ? [{ kind: 'success' as const }] : e.outcomes;
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
