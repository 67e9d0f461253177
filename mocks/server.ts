/**
 * The mock as a standalone HTTP server (package export `./server`, and `kms-conformance serve`):
 * loopback by default, port 0 allowed, keep-alive, a request size limit, configurable time
 * limits, and one model shared by all connections. Whatever Node's HTTP parser rejects is answered
 * as an AWS JSON error too (`./http-guard.ts`). Signals are the CLI's business, not the library's.
 *
 * @example
 * ```ts
 * const server = await startMockServer({ port: 0 });
 * const client = new KMSClient({ endpoint: server.url, region: 'us-east-1', maxAttempts: 1,
 *   credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
 * // …
 * await server.close();
 * ```
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeError, tooLargeMessage } from '../contract/wire.ts';
import type { OperationName } from '../contract/types.ts';
import { handleAdmin, isAdminPath } from './admin.ts';
import type { AdminResponse } from './admin.ts';
import { MockConfigError } from './errors.ts';
import { createMockHandler } from './handler.ts';
import { HttpGuard, MAX_HEADER_BYTES, asksForUpgrade, checkIntervalMs, resolveHttpTimeouts } from './http-guard.ts';
import type { HttpTimeouts } from './http-guard.ts';
import { KmsModel } from './model/kms-model.ts';
import { createRng, uuidV4 } from './model/rng.ts';
import type { MockOptions } from './options.ts';

export { KmsModel } from './model/kms-model.ts';
export type { MockOptions } from './options.ts';
export { DEFAULT_HTTP_TIMEOUTS } from './http-guard.ts';
export type { HttpTimeouts } from './http-guard.ts';

/** One line of the request log (never headers, bodies or query values, so never secrets). */
export interface MockRequestLog {
  readonly method: string;
  /**
   * The request path without its query string (`?…` marks that there was one): a presigned query
   * carries `X-Amz-Credential`, `X-Amz-Signature` and `X-Amz-Security-Token`.
   */
  readonly path: string;
  readonly operation: OperationName | undefined;
  /**
   * The request's `X-Amz-Target` header when it names no operation the mock serves (at most 128
   * characters); `undefined` when the operation is known or the header is absent.
   */
  readonly target?: string;
  readonly status: number | 'dropped';
  /** Error `__type`, absent on success. */
  readonly code: string | undefined;
  readonly ms: number;
}

/** Options of {@link startMockServer}: the mock's options plus where to listen. */
export interface MockServerOptions extends MockOptions {
  /** Interface to listen on. @defaultValue `'127.0.0.1'` */
  readonly host?: string;
  /** Port; 0 picks a free one. @defaultValue 0 */
  readonly port?: number;
  /** Allow a non-loopback `host` (the mock has no real authentication). @defaultValue false */
  readonly allowRemote?: boolean;
  /** Serve this model (shared with other servings) instead of creating one. */
  readonly model?: KmsModel;
  /** Called once per request, after the answer is sent. */
  readonly onRequest?: (log: MockRequestLog) => void;
  /** Serve the admin API under `/_kms-conformance/` (loopback clients only; `mocks/admin.ts`). @defaultValue true */
  readonly admin?: boolean;
  /**
   * Time limits of the HTTP layer in ms: `headersMs` and `requestMs` (60000 each) answer a client
   * that has not sent its headers, or its whole request, in time with HTTP 408
   * `RequestTimeoutException`; `keepAliveMs` (30000) closes idle keep-alive connections.
   */
  readonly timeouts?: Partial<HttpTimeouts>;
}

/** A running mock server. */
export interface MockServer {
  /** `http://HOST:PORT` (IPv6 hosts in brackets). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly model: KmsModel;
  /**
   * Stops accepting connections, closes idle keep-alive connections, lets requests in flight
   * finish (their answers say `Connection: close`), and after 2 s closes whatever is still open.
   */
  close(): Promise<void>;
}

/** Hosts that never leave the machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Hard cap on bytes drained from an oversize request before the connection is closed. */
const DRAIN_CAP_FACTOR = 64;

