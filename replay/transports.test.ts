/**
 * What the SDK transport records is plain data: the SDK serialises JSON into a Uint8Array
 * subclass (JsonBytesStringAdapter) whose string conversions print a "JsonCodec2" warning, so
 * a recorded body must be a plain Uint8Array that later Buffer.from / TextDecoder calls can read
 * silently.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KmsModel, kmsRequestHandler } from '../mocks/msw.ts';
import { sendSdk } from './transports.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('sendSdk', () => {
  it('records the request body as a plain Uint8Array and never triggers the SDK JsonCodec2 warning', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const model = new KmsModel({ seed: 3 });
    const client = new KMSClient({ region: 'us-east-1', endpoint: 'http://kms.mock', maxAttempts: 1, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' }, requestHandler: kmsRequestHandler(model) });
    const keyId = String(model.seedKey().KeyId);
    const ex = await sendSdk(client, 'GetKeyPolicy', { KeyId: keyId, PolicyName: 'default' });
    expect(ex.response?.status).toBe(200);
    const body = ex.request?.body;
    expect(body?.constructor).toBe(Uint8Array);
    expect(JSON.parse(Buffer.from(body ?? new Uint8Array()).toString('utf8'))).toEqual({ KeyId: keyId, PolicyName: 'default' });
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('JsonCodec2'))).toEqual([]);
  });
});
