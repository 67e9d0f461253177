import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CALLER } from './identities.ts';
import { accepts, checkResponse, expected, expectedWire, mergeOutcomes, outcomeMatches, readErrorResponse } from './oracle.ts';
import { checkPolicy, DEFAULT_KEY_POLICY } from './policy/index.ts';
import { EXAMPLE_KEY_ID, EXAMPLE_WORLD, LOCKOUT_POLICY, exampleWire, stateKeyId } from './rules/examples.ts';
import { CONTRACT_VERSIONS } from './types.ts';
import type { ContractVersionId, Expectation, OracleRequest } from './types.ts';

const ACCOUNT = '111122223333';
const put = (input: Record<string, unknown>): OracleRequest => ({ operation: 'PutKeyPolicy', input });
const codes = (e: Expectation): string[] => (e.kind === 'decided' ? e.outcomes.map((o) => (o.kind === 'success' ? 'success' : o.code)) : ['unspecified']);
const isSuccess = (e: Expectation): boolean => e.kind === 'decided' && e.outcomes.length === 1 && e.outcomes[0]!.kind === 'success';

// ---------------------------------------------------------------------------------------------
// Seeds (shared/contract/seeds): each example request, copied verbatim.
// ---------------------------------------------------------------------------------------------

/** S-CLI key_policy.json. */
const CLI_POLICY = `{
    "Version" : "2012-10-17",
    "Id" : "key-default-1",
    "Statement" : [
        {
            "Sid" : "Enable IAM User Permissions",
            "Effect" : "Allow",
            "Principal" : {
                "AWS" : "arn:aws:iam::111122223333:root"
            },
            "Action" : "kms:*",
            "Resource" : "*"
        },
        {
            "Sid" : "Allow Use of Key",
            "Effect" : "Allow",
            "Principal" : {
                "AWS" : "arn:aws:iam::111122223333:user/test-user"
            },
            "Action" : [
                "kms:DescribeKey",
                "kms:ListKeys"
            ],
            "Resource" : "*"
        }
    ]
}`;

/** S-BOTO3 example Policy argument. */
const BOTO3_POLICY =
  '{\n    "Version": "2012-10-17",\n    "Id": "custom-policy-2016-12-07",\n    "Statement": [\n        {\n            "Sid": "Enable IAM User Permissions",\n            "Effect": "Allow",\n            "Principal": {\n                "AWS": "arn:aws:iam::111122223333:root"\n            },\n            "Action": "kms:*",\n            "Resource": "*"\n        },\n        {\n            "Sid": "Allow access for Key Administrators",\n            "Effect": "Allow",\n            "Principal": {\n                "AWS": [\n                    "arn:aws:iam::111122223333:user/ExampleAdminUser",\n                    "arn:aws:iam::111122223333:role/ExampleAdminRole"\n                ]\n            },\n            "Action": [\n                "kms:Create*",\n                "kms:Describe*",\n                "kms:Enable*",\n                "kms:List*",\n                "kms:Put*",\n                "kms:Update*",\n                "kms:Revoke*",\n                "kms:Disable*",\n                "kms:Get*",\n                "kms:Delete*",\n                "kms:ScheduleKeyDeletion",\n                "kms:CancelKeyDeletion"\n            ],\n            "Resource": "*"\n        },\n        {\n            "Sid": "Allow use of the key",\n            "Effect": "Allow",\n            "Principal": {\n                "AWS": "arn:aws:iam::111122223333:role/ExamplePowerUserRole"\n            },\n            "Action": [\n                "kms:Encrypt",\n                "kms:Decrypt",\n                "kms:ReEncrypt*",\n                "kms:GenerateDataKey*",\n                "kms:DescribeKey"\n            ],\n            "Resource": "*"\n        },\n        {\n            "Sid": "Allow attachment of persistent resources",\n            "Effect": "Allow",\n            "Principal": {\n                "AWS": "arn:aws:iam::111122223333:role/ExamplePowerUserRole"\n            },\n            "Action": [\n                "kms:CreateGrant",\n                "kms:ListGrants",\n                "kms:RevokeGrant"\n            ],\n            "Resource": "*",\n            "Condition": {\n                "Bool": {\n                    "kms:GrantIsForAWSResource": "true"\n                }\n            }\n        }\n    ]\n}\n';

/** S-QKMS request bodies (ApiExample request, Example 1, Example 2). */
const QKMS_ROOT_POLICY =
  '{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}';
const QKMS_USER_POLICY =
  '{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/username"},"Action":"kms:*","Resource":"*"}]}';

