/**
 * The two ways a case reaches a target.
 * - `sdk`: the real `@aws-sdk/client-kms` with `maxAttempts: 1`; a per-command middleware captures
 *   the request as signed and the raw response, whatever the SDK makes of it.
 * - `http`: exact bytes. Over node:http (keep-alive, bounded timeouts, SigV4-signed with the run's
 *   credentials unless the case carries its own `Authorization`), or in process through the MSW
 *   handlers' `getResponse` (no sockets).
 * Neither ever throws for what the target does: a failure is part of the {@link Exchange}.
 */
import { request as httpRequest, Agent } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { KMSClient } from '@aws-sdk/client-kms';
import type { KMSClientConfig } from '@aws-sdk/client-kms';
import { getResponse, type HttpHandler } from 'msw';
import type { WireRequest } from '../contract/wire.ts';
import type { OperationName } from '../contract/types.ts';
import { SDK_COMMANDS, sdkCommand } from '../mocks/sdk-commands.ts';
import type { CapturedResponse } from '../scoring/verdict.ts';

/** Credentials a run signs with. */
export interface RunCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Credentials for loopback targets when the environment has none (the mock accepts any). */
export const LOOPBACK_CREDENTIALS: RunCredentials = { accessKeyId: 'AKIDKMSCONFORMANCE', secretAccessKey: 'kms-conformance-not-a-secret' };

/** What one send produced. `request` is what went out, `response` what came back (either may be missing). */
export interface Exchange {
  readonly request: WireRequest | undefined;
  readonly response: CapturedResponse | undefined;
  /** Name of the exception the SDK threw, if any. */
  readonly sdkError?: string;
  /** Why nothing (or no answer) came back. */
  readonly failure?: string;
  readonly ms: number;
}

// ---------------------------------------------------------------------------------------------
// SDK
// ---------------------------------------------------------------------------------------------

/** Operations {@link sendSdk} can send: every operation of the contract (the mocks' one SDK command table). */
export function sdkOperations(): string[] {
  return Object.keys(SDK_COMMANDS);
}

/** Options of {@link runClient}. */
export interface RunClientOptions {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: RunCredentials;
  /** An in-process request handler (the bundled mock); sockets otherwise. */
  readonly requestHandler?: KMSClientConfig['requestHandler'];
  /** Milliseconds before a request without an answer is given up. @defaultValue 30000 */
  readonly timeoutMs?: number;
}

/** A KMS client for a run: one attempt, the run's credentials, bounded timeouts. */
export function runClient(o: RunClientOptions): KMSClient {
  return new KMSClient({
    endpoint: o.endpoint,
    region: o.region,
    maxAttempts: 1,
    credentials: o.credentials,
    requestHandler: o.requestHandler ?? { requestTimeout: o.timeoutMs ?? 30_000, connectionTimeout: Math.min(o.timeoutMs ?? 30_000, 10_000) },
  });
}

async function collect(body: unknown): Promise<Uint8Array> {
  if (body === undefined || body === null) return new Uint8Array();
  // A plain copy: the SDK's JSON serializer hands over a Uint8Array subclass
  // (JsonBytesStringAdapter) whose valueOf/toString decode it and print a JsonCodec2 warning, so
  // keeping it would make every later Buffer.from(body) of the record warn.
  if (body instanceof Uint8Array) return body.constructor === Uint8Array ? body : new Uint8Array(body);
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
    return new Uint8Array(Buffer.concat(chunks));
  }
  throw new TypeError(`[kms-conformance] cannot read a response body of type ${Object.prototype.toString.call(body)}`);
}

/** Headers as one lower-cased string each (repeated ones joined with `, `). */
export function flatHeaders(h: Readonly<Record<string, string | readonly string[] | number | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  return out;
}

interface SdkRequestShape {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}
interface SdkResponseShape {
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
}

const decoder = new TextDecoder();

/**
 * Sends one operation through the SDK and captures the request as signed and the raw response.
 * Never throws: an SDK exception is part of the exchange. Returns the SDK's output too (set-up reads it).
 */
export async function sendSdk(client: KMSClient, operation: string, input: Readonly<Record<string, unknown>>): Promise<Exchange & { output?: Record<string, unknown> }> {
  const started = performance.now();
  if (!Object.hasOwn(SDK_COMMANDS, operation)) return { request: undefined, response: undefined, failure: `the SDK transport cannot send ${operation}`, ms: 0 };
  let request: WireRequest | undefined;
  let response: CapturedResponse | undefined;
  const command = sdkCommand(operation as OperationName, input) as unknown as { middlewareStack: { add: (...args: never[]) => void } };
  const capture = (next: (args: { request: unknown }) => Promise<{ response: unknown }>) => async (args: { request: unknown }) => {
    const r = args.request as SdkRequestShape;
    const body = await collect(r.body);
    request = { method: r.method, path: r.path, headers: flatHeaders(r.headers), body };
    const out = await next(args);
    const res = out.response as SdkResponseShape;
    const bytes = await collect(res.body);
    res.body = bytes; // the SDK reads a Uint8Array body as it would the stream
    response = { status: res.statusCode, headers: flatHeaders(res.headers), body: decoder.decode(bytes) };
    return out;
  };
  (command.middlewareStack.add as (mw: unknown, options: unknown) => void)(capture, { step: 'deserialize', priority: 'low', name: 'kmsConformanceCapture' });
  try {
    const output = (await client.send(command as never)) as unknown as Record<string, unknown>;
    return { request, response, output, ms: performance.now() - started };
  } catch (e) {
    const name = e instanceof Error ? e.name : 'Error';
    const failure = response === undefined ? `${name}: ${e instanceof Error ? e.message : String(e)}` : undefined;
    return { request, response, sdkError: name, ...(failure === undefined ? {} : { failure }), ms: performance.now() - started };
  }
}

