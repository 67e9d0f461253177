/**
 * Raw sockets (`node:net`) against the mock server: every case where Node's HTTP layer used to
 * answer for the mock (an empty 400/408/417/431, a dropped CONNECT, a connection that went deaf
 * after `Upgrade`) now gets a parseable AWS JSON error — or a clean close where HTTP allows
 * nothing else — and the contract's own response checks find nothing wrong with it.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkResponse } from '../contract/oracle.ts';
import { MockConfigError } from './errors.ts';
import { DEFAULT_HTTP_TIMEOUTS, MAX_HEADER_BYTES, checkIntervalMs, describeClientError, resolveHttpTimeouts } from './http-guard.ts';
import { startMockServer } from './server.ts';
import type { MockRequestLog, MockServer } from './server.ts';

interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

interface Conversation {
  readonly responses: readonly RawResponse[];
  /** Whether the server closed the connection before the wait ran out. */
  readonly closed: boolean;
  /** Bytes after the last complete response (a partial or unparseable answer). */
  readonly rest: string;
}

/** Splits what the server sent into responses (Content-Length or chunked bodies; interim 100 Continue skipped). */
function parseResponses(text: string): { responses: RawResponse[]; rest: string } {
  const responses: RawResponse[] = [];
  let at = 0;
  for (;;) {
    const end = text.indexOf('\r\n\r\n', at);
    if (end < 0) break;
    const lines = text.slice(at, end).split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? NaN);
    if (Number.isNaN(status)) break;
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    let bodyStart = end + 4;
    if (status === 100) {
      at = bodyStart;
      continue;
    }
    let body: string;
    if (headers['content-length'] !== undefined) {
      const n = Number(headers['content-length']);
      if (Buffer.byteLength(text.slice(bodyStart), 'latin1') < n) break;
      body = Buffer.from(text.slice(bodyStart, bodyStart + n), 'latin1').toString('utf8');
      bodyStart += n;
    } else if (headers['transfer-encoding'] === 'chunked') {
      const done = text.indexOf('0\r\n\r\n', bodyStart);
      if (done < 0) break;
      body = text.slice(bodyStart, done);
      bodyStart = done + 5;
    } else {
      body = text.slice(bodyStart);
      bodyStart = text.length;
    }
    responses.push({ status, headers, body });
    at = bodyStart;
  }
  return { responses, rest: text.slice(at) };
}

/**
 * Opens a connection, writes `chunks` (`gapMs` apart), and collects the answer until the server
 * closes the connection, or `responses` complete answers have arrived (then `closed` says whether
 * the server had closed by then), or `waitMs` runs out (a bound against hangs).
 */
function converse(server: MockServer, chunks: readonly (string | Buffer)[], options: { gapMs?: number; waitMs?: number; responses?: number } = {}): Promise<Conversation> {
  const { gapMs = 0, waitMs = 10_000, responses: wanted } = options;
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    const received: Buffer[] = [];
    let closed = false;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const { responses, rest } = parseResponses(Buffer.concat(received).toString('latin1'));
      socket.destroy();
      resolve({ responses, closed, rest });
    };
    const timer = setTimeout(finish, waitMs);
    socket.on('data', (d: Buffer) => {
      received.push(d);
      if (wanted !== undefined && parseResponses(Buffer.concat(received).toString('latin1')).responses.length >= wanted) finish();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // The server may close while we still write (it answered and stopped reading): that is a close.
      if (e.code !== 'ECONNRESET' && e.code !== 'EPIPE') reject(e);
    });
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.on('connect', async () => {
      for (const c of chunks) {
        if (!socket.writable) break;
        socket.write(c);
        if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
  });
}

