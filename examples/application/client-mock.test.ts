// Quick start 3b: an application team that already mocks KMSClient with aws-sdk-client-mock
// gets the bundled mock's behaviour behind it: stateful keys and the errors AWS documents.
import { CreateKeyCommand, DisableKeyCommand, GetKeyPolicyCommand, KMSClient, NotFoundException, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockKmsClient } from 'kms-conformance/client-mock';

const kmsMock = mockClient(KMSClient);
beforeEach(() => {
  kmsMock.reset();
  mockKmsClient(kmsMock, { seed: 1 }); // every KMSClient now answers from a fresh mock
});

const policy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }],
});

describe('a KMSClient behind aws-sdk-client-mock', () => {
  it('rejects a policy for a key that does not exist with NotFoundException', async () => {
    const kms = new KMSClient({ region: 'us-east-1' });
    await expect(kms.send(new PutKeyPolicyCommand({ KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab', Policy: policy }))).rejects.toBeInstanceOf(NotFoundException);
  });

  it('keeps state: a disabled key still takes a new policy, and GetKeyPolicy returns it', async () => {
    const kms = new KMSClient({ region: 'us-east-1' });
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata?.KeyId ?? '';
    await kms.send(new DisableKeyCommand({ KeyId: keyId }));
    await expect(kms.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: policy }))).resolves.toBeDefined();
    const { Policy } = await kms.send(new GetKeyPolicyCommand({ KeyId: keyId }));
    expect(Policy).toBe(policy);
  });
});
