/**
 * Who sends a request: the SigV4 `Authorization` header's access key id selects the caller from
 * the identity map; unknown ids act as the default administrator. With `verifySignatures` the
 * signature is recomputed with `@smithy/signature-v4` and a mismatch gets AWS's error (§6).
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, timingSafeEqual } from 'node:crypto';
import { headerValue } from '../contract/wire.ts';
import type { WireHeaders } from '../contract/wire.ts';
import type { Caller } from '../contract/types.ts';
import type { KmsModel } from './model/kms-model.ts';
import { parseAuthorization, type SigV4Authorization } from '../contract/auth.ts';

/** The parts of a SigV4 `Authorization` header. */
/** The SigV4 `Authorization` header parser is the contract's (`contract/auth.ts`); re-exported for mock users. */
export { parseAuthorization };
export type { SigV4Authorization };

/**
 * The outcome of identifying a request.
 * - `caller`: who calls, and the Region named by the signature scope (when there is one);
 * - `error`: an authentication error to answer (only with `verifySignatures`).
 */
export type IdentityResult =
  | { readonly kind: 'caller'; readonly caller: Caller; readonly region: string | undefined; readonly accessKeyId: string | undefined }
  | { readonly kind: 'error'; readonly code: string; readonly status: number; readonly message: string };

/** The request parts a signature covers. */
export interface SignedRequestParts {
  readonly method: string;
  /** Path with optional query string. */
  readonly path: string;
  /** Host (and port) from the URL, used when the `host` header is absent (Fetch requests). */
  readonly urlHost: string | undefined;
  readonly headers: WireHeaders;
  readonly body: Uint8Array;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

const INVALID_SIGNATURE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** Identifies the caller of a request against the model's identity options. */
export async function identify(model: KmsModel, req: SignedRequestParts): Promise<IdentityResult> {
  const opts = model.options;
  const raw = headerValue(req.headers, 'authorization');
  const auth = parseAuthorization(raw);
  const region = auth && REGION.test(auth.region) ? auth.region : undefined;

  if (!opts.verifySignatures) {
    const known = auth ? opts.identities.get(auth.accessKeyId) : undefined;
    return { kind: 'caller', caller: known?.caller ?? model.defaultCaller(), region, accessKeyId: auth?.accessKeyId };
  }

  if (raw === undefined) {
    return { kind: 'error', code: 'MissingAuthenticationTokenException', status: 403, message: 'Request is missing Authentication Token' };
  }
  if (!auth) {
    return {
      kind: 'error',
      code: 'IncompleteSignatureException',
      status: 400,
      message: `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters of an AWS4-HMAC-SHA256 signature.`,
    };
  }
  const identity = opts.identities.get(auth.accessKeyId);
  if (!identity || identity.secretAccessKey === undefined) {
    return { kind: 'error', code: 'UnrecognizedClientException', status: 400, message: 'The security token included in the request is invalid.' };
  }
  const ok = await signatureMatches(req, auth, identity.secretAccessKey);
  if (!ok) return { kind: 'error', code: 'InvalidSignatureException', status: 400, message: INVALID_SIGNATURE };
  return { kind: 'caller', caller: identity.caller, region, accessKeyId: auth.accessKeyId };
}

function parseAmzDate(v: string | undefined): Date | undefined {
  const m = v === undefined ? null : /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v);
  if (!m) return undefined;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

/** Recomputes the signature with the real SigV4 signer, over exactly the headers the client signed. */
async function signatureMatches(req: SignedRequestParts, auth: SigV4Authorization, secretAccessKey: string): Promise<boolean> {
  const signingDate = parseAmzDate(headerValue(req.headers, 'x-amz-date'));
  if (!signingDate) return false;
  // The signer trusts x-amz-content-sha256 when present; the body must really have that hash.
  const declared = headerValue(req.headers, 'x-amz-content-sha256');
  if (declared !== undefined && declared !== createHash('sha256').update(req.body).digest('hex')) return false;
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const v = headerValue(req.headers, name) ?? (name === 'host' ? req.urlHost : undefined);
    if (v === undefined) return false;
    headers[name] = v;
  }
  const [pathname = '/', search = ''] = req.path.split('?');
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(search)) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey },
    region: auth.region,
    service: auth.service,
    sha256: Sha256,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    { method: req.method.toUpperCase(), protocol: 'http:', hostname: headers['host'] ?? '', path: decodeURIComponent(pathname), query, headers, body: req.body },
    { signingDate, signableHeaders: new Set(auth.signedHeaders) },
  );
  const computed = parseAuthorization(String(signed.headers['authorization'] ?? ''));
  if (!computed || computed.signedHeaders.join(';') !== auth.signedHeaders.join(';')) return false;
  const a = Buffer.from(computed.signature);
  const b = Buffer.from(auth.signature);
  return a.length === b.length && timingSafeEqual(a, b);
}
