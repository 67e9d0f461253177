/**
 * The mock as MSW request handlers (package export `./msw`), and an SDK request handler that
 * drives the same MSW handlers in process through `getResponse` (no interception; the cheapest
 * path, ARCHITECTURE.md "Measured costs").
 *
 * @example
 * ```ts
 * import { setupServer } from 'msw/node';
 * import { kmsHandlers, KmsModel } from 'kms-conformance/msw';
 * const model = new KmsModel({ seed: 1 });
 * const server = setupServer(...kmsHandlers(model));
 * server.listen({ onUnhandledRequest: 'error' });
 * ```
 */
import { HttpResponse, getResponse, http } from 'msw';
import type { HttpHandler } from 'msw';
import { MODEL } from '../contract/model.ts';
import { createMockHandler, type MockHandler } from './handler.ts';
import { KmsModel } from './model/kms-model.ts';
import type { MockOptions } from './options.ts';

export { KmsModel } from './model/kms-model.ts';
export type { MockOptions } from './options.ts';

/** Options of {@link kmsHandlers}: the mock's options, or a model to share, and which requests to claim. */
export interface KmsHandlersOptions extends MockOptions {
  /** Use this model (shared with other servings) instead of creating one from the options. */
  readonly model?: KmsModel;
  /**
   * Claim every request to this origin or URL pattern (then requests without `X-Amz-Target`, or
   * with a wrong one, get the wire layer's JSON errors). By default only requests whose
   * `X-Amz-Target` starts with `TrentService.` are claimed, whatever their URL, so unrelated
   * requests still reach `onUnhandledRequest`.
   */
  readonly url?: string | RegExp;
}

const TARGET_PREFIX = `${MODEL.service.targetPrefix}.`;

function claims(request: Request, url: string | RegExp | undefined): boolean {
  if (url !== undefined) {
    if (typeof url === 'string') {
      try {
        return new URL(request.url).origin === new URL(url).origin;
      } catch {
        return false;
      }
    }
    return url.test(request.url);
  }
  return request.headers.get('x-amz-target')?.startsWith(TARGET_PREFIX) ?? false;
}

/** Headers of a Fetch request as a plain object (lower-case names). */
function headersOf(h: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  h.forEach((v, k) => {
    out[k] = v;
  });
  return out;
}

/**
 * MSW handlers that answer KMS requests from the model. Pass a {@link KmsModel} to share it (and
 * seed keys, take snapshots), or options to create a private one.
 */
export function kmsHandlers(modelOrOptions: KmsModel | KmsHandlersOptions = {}): HttpHandler[] {
  const isModel = modelOrOptions instanceof KmsModel;
  const model = isModel ? modelOrOptions : (modelOrOptions.model ?? new KmsModel(modelOrOptions));
  const handler = createMockHandler(model);
  return routedKmsHandlers(() => handler, isModel ? undefined : modelOrOptions.url);
}

/**
 * {@link kmsHandlers} answering from whichever request path `current` returns at the time of each
 * request: the in-process target builds one set per SDK client and points it at the model of the
 * case that holds the client, instead of building handlers for every case.
 * @internal
 */
export function routedKmsHandlers(current: () => MockHandler, url?: string | RegExp): HttpHandler[] {
  return [
    http.all(
      ({ request }) => claims(request, url),
      async ({ request }) => {
        const body = new Uint8Array(await request.arrayBuffer());
        const result = await current().handle({ method: request.method, url: request.url, headers: headersOf(request.headers), body });
        if (result.kind === 'drop') return HttpResponse.error();
        const { status, headers, body: text } = result.response;
        return new HttpResponse(text === '' ? null : text, { status, headers });
      },
    ),
  ];
}

/** A smithy `HttpRequest` as the SDK hands it to a request handler (structural). */
interface SdkHttpRequest {
  readonly method: string;
  readonly protocol: string;
  readonly hostname: string;
  readonly port?: number;
  readonly path: string;
  readonly query?: Record<string, string | readonly string[] | null>;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

/** A smithy `HttpResponse` (structural). */
interface SdkHttpResponse {
  readonly statusCode: number;
  readonly reason?: string;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

/** An SDK request handler (`new KMSClient({ requestHandler })`). */
export interface InProcessRequestHandler {
  handle(request: SdkHttpRequest, options?: { abortSignal?: unknown }): Promise<{ response: SdkHttpResponse }>;
  updateHttpClientConfig(key: never, value: never): void;
  httpHandlerConfigs(): Record<string, never>;
  destroy(): void;
}

function requestUrl(r: SdkHttpRequest): string {
  const port = r.port === undefined ? '' : `:${r.port}`;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(r.query ?? {})) {
    if (v === null) q.append(k, '');
    else if (typeof v === 'string') q.append(k, v);
    else for (const x of v) q.append(k, x);
  }
  const search = q.toString();
  return `${r.protocol}//${r.hostname}${port}${r.path}${search === '' ? '' : `?${search}`}`;
}

function bodyBytes(body: unknown): Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return new TextEncoder().encode(body);
  // A plain copy of the SDK's Uint8Array subclass (JsonBytesStringAdapter), whose string
  // conversions print a JsonCodec2 warning when Fetch or Buffer read it.
  if (body instanceof Uint8Array) return body.constructor === Uint8Array ? body : new Uint8Array(body);
  throw new TypeError('[kms-conformance mock] the in-process request handler takes string or Uint8Array request bodies (the KMS client sends JSON text).');
}

/**
 * An SDK `requestHandler` that answers from MSW handlers in process via msw's `getResponse`:
 * no sockets and no interception. A dropped connection (fault profile) rejects like a network
 * error (`name` `'NetworkError'`, `code` `'ECONNRESET'`).
 *
 * @example
 * ```ts
 * const client = new KMSClient({ region: 'us-east-1', endpoint: 'http://kms.mock', maxAttempts: 1,
 *   credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' },
 *   requestHandler: kmsRequestHandler(kmsHandlers(model)) });
 * ```
 */
export function kmsRequestHandler(handlersOrModel: readonly HttpHandler[] | KmsModel | KmsHandlersOptions = {}): InProcessRequestHandler {
  const handlers = Array.isArray(handlersOrModel) ? [...(handlersOrModel as readonly HttpHandler[])] : kmsHandlers(handlersOrModel as KmsModel | KmsHandlersOptions);
  return {
    async handle(r) {
      const body = bodyBytes(r.body);
      const headers = { ...r.headers };
      const req = new Request(requestUrl(r), { method: r.method, headers, ...(body === undefined || r.method === 'GET' || r.method === 'HEAD' ? {} : { body }) });
      const res = await getResponse(handlers, req);
      if (res === undefined) {
        throw new Error(`[kms-conformance mock] no handler answered ${r.method} ${requestUrl(r)} (X-Amz-Target ${headers['x-amz-target'] ?? headers['X-Amz-Target'] ?? 'missing'}).`);
      }
      if (res.type === 'error') {
        throw Object.assign(new Error('socket hang up (connection dropped by the kms-conformance fault profile)'), { name: 'NetworkError', code: 'ECONNRESET' });
      }
      const out: Record<string, string> = {};
      res.headers.forEach((v, k) => {
        out[k] = v;
      });
      return { response: { statusCode: res.status, reason: res.statusText, headers: out, body: new Uint8Array(await res.arrayBuffer()) } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
}
