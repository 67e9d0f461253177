/**
 * The companion operations replay sets up and cleans up with (CreateAlias, DeleteAlias,
 * ListAliases, ListKeys), through the real `@aws-sdk/client-kms` over every serving of the mock:
 * MSW `setupServer`, MSW handlers in process, the HTTP server and the aws-sdk-client-mock adapter.
 */
import {
  AlreadyExistsException,
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  InvalidAliasNameException,
  InvalidArnException,
  InvalidMarkerException,
  KMSClient,
  KMSInvalidStateException,
  KMSServiceException,
  ListAliasesCommand,
  ListKeysCommand,
  NotFoundException,
  ScheduleKeyDeletionCommand,
  paginateListKeys,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { setupServer } from 'msw/node';
import { afterEach, describe, expect, it } from 'vitest';
import { mockKmsClient } from './client-mock.ts';
import { KmsModel } from './model/kms-model.ts';
import { kmsHandlers, kmsRequestHandler } from './msw.ts';
import { startMockServer } from './server.ts';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' };

interface Running {
  readonly client: KMSClient;
  stop(): Promise<void>;
}

const SERVINGS: readonly [string, (model: KmsModel) => Promise<Running>][] = [
  [
    'MSW setupServer',
    async (model) => {
      const server = setupServer(...kmsHandlers(model));
      server.listen({ onUnhandledRequest: 'error' });
      return { client: new KMSClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: CREDENTIALS, maxAttempts: 1 }), stop: async () => server.close() };
    },
  ],
  [
    'MSW handlers in process',
    async (model) => ({
      client: new KMSClient({ region: 'us-east-1', endpoint: 'http://kms.invalid', credentials: CREDENTIALS, maxAttempts: 1, requestHandler: kmsRequestHandler(model) }),
      stop: async () => undefined,
    }),
  ],
  [
    'HTTP server',
    async (model) => {
      const server = await startMockServer({ model });
      return { client: new KMSClient({ region: 'us-east-1', endpoint: server.url, credentials: CREDENTIALS, maxAttempts: 1 }), stop: () => server.close() };
    },
  ],
  [
    'aws-sdk-client-mock adapter',
    async (model) => {
      const stub = mockClient(KMSClient);
      mockKmsClient(stub, model);
      return { client: new KMSClient({ region: 'us-east-1', credentials: CREDENTIALS }), stop: async () => stub.restore() };
    },
  ],
];

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to fail, it succeeded');
}

