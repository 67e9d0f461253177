import {
  CreateKeyCommand,
  type CreateKeyCommandOutput,
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  KMSClient,
  KMSInvalidStateException,
  KMSServiceException,
  NotFoundException,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
  EnableKeyCommand,
  EncryptCommand,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { mockKmsClient, sdkException } from './client-mock.ts';
import { KmsModel } from './model/kms-model.ts';
import { kmsRequestHandler } from './msw.ts';

const kmsMock = mockClient(KMSClient);
afterEach(() => kmsMock.reset());

const client = (region = 'us-east-1') => new KMSClient({ region, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } });

describe('mockKmsClient (aws-sdk-client-mock adapter)', () => {
  it('answers the commands from the model, with Date timestamps and $metadata', async () => {
    const model = mockKmsClient(kmsMock, { seed: 5 });
    const created = await client().send(new CreateKeyCommand({ Description: 'cm' }));
    expect(created.KeyMetadata?.CreationDate).toBeInstanceOf(Date);
    expect(created.$metadata).toMatchObject({ httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 });
    const keyId = created.KeyMetadata?.KeyId ?? '';
    expect(model.describe(keyId)).toMatchObject({ Description: 'cm' });
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }] });
    await client().send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: policy }));
    expect((await client().send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy).toBe(policy);
    expect(kmsMock.commandCalls(PutKeyPolicyCommand)).toHaveLength(1);
  });

  it('throws the SDK exception classes with $metadata and $fault', async () => {
    const model = mockKmsClient(kmsMock, new KmsModel());
    const err = await client().send(new DescribeKeyCommand({ KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundException);
    expect(err).toBeInstanceOf(KMSServiceException);
    expect(err).toMatchObject({ name: 'NotFoundException', $fault: 'client', $metadata: { httpStatusCode: 400, attempts: 1, totalRetryDelay: 0 } });
    expect((err as NotFoundException).$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const keyId = String(model.seedKey({ state: 'PendingDeletion' }).KeyId);
    await expect(client().send(new EnableKeyCommand({ KeyId: keyId }))).rejects.toBeInstanceOf(KMSInvalidStateException);
    const validation = await client().send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 400 })).catch((e: unknown) => e);
    expect(validation).toBeInstanceOf(KMSServiceException);
    expect(validation).toMatchObject({ name: 'ValidationException', $fault: 'client' });
  });

  it('answers other commands with UnknownOperationException, as over HTTP', async () => {
    mockKmsClient(kmsMock, {});
    const err = await client().send(new EncryptCommand({ KeyId: 'k', Plaintext: new Uint8Array([1]) })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KMSServiceException);
    expect(err).toMatchObject({ name: 'UnknownOperationException', $metadata: { httpStatusCode: 400 } });
    expect((err as Error).message).toContain('PutKeyPolicy');
  });

  it('uses the client Region', async () => {
    mockKmsClient(kmsMock, {});
    const created = await client('ap-southeast-2').send(new CreateKeyCommand({}));
    expect(created.KeyMetadata?.Arn).toMatch(/^arn:aws:kms:ap-southeast-2:/);
  });

  it("signs with the client's credentials: identities pick the caller, and verifySignatures checks the secret", async () => {
    const readOnly = { caller: { arn: 'arn:aws:iam::111122223333:user/Reader', accountId: '111122223333', iam: { kind: 'known', actions: ['kms:Describe*'] } }, secretAccessKey: 'right' } as const;
    mockKmsClient(kmsMock, { identities: { AKIDREADER: readOnly }, verifySignatures: true });
    const as = (secret: string) => new KMSClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDREADER', secretAccessKey: secret } });
    const denied = await as('right').send(new CreateKeyCommand({})).catch((e: unknown) => e);
    expect(denied).toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('arn:aws:iam::111122223333:user/Reader') });
    const forged = await as('wrong').send(new CreateKeyCommand({})).catch((e: unknown) => e);
    expect(forged).toMatchObject({ name: 'InvalidSignatureException' });
  });

  it('works for a client with no Region or credentials configured (the model Region, the default identity)', async () => {
    const saved = { ...process.env };
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    process.env.AWS_CONFIG_FILE = '/dev/null';
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/dev/null';
    try {
      mockKmsClient(kmsMock, { region: 'eu-central-1' });
      const created = await new KMSClient({}).send(new CreateKeyCommand({}));
      expect(created.KeyMetadata?.Arn).toMatch(/^arn:aws:kms:eu-central-1:111122223333:key\//);
    } finally {
      process.env = saved;
    }
  });

  it('lets stubs the test adds with on(…) take precedence, and records every call', async () => {
    mockKmsClient(kmsMock, {});
    kmsMock.on(DescribeKeyCommand).rejects(new KMSServiceException({ name: 'Custom', $fault: 'client', $metadata: {}, message: 'from the test' }));
    await expect(client().send(new DescribeKeyCommand({ KeyId: 'x' }))).rejects.toThrow('from the test');
    await client().send(new CreateKeyCommand({}));
    expect(kmsMock.commandCalls(CreateKeyCommand)).toHaveLength(1);
    expect(kmsMock.commandCalls(DescribeKeyCommand)).toHaveLength(1);
  });

  it('answers callback-style sends too', async () => {
    mockKmsClient(kmsMock, {});
    const keyId = await new Promise<string | undefined>((resolve, reject) => {
      client().send(new CreateKeyCommand({}), (err: unknown, out?: CreateKeyCommandOutput) => (err ? reject(err as Error) : resolve(out?.KeyMetadata?.KeyId)));
    });
    expect(keyId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('shares one model with the other servings', async () => {
    const model = new KmsModel();
    mockKmsClient(kmsMock, model);
    const created = await client().send(new CreateKeyCommand({}));
    const viaMsw = new KMSClient({ region: 'us-east-1', endpoint: 'http://kms.invalid', maxAttempts: 1, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' }, requestHandler: kmsRequestHandler(model) });
    // aws-sdk-client-mock patches every KMSClient's send; restore it (last test of the file) to reach the handler.
    kmsMock.restore();
    const described = await viaMsw.send(new DescribeKeyCommand({ KeyId: created.KeyMetadata?.KeyId ?? '' }));
    expect(described.KeyMetadata?.Arn).toBe(created.KeyMetadata?.Arn);
  });
});

describe('sdkException', () => {
  it('builds modelled classes and falls back to KMSServiceException named after the code', () => {
    expect(sdkException('NotFoundException', 'm', 400, 'r')).toBeInstanceOf(NotFoundException);
    const other = sdkException('ThrottlingException', 'slow down', 400, undefined);
    expect(other).toBeInstanceOf(KMSServiceException);
    expect(other).toMatchObject({ name: 'ThrottlingException', $fault: 'client', message: 'slow down' });
    expect(sdkException('InternalFailure', 'x', 500, 'r')).toMatchObject({ $fault: 'server' });
  });
});
