/**
 * Every serving of the mock honours `divergences`: the HTTP server, the MSW handlers, and the
 * aws-sdk-client-mock adapter (`serve --divergence`: cli/commands/serve-divergence.test.ts). One
 * profile each, checked against the same serving with no profile.
 */
import { CreateKeyCommand, KMSClient, KMSInvalidStateException, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { getResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { mockKmsClient } from './client-mock.ts';
import { kmsHandlers } from './msw.ts';
import { startMockServer } from './server.ts';

const JSON_HEADERS = { 'content-type': 'application/x-amz-json-1.1' };
const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }] });

describe('startMockServer({ divergences })', () => {
  it('null-success-body: PutKeyPolicy answers null over HTTP; without the profile, an empty body', async () => {
    for (const [divergences, body] of [[['null-success-body'], 'null'], [[], '']] as const) {
      const server = await startMockServer({ port: 0, divergences: [...divergences] });
      try {
        const send = async (target: string, payload: unknown): Promise<Response> =>
          fetch(server.url, { method: 'POST', headers: { ...JSON_HEADERS, 'x-amz-target': `TrentService.${target}` }, body: JSON.stringify(payload) });
        const created = (await (await send('CreateKey', {})).json()) as { KeyMetadata: { KeyId: string } };
        const put = await send('PutKeyPolicy', { KeyId: created.KeyMetadata.KeyId, Policy: POLICY });
        expect(put.status).toBe(200);
        expect(await put.text()).toBe(body);
      } finally {
        await server.close();
      }
    }
  });
});

describe('kmsHandlers({ divergences }) (MSW)', () => {
  it('missing-error-type: the error body has no __type; without the profile it has', async () => {
    for (const [divergences, type] of [[['missing-error-type'], undefined], [[], 'NotFoundException']] as const) {
      const handlers = kmsHandlers({ divergences: [...divergences] });
      const request = new Request('http://kms.test/', { method: 'POST', headers: { ...JSON_HEADERS, 'x-amz-target': 'TrentService.DescribeKey' }, body: JSON.stringify({ KeyId: 'nope' }) });
      const response = await getResponse(handlers, request);
      expect(response?.status).toBe(400);
      const body = (await response?.json()) as { __type?: string; message: string };
      expect(body.__type).toBe(type);
      expect(body.message).toBe("Invalid keyId 'nope'");
    }
  });
});

describe('mockKmsClient(kmsMock, { divergences }) (aws-sdk-client-mock)', () => {
  const kmsMock = mockClient(KMSClient);
  afterEach(() => kmsMock.reset());
  const client = (): KMSClient => new KMSClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } });

  it('reject-disabled: PutKeyPolicy on a disabled key throws KMSInvalidStateException; without the profile it succeeds', async () => {
    for (const divergences of [['reject-disabled'], []] as const) {
      const model = mockKmsClient(kmsMock, { divergences: [...divergences] });
      const keyId = String(model.seedKey({ state: 'Disabled' }).KeyId);
      const put = client().send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: POLICY }));
      if (divergences.length > 0) await expect(put).rejects.toBeInstanceOf(KMSInvalidStateException);
      else await expect(put).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
      kmsMock.reset();
    }
    // The adapter is removed by reset: the next send is not answered by the model.
    expect(await client().send(new CreateKeyCommand({}))).toBeUndefined();
  });
});
