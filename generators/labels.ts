/**
 * Labels of generated cases and the contract rule ids they name. A label says what the contract
 * decides for a case: it is valid, it breaks exactly one named rule (through a named mutation), or
 * the contract cannot decide it.
 */

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

/** Rule ids of the policy document (fixed by the rule catalogue, `contract/rules/`). */
export const POLICY_RULE = {
  json: 'PutKeyPolicy.Policy.document.json',
  object: 'PutKeyPolicy.Policy.document.object',
  duplicateKey: 'PutKeyPolicy.Policy.document.duplicateKey',
  unknownElement: 'PutKeyPolicy.Policy.document.unknownElement',
  version: 'PutKeyPolicy.Policy.document.version',
  id: 'PutKeyPolicy.Policy.document.id',
  statement: 'PutKeyPolicy.Policy.document.statement',
  statementUnknownElement: 'PutKeyPolicy.Policy.statement.unknownElement',
  sid: 'PutKeyPolicy.Policy.statement.sid',
  effect: 'PutKeyPolicy.Policy.statement.effect',
  principalRequired: 'PutKeyPolicy.Policy.statement.principal.required',
  principalValid: 'PutKeyPolicy.Policy.statement.principal.valid',
  principalExists: 'PutKeyPolicy.Policy.statement.principal.exists',
  notPrincipal: 'PutKeyPolicy.Policy.statement.notPrincipal',
  actionMissing: 'PutKeyPolicy.Policy.statement.action.missing',
  actionValid: 'PutKeyPolicy.Policy.statement.action.valid',
  resourceMissing: 'PutKeyPolicy.Policy.statement.resource.missing',
  resourceValid: 'PutKeyPolicy.Policy.statement.resource.valid',
  condition: 'PutKeyPolicy.Policy.statement.condition',
  lockout: 'PutKeyPolicy.Policy.lockout',
  sizeQuota: 'PutKeyPolicy.Policy.size.quota',
  lengthMin: 'PutKeyPolicy.Policy.length.min',
  lengthMax: 'PutKeyPolicy.Policy.length.max',
  pattern: 'PutKeyPolicy.Policy.pattern',
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

/** Kinds of member constraint rules (`<Op>.<Member>.<kind>`). */
export type MemberRuleKind = 'required' | 'length.min' | 'length.max' | 'pattern' | 'range.min' | 'range.max' | 'enum' | 'type';

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