const JSON_11 = 'application/x-amz-json-1.1';
const kms = (op: string, body = '{}', extra = ''): string =>
  `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${JSON_11}\r\nX-Amz-Target: TrentService.${op}\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

/** Asserts an AWS JSON error that the contract's response checks accept, the only answer on a connection the server then closed. */
function expectJsonError(c: Conversation, code: string, status: number): string {
  expect(c.rest).toBe('');
  expect(c.responses).toHaveLength(1);
  expect(c.responses[0]?.headers.connection?.toLowerCase()).toBe('close');
  expect(c.closed).toBe(true);
  return jsonError(c.responses[0], code, status);
}

/** Asserts one AWS JSON error response and returns its message. */
function jsonError(r: RawResponse | undefined, code: string, status: number): string {
  expect(r?.status).toBe(status);
  expect(r?.headers['content-type']).toBe(JSON_11);
  expect(r?.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  const body = JSON.parse(r?.body ?? '') as { __type: string; message: string };
  expect(body.__type).toBe(code);
  expect(body.message).toMatch(/\S/);
  expect(checkResponse('PutKeyPolicy', r as RawResponse).filter((f) => f.kind === 'violation')).toEqual([]);
  return body.message;
}

describe('HTTP-level answers over raw sockets', () => {
  let server: MockServer;
  const logs: MockRequestLog[] = [];
  beforeAll(async () => {
    server = await startMockServer({ port: 0, maxBodyBytes: 1024, timeouts: { keepAliveMs: 60_000 }, onRequest: (l) => logs.push(l) });
  });
  afterAll(async () => {
    await server.close();
  });

  it('a well-formed request still gets its answer on a keep-alive connection (the helpers parse it)', async () => {
    const c = await converse(server, [kms('CreateKey') + kms('ListKeyPolicies', '{"KeyId":"nope"}')], { responses: 2 });
    expect(c.responses.map((r) => [r.status, r.headers.connection])).toEqual([
      [200, 'keep-alive'],
      [400, 'keep-alive'],
    ]);
    expect(c.closed).toBe(false);
  });

  it(`headers over ${MAX_HEADER_BYTES} bytes → 431 RequestHeaderFieldsTooLargeException (was 431 with an empty body)`, async () => {
    const c = await converse(server, [kms('CreateKey', '{}', `X-Flood: ${'a'.repeat(MAX_HEADER_BYTES + 10)}\r\n`)]);
    expect(expectJsonError(c, 'RequestHeaderFieldsTooLargeException', 431)).toContain(`${MAX_HEADER_BYTES} bytes`);
  });

  it('a client that reads late and sends on after the answer still gets the whole answer', async () => {
    // The server answers after 16 KiB; this client does not read for 2.5 s and sends the rest of
    // its headers meanwhile. The server keeps reading (and dropping) until the client is done, the
    // lingering close of RFC 9112 §9.6.
    const bytes = Buffer.from(kms('CreateKey', '{}', `X-Flood: ${'a'.repeat(MAX_HEADER_BYTES + 4_000)}\r\n`));
    const socket = connect({ port: server.port, host: '127.0.0.1', allowHalfOpen: true });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.pause();
    socket.write(bytes.subarray(0, MAX_HEADER_BYTES + 1_000));
    await new Promise((r) => setTimeout(r, 2_500));
    socket.write(bytes.subarray(MAX_HEADER_BYTES + 1_000));
    const received: Buffer[] = [];
    const outcome = new Promise<string>((resolve) => {
      socket.on('data', (d: Buffer) => received.push(d));
      socket.on('end', () => resolve('end'));
      socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    socket.resume();
    expect(await outcome).toBe('end');
    socket.destroy();
    const { responses } = parseResponses(Buffer.concat(received).toString('latin1'));
    expect(jsonError(responses[0], 'RequestHeaderFieldsTooLargeException', 431)).toContain(`${MAX_HEADER_BYTES} bytes`);
  });

  it('a flood of small headers under the limit is served normally', async () => {
    const flood = Array.from({ length: 1500 }, (_, i) => `X-H${i}: v\r\n`).join('');
    const c = await converse(server, [kms('CreateKey', '{}', flood)], { responses: 1 });
    expect(c.responses.map((r) => r.status)).toEqual([200]);
  });

  it('Expect other than 100-continue → 417 ExpectationFailedException (was 417 with an empty body), and the connection stays usable', async () => {
    const c = await converse(server, [kms('CreateKey', '{"Description":"skipped"}', 'Expect: teapot\r\n') + kms('CreateKey')], { responses: 2 });
    expect(c.responses.map((r) => [r.status, r.headers.connection])).toEqual([
      [417, 'keep-alive'],
      [200, 'keep-alive'],
    ]);
    expect(jsonError(c.responses[0], 'ExpectationFailedException', 417)).toContain('"teapot"');
    expect(c.closed).toBe(false);
    const ok = await converse(server, [kms('CreateKey', '{}', 'Expect: 100-continue\r\n')], { responses: 1 });
    expect(ok.responses.map((r) => r.status)).toEqual([200]);
  });

  it('no Host header in HTTP/1.1 → 400 MalformedHttpRequestException (was 400 with an empty body), and the connection stays usable', async () => {
    const noHost = `POST / HTTP/1.1\r\nContent-Type: ${JSON_11}\r\nX-Amz-Target: TrentService.CreateKey\r\nContent-Length: 2\r\n\r\n{}`;
    const c = await converse(server, [noHost + kms('CreateKey')], { responses: 2 });
    expect(c.responses.map((r) => [r.status, r.headers.connection])).toEqual([
      [400, 'keep-alive'],
      [200, 'keep-alive'],
    ]);
    expect(jsonError(c.responses[0], 'MalformedHttpRequestException', 400)).toContain('Host header');
    // HTTP/1.0 does not require Host.
    const old = await converse(server, [`POST / HTTP/1.0\r\nContent-Type: ${JSON_11}\r\nX-Amz-Target: TrentService.CreateKey\r\nContent-Length: 2\r\n\r\n{}`]);
    expect(old.responses.map((r) => r.status)).toEqual([200]);
  });

  it.each([
    ['an unknown method', 'UnknownOperationException', 'BREW / HTTP/1.1\r\nHost: x\r\n\r\n', /Method BREW is not supported/],
    ['a lower-case method', 'UnknownOperationException', 'post / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}', /case-sensitive/],
    ['a bad Content-Length', 'MalformedHttpRequestException', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 12abc\r\n\r\n{}', /HPE_INVALID_CONTENT_LENGTH.*Content-Length/],
    ['a negative Content-Length', 'MalformedHttpRequestException', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n', /Content-Length/],
    ['two Content-Lengths', 'MalformedHttpRequestException', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}', /Duplicate Content-Length/],
    ['Content-Length with Transfer-Encoding', 'MalformedHttpRequestException', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n', /not both/],
    ['a transfer coding other than chunked', 'MalformedHttpRequestException', 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n{}', /Transfer-Encoding/],
    ['a bad chunk size', 'MalformedHttpRequestException', 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n', /chunk size/],
    ['bare LF line ends', 'MalformedHttpRequestException', 'POST / HTTP/1.1\nHost: x\nContent-Length: 2\n\n{}', /CRLF/],
    ['a NUL byte in a header value', 'MalformedHttpRequestException', 'POST / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n', /HPE_INVALID_HEADER_TOKEN/],
    ['a NUL byte in the path', 'MalformedHttpRequestException', 'POST /\0 HTTP/1.1\r\nHost: x\r\n\r\n', /HPE_INVALID_URL/],
    ['a space in a header name', 'MalformedHttpRequestException', 'POST / HTTP/1.1\r\nHost: x\r\nBad Name: y\r\n\r\n', /header token/],
    ['an unknown HTTP version', 'MalformedHttpRequestException', 'POST / HTTP/3.7\r\nHost: x\r\n\r\n', /HTTP version/],
    ['the HTTP/2 preface', 'MalformedHttpRequestException', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', /HTTP\/2/],
    ['a TLS handshake', 'MalformedHttpRequestException', Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]), /https/],
  ])('%s → 400 %s (was 400 with an empty body)', async (_what, code, bytes, message) => {
    const c = await converse(server, [bytes]);
    expect(expectJsonError(c, code, 400)).toMatch(message);
  });

  it('CONNECT → 400 UnknownOperationException (was dropped without an answer)', async () => {
    const c = await converse(server, ['CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n']);
    expect(expectJsonError(c, 'UnknownOperationException', 400)).toContain('Method CONNECT is not supported');
  });

  it('a request with Connection: Upgrade is answered and its connection closed, so later bytes never hang (were unanswered ~31 s)', async () => {
    const upgrade = kms('ListKeyPolicies', '{"KeyId":"nope"}', 'Connection: Upgrade\r\nUpgrade: websocket\r\n');
    const c = await converse(server, [upgrade, 'GARBAGE\r\n\r\n'], { gapMs: 50 });
    expect(c.closed).toBe(true);
    expect(c.responses).toHaveLength(1);
    expect(c.responses[0]?.headers.connection?.toLowerCase()).toBe('close');
    expect(JSON.parse(c.responses[0]?.body ?? '')).toMatchObject({ __type: 'NotFoundException' });
    // h2c upgrade with a request pipelined behind it: the first is answered, then the close tells
    // the client to send the second again on a new connection (RFC 9112 §9.3.2).
    const h2c = kms('CreateKey', '{}', 'Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n');
    const p = await converse(server, [h2c + kms('CreateKey')]);
    expect(p.closed).toBe(true);
    expect(p.responses.map((r) => [r.status, r.headers.connection?.toLowerCase()])).toEqual([[200, 'close']]);
  });

  it('a body past the drain cap (64 × maxBodyBytes) is answered 413 before it ends, then the connection closes', async () => {
    const head = `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: ${JSON_11}\r\nX-Amz-Target: TrentService.PutKeyPolicy\r\nContent-Length: ${1024 * 200}\r\n\r\n`;
    const c = await converse(server, [head, ...Array.from({ length: 100 }, () => 'x'.repeat(1024))]);
    expect(expectJsonError(c, 'RequestEntityTooLargeException', 413)).toMatch(/exceeds the limit of 1024 bytes/);
  });

  it('logs each HTTP-level answer once, without the request bytes', () => {
    const guardLines = logs.filter((l) => l.operation === undefined);
    expect(guardLines.some((l) => l.method === '-' && l.path === '-' && l.status === 431 && l.code === 'RequestHeaderFieldsTooLargeException')).toBe(true);
    expect(guardLines.some((l) => l.method === 'CONNECT' && l.status === 400)).toBe(true);
    expect(guardLines.filter((l) => l.code === 'RequestEntityTooLargeException')).toHaveLength(1);
    expect(JSON.stringify(logs)).not.toMatch(/BREW|GARBAGE|teapot|X-Flood/);
  });
});

describe('answers in order on pipelined connections', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer({ port: 0, faults: { latencyMs: [150, 150], operations: ['CreateKey'] } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('a malformed request behind a slow one is answered after it, not in its place', async () => {
    const c = await converse(server, [kms('CreateKey') + 'BREW / HTTP/1.1\r\n\r\n']);
    expect(c.responses.map((r) => r.status)).toEqual([200, 400]);
    expect(JSON.parse(c.responses[0]?.body ?? '').KeyMetadata.KeyState).toBe('Enabled');
    expect(JSON.parse(c.responses[1]?.body ?? '').__type).toBe('UnknownOperationException');
    expect(c.closed).toBe(true);
  });

  it('a malformed request behind an answered one and two slow ones waits for both slow answers, in order', async () => {
    // ListKeys is answered at once (its answer has gone out when the next requests arrive); the
    // two CreateKey answers are still owed when the parser fails on the fourth request.
    const c = await converse(server, [kms('ListKeys') + kms('CreateKey') + kms('CreateKey') + 'BREW / HTTP/1.1\r\n\r\n']);
    expect(c.responses.map((r) => r.status)).toEqual([200, 200, 200, 400]);
    expect(JSON.parse(c.responses[0]?.body ?? '')).toHaveProperty('Keys');
    const ids = c.responses.slice(1, 3).map((r) => (JSON.parse(r.body) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId);
    expect(new Set(ids).size).toBe(2);
    expect(JSON.parse(c.responses[3]?.body ?? '').__type).toBe('UnknownOperationException');
    expect(c.responses[3]?.headers.connection?.toLowerCase()).toBe('close');
    expect(c.closed).toBe(true);
  });

  it('keeps serving a keep-alive connection after many requests, pipelined and not (owed answers are pruned, not lost)', async () => {
    const batch = Array.from({ length: 20 }, () => kms('ListKeys')).join('');
    const c = await converse(server, [batch, batch, kms('CreateKey')], { gapMs: 50, responses: 41 });
    expect(c.responses.map((r) => r.status)).toEqual(Array.from({ length: 41 }, () => 200));
    expect(JSON.parse(c.responses[40]?.body ?? '').KeyMetadata.KeyState).toBe('Enabled');
    expect(c.closed).toBe(false);
  });
});

describe('slow clients (configurable time limits)', () => {
  let server: MockServer;
  const logs: MockRequestLog[] = [];
  beforeAll(async () => {
    server = await startMockServer({ port: 0, timeouts: { headersMs: 1_500, requestMs: 3_000, keepAliveMs: 60_000 }, onRequest: (l) => logs.push(l) });
  });
  afterAll(async () => {
    await server.close();
  });

  it('headers that stop arriving → 408 RequestTimeoutException (was 408 with an empty body after ~90 s)', async () => {
    const c = await converse(server, ['POST / HTTP/1.1\r\nHost: x\r\nContent-Ty']);
    expect(expectJsonError(c, 'RequestTimeoutException', 408)).toContain('within 1500 ms');
  });

  it('a body that stops arriving → 408 RequestTimeoutException naming the request limit', async () => {
    const c = await converse(server, [`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: ${JSON_11}\r\nX-Amz-Target: TrentService.CreateKey\r\nContent-Length: 10\r\n\r\n{"Desc`]);
    expect(expectJsonError(c, 'RequestTimeoutException', 408)).toContain('within 3000 ms');
  });

  it('a stalled request behind an answered one → its answer, then the 408', async () => {
    const c = await converse(server, [kms('CreateKey') + 'POST / HT']);
    expect(c.responses.map((r) => r.status)).toEqual([200, 408]);
    expect(c.closed).toBe(true);
  });

  it('a connection that never sends a byte is closed without an answer (no response to a request never sent)', async () => {
    const c = await converse(server, []);
    expect(c).toEqual({ responses: [], closed: true, rest: '' });
  });

  it('a trickled request that completes within the limits is served', async () => {
    const bytes = kms('CreateKey', '{"Description":"trickled"}');
    const pieces = Array.from({ length: 10 }, (_, i) => bytes.slice((i * bytes.length) / 10, ((i + 1) * bytes.length) / 10));
    const c = await converse(server, pieces, { gapMs: 10, responses: 1 });
    expect(c.responses.map((r) => r.status)).toEqual([200]);
    expect(JSON.parse(c.responses[0]?.body ?? '').KeyMetadata.Description).toBe('trickled');
  });

  it('logs timeouts with the time since the request began', () => {
    expect(logs.filter((l) => l.code === 'RequestTimeoutException').map((l) => l.status)).toEqual([408, 408, 408]);
  });
});

