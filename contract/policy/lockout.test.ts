import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CALLER } from '../identities.ts';
import type { Caller } from '../types.ts';
import { DEFAULT_KEY_POLICY } from './default-policy.ts';
import { checkLockout } from './lockout.ts';
import { parsePolicy } from './parse.ts';
import type { LockoutVerdict, PolicyDocument } from './types.ts';

const ACCT = '111122223333';
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROOT = `arn:aws:iam::${ACCT}:root`;

function docOf(text: string): PolicyDocument {
  const r = parsePolicy(text);
  if (!r.ok) throw new Error(`test policy does not parse: ${JSON.stringify(r.findings)}`);
  return r.document;
}
const policy = (...statements: Record<string, unknown>[]): PolicyDocument =>
  docOf(JSON.stringify({ Version: '2012-10-17', Statement: statements }));
const allow = (principal: unknown, action: unknown = 'kms:*', extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Principal: principal,
  Action: action,
  Resource: '*',
  ...extra,
});
const lockout = (doc: PolicyDocument, caller: Caller = DEFAULT_CALLER): LockoutVerdict =>
  checkLockout(doc, { caller, accountId: ACCT, partition: 'aws', keyArn: KEY_ARN });

const user = (name: string, iam: Caller['iam'] = { kind: 'known', actions: [] }): Caller => ({
  arn: `arn:aws:iam::${ACCT}:user/${name}`,
  accountId: ACCT,
  iam,
});

/** The action list of TF TestAccKMSKeyPolicy_bypass (contract notes §5.2): no kms:PutKeyPolicy. */
const TF_ACTIONS = [
  'kms:CreateKey',
  'kms:DescribeKey',
  'kms:ScheduleKeyDeletion',
  'kms:Describe*',
  'kms:Get*',
  'kms:List*',
  'kms:TagResource',
  'kms:UntagResource',
];

