/**
 * The contract barrel: types, contract versions, default identities, the Smithy model subset,
 * the rule catalogue, key identifiers, messages, the oracle, the wire layer and the key policy
 * checker.
 */

// Types
export * from './types.ts';

// User errors, contract versions and identities
export { KmsConformanceUserError } from './errors.ts';
export { ALL_VERSIONS, ContractVersionError, LATEST_VERSION, VERSION_DESCRIPTIONS, resolveContractVersion, versionsBefore, versionsFrom } from './versions.ts';
export { DEFAULT_ACCOUNT, DEFAULT_CALLER, DEFAULT_PARTITION, DEFAULT_REGION, accountPrincipalArn, aliasArn, keyArn } from './identities.ts';

// Model
export { MODEL, inputMembers, isRequired, modelFilePath, patternOf, targetOf } from './model.ts';
export type { ModelError, ModelFile, ModelMember, ModelOperation } from './model.ts';

// Rules
export * from './rules/index.ts';

// Key identifiers and messages
export { parseKeyIdentifier, resolveKey } from './keyid.ts';
export type { KeyResolution, MalformedKeyIdReason, ParsedKeyIdentifier } from './keyid.ts';
export * from './messages.ts';

// Oracle
export { accepts, assemble, checkResponse, expected, expectedWire, mergeOutcomes, oracleItems, outcomeMatches, readErrorResponse } from './oracle.ts';
export type { ErrorRead, ObservedOutcome, OracleItem, ResponseFinding } from './oracle.ts';
export { checkOutput, jsonEqual } from './output.ts';
export { checkAuthentication, parseAuthorization } from './auth.ts';
export type { AuthFinding, AuthenticationOptions, SigV4Authorization, SignatureFacts } from './auth.ts';
export type { OutputContext, OutputFinding } from './output.ts';
export { checkTransition, statesAfter, transitionRuleId } from './transitions.ts';
export type { TransitionFinding } from './transitions.ts';

// Wire layer
export * from './wire.ts';

// Key policy checker
export * from './policy/index.ts';