/** The path of a request URL for the log: the query string, which may hold credentials, becomes `?…`. */
export function loggedPath(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : `${url.slice(0, q)}?…`;
}

/** The path of a request URL, without its query string. */
function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

function ignore(): void {
  /* a request stream's error: the client went away, nothing to answer */
}

/**
 * The request body as one Uint8Array of its own: not a view of memory that holds anything else
 * (other requests' bytes, pooled allocations), which the handler could reach through `.buffer` or
 * keep alive. Node's parser hands each body chunk over in an ArrayBuffer of its own (so Node 20
 * does), so a one-chunk body is used as it is, as a plain Uint8Array view, when its buffer is all
 * its own (checked here, not assumed); anything else is copied.
 */
function joinBody(first: Buffer | undefined, more: readonly Buffer[] | undefined, size: number): Uint8Array {
  if (first === undefined) return new Uint8Array(0);
  if (more === undefined && first.byteOffset === 0 && first.buffer.byteLength === first.byteLength) return new Uint8Array(first.buffer, 0, first.byteLength);
  const joined = new Uint8Array(size);
  let at = 0;
  for (const chunk of more ?? [first]) {
    joined.set(chunk, at);
    at += chunk.length;
  }
  return joined;
}

/** Starts the mock server. Rejects with {@link MockConfigError} for a bad host or port. */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new MockConfigError('port', `must be a whole number from 0 to 65535, got ${JSON.stringify(port)}.`);
  if (!isLoopbackHost(host) && options.allowRemote !== true) {
    throw new MockConfigError('host', `${JSON.stringify(host)} is not a loopback address; the mock accepts any credentials, so it listens on 127.0.0.1, localhost or ::1 unless allowRemote is true (--allow-remote).`);
  }
  const { host: _h, port: _p, allowRemote: _a, model: given, onRequest, admin = true, timeouts: givenTimeouts, ...mockOptions } = options;
  const timeouts = resolveHttpTimeouts(givenTimeouts);
  const model = given ?? new KmsModel(mockOptions);
  const handler = createMockHandler(model);
  const limit = model.options.maxBodyBytes;
  // Request ids of the answers this file and the HTTP guard give, apart from the handler's stream.
  const ids = createRng(model.options.seed, 5);
  const requestId = (): string => uuidV4(ids);

  let closing: Promise<void> | undefined;
  // Aborted when close() gives up waiting: requests still in a fault profile's latency end at once.
  const forced = new AbortController();
  // Per request, the work outside the handler is kept small (measured: bench/server-load.ts): the
  // helpers below are made once per server, not as closures per request, and the log's clock and
  // line are only made when there is an `onRequest`.
  const log = (req: IncomingMessage, started: number, status: number | 'dropped', operation: OperationName | undefined, code: string | undefined): void => {
    if (onRequest === undefined) return;
    const target = operation === undefined ? req.headers['x-amz-target'] : undefined;
    onRequest({ method: req.method ?? 'GET', path: loggedPath(req.url ?? '/'), operation, ...(typeof target === 'string' ? { target: target.slice(0, 128) } : {}), status, code, ms: Math.round(performance.now() - started) });
  };
  // An answer sent while the server closes ends its connection, so close() need not wait for
  // the keep-alive timeout (or force the socket shut) after the last request in flight. So does
  // the answer to a request with Upgrade: Node reads nothing more on that connection.
  const send = (req: IncomingMessage, res: ServerResponse, status: number, headers: Readonly<Record<string, string>>, body: string): void => {
    if (res.headersSent || res.destroyed) return; // answered already (HTTP-level error, size cap)
    if (closing !== undefined || asksForUpgrade(req)) res.setHeader('connection', 'close');
    res.writeHead(status, headers).end(body);
  };
  const tooLarge = (req: IncomingMessage, res: ServerResponse, started: number, size: number): void => {
    if (res.headersSent) return;
    const r = encodeError('RequestEntityTooLargeException', tooLargeMessage(size, limit), 413, requestId());
    send(req, res, r.status, r.headers, r.body);
    log(req, started, r.status, undefined, 'RequestEntityTooLargeException');
  };
  const answer = (req: IncomingMessage, res: ServerResponse, started: number, body: Uint8Array): void => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    if (admin && isAdminPath(pathOf(path))) {
      let r: AdminResponse;
      try {
        r = handleAdmin({ model, handler }, { method, path, remoteAddress: req.socket.remoteAddress, body });
      } catch (e) {
        r = { status: 500, headers: { 'content-type': 'application/json' }, body: `${JSON.stringify({ error: { code: 'InternalFailure', message: `[kms-conformance mock] internal error: ${e instanceof Error ? e.message : String(e)}` } })}\n`, code: 'InternalFailure' };
      }
      send(req, res, r.status, r.headers, r.body);
      log(req, started, r.status, undefined, r.code);
      return;
    }
    handler
      .handle({ method, url: path, headers: req.headers, body }, forced.signal)
      .then((result) => {
        if (result.kind === 'drop') {
          req.socket.destroy();
          log(req, started, 'dropped', result.operation, undefined);
          return;
        }
        const { status, headers, body: text } = result.response;
        send(req, res, status, headers, text);
        log(req, started, status, result.operation, result.code);
      })
      .catch((e: unknown) => {
        // handler.handle never rejects for client input, and sending its answer never throws:
        // this is our bug, answered as JSON anyway.
        const r = encodeError('InternalFailure', `[kms-conformance mock] internal error: ${e instanceof Error ? e.message : String(e)}`, 500, requestId());
        if (!res.headersSent) send(req, res, r.status, r.headers, r.body);
        log(req, started, 500, undefined, 'InternalFailure');
      });
  };
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    const started = onRequest === undefined ? 0 : performance.now();
    guard.track(req, res);
    const problem = guard.problemOf(req);
    if (problem !== undefined) {
      // Framed correctly: Node reads past the body after the answer, and the connection stays usable.
      const r = guard.encode(problem);
      send(req, res, r.status, r.headers, r.body);
      log(req, started, r.status, undefined, problem.code);
      return;
    }
    let first: Buffer | undefined;
    let more: Buffer[] | undefined;
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        if (first === undefined) first = chunk;
        else (more ??= [first]).push(chunk);
      } else if (size > limit * DRAIN_CAP_FACTOR && !res.headersSent) {
        // Past the drain cap: answer now and close instead of reading on (decision 0302).
        res.setHeader('connection', 'close');
        tooLarge(req, res, started, size);
      }
    });
    req.on('error', ignore);
    req.on('end', () => {
      guard.requestEnded(req);
      if (size > limit) tooLarge(req, res, started, size);
      else answer(req, res, started, joinBody(first, more, size));
    });
  };

  const server = createServer(
    {
      keepAlive: true,
      requestTimeout: timeouts.requestMs,
      headersTimeout: timeouts.headersMs,
      connectionsCheckingInterval: checkIntervalMs(timeouts),
      maxHeaderSize: MAX_HEADER_BYTES,
      // The guard answers a missing Host with a JSON error instead of Node's empty 400.
      requireHostHeader: false,
    },
    serve,
  );
  server.keepAliveTimeout = timeouts.keepAliveMs;
  const guard = new HttpGuard(server, {
    timeouts,
    requestId,
    log: (l) => onRequest?.({ method: l.method, path: l.path === '-' ? '-' : loggedPath(l.path), operation: undefined, status: l.status, code: l.code, ms: l.ms }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const urlHost = addr.family === 'IPv6' || addr.address.includes(':') ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${urlHost}:${addr.port}`,
    host: addr.address,
    port: addr.port,
    model,
    close() {
      closing ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          forced.abort();
          server.closeAllConnections();
        }, 2_000);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
        guard.closeLingering();
      });
      return closing;
    },
  };
}