describe.each(SERVINGS)('alias and listing operations via %s', (_name, serve) => {
  let running: Running | undefined;
  const start = async (model = new KmsModel({ seed: 3 })) => {
    running = await serve(model);
    return { model, kms: running.client };
  };
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it('CreateAlias, then the alias names the key for DescribeKey and ListAliases; DeleteAlias removes it', async () => {
    const { kms } = await start();
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const other = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    expect(Object.keys(await kms.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: key.KeyId! })))).toEqual(['$metadata']);
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/other', TargetKeyId: other.Arn! }));

    expect((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/app' }))).KeyMetadata?.KeyId).toBe(key.KeyId);
    const all = await kms.send(new ListAliasesCommand({}));
    expect(all.Aliases?.map((a) => [a.AliasName, a.TargetKeyId, a.AliasArn])).toEqual([
      ['alias/app', key.KeyId, 'arn:aws:kms:us-east-1:111122223333:alias/app'],
      ['alias/other', other.KeyId, 'arn:aws:kms:us-east-1:111122223333:alias/other'],
    ]);
    expect(all.Aliases?.[0]?.CreationDate).toBeInstanceOf(Date);
    expect(all.Truncated).toBe(false);
    expect((await kms.send(new ListAliasesCommand({ KeyId: other.KeyId! }))).Aliases?.map((a) => a.AliasName)).toEqual(['alias/other']);

    await kms.send(new DeleteAliasCommand({ AliasName: 'alias/app' }));
    expect((await kms.send(new ListAliasesCommand({}))).Aliases?.map((a) => a.AliasName)).toEqual(['alias/other']);
    const again = await rejection(kms.send(new DeleteAliasCommand({ AliasName: 'alias/app' })));
    expect(again).toBeInstanceOf(NotFoundException);
    expect(again.message).toBe('Alias arn:aws:kms:us-east-1:111122223333:alias/app is not found.');
  });

  it('answers the alias rules with the SDK exception classes, and changes nothing when it refuses', async () => {
    const { kms, model } = await start();
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/taken', TargetKeyId: key.KeyId! }));

    expect(await rejection(kms.send(new CreateAliasCommand({ AliasName: 'alias/taken', TargetKeyId: key.KeyId! })))).toBeInstanceOf(AlreadyExistsException);
    expect(await rejection(kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/s3', TargetKeyId: key.KeyId! })))).toBeInstanceOf(InvalidAliasNameException);
    const noPrefix = await rejection(kms.send(new CreateAliasCommand({ AliasName: 'taken2', TargetKeyId: key.KeyId! })));
    expect(noPrefix).toBeInstanceOf(KMSServiceException);
    expect(noPrefix).toMatchObject({ name: 'ValidationException', message: 'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html' });
    expect(await rejection(kms.send(new CreateAliasCommand({ AliasName: 'alias/via-alias', TargetKeyId: 'alias/taken' })))).toBeInstanceOf(InvalidArnException);
    expect(await rejection(kms.send(new CreateAliasCommand({ AliasName: 'alias/nokey', TargetKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' })))).toBeInstanceOf(NotFoundException);

    const pending = String(model.seedKey({ state: 'PendingDeletion' }).KeyId);
    const invalidState = await rejection(kms.send(new CreateAliasCommand({ AliasName: 'alias/late', TargetKeyId: pending })));
    expect(invalidState).toBeInstanceOf(KMSInvalidStateException);
    expect(invalidState.message).toBe(`arn:aws:kms:us-east-1:111122223333:key/${pending} is pending deletion.`);

    // Only the first CreateAlias succeeded.
    expect((await kms.send(new ListAliasesCommand({}))).Aliases?.map((a) => [a.AliasName, a.TargetKeyId])).toEqual([['alias/taken', key.KeyId]]);
  });

  it('ListKeys pages through every key once with Limit and NextMarker, and refuses a marker it did not issue', async () => {
    const { kms, model } = await start();
    const ids = new Set<string>();
    for (let i = 0; i < 7; i++) ids.add((await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!);
    ids.add(String(model.seedKey({ state: 'PendingDeletion' }).KeyId));
    model.seedKey({ region: 'eu-west-1' }); // another Region: never listed here

    const first = await kms.send(new ListKeysCommand({ Limit: 3 }));
    expect(first.Keys).toHaveLength(3);
    expect(first).toMatchObject({ Truncated: true, NextMarker: expect.any(String) });
    const listed: string[] = [];
    for await (const p of paginateListKeys({ client: kms, pageSize: 3 }, {})) listed.push(...(p.Keys ?? []).map((k) => k.KeyId!));
    expect(listed).toHaveLength(ids.size);
    expect(new Set(listed)).toEqual(ids);

    expect(await rejection(kms.send(new ListKeysCommand({ Marker: 'made-up' })))).toBeInstanceOf(InvalidMarkerException);
    // A ListKeys marker does not continue ListAliases.
    expect(await rejection(kms.send(new ListAliasesCommand({ Marker: first.NextMarker! })))).toBeInstanceOf(InvalidMarkerException);
  });

  it('deletes the aliases of a key whose deletion date has passed', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const { kms } = await start(new KmsModel({ clock: () => now }));
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/short-lived', TargetKeyId: key.KeyId! }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId!, PendingWindowInDays: 7 }));
    expect((await kms.send(new ListAliasesCommand({}))).Aliases).toHaveLength(1);
    now += 8 * 86_400_000;
    expect((await kms.send(new ListAliasesCommand({}))).Aliases).toEqual([]);
    expect((await kms.send(new ListKeysCommand({}))).Keys).toEqual([]);
  });
});
