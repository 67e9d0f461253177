/**
 * Authentication rules (contract notes §1, §6, §10.5; decision 0506). Judged by the oracle's
 * `expectedWire` only when asked (`authentication` option): raw requests built by the generators
 * are unsigned by design and signed on the way out.
 */
import type { Rule } from '../types.ts';
import { OPERATIONS } from '../types.ts';
import { frameworkError, rule } from './outcomes.ts';

const ONLY_OTHER = 'The codes and statuses come from AWS\'s Common Errors pages and other Coral services (§6); none is recorded from KMS.';
const DECISION = 'decisions/0506-authentication.md';
const SIGV4 = { tag: 'M1', quote: '"aws.auth#sigv4": { "name": "kms" }', where: 'TrentService traits; contract notes §1 "SigV4, signing name kms"' } as const;

/** The authentication rules. */
export const AUTH_RULES: readonly Rule[] = [
  rule({
    id: 'Auth.missing',
    operations: OPERATIONS,
    topic: 'wire',
    statement: 'A request without an Authorization header is rejected with MissingAuthenticationTokenException.',
    sources: [
      SIGV4,
      { tag: 'ISS', quote: '{"__type":"com.amazon.coral.service#MissingAuthenticationTokenException","message":"Request is missing Authentication Token"}', where: 'a JSON-1.0 service, contract notes §6' },
      { tag: 'CE-web', quote: '| MissingAuthenticationToken | 403 | — |', where: 'classic Common Errors page' },
    ],
    outcomes: [frameworkError('MissingAuthenticationTokenException', [400, 403], 'CE-web 403; other Coral services (Wire.target.missing)')],
    note: ONLY_OTHER,
    decision: DECISION,
  }),
  rule({
    id: 'Auth.incomplete',
    operations: OPERATIONS,
    topic: 'wire',
    statement: 'An Authorization header that is not a complete AWS4-HMAC-SHA256 signature scoped to the kms service is rejected (IncompleteSignature).',
    sources: [SIGV4, { tag: 'CE-web', quote: '| IncompleteSignature | 400 | 403 |', where: 'both Common Errors pages' }],
    outcomes: [frameworkError('IncompleteSignatureException', [400, 403], 'CE-web 400 (classic) / 403 (newer)'), frameworkError('InvalidSignatureException', [400], 'other Coral services (§6)')],
    note: ONLY_OTHER + ' A credential scoped to another service is accepted as either error.',
    decision: DECISION,
  }),
  rule({
    id: 'Auth.requestExpired',
    operations: OPERATIONS,
    topic: 'wire',
    statement: 'A request whose X-Amz-Date is more than 15 minutes from the service\'s clock is rejected (RequestExpired).',
    sources: [
      { tag: 'CE-web', quote: 'The request reached the service more than 15 minutes after the date stamp on the request', where: 'RequestExpired, classic Common Errors page' },
      { tag: 'SDK', quote: '400 RequestExpired with a skewed Date header → 3 (clock-skew correction)', where: 'contract notes §10.5' },
    ],
    outcomes: [frameworkError('RequestExpired', [400], 'CE-web 400; SDK probe'), frameworkError('InvalidSignatureException', [400], 'SDK clock-skew codes (§6)')],
    note: ONLY_OTHER + ' Judged only when the oracle is given the service clock (`now`).',
    decision: DECISION,
  }),
  rule({
    id: 'Auth.unrecognizedClient',
    operations: OPERATIONS,
    topic: 'wire',
    statement: 'A request signed with an access key the service does not know is rejected with UnrecognizedClientException.',
    sources: [{ tag: 'ISS', quote: 'UnrecognizedClientException "The security token included in the request is invalid."', where: 'contract notes §6' }],
    outcomes: [frameworkError('UnrecognizedClientException', [400, 401, 403], '400 in most captures; 401/403 in some other services (§6)')],
    note: ONLY_OTHER + ' Judged only when the caller reports the credential check (`signature: unknown-key`).',
    decision: DECISION,
  }),
  rule({
    id: 'Auth.signatureMismatch',
    operations: OPERATIONS,
    topic: 'wire',
    statement: 'A request whose signature does not verify is rejected with InvalidSignatureException.',
    sources: [{ tag: 'ISS', quote: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.', where: 'contract notes §6' }],
    outcomes: [frameworkError('InvalidSignatureException', [400], 'other Coral services (§6)')],
    note: ONLY_OTHER + ' Judged only when the caller reports the credential check (`signature: mismatch`).',
    decision: DECISION,
  }),
  rule({
    id: 'Auth.expiredToken',
    operations: OPERATIONS,
    topic: 'wire',
    statement: 'A request with an expired session token is rejected with ExpiredTokenException.',
    sources: [{ tag: 'CE-web', quote: '403 "The security token included in the request is expired."', where: 'ExpiredTokenException, newer Common Errors page' }],
    outcomes: [frameworkError('ExpiredTokenException', [403], 'CE-web (newer page)')],
    note: ONLY_OTHER + ' Judged only when the caller reports the credential check (`signature: expired-token`).',
    decision: DECISION,
  }),
];
