// Quick start 3a: an application team tests its own KMS code against the bundled mock through
// MSW. The application's real KMSClient sends real HTTP requests; MSW answers them from the mock.
import { CreateKeyCommand, GetKeyPolicyCommand, KMSClient, MalformedPolicyDocumentException, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KmsModel, kmsHandlers } from 'kms-conformance/msw';

// The code under test: the application's own helper.
async function lockDownKey(kms: KMSClient, keyId: string, accountId: string): Promise<void> {
  const policy = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'AccountAdmin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' }],
  };
  await kms.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: JSON.stringify(policy) }));
}

const model = new KmsModel({ seed: 42 });
const server = setupServer(...kmsHandlers(model));
const kms = new KMSClient({ region: 'us-east-1', endpoint: 'http://kms.test', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' } });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => model.reset());
afterAll(() => server.close());

describe('lockDownKey', () => {
  it('stores a policy that GetKeyPolicy returns unchanged', async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata?.KeyId ?? '';
    await lockDownKey(kms, keyId, '111122223333');
    const { Policy } = await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }));
    expect(JSON.parse(Policy ?? '{}')).toMatchObject({ Statement: [{ Sid: 'AccountAdmin' }] });
  });

  it('gets the error AWS gives for a malformed policy', async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    await expect(kms.send(new PutKeyPolicyCommand({ KeyId: KeyMetadata?.KeyId ?? '', Policy: '{"Version": "2012-10-17"' }))).rejects.toBeInstanceOf(MalformedPolicyDocumentException);
  });
});
