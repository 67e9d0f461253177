/**
 * The one request path every serving of the mock uses (MSW handlers, the client-mock adapter, the
 * HTTP server): wire decode → identity (SigV4) → faults → model → wire encode.
 */
import { WIRE_RULES, decodeWireRequest, encodeError, encodeSuccess, headerValue } from '../contract/wire.ts';
import type { WireHeaders, WireResponse } from '../contract/wire.ts';
import { THROTTLING_MESSAGE } from '../contract/messages.ts';
import { OPERATIONS } from '../contract/types.ts';
import type { Caller, OperationName } from '../contract/types.ts';
import { coerceMembers, divergeResponse } from './divergences.ts';
import { MockInternalError } from './errors.ts';
import { FaultInjector } from './faults.ts';
import { identify } from './identity.ts';
import { KmsModel } from './model/kms-model.ts';
import type { MockOptions } from './options.ts';
import { createRng, uuidV4 } from './model/rng.ts';
import type { Rng } from './model/rng.ts';

/** An HTTP request as a serving hands it over. `url` is a path (`/`) or an absolute URL. */
export interface MockHttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: WireHeaders;
  readonly body: Uint8Array;
}

/**
 * What the mock does with a request.
 * - `response`: send it. `operation` and `code` (the error `__type`, absent on success) are for logs.
 * - `drop`: a fault profile asked to drop the connection; send nothing.
 */
export type MockHttpResult =
  | { readonly kind: 'response'; readonly response: WireResponse; readonly operation: OperationName | undefined; readonly code: string | undefined }
  | { readonly kind: 'drop'; readonly operation: OperationName };

const INTERNAL_FAILURE = 'InternalFailure';

/** Turns HTTP requests into the model's answers. Create one per model with {@link createMockHandler}. */
export class MockHandler {
  /** The model every request goes to. */
  readonly model: KmsModel;
  private injector: FaultInjector;
  private injectorProfile: KmsModel['options']['faults'];
  private requestIds: Rng;

  constructor(model: KmsModel) {
    this.model = model;
    this.injectorProfile = model.options.faults;
    this.injector = new FaultInjector(this.injectorProfile);
    this.requestIds = createRng(model.options.seed, 2);
  }

  /** The fault stream (reset it to replay faults from the seed); a new one when the model's fault profile changes. */
  get faults(): FaultInjector {
    if (this.injectorProfile !== this.model.options.faults) {
      this.injectorProfile = this.model.options.faults;
      this.injector = new FaultInjector(this.injectorProfile);
    }
    return this.injector;
  }

  /** Restarts the request-id and fault streams from the seed (the model's state is untouched). */
  resetStreams(): void {
    this.faults.reset();
    this.requestIds = createRng(this.model.options.seed, 2);
  }

  private nextRequestId(): string {
    return uuidV4(this.requestIds);
  }

  /**
   * Handles an HTTP request end to end. Never throws for anything a client sends. When `signal`
   * aborts during a fault profile's latency, the wait ends at once and the result is `drop` (the
   * server aborts requests it closes the connections of, so no timer outlives it).
   */
  async handle(request: MockHttpRequest, signal?: AbortSignal): Promise<MockHttpResult> {
    const result = await this.handleHttp(request, signal);
    const active = this.model.options.divergences;
    if (active.size === 0 || result.kind === 'drop') return result;
    // Wire-level divergence profiles (mocks/divergences.ts): the answer as an emulator would send it.
    return { ...result, response: divergeResponse(result.response, active, result.operation === undefined) };
  }

