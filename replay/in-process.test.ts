import { describe, expect, it } from 'vitest';
import { targetOf } from '../contract/model.ts';
import { AWS_JSON_1_1 } from '../contract/wire.ts';
import { DEFAULT_GENERATOR_CONTEXT } from '../generators/context.ts';
import { openInProcess } from './in-process.ts';
import { isRefusal, type Lease } from './target.ts';
import { sendSdk } from './transports.ts';

const KEY_A = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_B = '0987dcba-09fe-87dc-65ba-ab0987654321';
const NEEDS = { mutates: true, lockout: false };

function describeKey(keyId: string) {
  return { method: 'POST', path: '/', headers: { 'content-type': AWS_JSON_1_1, 'x-amz-target': targetOf('DescribeKey') }, body: new TextEncoder().encode(JSON.stringify({ KeyId: keyId })) };
}

describe('openInProcess', () => {
  it("gives each concurrent case its own model, reached by both transports, and leaves Error.stackTraceLimit as it was", async () => {
    const target = openInProcess(DEFAULT_GENERATOR_CONTEXT);
    const limit = Error.stackTraceLimit;
    const [a, b] = await Promise.all([
      target.lease({ keys: [{ keyId: KEY_A, state: 'Enabled', multiRegion: false }], aliases: [] }, NEEDS),
      target.lease({ keys: [{ keyId: KEY_B, state: 'Disabled', multiRegion: false }], aliases: [] }, NEEDS),
    ]);
    expect(Error.stackTraceLimit).toBe(limit);
    if (isRefusal(a) || isRefusal(b)) throw new Error(`lease refused: ${JSON.stringify([a, b])}`);
    const state = async (lease: Lease, keyId: string) => {
      const raw = await lease.raw(describeKey(keyId));
      const sdk = await sendSdk(lease.sdk, 'DescribeKey', { KeyId: keyId });
      return [raw.response?.status, (JSON.parse(raw.response?.body ?? '{}') as { KeyMetadata?: { KeyState?: string } }).KeyMetadata?.KeyState ?? raw.response?.body, sdk.response?.status, sdk.sdkError];
    };
    expect(await state(a, KEY_A)).toEqual([200, 'Enabled', 200, undefined]);
    expect(await state(b, KEY_B)).toEqual([200, 'Disabled', 200, undefined]);
    // Each model holds only its own case's key.
    expect((await state(a, KEY_B)).slice(0, 1)).toEqual([400]);
    expect((await sendSdk(b.sdk, 'DescribeKey', { KeyId: KEY_A })).sdkError).toBe('NotFoundException');
    await a.release(true);
    await b.release(true);
    await target.close();
  });
});
