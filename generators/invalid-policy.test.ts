import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ruleById } from '../contract/rules/index.ts';
import { CONTRACT_VERSIONS } from '../contract/types.ts';
import { caseAgreement, describeAgreement } from './agreement.ts';
import { createGeneratorContext, DEFAULT_GENERATOR_CONTEXT } from './context.ts';
import { invalidPolicyArb } from './invalid-policy.ts';
import { scalarLength, utf8Length } from './json-text.ts';
import { labelRules } from './labels.ts';
import { mutationsFor, POLICY_MUTATIONS } from './mutations.ts';
import type { PolicyCase } from './policy-case.ts';
import { POLICY_MAX_CHARS, POLICY_QUOTA_BYTES } from './sizes.ts';
import { judgePolicy, judgementMatches } from './verify.ts';

const ctx = DEFAULT_GENERATOR_CONTEXT;
const mutationOf = (c: PolicyCase): string => (c.label.kind === 'valid' ? '' : c.label.mutation);

describe('invalidPolicyArb', () => {
  it.each(mutationsFor(ctx).map((m) => [m.name, m] as const))('%s: the label holds under the checker and the oracle agrees', (name, m) => {
    const expectedLabel = m.label(ctx);
    fc.assert(
      fc.property(invalidPolicyArb({ mutations: [name] }), (c) => {
        expect(c.label).toEqual(expectedLabel);
        expect(c.features).toContain(`mutation:${name}`);
        expect(judgementMatches(c.label, judgePolicy(c.policy, c.bypassPolicyLockoutSafetyCheck, ctx))).toBe(true);
        expect(describeAgreement(caseAgreement({ kind: 'invalid-policy', value: c }, ctx))).toBe('agrees');
      }),
      { numRuns: 12 },
    );
  });

  it('keeps the label true at every shrinking step', () => {
    const seen: PolicyCase[] = [];
    const result = fc.check(
      fc.property(invalidPolicyArb(), (c) => {
        seen.push(c);
        return c.policy.length < 40;
      }),
      { seed: 99, numRuns: 100 },
    );
    expect(result.failed).toBe(true);
    expect(result.numShrinks).toBeGreaterThan(0);
    const shrunk = seen.slice(result.numRuns);
    expect(shrunk.length).toBeGreaterThan(0);
    const first = result.counterexample?.[0];
    for (const c of shrunk) {
      expect(judgementMatches(c.label, judgePolicy(c.policy, c.bypassPolicyLockoutSafetyCheck, ctx))).toBe(true);
    }
    // The final counterexample still carries a mutation and still breaks it.
    expect(first && mutationOf(first)).not.toBe('');
  });

  it('names only rules that exist in the catalogue, in every contract version', () => {
    for (const version of CONTRACT_VERSIONS) {
      const vctx = createGeneratorContext({ version });
      for (const m of mutationsFor(vctx)) for (const id of labelRules(m.label(vctx))) expect(ruleById(id), `${m.name} → ${id}`).toBeDefined();
    }
  });

  it('mutation names are unique', () => {
    const names = POLICY_MUTATIONS.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('sizes: one byte over the quota, far over, one over the model length, bytes over but characters under', () => {
    const sample = (name: string): PolicyCase[] => fc.sample(invalidPolicyArb({ mutations: [name] }), { seed: 5, numRuns: 8 });
    for (const c of sample('size.overQuotaByOne')) expect([utf8Length(c.policy), scalarLength(c.policy)]).toEqual([POLICY_QUOTA_BYTES + 1, POLICY_QUOTA_BYTES + 1]);
    for (const c of sample('size.farOverQuota')) expect(scalarLength(c.policy)).toBe(POLICY_MAX_CHARS);
    for (const c of sample('size.overModelMaxByOne')) expect(scalarLength(c.policy)).toBe(POLICY_MAX_CHARS + 1);
    for (const c of sample('size.bytesOverCharsUnder')) {
      expect(utf8Length(c.policy)).toBeGreaterThan(POLICY_QUOTA_BYTES);
      expect(scalarLength(c.policy)).toBeLessThanOrEqual(POLICY_QUOTA_BYTES);
    }
  });

  it('characters outside the allowed range are written raw, not escaped', () => {
    const raw = (name: string, re: RegExp): void => {
      for (const c of fc.sample(invalidPolicyArb({ mutations: [name] }), { seed: 3, numRuns: 10 })) expect(c.policy).toMatch(re);
    };
    raw('charset.control', /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    raw('charset.aboveLatin1', /[\u0100-\uffff]/);
    raw('charset.astral', /[\u{10000}-\u{10ffff}]/u);
    raw('charset.del', /\u007f/);
    raw('charset.c1', /[\u0080-\u009f]/);
  });

  it('lockout cases differ only in the bypass flag they are meant with', () => {
    for (const c of fc.sample(invalidPolicyArb({ mutations: ['lockout.bypassFalse'] }), { seed: 2, numRuns: 10 })) expect(c.bypassPolicyLockoutSafetyCheck).toBe(false);
    for (const c of fc.sample(invalidPolicyArb({ mutations: ['lockout.bypassAbsent'] }), { seed: 2, numRuns: 10 })) expect(c.bypassPolicyLockoutSafetyCheck).toBeUndefined();
  });

  it('rejects an unknown mutation name with the list of known ones', () => {
    expect(() => invalidPolicyArb({ mutations: ['no.such.mutation'] })).toThrow(/no mutation matches \["no.such.mutation"\].*Known mutations: document\.notJson\.truncated/);
  });

  it('under 2024-03-18 a statement without Action is a labelled violation, not a valid policy', () => {
    const vctx = createGeneratorContext({ version: '2024-03-18' });
    fc.assert(
      fc.property(invalidPolicyArb({ context: vctx, mutations: ['statement.action.removed', 'statement.resource.removed'] }), (c) => {
        expect(c.label.kind).toBe('invalid');
        expect(describeAgreement(caseAgreement({ kind: 'invalid-policy', value: c }, vctx))).toBe('agrees');
      }),
      { numRuns: 20 },
    );
    expect(() => invalidPolicyArb({ mutations: ['statement.action.removed'] })).toThrow(RangeError);
  });
});
