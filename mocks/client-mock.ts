/**
 * The mock behind `aws-sdk-client-mock` (package export `./client-mock`). Every command a stubbed
 * `KMSClient` sends goes through a client of the app's own class whose `requestHandler` is the
 * mock (the MSW handlers, in process): the app's own copy of `@aws-sdk/client-kms` serialises the
 * request, signs it, and parses the answer, so any version of the SDK works and errors are the
 * app's own exception classes (`instanceof NotFoundException` holds; `$metadata` and `$fault` are
 * set). The model, the wire layer and the answers are the ones the other servings use.
 *
 * @example
 * ```ts
 * import { mockClient } from 'aws-sdk-client-mock';
 * import { KMSClient } from '@aws-sdk/client-kms';
 * import { mockKmsClient } from 'kms-conformance/client-mock';
 * const kmsMock = mockClient(KMSClient);
 * const model = mockKmsClient(kmsMock, { seed: 1 });
 * ```
 */
import * as kms from '@aws-sdk/client-kms';
import { KmsModel } from './model/kms-model.ts';
import { kmsRequestHandler } from './msw.ts';
import type { InProcessRequestHandler } from './msw.ts';
import type { MockOptions } from './options.ts';

export { KmsModel } from './model/kms-model.ts';
export type { MockOptions } from './options.ts';

/**
 * The part of an `aws-sdk-client-mock` stub this adapter uses (`mockClient(KMSClient)`): the
 * sinon stub that replaced `KMSClient#send`.
 */
export interface KmsClientStub {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a sinon stub of any KMSClient#send, whatever SDK version typed it.
  readonly send: { callsFake(fn: (...args: any[]) => any): unknown };
}

/** Credentials a client without any gets for signing: the mock's default identity answers them. */
const FALLBACK_CREDENTIALS = { accessKeyId: 'AKIDKMSCONFORMANCE', secretAccessKey: 'kms-conformance-not-a-secret' } as const;

/** What the adapter reads of the app's client (structural: any SDK version). */
interface AppClient {
  readonly constructor: new (config: Record<string, unknown>) => RoutedClient;
  readonly config?: { readonly region?: unknown; readonly credentials?: unknown };
  readonly middlewareStack?: unknown;
}

/** A client of the app's class, configured to reach the mock. */
interface RoutedClient {
  readonly middlewareStack: unknown;
  readonly config: unknown;
}

/** A command of any SDK version (smithy `Command`). */
interface AppCommand {
  resolveMiddleware(stack: unknown, config: unknown, options: unknown): (command: AppCommand) => Promise<{ output: unknown }>;
}

/** Calls a client config value (`region`, `credentials`): a provider function or a plain value; `undefined` when it fails. */
async function provided(value: unknown): Promise<unknown> {
  try {
    return typeof value === 'function' ? await (value as () => unknown)() : value;
  } catch {
    return undefined; // not configured: the mock's Region or the fallback credentials apply
  }
}

/**
 * Makes an `aws-sdk-client-mock` stub of `KMSClient` answer every command from the model; commands
 * outside the contract get `UnknownOperationException`, as over HTTP. Stubs the caller adds with
 * `kmsMock.on(…)` take precedence. The client's Region and credentials select the Region and
 * identity (and sign the request, so `verifySignatures` works). Each send is one attempt. Returns
 * the model.
 */
export function mockKmsClient(kmsMock: KmsClientStub, modelOrOptions: KmsModel | MockOptions = {}): KmsModel {
  const model = modelOrOptions instanceof KmsModel ? modelOrOptions : new KmsModel(modelOrOptions);
  const requestHandler: InProcessRequestHandler = kmsRequestHandler(model);
  const routed = new WeakMap<object, Promise<RoutedClient>>();

  const routedClientFor = (app: unknown): Promise<RoutedClient> => {
    const key = typeof app === 'object' && app !== null ? app : routed;
    let client = routed.get(key);
    if (client === undefined) {
      client = (async () => {
        const appClient = app as AppClient | undefined;
        // The app's own class when `send` was called on a client, else this package's KMSClient.
        const Client = appClient?.middlewareStack !== undefined && typeof appClient.constructor === 'function' ? appClient.constructor : (kms.KMSClient as unknown as AppClient['constructor']);
        const region = await provided(appClient?.config?.region);
        const credentials = (await provided(appClient?.config?.credentials)) as { accessKeyId?: unknown } | undefined;
        return new Client({
          region: typeof region === 'string' && region !== '' ? region : model.options.region,
          credentials: typeof credentials?.accessKeyId === 'string' ? credentials : FALLBACK_CREDENTIALS,
          requestHandler,
          maxAttempts: 1,
        });
      })();
      routed.set(key, client);
    }
    return client;
  };

  kmsMock.send.callsFake(async function (this: unknown, command: AppCommand, optionsOrCallback?: unknown, callback?: unknown) {
    const options = typeof optionsOrCallback === 'function' ? undefined : optionsOrCallback;
    const done = typeof optionsOrCallback === 'function' ? optionsOrCallback : callback;
    const result = (async () => {
      const client = await routedClientFor(this);
      const handler = command.resolveMiddleware(client.middlewareStack, client.config, options);
      return (await handler(command)).output;
    })();
    if (typeof done !== 'function') return result;
    result.then(
      (output) => (done as (e: unknown, o?: unknown) => void)(null, output),
      (e: unknown) => (done as (e: unknown) => void)(e),
    );
    return undefined;
  });
  return model;
}

/**
 * Builds an exception of this package's copy of `@aws-sdk/client-kms` for an error code: the
 * modelled class when there is one, else `KMSServiceException` named after the code. (The adapter
 * itself throws the app's own classes; this is for code that builds errors by hand.)
 */
export function sdkException(code: string, message: string, status: number, requestId: string | undefined): Error {
  const $metadata = { httpStatusCode: status, ...(requestId === undefined ? {} : { requestId }), attempts: 1, totalRetryDelay: 0 };
  const Ctor = (kms as unknown as Record<string, unknown>)[code];
  if (typeof Ctor === 'function' && Ctor.prototype instanceof kms.KMSServiceException) {
    const E = Ctor as new (o: { message: string; $metadata: typeof $metadata }) => Error;
    return new E({ message, $metadata });
  }
  return new kms.KMSServiceException({ name: code, $fault: status >= 500 ? 'server' : 'client', $metadata, message });
}
