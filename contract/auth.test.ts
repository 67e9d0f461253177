import { describe, expect, it } from 'vitest';
import { checkAuthentication, parseAuthorization } from './auth.ts';
import type { WireRequest } from './wire.ts';

const SIGNED = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/kms/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=abc123';
const request = (headers: Record<string, string>): WireRequest => ({ method: 'POST', path: '/', headers, body: new Uint8Array() });
const rules = (headers: Record<string, string>, options: Parameters<typeof checkAuthentication>[1] = {}): string[] => checkAuthentication(request(headers), options).map((f) => f.ruleId);

describe('parseAuthorization', () => {
  it('reads the scope, signed headers and signature of a SigV4 header', () => {
    expect(parseAuthorization(SIGNED)).toEqual({
      accessKeyId: 'AKIDEXAMPLE',
      date: '20260101',
      region: 'us-east-1',
      service: 'kms',
      signedHeaders: ['content-type', 'host', 'x-amz-date'],
      signature: 'abc123',
    });
  });

  it('answers undefined for anything that is not a complete SigV4 header', () => {
    for (const v of [
      undefined,
      '',
      'Bearer token',
      'AWS4-HMAC-SHA256',
      'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/kms/aws4_request, SignedHeaders=host',
      'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/kms, SignedHeaders=host, Signature=abc',
      'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/kms/aws4_other, SignedHeaders=host, Signature=abc',
      'AWS4-HMAC-SHA256 Credential, SignedHeaders, Signature',
    ]) {
      expect(parseAuthorization(v), String(v)).toBeUndefined();
    }
  });
});

describe('checkAuthentication (decision 0506)', () => {
  it('a missing header, an incomplete one and a scope of another service each break their rule, with the mock answer', () => {
    expect(checkAuthentication(request({}))).toEqual([expect.objectContaining({ ruleId: 'Auth.missing', respondWith: { code: 'MissingAuthenticationTokenException', status: 403 } })]);
    expect(checkAuthentication(request({ authorization: 'AWS4-HMAC-SHA256 Credential=x' }))).toEqual([
      expect.objectContaining({ ruleId: 'Auth.incomplete', respondWith: { code: 'IncompleteSignatureException', status: 400 } }),
    ]);
    expect(checkAuthentication(request({ Authorization: SIGNED.replace('/kms/', '/s3/') }))).toEqual([
      expect.objectContaining({ ruleId: 'Auth.incomplete', message: "Credential should be scoped to correct service: 'kms', not 's3'." }),
    ]);
  });

  it('judges the date only against a given clock, 15 minutes either way', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    expect(rules({ authorization: SIGNED, 'x-amz-date': '20260101T120000Z' }, { now })).toEqual([]);
    expect(rules({ authorization: SIGNED, 'x-amz-date': '20260101T121500Z' }, { now })).toEqual([]);
    expect(rules({ authorization: SIGNED, 'x-amz-date': '20260101T121501Z' }, { now })).toEqual(['Auth.requestExpired']);
    expect(rules({ authorization: SIGNED, 'x-amz-date': '20260101T114459Z' }, { now })).toEqual(['Auth.requestExpired']);
    expect(rules({ authorization: SIGNED, 'x-amz-date': '20260101T114459Z' })).toEqual([]);
  });

  it('reports the credential checks the caller made', () => {
    expect(rules({ authorization: SIGNED }, { signature: 'valid' })).toEqual([]);
    expect(rules({ authorization: SIGNED }, { signature: 'unknown-key' })).toEqual(['Auth.unrecognizedClient']);
    expect(rules({ authorization: SIGNED }, { signature: 'mismatch' })).toEqual(['Auth.signatureMismatch']);
    expect(rules({ authorization: SIGNED }, { signature: 'expired-token' })).toEqual(['Auth.expiredToken']);
  });
});
