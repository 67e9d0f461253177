/**
 * Request bytes and what their answers must be, for the fuzz and soak runs: a request is built as
 * raw HTTP/1.1 bytes, its expected answer comes from the contract (`decodeWireRequest` for the
 * wire level, `checkResponse` for every answer), and {@link judge} says what is wrong with an
 * answer, if anything.
 */
import { checkResponse, readErrorResponse } from '../../contract/oracle.ts';
import type { OperationName } from '../../contract/types.ts';
import { AWS_JSON_1_1, decodeWireRequest } from '../../contract/wire.ts';
import type { RawResponse } from './raw-client.ts';

/** What an answer must be. */
export type Expectation =
  /** Exactly this error; `closes`: with `Connection: close`; `message`: a text its message contains. */
  | { readonly kind: 'error'; readonly status: number; readonly code: string; readonly closes?: boolean; readonly message?: string }
  /** Any answer the contract's response checks accept for `op`: a correct success or a well-formed error. */
  | { readonly kind: 'answer'; readonly op: OperationName }
  /** A 200 for `op` that the response checks accept, and that `check` (if any) accepts. */
  | { readonly kind: 'success'; readonly op: OperationName; readonly check?: (body: unknown) => string | undefined }
  /** The answer to a HEAD request: this status and the error's headers, no body. */
  | { readonly kind: 'head'; readonly status: number }
  /** Any of these (a race the client cannot control, e.g. a slow upload that also breaks the time limit). */
  | { readonly kind: 'oneOf'; readonly options: readonly Expectation[] };

/** A request to build with {@link httpBytes}. */
export interface HttpRequestParts {
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Header lines written after `headers`, each ending in CRLF (prebuilt floods). */
  readonly rawHeaders?: Buffer;
  readonly body?: Buffer | Uint8Array | string;
}

/** Raw bytes of an HTTP/1.1 request. `headers` are written as given, then Host and Content-Length unless present. */
export function httpBytes(req: HttpRequestParts): Buffer {
  const body = req.body === undefined ? Buffer.alloc(0) : typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : Buffer.from(req.body);
  const headers = req.headers ?? {};
  let head = `${req.method ?? 'POST'} ${req.path ?? '/'} HTTP/1.1\r\n`;
  let host = false;
  let length = false;
  for (const k in headers) {
    const lower = k.toLowerCase();
    if (lower === 'host') host = true;
    else if (lower === 'content-length' || lower === 'transfer-encoding') length = true;
    head += `${k}: ${headers[k]}\r\n`;
  }
  if (!host) head = head.replace('\r\n', '\r\nHost: 127.0.0.1\r\n');
  if (!length) head += `Content-Length: ${body.length}\r\n`;
  const parts: Buffer[] = [Buffer.from(head, 'latin1')];
  if (req.rawHeaders !== undefined) parts.push(req.rawHeaders);
  parts.push(CRLF, body);
  return Buffer.concat(parts);
}

const CRLF = Buffer.from('\r\n');

/** The headers of an SDK-shaped request for `op`. */
export function kmsHeaders(op: OperationName): Record<string, string> {
  return { 'Content-Type': AWS_JSON_1_1, 'X-Amz-Target': `TrentService.${op}` };
}

/** Raw bytes of an awsJson1_1 request for `op` with this body (an object is JSON-encoded). */
export function kmsBytes(op: OperationName, body: Readonly<Record<string, unknown>> | Buffer | string, extraHeaders: Readonly<Record<string, string>> = {}, rawHeaders?: Buffer): Buffer {
  const b = Buffer.isBuffer(body) || typeof body === 'string' ? body : JSON.stringify(body);
  return httpBytes({ headers: { ...kmsHeaders(op), ...extraHeaders }, body: b, ...(rawHeaders === undefined ? {} : { rawHeaders }) });
}