// ---------------------------------------------------------------------------------------------
// Raw HTTP
// ---------------------------------------------------------------------------------------------

/** Sends one raw request. */
export type RawSender = (req: WireRequest) => Promise<Exchange>;

/** Options of {@link httpSender}. */
export interface HttpSenderOptions {
  /** Sign every request that carries no `Authorization` of its own. */
  readonly sign?: { readonly credentials: RunCredentials; readonly region: string };
  /** Milliseconds before a request without an answer is given up. @defaultValue 30000 */
  readonly timeoutMs?: number;
  /** Connections kept open at most. @defaultValue 16 */
  readonly maxSockets?: number;
}

/** A raw sender and the agent behind it (destroy it when done). */
export interface HttpSender {
  readonly send: RawSender;
  close(): void;
}

function headerList(req: WireRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = typeof v === 'string' ? v : v.join(', ');
  return out;
}

/**
 * Signs a raw request with SigV4 for service `kms` (unless it carries its own `Authorization`):
 * the bytes stay exactly as given, the signature covers them.
 */
export async function signRequest(req: WireRequest, url: URL, sign: NonNullable<HttpSenderOptions['sign']>): Promise<WireRequest> {
  const headers = headerList(req);
  if (Object.keys(headers).some((k) => k.toLowerCase() === 'authorization')) return req;
  const signer = new SignatureV4({ service: 'kms', region: sign.region, credentials: sign.credentials, sha256: Sha256, applyChecksum: true });
  const q = req.path.indexOf('?');
  const path = q < 0 ? req.path : req.path.slice(0, q);
  const query: Record<string, string> = {};
  if (q >= 0) for (const [k, v] of new URLSearchParams(req.path.slice(q + 1))) query[k] = v;
  const host = url.host;
  const signed = await signer.sign({
    method: req.method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path,
    query,
    headers: { ...headers, host },
    body: req.body,
  });
  return { ...req, headers: signed.headers };
}

/**
 * Sends raw bytes over node:http(s) to `baseUrl` exactly as given: method, path, headers (with a
 * `Content-Length`), the body even on a GET; signed when `sign` is set.
 */
export function httpSender(baseUrl: string, options: HttpSenderOptions = {}): HttpSender {
  const url = new URL(baseUrl);
  const secure = url.protocol === 'https:';
  const agent = secure ? new HttpsAgent({ keepAlive: true, maxSockets: options.maxSockets ?? 16 }) : new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 16 });
  const timeoutMs = options.timeoutMs ?? 30_000;
  const send: RawSender = async (given) => {
    const started = performance.now();
    let req: WireRequest;
    try {
      req = options.sign ? await signRequest(given, url, options.sign) : given;
    } catch (e) {
      return { request: undefined, response: undefined, failure: `cannot sign the request: ${e instanceof Error ? e.message : String(e)}`, ms: 0 };
    }
    const headers = headerList(req);
    headers['Content-Length'] = String(req.body.length);
    const basePath = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
    return new Promise((resolve) => {
      const done = (x: Omit<Exchange, 'ms'>): void => resolve({ ...x, ms: performance.now() - started });
      const make = secure ? httpsRequest : httpRequest;
      const r = make({ host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port, method: req.method, path: `${basePath}${req.path}`, headers, agent, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done({ request: req, response: { status: res.statusCode ?? 0, headers: flatHeaders(res.headers), body: Buffer.concat(chunks).toString('utf8') } }));
        res.on('error', (e) => done({ request: req, response: undefined, failure: `response stream: ${e.message}` }));
      });
      r.on('timeout', () => r.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      r.on('error', (e: NodeJS.ErrnoException) => done({ request: e.code === 'ECONNREFUSED' ? undefined : req, response: undefined, failure: `${e.code ?? e.name}: ${e.message}` }));
      r.end(Buffer.from(req.body));
    });
  };
  return { send, close: () => agent.destroy() };
}

/**
 * Sends raw bytes to MSW handlers in process (`getResponse`), as a Fetch `Request` to `origin`.
 * Fetch cannot carry a body on GET or HEAD, so none is sent there; the exchange records the
 * request as it went out.
 */
export async function sendInProcess(handlers: readonly HttpHandler[], origin: string, req: WireRequest): Promise<Exchange> {
  const started = performance.now();
  const bodyless = req.method === 'GET' || req.method === 'HEAD';
  const sent: WireRequest = bodyless ? { ...req, body: new Uint8Array() } : req;
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.append(k, typeof v === 'string' ? v : v.join(', '));
  let fetchRequest: Request;
  try {
    fetchRequest = new Request(`${origin}${req.path}`, { method: req.method, headers, ...(bodyless ? {} : { body: sent.body }) });
  } catch (e) {
    return { request: undefined, response: undefined, failure: `cannot build a Fetch request: ${e instanceof Error ? e.message : String(e)}`, ms: 0 };
  }
  const res = await getResponse([...handlers], fetchRequest);
  if (res === undefined) return { request: sent, response: undefined, failure: 'no MSW handler claimed the request', ms: performance.now() - started };
  if (res.type === 'error') return { request: sent, response: undefined, failure: 'the handler dropped the connection', ms: performance.now() - started };
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    out[k] = v;
  });
  return { request: sent, response: { status: res.status, headers: out, body: await res.text() }, ms: performance.now() - started };
}
