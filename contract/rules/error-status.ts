/**
 * HTTP statuses of errors: real KMS sends 400 for client errors whose model says 404 or 409
 * (contract notes §4).
 */
import { OPERATIONS } from '../types.ts';
import type { Rule } from '../types.ts';
import { INVALID_STATE, NOT_FOUND, frameworkError, modelError, rule } from './outcomes.ts';

/** The error-status rule. */
export const ERROR_STATUS_RULES: readonly Rule[] = [
  rule({
    id: 'ErrorStatus.observed400',
    operations: OPERATIONS,
    topic: 'error-status',
    statement: 'Client errors are sent with HTTP 400; the model\'s httpError (NotFoundException 404, KMSInvalidStateException 409) is accepted as the documented alternative.',
    sources: [
      { tag: 'LS', quote: 'HTTPStatusCode: 400', where: 'test_get_key_does_not_exist (NotFoundException, real AWS 2025-09-08); test_import_key_symmetric (KMSInvalidStateException, 2025-11-10)' },
      { tag: 'M1', quote: '"smithy.api#httpError": 404', where: 'NotFoundException' },
      { tag: 'M1', quote: '"smithy.api#httpError": 409', where: 'KMSInvalidStateException' },
    ],
    outcomes: [NOT_FOUND, INVALID_STATE],
    disagreement: 'The model gives 404/409; every recording of real KMS shows 400. Both are accepted; any other status breaks the rule.',
    decision: 'decisions/0200-error-statuses.md',
  }),
];

/**
 * HTTP statuses of the AWS JSON framework errors (contract notes §6): every status one of the two
 * "Common Errors" pages or a capture gives, keyed by the wire `__type` (and the page's short name).
 */
export const FRAMEWORK_ERROR_STATUSES: Readonly<Record<string, readonly number[]>> = {
  AccessDeniedException: [400, 403],
  IncompleteSignature: [400, 403],
  IncompleteSignatureException: [400, 403],
  InternalFailure: [500],
  InvalidAction: [400],
  InvalidClientTokenId: [403],
  MissingAuthenticationToken: [403],
  // 400 as well: the catalogue's Wire.target.missing accepts it (other Coral services).
  MissingAuthenticationTokenException: [400, 403],
  NotAuthorized: [400, 401],
  OptInRequired: [403],
  RequestExpired: [400],
  ServiceUnavailable: [503],
  ServiceUnavailableException: [503],
  ThrottlingException: [400],
  ValidationError: [400],
  ValidationException: [400],
  ExpiredTokenException: [403],
  MalformedHttpRequestException: [400],
  RequestEntityTooLargeException: [413],
  RequestAbortedException: [400],
  UnrecognizedClientException: [400, 401, 403],
  InvalidSignatureException: [400],
  SerializationException: [400],
  UnknownOperationException: [400],
};

/** Status rules for server faults and framework errors (decision 0502). */
export const FAULT_STATUS_RULES: readonly Rule[] = [
  rule({
    id: 'ErrorStatus.serverFault',
    operations: OPERATIONS,
    topic: 'error-status',
    statement: 'Modelled server faults are sent with a 5xx status: KMSInternalException 500 and DependencyTimeoutException 503 (the model\'s httpError).',
    sources: [
      { tag: 'M1', quote: '"smithy.api#httpError": 500', where: 'KMSInternalException (contract notes §4: never observed, the model is the only source)' },
      { tag: 'M1', quote: '"smithy.api#httpError": 503', where: 'DependencyTimeoutException' },
      { tag: 'B1', quote: 'The request was rejected because an internal exception occurred. The request can be retried.', where: 'KMSInternalException' },
      { tag: 'B1', quote: 'The system timed out while trying to fulfill the request. You can retry the request.', where: 'DependencyTimeoutException' },
    ],
    outcomes: [modelError('KMSInternalException'), modelError('DependencyTimeoutException')],
    note: 'Checked on responses: a server fault with a status below 500 breaks the rule; another 5xx than the model\'s is noted (the real statuses are an open question, §11.10). Never required: a server may fault at any time, and the SDK retries it (§10.5).',
    decision: 'decisions/0502-fault-and-framework-statuses.md',
  }),
  rule({
    id: 'ErrorStatus.framework',
    operations: OPERATIONS,
    topic: 'error-status',
    statement: 'AWS JSON framework errors (ValidationException, ThrottlingException, AccessDeniedException, …) are sent with a status the Common Errors pages give them.',
    sources: [
      { tag: 'CE-web', quote: 'Two generations of AWS "Common Errors" pages disagree on some statuses (CE-web):', where: 'contract notes §6' },
      { tag: 'CE-web', quote: '| ThrottlingException | 400 "The request was denied due to request throttling." | — |', where: 'contract notes §6' },
      { tag: 'LS', quote: "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1", where: 'HTTPStatusCode 400 (real AWS)' },
    ],
    outcomes: Object.entries(FRAMEWORK_ERROR_STATUSES).map(([code, statuses]) => frameworkError(code, statuses, 'contract notes §6')),
    disagreement: 'Where the two pages (or captures) disagree, every status they give is accepted (AccessDeniedException 400/403, IncompleteSignature 400/403, NotAuthorized 400/401, UnrecognizedClientException 400/401/403).',
    note: 'Checked on responses; an error code outside the model and this table is not judged here.',
    decision: 'decisions/0502-fault-and-framework-statuses.md',
  }),
];
