/**
 * Request authentication as far as the contract can judge it from the request (contract notes §1
 * "Auth | SigV4, signing name kms", §6 framework errors, §10.5 clock skew): a SigV4 Authorization
 * header scoped to `kms`, a signing date within 15 minutes, and — reported by whoever holds the
 * secrets — a known access key, a matching signature and an unexpired token (decision 0506).
 */
import { headerValue } from './wire.ts';
import type { WireRequest } from './wire.ts';

/**
 * What the caller of the oracle knows about the credentials (the oracle holds no secrets):
 * `unknown-key` (access key id not recognised), `mismatch` (signature does not verify),
 * `expired-token` (session token expired), or `valid`.
 */
export type SignatureFacts = 'valid' | 'unknown-key' | 'mismatch' | 'expired-token';

/** Options of {@link checkAuthentication}. */
export interface AuthenticationOptions {
  /** Epoch milliseconds to compare `X-Amz-Date` with. Without it the date is not judged. */
  readonly now?: number;
  /** What the credential checks found, when known. */
  readonly signature?: SignatureFacts;
}

/** One authentication rule the request breaks, with the mock's answer. */
export interface AuthFinding {
  readonly ruleId: string;
  readonly message: string;
  readonly respondWith: { readonly code: string; readonly status: number };
}

/** The parts of a SigV4 `Authorization` header. */
export interface SigV4Authorization {
  readonly accessKeyId: string;
  /** `yyyymmdd` of the credential scope. */
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/**
 * Parses `AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/kms/aws4_request,
 * SignedHeaders=a;b, Signature=hex`; `undefined` when the header is missing or not a complete
 * header of that form (a five-part scope ending in `aws4_request`, signed headers, a signature).
 */
export function parseAuthorization(value: string | undefined): SigV4Authorization | undefined {
  if (value === undefined) return undefined;
  const m = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec(value.trim());
  if (!m) return undefined;
  const fields = new Map<string, string>();
  for (const part of (m[1] ?? '').split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const cred = fields.get('Credential')?.split('/');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!cred || cred.length !== 5 || cred[4] !== 'aws4_request' || !signedHeaders || !signature) return undefined;
  const [accessKeyId = '', date = '', region = '', service = ''] = cred;
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

const MAX_SKEW_MS = 15 * 60 * 1000;

/** Parses `yyyymmddThhmmssZ`; `undefined` when malformed. */
function amzDate(v: string | undefined): number | undefined {
  const m = v === undefined ? null : /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v);
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/**
 * The authentication rules `request` breaks, in the order a service would find them.
 *
 * @example
 * checkAuthentication({ method: 'POST', path: '/', headers: {}, body: new Uint8Array() })
 * // [{ ruleId: 'Auth.missing', … }]
 */
export function checkAuthentication(request: WireRequest, options: AuthenticationOptions = {}): AuthFinding[] {
  const auth = headerValue(request.headers, 'authorization');
  if (auth === undefined || auth.trim() === '') {
    return [{ ruleId: 'Auth.missing', message: 'Request is missing Authentication Token', respondWith: { code: 'MissingAuthenticationTokenException', status: 403 } }];
  }
  const parsed = parseAuthorization(auth);
  if (parsed === undefined) {
    return [
      {
        ruleId: 'Auth.incomplete',
        message: "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters of an AWS4-HMAC-SHA256 signature.",
        respondWith: { code: 'IncompleteSignatureException', status: 400 },
      },
    ];
  }
  if (parsed.service !== 'kms') {
    return [{ ruleId: 'Auth.incomplete', message: `Credential should be scoped to correct service: 'kms', not '${parsed.service}'.`, respondWith: { code: 'InvalidSignatureException', status: 400 } }];
  }
  const out: AuthFinding[] = [];
  const signed = amzDate(headerValue(request.headers, 'x-amz-date'));
  if (options.now !== undefined && signed !== undefined && Math.abs(options.now - signed) > MAX_SKEW_MS) {
    out.push({
      ruleId: 'Auth.requestExpired',
      message: 'The request reached the service more than 15 minutes after the date stamp on the request or more than 15 minutes after the request expiration date (such as for pre-signed URLs), or the date stamp on the request is more than 15 minutes in the future.',
      respondWith: { code: 'RequestExpired', status: 400 },
    });
  }
  switch (options.signature) {
    case 'unknown-key':
      out.push({ ruleId: 'Auth.unrecognizedClient', message: 'The security token included in the request is invalid.', respondWith: { code: 'UnrecognizedClientException', status: 400 } });
      break;
    case 'mismatch':
      out.push({
        ruleId: 'Auth.signatureMismatch',
        message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
        respondWith: { code: 'InvalidSignatureException', status: 400 },
      });
      break;
    case 'expired-token':
      out.push({ ruleId: 'Auth.expiredToken', message: 'The security token included in the request is expired', respondWith: { code: 'ExpiredTokenException', status: 403 } });
      break;
    default:
      break;
  }
  return out;
}
