import { DescribeKeyCommand, type KeyMetadata } from '@aws-sdk/client-kms';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Expectation, KeyState, OracleRequest, World } from '../../contract/types.ts';
import { MockConfigError, MockInternalError } from '../errors.ts';
import { expected } from '../../contract/oracle.ts';
import { KmsModel, decide } from './kms-model.ts';
import type { ModelAnswer, Oracle } from './kms-model.ts';

const OPEN_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }],
});

function ok(a: ModelAnswer): Record<string, unknown> {
  if (a.kind !== 'success') throw new Error(`expected success, got ${a.code}: ${a.message}`);
  return a.output ?? {};
}

function fakeClock(start = Date.UTC(2026, 0, 1)): { now: () => number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe('KmsModel through the contract oracle', () => {
  it('CreateKey returns KeyMetadata with every field AWS returns for a symmetric key (§9.1)', () => {
    const clock = fakeClock();
    const m = new KmsModel({ seed: 3, clock: clock.now });
    const md = ok(m.handle('CreateKey', { Description: 'test key 123' }, m.defaultCaller())).KeyMetadata as Record<string, unknown>;
    expect(Object.keys(md).sort()).toEqual(
      [
        'AWSAccountId', 'Arn', 'CreationDate', 'CurrentKeyMaterialId', 'CustomerMasterKeySpec', 'Description', 'Enabled',
        'EncryptionAlgorithms', 'KeyId', 'KeyManager', 'KeySpec', 'KeyState', 'KeyUsage', 'MultiRegion', 'Origin',
      ].sort(),
    );
    expect(md).toMatchObject({
      AWSAccountId: '111122223333',
      Description: 'test key 123',
      Enabled: true,
      KeyState: 'Enabled',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      KeyManager: 'CUSTOMER',
      Origin: 'AWS_KMS',
      MultiRegion: false,
      CreationDate: new Date(clock.now()),
    });
    expect(md.KeyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(md.Arn).toBe(`arn:aws:kms:us-east-1:111122223333:key/${String(md.KeyId)}`);
  });

  it('gives multi-Region keys mrk- ids and per-spec algorithms', () => {
    const m = new KmsModel();
    const c = m.defaultCaller();
    const mrk = ok(m.handle('CreateKey', { MultiRegion: true }, c)).KeyMetadata as Record<string, unknown>;
    expect(mrk.KeyId).toMatch(/^mrk-[0-9a-f]{32}$/);
    expect(mrk.MultiRegionConfiguration).toMatchObject({ MultiRegionKeyType: 'PRIMARY' });
    const rsa = ok(m.handle('CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }, c)).KeyMetadata as Record<string, unknown>;
    expect(rsa.SigningAlgorithms).toContain('RSASSA_PSS_SHA_256');
    expect(rsa.EncryptionAlgorithms).toBeUndefined();
    const hmac = ok(m.handle('CreateKey', { KeySpec: 'HMAC_384', KeyUsage: 'GENERATE_VERIFY_MAC' }, c)).KeyMetadata as Record<string, unknown>;
    expect(hmac.MacAlgorithms).toEqual(['HMAC_SHA_384']);
    const ecc = ok(m.handle('CreateKey', { KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY' }, c)).KeyMetadata as Record<string, unknown>;
    expect(ecc.SigningAlgorithms).toEqual(['ECDSA_SHA_384']);
  });

  it('is deterministic for a seed, and different seeds give different ids', () => {
    const ids = (seed: number) => {
      const m = new KmsModel({ seed });
      return [1, 2, 3].map(() => (ok(m.handle('CreateKey', {}, m.defaultCaller())).KeyMetadata as { KeyId: string }).KeyId);
    };
    expect(ids(42)).toEqual(ids(42));
    expect(ids(42)).not.toEqual(ids(43));
  });

  it('stores the default key policy, then the policy text exactly as sent', () => {
    const m = new KmsModel();
    const c = m.defaultCaller();
    const id = (ok(m.handle('CreateKey', {}, c)).KeyMetadata as { KeyId: string }).KeyId;
    expect(ok(m.handle('GetKeyPolicy', { KeyId: id }, c))).toEqual({ Policy: expect.stringContaining('"Id" : "key-default-1"'), PolicyName: 'default' });
    const sent = `  ${OPEN_POLICY.replace(',', ',\n ')}  `;
    expect(m.handle('PutKeyPolicy', { KeyId: id, Policy: sent }, c)).toMatchObject({ kind: 'success', output: undefined });
    expect(ok(m.handle('GetKeyPolicy', { KeyId: id }, c)).Policy).toBe(sent);
    expect(ok(m.handle('ListKeyPolicies', { KeyId: id }, c))).toEqual({ PolicyNames: ['default'], Truncated: false });
  });

  it('omits PolicyName from GetKeyPolicy output under the 2017 contract (added 2024-03-18, §2.3)', () => {
    const m = new KmsModel({ contractVersion: '2017-02-15' });
    const c = m.defaultCaller();
    const id = String(m.seedKey().KeyId);
    expect(ok(m.handle('GetKeyPolicy', { KeyId: id, PolicyName: 'default' }, c))).toEqual({ Policy: expect.any(String) });
  });

  it('walks the key states: disable, enable, schedule, cancel (LS success semantics, §5.1, §9.7)', () => {
    const clock = fakeClock();
    const m = new KmsModel({ clock: clock.now });
    const c = m.defaultCaller();
    const id = String(m.seedKey().KeyId);
    const state = () => (ok(m.handle('DescribeKey', { KeyId: id }, c)).KeyMetadata as Record<string, unknown>);
    ok(m.handle('DisableKey', { KeyId: id }, c));
    expect(state()).toMatchObject({ KeyState: 'Disabled', Enabled: false });
    ok(m.handle('EnableKey', { KeyId: id }, c));
    expect(state()).toMatchObject({ KeyState: 'Enabled', Enabled: true });
    const sched = ok(m.handle('ScheduleKeyDeletion', { KeyId: id, PendingWindowInDays: 7 }, c));
    expect(sched).toEqual({ KeyId: state().Arn, DeletionDate: new Date(clock.now() + 7 * 86_400_000), KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
    expect(state()).toMatchObject({ KeyState: 'PendingDeletion', Enabled: false, PendingDeletionWindowInDays: 7, DeletionDate: sched.DeletionDate });
    expect(m.handle('EnableKey', { KeyId: id }, c)).toMatchObject({ kind: 'error', code: 'KMSInvalidStateException', status: 400, message: `${String(state().Arn)} is pending deletion.` });
    expect(ok(m.handle('CancelKeyDeletion', { KeyId: id }, c))).toEqual({ KeyId: state().Arn });
    const after = state();
    expect(after).toMatchObject({ KeyState: 'Disabled', Enabled: false });
    expect(after.DeletionDate).toBeUndefined();
  });

  it('deletes a key when its waiting period ends', () => {
    const clock = fakeClock();
    const m = new KmsModel({ clock: clock.now });
    const c = m.defaultCaller();
    const id = String(m.seedKey().KeyId);
    ok(m.handle('ScheduleKeyDeletion', { KeyId: id, PendingWindowInDays: 7 }, c));
    clock.advance(7 * 86_400_000 - 1);
    expect(m.handle('DescribeKey', { KeyId: id }, c).kind).toBe('success');
    clock.advance(1);
    expect(m.handle('DescribeKey', { KeyId: id }, c)).toMatchObject({ kind: 'error', code: 'NotFoundException' });
  });

  it('seeds keys in any state, including PendingImport through Origin EXTERNAL', () => {
    const m = new KmsModel();
    expect(m.seedKey({ origin: 'EXTERNAL' })).toMatchObject({ KeyState: 'PendingImport', Enabled: false, Origin: 'EXTERNAL' });
    expect(m.seedKey({ origin: 'EXTERNAL' }).CurrentKeyMaterialId).toBeUndefined();
    expect(m.seedKey({ state: 'Unavailable' })).toMatchObject({ KeyState: 'Unavailable' });
    const pending = m.seedKey({ state: 'PendingDeletion', pendingWindowInDays: 10 });
    expect(pending).toMatchObject({ KeyState: 'PendingDeletion', PendingDeletionWindowInDays: 10 });
    const id = '1234abcd-12ab-34cd-56ef-1234567890ab';
    m.seedKey({ keyId: id });
    expect(() => m.seedKey({ keyId: id })).toThrow(MockConfigError);
  });

  it('seedKey and describe return the SDK KeyMetadata type, usable in a command without a cast', () => {
    const m = new KmsModel();
    const key = m.seedKey({ state: 'Disabled' });
    expectTypeOf(key).toEqualTypeOf<KeyMetadata>();
    expectTypeOf(m.describe('x')).toEqualTypeOf<KeyMetadata | undefined>();
    // Compiles under strict TypeScript only because KeyId is typed as the SDK types it.
    const command = new DescribeKeyCommand({ KeyId: key.KeyId });
    expect(command.input.KeyId).toBe(key.KeyId);
    expect(m.describe(key.KeyId ?? '')?.KeyState).toBe('Disabled');
  });

  it('a PendingImport key has Origin EXTERNAL; another origin with PendingImport is refused', () => {
    const m = new KmsModel();
    expect(m.seedKey({ state: 'PendingImport' })).toMatchObject({ KeyState: 'PendingImport', Origin: 'EXTERNAL', Enabled: false });
    expect(m.seedKey({ state: 'PendingImport', origin: 'EXTERNAL' })).toMatchObject({ Origin: 'EXTERNAL' });
    expect(() => m.seedKey({ state: 'PendingImport', origin: 'AWS_KMS' })).toThrow(
      "seedKey.origin: \"AWS_KMS\" with state 'PendingImport': only keys with imported key material (Origin EXTERNAL) are ever PendingImport. Leave origin out, or use origin: 'EXTERNAL'.",
    );
  });

  it.each([
    [{ state: 'Bogus' as KeyState }, "seedKey.state: \"Bogus\" is not one of Creating, Enabled, Disabled, PendingDeletion, PendingImport, PendingReplicaDeletion, Unavailable, Updating. Example: state: 'Disabled'"],
    [{ origin: 'SOMEWHERE' }, /seedKey\.origin: "SOMEWHERE" is not one of AWS_KMS, EXTERNAL, AWS_CLOUDHSM, EXTERNAL_KEY_STORE\./],
    [{ keySpec: 'AES_256' }, /seedKey\.keySpec: "AES_256" is not one of RSA_2048, /],
    [{ keyUsage: 'encrypt' }, /seedKey\.keyUsage: "encrypt" is not one of /],
    [{ keyManager: 'ME' as 'AWS' }, /seedKey\.keyManager: "ME" is not one of CUSTOMER, AWS\./],
    [{ keyId: 'NOT-A-KEY' }, /seedKey\.keyId: "NOT-A-KEY" is not a key id/],
    [{ keyId: 'mrk-1234abcd12ab34cd56ef1234567890ab', multiRegion: false }, /seedKey\.multiRegion: is false, but key id mrk-/],
    [{ state: 'PendingDeletion' as KeyState, pendingWindowInDays: 3 }, /seedKey\.pendingWindowInDays: must be a whole number of days from 7 to 30, got 3\./],
    [{ region: 'mars' }, /seedKey\.region: "mars" is not a Region name/],
  ] as const)('seedKey(%j) throws a MockConfigError naming the field, the value and what to use', (seed, message) => {
    const m = new KmsModel();
    let thrown: unknown;
    try {
      m.seedKey(seed);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(MockConfigError);
    if (typeof message === 'string') expect((thrown as Error).message).toContain(message);
    else expect((thrown as Error).message).toMatch(message);
    expect(m.world().keys).toEqual([]);
  });

  it('an mrk key id seeds a multi-Region key without saying so', () => {
    const m = new KmsModel();
    expect(m.seedKey({ keyId: 'mrk-1234abcd12ab34cd56ef1234567890ab' })).toMatchObject({ MultiRegion: true, KeyId: 'mrk-1234abcd12ab34cd56ef1234567890ab' });
  });

  it('resolves aliases where the contract allows them (DescribeKey) and not elsewhere', () => {
    const m = new KmsModel();
    const c = m.defaultCaller();
    const id = String(m.seedKey().KeyId);
    const alias = m.createAlias('alias/app', id);
    expect(alias.arn).toBe('arn:aws:kms:us-east-1:111122223333:alias/app');
    expect((ok(m.handle('DescribeKey', { KeyId: 'alias/app' }, c)).KeyMetadata as { KeyId: string }).KeyId).toBe(id);
    expect((ok(m.handle('DescribeKey', { KeyId: alias.arn }, c)).KeyMetadata as { KeyId: string }).KeyId).toBe(id);
    expect(m.handle('PutKeyPolicy', { KeyId: 'alias/app', Policy: OPEN_POLICY }, c)).toMatchObject({ kind: 'error', code: 'InvalidArnException' });
    expect(() => m.createAlias('app', id)).toThrow(/alias\/<name>/);
    expect(() => m.createAlias('alias/x', 'nope')).toThrow(MockConfigError);
  });

  it('keeps accounts and Regions apart', () => {
    const m = new KmsModel();
    const c = m.defaultCaller();
    const id = String(m.seedKey({ region: 'eu-west-1' }).KeyId);
    expect(m.handle('DescribeKey', { KeyId: id }, c, { region: 'eu-west-1' }).kind).toBe('success');
    expect(m.handle('DescribeKey', { KeyId: id }, c)).toMatchObject({
      kind: 'error',
      code: 'NotFoundException',
      message: `Key 'arn:aws:kms:us-east-1:111122223333:key/${id}' does not exist`,
    });
    const other = m.defaultCaller('444455556666');
    expect(m.handle('GetKeyPolicy', { KeyId: id }, other, { region: 'eu-west-1' })).toMatchObject({ kind: 'error', code: 'NotFoundException' });
  });

  it('snapshot and restore bring back keys, policies and the id sequence; reset empties the model', () => {
    const m = new KmsModel({ seed: 9 });
    const c = m.defaultCaller();
    const id = String(m.seedKey().KeyId);
    const snap = m.snapshot();
    ok(m.handle('PutKeyPolicy', { KeyId: id, Policy: OPEN_POLICY }, c));
    const next = (ok(m.handle('CreateKey', {}, c)).KeyMetadata as { KeyId: string }).KeyId;
    m.restore(JSON.parse(JSON.stringify(snap)));
    expect(ok(m.handle('GetKeyPolicy', { KeyId: id }, c)).Policy).not.toBe(OPEN_POLICY);
    expect(m.handle('DescribeKey', { KeyId: next }, c).kind).toBe('error');
    expect((ok(m.handle('CreateKey', {}, c)).KeyMetadata as { KeyId: string }).KeyId).toBe(next);
    m.reset();
    expect(m.handle('DescribeKey', { KeyId: id }, c)).toMatchObject({ kind: 'error', code: 'NotFoundException' });
    expect(String(m.seedKey().KeyId)).toBe(id);
    expect(() => m.restore({} as never)).toThrow(MockConfigError);
  });

  it('read lag: reads see state as it was readLagMs ago; writes see the present', () => {
    const clock = fakeClock();
    const m = new KmsModel({ clock: clock.now, readLagMs: 1000 });
    const c = m.defaultCaller();
    const id = (ok(m.handle('CreateKey', {}, c)).KeyMetadata as { KeyId: string }).KeyId;
    expect(m.handle('DescribeKey', { KeyId: id }, c)).toMatchObject({ kind: 'error', code: 'NotFoundException' });
    clock.advance(500);
    expect(m.handle('PutKeyPolicy', { KeyId: id, Policy: OPEN_POLICY }, c).kind).toBe('success');
    clock.advance(499);
    expect(m.handle('GetKeyPolicy', { KeyId: id }, c).kind).toBe('error');
    clock.advance(1);
    expect(ok(m.handle('GetKeyPolicy', { KeyId: id }, c)).Policy).toContain('key-default-1');
    clock.advance(500);
    expect(ok(m.handle('GetKeyPolicy', { KeyId: id }, c)).Policy).toBe(OPEN_POLICY);
  });

  it('answers what the oracle decides: no validation of its own', () => {
    const seen: OracleRequest[] = [];
    let answer: Expectation = { kind: 'decided', outcomes: [{ kind: 'success' }], rules: [], violations: [] };
    const oracle = (r: OracleRequest, _w: World): Expectation => {
      seen.push(r);
      return answer;
    };
    const m = new KmsModel({}, oracle);
    const c = m.defaultCaller();
    // The real contract rejects this; the fake oracle accepts it, so the model must create a key.
    expect(m.handle('CreateKey', { Policy: 'not json' }, c).kind).toBe('success');
    expect(seen).toEqual([{ operation: 'CreateKey', input: { Policy: 'not json' } }]);
    answer = {
      kind: 'decided',
      outcomes: [{ kind: 'error', code: 'X', statuses: [418] }],
      rules: ['r1', 'r2'],
      violations: [
        { ruleId: 'r1', outcomes: [{ kind: 'error', code: 'FirstException', statuses: [400, 404] }], message: 'first' },
        { ruleId: 'r2', outcomes: [{ kind: 'error', code: 'SecondException', statuses: [400] }], message: 'second' },
      ],
    };
    expect(m.handle('CreateKey', {}, c)).toEqual({ kind: 'error', code: 'FirstException', status: 400, message: 'first', ruleId: 'r1' });
    // An oracle accepting an operation on a key the model does not have is a bug of ours, not the caller's.
    answer = { kind: 'decided', outcomes: [{ kind: 'success' }], rules: [], violations: [] };
    expect(() => m.handle('GetKeyPolicy', { KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' }, c)).toThrow(MockInternalError);
  });
});

describe('the cost of a request does not grow with the number of keys (issue 9)', () => {
  it('deciding a request about one key neither builds the list of every key nor scans for expired keys', () => {
    let keysRead = 0;
    // The contract's oracle, watching whether it reads world.keys (the list of every key).
    const watching: Oracle = (request, world, caller, version) =>
      expected(request, new Proxy(world, { get: (t, p) => (p === 'keys' && keysRead++, Reflect.get(t, p)) }), caller, version);
    const m = new KmsModel({ seed: 2 }, watching);
    const c = m.defaultCaller();
    for (let i = 0; i < 2000; i++) m.seedKey();
    m.seedKey({ state: 'PendingDeletion', pendingWindowInDays: 30 });
    const id = String(m.seedKey().KeyId);
    const west = String(m.seedKey({ region: 'us-west-2' }).KeyId);
    const before = m.keyScans;
    for (const [op, input] of [
      ['DescribeKey', { KeyId: id }],
      ['GetKeyPolicy', { KeyId: `arn:aws:kms:us-east-1:111122223333:key/${id}` }],
      ['PutKeyPolicy', { KeyId: id, Policy: OPEN_POLICY }],
      ['CreateAlias', { AliasName: 'alias/fast', TargetKeyId: id }],
      ['DescribeKey', { KeyId: 'alias/fast' }],
      ['DeleteAlias', { AliasName: 'alias/fast' }],
      ['DescribeKey', { KeyId: west }],
      ['DescribeKey', { KeyId: '99999999-9999-4999-8999-999999999999' }],
      ['DisableKey', { KeyId: id }],
    ] as const) {
      expect(m.handle(op, input, c).kind, `${op} ${JSON.stringify(input)}`).toBeDefined();
    }
    expect(m.handle('DescribeKey', { KeyId: west }, c)).toMatchObject({ kind: 'error', code: 'NotFoundException', ruleId: 'KeyId.otherRegionKeyId' });
    expect(keysRead).toBe(0);
    expect(m.keyScans).toBe(before);
    // A listing does go over the keys: that is its job.
    ok(m.handle('ListKeys', {}, c));
    expect(m.keyScans).toBeGreaterThan(before);
  });

  it('still deletes keys when their date comes, also after CancelKeyDeletion, restore and reset', () => {
    const clock = fakeClock();
    const m = new KmsModel({ clock: clock.now });
    const c = m.defaultCaller();
    const a = String(m.seedKey().KeyId);
    const b = String(m.seedKey().KeyId);
    ok(m.handle('ScheduleKeyDeletion', { KeyId: a, PendingWindowInDays: 7 }, c));
    ok(m.handle('ScheduleKeyDeletion', { KeyId: b, PendingWindowInDays: 10 }, c));
    ok(m.handle('CancelKeyDeletion', { KeyId: a }, c));
    const snapshot = m.snapshot();
    clock.advance(8 * 86_400_000);
    expect(m.describe(a)?.KeyState).toBe('Disabled');
    expect(m.describe(b)?.KeyState).toBe('PendingDeletion');
    clock.advance(3 * 86_400_000);
    expect(m.describe(b)).toBeUndefined();
    m.restore(snapshot); // b is pending again, with a date already passed
    expect(m.describe(b)).toBeUndefined();
    m.reset();
    expect(m.world().keys).toEqual([]);
  });
});

describe('decide', () => {
  const v = (over: object) => ({ kind: 'decided', outcomes: [], rules: ['r'], violations: [{ ruleId: 'r', outcomes: [], message: 'm', ...over }] }) as Expectation;
  it('prefers respondWith, maps "*" to ValidationException, and follows unspecified fallbacks', () => {
    expect(decide(v({ outcomes: [{ kind: 'error', code: '*', statuses: [400] }], respondWith: { code: 'NotFoundException', status: 400 } }))).toMatchObject({ code: 'NotFoundException' });
    expect(decide(v({ outcomes: [{ kind: 'error', code: '*', statuses: [413] }] }))).toMatchObject({ code: 'ValidationException', status: 413 });
    expect(decide(v({ outcomes: [{ kind: 'success' }] }))).toEqual({ kind: 'success' });
    expect(
      decide({ kind: 'unspecified', reason: 'x', rules: ['u'], violations: [], fallback: { outcome: { kind: 'error', code: 'AccessDeniedException', statuses: [400] }, message: 'no' } }),
    ).toEqual({ kind: 'error', code: 'AccessDeniedException', status: 400, message: 'no', ruleId: 'u' });
    expect(decide({ kind: 'unspecified', reason: 'x', rules: [], violations: [], fallback: { outcome: { kind: 'success' }, message: '' } })).toEqual({ kind: 'success' });
  });
});
