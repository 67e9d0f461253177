import { describe, expect, it } from 'vitest';
import { DEFAULT_KEY_POLICY } from '../contract/policy/index.ts';
import { agreement, caseAgreement, describeAgreement } from './agreement.ts';
import { DEFAULT_GENERATOR_CONTEXT as ctx } from './context.ts';
import { invalid, unspecified, VALID } from './labels.ts';

const policyCase = (policy: string, label = VALID) => ({ kind: 'valid-policy' as const, value: { policy, label, features: [] } });

describe('agreement', () => {
  it('agrees when the oracle answers success for a valid case', () => {
    expect(caseAgreement(policyCase(DEFAULT_KEY_POLICY(ctx.accountId)), ctx)).toEqual({ kind: 'agrees' });
  });

  it('catches a valid label on a policy the oracle rejects', () => {
    const a = caseAgreement(policyCase('{"Version":"2012-10-17"}'), ctx);
    expect(a.kind).toBe('valid_not_success');
    expect(describeAgreement(a)).toMatch(/^valid_not_success rules=\[.*PutKeyPolicy\.Policy\.document\.statement.*\] violations=\[PutKeyPolicy\.Policy\.document\.statement\] outcomes=\[MalformedPolicyDocumentException:400/);
  });

  it('catches an invalid label naming a rule the oracle does not involve, and one that hides another violation', () => {
    const text = '{"Version":"2012-10-17"}';
    expect(caseAgreement(policyCase(text, invalid('PutKeyPolicy.Policy.document.json', 'x')), ctx).kind).toBe('rule_not_involved');
    const noPrincipal = '{"Version":"2013-01-01","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}';
    const a = caseAgreement(policyCase(noPrincipal, invalid('PutKeyPolicy.Policy.document.version', 'x')), ctx);
    expect(a).toMatchObject({ kind: 'other_violation', ruleIds: ['PutKeyPolicy.Policy.statement.principal.required'] });
  });

  it('catches an unspecified label on a case the oracle decides', () => {
    const a = caseAgreement(policyCase(DEFAULT_KEY_POLICY(ctx.accountId), unspecified('x', 'because')), ctx);
    expect(a.kind).toBe('not_unspecified');
  });

  it('checks that a lone rule keeps every one of its outcomes', () => {
    const e = { kind: 'decided' as const, outcomes: [{ kind: 'success' as const }], rules: ['PutKeyPolicy.Policy.document.json'], violations: [] };
    expect(agreement(invalid('PutKeyPolicy.Policy.document.json', 'x'), e, ctx)).toMatchObject({ kind: 'outcomes_missing', ruleId: 'PutKeyPolicy.Policy.document.json' });
  });
});
