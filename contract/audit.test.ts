/**
 * Audit tests (decisions 0500–0504): defects found in the contract layer, each pinned by a test
 * that failed before its fix.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CALLER, keyArn } from './identities.ts';
import { checkResponse, expected } from './oracle.ts';
import { DEFAULT_KEY_POLICY } from './policy/index.ts';
import { ABSENT_KEY_ID, EXAMPLE_KEY_ID, EXAMPLE_LOCKED_KEY_ID, EXAMPLE_WORLD, LOCKOUT_POLICY, examplePolicy, exampleStatement } from './rules/examples.ts';
import { ruleById } from './rules/index.ts';
import type { Caller, Expectation, OperationName, OracleRequest } from './types.ts';

const V = '2025-06-05';
const put = (input: Record<string, unknown>): OracleRequest => ({ operation: 'PutKeyPolicy', input });
const codes = (e: Expectation): string[] => (e.kind === 'decided' ? e.outcomes.map((o) => (o.kind === 'success' ? 'success' : o.code)) : ['unspecified']);

describe('several problems at once: an open question does not narrow the accepted outcomes (decision 0500)', () => {
  it('an absent key and a principal the directory cannot verify: NotFound or MalformedPolicyDocument', () => {
    const policy = examplePolicy([exampleStatement(), exampleStatement({ Sid: 'Partner', Principal: { AWS: 'arn:aws:iam::444455556666:role/Partner' } })]);
    const e = expected(put({ KeyId: ABSENT_KEY_ID, Policy: policy }), EXAMPLE_WORLD, DEFAULT_CALLER, V);
    expect(e.kind).toBe('decided');
    expect(codes(e)).toEqual(expect.arrayContaining(['NotFoundException', 'MalformedPolicyDocumentException']));
    expect(codes(e)).not.toContain('success');
    expect(e.rules).toContain('PutKeyPolicy.Policy.statement.principal.exists');
  });

  it('an absent key and NotPrincipal with Deny: NotFound or MalformedPolicyDocument', () => {
    const policy = examplePolicy([exampleStatement(), { Effect: 'Deny', NotPrincipal: { AWS: DEFAULT_CALLER.arn }, Action: 'kms:*', Resource: '*' }]);
    const e = expected(put({ KeyId: ABSENT_KEY_ID, Policy: policy }), EXAMPLE_WORLD, DEFAULT_CALLER, V);
    expect(codes(e)).toEqual(expect.arrayContaining(['NotFoundException', 'MalformedPolicyDocumentException']));
    expect(codes(e)).not.toContain('success');
  });

  it('an absent key and a lockout policy: the lockout is recorded too, NotFound or MalformedPolicyDocument', () => {
    const e = expected(put({ KeyId: ABSENT_KEY_ID, Policy: LOCKOUT_POLICY }), EXAMPLE_WORLD, DEFAULT_CALLER, V);
    expect(e.violations.map((v) => v.ruleId)).toEqual(['KeyId.notFound', 'PutKeyPolicy.Policy.lockout']);
    expect(codes(e)).toEqual(['NotFoundException', 'MalformedPolicyDocumentException']);
    const bypass = expected(put({ KeyId: ABSENT_KEY_ID, Policy: LOCKOUT_POLICY, BypassPolicyLockoutSafetyCheck: true }), EXAMPLE_WORLD, DEFAULT_CALLER, V);
    expect(codes(bypass)).toEqual(['NotFoundException']);
  });

  it('without a violation an open question stays unspecified', () => {
    const policy = examplePolicy([exampleStatement(), exampleStatement({ Sid: 'Partner', Principal: { AWS: 'arn:aws:iam::444455556666:role/Partner' } })]);
    expect(expected(put({ KeyId: EXAMPLE_KEY_ID, Policy: policy }), EXAMPLE_WORLD, DEFAULT_CALLER, V).kind).toBe('unspecified');
  });
});

describe('required permissions: the key policy in force must allow the caller (decision 0501)', () => {
  it('has the rule, quoting "Required permissions: kms:PutKeyPolicy (key policy)"', () => {
    const r = ruleById('Authorization.keyPolicy');
    expect(r?.sources.map((s) => s.quote)).toContain('Required permissions: kms:PutKeyPolicy (key policy)');
  });

  it('a caller the key policy allows only kms:Describe* gets AccessDeniedException for PutKeyPolicy and GetKeyPolicy', () => {
    const p = expected(put({ KeyId: EXAMPLE_LOCKED_KEY_ID, Policy: DEFAULT_KEY_POLICY('111122223333') }), EXAMPLE_WORLD, DEFAULT_CALLER, V);
    expect(p.violations.map((v) => v.ruleId)).toContain('Authorization.keyPolicy');
    expect(codes(p)).toEqual(['AccessDeniedException']);
    const arn = keyArn(EXAMPLE_LOCKED_KEY_ID, 'us-east-1', '111122223333');
    expect(p.violations[0]!.message).toBe(
      `User: ${DEFAULT_CALLER.arn} is not authorized to perform: kms:PutKeyPolicy on resource: ${arn} because no resource-based policy allows the kms:PutKeyPolicy action`,
    );
    const g = expected({ operation: 'GetKeyPolicy', input: { KeyId: EXAMPLE_LOCKED_KEY_ID } }, EXAMPLE_WORLD, DEFAULT_CALLER, V);
    expect(codes(g)).toEqual(['AccessDeniedException']);
  });

  it('the same caller may still DescribeKey (kms:Describe* is allowed)', () => {
    const d = expected({ operation: 'DescribeKey', input: { KeyId: EXAMPLE_LOCKED_KEY_ID } }, EXAMPLE_WORLD, DEFAULT_CALLER, V);
    expect(codes(d)).toEqual(['success']);
  });

  it('the default policy delegates to IAM: a caller without IAM permission for the action is denied, unknown IAM is unspecified', () => {
    const describer: Caller = { ...DEFAULT_CALLER, iam: { kind: 'known', actions: ['kms:Describe*'] } };
    const ops: OperationName[] = ['GetKeyPolicy', 'ListKeyPolicies', 'EnableKey', 'DisableKey'];
    for (const op of ops) {
      expect(codes(expected({ operation: op, input: { KeyId: EXAMPLE_KEY_ID } }, EXAMPLE_WORLD, describer, V)), op).toEqual(['AccessDeniedException']);
    }
    expect(codes(expected({ operation: 'DescribeKey', input: { KeyId: EXAMPLE_KEY_ID } }, EXAMPLE_WORLD, describer, V))).toEqual(['success']);
    const unknown: Caller = { ...DEFAULT_CALLER, iam: { kind: 'unknown' } };
    expect(expected({ operation: 'GetKeyPolicy', input: { KeyId: EXAMPLE_KEY_ID } }, EXAMPLE_WORLD, unknown, V).kind).toBe('unspecified');
  });

  it('CreateKey needs kms:CreateKey in the caller\'s IAM policy', () => {
    const describer: Caller = { ...DEFAULT_CALLER, iam: { kind: 'known', actions: ['kms:Describe*'] } };
    expect(codes(expected({ operation: 'CreateKey', input: {} }, EXAMPLE_WORLD, describer, V))).toEqual(['AccessDeniedException']);
    expect(codes(expected({ operation: 'CreateKey', input: {} }, EXAMPLE_WORLD, DEFAULT_CALLER, V))).toEqual(['success']);
  });
});

describe('error statuses of server faults and framework errors (decision 0502)', () => {
  const res = (status: number, type: string) => ({ status, headers: { 'x-amzn-requestid': 'r' }, body: JSON.stringify({ __type: type, message: 'm' }) });
  const ids = (status: number, type: string): string[] => checkResponse('PutKeyPolicy', res(status, type)).filter((f) => f.kind === 'violation').map((f) => f.ruleId);

  it('a modelled server fault carries a 5xx status (model: KMSInternalException 500, DependencyTimeoutException 503)', () => {
    expect(ids(500, 'KMSInternalException')).toEqual([]);
    expect(ids(503, 'DependencyTimeoutException')).toEqual([]);
    expect(ids(400, 'KMSInternalException')).toContain('ErrorStatus.serverFault');
    expect(ids(200 + 209, 'DependencyTimeoutException')).toContain('ErrorStatus.serverFault');
  });

  it('framework errors carry a status of the Common Errors pages (§6)', () => {
    expect(ids(400, 'ValidationException')).toEqual([]);
    expect(ids(403, 'AccessDeniedException')).toEqual([]);
    expect(ids(400, 'AccessDeniedException')).toEqual([]);
    expect(ids(413, 'RequestEntityTooLargeException')).toEqual([]);
    expect(ids(500, 'ValidationException')).toContain('ErrorStatus.framework');
    expect(ids(404, 'ThrottlingException')).toContain('ErrorStatus.framework');
    expect(ids(400, 'ExpiredTokenException')).toContain('ErrorStatus.framework');
  });
});

describe('key ids in upper case (decision 0504)', () => {
  it('an upper-case spelling of an existing key id is unspecified, not a guessed NotFound', () => {
    const e = expected(put({ KeyId: EXAMPLE_KEY_ID.toUpperCase(), Policy: DEFAULT_KEY_POLICY('111122223333') }), EXAMPLE_WORLD, DEFAULT_CALLER, V);
    expect(e.kind).toBe('unspecified');
    expect(e.rules).toContain('KeyId.malformed');
  });

  it('an upper-case id that matches no key fails with NotFoundException either way', () => {
    const e = expected({ operation: 'DescribeKey', input: { KeyId: ABSENT_KEY_ID.toUpperCase() } }, EXAMPLE_WORLD, DEFAULT_CALLER, V);
    expect(codes(e)).toEqual(['NotFoundException']);
  });
});

describe('response Content-Type (decision 0507)', () => {
  const body = JSON.stringify({ PolicyNames: ['default'], Truncated: false });
  const ids = (headers: Record<string, string>, status = 200, b = body): string[] => checkResponse('ListKeyPolicies', { status, headers: { 'x-amzn-requestid': 'r', ...headers }, body: b }).map((f) => f.ruleId);

  it('a JSON answer labelled application/json or text/html breaks Wire.response.contentType', () => {
    expect(ids({ 'content-type': 'application/json' })).toContain('Wire.response.contentType');
    expect(ids({ 'content-type': 'text/html' }, 400, '{"__type":"NotFoundException","message":"m"}')).toContain('Wire.response.contentType');
  });

  it('application/x-amz-json-1.1 (with parameters) passes; an absent header is not judged', () => {
    expect(ids({ 'content-type': 'application/x-amz-json-1.1' })).toEqual([]);
    expect(ids({ 'Content-Type': 'application/x-amz-json-1.1; charset=utf-8' })).toEqual([]);
    expect(ids({})).toEqual([]);
  });
});
