/**
 * A keep-alive HTTP/1.1 client over a raw `node:net` socket, for sending bytes no HTTP library
 * would (malformed, truncated, pipelined, trickled) and reading back exactly what the server sent.
 * Responses are matched to requests in order; a response nobody asked for, or bytes that are not
 * a response, are reported rather than skipped.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';

/** One response as it came off the wire. Header names are lower case. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** Why a response did not come. */
export class NoResponse extends Error {
  override readonly name = 'NoResponse';
  /** `closed`: the server closed the connection; `hung`: nothing came within the watchdog's limit; `garbage`: the bytes were not an HTTP response. */
  readonly reason: 'closed' | 'hung' | 'garbage';
  /** Bytes of an incomplete response received before the end (0 for a clean close). */
  readonly partialBytes: number;
  constructor(reason: 'closed' | 'hung' | 'garbage', partialBytes: number, detail = '') {
    super(`no response: the connection was ${reason === 'closed' ? 'closed' : reason === 'hung' ? 'silent too long' : 'sent bytes that are not an HTTP response'}${partialBytes > 0 ? ` (${partialBytes} bytes of a partial response)` : ''}${detail}`);
    this.reason = reason;
    this.partialBytes = partialBytes;
  }
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);

interface Waiter {
  readonly resolve: (r: RawResponse) => void;
  readonly reject: (e: NoResponse) => void;
}

/** A connection to the server; create with {@link RawConnection.open}. */
export class RawConnection {
  private readonly socket: Socket;
  private buffer: Buffer = EMPTY;
  /** For each request written and not yet answered: whether it was a HEAD request (no body in the answer). */
  private readonly expected: boolean[] = [];
  private readonly ready: RawResponse[] = [];
  private readonly waiters: Waiter[] = [];
  private failure: NoResponse | undefined;
  /** Responses that arrived with no request to answer. */
  unsolicited = 0;
  /** `performance.now()` of the last byte written or read. */
  lastActivity = performance.now();
  /** Resolves when the socket has closed. */
  readonly closed: Promise<void>;
  private isClosed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('error', () => {
      /* ECONNRESET / EPIPE after the server closed: the close that follows says it all */
    });
    socket.once('close', () => {
      this.isClosed = true;
      this.fail(new NoResponse('closed', this.buffer.length));
    });
  }

  /** Connects to 127.0.0.1:`port`. */
  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1', noDelay: true });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawConnection(socket));
      });
    });
  }

  /** Whether the connection has closed (or is closing). */
  get isOpen(): boolean {
    return !this.isClosed && this.socket.writable;
  }

  /** Whether requests are waiting for answers. */
  get busy(): boolean {
    return this.expected.length > 0 || this.waiters.length > 0;
  }

  /**
   * Writes bytes. `requests` lists the requests they complete, in order (`true` for HEAD): the
   * answers to them are then read with {@link next}. Bytes of a request still being sent pass `[]`.
   */
  write(bytes: Buffer | string, requests: readonly boolean[] = []): void {
    this.expected.push(...requests);
    this.lastActivity = performance.now();
    if (this.socket.writable) this.socket.write(bytes);
  }

  /** The next answer, in request order. Rejects with {@link NoResponse}. */
  next(): Promise<RawResponse> {
    const r = this.ready.shift();
    if (r !== undefined) return Promise.resolve(r);
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Resolves with `true` if the server closes the connection within `ms` (used after answers that say `Connection: close`). */
  async closesWithin(ms: number): Promise<boolean> {
    if (this.isClosed) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    const result = await Promise.race([this.closed.then(() => true), timedOut]);
    clearTimeout(timer);
    return result;
  }

  /** Closes the connection at once (a client that goes away). */
  destroy(): void {
    this.socket.destroy();
  }

  /** Gives up on the answers still owed (the watchdog): they reject as `hung`, and the socket closes. */
  abandon(): void {
    this.fail(new NoResponse('hung', this.buffer.length));
    this.socket.destroy();
  }

  private fail(e: NoResponse): void {
    this.failure ??= e;
    for (const w of this.waiters.splice(0)) w.reject(this.failure);
  }

  private deliver(r: RawResponse): void {
    const w = this.waiters.shift();
    if (w !== undefined) w.resolve(r);
    else this.ready.push(r);
  }

  private onData(chunk: Buffer): void {
    this.lastActivity = performance.now();
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let at = 0;
    for (;;) {
      const end = this.buffer.indexOf(CRLFCRLF, at);
      if (end < 0) break;
      const head = this.buffer.toString('latin1', at, end);
      const lines = head.split('\r\n');
      const m = /^HTTP\/1\.[01] (\d{3}) /.exec(`${lines[0] ?? ''} `);
      if (m === null) {
        this.fail(new NoResponse('garbage', this.buffer.length - at, `: ${JSON.stringify(head.slice(0, 60))}`));
        this.socket.destroy();
        return;
      }
      const status = Number(m[1]);
      const headers: Record<string, string> = {};
      for (let i = 1; i < lines.length; i++) {
        const line = lines[i] ?? '';
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const bodyStart = end + 4;
      if (status >= 100 && status < 200) {
        at = bodyStart; // interim (100 Continue): the real answer follows
        continue;
      }
      const isHead = this.expected[0] === true;
      let bodyEnd: number;
      if (isHead || status === 204 || status === 304) bodyEnd = bodyStart;
      else if (headers['content-length'] !== undefined) {
        bodyEnd = bodyStart + Number(headers['content-length']);
        if (bodyEnd > this.buffer.length) break;
      } else if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
        const decoded = dechunk(this.buffer, bodyStart);
        if (decoded === undefined) break;
        this.take({ status, headers, body: decoded.body });
        at = decoded.end;
        continue;
      } else break; // a body until the close: delivered as garbage by the close (our server never does this)
      this.take({ status, headers, body: Buffer.from(this.buffer.subarray(bodyStart, bodyEnd)) });
      at = bodyEnd;
    }
    this.buffer = at === 0 ? this.buffer : at >= this.buffer.length ? EMPTY : Buffer.from(this.buffer.subarray(at));
  }

  private take(r: RawResponse): void {
    if (this.expected.length === 0) this.unsolicited++;
    this.expected.shift();
    this.deliver(r);
  }
}

/** Decodes a chunked body starting at `from`, or `undefined` while incomplete. */
function dechunk(buf: Buffer, from: number): { body: Buffer; end: number } | undefined {
  const parts: Buffer[] = [];
  let at = from;
  for (;;) {
    const eol = buf.indexOf('\r\n', at, 'latin1');
    if (eol < 0) return undefined;
    const size = parseInt(buf.toString('latin1', at, eol).split(';')[0] ?? '', 16);
    if (Number.isNaN(size)) return { body: Buffer.concat(parts), end: buf.length };
    if (size === 0) {
      const trailerEnd = buf.indexOf(CRLFCRLF, eol);
      return trailerEnd < 0 ? undefined : { body: Buffer.concat(parts), end: trailerEnd + 4 };
    }
    if (eol + 2 + size + 2 > buf.length) return undefined;
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}
