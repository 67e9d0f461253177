/**
 * Building blocks for the catalogue: accepted outcomes with the HTTP statuses of contract notes
 * §4 and §6, and a small constructor that fills in defaults for a hand-written rule.
 */
import { MODEL } from '../model.ts';
import { ALL_VERSIONS } from '../versions.ts';
import type { AcceptedOutcome, ContractVersionId, OperationName, Rule, RuleTopic, SourceRef } from '../types.ts';

/** The request succeeds. */
export const SUCCESS: AcceptedOutcome = { kind: 'success' };

/**
 * Where real KMS was seen answering each modelled client error with HTTP 400 (contract notes §4,
 * §5; decision 0604). An error without an entry was never observed from KMS.
 */
export const OBSERVED_CLIENT_ERRORS: Readonly<Record<string, string>> = {
  NotFoundException: 'observed 400 (LS: DescribeKey on an absent key, 2025-09-08 and 2025-11-10, §4)',
  KMSInvalidStateException: 'observed 400 (LS: Encrypt on a PendingImport key, 2025-11-10, §4)',
  LimitExceededException: 'observed 400 (LS: RotateKeyOnDemand over its limit, §4)',
  UnsupportedOperationException: 'observed 400 (LS: GetParametersForImport on an AWS_KMS key, §4)',
  TagException: 'observed 400 (LS: CreateKey with more than 50 tags or an aws: tag key, 2025-01-21/22)',
  MalformedPolicyDocumentException:
    'observed 400 in issue logs (ISS: aws-sdk-go-v2 / Terraform "StatusCode: 400 … MalformedPolicyDocumentException", §4); LocalStack recorded no key-policy error (§5)',
};

/**
 * A modelled KMS error. Client errors accept HTTP 400 (every client error recorded from real KMS
 * was 400, §4) and the model's `httpError` when it differs (NotFound 404, KMSInvalidState 409);
 * server errors accept the model's status. The basis says what was observed where
 * ({@link OBSERVED_CLIENT_ERRORS}), or that nothing was.
 */
export function modelError(code: string): AcceptedOutcome {
  const e = MODEL.errors[code];
  if (!e) throw new Error(`[kms-conformance] internal: error ${code} is not in the model`);
  if (e.fault === 'server') return { kind: 'error', code, statuses: [e.httpError], basis: `model httpError ${e.httpError} (M1); never observed` };
  const observed = OBSERVED_CLIENT_ERRORS[code];
  if (e.httpError === 400) {
    return { kind: 'error', code, statuses: [400], basis: observed === undefined ? 'not observed for KMS (§4); model httpError 400 (M1)' : `${observed} = model httpError 400 (M1)` };
  }
  const seen = observed ?? 'not observed for KMS; 400 as every client error KMS was seen to send (§4)';
  return { kind: 'error', code, statuses: [400, e.httpError], basis: `${seen}; model httpError ${e.httpError} (M1)` };
}

/** A framework (Coral) error that is not in the KMS model (§6). */
export function frameworkError(code: string, statuses: readonly number[] = [400], basis = 'AWS JSON framework error (§6)'): AcceptedOutcome {
  return { kind: 'error', code, statuses, basis };
}

/** The source says the request fails but names no error. */
export function anyError(statuses: readonly number[], basis: string): AcceptedOutcome {
  return { kind: 'error', code: '*', statuses, basis };
}

/** `ValidationException` 400, as LS recorded it from real KMS (§5.1). */
export const VALIDATION: AcceptedOutcome = frameworkError('ValidationException', [400], 'observed 400 (LS §5.1)');
/** `SerializationException` 400 (§6: seen from other awsJson services, not verified for KMS). */
export const SERIALIZATION: AcceptedOutcome = frameworkError('SerializationException', [400], 'other awsJson services (§6), not verified for KMS');
/** `MalformedPolicyDocumentException` with its statuses. */
export const MALFORMED: AcceptedOutcome = modelError('MalformedPolicyDocumentException');
/** `NotFoundException` with its statuses. */
export const NOT_FOUND: AcceptedOutcome = modelError('NotFoundException');
/** `KMSInvalidStateException` with its statuses. */
export const INVALID_STATE: AcceptedOutcome = modelError('KMSInvalidStateException');
/** `InvalidArnException` with its statuses. */
export const INVALID_ARN: AcceptedOutcome = modelError('InvalidArnException');
/** `LimitExceededException` with its statuses. */
export const LIMIT_EXCEEDED: AcceptedOutcome = modelError('LimitExceededException');
/** `AlreadyExistsException` with its statuses. */
export const ALREADY_EXISTS: AcceptedOutcome = modelError('AlreadyExistsException');
/** `InvalidMarkerException` with its statuses. */
export const INVALID_MARKER: AcceptedOutcome = modelError('InvalidMarkerException');
/** `ThrottlingException` 400 (§5.2 message; DG throttling.md): accepted for every request at any rate (decision 0603). */
export const THROTTLING: AcceptedOutcome = frameworkError('ThrottlingException', [400], 'DG throttling.md; CE-web 400');

/** The operations that take a `KeyId` (all but CreateKey). */
export const KEY_OPERATIONS: readonly OperationName[] = [
  'PutKeyPolicy',
  'GetKeyPolicy',
  'ListKeyPolicies',
  'DescribeKey',
  'EnableKey',
  'DisableKey',
  'ScheduleKeyDeletion',
  'CancelKeyDeletion',
];

/**
 * The operations that name a key: the {@link KEY_OPERATIONS} by `KeyId`, CreateAlias by
 * `TargetKeyId`, ListAliases by its optional `KeyId` (the key identifier rules apply to all).
 */
export const KEY_NAMING_OPERATIONS: readonly OperationName[] = [...KEY_OPERATIONS, 'CreateAlias', 'ListAliases'];

/** The operations that take a key `Policy` (PutKeyPolicy and CreateKey). */
export const POLICY_OPERATIONS: readonly OperationName[] = ['PutKeyPolicy', 'CreateKey'];

/** What a hand-written rule must say; the rest has defaults. */
export interface RuleSpec {
  readonly id: string;
  readonly operations: readonly OperationName[];
  readonly topic: RuleTopic;
  readonly statement: string;
  readonly sources: readonly SourceRef[];
  readonly outcomes: readonly AcceptedOutcome[];
  readonly versions?: readonly ContractVersionId[];
  readonly outcomesByVersion?: Rule['outcomesByVersion'];
  readonly disagreement?: string;
  readonly note?: string;
  readonly decision?: string;
}

/** Builds a hand-written rule (origin `notes`), holding in every version unless told otherwise. */
export function rule(spec: RuleSpec): Rule {
  const { versions, outcomesByVersion, disagreement, note, decision, ...rest } = spec;
  return {
    ...rest,
    versions: versions ?? ALL_VERSIONS,
    ...(outcomesByVersion ? { outcomesByVersion } : {}),
    ...(disagreement ? { disagreement } : {}),
    ...(note ? { note } : {}),
    ...(decision ? { decision } : {}),
    origin: 'notes',
  };
}
