/**
 * The HTTP/1.1 layer of the mock server, below the awsJson1_1 wire layer: what the mock answers
 * where Node's HTTP server would otherwise answer for it with an empty body (malformed requests,
 * oversize headers, an `Expect` other than `100-continue`, slow clients, a missing `Host`) or
 * drop the connection without a word (`CONNECT`, and the requests after one with `Upgrade`).
 *
 * Every such answer is an AWS JSON error — `{"__type","message"}`, `Content-Type:
 * application/x-amz-json-1.1`, `x-amzn-RequestId` — sent with `Connection: close`, in order after
 * the answers still owed on the connection. Codes and statuses: `decisions/0306-http-level-errors.md`.
 */
import { STATUS_CODES } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { decodeWireRequest, encodeError } from '../contract/wire.ts';
import type { WireResponse } from '../contract/wire.ts';
import { MockConfigError } from './errors.ts';

/** Largest request line plus headers the server reads, in bytes (Node's default, set explicitly so messages can name it). */
export const MAX_HEADER_BYTES = 16_384;

/** Time limits of the HTTP layer, in milliseconds. */
export interface HttpTimeouts {
  /** The request line and headers must arrive within this time. @defaultValue 60000 */
  readonly headersMs: number;
  /** The whole request, body included, must arrive within this time; at least `headersMs`. @defaultValue 60000 */
  readonly requestMs: number;
  /** An idle keep-alive connection is closed (silently) after this time. @defaultValue 30000 */
  readonly keepAliveMs: number;
}

/** The time limits used when none are given. */
export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { headersMs: 60_000, requestMs: 60_000, keepAliveMs: 30_000 };

const MAX_TIMEOUT_MS = 3_600_000;

/** Fills in and checks time limits. Throws {@link MockConfigError} naming the option for a bad value. */
export function resolveHttpTimeouts(given: Partial<HttpTimeouts> = {}): HttpTimeouts {
  const t = { ...DEFAULT_HTTP_TIMEOUTS, ...given };
  for (const name of ['headersMs', 'requestMs', 'keepAliveMs'] as const) {
    const v = t[name];
    if (!Number.isSafeInteger(v) || v < 1 || v > MAX_TIMEOUT_MS) {
      throw new MockConfigError(`timeouts.${name}`, `must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, got ${JSON.stringify(v)}.`);
    }
  }
  if (t.headersMs > t.requestMs) {
    throw new MockConfigError('timeouts.headersMs', `must not exceed timeouts.requestMs (the headers are part of the request), got ${t.headersMs} > ${t.requestMs}.`);
  }
  return t;
}

/**
 * How often the time limits are checked: a quarter of the shorter limit, from 10 ms to 1 s, so a
 * slow client is answered at most 25 % (and at most 1 s) after its limit.
 */
export function checkIntervalMs(t: HttpTimeouts): number {
  return Math.max(10, Math.min(1_000, Math.floor(Math.min(t.headersMs, t.requestMs) / 4)));
}

/** An error the HTTP layer answers with. */
export interface HttpLevelError {
  readonly code: string;
  readonly status: number;
  readonly message: string;
}

/** What Node's parser reports (`clientError`): llhttp's code and reason, and where it stopped. */
export interface ParserError extends Error {
  readonly code?: string;
  readonly reason?: string;
  readonly bytesParsed?: number;
  readonly rawPacket?: Buffer;
}

const MALFORMED = 'MalformedHttpRequestException';
const TIMEOUT = 'ERR_HTTP_REQUEST_TIMEOUT';
/** The peer went away: nothing can be answered. */
const GONE = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'HPE_INVALID_EOF_STATE']);

/** What to do about each llhttp error, after the reason and position. */
const HINTS: Readonly<Record<string, string>> = {
  HPE_INVALID_CONTENT_LENGTH: 'Send one Content-Length with the body size in decimal bytes.',
  HPE_UNEXPECTED_CONTENT_LENGTH: 'Send either Content-Length or Transfer-Encoding: chunked, not both.',
  HPE_INVALID_TRANSFER_ENCODING: 'Send either Content-Length or Transfer-Encoding: chunked (as the only coding), not both.',
  HPE_INVALID_CHUNK_SIZE: 'Each chunk starts with its size in hexadecimal and CRLF.',
  HPE_INVALID_VERSION: 'End every line with CRLF and use HTTP/1.1 or HTTP/1.0.',
  HPE_LF_EXPECTED: 'End every line with CRLF, not a bare LF or CR.',
  HPE_CR_EXPECTED: 'End every line with CRLF, not a bare LF or CR.',
  HPE_INVALID_HEADER_TOKEN: 'Header names are tokens, and header values hold no control characters (NUL, bare CR or LF).',
  HPE_INVALID_URL: 'The request target is / (no spaces or control characters).',
};