const SEEDS: readonly { name: string; request: OracleRequest; versions: readonly ContractVersionId[] }[] = [
  { name: 'S-CLI put-key-policy', request: put({ PolicyName: 'default', KeyId: EXAMPLE_KEY_ID, Policy: CLI_POLICY }), versions: CONTRACT_VERSIONS },
  { name: 'S-CLI get-key-policy', request: { operation: 'GetKeyPolicy', input: { PolicyName: 'default', KeyId: EXAMPLE_KEY_ID } }, versions: CONTRACT_VERSIONS },
  { name: 'S-BOTO3 put_key_policy', request: put({ KeyId: EXAMPLE_KEY_ID, Policy: BOTO3_POLICY, PolicyName: 'default' }), versions: CONTRACT_VERSIONS },
  { name: 'S-QKMS request syntax', request: put({ KeyId: EXAMPLE_KEY_ID, PolicyName: 'default', Policy: QKMS_ROOT_POLICY, BypassPolicyLockoutSafetyCheck: false }), versions: CONTRACT_VERSIONS },
  { name: 'S-QKMS example 1', request: put({ KeyId: EXAMPLE_KEY_ID, PolicyName: 'default', Policy: QKMS_ROOT_POLICY }), versions: CONTRACT_VERSIONS },
  { name: 'S-QKMS example 2 (bypass)', request: put({ KeyId: EXAMPLE_KEY_ID, PolicyName: 'default', Policy: QKMS_USER_POLICY, BypassPolicyLockoutSafetyCheck: true }), versions: CONTRACT_VERSIONS },
  { name: 'S-JS PutKeyPolicyCommand (no PolicyName)', request: put({ KeyId: EXAMPLE_KEY_ID, Policy: QKMS_ROOT_POLICY }), versions: ['2024-03-18', '2025-06-05'] },
];

