/**
 * What the fuzz and soak runs accept as an answer: exactly the AWS JSON error the contract names,
 * or a success the contract's response checks accept — never an empty or HTML error page, a server
 * error, or another request's answer.
 */
import { describe, expect, it } from 'vitest';
import { expectWire, httpBytes, judge, show } from './answers.ts';
import type { RawResponse } from './raw-client.ts';

const JSON_11 = 'application/x-amz-json-1.1';
const answer = (status: number, body: string, headers: Record<string, string> = {}): RawResponse => ({
  status,
  headers: { 'content-type': JSON_11, 'x-amzn-requestid': 'b6a9f0a4-5a2e-4e0e-9a53-000000000001', ...headers },
  body: Buffer.from(body),
});

describe('judge', () => {
  it('accepts the exact error, with Connection: close when asked', () => {
    const r = answer(431, '{"__type":"RequestHeaderFieldsTooLargeException","message":"too big"}', { connection: 'close' });
    expect(judge(r, { kind: 'error', status: 431, code: 'RequestHeaderFieldsTooLargeException', closes: true })).toBeUndefined();
  });

  it.each([
    ["Node's old empty 431", { status: 431, headers: { connection: 'close' }, body: Buffer.alloc(0) }, /content type undefined/],
    ['an HTML page', { status: 400, headers: { 'content-type': 'text/html', 'x-amzn-requestid': 'x' }, body: Buffer.from('<h1>Bad Request</h1>') }, /content type "text\/html"/],
    ['no request id', { status: 431, headers: { 'content-type': JSON_11 }, body: Buffer.from('{"__type":"RequestHeaderFieldsTooLargeException","message":"m"}') }, /no x-amzn-RequestId/],
    ['another code', answer(400, '{"__type":"MalformedHttpRequestException","message":"m"}'), /400 MalformedHttpRequestException, expected 431 RequestHeaderFieldsTooLargeException/],
    ['a JSON body without __type', answer(431, '{"message":"m"}'), /Wire\.error\.shape/],
    ['no Connection: close', answer(431, '{"__type":"RequestHeaderFieldsTooLargeException","message":"m"}'), /no Connection: close/],
    ['a server error', answer(500, '{"__type":"InternalFailure","message":"bug"}'), /status 500 \(a server error/],
  ])('rejects %s', (_what, r, message) => {
    expect(judge(r, { kind: 'error', status: 431, code: 'RequestHeaderFieldsTooLargeException', closes: true })).toMatch(message);
  });

  it('checks successes with the contract and the caller', () => {
    const check = (b: unknown): string | undefined => ((b as { KeyMetadata?: { KeyId?: string } }).KeyMetadata?.KeyId === 'k1' ? undefined : 'another key');
    expect(judge(answer(200, ''), { kind: 'success', op: 'PutKeyPolicy' })).toBeUndefined();
    expect(judge(answer(200, 'null'), { kind: 'success', op: 'PutKeyPolicy' })).toMatch(/Wire\.success\.emptyOutput/);
    expect(judge(answer(400, '{"__type":"NotFoundException","message":"m"}'), { kind: 'success', op: 'PutKeyPolicy' })).toMatch(/expected 200/);
    expect(judge(answer(200, '{"KeyMetadata":{"KeyId":"k2"}}'), { kind: 'success', op: 'DescribeKey', check })).toBe('another key');
  });

  it('matches error messages, HEAD answers and alternatives', () => {
    expect(judge(answer(400, '{"__type":"NotFoundException","message":"Key k9 does not exist"}'), { kind: 'error', status: 400, code: 'NotFoundException', message: 'k1' })).toMatch(/answer to another request/);
    expect(judge({ ...answer(400, ''), body: Buffer.alloc(0) }, { kind: 'head', status: 400 })).toBeUndefined();
    expect(judge(answer(400, '{}'), { kind: 'head', status: 400 })).toMatch(/HEAD answered with a 2-byte body/);
    const either = { kind: 'oneOf', options: [{ kind: 'error', status: 413, code: 'RequestEntityTooLargeException' }, { kind: 'error', status: 408, code: 'RequestTimeoutException' }] } as const;
    expect(judge(answer(408, '{"__type":"RequestTimeoutException","message":"m"}'), either)).toBeUndefined();
    expect(judge(answer(400, '{"__type":"SerializationException","message":"m"}'), either)).toMatch(/expected 413 .* \/ or: .*expected 408/);
  });
});

describe('request bytes', () => {
  it('adds Host and Content-Length, keeps given ones, and shows bytes printably', () => {
    const b = httpBytes({ method: 'GET', path: '/x', headers: { 'X-A': '1' }, body: '{}' });
    expect(b.toString('latin1')).toBe('GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: 1\r\nContent-Length: 2\r\n\r\n{}');
    expect(httpBytes({ headers: { host: 'h', 'Transfer-Encoding': 'chunked' }, rawHeaders: Buffer.from('X-F: 1\r\n') }).toString('latin1')).toBe('POST / HTTP/1.1\r\nhost: h\r\nTransfer-Encoding: chunked\r\nX-F: 1\r\n\r\n');
    expect(show(Buffer.from([0x50, 0x0d, 0x0a, 0x00, 0xff]))).toBe('P\\r\\n\\x00\\xff');
  });

  it('expects what the contract wire layer says', () => {
    const headers = { 'content-type': JSON_11, 'x-amz-target': 'TrentService.GetKeyPolicy' };
    expect(expectWire({ method: 'GET', path: '/', headers, body: new Uint8Array() }, 1024)).toEqual({ kind: 'error', status: 400, code: 'UnknownOperationException' });
    expect(expectWire({ method: 'POST', path: '/', headers, body: new Uint8Array([0xff]) }, 1024)).toEqual({ kind: 'error', status: 400, code: 'SerializationException' });
    expect(expectWire({ method: 'POST', path: '/', headers, body: new Uint8Array(2000) }, 1024)).toEqual({ kind: 'error', status: 413, code: 'RequestEntityTooLargeException' });
    expect(expectWire({ method: 'POST', path: '/', headers, body: Buffer.from('{"KeyId":"k"}') }, 1024)).toEqual({ kind: 'answer', op: 'GetKeyPolicy' });
  });
});
