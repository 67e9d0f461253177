/**
 * Key policy documents: parser, checker, principal directory and lockout check.
 *
 * @packageDocumentation
 */

// Parsing and checking
export { parsePolicy, isConditionOperator, TOP_LEVEL_ELEMENTS, STATEMENT_ELEMENTS, POLICY_VERSIONS } from './parse.ts';
export type { ParseOptions } from './parse.ts';
export { checkPolicy, inspectPolicy } from './check.ts';
export type { PolicyInspection } from './check.ts';

// Findings → rules
export { findingRuleId, findingSeverity, FINDING_RULE_IDS, FINDING_CODES, LOCKOUT_RULE_ID } from './findings.ts';

// Principals
export { classifyPrincipal, PRINCIPAL_BLOCK_NAMES } from './principal.ts';
export type { PrincipalClass, PrincipalBlockName, MalformedReason } from './principal.ts';
export { createPrincipalDirectory, DEFAULT_SERVICE_PRINCIPALS, REGIONAL_SERVICE_PRINCIPAL } from './directory.ts';
export type { PrincipalDirectoryInit, MutablePrincipalDirectory } from './directory.ts';

// Lockout and actions
export { checkLockout, PUT_KEY_POLICY_ACTION } from './lockout.ts';
export { matchAction, matchWildcard } from './action.ts';

// The default policy
export { DEFAULT_KEY_POLICY } from './default-policy.ts';
export { SEED_POLICIES } from './seeds.ts';
export type { SeedPolicy } from './seeds.ts';

// Types
export type * from './types.ts';
