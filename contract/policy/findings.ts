/**
 * What each policy finding code means for the contract: the rule it belongs to and how severe it
 * is under each contract version. The judgment calls are written down in decisions 0100–0105.
 */
import type { ContractVersionId } from '../types.ts';
import type { FindingSeverity, FindingVariant, PolicyFindingCode } from './types.ts';

/** Rule id of the lockout safety check (contract notes §8.3). */
export const LOCKOUT_RULE_ID = 'PutKeyPolicy.Policy.lockout';

/** Finding code → contract rule id. Fixed: the rule catalogue defines exactly these ids. */
export const FINDING_RULE_IDS: Readonly<Record<PolicyFindingCode, string>> = {
  invalid_json: 'PutKeyPolicy.Policy.document.json',
  not_an_object: 'PutKeyPolicy.Policy.document.object',
  duplicate_key: 'PutKeyPolicy.Policy.document.duplicateKey',
  unknown_top_level_element: 'PutKeyPolicy.Policy.document.unknownElement',
  missing_version: 'PutKeyPolicy.Policy.document.version',
  invalid_version: 'PutKeyPolicy.Policy.document.version',
  invalid_id: 'PutKeyPolicy.Policy.document.id',
  missing_statement: 'PutKeyPolicy.Policy.document.statement',
  empty_statement: 'PutKeyPolicy.Policy.document.statement',
  invalid_statement: 'PutKeyPolicy.Policy.document.statement',
  unknown_statement_element: 'PutKeyPolicy.Policy.statement.unknownElement',
  invalid_sid: 'PutKeyPolicy.Policy.statement.sid',
  missing_effect: 'PutKeyPolicy.Policy.statement.effect',
  invalid_effect: 'PutKeyPolicy.Policy.statement.effect',
  missing_principal: 'PutKeyPolicy.Policy.statement.principal.required',
  principal_and_not_principal: 'PutKeyPolicy.Policy.statement.principal.required',
  invalid_principal: 'PutKeyPolicy.Policy.statement.principal.valid',
  invalid_principal_arn: 'PutKeyPolicy.Policy.statement.principal.arn',
  nonexistent_principal: 'PutKeyPolicy.Policy.statement.principal.exists',
  unverifiable_principal: 'PutKeyPolicy.Policy.statement.principal.exists',
  not_principal_with_allow: 'PutKeyPolicy.Policy.statement.notPrincipal',
  not_principal: 'PutKeyPolicy.Policy.statement.notPrincipal.deny',
  missing_action: 'PutKeyPolicy.Policy.statement.action.missing',
  action_and_not_action: 'PutKeyPolicy.Policy.statement.action.valid',
  invalid_action: 'PutKeyPolicy.Policy.statement.action.valid',
  missing_resource: 'PutKeyPolicy.Policy.statement.resource.missing',
  resource_and_not_resource: 'PutKeyPolicy.Policy.statement.resource.valid',
  invalid_resource: 'PutKeyPolicy.Policy.statement.resource.valid',
  invalid_condition: 'PutKeyPolicy.Policy.statement.condition',
};

/** Every finding code, in catalogue order. */
export const FINDING_CODES = Object.keys(FINDING_RULE_IDS) as readonly PolicyFindingCode[];

/**
 * The contract rule a finding code belongs to.
 *
 * @example
 * findingRuleId('missing_principal') // 'PutKeyPolicy.Policy.statement.principal.required'
 */
export function findingRuleId(code: PolicyFindingCode): string {
  return FINDING_RULE_IDS[code];
}

/** Codes the contract leaves open in every version (decision 0101). */
const ALWAYS_UNSPECIFIED: ReadonlySet<PolicyFindingCode> = new Set<PolicyFindingCode>([
  'duplicate_key',
  'missing_version',
  'unverifiable_principal',
  'not_principal',
]);

/** Variants the contract leaves open (decision 0101). `version-2008` and the rest are listed there. */
const UNSPECIFIED_VARIANTS: ReadonlySet<FindingVariant> = new Set<FindingVariant>([
  'statement-object',
  'not-action',
  'not-resource',
  'foreign-service',
  'resource-not-star',
  'version-2008',
  'condition-key',
]);

/**
 * Severity of a finding under a contract version.
 * - `missing_action` / `missing_resource`: `accepted` from 2025-06-05 (B1: "the PutKeyPolicy API
 *   request succeeds, even though the policy statement is ineffective"), `violation` before (DG:
 *   "The Effect, Principal, Action, and Resource elements are required."); decision 0102.
 * - the codes and variants of decision 0101: `unspecified`.
 * - everything else: `violation` (MalformedPolicyDocumentException in every version).
 */
export function findingSeverity(code: PolicyFindingCode, version: ContractVersionId, variant?: FindingVariant): FindingSeverity {
  if (code === 'missing_action' || code === 'missing_resource') return version === '2025-06-05' ? 'accepted' : 'violation';
  if (ALWAYS_UNSPECIFIED.has(code)) return 'unspecified';
  if (variant !== undefined && UNSPECIFIED_VARIANTS.has(variant)) return 'unspecified';
  return 'violation';
}
