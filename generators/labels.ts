/**
 * Labels of generated cases and the contract rule ids they name. A label says what the contract
 * decides for a case: it is valid, it breaks exactly one named rule (through a named mutation), or
 * the contract cannot decide it.
 */

import { FINDING_RULE_IDS, LOCKOUT_RULE_ID } from '../contract/policy/index.ts';
import { memberRuleId, type MemberConstraint } from '../contract/rules/index.ts';
import { WIRE_RULES } from '../contract/wire.ts';

/**
 * What the contract says about a generated case.
 * - `valid`: a conforming service accepts it.
 * - `invalid`: it breaks (triggers) `ruleId`, produced by `mutation`; the rule's accepted outcomes
 *   are what a conforming service answers (for rules whose sources disagree, such as
 *   `PutKeyPolicy.Policy.charset.printable`, they include success). `also` lists rules the same
 *   change cannot help triggering too (e.g. a 131,073-character policy is also over the 32 KB
 *   quota); no other rule is triggered.
 * - `unspecified`: the contract does not decide (`reason` says why); `ruleId` names the rule the
 *   case probes, when there is one.
 */
export type CaseLabel =
  | { readonly kind: 'valid' }
  | { readonly kind: 'invalid'; readonly ruleId: string; readonly mutation: string; readonly also?: readonly string[] }
  | { readonly kind: 'unspecified'; readonly mutation: string; readonly reason: string; readonly ruleId?: string };

/** The `valid` label. */
export const VALID: CaseLabel = { kind: 'valid' };

/** Builds an `invalid` label. */
export function invalid(ruleId: string, mutation: string, also: readonly string[] = []): CaseLabel {
  return also.length > 0 ? { kind: 'invalid', ruleId, mutation, also } : { kind: 'invalid', ruleId, mutation };
}

/** Builds an `unspecified` label. */
export function unspecified(mutation: string, reason: string, ruleId?: string): CaseLabel {
  return ruleId === undefined ? { kind: 'unspecified', mutation, reason } : { kind: 'unspecified', mutation, reason, ruleId };
}

const FINDING = FINDING_RULE_IDS;
const POLICY_MEMBER = (constraint: 'length.min' | 'length.max' | 'pattern'): string => memberRuleId('PutKeyPolicy', 'Policy', constraint);

/**
 * Rule ids of the policy document, taken from the contract's own tables (the checker's finding
 * codes, the lockout rule, the Policy member's constraints) so a renamed rule cannot drift apart.
 */
export const POLICY_RULE = {
  json: FINDING.invalid_json,
  object: FINDING.not_an_object,
  duplicateKey: FINDING.duplicate_key,
  unknownElement: FINDING.unknown_top_level_element,
  version: FINDING.invalid_version,
  id: FINDING.invalid_id,
  statement: FINDING.invalid_statement,
  statementUnknownElement: FINDING.unknown_statement_element,
  sid: FINDING.invalid_sid,
  effect: FINDING.invalid_effect,
  principalRequired: FINDING.missing_principal,
  principalValid: FINDING.invalid_principal,
  principalArn: FINDING.invalid_principal_arn,
  principalExists: FINDING.nonexistent_principal,
  notPrincipal: FINDING.not_principal_with_allow,
  notPrincipalDeny: FINDING.not_principal,
  actionMissing: FINDING.missing_action,
  actionValid: FINDING.invalid_action,
  resourceMissing: FINDING.missing_resource,
  resourceValid: FINDING.invalid_resource,
  condition: FINDING.invalid_condition,
  lockout: LOCKOUT_RULE_ID,
  sizeQuota: 'PutKeyPolicy.Policy.size.quota',
  lengthMin: POLICY_MEMBER('length.min'),
  lengthMax: POLICY_MEMBER('length.max'),
  pattern: POLICY_MEMBER('pattern'),
  printable: 'PutKeyPolicy.Policy.charset.printable',
} as const;

/** Rule id of the PolicyName rule "the only valid value is default". */
export const POLICY_NAME_ONLY_DEFAULT = 'PutKeyPolicy.PolicyName.onlyDefault';

/** Rule ids of key identifier resolution (`KeyId.<form>`). */
export const KEY_ID_RULE = {
  notFound: 'KeyId.notFound',
  malformed: 'KeyId.malformed',
  malformedArn: 'KeyId.malformedArn',
  aliasNotFound: 'KeyId.aliasNotFound',
  alias: 'KeyId.alias',
  aliasArn: 'KeyId.aliasArn',
  otherRegionArn: 'KeyId.otherRegionArn',
  otherRegionKeyId: 'KeyId.otherRegionKeyId',
  otherAccount: 'KeyId.otherAccount',
  otherPartition: 'KeyId.otherPartition',
} as const;

/** Rule ids of the wire layer (`Wire.*`): the contract's own table, re-exported under the generators' name. */
export const WIRE_RULE = WIRE_RULES;

/** Kinds of member constraint rules (`<Op>.<Member>.<kind>`): the catalogue's member constraints. */
export type MemberRuleKind = MemberConstraint;

/** The id of a member constraint rule, e.g. `PutKeyPolicy.KeyId.length.max`. */
export function memberRule(operation: string, member: string, kind: MemberRuleKind): string {
  return `${operation}.${member}.${kind}`;
}

/** The id of a key-state rule, e.g. `KeyState.DisableKey.PendingDeletion`. */
export function keyStateRule(operation: string, state: string): string {
  return `KeyState.${operation}.${state}`;
}

/** Every rule id a label names (the main one, the `also` ones). */
export function labelRules(label: CaseLabel): string[] {
  if (label.kind === 'valid') return [];
  if (label.kind === 'invalid') return [label.ruleId, ...(label.also ?? [])];
  return label.ruleId === undefined ? [] : [label.ruleId];
}
