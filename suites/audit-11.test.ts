/**
 * Issue 11, across stages: for every rule the contract audit changed (decisions 0600–0607), in every
 * contract version, the generators' labels agree with the oracle, and the bundled mock, driven
 * through the real SDK, answers what the oracle accepts. The contract side of each fix is pinned in
 * `contract/audit-11.test.ts`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTRACT_VERSIONS, type ContractVersionId } from '../contract/types.ts';
import { caseAgreement, describeAgreement } from '../generators/agreement.ts';
import { createGeneratorContext, type GeneratorContext } from '../generators/context.ts';
import { invalidPolicyArb } from '../generators/invalid-policy.ts';
import type { GeneratedCase } from '../generators/kinds.ts';
import { labelRules } from '../generators/labels.ts';
import type { RequestCase } from '../generators/request-case.ts';
import { allMemberVariants, baseInput, usableState, type MemberVariant } from '../generators/request.ts';
import { fixedRunCase, type RunCase } from '../generators/cases.ts';
import { problems, runInProcess } from './helpers/run-cases.ts';

type SuiteCase = RunCase;
const fixedCase = (id: string, c: GeneratedCase): RunCase => fixedRunCase(id, c);

/** Policy mutations whose labels or rules changed, and the rule each must name. */
const POLICY_MUTATIONS: Readonly<Record<string, string>> = {
  'statement.notPrincipal.allow': 'PutKeyPolicy.Policy.statement.notPrincipal',
  'statement.notPrincipal.deny': 'PutKeyPolicy.Policy.statement.notPrincipal.deny',
  'statement.principal.malformedArn': 'PutKeyPolicy.Policy.statement.principal.arn',
  'statement.principal.malformed': 'PutKeyPolicy.Policy.statement.principal.valid',
  'charset.control': 'PutKeyPolicy.Policy.pattern',
  empty: 'PutKeyPolicy.Policy.length.min',
};

/** Member variants the audit added or relabelled: `<Op>.<Member>.<variant>`, and the rule each must name. */
const MEMBER_VARIANTS: Readonly<Record<string, string>> = {
  'CreateKey.Tags.count.max+1': 'CreateKey.Tags.max',
  'CreateKey.Tags.reservedPrefix': 'CreateKey.Tags.reservedPrefix',
  'CreateKey.KeySpec.withoutKeyUsage': 'CreateKey.KeyUsage.required',
  'CreateKey.KeyUsage.incompatible': 'CreateKey.KeyUsage.compatible',
  'CreateKey.KeySpec.enum': 'CreateKey.KeySpec.enum',
  'CreateKey.KeyUsage.enum': 'CreateKey.KeyUsage.enum',
  'PutKeyPolicy.Policy.pattern': 'PutKeyPolicy.Policy.pattern',
  'PutKeyPolicy.Policy.length.min-1': 'PutKeyPolicy.Policy.length.min',
  'CreateKey.Policy.pattern': 'CreateKey.Policy.pattern',
};

function policyCases(ctx: GeneratorContext): SuiteCase[] {
  return Object.keys(POLICY_MUTATIONS).flatMap((mutation, m) =>
    fc.sample(invalidPolicyArb({ mutations: [mutation], context: ctx }), { seed: 11 + m, numRuns: 6 }).map((value, i): SuiteCase => fixedCase(`policy:${mutation}:${i}`, { kind: 'invalid-policy', value })),
  );
}

function requestCase(v: MemberVariant, ctx: GeneratorContext): RequestCase {
  const keyId = '1234abcd-12ab-34cd-56ef-1234567890ab';
  const input = baseInput(v.operation, keyId, ctx);
  input[v.member] = v.value;
  return { operation: v.operation, input, setup: { keys: [{ keyId, state: usableState(v.operation), multiRegion: false }], aliases: [] }, label: v.label, features: [] };
}

function memberCases(ctx: GeneratorContext): SuiteCase[] {
  const chosen = allMemberVariants(ctx).filter((v) => `${v.operation}.${v.member}.${v.variant}` in MEMBER_VARIANTS);
  expect(chosen.map((v) => `${v.operation}.${v.member}.${v.variant}`).sort()).toEqual(Object.keys(MEMBER_VARIANTS).sort());
  return chosen.map((v) => fixedCase(`member:${v.operation}.${v.member}.${v.variant}`, { kind: 'request', value: requestCase(v, ctx) }));
}


describe.each(CONTRACT_VERSIONS)('contract %s: the rules issue 11 changed', (version: ContractVersionId) => {
  const ctx = createGeneratorContext({ version });
  const cases = [...policyCases(ctx), ...memberCases(ctx)];

  it('the generators label each case with the changed rule, and the oracle agrees with every label', () => {
    const wanted: Readonly<Record<string, string>> = { ...POLICY_MUTATIONS, ...Object.fromEntries(Object.entries(MEMBER_VARIANTS).map(([k, r]) => [`member.${k}`, r])) };
    for (const c of cases) {
      const label = c.case.value.label;
      expect(label.kind, c.id).not.toBe('valid');
      if (label.kind === 'valid') continue;
      expect(labelRules(label)[0], c.id).toBe(wanted[label.mutation]);
      expect(describeAgreement(caseAgreement(c.case, ctx)), c.id).toBe('agrees');
    }
  });

  it('the mock, through the real SDK, answers what the oracle accepts for each of them', async () => {
    const results = await runInProcess(cases, ctx, version, 'sdk');
    expect(problems(results)).toBe('');
    expect(results).toHaveLength(cases.length);
    // Decided cases pass; NotPrincipal with Deny is the open one.
    expect(results.filter((r) => r.verdict === 'unspecified').map((r) => r.id.split(':')[1])).toEqual(expect.arrayContaining(['statement.notPrincipal.deny']));
    expect(results.filter((r) => r.verdict === 'unspecified').every((r) => r.id.startsWith('policy:statement.notPrincipal.deny:'))).toBe(true);
  });

  it('a mock that throttles every request is never failed for it (decision 0603)', async () => {
    const some: GeneratedCase[] = cases.slice(0, 12).map((c) => c.case);
    const throttled = some.map((c, i) => fixedCase(`throttled:${i}`, c));
    const results = await runInProcess(throttled, ctx, version, 'sdk', { faults: { throttleRate: 1 } });
    expect(problems(results)).toBe('');
    expect(results.every((r) => r.observed?.kind === 'response' && r.observed.code === 'ThrottlingException')).toBe(true);
    expect(results.filter((r) => r.verdict === 'pass').length).toBeGreaterThan(0);
  });
});
