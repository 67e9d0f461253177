import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { identify, parseAuthorization } from './identity.ts';
import { KmsModel } from './model/kms-model.ts';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const ALICE = { arn: 'arn:aws:iam::111122223333:user/Alice', accountId: '111122223333', iam: { kind: 'known' as const, actions: ['kms:*'] } };

async function signed(body: string, opts: { region?: string; secret?: string; akid?: string } = {}) {
  const signer = new SignatureV4({ credentials: { accessKeyId: opts.akid ?? 'AKIDALICE', secretAccessKey: opts.secret ?? SECRET }, region: opts.region ?? 'eu-west-1', service: 'kms', sha256: Sha256 });
  const req = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4566,
    path: '/',
    headers: { host: '127.0.0.1:4566', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.CreateKey' },
    body,
  });
  return { method: 'POST', path: '/', urlHost: undefined, headers: req.headers as Record<string, string>, body: new TextEncoder().encode(body) };
}

describe('parseAuthorization', () => {
  it('reads the credential scope, signed headers and signature', () => {
    expect(parseAuthorization('AWS4-HMAC-SHA256 Credential=AKID/20240101/us-west-2/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc')).toEqual({
      accessKeyId: 'AKID',
      date: '20240101',
      region: 'us-west-2',
      service: 'kms',
      signedHeaders: ['host', 'x-amz-date'],
      signature: 'abc',
    });
  });
  it.each([undefined, 'Bearer x', 'AWS4-HMAC-SHA256 Credential=AKID/20240101/us-west-2/kms, SignedHeaders=host, Signature=abc', 'AWS4-HMAC-SHA256 Credential=AKID/20240101/us-west-2/kms/aws4_request'])(
    'returns undefined for %j',
    (v) => expect(parseAuthorization(v)).toBeUndefined(),
  );
});

describe('identify', () => {
  it('without verification: known access keys map to their caller, unknown ones to the default admin; the scope names the Region', async () => {
    const model = new KmsModel({ identities: { AKIDALICE: { caller: ALICE } } });
    expect(await identify(model, await signed('{}'))).toEqual({ kind: 'caller', caller: ALICE, region: 'eu-west-1', accessKeyId: 'AKIDALICE' });
    expect(await identify(model, await signed('{}', { akid: 'AKIDOTHER', secret: 'x' }))).toMatchObject({ kind: 'caller', caller: model.defaultCaller(), accessKeyId: 'AKIDOTHER' });
    expect(await identify(model, { method: 'POST', path: '/', urlHost: undefined, headers: {}, body: new Uint8Array() })).toEqual({
      kind: 'caller',
      caller: { arn: 'arn:aws:iam::111122223333:role/Admin', accountId: '111122223333', iam: { kind: 'known', actions: ['*'] } },
      region: undefined,
      accessKeyId: undefined,
    });
  });

  describe('with verifySignatures', () => {
    const model = new KmsModel({ verifySignatures: true, identities: { AKIDALICE: { caller: ALICE, secretAccessKey: SECRET } } });

    it('accepts a correct signature', async () => {
      expect(await identify(model, await signed('{"Description":"x"}'))).toMatchObject({ kind: 'caller', caller: ALICE });
    });

    it('uses the URL host when the host header is absent (Fetch requests)', async () => {
      const r = await signed('{}');
      const { host: _host, ...rest } = r.headers;
      expect(await identify(model, { ...r, headers: rest, urlHost: '127.0.0.1:4566' })).toMatchObject({ kind: 'caller' });
    });

    it('rejects a body changed after signing, a wrong secret, an unknown key, no header, a malformed header', async () => {
      const r = await signed('{"Description":"x"}');
      expect(await identify(model, { ...r, body: new TextEncoder().encode('{"Description":"y"}') })).toMatchObject({ kind: 'error', code: 'InvalidSignatureException', status: 400 });
      expect(await identify(model, await signed('{}', { secret: 'wrong' }))).toMatchObject({ kind: 'error', code: 'InvalidSignatureException' });
      expect(await identify(model, await signed('{}', { akid: 'AKIDNOBODY' }))).toEqual({
        kind: 'error',
        code: 'UnrecognizedClientException',
        status: 400,
        message: 'The security token included in the request is invalid.',
      });
      expect(await identify(model, { ...r, headers: {} })).toMatchObject({ kind: 'error', code: 'MissingAuthenticationTokenException', status: 403 });
      expect(await identify(model, { ...r, headers: { ...r.headers, authorization: 'Basic abc' } })).toMatchObject({ kind: 'error', code: 'IncompleteSignatureException' });
    });
  });
});
