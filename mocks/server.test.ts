/**
 * Raw HTTP against the mock server: the wire faults the SDK never sends, keep-alive, size limits,
 * concurrency, loopback-only listening and shutdown.
 */
import { request as httpRequest, Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockConfigError } from './errors.ts';
import { isLoopbackHost, startMockServer } from './server.ts';
import type { MockRequestLog, MockServer } from './server.ts';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

function send(server: MockServer, opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: server.port, method: opts.method ?? 'POST', path: opts.path ?? '/', headers: opts.headers ?? {}, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const JSON_11 = 'application/x-amz-json-1.1';
const kmsHeaders = (op: string, extra: Record<string, string> = {}) => ({ 'content-type': JSON_11, 'x-amz-target': `TrentService.${op}`, ...extra });

function expectJsonError(r: RawResponse, code: string, status = 400): { __type: string; message: string } {
  expect(r.status).toBe(status);
  expect(r.headers['content-type']).toBe(JSON_11);
  expect(r.headers['x-amzn-requestid']).toMatch(/\S/);
  expect(r.headers['x-amzn-errortype']).toBeUndefined();
  const body = JSON.parse(r.body) as { __type: string; message: string };
  expect(body.__type).toBe(code);
  expect(typeof body.message).toBe('string');
  return body;
}

describe('mock server over raw HTTP', () => {
  let server: MockServer;
  const logs: MockRequestLog[] = [];
  beforeAll(async () => {
    server = await startMockServer({ port: 0, maxBodyBytes: 4096, onRequest: (l) => logs.push(l) });
  });
  afterAll(async () => {
    await server.close();
    agent.destroy();
  });

  it('listens on loopback with port 0 and reports its URL', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('answers a well-formed request with 200, JSON content type and x-amzn-RequestId', async () => {
    const r = await send(server, { headers: kmsHeaders('CreateKey'), body: '{}' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe(JSON_11);
    expect(r.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(r.body).KeyMetadata.KeyState).toBe('Enabled');
  });

  it('sends an empty body for a Unit output (PutKeyPolicy)', async () => {
    const keyId = String(server.model.seedKey().KeyId);
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }] });
    const r = await send(server, { headers: kmsHeaders('PutKeyPolicy'), body: JSON.stringify({ KeyId: keyId, Policy: policy }) });
    expect(r.status).toBe(200);
    expect(r.body).toBe('');
    expect(r.headers['content-length']).toBe('0');
  });

  it('bad JSON → SerializationException', async () => {
    expectJsonError(await send(server, { headers: kmsHeaders('PutKeyPolicy'), body: '{"KeyId": "k",' }), 'SerializationException');
  });

  it('empty body → read as {} → ValidationException for the missing required members', async () => {
    const body = expectJsonError(await send(server, { headers: kmsHeaders('PutKeyPolicy') }), 'ValidationException');
    expect(body.message).toMatch(/validation errors? detected: .*'keyId'.*Member must not be null/);
  });

  it('empty body for CreateKey succeeds (SP: servers accept an empty payload)', async () => {
    expect((await send(server, { headers: kmsHeaders('CreateKey') })).status).toBe(200);
  });

  it('wrong member types → SerializationException with the Coral text', async () => {
    const b1 = expectJsonError(await send(server, { headers: kmsHeaders('GetKeyPolicy'), body: '{"KeyId": 12}' }), 'SerializationException');
    expect(b1.message).toBe('NUMBER_VALUE can not be converted to a String');
    const b2 = expectJsonError(await send(server, { headers: kmsHeaders('GetKeyPolicy'), body: '{"KeyId": {"a": 1}}' }), 'SerializationException');
    expect(b2.message).toBe('Start of structure or map found where not expected.');
  });

  it('JSON that is not an object → SerializationException', async () => {
    expectJsonError(await send(server, { headers: kmsHeaders('CreateKey'), body: '[]' }), 'SerializationException');
  });

  it('unknown target, wrong prefix and missing target → UnknownOperationException', async () => {
    expectJsonError(await send(server, { headers: kmsHeaders('Encrypt'), body: '{}' }), 'UnknownOperationException');
    expectJsonError(await send(server, { headers: { 'content-type': JSON_11, 'x-amz-target': 'KMS.PutKeyPolicy' }, body: '{}' }), 'UnknownOperationException');
    expectJsonError(await send(server, { headers: { 'content-type': JSON_11 }, body: '{}' }), 'UnknownOperationException');
  });

  it('wrong or missing content type → JSON error, never HTML', async () => {
    const b = expectJsonError(await send(server, { headers: kmsHeaders('CreateKey', { 'content-type': 'application/json' }), body: '{}' }), 'UnknownOperationException');
    expect(b.message).toContain('application/x-amz-json-1.1');
    expectJsonError(await send(server, { headers: { 'x-amz-target': 'TrentService.CreateKey' }, body: '{}' }), 'UnknownOperationException');
  });

  it('content type parameters are accepted', async () => {
    expect((await send(server, { headers: kmsHeaders('CreateKey', { 'content-type': `${JSON_11}; charset=utf-8` }), body: '{}' })).status).toBe(200);
  });

  it('oversize body → 413 RequestEntityTooLargeException, and the connection stays usable', async () => {
    const body = JSON.stringify({ KeyId: 'k', Policy: 'x'.repeat(10_000) });
    expectJsonError(await send(server, { headers: kmsHeaders('PutKeyPolicy'), body }), 'RequestEntityTooLargeException', 413);
    expect((await send(server, { headers: kmsHeaders('CreateKey'), body: '{}' })).status).toBe(200);
  });

  it('non-POST methods and paths other than / → JSON errors', async () => {
    expectJsonError(await send(server, { method: 'GET', headers: kmsHeaders('CreateKey') }), 'UnknownOperationException');
    expectJsonError(await send(server, { method: 'PUT', headers: kmsHeaders('CreateKey'), body: '{}' }), 'UnknownOperationException');
    expectJsonError(await send(server, { path: '/keys', headers: kmsHeaders('CreateKey'), body: '{}' }), 'UnknownOperationException');
  });

  it('keeps connections alive across requests: five requests share one socket', async () => {
    const oneSocket = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    try {
      for (let i = 0; i < 5; i++) {
        await new Promise<void>((resolve, reject) => {
          const req = httpRequest({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/', headers: kmsHeaders('CreateKey'), agent: oneSocket }, (res) => {
            expect(res.headers.connection).toBe('keep-alive');
            res.resume();
            res.on('end', resolve);
          });
          req.on('socket', (s) => sockets.add(s));
          req.on('error', reject);
          req.end('{}');
        });
      }
    } finally {
      oneSocket.destroy();
    }
    expect(sockets.size).toBe(1);
  });

  it('concurrent requests never tear state: 50 parallel CreateKeys, then 50 parallel PutKeyPolicy on one key', async () => {
    const before = server.model.world().keys.length;
    const results = await Promise.all(Array.from({ length: 50 }, () => send(server, { headers: kmsHeaders('CreateKey'), body: '{}' })));
    const ids = results.map((r) => JSON.parse(r.body).KeyMetadata.KeyId as string);
    expect(new Set(ids).size).toBe(50);
    expect(server.model.world().keys.length).toBe(before + 50);

    const keyId = ids[0] ?? '';
    const policies = Array.from({ length: 50 }, (_, i) =>
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: `s${i}`, Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }] }),
    );
    const puts = await Promise.all(policies.map((Policy) => send(server, { headers: kmsHeaders('PutKeyPolicy'), body: JSON.stringify({ KeyId: keyId, Policy }) })));
    expect(puts.every((r) => r.status === 200)).toBe(true);
    const got = JSON.parse((await send(server, { headers: kmsHeaders('GetKeyPolicy'), body: JSON.stringify({ KeyId: keyId }) })).body).Policy as string;
    expect(policies).toContain(got);
  });

  it('logs the path without its query string (a presigned query carries credentials)', async () => {
    const query = 'X-Amz-Credential=AKIDEXAMPLE%2F20240101%2Fus-east-1%2Fkms%2Faws4_request&X-Amz-Security-Token=SESSIONTOKEN&X-Amz-Signature=abc123';
    await send(server, { path: `/?${query}`, headers: kmsHeaders('CreateKey'), body: '{}' });
    const line = logs.at(-1);
    expect(line?.path).toBe('/?…');
    expect(JSON.stringify(logs)).not.toMatch(/SESSIONTOKEN|AKIDEXAMPLE|X-Amz-Signature/);
  });

  it('logs one line per request without headers or bodies', () => {
    expect(logs.length).toBeGreaterThan(10);
    expect(logs.some((l) => l.operation === 'CreateKey' && l.status === 200 && l.code === undefined)).toBe(true);
    expect(logs.some((l) => l.code === 'RequestEntityTooLargeException' && l.status === 413)).toBe(true);
    for (const l of logs) {
      // target: the X-Amz-Target of a request naming no operation the mock serves, and only then.
      expect(Object.keys(l).sort()).toEqual(['code', 'method', 'ms', 'operation', 'path', 'status', ...(l.target === undefined ? [] : ['target'])].sort());
      if (l.target !== undefined) expect(l.operation).toBeUndefined();
    }
    expect(JSON.stringify(logs)).not.toContain('kms:*');
  });
});

