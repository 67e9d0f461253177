/**
 * The mock behind `aws-sdk-client-mock` (package export `./client-mock`): the nine KMS commands
 * are answered by the same model and wire layer as the other servings, and errors are thrown as
 * the SDK's own exception classes (`instanceof NotFoundException` holds; `$metadata` and `$fault`
 * are set).
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
import { OPERATIONS } from '../contract/types.ts';
import type { OperationName } from '../contract/types.ts';
import { createMockHandler } from './handler.ts';
import type { DirectIdentity } from './handler.ts';
import { KmsModel } from './model/kms-model.ts';
import type { MockOptions } from './options.ts';
import { SDK_COMMANDS } from './sdk-commands.ts';

export { KmsModel } from './model/kms-model.ts';
export type { MockOptions } from './options.ts';

/** The part of an `aws-sdk-client-mock` stub this adapter uses (`mockClient(KMSClient)`). */
export interface KmsClientStub {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- aws-sdk-client-mock types the command argument per client; any stub of KMSClient fits.
  on(command: any): { callsFake(fn: (input: any, getClient: () => any) => unknown): unknown };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above.
  onAnyCommand(): { callsFake(fn: (input: any, getClient: () => any) => unknown): unknown };
}

/** Timestamp members of the thirteen operations' outputs (awsJson epoch seconds → `Date`). */
const TIMESTAMP_MEMBERS = new Set(['CreationDate', 'DeletionDate', 'ValidTo', 'LastUpdatedDate']);

function revive(v: unknown, key = ''): unknown {
  if (typeof v === 'number' && TIMESTAMP_MEMBERS.has(key)) return new Date(Math.round(v * 1000));
  if (Array.isArray(v)) return v.map((x) => revive(x));
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = revive(x, k);
    return out;
  }
  return v;
}

/** Builds the SDK exception for an error code: the modelled class when there is one, else `KMSServiceException` named after the code. */
export function sdkException(code: string, message: string, status: number, requestId: string | undefined): Error {
  const $metadata = { httpStatusCode: status, ...(requestId === undefined ? {} : { requestId }), attempts: 1, totalRetryDelay: 0 };
  const Ctor = (kms as unknown as Record<string, unknown>)[code];
  if (typeof Ctor === 'function' && Ctor.prototype instanceof kms.KMSServiceException) {
    const E = Ctor as new (o: { message: string; $metadata: typeof $metadata }) => Error;
    return new E({ message, $metadata });
  }
  return new kms.KMSServiceException({ name: code, $fault: status >= 500 ? 'server' : 'client', $metadata, message });
}

async function identityOf(getClient: () => unknown): Promise<DirectIdentity> {
  const client = getClient() as { config?: { region?: () => Promise<string>; credentials?: () => Promise<{ accessKeyId?: string }> } } | undefined;
  let region: string | undefined;
  let accessKeyId: string | undefined;
  try {
    region = await client?.config?.region?.();
  } catch {
    region = undefined; // no Region configured on the client: the model's Region applies
  }
  try {
    accessKeyId = (await client?.config?.credentials?.())?.accessKeyId;
  } catch {
    accessKeyId = undefined; // no credentials configured: the default identity applies
  }
  return { ...(region === undefined ? {} : { region }), ...(accessKeyId === undefined ? {} : { accessKeyId }) };
}

/**
 * Makes an `aws-sdk-client-mock` stub of `KMSClient` answer the thirteen operations from the model;
 * every other command rejects with `UnknownOperationException`.
 * The client's Region and access key id select the Region and identity, as over HTTP (signatures
 * are not checked: aws-sdk-client-mock answers before signing). Returns the model.
 */
export function mockKmsClient(kmsMock: KmsClientStub, modelOrOptions: KmsModel | MockOptions = {}): KmsModel {
  const model = modelOrOptions instanceof KmsModel ? modelOrOptions : new KmsModel(modelOrOptions);
  const handler = createMockHandler(model);
  const encoder = new TextEncoder();
  // Commands outside the nine get the same answer as over HTTP (decision 0300); the specific
  // stubs below take precedence over this catch-all.
  kmsMock.onAnyCommand().callsFake(async () => {
    throw sdkException('UnknownOperationException', `This command is not implemented by kms-conformance; it serves ${OPERATIONS.join(', ')}.`, 400, undefined);
  });
  for (const [operation, command] of Object.entries(SDK_COMMANDS) as [OperationName, unknown][]) {
    kmsMock.on(command).callsFake(async (input: unknown, getClient: () => unknown) => {
      const identity = await identityOf(getClient);
      const result = await handler.handleDirect(operation, encoder.encode(JSON.stringify(input ?? {})), identity);
      if (result.kind === 'drop') {
        throw Object.assign(new Error('socket hang up (connection dropped by the kms-conformance fault profile)'), { name: 'NetworkError', code: 'ECONNRESET' });
      }
      const { status, headers, body } = result.response;
      const requestId = headers['x-amzn-requestid'];
      if (status !== 200) {
        const parsed = JSON.parse(body) as { __type: string; message?: string };
        throw sdkException(parsed.__type, parsed.message ?? 'UnknownError', status, requestId);
      }
      const output = body === '' ? {} : (revive(JSON.parse(body)) as Record<string, unknown>);
      return { ...output, $metadata: { httpStatusCode: 200, requestId, attempts: 1, totalRetryDelay: 0 } };
    });
  }
  return model;
}