  private async handleHttp(request: MockHttpRequest, signal: AbortSignal | undefined): Promise<MockHttpResult> {
    const requestId = this.nextRequestId();
    const { path, host } = splitUrl(request.url);
    const decoded = decodeWireRequest({ method: request.method, path, headers: request.headers, body: request.body }, { maxBodyBytes: this.model.options.maxBodyBytes });
    if (decoded.kind === 'error' && decoded.ruleId === WIRE_RULES.memberType && this.model.options.divergences.has('store-wrong-types')) {
      const operation = operationOf(request.headers);
      const input = operation === undefined ? undefined : coerceMembers(operation, request.body);
      if (operation !== undefined && input !== undefined) {
        const who = await identify(this.model, { method: request.method, path, urlHost: host, headers: request.headers, body: request.body });
        if (who.kind === 'caller') return this.run(operation, input, { caller: who.caller, region: who.region }, requestId, signal);
      }
    }
    if (decoded.kind === 'error') {
      return { kind: 'response', response: encodeError(decoded.code, decoded.message, decoded.status, requestId), operation: undefined, code: decoded.code };
    }
    const who = await identify(this.model, { method: request.method, path, urlHost: host, headers: request.headers, body: request.body });
    if (who.kind === 'error') {
      return { kind: 'response', response: encodeError(who.code, who.message, who.status, requestId), operation: decoded.operation, code: who.code };
    }
    return this.run(decoded.operation, decoded.input, { caller: who.caller, region: who.region }, requestId, signal);
  }

  private async run(
    operation: OperationName,
    input: Readonly<Record<string, unknown>>,
    who: { caller: Caller; region: string | undefined },
    requestId: string,
    signal?: AbortSignal,
  ): Promise<MockHttpResult> {
    const fault = this.faults.draw(operation);
    if (fault.latencyMs > 0 && (await sleep(fault.latencyMs, signal)) === 'aborted') return { kind: 'drop', operation };
    switch (fault.kind) {
      case 'drop':
        return { kind: 'drop', operation };
      case 'throttle':
        return { kind: 'response', response: encodeError('ThrottlingException', THROTTLING_MESSAGE, 400, requestId), operation, code: 'ThrottlingException' };
      case 'server-error':
        return {
          kind: 'response',
          response: encodeError('KMSInternalException', 'The request was rejected because an internal exception occurred. The request can be retried.', 500, requestId),
          operation,
          code: 'KMSInternalException',
        };
      case 'none':
        break;
    }
    try {
      const answer = this.model.handle(operation, input, who.caller, who.region === undefined ? {} : { region: who.region });
      if (answer.kind === 'success') return { kind: 'response', response: encodeSuccess(answer.output, requestId), operation, code: undefined };
      return { kind: 'response', response: encodeError(answer.code, answer.message, answer.status, requestId), operation, code: answer.code };
    } catch (e) {
      // A bug of ours, not of the client: say so, never as a KMS error the client could mistake for AWS's.
      const message = e instanceof MockInternalError ? e.message : new MockInternalError(e instanceof Error ? (e.stack ?? e.message) : String(e)).message;
      return { kind: 'response', response: encodeError(INTERNAL_FAILURE, message, 500, requestId), operation, code: INTERNAL_FAILURE };
    }
  }
}

const handlers = new WeakMap<KmsModel, MockHandler>();

/**
 * The request path of a model (or of a new model from options). One per model: every serving of
 * the same model shares its request-id and fault streams.
 */
export function createMockHandler(modelOrOptions: KmsModel | MockOptions = {}): MockHandler {
  const model = modelOrOptions instanceof KmsModel ? modelOrOptions : new KmsModel(modelOrOptions);
  let h = handlers.get(model);
  if (!h) {
    h = new MockHandler(model);
    handlers.set(model, h);
  }
  return h;
}

/** Waits `ms` milliseconds, or less when `signal` aborts (then no timer is left behind). */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<'slept' | 'aborted'> {
  if (signal?.aborted) return Promise.resolve('aborted');
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve('aborted');
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve('slept');
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function splitUrl(url: string): { path: string; host: string | undefined } {
  if (url.startsWith('/')) return { path: url, host: undefined };
  try {
    const u = new URL(url);
    return { path: `${u.pathname}${u.search}`, host: u.host };
  } catch {
    return { path: url, host: undefined };
  }
}

/** The operation an `X-Amz-Target` header names (`TrentService.<Operation>`), if it names one. */
function operationOf(headers: MockHttpRequest['headers']): OperationName | undefined {
  const target = headerValue(headers, 'x-amz-target')?.trim();
  const name = target?.startsWith('TrentService.') ? target.slice('TrentService.'.length) : undefined;
  return (OPERATIONS as readonly string[]).includes(name ?? '') ? (name as OperationName) : undefined;
}