function malformed(err: ParserError): HttpLevelError {
  const reason = err.reason ?? err.message;
  const at = err.bytesParsed === undefined ? '' : `, at byte ${err.bytesParsed}`;
  const hint = (err.code !== undefined ? HINTS[err.code] : undefined) ?? 'Send a well-formed HTTP/1.1 request: POST / HTTP/1.1 with Host, Content-Type, X-Amz-Target and Content-Length.';
  return { code: MALFORMED, status: 400, message: `The request is not valid HTTP/1.1: ${reason} (${err.code ?? 'parse error'}${at}). ${hint}` };
}

const isLetter = (b: number | undefined): boolean => b !== undefined && ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d);

/**
 * The method token around the byte where llhttp gave up (`rawPacket` is the whole chunk, which
 * may hold earlier pipelined requests), when it is letters followed by a space.
 */
function methodToken(raw: Buffer | undefined, at: number | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let start = Math.min(at ?? 0, raw.length);
  while (start > 0 && isLetter(raw[start - 1])) start--;
  let end = start;
  while (end < raw.length && end - start < 32 && isLetter(raw[end])) end++;
  if (end === start || raw[end] !== 0x20) return undefined;
  return raw.subarray(start, end).toString('latin1');
}

/**
 * The answer to a request that Node's parser could not read, or `undefined` when the peer is gone.
 * `phase` says whether the request's headers had been read (a slow body) or not.
 */
export function describeClientError(err: ParserError, timeouts: HttpTimeouts, phase: 'headers' | 'body'): HttpLevelError | undefined {
  const code = err.code ?? '';
  if (GONE.has(code)) return undefined;
  switch (code) {
    case TIMEOUT:
      return {
        code: 'RequestTimeoutException',
        status: 408,
        message:
          phase === 'body'
            ? `The request body did not arrive within ${timeouts.requestMs} ms of the request's start; send the whole request without pausing (limit: the server's timeouts.requestMs).`
            : `The request line and headers did not arrive within ${timeouts.headersMs} ms; send them without pausing (limit: the server's timeouts.headersMs).`,
      };
    case 'HPE_HEADER_OVERFLOW':
      return {
        code: 'RequestHeaderFieldsTooLargeException',
        status: 431,
        message: `The request line and headers exceed the limit of ${MAX_HEADER_BYTES} bytes; send fewer or shorter headers.`,
      };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { code: 'RequestEntityTooLargeException', status: 413, message: 'The chunk extensions of the request body are too large; send chunks without extensions.' };
    case 'HPE_PAUSED_H2_UPGRADE':
      return { code: MALFORMED, status: 400, message: 'HTTP/2 with prior knowledge (PRI * HTTP/2.0) is not served; send HTTP/1.1 requests.' };
    case 'HPE_INVALID_METHOD': {
      const token = methodToken(err.rawPacket, err.bytesParsed);
      if (token === undefined) {
        return err.rawPacket?.[err.bytesParsed ?? 0] === 0x16
          ? { code: MALFORMED, status: 400, message: 'The connection began with a TLS handshake; the mock serves plain HTTP: use an http:// endpoint, not https://.' }
          : { code: MALFORMED, status: 400, message: `The request does not start with an HTTP method (${err.reason ?? 'invalid method'}). Send an HTTP/1.1 request: POST / HTTP/1.1.` };
      }
      if (token.toUpperCase() === 'POST') {
        return { code: 'UnknownOperationException', status: 400, message: `Method ${JSON.stringify(token)} is not POST: HTTP methods are case-sensitive; send POST.` };
      }
      return methodRefused(token);
    }
    default:
      return malformed(err);
  }
}

/** The wire layer's answer to a method other than POST (decision 0300), for requests Node never hands over. */
export function methodRefused(method: string): HttpLevelError {
  const r = decodeWireRequest({ method, path: '/', headers: {}, body: new Uint8Array(0) });
  if (r.kind !== 'error') throw new Error(`[kms-conformance mock] internal error: the wire layer accepted method ${method}`);
  return { code: r.code, status: r.status, message: r.message };
}

/** The answer to an `Expect` other than `100-continue` (RFC 9110 §10.1.1). */
export function expectationFailed(expect: string): HttpLevelError {
  const shown = expect.length > 64 ? `${expect.slice(0, 64)}…` : expect;
  return {
    code: 'ExpectationFailedException',
    status: 417,
    message: `Expect: ${JSON.stringify(shown)} cannot be met; the only expectation the mock supports is 100-continue. Send the request without Expect, or with Expect: 100-continue.`,
  };
}

