import { describe, expect, it } from 'vitest';
import { expected } from '../contract/oracle.ts';
import { DEFAULT_KEY_POLICY } from '../contract/policy/index.ts';
import { agreement, describeAgreement, policyRequestInput } from './agreement.ts';
import { DEFAULT_GENERATOR_CONTEXT as ctx } from './context.ts';
import { invalid, POLICY_RULE } from './labels.ts';
import { worldFromSetup } from './request-case.ts';
import { GENERATOR_KEY_ID, judgePolicy, judgementMatches } from './verify.ts';

/** A policy that gives the caller only kms:Get* (locks it out), with `extra` inside its Id. */
const lockingOut = (extra: string): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Id: `key-policy${extra}`,
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ctx.accountId}:root` }, Action: 'kms:Get*', Resource: '*' }],
  });

describe('judgePolicy', () => {
  it('judges the default key policy valid', () => {
    const j = judgePolicy(DEFAULT_KEY_POLICY(ctx.accountId), undefined, ctx);
    expect(j).toEqual({ triggered: [], unspecified: [] });
  });

  it('skips the lockout check when the bypass flag is true', () => {
    expect(judgePolicy(lockingOut(''), undefined, ctx).triggered).toEqual([POLICY_RULE.lockout]);
    expect(judgePolicy(lockingOut(''), true, ctx).triggered).toEqual([]);
  });

  it('still runs the lockout check next to DEL and C1 characters, as the oracle does', () => {
    const text = lockingOut('\u007f');
    const j = judgePolicy(text, undefined, ctx);
    expect(j.triggered).toEqual([POLICY_RULE.printable, POLICY_RULE.lockout].sort());
    expect(judgementMatches(invalid(POLICY_RULE.printable, 'charset.del'), j)).toBe(false);
    const world = worldFromSetup({ keys: [{ keyId: GENERATOR_KEY_ID, state: 'Enabled', multiRegion: false }], aliases: [] }, ctx);
    const e = expected({ operation: 'PutKeyPolicy', input: policyRequestInput({ policy: text, label: invalid(POLICY_RULE.printable, 'charset.del'), features: [] }) }, world, ctx.caller, ctx.version);
    expect(describeAgreement(agreement(invalid(POLICY_RULE.printable, 'charset.del'), e, ctx))).toMatch(/^other_violation others=PutKeyPolicy\.Policy\.lockout/);
  });

  it('does not run the lockout check on a structurally broken document', () => {
    const text = lockingOut('').replace('"Effect":"Allow"', '"Effect":"allow"');
    expect(judgePolicy(text, undefined, ctx).triggered).toEqual([POLICY_RULE.effect]);
  });
});