/** What the contract's wire layer says about a request: its exact error, or any answer for the operation it routes to. */
export function expectWire(req: { readonly method: string; readonly path: string; readonly headers: Readonly<Record<string, string>>; readonly body: Uint8Array }, maxBodyBytes: number): Expectation {
  const d = decodeWireRequest({ method: req.method, path: req.path, headers: req.headers, body: req.body }, { maxBodyBytes });
  return d.kind === 'error' ? { kind: 'error', status: d.status, code: d.code } : { kind: 'answer', op: d.operation };
}

/** What is wrong with an answer, or `undefined` when it is what `expected` asks. */
export function judge(r: RawResponse, expected: Expectation): string | undefined {
  if (expected.kind === 'oneOf') {
    const problems = expected.options.map((o) => judge(r, o));
    return problems.includes(undefined) ? undefined : problems.join(' / or: ');
  }
  if (r.status >= 500) return `status ${r.status} (a server error: the mock's own bug) with body ${JSON.stringify(r.body.toString('utf8').slice(0, 200))}`;
  const contentType = r.headers['content-type'];
  if (contentType !== AWS_JSON_1_1) return `content type ${JSON.stringify(contentType)}, not ${AWS_JSON_1_1}`;
  if (!r.headers['x-amzn-requestid']) return 'no x-amzn-RequestId header';
  if (expected.kind === 'head') {
    if (r.status !== expected.status) return `HEAD answered ${r.status}, expected ${expected.status}`;
    return r.body.length === 0 ? undefined : `HEAD answered with a ${r.body.length}-byte body`;
  }
  const text = r.body.toString('utf8');
  const observed = { status: r.status, headers: r.headers, body: text };
  const violations = checkResponse(expected.kind === 'error' ? 'PutKeyPolicy' : expected.op, observed).filter((f) => f.kind === 'violation');
  if (violations.length > 0) return `the contract's response checks fail: ${violations.map((v) => `${v.ruleId}: ${v.message}`).join('; ')}`;
  switch (expected.kind) {
    case 'error': {
      const read = readErrorResponse(observed);
      const got = read.kind === 'error' ? read.code : `an unreadable error (${read.reason})`;
      if (r.status !== expected.status || got !== expected.code) return `${r.status} ${got}, expected ${expected.status} ${expected.code}: ${text.slice(0, 200)}`;
      if (expected.closes === true && r.headers.connection?.toLowerCase() !== 'close') return `no Connection: close after ${expected.code}`;
      if (expected.message !== undefined && !(read.kind === 'error' && read.message?.includes(expected.message))) return `${expected.code} without ${JSON.stringify(expected.message)} in its message (answer to another request?): ${text.slice(0, 200)}`;
      return undefined;
    }
    case 'answer':
      return r.status === 200 || readErrorResponse(observed).kind === 'error' ? undefined : `status ${r.status} without a readable error`;
    case 'success': {
      if (r.status !== 200) return `${r.status} ${text.slice(0, 300)}, expected 200`;
      return expected.check?.(text === '' ? {} : JSON.parse(text));
    }
  }
}

/** Printable, bounded form of request bytes for failure reports (credentials never appear: the fuzz sends none). */
export function show(bytes: Buffer, max = 300): string {
  const s = bytes.subarray(0, max).toString('latin1').replace(/[^\x20-\x7e]/g, (c) => (c === '\r' ? '\\r' : c === '\n' ? '\\n' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
  return bytes.length > max ? `${s}… (${bytes.length} bytes)` : s;
}

/** A small seeded generator (sfc32): the same seed gives each lane the same choices. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.uint32();
  }
  uint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }
  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 2 ** 32;
  }
  /** A whole number in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** A whole number in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  bytes(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) out[i] = this.uint32() & 0xff;
    return out;
  }
  /** A UUID v4 (key ids that do not exist). */
  uuid(): string {
    const h = Array.from({ length: 4 }, () => this.uint32().toString(16).padStart(8, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[this.int(4)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
