/**
 * The real `@aws-sdk/client-kms` against the mock, over all three ways a client reaches it: MSW
 * `setupServer` interception, MSW handlers driven in process (`getResponse`), and the HTTP server.
 * The same scenarios run over each; they share nothing but the model class.
 */
import {
  CancelKeyDeletionCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  GetKeyPolicyCommand,
  InvalidArnException,
  KMSClient,
  KMSInternalException,
  KMSInvalidStateException,
  KMSServiceException,
  LimitExceededException,
  ListKeyPoliciesCommand,
  MalformedPolicyDocumentException,
  NotFoundException,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import * as kms from '@aws-sdk/client-kms';
import { setupServer } from 'msw/node';
import { afterEach, describe, expect, it } from 'vitest';
import { MODEL } from '../contract/model.ts';
import { OPERATIONS } from '../contract/types.ts';
import type { Expectation } from '../contract/types.ts';
import { KmsModel } from './model/kms-model.ts';
import type { MockOptions } from './options.ts';
import { kmsHandlers, kmsRequestHandler } from './msw.ts';
import { startMockServer } from './server.ts';

const OPEN_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'all', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }],
});
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

interface Running {
  client(over?: { region?: string; credentials?: typeof CREDENTIALS }): KMSClient;
  stop(): Promise<void>;
}

type Transport = (model: KmsModel) => Promise<Running>;

function clientFor(endpoint: string, requestHandler?: ReturnType<typeof kmsRequestHandler>) {
  return (over: { region?: string; credentials?: typeof CREDENTIALS } = {}) =>
    new KMSClient({
      region: over.region ?? 'us-east-1',
      endpoint,
      credentials: over.credentials ?? CREDENTIALS,
      maxAttempts: 1,
      ...(requestHandler ? { requestHandler } : {}),
    });
}

const TRANSPORTS: readonly [string, Transport][] = [
  [
    'MSW setupServer',
    async (model) => {
      const server = setupServer(...kmsHandlers(model));
      server.listen({ onUnhandledRequest: 'error' });
      return { client: clientFor('http://127.0.0.1:9'), stop: async () => server.close() };
    },
  ],
  [
    'MSW handlers in process (getResponse)',
    async (model) => ({ client: clientFor('http://kms.in-process.invalid', kmsRequestHandler(model)), stop: async () => undefined }),
  ],
  [
    'HTTP server',
    async (model) => {
      const server = await startMockServer({ model });
      return { client: clientFor(server.url), stop: () => server.close() };
    },
  ],
];

async function rejection(p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number; requestId?: string }; $fault?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to fail, it succeeded');
}

