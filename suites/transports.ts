/**
 * The two ways a case reaches a target: the real `@aws-sdk/client-kms` (`maxAttempts: 1`, the
 * request and the raw response captured by a per-command middleware), and raw HTTP bytes (over
 * node:http to a loopback URL, or in process through the MSW handlers' `getResponse`).
 */
import { request as httpRequest, Agent } from 'node:http';
import { KMSClient } from '@aws-sdk/client-kms';
import type { KMSClientConfig } from '@aws-sdk/client-kms';
import { getResponse, type HttpHandler } from 'msw';
import type { OperationName } from '../contract/types.ts';
import type { WireRequest } from '../contract/wire.ts';
import { sdkCommand } from '../mocks/sdk-commands.ts';
import type { RawResponse } from './score.ts';

/** Credentials the suite signs with: dummy ones, so the mock's default administrator answers. */
export const SUITE_CREDENTIALS = { accessKeyId: 'AKIDKMSCONFORMANCE', secretAccessKey: 'kms-conformance-not-a-secret' } as const;

/** What one send produced. `request` is what went out, `response` what came back (either may be missing). */
export interface Exchange {
  readonly request: WireRequest | undefined;
  readonly response: RawResponse | undefined;
  /** Name of the exception the SDK threw, if any. */
  readonly sdkError?: string;
  /** Why nothing (or no answer) came back. */
  readonly failure?: string;
}

// ---------------------------------------------------------------------------------------------
// SDK
// ---------------------------------------------------------------------------------------------

/**
 * A KMS client for the suite: one attempt, dummy credentials, the given endpoint and request
 * handler (e.g. `kmsRequestHandler(model)` for the mock in process).
 */
export function suiteClient(config: { endpoint: string; region: string; requestHandler?: KMSClientConfig['requestHandler'] }): KMSClient {
  return new KMSClient({
    endpoint: config.endpoint,
    region: config.region,
    maxAttempts: 1,
    credentials: SUITE_CREDENTIALS,
    ...(config.requestHandler === undefined ? {} : { requestHandler: config.requestHandler }),
  });
}

async function collect(body: unknown): Promise<Uint8Array> {
  if (body === undefined || body === null) return new Uint8Array();
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
    return new Uint8Array(Buffer.concat(chunks));
  }
  throw new TypeError(`[kms-conformance suite] cannot read a response body of type ${Object.prototype.toString.call(body)}`);
}

function flatHeaders(h: Readonly<Record<string, string | readonly string[] | number | undefined>>): Record<string, string> {
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
 * Sends one operation through the SDK and captures the request as signed and the raw response,
 * whatever the SDK makes of it. Never throws: an SDK exception is part of the exchange.
 */
export async function sendSdk(client: KMSClient, operation: OperationName, input: Readonly<Record<string, unknown>>): Promise<Exchange> {
  let request: WireRequest | undefined;
  let response: RawResponse | undefined;
  const command = sdkCommand(operation, input) as unknown as { middlewareStack: { add: (...args: never[]) => void } };
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
    await client.send(command as never);
    return { request, response };
  } catch (e) {
    const name = e instanceof Error ? e.name : 'Error';
    const failure = response === undefined ? `${name}: ${e instanceof Error ? e.message : String(e)}` : undefined;
    return { request, response, sdkError: name, ...(failure === undefined ? {} : { failure }) };
  }
}

// ---------------------------------------------------------------------------------------------
// Raw HTTP
// ---------------------------------------------------------------------------------------------

/** A keep-alive agent for raw requests to one loopback server. Destroy it when done. */
export function rawAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 8 });
}

/**
 * Sends raw bytes over node:http to `baseUrl` (a loopback server) exactly as given: method, path,
 * headers (with a `Content-Length`), and the body even on a GET.
 */
export function sendRawHttp(baseUrl: string, agent: Agent, req: WireRequest): Promise<Exchange> {
  const url = new URL(baseUrl);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = typeof v === 'string' ? v : v.join(', ');
  headers['Content-Length'] = String(req.body.length);
  return new Promise((resolve) => {
    const r = httpRequest({ host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port, method: req.method, path: req.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ request: req, response: { status: res.statusCode ?? 0, headers: flatHeaders(res.headers), body: Buffer.concat(chunks).toString('utf8') } }));
      res.on('error', (e) => resolve({ request: req, response: undefined, failure: `response stream: ${e.message}` }));
    });
    r.on('error', (e: NodeJS.ErrnoException) => resolve({ request: e.code === 'ECONNREFUSED' ? undefined : req, response: undefined, failure: `${e.code ?? e.name}: ${e.message}` }));
    r.end(Buffer.from(req.body));
  });
}

/**
 * Sends raw bytes to MSW handlers in process (`getResponse`), as a Fetch `Request` to `origin`.
 * Fetch cannot carry a body on GET or HEAD, so none is sent there; the exchange records the
 * request as it went out.
 */
export async function sendRawInProcess(handlers: readonly HttpHandler[], origin: string, req: WireRequest): Promise<Exchange> {
  const bodyless = req.method === 'GET' || req.method === 'HEAD';
  const sent: WireRequest = bodyless ? { ...req, body: new Uint8Array() } : req;
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.append(k, typeof v === 'string' ? v : v.join(', '));
  let fetchRequest: Request;
  try {
    fetchRequest = new Request(`${origin}${req.path}`, { method: req.method, headers, ...(bodyless ? {} : { body: sent.body }) });
  } catch (e) {
    return { request: undefined, response: undefined, failure: `cannot build a Fetch request: ${e instanceof Error ? e.message : String(e)}` };
  }
  const res = await getResponse([...handlers], fetchRequest);
  if (res === undefined) return { request: sent, response: undefined, failure: 'no MSW handler claimed the request' };
  if (res.type === 'error') return { request: sent, response: undefined, failure: 'the handler dropped the connection' };
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    out[k] = v;
  });
  return { request: sent, response: { status: res.status, headers: out, body: await res.text() } };
}
