/**
 * The lockout check (`contract/policy/lockout.ts`, run on every PutKeyPolicy and, as the
 * permission check, on every request to a key) now writes its reasons only when a verdict quotes
 * them and stops at a statement's first failing part; this test holds it to the check it replaced
 * (`suites/helpers/reference-lockout.ts`): for generated valid and invalid policies, callers of
 * every kind and IAM permissions, and several actions, both give the same verdict with the same
 * reason or statement.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLockout, parsePolicy } from '../contract/policy/index.ts';
import type { LockoutOptions } from '../contract/policy/index.ts';
import type { Caller } from '../contract/types.ts';
import { DEFAULT_GENERATOR_CONTEXT } from '../generators/context.ts';
import { invalidPolicyArb } from '../generators/invalid-policy.ts';
import { validPolicyArb } from '../generators/valid-policy.ts';
import { referenceCheckLockout } from './helpers/reference-lockout.ts';

const ACCOUNT = DEFAULT_GENERATOR_CONTEXT.accountId;

const callerArb: fc.Arbitrary<Caller> = fc.record({
  arn: fc.constantFrom(
    DEFAULT_GENERATOR_CONTEXT.caller.arn,
    `arn:aws:iam::${ACCOUNT}:role/Admin`,
    `arn:aws:iam::${ACCOUNT}:user/Alice`,
    `arn:aws:iam::${ACCOUNT}:user/ops/Bob`,
    `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/session-1`,
    `arn:aws:iam::${ACCOUNT}:role/Nobody`,
    'arn:aws:iam::444455556666:role/Admin',
  ),
  accountId: fc.constantFrom(ACCOUNT, '444455556666'),
  iam: fc.oneof(
    fc.constant({ kind: 'unknown' as const }),
    fc.record({ kind: fc.constant('known' as const), actions: fc.subarray(['*', 'kms:*', 'kms:PutKeyPolicy', 'kms:Get*', 'kms:Describe*', 's3:*']) }),
  ),
});

const optionsArb: fc.Arbitrary<LockoutOptions> = fc.record(
  {
    caller: callerArb,
    accountId: fc.constant(ACCOUNT),
    partition: fc.constant('aws'),
    keyArn: fc.constantFrom(`arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, `arn:aws:kms:eu-west-1:${ACCOUNT}:key/mrk-1234abcd12ab34cd56ef1234567890ab`),
    action: fc.constantFrom('kms:PutKeyPolicy', 'kms:GetKeyPolicy', 'kms:DescribeKey', 'kms:ScheduleKeyDeletion'),
  },
  { requiredKeys: ['caller', 'accountId', 'partition', 'keyArn'] },
);

const same = (policy: string, options: LockoutOptions): void => {
  const parsed = parsePolicy(policy);
  if (!parsed.ok) return;
  expect(checkLockout(parsed.document, options)).toEqual(referenceCheckLockout(parsed.document, options));
};

describe('checkLockout agrees with the check it replaced', () => {
  it('on generated valid key policies', () => {
    fc.assert(fc.property(validPolicyArb(), optionsArb, (c, o) => same(c.policy, o)), { numRuns: 400 });
  });

  it('on generated invalid key policies (lockout mutations included)', () => {
    fc.assert(fc.property(invalidPolicyArb(), optionsArb, (c, o) => same(c.policy, o)), { numRuns: 600 });
  });

  it('gives the reasons of a locked-out verdict in full (a check that dropped them fails this)', () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/Alice` }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' }],
    });
    const parsed = parsePolicy(policy);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const options: LockoutOptions = { caller: DEFAULT_GENERATOR_CONTEXT.caller, accountId: ACCOUNT, partition: 'aws', keyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/k` };
    const verdict = checkLockout(parsed.document, options);
    expect(verdict).toEqual(referenceCheckLockout(parsed.document, options));
    expect(verdict).toMatchObject({ kind: 'locked-out' });
    expect(verdict.kind === 'locked-out' ? verdict.reason : '').toContain(`statement 0: arn:aws:iam::${ACCOUNT}:user/Alice is not the caller`);
  });
});
