/**
 * fast-check arbitraries for AWS KMS PutKeyPolicy conformance: valid and invalid key policies,
 * requests at and past every model boundary, and raw wire mutations. Every case carries a label
 * (`valid`, the one rule it breaks, or `unspecified`) that the contract's checker and oracle agree
 * with, and can be replayed from `{seed, path}`.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { invalidPolicyArb, DEFAULT_GENERATOR_CONTEXT } from 'kms-conformance';
 * fc.assert(fc.asyncProperty(invalidPolicyArb(), async (c) => {
 *   const res = await putKeyPolicy(c.policy, c.bypassPolicyLockoutSafetyCheck);
 *   // c.label.kind === 'invalid' → res is one of the outcomes of c.label.ruleId
 * }), { seed: 42, numRuns: 200 });
 * ```
 *
 * @packageDocumentation
 */

// Context and labels
export { DEFAULT_GENERATOR_CONTEXT, GENERATOR_ACCOUNT, createGeneratorContext, accountPrincipal, iamPrincipals, servicePrincipals } from './context.ts';
export type { GeneratorContext } from './context.ts';
export { VALID, invalid, unspecified, labelRules, memberRule, keyStateRule, POLICY_RULE, KEY_ID_RULE, WIRE_RULE, POLICY_NAME_ONLY_DEFAULT } from './labels.ts';
export type { CaseLabel, MemberRuleKind } from './labels.ts';

// Key policies
export { validPolicyArb, validModelArb, guardStatementArb, grantStatementArb, denyStatementArb, sizeModeArb, textFeatures } from './valid-policy.ts';
export type { PolicyArbOptions, SizeMode, ValidPolicyParts } from './valid-policy.ts';
export { invalidPolicyArb } from './invalid-policy.ts';
export type { InvalidPolicyOptions } from './invalid-policy.ts';
export { POLICY_MUTATIONS, POLICY_MUTATION_NAMES, mutationsFor } from './mutations.ts';
export type { PolicyMutation, MutationInput, MutationOutput } from './mutations.ts';
export { lockoutArb, applyLockout } from './lockout.ts';
export type { Lockout, LockoutStrategy } from './lockout.ts';
export type { PolicyCase, PadTarget, PadMeasure } from './policy-case.ts';
export { padTo } from './policy-case.ts';
export { policyToJson, statementToJson, policyFeatures, STATEMENT_KEYS, TOP_KEYS } from './policy-model.ts';
export type { PolicyModel, StatementModel, PrincipalModel, ActionModel, ConditionClause } from './policy-model.ts';
export { renderJson, JsonObject, COMPACT_STYLE, utf8Length, scalarLength } from './json-text.ts';
export type { TextStyle, JsonValue } from './json-text.ts';
export { textStyleArb } from './text-style.ts';
export { judgePolicy, judgementMatches, policyCaseHolds, directoryFor, GENERATOR_KEY_ID } from './verify.ts';
export type { PolicyJudgement } from './verify.ts';
export { POLICY_QUOTA_BYTES, POLICY_MAX_CHARS, POLICY_MIN_CHARS, POLICY_PATTERN } from './sizes.ts';

// Requests and wire
export { requestArb, keyIdCaseArb, keyStateCaseArb, memberCaseArb, memberVariants, allMemberVariants, baseInput, KEY_ID_FORMS, OTHER_REGION, OTHER_ACCOUNT } from './request.ts';
export type { RequestArbOptions, KeyIdForm, MemberVariant } from './request.ts';
export { worldFromSetup } from './request-case.ts';
export type { RequestCase, RequestSetup, KeySetup, AliasSetup } from './request-case.ts';
export { wireArb, WIRE_MUTATIONS, WIRE_MUTATION_NAMES, WIRE_OPERATIONS } from './wire.ts';
export type { WireCase, WireMutation, WireArbOptions } from './wire.ts';

// Kinds, replay and statistics
export { GENERATE_KINDS, caseArb, caseToJson, isGenerateKind, labelOf, featuresOf } from './kinds.ts';
export type { GenerateKind, GeneratedCase, CaseArbOptions } from './kinds.ts';
export { replayCase, generateCases, ReplayError } from './replay.ts';
export type { CaseOrigin } from './replay.ts';
export { collectStats, formatStats, declaredFeatures, DEFAULT_STATS_RUNS, VALID_POLICY_FEATURES } from './stats.ts';
export type { StatsReport, StatsOptions, FeatureCount } from './stats.ts';
