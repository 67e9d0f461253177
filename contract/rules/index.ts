/**
 * The rule catalogue: every rule of the documented contract for PutKeyPolicy and the companion
 * operations, with lookups by id, contract version, topic and operation.
 */
import type { AcceptedOutcome, ContractVersionId, OperationName, Rule, RuleTopic } from '../types.ts';
import { ALIAS_RULES } from './aliases.ts';
import { AUTH_RULES } from './auth.ts';
import { AUTHORIZATION_RULES } from './authorization.ts';
import { CONSISTENCY_RULES } from './consistency.ts';
import { CREATE_KEY_RULES } from './create-key.ts';
import { ERROR_STATUS_RULES, FAULT_STATUS_RULES } from './error-status.ts';
import { KEY_ID_RULES } from './key-id.ts';
import { KEY_STATE_RULES } from './key-state.ts';
import { LOCKOUT_RULES } from './lockout.ts';
import { MEMBER_RULES } from './members.ts';
import { OPERATION_RULES } from './operation.ts';
import { OUTPUT_RULES } from './output.ts';
import { PAGINATION_RULES } from './pagination.ts';
import { POLICY_DOCUMENT_RULES } from './policy-document.ts';
import { POLICY_NAME_RULES } from './policy-name.ts';
import { POLICY_SIZE_RULES } from './policy-size.ts';
import { PRINCIPAL_RULES } from './principals.ts';
import { THROTTLING_RULES } from './throttling.ts';
import { TRANSITION_RULES } from './transitions.ts';
import { WIRE_CATALOGUE_RULES } from './wire.ts';

export { CONSISTENCY_WINDOW_MS } from './consistency.ts';
export { KEY_USAGES_BY_SPEC, MAX_CREATE_KEY_TAGS, RESERVED_TAG_PREFIX } from './create-key.ts';
export { FRAMEWORK_ERROR_STATUSES } from './error-status.ts';
export { KEY_ID_ONLY_OPERATIONS } from './key-id.ts';
export { KEY_STATE_OPERATIONS, KEY_STATE_TABLE, keyStateCell, keyStateRuleId } from './key-state.ts';
export type { AnyKeyStateCell, KeyStateCell, KeyStateTableOperation } from './key-state.ts';
export { ALIAS_PREFIX_MESSAGE } from './aliases.ts';
export { IAM_POLICY_OPERATIONS, KEY_POLICY_OPERATIONS } from './authorization.ts';
export { DEFAULT_PAGE_SIZE, LISTING_OPERATIONS, LIST_ALIASES_DOCUMENTED_LIMIT, listingOutputRuleId, markerRuleId } from './pagination.ts';
export type { ListingOperation } from './pagination.ts';
export { MEMBER_RULES, jsonTypeOf, memberRuleId, memberRulesOf } from './members.ts';
export type { MemberConstraint } from './members.ts';
export { KEY_NAMING_OPERATIONS, KEY_OPERATIONS, POLICY_OPERATIONS, SUCCESS, THROTTLING, modelError, frameworkError, anyError } from './outcomes.ts';
export { NON_PRINTABLE_ALLOWED_BY_PATTERN, POLICY_SIZE_QUOTA_BYTES } from './policy-size.ts';
export { REQUEST_QUOTAS, throttlingRuleId } from './throttling.ts';

/** Topics in the order the catalogue lists them. */
export const TOPIC_ORDER: readonly RuleTopic[] = [
  'wire',
  'member',
  'policy-name',
  'key-id',
  'key-state',
  'policy-size',
  'policy-charset',
  'policy-document',
  'principal',
  'lockout',
  'consistency',
  'throttling',
  'error-status',
  'operation',
  'alias',
  'pagination',
];

/** Every rule, grouped by topic in {@link TOPIC_ORDER}. */
export const RULES: readonly Rule[] = (() => {
  const all = [
    ...WIRE_CATALOGUE_RULES,
    ...AUTH_RULES,
    ...MEMBER_RULES,
    ...POLICY_NAME_RULES,
    ...KEY_ID_RULES,
    ...KEY_STATE_RULES,
    ...POLICY_SIZE_RULES,
    ...POLICY_DOCUMENT_RULES,
    ...PRINCIPAL_RULES,
    ...LOCKOUT_RULES,
    ...CONSISTENCY_RULES,
    ...THROTTLING_RULES,
    ...ERROR_STATUS_RULES,
    ...FAULT_STATUS_RULES,
    ...OPERATION_RULES,
    ...CREATE_KEY_RULES,
    ...AUTHORIZATION_RULES,
    ...OUTPUT_RULES,
    ...TRANSITION_RULES,
    ...ALIAS_RULES,
    ...PAGINATION_RULES,
  ];
  const seen = new Set<string>();
  for (const r of all) {
    if (seen.has(r.id)) throw new Error(`[kms-conformance] internal: rule id ${r.id} is defined twice`);
    seen.add(r.id);
  }
  return [...all].sort((a, b) => TOPIC_ORDER.indexOf(a.topic) - TOPIC_ORDER.indexOf(b.topic));
})();

const BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));

/** The rule with this id, or `undefined`. */
export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}

/**
 * The rule with this id; throws for an unknown id (a bug in the caller: every id used in code
 * must exist in the catalogue).
 */
export function requireRule(id: string): Rule {
  const r = BY_ID.get(id);
  if (!r) throw new Error(`[kms-conformance] internal: no rule with id '${id}' in the catalogue`);
  return r;
}

/** The rules that hold under a contract version. */
export function rulesFor(version: ContractVersionId): readonly Rule[] {
  return RULES.filter((r) => r.versions.includes(version));
}

/** The rules of a topic and/or operation (both optional), in catalogue order. */
export function selectRules(filter: { readonly version?: ContractVersionId; readonly topic?: RuleTopic; readonly operation?: OperationName }): readonly Rule[] {
  return RULES.filter(
    (r) =>
      (filter.version === undefined || r.versions.includes(filter.version)) &&
      (filter.topic === undefined || r.topic === filter.topic) &&
      (filter.operation === undefined || r.operations.includes(filter.operation)),
  );
}

/**
 * The outcomes a rule accepts under a contract version (the version override when the rule has
 * one). Throws for an unknown id.
 */
export function outcomesFor(ruleId: string, version: ContractVersionId): readonly AcceptedOutcome[] {
  const r = requireRule(ruleId);
  return r.outcomesByVersion?.[version] ?? r.outcomes;
}
