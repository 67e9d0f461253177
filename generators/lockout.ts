/**
 * Turning a policy into one that locks the caller out: after it, the caller could no longer call
 * PutKeyPolicy (contract notes §8.3). Used by the invalid generator (lockout without bypass) and
 * the valid one (lockout with `BypassPolicyLockoutSafetyCheck: true`).
 */
import fc from 'fast-check';
import type { GeneratorContext } from './context.ts';
import type { PolicyModel, StatementModel } from './policy-model.ts';
import { callerPrincipalArb, nonPutActionArb, PUT_KEY_POLICY_PATTERNS, statementOrderArb } from './policy-parts.ts';

/**
 * - `deny-put`: add a Deny of `kms:PutKeyPolicy` (or a pattern covering it) for `"*"` or the caller;
 * - `read-only`: replace every Allow with one that gives the caller only actions other than
 *   PutKeyPolicy (the Terraform acceptance test of contract notes §5.2).
 */
export type LockoutStrategy = 'deny-put' | 'read-only';

/** A lockout change, ready to apply to any model. */
export interface Lockout {
  readonly strategy: LockoutStrategy;
  readonly statement: StatementModel;
}

/** Arbitrary lockout changes for a context. */
export function lockoutArb(ctx: GeneratorContext): fc.Arbitrary<Lockout> {
  const denyPut = fc
    .record({
      star: fc.boolean(),
      action: fc.constantFrom(...PUT_KEY_POLICY_PATTERNS),
      asList: fc.boolean(),
      keyOrder: statementOrderArb(),
    })
    .map(
      (r): Lockout => ({
        strategy: 'deny-put',
        statement: {
          role: 'lockout',
          sid: 'Deny policy changes',
          effect: 'Deny',
          principal: r.star ? { form: 'star' } : { form: 'map', entries: [{ key: 'AWS', values: [ctx.caller.arn], asList: r.asList }] },
          action: { element: 'Action', values: [r.action], asList: r.asList },
          resource: { asList: false },
          keyOrder: r.keyOrder,
        },
      }),
    );
  const readOnly = fc
    .record({ principal: callerPrincipalArb(ctx), action: nonPutActionArb(), keyOrder: statementOrderArb() })
    .map(
      (r): Lockout => ({
        strategy: 'read-only',
        statement: { role: 'lockout', sid: 'Read only', effect: 'Allow', principal: r.principal, action: r.action, resource: { asList: false }, keyOrder: r.keyOrder },
      }),
    );
  return fc.oneof(denyPut, readOnly);
}

/** Applies a lockout change to a model. */
export function applyLockout(model: PolicyModel, lockout: Lockout): PolicyModel {
  const statements =
    lockout.strategy === 'deny-put'
      ? [...model.statements, lockout.statement]
      : [lockout.statement, ...model.statements.filter((s) => s.effect === 'Deny')];
  return { ...model, statementForm: 'array', statements };
}
