import { describe, expect, it } from 'vitest';
import { expected } from '../contract/oracle.ts';
import { DIVERGENCES, coerceMembers, divergeExpectation, divergeResponse } from './divergences.ts';
import type { DivergenceName } from './divergences.ts';
import { createMockHandler } from './handler.ts';
import { KmsModel } from './model/kms-model.ts';

const policy = (principal: string, action = 'kms:*', pad = '') =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: `s${pad}`, Effect: 'Allow', Principal: { AWS: principal }, Action: action, Resource: '*' }] });

const LOCKOUT = policy('arn:aws:iam::111122223333:role/Admin', 'kms:Get*');
const GHOST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' },
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/Ghost' }, Action: 'kms:Decrypt', Resource: '*' },
  ],
});
const HUGE = policy('*', 'kms:*', 'x'.repeat(33_000));

function put(divergences: DivergenceName[], input: Record<string, unknown>) {
  const m = new KmsModel({ divergences });
  const keyId = String(m.seedKey().KeyId);
  return m.handle('PutKeyPolicy', { KeyId: keyId, ...input }, m.defaultCaller());
}

describe('divergence profiles', () => {
  it('are off by default: the contract answers stand', () => {
    expect(put([], { Policy: LOCKOUT })).toMatchObject({ kind: 'error', code: 'MalformedPolicyDocumentException' });
    expect(put([], { Policy: GHOST })).toMatchObject({ kind: 'error', code: 'MalformedPolicyDocumentException' });
    expect(put([], { Policy: HUGE })).toMatchObject({ kind: 'error', code: 'LimitExceededException' });
    expect(put([], { Policy: policy('*'), PolicyName: 'foo' })).toMatchObject({ kind: 'error', code: 'NotFoundException' });
  });

  it.each([
    ['skip-lockout-check', LOCKOUT],
    ['skip-principal-check', GHOST],
    ['skip-size-quota', HUGE],
  ] as const)('%s accepts what the contract rejects', (name, p) => {
    expect(put([name], { Policy: p }).kind).toBe('success');
  });

  it('skipping one check leaves the others in force', () => {
    expect(put(['skip-lockout-check'], { Policy: GHOST })).toMatchObject({ kind: 'error', code: 'MalformedPolicyDocumentException', message: 'Policy contains a statement with one or more invalid principals.' });
  });

  it('policy-name-required rejects an omitted PolicyName the way the pre-2024-03 model did', () => {
    expect(put([], { Policy: policy('*') }).kind).toBe('success');
    expect(put(['policy-name-required'], { Policy: policy('*') })).toEqual({
      kind: 'error',
      code: 'ValidationException',
      status: 400,
      message: "1 validation error detected: Value null at 'policyName' failed to satisfy constraint: Member must not be null",
      ruleId: 'PutKeyPolicy.PolicyName.required',
    });
    expect(put(['policy-name-required'], { Policy: policy('*'), PolicyName: 'default' }).kind).toBe('success');
    const m = new KmsModel({ divergences: ['policy-name-required'] });
    const keyId = String(m.seedKey().KeyId);
    expect(m.handle('GetKeyPolicy', { KeyId: keyId }, m.defaultCaller())).toMatchObject({ kind: 'error', code: 'ValidationException' });
    expect(m.handle('ListKeyPolicies', { KeyId: keyId }, m.defaultCaller()).kind).toBe('success');
  });

  it('reformat-policy returns compact JSON instead of the text as sent', () => {
    const m = new KmsModel({ divergences: ['reformat-policy'] });
    const keyId = String(m.seedKey().KeyId);
    const got = m.handle('GetKeyPolicy', { KeyId: keyId }, m.defaultCaller());
    expect(got).toMatchObject({ kind: 'success', output: { Policy: expect.not.stringContaining('\n') } });
  });

  it('omit-request-id drops x-amzn-RequestId', async () => {
    const h = createMockHandler(new KmsModel({ divergences: ['omit-request-id'] }));
    const r = await h.handle({ method: 'POST', url: '/', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.CreateKey' }, body: new Uint8Array() });
    expect(r.kind === 'response' && r.response.status).toBe(200);
    expect(r.kind === 'response' && r.response.headers['x-amzn-requestid']).toBeUndefined();
    const normal = await createMockHandler(new KmsModel()).handle({ method: 'POST', url: '/', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.CreateKey' }, body: new Uint8Array() });
    expect(normal.kind === 'response' && normal.response.headers['x-amzn-requestid']).toMatch(/\S/);
  });

  it('unknown profile names are refused', () => {
    expect(() => new KmsModel({ divergences: ['nope' as DivergenceName] })).toThrow(/unknown profile "nope"/);
    expect(Object.keys(DIVERGENCES).length).toBeGreaterThanOrEqual(20);
  });
});

describe('divergence profiles off change nothing', () => {
  it('divergeResponse and divergeExpectation return what they were given when no profile is on', () => {
    const response = { status: 400, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'r' }, body: '{"__type":"NotFoundException","message":"m"}' };
    expect(divergeResponse(response, new Set(), true)).toBe(response);
    const m = new KmsModel();
    const e = expected({ operation: 'PutKeyPolicy', input: { KeyId: 'nope', Policy: '{}' } }, m.world(), m.defaultCaller(), m.options.contractVersion);
    expect(divergeExpectation(e, new Set(), { operation: 'PutKeyPolicy', input: { KeyId: 'nope', Policy: '{}' } }, m.world())).toBe(e);
  });

  it('html-errors touches only wire-level errors; missing-error-type keeps the message', () => {
    const error = { status: 400, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'r', 'content-length': '44' }, body: '{"__type":"NotFoundException","message":"m"}' };
    expect(divergeResponse(error, new Set(['html-errors']), false)).toEqual(error);
    expect(divergeResponse(error, new Set(['html-errors']), true)).toMatchObject({ status: 400, headers: { 'content-type': 'text/html; charset=utf-8' }, body: expect.stringContaining('<html>') });
    expect(divergeResponse(error, new Set(['missing-error-type']), false)).toEqual({ ...error, headers: { ...error.headers, 'content-length': '15' }, body: '{"message":"m"}' });
  });

  it('limit-exceeded-429 changes the status of LimitExceededException alone, with or without a namespace, also when __type is taken out', () => {
    const limit = { status: 400, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'r' }, body: '{"__type":"LimitExceededException","message":"too big"}' };
    expect(divergeResponse(limit, new Set(['limit-exceeded-429']), false)).toEqual({ ...limit, status: 429 });
    const namespaced = { ...limit, body: '{"__type":"com.amazonaws.kms#LimitExceededException","message":"too big"}' };
    expect(divergeResponse(namespaced, new Set(['limit-exceeded-429']), false).status).toBe(429);
    expect(divergeResponse(limit, new Set(['limit-exceeded-429', 'missing-error-type']), false)).toMatchObject({ status: 429, body: '{"message":"too big"}' });
    const other = { ...limit, body: '{"__type":"NotFoundException","message":"m"}' };
    expect(divergeResponse(other, new Set(['limit-exceeded-429']), false)).toEqual(other);
    expect(divergeResponse({ ...limit, status: 200, body: '' }, new Set(['limit-exceeded-429']), false).status).toBe(200);
  });

  it('size-quota-32000 refuses policies of 32,001 bytes and more, and leaves smaller ones and the real quota violation alone', () => {
    const m = new KmsModel();
    const key = m.seedKey();
    const base = policy(`arn:aws:iam::${m.options.accountId}:root`);
    const sized = (bytes: number) => base + ' '.repeat(bytes - base.length);
    const expectFor = (bytes: number) => {
      const request = { operation: 'PutKeyPolicy' as const, input: { KeyId: key.KeyId!, Policy: sized(bytes) } };
      const e = expected(request, m.world(), m.defaultCaller(), m.options.contractVersion);
      return { e, diverged: divergeExpectation(e, new Set(['size-quota-32000']), request, m.world()) };
    };
    const at32000 = expectFor(32_000);
    expect(at32000.e).toMatchObject({ kind: 'decided', outcomes: [{ kind: 'success' }] });
    expect(at32000.diverged).toBe(at32000.e);
    const at32768 = expectFor(32_768);
    expect(at32768.e).toMatchObject({ kind: 'decided', outcomes: [{ kind: 'success' }] });
    expect(at32768.diverged.violations.map((v) => [v.ruleId, v.respondWith])).toEqual([['PutKeyPolicy.Policy.size.quota', { code: 'LimitExceededException', status: 400 }]]);
    expect(at32768.diverged.violations[0]!.message).toBe('The key policy is 32768 bytes; the key policy document size quota is 32000 bytes.');
    const over = expectFor(40_000);
    expect(over.diverged.violations.map((v) => v.ruleId)).toEqual(['PutKeyPolicy.Policy.size.quota']);
    expect(over.diverged).toBe(over.e);
  });

  it('policy-pattern-ascii refuses a policy with a character from U+0080 to U+00FF, naming the pattern, and leaves ASCII policies alone', () => {
    const m = new KmsModel();
    const key = m.seedKey();
    const ascii = policy(`arn:aws:iam::${m.options.accountId}:root`);
    const latin1 = ascii.replace('"s"', '"s\u00e9"');
    const run = (text: string) => {
      const request = { operation: 'PutKeyPolicy' as const, input: { KeyId: key.KeyId!, Policy: text } };
      const e = expected(request, m.world(), m.defaultCaller(), m.options.contractVersion);
      return { e, diverged: divergeExpectation(e, new Set(['policy-pattern-ascii']), request, m.world()) };
    };
    const a = run(ascii);
    expect(a.diverged).toBe(a.e);
    const l = run(latin1);
    expect(l.e).toMatchObject({ kind: 'decided', outcomes: [{ kind: 'success' }] });
    expect(l.diverged.violations.map((v) => [v.ruleId, v.respondWith])).toEqual([['PutKeyPolicy.Policy.pattern', { code: 'ValidationException', status: 400 }]]);
    expect(l.diverged.violations[0]!.message).toMatch(/at 'policy' failed to satisfy constraint: Member must satisfy regular expression pattern: /);
  });

  it('store-wrong-types reads members as the operation models them', () => {
    const body = new TextEncoder().encode(JSON.stringify({ KeyId: 12345, Policy: { Version: '2012-10-17' }, BypassPolicyLockoutSafetyCheck: 'true', Unknown: 1, PolicyName: null }));
    expect(coerceMembers('PutKeyPolicy', body)).toEqual({ KeyId: '12345', Policy: '{"Version":"2012-10-17"}', BypassPolicyLockoutSafetyCheck: true });
    expect(coerceMembers('PutKeyPolicy', new TextEncoder().encode('[1]'))).toBeUndefined();
  });

  it('resolve-aliases and accept-other-region-arn act on the key the identifier names', () => {
    const m = new KmsModel({ divergences: ['resolve-aliases', 'accept-other-region-arn'] });
    const here = m.seedKey();
    const west = m.seedKey({ region: 'us-west-2' });
    m.createAlias('alias/mine', String(here.KeyId));
    const p = policy('*');
    expect(m.handle('PutKeyPolicy', { KeyId: 'alias/mine', Policy: p }, m.defaultCaller()).kind).toBe('success');
    expect(m.handle('GetKeyPolicy', { KeyId: String(here.KeyId) }, m.defaultCaller())).toMatchObject({ output: { Policy: p } });
    expect(m.handle('PutKeyPolicy', { KeyId: String(west.Arn), Policy: p }, m.defaultCaller()).kind).toBe('success');
    expect(m.handle('GetKeyPolicy', { KeyId: String(west.KeyId) }, m.defaultCaller(), { region: 'us-west-2' })).toMatchObject({ output: { Policy: p } });
    expect(m.handle('PutKeyPolicy', { KeyId: 'alias/absent', Policy: p }, m.defaultCaller())).toMatchObject({ kind: 'error' });
    const faithful = new KmsModel();
    const k = faithful.seedKey();
    faithful.createAlias('alias/mine', String(k.KeyId));
    expect(faithful.handle('PutKeyPolicy', { KeyId: 'alias/mine', Policy: p }, faithful.defaultCaller())).toMatchObject({ kind: 'error', code: 'InvalidArnException' });
  });
});