describe('checkLockout: the real-AWS cases of contract notes §5.2 / TF', () => {
  it('{"AWS":"*"} + kms:* is allowed (TestAccKMSKeyPolicy_basic)', () => {
    expect(lockout(policy(allow({ AWS: '*' }))).kind).toBe('allowed');
    expect(lockout(policy(allow('*'))).kind).toBe('allowed');
  });

  it("the caller's own ARN + kms:* is allowed, whatever its IAM permissions", () => {
    const alice = user('alice', { kind: 'unknown' });
    expect(lockout(policy(allow({ AWS: alice.arn })), alice)).toEqual({ kind: 'allowed', by: 'statement 0' });
  });

  it('the default policy with the default admin identity is allowed', () => {
    expect(lockout(docOf(DEFAULT_KEY_POLICY(ACCT)))).toEqual({ kind: 'allowed', by: 'statement 0 ("Enable IAM User Permissions")' });
  });

  it('the account principal with only Describe*/Get*/List* (and the TF action list) locks out', () => {
    const v1 = lockout(policy(allow({ AWS: ROOT }, ['kms:Describe*', 'kms:Get*', 'kms:List*'])));
    expect(v1.kind).toBe('locked-out');
    expect(lockout(policy(allow({ AWS: ROOT }, TF_ACTIONS))).kind).toBe('locked-out');
    expect(lockout(policy(allow({ AWS: DEFAULT_CALLER.arn }, TF_ACTIONS))).kind).toBe('locked-out');
  });

  it('a Deny of kms:PutKeyPolicy for the caller locks out, even next to an Allow of everything', () => {
    const v = lockout(policy(allow({ AWS: '*' }), { Sid: 'no', Effect: 'Deny', Principal: { AWS: DEFAULT_CALLER.arn }, Action: 'kms:PutKeyPolicy', Resource: '*' }));
    expect(v.kind).toBe('locked-out');
    if (v.kind === 'locked-out') expect(v.reason).toContain('statement 1 ("no")');
  });

  it('a Deny for the account principal covers every principal of the account (no IAM delegation for Deny)', () => {
    expect(lockout(policy(allow({ AWS: DEFAULT_CALLER.arn }), { Effect: 'Deny', Principal: { AWS: ACCT }, Action: 'kms:Put*', Resource: '*' })).kind).toBe('locked-out');
  });

  it('NotAction excluding kms:PutKeyPolicy locks out; NotAction excluding something else allows', () => {
    expect(lockout(policy({ Effect: 'Allow', Principal: { AWS: '*' }, NotAction: 'kms:PutKeyPolicy', Resource: '*' })).kind).toBe('locked-out');
    expect(lockout(policy({ Effect: 'Allow', Principal: { AWS: '*' }, NotAction: ['kms:Decrypt'], Resource: '*' })).kind).toBe('allowed');
  });

  it('an assumed-role session matches its role (with or without a role path)', () => {
    const session: Caller = { arn: `arn:aws:sts::${ACCT}:assumed-role/Deployer/ci-run-7`, accountId: ACCT, iam: { kind: 'unknown' } };
    expect(lockout(policy(allow({ AWS: `arn:aws:iam::${ACCT}:role/Deployer` })), session).kind).toBe('allowed');
    expect(lockout(policy(allow({ AWS: `arn:aws:iam::${ACCT}:role/teams/Deployer` })), session).kind).toBe('allowed');
    expect(lockout(policy(allow({ AWS: `arn:aws:iam::${ACCT}:role/Other` })), session).kind).toBe('locked-out');
    expect(lockout(policy(allow({ AWS: `arn:aws:iam::444455556666:role/Deployer` })), session).kind).toBe('locked-out');
  });

  it("a caller whose IAM permissions are unknown + the account principal is unspecified", () => {
    const v = lockout(policy(allow({ AWS: ROOT })), user('bob', { kind: 'unknown' }));
    expect(v.kind).toBe('unspecified');
    if (v.kind === 'unspecified') expect(v.reason).toContain('IAM permissions are not known');
  });

  it('the account principal follows the known IAM permissions', () => {
    expect(lockout(policy(allow({ AWS: ACCT })), user('carol', { kind: 'known', actions: ['kms:Put*'] })).kind).toBe('allowed');
    expect(lockout(policy(allow({ AWS: ROOT })), user('dave', { kind: 'known', actions: ['kms:Encrypt', 's3:*'] })).kind).toBe('locked-out');
    expect(lockout(policy(allow({ AWS: 'arn:aws:iam::444455556666:root' }))).kind).toBe('locked-out');
  });

  it('a conditional Allow is unspecified', () => {
    const v = lockout(policy(allow({ AWS: DEFAULT_CALLER.arn }, 'kms:*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })));
    expect(v.kind).toBe('unspecified');
    if (v.kind === 'unspecified') expect(v.reason).toContain('aws:MultiFactorAuthPresent');
  });

  it('a Bool kms:BypassPolicyLockoutSafetyCheck condition is treated as context-dependent (decision 0105)', () => {
    const v = lockout(policy(allow({ AWS: DEFAULT_CALLER.arn }, 'kms:*', { Condition: { Bool: { 'kms:BypassPolicyLockoutSafetyCheck': false } } })));
    expect(v.kind).toBe('unspecified');
  });

  it('a conditional Allow plus an unconditional Allow is allowed', () => {
    const v = lockout(
      policy(allow({ AWS: DEFAULT_CALLER.arn }, 'kms:*', { Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } } }), allow({ AWS: ROOT }, 'kms:*', { Sid: 'iam' })),
    );
    expect(v).toEqual({ kind: 'allowed', by: 'statement 1 ("iam")' });
  });

  it('a conditional Deny next to an unconditional Allow is unspecified; an unconditional Deny decides', () => {
    const conditionalDeny = { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
    expect(lockout(policy(allow({ AWS: ROOT }), conditionalDeny)).kind).toBe('unspecified');
    expect(lockout(policy(allow({ AWS: ROOT }), { ...conditionalDeny, Condition: undefined })).kind).toBe('locked-out');
  });

  it('NotPrincipal with Deny denies everyone except the listed principals', () => {
    const deny = (listed: string) => ({ Effect: 'Deny', NotPrincipal: { AWS: listed }, Action: 'kms:*', Resource: '*' });
    expect(lockout(policy(allow('*'), deny(DEFAULT_CALLER.arn))).kind).toBe('allowed');
    expect(lockout(policy(allow('*'), deny(`arn:aws:iam::${ACCT}:user/someone-else`))).kind).toBe('locked-out');
  });

  it('statements without Action or Resource have no effect (B1 2025-06-05)', () => {
    expect(lockout(policy({ Effect: 'Allow', Principal: '*', Resource: '*' })).kind).toBe('locked-out');
    expect(lockout(policy({ Effect: 'Allow', Principal: '*', Action: 'kms:*' })).kind).toBe('locked-out');
  });

  it('Resource must cover the key', () => {
    expect(lockout(policy(allow('*', 'kms:*', { Resource: KEY_ARN }))).kind).toBe('allowed');
    expect(lockout(policy(allow('*', 'kms:*', { Resource: `arn:aws:kms:us-east-1:${ACCT}:key/*` }))).kind).toBe('allowed');
    expect(lockout(policy(allow('*', 'kms:*', { Resource: `arn:aws:kms:eu-west-1:${ACCT}:key/*` }))).kind).toBe('locked-out');
  });

  it('service principals never match an IAM caller', () => {
    expect(lockout(policy(allow({ Service: 'cloudtrail.amazonaws.com' }))).kind).toBe('locked-out');
  });

  it('wildcard actions: kms:Put*, *, and case-insensitive names allow; kms:Get* does not', () => {
    for (const a of ['kms:Put*', '*', 'KMS:putkeypolicy', 'kms:PutKey?olicy']) expect(lockout(policy(allow('*', a))).kind, a).toBe('allowed');
    for (const a of ['kms:Get*', 'kms:PutKeyPolicies', 's3:*']) expect(lockout(policy(allow('*', a))).kind, a).toBe('locked-out');
  });
});

describe('checkLockout properties', () => {
  const arbStatement = fc.record({
    Effect: fc.constant('Allow'),
    Principal: fc.oneof(fc.constant('*' as unknown), fc.record({ AWS: fc.constantFrom(ROOT, ACCT, `arn:aws:iam::${ACCT}:user/u1`, 'arn:aws:iam::444455556666:root') })),
    Action: fc.array(fc.constantFrom('kms:*', 'kms:Get*', 'kms:Decrypt', 'kms:PutKeyPolicy', '*'), { minLength: 1, maxLength: 3 }),
    Resource: fc.constantFrom('*', KEY_ARN),
    Condition: fc.option(fc.constant({ StringEquals: { 'aws:SourceVpc': 'vpc-1' } }), { nil: undefined }),
  });
  const arbCaller: fc.Arbitrary<Caller> = fc.record({
    arn: fc.constantFrom(DEFAULT_CALLER.arn, `arn:aws:iam::${ACCT}:user/u1`, `arn:aws:sts::${ACCT}:assumed-role/R/s1`),
    accountId: fc.constant(ACCT),
    iam: fc.oneof(fc.constant({ kind: 'unknown' } as const), fc.record({ kind: fc.constant('known' as const), actions: fc.array(fc.constantFrom('*', 'kms:*', 'kms:Get*')) })),
  });

  it('an unconditional Allow of kms:* for "*" and no Deny is never locked out', () => {
    fc.assert(
      fc.property(fc.array(arbStatement, { maxLength: 6 }), fc.nat(6), arbCaller, (others, at, caller) => {
        const statements: Record<string, unknown>[] = [...others];
        statements.splice(Math.min(at, statements.length), 0, allow('*'));
        expect(lockout(policy(...statements), caller).kind).toBe('allowed');
      }),
    );
  });

  it('adding an unconditional Deny of kms:* for "*" always locks out', () => {
    fc.assert(
      fc.property(fc.array(arbStatement, { maxLength: 6 }), arbCaller, (others, caller) => {
        const v = lockout(policy(...others, { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*' }), caller);
        expect(v.kind).toBe('locked-out');
      }),
    );
  });
});
