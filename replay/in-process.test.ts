import { describe, expect, it } from 'vitest';
import { targetOf } from '../contract/model.ts';
import { AWS_JSON_1_1 } from '../contract/wire.ts';
import { DEFAULT_GENERATOR_CONTEXT } from '../generators/context.ts';
import { openInProcess, worldDifference } from './in-process.ts';
import type { World } from '../contract/types.ts';
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

  it('points a released client at the next case that takes it', async () => {
    const target = openInProcess(DEFAULT_GENERATOR_CONTEXT);
    const a = await target.lease({ keys: [{ keyId: KEY_A, state: 'Enabled', multiRegion: false }], aliases: [] }, NEEDS);
    if (isRefusal(a)) throw new Error(`lease refused: ${JSON.stringify(a)}`);
    await a.release(false);
    const b = await target.lease({ keys: [{ keyId: KEY_B, state: 'Disabled', multiRegion: false }], aliases: [] }, NEEDS);
    if (isRefusal(b)) throw new Error(`lease refused: ${JSON.stringify(b)}`);
    expect(b.sdk).toBe(a.sdk); // the same client, now answering from b's model
    expect((await sendSdk(b.sdk, 'DescribeKey', { KeyId: KEY_B })).response?.status).toBe(200);
    expect((await sendSdk(b.sdk, 'DescribeKey', { KeyId: KEY_A })).sdkError).toBe('NotFoundException');
    expect((await b.raw(describeKey(KEY_A))).response?.status).toBe(400);
    await b.release(false);
    await target.close();
  });
});

describe('worldDifference', () => {
  const key = (keyId: string, policy: string): World['keys'][number] => ({
    keyId,
    arn: `arn:aws:kms:us-east-1:111122223333:key/${keyId}`,
    accountId: '111122223333',
    region: 'us-east-1',
    state: 'Enabled',
    keyManager: 'CUSTOMER',
    multiRegion: false,
    policy,
  });
  // worldDifference reads only the keys and aliases of a world.
  const world = (keys: World['keys'], aliases: World['aliases'] = []): World => ({ keys, aliases }) as unknown as World;

  it('finds no difference between the same keys and aliases in another order', () => {
    const alias = { name: 'alias/a', arn: 'arn:aws:kms:us-east-1:111122223333:alias/a', targetKeyId: KEY_A };
    expect(worldDifference(world([key(KEY_A, 'p'), key(KEY_B, 'q')], [alias]), world([key(KEY_B, 'q'), key(KEY_A, 'p')], [{ ...alias }]))).toBeUndefined();
  });

  it('names the keys or aliases that differ', () => {
    expect(worldDifference(world([key(KEY_A, 'p')]), world([key(KEY_A, 'other')]))).toMatch(/^keys .*\\"p\\".*\(oracle\) vs .*\\"other\\".*\(target\)$/);
    expect(worldDifference(world([key(KEY_A, 'p')]), world([key(KEY_A, 'p'), key(KEY_B, 'p')]))).toMatch(/^keys /);
    expect(worldDifference(world([key(KEY_A, 'p')], [{ name: 'alias/a', arn: 'x', targetKeyId: KEY_A }]), world([key(KEY_A, 'p')]))).toMatch(/^aliases /);
  });
});