describe('time limit options', () => {
  it('default to 60 s for headers and request and 30 s keep-alive, checked at most 1 s late', () => {
    expect(resolveHttpTimeouts()).toEqual({ headersMs: 60_000, requestMs: 60_000, keepAliveMs: 30_000 });
    expect(resolveHttpTimeouts()).toEqual(DEFAULT_HTTP_TIMEOUTS);
    expect(checkIntervalMs(DEFAULT_HTTP_TIMEOUTS)).toBe(1_000);
    expect(checkIntervalMs({ headersMs: 200, requestMs: 400, keepAliveMs: 1 })).toBe(50);
  });

  it.each([
    [{ headersMs: 0 }, /timeouts\.headersMs: must be a whole number of milliseconds from 1 to 3600000, got 0/],
    [{ requestMs: 1.5 }, /timeouts\.requestMs: .* got 1\.5/],
    [{ keepAliveMs: -1 }, /timeouts\.keepAliveMs/],
    [{ headersMs: 5_000, requestMs: 1_000 }, /timeouts\.headersMs: must not exceed timeouts\.requestMs .* 5000 > 1000/],
  ])('reject %j with a MockConfigError naming the option', async (timeouts, message) => {
    expect(() => resolveHttpTimeouts(timeouts)).toThrow(MockConfigError);
    await expect(startMockServer({ timeouts })).rejects.toThrow(message);
  });

  it('peer-gone errors get no answer; unknown parser errors get MalformedHttpRequestException', () => {
    const gone = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(describeClientError(gone, DEFAULT_HTTP_TIMEOUTS, 'headers')).toBeUndefined();
    const odd = Object.assign(new Error('Parse Error'), { code: 'HPE_SOMETHING_NEW', reason: 'Something new', bytesParsed: 7 });
    expect(describeClientError(odd, DEFAULT_HTTP_TIMEOUTS, 'headers')).toEqual({
      code: 'MalformedHttpRequestException',
      status: 400,
      message: 'The request is not valid HTTP/1.1: Something new (HPE_SOMETHING_NEW, at byte 7). Send a well-formed HTTP/1.1 request: POST / HTTP/1.1 with Host, Content-Type, X-Amz-Target and Content-Length.',
    });
  });
});