describe('startMockServer options', () => {
  it('refuses a non-loopback host unless allowRemote', async () => {
    await expect(startMockServer({ host: '0.0.0.0' })).rejects.toThrow(MockConfigError);
    await expect(startMockServer({ host: '0.0.0.0' })).rejects.toThrow(/allowRemote/);
    expect(isLoopbackHost('127.0.0.2')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
  });

  it('rejects a bad port', async () => {
    await expect(startMockServer({ port: 70000 })).rejects.toThrow(/port/);
  });

  it('drops the connection when the fault profile asks (and only then)', async () => {
    const s = await startMockServer({ faults: { dropRate: 1, operations: ['CreateKey'] } });
    try {
      await expect(send(s, { headers: kmsHeaders('CreateKey'), body: '{}' })).rejects.toThrow(/socket hang up|ECONNRESET/);
      expect((await send(s, { headers: kmsHeaders('ListKeyPolicies'), body: '{"KeyId":"nope"}' })).status).toBe(400);
    } finally {
      await s.close();
    }
  });

  it('close() lets a request in flight finish, answers it with Connection: close and ends its socket', async () => {
    const s = await startMockServer({ faults: { latencyMs: [300, 300] } });
    const agent1 = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      let socketClosed: Promise<void> | undefined;
      const answer = new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: s.port, method: 'POST', path: '/', headers: kmsHeaders('CreateKey'), agent: agent1 }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
        });
        req.on('socket', (sock) => {
          socketClosed = new Promise((r) => sock.once('close', () => r()));
        });
        req.on('error', reject);
        req.end('{}');
      });
      await new Promise((r) => setTimeout(r, 100)); // the request is now waiting out its latency
      const closed = s.close();
      expect(await answer).toEqual({ status: 200, connection: 'close' });
      await socketClosed;
      await closed;
    } finally {
      agent1.destroy();
      await s.close();
    }
  });

  it('close() gives up after 2 s on a request still in its latency: it is dropped, and no timer outlives the server', async () => {
    const logged: MockRequestLog[] = [];
    const s = await startMockServer({ faults: { latencyMs: [60_000, 60_000] }, onRequest: (l) => logged.push(l) });
    const answer = send(s, { headers: kmsHeaders('CreateKey'), body: '{}' }).then(
      () => 'answered',
      () => 'connection closed',
    );
    await new Promise((r) => setTimeout(r, 100));
    await s.close();
    expect(await answer).toBe('connection closed');
    // The latency wait was cut short when close() forced the connections shut, not 60 s later.
    await new Promise((r) => setImmediate(r));
    expect(logged).toEqual([expect.objectContaining({ operation: 'CreateKey', status: 'dropped' })]);
  });

  it('close() resolves with keep-alive connections open, and is idempotent', async () => {
    const s = await startMockServer({});
    await send(s, { headers: kmsHeaders('CreateKey'), body: '{}' });
    await Promise.all([s.close(), s.close()]);
    await expect(send(s, { headers: kmsHeaders('CreateKey'), body: '{}' })).rejects.toThrow();
  });
});