/** The answer to an HTTP/1.1 request without `Host` (RFC 9112 §3.2: "MUST respond with a 400"). */
export function missingHost(): HttpLevelError {
  return { code: MALFORMED, status: 400, message: 'The HTTP/1.1 request has no Host header (RFC 9112, section 3.2 requires one); add one, e.g. Host: 127.0.0.1:4566.' };
}

/** The raw bytes of an error response that closes the connection, for sockets Node no longer writes to. */
export function rawErrorResponse(r: WireResponse): Buffer {
  const lines = [`HTTP/1.1 ${r.status} ${STATUS_CODES[r.status] ?? 'Error'}`];
  for (const [name, value] of Object.entries(r.headers)) lines.push(`${name}: ${value}`);
  lines.push(`date: ${new Date().toUTCString()}`, 'connection: close');
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${r.body}`, 'utf8');
}

/**
 * Whether a request asked to switch protocols. Node stops parsing a connection after such a
 * request when no `upgrade` listener takes it over, so later bytes would go unanswered: the mock
 * answers the request itself (it ignores `Upgrade`, as RFC 9110 §7.8 allows) and then closes.
 */
export function asksForUpgrade(req: IncomingMessage): boolean {
  if (req.headers.upgrade !== undefined) return true;
  const connection = req.headers.connection;
  return connection !== undefined && /(?:^|[\s,])upgrade(?:$|[\s,])/i.test(connection);
}

/** A line of the request log, for answers given at the HTTP level. */
export interface HttpLevelLog {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly code: string;
  readonly ms: number;
}

/** What the guard needs from the server. */
export interface HttpGuardHooks {
  readonly timeouts: HttpTimeouts;
  /** A request id for an answer. */
  requestId(): string;
  /** Called once per answer the guard sends itself. */
  log(line: HttpLevelLog): void;
}

/**
 * After an HTTP-level answer the connection stays open, reading and dropping what the client
 * still sends, until the client closes it, or sends nothing for {@link LINGER_IDLE_MS}, or
 * {@link LINGER_MAX_MS} have passed. Closing at once would make the kernel reset the connection
 * when more bytes arrive, and a reset can discard the answer before the client has read it
 * (RFC 9112 §9.6 describes this lingering close).
 */
const LINGER_IDLE_MS = 5_000;
const LINGER_MAX_MS = 30_000;

/** What the guard keeps per connection. */
interface Connection {
  /**
   * The answers of the requests Node handed over on this connection, oldest first, that had not
   * gone out when last looked at: answers that have are dropped when the next request arrives
   * (usually the one before it; more after pipelined requests), so this stays a handful long.
   */
  readonly owed: ServerResponse[];
  /** When the last complete request ended (or the connection opened), for the log. */
  lastEnd: number;
}

/**
 * Whether an answer has gone out (its bytes are handed to the socket: what `finish` reports) or
 * never will (the response or its connection closed, what `close` reports). Node sets these
 * before it emits either event, so an answer found unsettled has yet to emit both.
 */
function settled(res: ServerResponse): boolean {
  return res.writableFinished || res.closed || res.destroyed;
}

/** Calls `then` once, when `res` has gone out or closed (at once when it already has). */
function whenSettled(res: ServerResponse, then: () => void): void {
  if (settled(res)) {
    then();
    return;
  }
  let done = false;
  const once = (): void => {
    if (done) return;
    done = true;
    res.off('finish', once);
    res.off('close', once);
    then();
  };
  res.on('finish', once);
  res.on('close', once);
}

/**
 * Takes over the cases Node's HTTP server answers for itself. Create it before the server
 * listens; the request handler calls {@link HttpGuard.track} for every request it gets.
 *
 * The per-request work is kept to a list entry and a timestamp: listeners on an answer are only
 * attached on the rare path that needs them (an HTTP-level error while earlier answers are owed).
 */
export class HttpGuard {
  private readonly hooks: HttpGuardHooks;
  private readonly connections = new WeakMap<Socket, Connection>();
  /** Connections the guard has answered: Node reports their parse error again on every chunk. */
  private readonly answered = new WeakSet<Socket>();
  /** Answered connections waiting for the client to close. */
  private readonly lingering = new Set<Duplex>();

  constructor(server: Server, hooks: HttpGuardHooks) {
    this.hooks = hooks;
    server.on('connection', (socket: Socket) => this.connections.set(socket, { owed: [], lastEnd: performance.now() }));
    server.on('clientError', (err: ParserError, socket: Duplex) => this.onClientError(err, socket as Socket));
    server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
      // The request is framed correctly: Node reads past its body after the answer, and the
      // connection stays usable.
      const e = expectationFailed(String(req.headers.expect ?? ''));
      const r = this.encode(e);
      res.writeHead(r.status, r.headers).end(r.body);
      this.hooks.log({ method: req.method ?? '-', path: req.url ?? '-', status: e.status, code: e.code, ms: 0 });
    });
    server.on('connect', (req: IncomingMessage, socket: Duplex) => {
      socket.on('error', () => {
        /* the peer went away; the answer is lost */
      });
      const e = methodRefused(req.method ?? 'CONNECT');
      this.writeAndClose(socket, e, req.method ?? 'CONNECT', req.url ?? '-');
    });
  }

  private connectionOf(socket: Socket): Connection {
    let c = this.connections.get(socket);
    if (c === undefined) {
      c = { owed: [], lastEnd: performance.now() };
      this.connections.set(socket, c);
    }
    return c;
  }

  /** Registers a request Node handed to the server, so HTTP-level answers keep their place in line. */
  track(req: IncomingMessage, res: ServerResponse): void {
    const owed = this.connectionOf(req.socket).owed;
    let kept = 0;
    for (const r of owed) if (!settled(r)) owed[kept++] = r;
    owed.length = kept;
    owed.push(res);
  }

  /** Notes that a request has been read in full (the time a next request's answer is logged from). */
  requestEnded(req: IncomingMessage): void {
    this.connectionOf(req.socket).lastEnd = performance.now();
  }

  /** An HTTP-level fault of a request Node did parse (a missing `Host`), or `undefined`. */
  problemOf(req: IncomingMessage): HttpLevelError | undefined {
    return req.httpVersion === '1.1' && req.headers.host === undefined ? missingHost() : undefined;
  }

  /** The JSON error response of an HTTP-level error. */
  encode(e: HttpLevelError): WireResponse {
    return encodeError(e.code, e.message, e.status, this.hooks.requestId());
  }

  private onClientError(err: ParserError, socket: Socket): void {
    if (this.answered.has(socket)) return;
    this.answered.add(socket);
    const conn = this.connectionOf(socket);
    const owed = conn.owed.filter((r) => !settled(r));
    // A request Node has handed over but not finished reading: the error is its own (a slow or
    // malformed body), answered in its place unless its answer has begun.
    const receiving = owed.find((r) => !r.req.complete);
    if (receiving === undefined && err.code === TIMEOUT && socket.bytesRead === 0) {
      // A connection that never sent a byte: close it quietly rather than answer a request never
      // sent. (Node times out only connections whose current request is incomplete, so on any
      // other connection the bytes of a next request have begun to arrive.)
      socket.destroy();
      return;
    }
    const e = describeClientError(err, this.hooks.timeouts, receiving === undefined ? 'headers' : 'body');
    if (e === undefined || receiving?.headersSent === true || !socket.writable) {
      socket.destroy();
      return;
    }
    const ms = Math.round(performance.now() - conn.lastEnd);
    const send = (): void => this.writeAndClose(socket, e, receiving?.req.method ?? '-', receiving?.req.url ?? '-', ms);
    // The answers owed to earlier requests go out first.
    const before = owed.filter((r) => r !== receiving);
    let waiting = before.length;
    if (waiting === 0) send();
    for (const r of before) {
      whenSettled(r, () => {
        if (--waiting === 0) send();
      });
    }
  }

  /** Writes the answer on the raw socket, ends it, and lets it linger until the client has read it. */
  private writeAndClose(socket: Duplex, e: HttpLevelError, method: string, path: string, ms = 0): void {
    if (socket.destroyed || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(rawErrorResponse(this.encode(e)));
    this.linger(socket);
    this.hooks.log({ method, path, status: e.status, code: e.code, ms });
  }

  private linger(socket: Duplex): void {
    const bytesRead = (): number => (socket as Partial<Socket>).bytesRead ?? 0;
    const started = performance.now();
    let seen = bytesRead();
    let lastByte = started;
    const timer = setInterval(() => {
      const now = performance.now();
      if (bytesRead() !== seen) {
        seen = bytesRead();
        lastByte = now;
      }
      if (now - lastByte >= LINGER_IDLE_MS || now - started >= LINGER_MAX_MS) socket.destroy();
    }, 1_000);
    timer.unref();
    this.lingering.add(socket);
    socket.once('close', () => {
      clearInterval(timer);
      this.lingering.delete(socket);
    });
  }

  /** Closes the connections still lingering after an HTTP-level answer (the server is closing). */
  closeLingering(): void {
    for (const socket of this.lingering) socket.destroy();
  }
}
