import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OPERATIONS } from '../contract/types.ts';
import { createMockHandler } from './handler.ts';
import type { MockHttpResult } from './handler.ts';
import { KmsModel } from './model/kms-model.ts';

const enc = new TextEncoder();

function expectWellFormed(r: MockHttpResult): { status: number; body: Record<string, unknown> | undefined } {
  expect(r.kind).toBe('response');
  if (r.kind !== 'response') throw new Error('dropped');
  const { status, headers, body } = r.response;
  expect(headers['content-type']).toBe('application/x-amz-json-1.1');
  expect(headers['x-amzn-requestid']).toMatch(/\S/);
  if (status === 200) return { status, body: body === '' ? undefined : (JSON.parse(body) as Record<string, unknown>) };
  const parsed = JSON.parse(body) as { __type: unknown; message: unknown };
  expect(typeof parsed.__type).toBe('string');
  expect(typeof parsed.message).toBe('string');
  // InternalFailure means the oracle and the model disagree: a bug of ours, never acceptable.
  expect(parsed.__type, String(parsed.message)).not.toBe('InternalFailure');
  return { status, body: parsed as Record<string, unknown> };
}

describe('the request path never breaks a client', () => {
  it('property: any JSON input to any of the thirteen operations gets a well-formed answer, never InternalFailure', async () => {
    const model = new KmsModel({ seed: 2 });
    const handler = createMockHandler(model);
    const keyIds = [String(model.seedKey().KeyId), String(model.seedKey({ state: 'PendingDeletion' }).KeyId), String(model.seedKey({ origin: 'EXTERNAL' }).KeyId), String(model.seedKey({ keyManager: 'AWS' }).KeyId)];
    model.createAlias('alias/p', keyIds[0] ?? '');
    const keyId = fc.oneof(fc.constantFrom(...keyIds, 'alias/p', 'alias/none', `arn:aws:kms:us-east-1:111122223333:key/${keyIds[0]}`, `arn:aws:kms:eu-west-1:111122223333:key/${keyIds[0]}`), fc.string());
    const policy = fc.oneof(
      fc.constant(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }] })),
      fc.json(),
      fc.string(),
    );
    const input = fc.record(
      {
        KeyId: keyId,
        Policy: policy,
        PolicyName: fc.oneof(fc.constant('default'), fc.string()),
        BypassPolicyLockoutSafetyCheck: fc.boolean(),
        PendingWindowInDays: fc.integer({ min: -5, max: 400 }),
        Limit: fc.integer({ min: -1, max: 1001 }),
        Description: fc.string(),
        KeyUsage: fc.constantFrom('ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'BAD'),
        KeySpec: fc.constantFrom('SYMMETRIC_DEFAULT', 'RSA_2048', 'HMAC_256', 'NOPE'),
        MultiRegion: fc.boolean(),
        Extra: fc.anything(),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...OPERATIONS), input, async (op, i) => {
        const snap = model.snapshot();
        const r = await handler.handle({ method: 'POST', url: '/', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `TrentService.${op}` }, body: enc.encode(JSON.stringify(i)) });
        expectWellFormed(r);
        model.restore(snap);
      }),
      { numRuns: 300 },
    );
  });

  it('property: arbitrary bytes, methods, paths and headers get a JSON answer, never an exception', async () => {
    const handler = createMockHandler(new KmsModel());
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('POST', 'GET', 'PUT', 'DELETE'),
        fc.constantFrom('/', '/x', '/?a=1'),
        fc.option(fc.constantFrom('application/x-amz-json-1.1', 'application/json', 'text/plain; charset=utf-8', 'application/x-amz-json-1.1; charset=utf-8'), { nil: undefined }),
        fc.option(fc.oneof(fc.constantFrom(...OPERATIONS.map((o) => `TrentService.${o}`), 'TrentService.Encrypt', 'Foo.Bar'), fc.string()), { nil: undefined }),
        fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.json().map((j) => enc.encode(j))),
        async (method, url, ct, target, body) => {
          const headers: Record<string, string> = {};
          if (ct !== undefined) headers['content-type'] = ct;
          if (target !== undefined) headers['x-amz-target'] = target;
          expectWellFormed(await handler.handle({ method, url, headers, body }));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('bugs of ours', () => {
  it('answer 500 InternalFailure saying it is a kms-conformance bug, never a KMS error', async () => {
    const acceptAll = () => ({ kind: 'decided' as const, outcomes: [{ kind: 'success' as const }], rules: [], violations: [] });
    const handler = createMockHandler(new KmsModel({}, acceptAll));
    const r = await handler.handle({
      method: 'POST',
      url: 'http://127.0.0.1:1/',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.GetKeyPolicy' },
      body: enc.encode('{"KeyId":"1234abcd-12ab-34cd-56ef-1234567890ab"}'),
    });
    expect(r.kind === 'response' && r.response.status).toBe(500);
    const body = JSON.parse(r.kind === 'response' ? r.response.body : '{}') as { __type: string; message: string };
    expect(body.__type).toBe('InternalFailure');
    expect(body.message).toMatch(/bug in kms-conformance/);
  });
});
