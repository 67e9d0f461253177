/**
 * The admin API of the mock server: unit checks of {@link handleAdmin}, then the whole API over
 * plain HTTP as a boto3, AWS CLI or Go user's test set-up would call it (loopback only).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_ENDPOINTS, ADMIN_PREFIX, handleAdmin, isAdminPath, isLoopbackAddress, seedInputFromJson } from './admin.ts';
import { createMockHandler } from './handler.ts';
import { KmsModel } from './model/kms-model.ts';
import { startMockServer } from './server.ts';
import type { MockServer } from './server.ts';

const body = (v: unknown): Uint8Array => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));

describe('handleAdmin', () => {
  const target = (model = new KmsModel()) => ({ model, handler: createMockHandler(model) });
  const call = (method: string, name: string, payload: unknown = '', remoteAddress = '127.0.0.1', t = target()) =>
    handleAdmin(t, { method, path: `${ADMIN_PREFIX}${name}`, remoteAddress, body: body(payload) });
  const error = (r: { body: string }) => (JSON.parse(r.body) as { error: { code: string; message: string } }).error;

  it('answers loopback clients only', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(a), a).toBe(true);
    for (const a of ['10.0.0.5', '192.168.1.2', '::ffff:10.0.0.5', 'fe80::1', undefined]) expect(isLoopbackAddress(a), String(a)).toBe(false);
    const r = call('GET', 'health', '', '10.0.0.5');
    expect(r.status).toBe(403);
    expect(error(r)).toEqual({ code: 'Forbidden', message: 'the admin API answers loopback clients only; 10.0.0.5 is not one. Call it on the machine the mock runs on.' });
  });

  it('claims only its reserved path, never KMS\'s POST /', () => {
    expect(isAdminPath('/_kms-conformance/health')).toBe(true);
    expect(isAdminPath('/_kms-conformance')).toBe(true);
    expect(isAdminPath('/')).toBe(false);
    expect(isAdminPath('/_kms-conformancex')).toBe(false);
  });

  it('names what was wrong: unknown endpoint (404, the list), wrong method (405, Allow), bad JSON and bad values (400)', () => {
    const missing = call('GET', 'nope');
    expect(missing.status).toBe(404);
    expect(error(missing).message).toContain('GET /_kms-conformance/health');
    const method = call('DELETE', 'keys');
    expect(method).toMatchObject({ status: 405, headers: { allow: 'POST' } });
    expect(error(method).message).toBe('DELETE /_kms-conformance/keys is not allowed; use POST.');
    expect(error(call('POST', 'keys', '{"state":'))).toMatchObject({ code: 'BadRequest', message: expect.stringMatching(/^the body is not JSON/) });
    expect(error(call('POST', 'keys', { state: 'Bogus' })).message).toMatch(/^seedKey\.state: "Bogus" is not one of Creating, Enabled/);
    expect(error(call('POST', 'keys', { colour: 'red' })).message).toMatch(/^unknown field "colour"; the fields are accountId, region/);
    expect(error(call('POST', 'keys', { multiRegion: 'yes' })).message).toBe('multiRegion must be a JSON boolean, got "yes".');
    expect(error(call('PUT', 'faults', { throttleRate: 2 })).message).toMatch(/^faults\.throttleRate: must be a number from 0 to 1/);
    expect(error(call('PUT', 'divergences', { active: ['chaos'] })).message).toMatch(/^divergences: unknown profile "chaos"/);
    expect(error(call('POST', 'restore', { format: 'other' })).message).toMatch(/not a snapshot/);
    expect(error(call('POST', 'restore', { format: 'kms-conformance/mock-snapshot@1', regions: [{}], idDraws: 0 })).message).toMatch(/damaged/);
  });

  it('a bad value changes nothing', () => {
    const t = target(new KmsModel({ divergences: ['omit-request-id'] }));
    call('PUT', 'divergences', { active: ['chaos'] }, '127.0.0.1', t);
    expect([...t.model.options.divergences]).toEqual(['omit-request-id']);
    call('POST', 'keys', { state: 'Bogus' }, '127.0.0.1', t);
    expect(t.model.world().keys).toEqual([]);
  });

  it('reads seed fields from JSON: dates as ISO text or epoch seconds, tags as KMS writes them', () => {
    expect(seedInputFromJson({ createdAt: '2026-01-02T03:04:05Z', tags: [{ TagKey: 'a', TagValue: 'b' }] })).toEqual({ createdAt: new Date('2026-01-02T03:04:05Z'), tags: [{ TagKey: 'a', TagValue: 'b' }] });
    expect(seedInputFromJson({ createdAt: 1_700_000_000 }).createdAt?.getTime()).toBe(1_700_000_000_000);
  });

  it('documents every endpoint it serves', () => {
    expect(Object.keys(ADMIN_ENDPOINTS)).toEqual([
      'GET health',
      'POST reset',
      'GET snapshot',
      'POST restore',
      'POST keys',
      'POST aliases',
      'GET faults',
      'PUT faults',
      'GET divergences',
      'PUT divergences',
    ]);
  });
});

describe('the admin API over HTTP', () => {
  let server: MockServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const admin = async (method: string, name: string, payload?: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
    const res = await fetch(`${server!.url}${ADMIN_PREFIX}${name}`, { method, ...(payload === undefined ? {} : { body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } }) });
    expect(res.headers.get('content-type')).toBe('application/json');
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const kms = async (operation: string, input: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
    const res = await fetch(server!.url, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `TrentService.${operation}` }, body: JSON.stringify(input) });
    const text = await res.text();
    return { status: res.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
  };

  it('health, seeding a key in any state, snapshot, reset and restore', async () => {
    const log: string[] = [];
    server = await startMockServer({ port: 0, seed: 4, onRequest: (l) => log.push(`${l.method} ${l.path} ${l.status}`) });
    expect(await admin('GET', 'health')).toEqual({ status: 200, json: expect.objectContaining({ status: 'ok', contractVersion: '2025-06-05', region: 'us-east-1', accountId: '111122223333' }) });

    const seeded = await admin('POST', 'keys', { state: 'PendingImport', description: 'imported' });
    const md = seeded.json.KeyMetadata as { KeyId: string; KeyState: string; Origin: string; CreationDate: number };
    expect(seeded.status).toBe(200);
    expect(md).toMatchObject({ KeyState: 'PendingImport', Origin: 'EXTERNAL' });
    expect(typeof md.CreationDate).toBe('number'); // epoch seconds, as KMS sends dates
    expect((await kms('DescribeKey', { KeyId: md.KeyId })).json).toMatchObject({ KeyMetadata: { KeyId: md.KeyId, KeyState: 'PendingImport', Description: 'imported' } });
    expect((await admin('POST', 'aliases', { aliasName: 'alias/seeded', keyId: md.KeyId })).json).toMatchObject({ alias: { name: 'alias/seeded', targetKeyId: md.KeyId } });

    const snapshot = (await admin('GET', 'snapshot')).json;
    expect(snapshot.format).toBe('kms-conformance/mock-snapshot@1');
    expect(await admin('POST', 'reset')).toEqual({ status: 200, json: { reset: true } });
    expect((await kms('ListKeys', {})).json).toMatchObject({ Keys: [] });
    expect(await admin('POST', 'restore', snapshot)).toEqual({ status: 200, json: { restored: true, keys: 1 } });
    expect((await kms('ListAliases', {})).json).toMatchObject({ Aliases: [expect.objectContaining({ AliasName: 'alias/seeded', TargetKeyId: md.KeyId })] });
    expect(log).toContain('GET /_kms-conformance/health 200');
  });

  it('switches divergence and fault profiles while running', async () => {
    server = await startMockServer({ port: 0 });
    const keyId = ((await kms('CreateKey', {})).json.KeyMetadata as { KeyId: string }).KeyId;
    const lockout = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/Admin' }, Action: 'kms:Describe*', Resource: '*' }] });
    expect((await kms('PutKeyPolicy', { KeyId: keyId, Policy: lockout })).json.__type).toBe('MalformedPolicyDocumentException');

    expect(await admin('PUT', 'divergences', { active: ['skip-lockout-check'] })).toEqual({ status: 200, json: { active: ['skip-lockout-check'] } });
    expect((await admin('GET', 'divergences')).json).toMatchObject({ active: ['skip-lockout-check'], available: expect.objectContaining({ 'omit-request-id': expect.any(String) }) });
    expect((await kms('PutKeyPolicy', { KeyId: keyId, Policy: lockout })).status).toBe(200);
    await admin('PUT', 'divergences', { active: [] });

    expect((await admin('PUT', 'faults', { throttleRate: 1, operations: ['DescribeKey'] })).json).toMatchObject({ throttleRate: 1, operations: ['DescribeKey'] });
    expect((await kms('DescribeKey', { KeyId: keyId })).json.__type).toBe('ThrottlingException');
    expect((await kms('ListKeys', {})).status).toBe(200);
    expect((await admin('PUT', 'faults', {})).json).toMatchObject({ throttleRate: 0 });
    expect((await kms('DescribeKey', { KeyId: keyId })).status).toBe(200);
  });

  it('admin: false leaves the path to the KMS wire layer', async () => {
    server = await startMockServer({ port: 0, admin: false });
    const res = await fetch(`${server.url}${ADMIN_PREFIX}health`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { __type: string }).__type).toBe('UnknownOperationException');
  });
});
