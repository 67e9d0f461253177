/**
 * Wire-protocol rules (awsJson1_1): method, path, target, content type, body, member JSON, the
 * error shape and its `__type` normalisation, the request id and PutKeyPolicy's empty output
 * (contract notes §1, §6, §10, §11.11). KMS's own answers to wire faults are not documented;
 * where only other awsJson services are known, the note says so and plausible alternatives are
 * accepted.
 */
import { OPERATIONS } from '../types.ts';
import type { Rule } from '../types.ts';
import { SERIALIZATION, SUCCESS, VALIDATION, anyError, frameworkError, rule } from './outcomes.ts';

const UNKNOWN_OPERATION = frameworkError('UnknownOperationException', [400], 'other awsJson services (§6), not verified for KMS');
const ONLY_OTHER_SERVICES = 'KMS behaviour for this fault is not documented (contract notes §11.11); the accepted codes are what other AWS JSON (Coral) services send.';

/** Rules about the HTTP request and response framing. */
export const WIRE_RULES: readonly Rule[] = [
  rule({
    id: 'Wire.method',
    operations: OPERATIONS,
    topic: 'wire',
    statement: 'Requests use HTTP POST; any other method is rejected with an error.',
    sources: [{ tag: 'SPT', quote: 'sends_requests_to_slash', where: 'awsJson1_1 protocol tests: POST /' }, { tag: 'SP', quote: 'HTTP binding traits are ignored by this protocol' }],
    outcomes: [anyError([400, 403, 404, 405], 'not documented for KMS (§11.11)')],
    note: ONLY_OTHER_SERVICES,
  }),
  rule({
    id: 'Wire.path',
    operations: OPERATIONS,
    topic: 'wire',
    statement: 'Requests are sent to the path /; any other path is rejected with an error.',
    sources: [{ tag: 'SPT', quote: 'sends_requests_to_slash', where: 'awsJson1_1 protocol tests' }],
    outcomes: [anyError([400, 403, 404], 'not documented for KMS (§11.11)')],
    note: ONLY_OTHER_SERVICES,
  }),
  rule({
    id: 'Wire.target.missing',
    operations: OPERATIONS,
    topic: 'wire',
    statement: 'A request without an X-Amz-Target header is rejected (UnknownOperationException).',
    sources: [{ tag: 'SP', quote: 'X-Amz-Target: TrentService.PutKeyPolicy', where: 'contract notes §1, request headers' }, { tag: 'ISS', quote: 'UnknownOperationException for an unknown X-Amz-Target (400, often com.amazon.coral.service#UnknownOperationException, sometimes without a message)', where: 'contract notes §6' }],
    outcomes: [UNKNOWN_OPERATION, frameworkError('MissingAuthenticationTokenException', [400, 403], 'some Coral services when the target cannot be routed')],
    note: ONLY_OTHER_SERVICES,
  }),
  rule({
    id: 'Wire.target.unknown',
    operations: OPERATIONS,
    topic: 'wire',
    statement: 'An X-Amz-Target naming no KMS operation (TrentService.Nope) is rejected with UnknownOperationException.',
    sources: [{ tag: 'ISS', quote: 'UnknownOperationException for an unknown X-Amz-Target (400, often com.amazon.coral.service#UnknownOperationException, sometimes without a message)', where: 'contract notes §6' }],
    outcomes: [UNKNOWN_OPERATION],
    note: ONLY_OTHER_SERVICES,
  }),
  rule({
    id: 'Wire.target.prefix',
    operations: OPERATIONS,
    topic: 'wire',
    statement: 'The X-Amz-Target prefix is TrentService; another prefix (KMS.PutKeyPolicy) is rejected with UnknownOperationException.',
    sources: [{ tag: 'B1', quote: '"targetPrefix":"TrentService"' }, { tag: 'SP', quote: '{serviceName}.{operationName}', where: 'contract notes §1, target values of companions' }],
    outcomes: [UNKNOWN_OPERATION],
    note: ONLY_OTHER_SERVICES,
  }),
  rule({
    id: 'Wire.contentType',
    operations: OPERATIONS,
    topic: 'wire',
    statement: 'Requests carry Content-Type application/x-amz-json-1.1; a missing or unrelated content type is rejected with an error.',
    sources: [
      { tag: 'SP', quote: 'Content-Type: application/x-amz-json-1.1' },
      { tag: 'S-APIREF', quote: 'Default value: "application/json"', where: 'contradicts SP; a third-party page' },
    ],
    outcomes: [anyError([400, 404, 415], 'not documented for KMS (§11.11)')],
    disagreement: 'S-APIREF gives application/json as the default content type; SP and the SDK send application/x-amz-json-1.1. The status and code KMS sends for another content type are not documented.',
    note: ONLY_OTHER_SERVICES,
  }),
  rule({
    id: 'Wire.contentType.parameters',
    operations: OPERATIONS,
    topic: 'wire',
    statement: 'Parameters after the media type (application/x-amz-json-1.1; charset=utf-8) are ignored: the request is processed normally.',
    sources: [{ tag: 'SPT', quote: 'AwsJson11MustSupportParametersInContentType' }],
    outcomes: [SUCCESS],
  }),
  rule({
    id: 'Wire.body.empty',
    operations: OPERATIONS,
    topic: 'wire',
    statement: 'An empty request body is read as {} (the answer is the one {} gets: success for CreateKey, a missing-member ValidationException elsewhere).',
    sources: [{ tag: 'SPT', quote: 'json_1_1_service_supports_empty_payload_for_no_input_shape' }, { tag: 'SP', quote: 'servers MUST accept an empty body', where: 'Empty body serialization' }],
    outcomes: [SUCCESS],
    note: 'Never SerializationException: the protocol requires servers to accept an empty body. The rule itself accepts the request; member rules then judge {} (e.g. a missing KeyId).',
  }),
  rule({
    id: 'Wire.body.json',
    operations: OPERATIONS,
    topic: 'wire',
    statement: 'A body that is not valid JSON is rejected with SerializationException.',
    sources: [{ tag: 'ISS', quote: 'SerializationException for bad JSON / wrong types', where: 'contract notes §6 (other Coral/awsJson services)' }],
    outcomes: [SERIALIZATION],
    note: ONLY_OTHER_SERVICES,
  }),
  rule({
    id: 'Wire.body.notObject',
    operations: OPERATIONS,
    topic: 'wire',
    statement: 'A JSON body that is not an object ([], "x", 1, null) is rejected with SerializationException.',
    sources: [{ tag: 'ISS', quote: 'Start of list found where not expected', where: 'contract notes §1 (a DynamoDB capture)' }],
    outcomes: [SERIALIZATION],
    note: ONLY_OTHER_SERVICES,
  }),
  rule({
    id: 'Wire.body.utf8',
    operations: OPERATIONS,
    topic: 'wire',
    statement: 'A body that is not valid UTF-8 is rejected with SerializationException.',
    sources: [{ tag: 'SDK', quote: 'non-ASCII sent as raw UTF-8', where: 'contract notes §10.2; JSON text is UTF-8 (RFC 8259)' }],
    outcomes: [SERIALIZATION],
    note: ONLY_OTHER_SERVICES,
  }),
  rule({
    id: 'Wire.body.duplicateKey',
    operations: OPERATIONS,
    topic: 'wire',
    statement: 'A body with a duplicated member name is rejected with SerializationException, or read with one of the values.',
    sources: [{ tag: 'SP', quote: 'member names exactly as modelled', where: 'contract notes §1' }],
    outcomes: [SERIALIZATION, SUCCESS, VALIDATION],
    note: 'No source covers duplicate member names; JSON parsers differ (first wins, last wins, reject).',
  }),
  rule({
    id: 'Wire.body.tooLarge',
    operations: OPERATIONS,
    topic: 'wire',
    statement: 'A request body larger than the service accepts is rejected with HTTP 413 RequestEntityTooLargeException.',
    sources: [{ tag: 'CE-web', quote: '| RequestEntityTooLargeException | — | 413 |', where: 'newer Common Errors page (contract notes §6)' }],
    outcomes: [frameworkError('RequestEntityTooLargeException', [413], 'CE-web (newer page)')],
    note: 'The size limit of a KMS request body is not documented; a body far beyond the largest valid request (Policy of 131,072 characters) is meant.',
  }),
  rule({
    id: 'Wire.member.type',
    operations: OPERATIONS,
    topic: 'wire',
    statement: 'A member with the wrong JSON type (a number for a string, a string for a boolean) is rejected with SerializationException.',
    sources: [{ tag: 'ISS', quote: 'NUMBER_VALUE can not be converted to a String', where: 'contract notes §6' }],
    outcomes: [SERIALIZATION, VALIDATION],
    note: ONLY_OTHER_SERVICES,
  }),
  rule({
    id: 'Wire.member.null',
    operations: OPERATIONS,
    topic: 'wire',
    statement: 'A member whose value is JSON null is read as absent (or rejected with SerializationException).',
    sources: [{ tag: 'SDK', quote: 'unset members are omitted', where: 'contract notes §10.2 (what the SDK sends; null is never sent)' }],
    outcomes: [SUCCESS, VALIDATION, SERIALIZATION],
    note: 'Not documented for KMS; Coral services treat null as absent.',
  }),
  rule({
    id: 'Wire.member.unknown',
    operations: OPERATIONS,
    topic: 'wire',
    statement: 'A member the operation does not model is ignored (or rejected with SerializationException).',
    sources: [{ tag: 'SP', quote: 'member names exactly as modelled (PascalCase)', where: 'contract notes §1' }],
    outcomes: [SUCCESS, SERIALIZATION],
    note: 'Not documented for KMS; Smithy servers commonly ignore unknown members for forward compatibility.',
  }),
  rule({
    id: 'Wire.error.shape',
    operations: OPERATIONS,
    topic: 'wire',
    statement: 'An error response has a JSON body with the error type in __type (or X-Amzn-Errortype / code) and the text in message.',
    sources: [
      { tag: 'SP', quote: 'the error type in __type (preferred), or header X-Amzn-Errortype, or body field code', where: 'contract notes §1' },
      { tag: 'LS', quote: '{"__type":"NotFoundException","message":"Key \'arn:…\' does not exist"}' },
    ],
    outcomes: [anyError([400, 403, 404, 409, 413, 500, 503], 'any error, provided the body has the awsJson error shape')],
    note: 'Checked on the response (oracle checkResponse): a body that is not JSON, or has no error type, breaks the rule.',
  }),
  rule({
    id: 'Wire.error.typeNormalisation',
    operations: OPERATIONS,
    topic: 'wire',
    statement: 'The error type is the shape name after removing any namespace (before #) and any URI (after :); awsJson1_1 servers should send the bare shape name.',
    sources: [
      { tag: 'SP', quote: 'in 1.1 servers SHOULD put only the shape name in __type', where: 'Differences between awsJson1_0 and awsJson1_1' },
      { tag: 'SPT', quote: 'headers: { "X-Amzn-Errortype": "aws.protocoltests.json#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/" }', where: 'AwsJson11FooErrorUsingXAmznErrorTypeWithUriAndNamespace' },
    ],
    outcomes: [anyError([400, 403, 404, 409, 413, 500, 503], 'any error; the code is compared after normalisation')],
    note: 'Checked on the response: a namespaced or URI-suffixed __type is accepted after normalisation (noted), a header that disagrees with the body breaks the rule.',
  }),
  rule({
    id: 'Wire.success.requestId',
    operations: OPERATIONS,
    topic: 'wire',
    statement: 'Every response carries an x-amzn-RequestId header.',
    sources: [{ tag: 'SDK', quote: 'response header x-amzn-RequestId → JS SDK $metadata.requestId' }],
    outcomes: [SUCCESS],
  }),
  rule({
    id: 'Wire.success.emptyOutput',
    operations: ['PutKeyPolicy', 'EnableKey', 'DisableKey'],
    topic: 'wire',
    statement: 'A successful PutKeyPolicy (EnableKey, DisableKey) answers 200 with an empty body or {} (output smithy.api#Unit).',
    sources: [
      { tag: 'M1', quote: '"output": { "target": "smithy.api#Unit" }' },
      { tag: 'SPT', quote: 'handles_empty_output_shape' },
      { tag: 'S-QKMS', quote: 'response={{ status: 200, headers: { "Content-Type": "application/x-amz-json-1.1" }, body: {} }}', where: 'Example 1' },
    ],
    outcomes: [SUCCESS],
  }),
];