describe.each(TRANSPORTS)('@aws-sdk/client-kms via %s', (_name, transport) => {
  let running: Running | undefined;
  const start = async (options: MockOptions | KmsModel = {}) => {
    const model = options instanceof KmsModel ? options : new KmsModel(options);
    running = await transport(model);
    return { model, client: running.client() , running };
  };
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it('round trip: CreateKey, default policy, PutKeyPolicy, GetKeyPolicy returns the text as sent, ListKeyPolicies', async () => {
    const { client } = await start();
    const created = await client.send(new CreateKeyCommand({ Description: 'round trip' }));
    const keyId = created.KeyMetadata?.KeyId ?? '';
    expect(created.KeyMetadata).toMatchObject({ KeyState: 'Enabled', Enabled: true, Description: 'round trip', KeyManager: 'CUSTOMER' });
    expect(created.KeyMetadata?.CreationDate).toBeInstanceOf(Date);
    expect(created.$metadata).toMatchObject({ httpStatusCode: 200, attempts: 1 });
    expect(created.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const initial = await client.send(new GetKeyPolicyCommand({ KeyId: keyId }));
    expect(initial.PolicyName).toBe('default');
    expect(JSON.parse(initial.Policy ?? '')).toMatchObject({ Id: 'key-default-1', Statement: [{ Principal: { AWS: 'arn:aws:iam::111122223333:root' } }] });

    const put = await client.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: OPEN_POLICY }));
    expect(Object.keys(put)).toEqual(['$metadata']);
    expect((await client.send(new GetKeyPolicyCommand({ KeyId: created.KeyMetadata?.Arn ?? '', PolicyName: 'default' }))).Policy).toBe(OPEN_POLICY);
    const listed = await client.send(new ListKeyPoliciesCommand({ KeyId: keyId }));
    expect(listed).toMatchObject({ PolicyNames: ['default'], Truncated: false });
  });

  it('state transitions: DisableKey, EnableKey, ScheduleKeyDeletion, CancelKeyDeletion, seen through DescribeKey', async () => {
    const { client, model } = await start();
    const keyId = String(model.seedKey().KeyId);
    const describe = async () => (await client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
    await client.send(new DisableKeyCommand({ KeyId: keyId }));
    expect(await describe()).toMatchObject({ KeyState: 'Disabled', Enabled: false });
    await client.send(new EnableKeyCommand({ KeyId: keyId }));
    expect(await describe()).toMatchObject({ KeyState: 'Enabled', Enabled: true });
    const scheduled = await client.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    expect(scheduled).toMatchObject({ KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
    expect(scheduled.DeletionDate).toBeInstanceOf(Date);
    expect(await describe()).toMatchObject({ KeyState: 'PendingDeletion', Enabled: false, PendingDeletionWindowInDays: 7 });
    const cancelled = await client.send(new CancelKeyDeletionCommand({ KeyId: keyId }));
    expect(cancelled.KeyId).toBe((await describe())?.Arn);
    expect(await describe()).toMatchObject({ KeyState: 'Disabled', Enabled: false });
  });

  it('contract errors arrive as the SDK exception classes with status 400', async () => {
    const { client, model } = await start();
    const keyId = String(model.seedKey().KeyId);
    model.createAlias('alias/app', keyId);

    const missing = await rejection(client.send(new GetKeyPolicyCommand({ KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' })));
    expect(missing).toBeInstanceOf(NotFoundException);
    expect(missing.message).toBe("Key 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' does not exist");
    expect(missing.$metadata?.httpStatusCode).toBe(400);
    expect(missing.$fault).toBe('client');

    expect(await rejection(client.send(new PutKeyPolicyCommand({ KeyId: 'alias/app', Policy: OPEN_POLICY })))).toBeInstanceOf(InvalidArnException);

    const lockout = await rejection(
      client.send(
        new PutKeyPolicyCommand({
          KeyId: keyId,
          Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/Admin' }, Action: 'kms:Get*', Resource: '*' }] }),
        }),
      ),
    );
    expect(lockout).toBeInstanceOf(MalformedPolicyDocumentException);
    expect(lockout.message).toBe('The new key policy will not allow you to update the key policy in the future.');

    const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'x'.repeat(33_000), Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }] });
    expect(await rejection(client.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: big })))).toBeInstanceOf(LimitExceededException);

    await client.send(new ScheduleKeyDeletionCommand({ KeyId: keyId }));
    const invalidState = await rejection(client.send(new EnableKeyCommand({ KeyId: keyId })));
    expect(invalidState).toBeInstanceOf(KMSInvalidStateException);
    expect(invalidState.$metadata?.httpStatusCode).toBe(400);

    const validation = await rejection(client.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: '' })));
    expect(validation).toBeInstanceOf(KMSServiceException);
    expect(validation.name).toBe('ValidationException');
    expect(validation.message).toMatch(/^1 validation error detected: Value '' at 'policy' failed to satisfy constraint: Member must have length greater than or equal to 1/);
  });

  it('every modelled error of the thirteen operations reaches the SDK as its own class', async () => {
    let code = '';
    const oracle = (): Expectation => ({
      kind: 'decided',
      outcomes: [],
      rules: ['test'],
      violations: [{ ruleId: 'test', outcomes: [{ kind: 'error', code, statuses: [MODEL.errors[code]?.httpError ?? 400] }], message: `forced ${code}` }],
    });
    const { client } = await start(new KmsModel({}, oracle));
    const codes = [...new Set(OPERATIONS.flatMap((op) => MODEL.operations[op].errors))];
    expect(codes.length).toBeGreaterThanOrEqual(13);
    for (const c of codes) {
      code = c;
      const e = await rejection(client.send(new DescribeKeyCommand({ KeyId: 'k' })));
      const Ctor = (kms as unknown as Record<string, new (...a: never[]) => Error>)[c];
      expect(e, c).toBeInstanceOf(Ctor);
      expect(e.name).toBe(c);
      expect(e.message).toBe(`forced ${c}`);
      expect(e.$fault).toBe(MODEL.errors[c]?.fault);
      expect(e.$metadata?.httpStatusCode).toBe(MODEL.errors[c]?.httpError);
    }
  });

  it('seeded faults: throttling, server errors and dropped connections', async () => {
    const { client } = await start({ faults: { throttleRate: 1, operations: ['GetKeyPolicy'] } });
    const throttled = await rejection(client.send(new GetKeyPolicyCommand({ KeyId: 'k' })));
    expect(throttled.name).toBe('ThrottlingException');
    expect(throttled.message).toBe('You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.');
    await running?.stop();

    const second = await start({ faults: { serverErrorRate: 1 } });
    const internal = await rejection(second.client.send(new CreateKeyCommand({})));
    expect(internal).toBeInstanceOf(KMSInternalException);
    expect(internal.$metadata?.httpStatusCode).toBe(500);
    expect(internal.$fault).toBe('server');
    await running?.stop();

    const third = await start({ faults: { dropRate: 1 } });
    const dropped = await rejection(third.client.send(new CreateKeyCommand({})));
    expect(dropped).not.toBeInstanceOf(KMSServiceException);
    expect(third.model.world().keys).toHaveLength(0);
  });

  it('the client Region selects the Region, the access key selects the caller', async () => {
    const alice = { arn: 'arn:aws:iam::111122223333:user/Alice', accountId: '111122223333', iam: { kind: 'known' as const, actions: ['kms:*'] } };
    const { model, running: r } = await start({
      identities: { AKIDALICE: { caller: alice } },
      principals: [{ kind: 'user', id: alice.arn }],
    });
    const west = r.client({ region: 'eu-west-1' });
    const created = await west.send(new CreateKeyCommand({}));
    expect(created.KeyMetadata?.Arn).toMatch(/^arn:aws:kms:eu-west-1:111122223333:key\//);
    expect(model.world('111122223333', 'eu-west-1').keys).toHaveLength(1);

    // A policy that lets only Alice manage the key passes the lockout check for Alice, not for the admin.
    const onlyAlice = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 'kms:*', Resource: '*' }] });
    const keyId = created.KeyMetadata?.KeyId ?? '';
    const asAdmin = await rejection(west.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: onlyAlice })));
    expect(asAdmin).toBeInstanceOf(MalformedPolicyDocumentException);
    const asAlice = r.client({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDALICE', secretAccessKey: 'x' } });
    await asAlice.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: onlyAlice }));
    expect((await asAlice.send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy).toBe(onlyAlice);
  });

  it('verifies SigV4 signatures when asked', async () => {
    const { running: r } = await start({
      verifySignatures: true,
      identities: { AKIDEXAMPLE: { caller: { arn: 'arn:aws:iam::111122223333:role/Admin', accountId: '111122223333', iam: { kind: 'known', actions: ['*'] } }, secretAccessKey: CREDENTIALS.secretAccessKey } },
    });
    expect((await r.client().send(new CreateKeyCommand({}))).KeyMetadata?.KeyState).toBe('Enabled');
    const bad = await rejection(r.client({ credentials: { ...CREDENTIALS, secretAccessKey: 'wrong' } }).send(new CreateKeyCommand({})));
    expect(bad.name).toBe('InvalidSignatureException');
    expect(bad.message).toMatch(/^The request signature we calculated does not match/);
    const unknown = await rejection(r.client({ credentials: { accessKeyId: 'AKIDNOBODY', secretAccessKey: 'x' } }).send(new CreateKeyCommand({})));
    expect(unknown.name).toBe('UnrecognizedClientException');
    expect(unknown.message).toBe('The security token included in the request is invalid.');
  });
});

describe('MSW handlers and unrelated requests', () => {
  it('leave requests without a TrentService target to onUnhandledRequest', async () => {
    const server = setupServer(...kmsHandlers({}));
    const unhandled: string[] = [];
    server.listen({ onUnhandledRequest: (req) => void unhandled.push(req.url) });
    try {
      await fetch('http://127.0.0.1:9/other', { method: 'POST', headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables' } }).catch(() => undefined);
      expect(unhandled).toEqual(['http://127.0.0.1:9/other']);
    } finally {
      server.close();
    }
  });

  it('claim every request to a configured URL, so wire errors come back as JSON', async () => {
    const server = setupServer(...kmsHandlers({ url: 'http://127.0.0.1:9' }));
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const res = await fetch('http://127.0.0.1:9/', { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1' }, body: '{}' });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ __type: 'UnknownOperationException' });
    } finally {
      server.close();
    }
  });
});
