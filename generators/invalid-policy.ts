/**
 * Invalid key policies: each one is a valid policy changed by one named mutation
 * (`mutations.ts`) and labelled with the one rule it breaks, or `unspecified` where the contract
 * cannot decide. Every case is re-checked with the contract's checker (unless `verify: false`), so
 * a case whose label does not hold is never produced, even while shrinking.
 */
import fc from 'fast-check';
import { DEFAULT_GENERATOR_CONTEXT } from './context.ts';
import { lockoutArb } from './lockout.ts';
import { mutationsFor, type PolicyMutation } from './mutations.ts';
import type { PolicyCase } from './policy-case.ts';
import { textStyleArb } from './text-style.ts';
import { validModelArb, type PolicyArbOptions } from './valid-policy.ts';
import { policyCaseHolds } from './verify.ts';

/** Options of {@link invalidPolicyArb}. */
export interface InvalidPolicyOptions extends PolicyArbOptions {
  /** Only these mutations (by name); all that apply to the context's version when absent. */
  readonly mutations?: readonly string[];
}

/**
 * Invalid (and contract-undecided) key policies. Each case's `label` is `invalid` with the rule it
 * breaks and the mutation's name, or `unspecified` with the reason; `features` holds
 * `mutation:<name>`, and `lockout.<strategy>` for the lockout mutations.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { invalidPolicyArb } from 'kms-conformance';
 * fc.assert(fc.asyncProperty(invalidPolicyArb({ mutations: ['statement.principal.missing'] }), async (c) => {
 *   await expect(put(c.policy)).rejects.toThrow('MalformedPolicyDocumentException');
 * }));
 * ```
 */
export function invalidPolicyArb(options: InvalidPolicyOptions = {}): fc.Arbitrary<PolicyCase> {
  const ctx = options.context ?? DEFAULT_GENERATOR_CONTEXT;
  const all = mutationsFor(ctx);
  const chosen = options.mutations === undefined ? all : all.filter((m) => options.mutations?.includes(m.name));
  if (chosen.length === 0) {
    const known = all.map((m) => m.name).join(', ');
    throw new RangeError(`invalidPolicyArb: no mutation matches ${JSON.stringify(options.mutations)} under contract version ${ctx.version}. Known mutations: ${known}.`);
  }
  const arb = fc
    .record({
      mutation: fc.constantFrom<PolicyMutation>(...chosen),
      model: validModelArb(ctx, options.maxExtraStatements ?? 3),
      style: textStyleArb(),
      pick: fc.nat({ max: 1 << 16 }),
      lockout: lockoutArb(ctx),
    })
    .map((r): PolicyCase | undefined => {
      const out = r.mutation.apply({ model: r.model, style: r.style, pick: r.pick, lockout: r.lockout, ctx });
      if (out === undefined) return undefined;
      return {
        policy: out.policy,
        label: r.mutation.label(ctx),
        ...(out.bypassPolicyLockoutSafetyCheck === undefined ? {} : { bypassPolicyLockoutSafetyCheck: out.bypassPolicyLockoutSafetyCheck }),
        features: [`mutation:${r.mutation.name}`, ...(r.mutation.name.startsWith('lockout.') ? [`lockout.${r.lockout.strategy}`] : [])],
      };
    })
    .filter((c): c is PolicyCase => c !== undefined);
  return options.verify === false ? arb : arb.filter((c) => policyCaseHolds(c, ctx));
}