describe('every seed example request is accepted where it is valid', () => {
  for (const seed of SEEDS) {
    for (const v of CONTRACT_VERSIONS) {
      const valid = seed.versions.includes(v);
      it(`${seed.name} under ${v}: ${valid ? 'success' : 'rejected'}`, () => {
        const e = expected(seed.request, EXAMPLE_WORLD, DEFAULT_CALLER, v);
        if (valid) expect(e).toMatchObject({ kind: 'decided', outcomes: [{ kind: 'success' }], violations: [] });
        else expect(e).toMatchObject({ kind: 'decided', violations: [{ ruleId: 'PutKeyPolicy.PolicyName.required' }] });
      });
    }
  }

  it('S-QKMS example 2 passes because of the bypass: without it the caller is locked out', () => {
    const withBypass = expected(SEEDS[5]!.request, EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05');
    expect(withBypass.rules).toContain('PutKeyPolicy.BypassPolicyLockoutSafetyCheck.skipsLockout');
    const without = expected(put({ KeyId: EXAMPLE_KEY_ID, PolicyName: 'default', Policy: QKMS_USER_POLICY }), EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05');
    expect(without).toMatchObject({ kind: 'decided', violations: [{ ruleId: 'PutKeyPolicy.Policy.lockout' }] });
  });

  it('the S-JS shape omitting PolicyName is "Member must not be null" under 2017-02-15', () => {
    const e = expected(SEEDS[6]!.request, EXAMPLE_WORLD, DEFAULT_CALLER, '2017-02-15');
    expect(e.violations[0]!.message).toBe("1 validation error detected: Value null at 'policyName' failed to satisfy constraint: Member must not be null");
    expect(codes(e)).toEqual(['ValidationException']);
  });
});

// ---------------------------------------------------------------------------------------------
// Real AWS responses recorded in the contract notes (§5.1, §5.2)
// ---------------------------------------------------------------------------------------------

describe('real AWS responses are reproduced (§5.1, §5.2)', () => {
  const arn = (id: string, region = 'us-east-1'): string => `arn:aws:kms:${region}:${ACCOUNT}:key/${id}`;
  const describe_ = (KeyId: string): Expectation => expected({ operation: 'DescribeKey', input: { KeyId } }, EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05');
  const observed400 = (code: string) => ({ kind: 'error', status: 400, code }) as const;

  it.each([
    ['absent key id', '0b0b0b0b-1111-4222-8333-444455556666', "Key 'arn:aws:kms:us-east-1:111122223333:key/0b0b0b0b-1111-4222-8333-444455556666' does not exist"],
    ['absent key ARN', arn('0b0b0b0b-1111-4222-8333-444455556666'), "Key 'arn:aws:kms:us-east-1:111122223333:key/0b0b0b0b-1111-4222-8333-444455556666' does not exist"],
    ['absent mrk id', 'mrk-d3b95762d3b95762d3b95762d3b95762', "Key 'arn:aws:kms:us-east-1:111122223333:key/mrk-d3b95762d3b95762d3b95762d3b95762' does not exist"],
    ['fake-key-id', 'fake-key-id', "Invalid keyId 'fake-key-id'"],
    ['UUID without hyphens', '134f2428cec14b25a1ae9048164dba47', "Invalid keyId '134f2428cec14b25a1ae9048164dba47'"],
    ['mrk-fake-key-id', 'mrk-fake-key-id', "Invalid keyId 'mrk-fake-key-id'"],
    ['key id of a key in another Region', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', "Key 'arn:aws:kms:us-east-1:111122223333:key/bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb' does not exist"],
    ['key ARN of another Region', arn('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'us-west-2'), 'Invalid arn us-west-2'],
  ])('DescribeKey, %s → 400 NotFoundException %j', (_name, keyId, message) => {
    const e = describe_(keyId);
    expect(e.violations[0]!.message).toBe(message);
    expect(accepts(e, observed400('NotFoundException'))).toBe(true);
    expect(accepts(e, { kind: 'error', status: 404, code: 'NotFoundException' })).toBe(true);
    expect(accepts(e, { kind: 'success', status: 200 })).toBe(false);
  });

  it('EnableKey on a PendingImport key → 400 KMSInvalidStateException "<arn> is pending import."', () => {
    const e = expected({ operation: 'EnableKey', input: { KeyId: stateKeyId('PendingImport') } }, EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05');
    expect(e.violations[0]!.message).toBe(`${arn(stateKeyId('PendingImport'))} is pending import.`);
    expect(accepts(e, observed400('KMSInvalidStateException'))).toBe(true);
    expect(accepts(e, { kind: 'error', status: 409, code: 'KMSInvalidStateException' })).toBe(true);
  });

  it('CreateKey with a 257-character tag value → "Value \'vvv…v\' at \'tags.1.member.tagValue\' …" (LS test_key_with_long_tag_value_raises_error)', () => {
    const v = 'v'.repeat(257);
    const e = expected({ operation: 'CreateKey', input: { Tags: [{ TagKey: 'k', TagValue: v }] } }, EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05');
    expect(e.violations.map((x) => [x.ruleId, x.message])).toEqual([
      ['CreateKey.Tags.member.TagValue.length.max', `1 validation error detected: Value '${v}' at 'tags.1.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256`],
    ]);
    expect(accepts(e, observed400('ValidationException'))).toBe(true);
  });

  it('lockout → 400 MalformedPolicyDocumentException "The new key policy will not allow you to update the key policy in the future." (TF)', () => {
    const e = expected(put({ KeyId: EXAMPLE_KEY_ID, Policy: LOCKOUT_POLICY }), EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05');
    expect(e.violations.map((v) => [v.ruleId, v.message])).toEqual([['PutKeyPolicy.Policy.lockout', 'The new key policy will not allow you to update the key policy in the future.']]);
    expect(accepts(e, observed400('MalformedPolicyDocumentException'))).toBe(true);
  });

  it('a principal that does not exist → "Policy contains a statement with one or more invalid principals." (ISS), for PutKeyPolicy and CreateKey', () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:root`, `arn:aws:iam::${ACCOUNT}:role/NotYetCreated`] }, Action: 'kms:*', Resource: '*' }],
    });
    for (const request of [put({ KeyId: EXAMPLE_KEY_ID, Policy: policy }), { operation: 'CreateKey' as const, input: { Policy: policy } }]) {
      const e = expected(request, EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05');
      expect(e.violations.map((v) => [v.ruleId, v.message])).toEqual([
        ['PutKeyPolicy.Policy.statement.principal.exists', 'Policy contains a statement with one or more invalid principals.'],
      ]);
    }
  });

  it('policies real AWS accepted (TF): {"AWS":"*"} + kms:*, duplicate Sids, a JSON boolean condition, a disabled key', () => {
    const st = (o: Record<string, unknown>) => ({ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*', ...o });
    const policies = [
      JSON.stringify({ Version: '2012-10-17', Statement: [st({})] }),
      JSON.stringify({ Version: '2012-10-17', Statement: [st({}), st({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } })] }),
      JSON.stringify({ Version: '2012-10-17', Statement: [st({ Condition: { Bool: { 'kms:GrantIsForAWSResource': true } } }), st({ Sid: 'x', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } })] }),
    ];
    for (const Policy of policies) expect(isSuccess(expected(put({ KeyId: EXAMPLE_KEY_ID, Policy }), EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05')), Policy).toBe(true);
    expect(isSuccess(expected(put({ KeyId: stateKeyId('Disabled'), Policy: policies[0] }), EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05'))).toBe(true);
  });

  it('the §8.5 table: PutKeyPolicy succeeds in every state, CancelKeyDeletion only when pending deletion', () => {
    const e = (op: 'PutKeyPolicy' | 'CancelKeyDeletion', state: Parameters<typeof stateKeyId>[0]) =>
      expected({ operation: op, input: op === 'PutKeyPolicy' ? { KeyId: stateKeyId(state), Policy: DEFAULT_KEY_POLICY(ACCOUNT) } : { KeyId: stateKeyId(state) } }, EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05');
    expect(isSuccess(e('PutKeyPolicy', 'PendingDeletion'))).toBe(true);
    expect(isSuccess(e('CancelKeyDeletion', 'PendingDeletion'))).toBe(true);
    expect(e('CancelKeyDeletion', 'Enabled').violations[0]!.message).toBe(`${arn(stateKeyId('Enabled'))} is not pending deletion.`);
  });
});

// ---------------------------------------------------------------------------------------------
// Valid requests of all thirteen operations, several violations, transient conditions
// ---------------------------------------------------------------------------------------------

describe('valid requests of every operation', () => {
  it.each([
    ['CreateKey', {}],
    ['CreateKey', { Policy: DEFAULT_KEY_POLICY(ACCOUNT), Description: 'd', Tags: [{ TagKey: 'a', TagValue: 'b' }], MultiRegion: true }],
    ['CreateKey', { Origin: 'EXTERNAL' }],
    ['GetKeyPolicy', { KeyId: EXAMPLE_KEY_ID }],
    ['ListKeyPolicies', { KeyId: EXAMPLE_KEY_ID, Limit: 1000, Marker: 'm' }],
    ['DescribeKey', { KeyId: 'alias/example', GrantTokens: ['t'] }],
    ['EnableKey', { KeyId: stateKeyId('Disabled') }],
    ['DisableKey', { KeyId: EXAMPLE_KEY_ID }],
    ['ScheduleKeyDeletion', { KeyId: EXAMPLE_KEY_ID }],
    ['ScheduleKeyDeletion', { KeyId: EXAMPLE_KEY_ID, PendingWindowInDays: 30 }],
    ['CancelKeyDeletion', { KeyId: stateKeyId('PendingDeletion') }],
    ['CreateAlias', { AliasName: 'alias/new', TargetKeyId: EXAMPLE_KEY_ID }],
    ['CreateAlias', { AliasName: 'alias/team/app_2-x', TargetKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${stateKeyId('Disabled')}` }],
    ['DeleteAlias', { AliasName: 'alias/example' }],
    ['ListAliases', {}],
    ['ListAliases', { KeyId: EXAMPLE_KEY_ID, Limit: 100 }],
    ['ListKeys', { Limit: 1000 }],
  ] as const)('%s %j → success', (operation, input) => {
    expect(isSuccess(expected({ operation, input }, EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05'))).toBe(true);
  });

  it('CreateKey without Policy under 2017-02-15 succeeds too (Policy was never required)', () => {
    expect(isSuccess(expected({ operation: 'CreateKey', input: {} }, EXAMPLE_WORLD, DEFAULT_CALLER, '2017-02-15'))).toBe(true);
  });

  it('CreateKey with a lockout policy is rejected unless bypassed', () => {
    expect(expected({ operation: 'CreateKey', input: { Policy: LOCKOUT_POLICY } }, EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05').violations[0]!.ruleId).toBe('PutKeyPolicy.Policy.lockout');
    expect(isSuccess(expected({ operation: 'CreateKey', input: { Policy: LOCKOUT_POLICY, BypassPolicyLockoutSafetyCheck: true } }, EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05'))).toBe(true);
  });
});

describe('alias and listing operations (decisions 0220, 0221)', () => {
  const run = (operation: OracleRequest['operation'], input: Record<string, unknown>, context?: OracleRequest['context'], caller = DEFAULT_CALLER): Expectation =>
    expected({ operation, input, ...(context ? { context } : {}) }, EXAMPLE_WORLD, caller, '2025-06-05');
  const first = (e: Expectation): string | undefined => e.violations[0]?.ruleId;

  it('CreateAlias without the prefix → the recorded ValidationException text (LS test_create_alias)', () => {
    const e = run('CreateAlias', { AliasName: 'ExampleAlias', TargetKeyId: EXAMPLE_KEY_ID });
    expect(first(e)).toBe('CreateAlias.AliasName.prefix');
    expect(e.violations[0]!.message).toBe('Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html');
    expect(codes(e)).toEqual(['ValidationException']);
  });

  it('CreateAlias: alias/aws/ is reserved (any 400 error), an existing name is AlreadyExistsException, "alias/" alone is unspecified', () => {
    const reserved = run('CreateAlias', { AliasName: 'alias/aws/ebs', TargetKeyId: EXAMPLE_KEY_ID });
    expect(first(reserved)).toBe('CreateAlias.AliasName.reserved');
    expect(accepts(reserved, { kind: 'error', status: 400, code: 'InvalidAliasNameException' })).toBe(true);
    expect(accepts(reserved, { kind: 'success', status: 200 })).toBe(false);
    const exists = run('CreateAlias', { AliasName: 'alias/example', TargetKeyId: stateKeyId('Enabled') });
    expect(first(exists)).toBe('CreateAlias.AliasName.exists');
    expect(accepts(exists, { kind: 'error', status: 400, code: 'AlreadyExistsException' })).toBe(true);
    expect(accepts(exists, { kind: 'error', status: 409, code: 'AlreadyExistsException' })).toBe(true);
    expect(run('CreateAlias', { AliasName: 'alias/', TargetKeyId: EXAMPLE_KEY_ID }).kind).toBe('unspecified');
  });

  it('CreateAlias with a colon: the model allows it, the prose does not, so both answers pass', () => {
    const e = run('CreateAlias', { AliasName: 'alias/a:b', TargetKeyId: EXAMPLE_KEY_ID });
    expect(accepts(e, { kind: 'success', status: 200 })).toBe(true);
    expect(accepts(e, { kind: 'error', status: 400, code: 'InvalidAliasNameException' })).toBe(true);
  });

  it('CreateAlias TargetKeyId follows the key identifier and key-state rules', () => {
    expect(first(run('CreateAlias', { AliasName: 'alias/x', TargetKeyId: 'alias/example' }))).toBe('KeyId.alias');
    expect(first(run('CreateAlias', { AliasName: 'alias/x', TargetKeyId: 'fake-key-id' }))).toBe('KeyId.malformed');
    const pending = run('CreateAlias', { AliasName: 'alias/x', TargetKeyId: stateKeyId('PendingDeletion') });
    expect(first(pending)).toBe('KeyState.CreateAlias.PendingDeletion');
    expect(pending.violations[0]!.message).toBe(`arn:aws:kms:us-east-1:${ACCOUNT}:key/${stateKeyId('PendingDeletion')} is pending deletion.`);
    expect(isSuccess(run('CreateAlias', { AliasName: 'alias/x', TargetKeyId: stateKeyId('PendingImport') }))).toBe(true);
    const creating = run('CreateAlias', { AliasName: 'alias/x', TargetKeyId: stateKeyId('Creating') });
    expect(creating).toMatchObject({ kind: 'unspecified', rules: expect.arrayContaining(['KeyState.CreateAlias.Creating']) });
    expect(first(run('CreateAlias', { AliasName: 'alias/x', TargetKeyId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' }))).toBe('Operation.awsManagedKey');
  });

  it('DeleteAlias: a missing alias is NotFoundException naming the alias ARN; the key state does not matter', () => {
    const e = run('DeleteAlias', { AliasName: 'alias/missing' });
    expect(first(e)).toBe('DeleteAlias.AliasName.notFound');
    expect(e.violations[0]!.message).toBe(`Alias arn:aws:kms:us-east-1:${ACCOUNT}:alias/missing is not found.`);
    expect(codes(run('DeleteAlias', { AliasName: 'missing' }))).toEqual(['ValidationException', 'NotFoundException']);
    const world = { ...EXAMPLE_WORLD, aliases: [{ name: 'alias/doomed', arn: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/doomed`, targetKeyId: stateKeyId('PendingDeletion') }] };
    expect(isSuccess(expected({ operation: 'DeleteAlias', input: { AliasName: 'alias/doomed' } }, world, DEFAULT_CALLER, '2025-06-05'))).toBe(true);
  });

  it('the key policy of the alias\'s key must allow kms:CreateAlias and kms:DeleteAlias; ListAliases needs only IAM', () => {
    const locked = 'dddddddd-dddd-4ddd-8ddd-dddddddddddd';
    expect(first(run('CreateAlias', { AliasName: 'alias/x', TargetKeyId: locked }))).toBe('Authorization.keyPolicy');
    expect(isSuccess(run('ListAliases', { KeyId: locked }))).toBe(true);
    const readOnly = { ...DEFAULT_CALLER, iam: { kind: 'known', actions: ['kms:Describe*'] } } as const;
    for (const [op, input] of [['ListKeys', {}], ['ListAliases', {}], ['DeleteAlias', { AliasName: 'alias/example' }]] as const) {
      expect(run(op, input, undefined, readOnly).violations.map((v) => v.ruleId), op).toContain('Authorization.iamPolicy');
    }
  });

  it('a Marker: continued when the target issued it, InvalidMarkerException when not, unspecified when nobody says', () => {
    for (const op of ['ListKeys', 'ListAliases'] as const) {
      expect(isSuccess(run(op, { Marker: 'm' }, { markerIssued: true })), op).toBe(true);
      const bad = run(op, { Marker: 'm' }, { markerIssued: false });
      expect(first(bad), op).toBe(`${op}.Marker.issued`);
      expect(accepts(bad, { kind: 'error', status: 400, code: 'InvalidMarkerException' }), op).toBe(true);
      expect(run(op, { Marker: 'm' }).kind, op).toBe('unspecified');
    }
  });

  it('ListAliases Limit 101..1000 passes the model but not the documentation: either answer passes', () => {
    const e = run('ListAliases', { Limit: 101 });
    expect(accepts(e, { kind: 'success', status: 200 })).toBe(true);
    expect(accepts(e, { kind: 'error', status: 400, code: 'ValidationException' })).toBe(true);
    expect(first(run('ListAliases', { Limit: 1001 }))).toBe('ListAliases.Limit.range.max');
  });

  it('checks listings: a complete first page names every key (alias); a truncated one carries NextMarker', () => {
    const ok = { 'x-amzn-requestid': 'r', 'content-type': 'application/x-amz-json-1.1' };
    const keys = EXAMPLE_WORLD.keys.filter((k) => k.accountId === ACCOUNT && k.region === 'us-east-1').map((k) => ({ KeyId: k.keyId, KeyArn: k.arn }));
    const ctx = (input: Record<string, unknown>, operation: 'ListKeys' | 'ListAliases' = 'ListKeys') => ({ request: { operation, input }, world: EXAMPLE_WORLD });
    const check = (body: unknown, input: Record<string, unknown> = {}, op: 'ListKeys' | 'ListAliases' = 'ListKeys') =>
      checkResponse(op, { status: 200, headers: ok, body: JSON.stringify(body) }, ctx(input, op)).map((f) => f.ruleId);
    expect(check({ Keys: keys, Truncated: false })).toEqual([]);
    expect(check({ Keys: keys.slice(1), Truncated: false })).toEqual(['ListKeys.output.keys']);
    expect(check({ Keys: keys.slice(1), Truncated: false }, { Marker: 'm' })).toEqual([]);
    expect(check({ Keys: keys.slice(0, 2), Truncated: true }, { Limit: 2 })).toEqual(['ListKeys.output.keys']);
    expect(check({ Aliases: [{ AliasName: 'alias/example', AliasArn: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/example`, TargetKeyId: EXAMPLE_KEY_ID }] }, {}, 'ListAliases')).toEqual([]);
    expect(check({ Aliases: [] }, {}, 'ListAliases')).toEqual(['ListAliases.output.aliases']);
  });
});

describe('several violations at once', () => {
  it('accepts the outcome of any violated rule, and records each', () => {
    const e = expected(put({ KeyId: 'fake-key-id', Policy: 'not json', PolicyName: 'foo' }), EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05');
    expect(e.violations.map((v) => v.ruleId)).toEqual(['PutKeyPolicy.PolicyName.onlyDefault', 'KeyId.malformed', 'PutKeyPolicy.Policy.document.json']);
    expect(e.kind).toBe('decided');
    for (const code of ['NotFoundException', 'MalformedPolicyDocumentException', 'UnsupportedOperationException']) expect(accepts(e, { kind: 'error', status: 400, code })).toBe(true);
    expect(accepts(e, { kind: 'success', status: 200 })).toBe(false);
  });

  it('member failures form one ValidationException listing each (as AWS: "2 validation errors detected")', () => {
    const e = expected(put({ KeyId: '', Policy: '', PolicyName: 'bad name!' }), EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05');
    // One ValidationException for the three member failures; the empty Policy is not JSON either (decision 0602).
    expect(e.violations.map((v) => v.ruleId)).toEqual(['PutKeyPolicy.KeyId.length.min', 'PutKeyPolicy.Policy.document.json']);
    expect(e.violations[0]!.message).toMatch(/^3 validation errors detected: Value '' at 'keyId' .*; Value '' at 'policy' .*; Value 'bad name!' at 'policyName' /);
    expect(e.rules).toEqual(['PutKeyPolicy.KeyId.length.min', 'PutKeyPolicy.Policy.length.min', 'PutKeyPolicy.PolicyName.pattern', 'PutKeyPolicy.Policy.document.json']);
  });

  it('a Policy over the model length also breaks the size quota: either answer is accepted', () => {
    const Policy = DEFAULT_KEY_POLICY(ACCOUNT) + ' '.repeat(131_073);
    const e = expected(put({ KeyId: EXAMPLE_KEY_ID, Policy, PolicyName: 'default' }), EXAMPLE_WORLD, DEFAULT_CALLER, '2017-02-15');
    expect(e.violations.map((v) => v.ruleId)).toEqual(['PutKeyPolicy.Policy.length.max', 'PutKeyPolicy.Policy.size.quota']);
    expect(accepts(e, { kind: 'error', status: 400, code: 'LimitExceededException' })).toBe(true);
    expect(accepts(e, { kind: 'error', status: 400, code: 'ValidationException' })).toBe(true);
    expect(accepts(e, { kind: 'success', status: 200 })).toBe(false);
  });

  it('over 32,768 bytes but not characters (Latin-1 text): success and LimitExceededException are both accepted', () => {
    const base = DEFAULT_KEY_POLICY(ACCOUNT);
    const Policy = base.replace('"Id" : "key-default-1"', `"Id" : "${'é'.repeat(20_000)}"`);
    expect(Buffer.byteLength(Policy)).toBeGreaterThan(32_768);
    expect([...Policy].length).toBeLessThanOrEqual(32_768);
    const e = expected(put({ KeyId: EXAMPLE_KEY_ID, Policy }), EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05');
    expect(codes(e)).toEqual(['success', 'LimitExceededException']);
  });

  it('a wrong JSON type is exclusive: nothing else is checked', () => {
    const e = expected(put({ KeyId: 'fake-key-id', Policy: 42 }), EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05');
    expect(e.rules).toEqual(['PutKeyPolicy.Policy.type']);
    expect(codes(e)).toEqual(['SerializationException', 'ValidationException']);
  });

  it('a wrong JSON type gets the wire layer\'s SerializationException text', () => {
    const direct = expected(put({ KeyId: 5, Policy: 'p' }), EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05');
    const wire = expectedWire(exampleWire('PutKeyPolicy', '{"KeyId":5,"Policy":"p"}'), EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05');
    expect(direct.violations.map((v) => v.message)).toEqual(['NUMBER_VALUE can not be converted to a String']);
    expect(wire.violations.map((v) => v.message)).toEqual(direct.violations.map((v) => v.message));
  });
});

describe('unspecified cases', () => {
  it('a principal of another account is unspecified, with the mock fallback success', () => {
    const policy = QKMS_ROOT_POLICY.replace('"kms:*","Resource":"*"}]', '"kms:*","Resource":"*"},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/Other"},"Action":"kms:Decrypt","Resource":"*"}]');
    const e = expected(put({ KeyId: EXAMPLE_KEY_ID, Policy: policy }), EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05');
    expect(e).toMatchObject({ kind: 'unspecified', fallback: { outcome: { kind: 'success' } } });
    expect(accepts(e, { kind: 'success', status: 200 })).toBeUndefined();
  });

  it('a violation wins over an unspecified finding', () => {
    const policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/Other"},"Action":"kms:*","Resource":"*"}]}';
    const e = expected(put({ KeyId: 'fake-key-id', Policy: policy }), EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05');
    expect(e.kind).toBe('decided');
    expect(e.rules).toContain('PutKeyPolicy.Policy.statement.principal.exists');
  });
});

describe('transient conditions', () => {
  it('throttling above the quota adds ThrottlingException, never removes success', () => {
    const e = expected({ operation: 'PutKeyPolicy', input: { KeyId: EXAMPLE_KEY_ID, Policy: DEFAULT_KEY_POLICY(ACCOUNT) }, context: { requestsPerSecond: 16 } }, EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05');
    expect(codes(e)).toEqual(['success', 'ThrottlingException']);
    const below = expected({ operation: 'PutKeyPolicy', input: { KeyId: EXAMPLE_KEY_ID, Policy: DEFAULT_KEY_POLICY(ACCOUNT) }, context: { requestsPerSecond: 15 } }, EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05');
    expect(codes(below)).toEqual(['success']);
  });

  it('right after a change, NotFoundException and KMSInvalidStateException are also accepted', () => {
    const e = expected({ operation: 'GetKeyPolicy', input: { KeyId: EXAMPLE_KEY_ID }, context: { msSinceKeyChange: 500 } }, EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05');
    expect(codes(e)).toEqual(['success', 'NotFoundException', 'KMSInvalidStateException']);
  });
});

// ---------------------------------------------------------------------------------------------
// Raw wire requests and responses
// ---------------------------------------------------------------------------------------------

describe('expectedWire and checkResponse', () => {
  it('decodes a raw PutKeyPolicy and applies the oracle', () => {
    const body = JSON.stringify({ KeyId: EXAMPLE_KEY_ID, Policy: DEFAULT_KEY_POLICY(ACCOUNT) });
    expect(isSuccess(expectedWire(exampleWire('PutKeyPolicy', body), EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05'))).toBe(true);
    expect(codes(expectedWire(exampleWire('PutKeyPolicy', '{'), EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05'))).toEqual(['SerializationException']);
  });

  it('reads error types the way the SDK does and checks statuses', () => {
    const headers = { 'x-amzn-requestid': 'r' };
    expect(readErrorResponse({ status: 400, headers, body: '{"__type":"com.amazonaws.kms#NotFoundException:http://x/","Message":"m"}' })).toEqual({
      kind: 'error',
      code: 'NotFoundException',
      rawType: 'com.amazonaws.kms#NotFoundException:http://x/',
      message: 'm',
    });
    expect(checkResponse('DescribeKey', { status: 400, headers, body: '{"__type":"NotFoundException","message":"m"}' })).toEqual([]);
    expect(checkResponse('DescribeKey', { status: 409, headers, body: '{"__type":"KMSInvalidStateException","message":"m"}' })).toEqual([
      expect.objectContaining({ kind: 'noted', ruleId: 'ErrorStatus.observed400' }),
    ]);
    expect(checkResponse('DescribeKey', { status: 400, headers: {}, body: '' }).map((f) => f.ruleId)).toEqual(['Wire.success.requestId', 'Wire.error.shape']);
  });

  it('member names and error types that are Object.prototype properties are unknown, not modelled (no throw)', () => {
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      const body = `{"KeyId":"${EXAMPLE_KEY_ID}",${JSON.stringify(name)}:"x"}`;
      const e = expectedWire(exampleWire('DescribeKey', body), EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05');
      expect(e.rules).toContain('Wire.member.unknown');
      expect(accepts(e, { kind: 'success', status: 200 })).toBe(true);
    }
    expect(expected({ operation: 'DescribeKey', input: { KeyId: EXAMPLE_KEY_ID, toString: 'x' } }, EXAMPLE_WORLD, DEFAULT_CALLER, '2025-06-05').rules).toContain('Wire.member.unknown');
    for (const type of ['toString', 'constructor', 'valueOf']) {
      expect(checkResponse('DescribeKey', { status: 400, headers: { 'x-amzn-requestid': 'r' }, body: JSON.stringify({ __type: type, message: 'm' }) })).toEqual([]);
    }
  });

  it('matches outcomes by normalised code and status', () => {
    const nf = { kind: 'error', code: 'NotFoundException', statuses: [400, 404] } as const;
    expect(outcomeMatches(nf, { kind: 'error', status: 404, code: 'com.amazonaws.kms#NotFoundException' })).toBe(true);
    expect(outcomeMatches(nf, { kind: 'error', status: 500, code: 'NotFoundException' })).toBe(false);
    expect(outcomeMatches({ kind: 'error', code: '*', statuses: [400] }, { kind: 'error', status: 400, code: 'Anything' })).toBe(true);
    expect(mergeOutcomes([[nf], [{ kind: 'error', code: 'NotFoundException', statuses: [400] }], [{ kind: 'success' }, { kind: 'success' }]])).toEqual([nf, { kind: 'success' }]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const PRINCIPALS = [
  `arn:aws:iam::${ACCOUNT}:root`,
  ACCOUNT,
  '*',
  `arn:aws:iam::${ACCOUNT}:role/Admin`,
  `arn:aws:iam::${ACCOUNT}:user/test-user`,
  `arn:aws:iam::${ACCOUNT}:role/ExampleAdminRole`,
];
const ACTIONS = ['kms:*', 'kms:PutKeyPolicy', 'kms:Describe*', 'kms:Encrypt', 'kms:Get*', 'kms:List*', 'kms:ScheduleKeyDeletion'];

const statementArb = fc.record({
  Sid: fc.option(fc.stringMatching(/^[A-Za-z0-9 ]{1,20}$/), { nil: undefined }),
  Effect: fc.constantFrom('Allow', 'Deny'),
  Principal: fc.oneof(fc.constant('*' as unknown), fc.record({ AWS: fc.oneof(fc.constantFrom(...PRINCIPALS), fc.uniqueArray(fc.constantFrom(...PRINCIPALS), { minLength: 1, maxLength: 3 })) })),
  Action: fc.oneof(fc.constantFrom(...ACTIONS), fc.uniqueArray(fc.constantFrom(...ACTIONS), { minLength: 1, maxLength: 4 })),
  Resource: fc.constant('*'),
});
const policyArb = fc
  .record({ Id: fc.option(fc.constantFrom('key-default-1', 'custom-policy-2016-12-07'), { nil: undefined }), Statement: fc.array(statementArb, { minLength: 1, maxLength: 4 }) })
  .map(({ Id, Statement }) => JSON.stringify({ Version: '2012-10-17', ...(Id ? { Id } : {}), Statement }));
const versionArb = fc.constantFrom(...CONTRACT_VERSIONS);
const POLICY_RULE = /^PutKeyPolicy\.Policy\.(document|statement)\./;

describe('oracle properties (fast-check)', () => {
  it('a policy that passes the checker never yields a policy-rule error', () => {
    fc.assert(
      fc.property(policyArb, versionArb, fc.boolean(), (policy, version, bypass) => {
        const findings = checkPolicy(policy, { version, accountId: ACCOUNT, partition: 'aws', principals: EXAMPLE_WORLD.principals });
        fc.pre(findings.length === 0);
        const e = expected(put({ KeyId: EXAMPLE_KEY_ID, Policy: policy, PolicyName: 'default', BypassPolicyLockoutSafetyCheck: bypass }), EXAMPLE_WORLD, DEFAULT_CALLER, version);
        expect(e.violations.filter((v) => POLICY_RULE.test(v.ruleId))).toEqual([]);
        if (bypass) expect(isSuccess(e)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('an over-long policy (more than 32,768 characters) never yields success', () => {
    fc.assert(
      fc.property(
        fc.oneof(policyArb, fc.constant('not a policy'), fc.constant(DEFAULT_KEY_POLICY(ACCOUNT))),
        fc.integer({ min: 32_769, max: 140_000 }),
        versionArb,
        fc.boolean(),
        fc.constantFrom('PutKeyPolicy', 'CreateKey'),
        (policy, targetLength, version, bypass, operation) => {
          const padded = policy + ' '.repeat(Math.max(0, targetLength - policy.length));
          const input = operation === 'PutKeyPolicy' ? { KeyId: EXAMPLE_KEY_ID, Policy: padded, PolicyName: 'default', BypassPolicyLockoutSafetyCheck: bypass } : { Policy: padded, BypassPolicyLockoutSafetyCheck: bypass };
          const e = expected({ operation, input }, EXAMPLE_WORLD, DEFAULT_CALLER, version);
          expect(e.kind).toBe('decided');
          expect(accepts(e, { kind: 'success', status: 200 })).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('for any JSON input: never throws, outcomes are non-empty, every violation is a listed rule and its outcomes are accepted', () => {
    const json = fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }));
    const opArb = fc.constantFrom('PutKeyPolicy', 'GetKeyPolicy', 'ListKeyPolicies', 'CreateKey', 'DescribeKey', 'EnableKey', 'DisableKey', 'ScheduleKeyDeletion', 'CancelKeyDeletion') as fc.Arbitrary<OracleRequest['operation']>;
    const inputArb = fc.dictionary(
      fc.constantFrom('KeyId', 'Policy', 'PolicyName', 'BypassPolicyLockoutSafetyCheck', 'Limit', 'Marker', 'PendingWindowInDays', 'KeySpec', 'GrantTokens', 'Unknown', 'toString', 'constructor'),
      fc.oneof(json, fc.constantFrom(EXAMPLE_KEY_ID, 'default', DEFAULT_KEY_POLICY(ACCOUNT), 7, 'alias/example')),
    );
    fc.assert(
      fc.property(opArb, inputArb, versionArb, (operation, input, version) => {
        const e = expected({ operation, input }, EXAMPLE_WORLD, DEFAULT_CALLER, version);
        for (const v of e.violations) {
          expect(e.rules).toContain(v.ruleId);
          if (e.kind === 'decided') for (const o of v.outcomes) expect(e.outcomes).toContainEqual(expect.objectContaining(o.kind === 'success' ? { kind: 'success' } : { code: o.code }));
        }
        if (e.kind === 'decided') expect(e.outcomes.length).toBeGreaterThan(0);
        if (e.kind === 'decided' && e.violations.length > 0) expect(accepts(e, { kind: 'success', status: 200 })).toBe(e.outcomes.some((o) => o.kind === 'success'));
      }),
      { numRuns: 300 },
    );
  });
});
