/**
 * Types of the key policy parser, checker and lockout check. Findings are data: a discriminated
 * union keyed by `code`, each tied to the contract rule it breaks.
 */
import type { Caller, ContractVersionId, PrincipalDirectory } from '../types.ts';

/** A principal value in a statement, normalised to lists. */
export interface PrincipalBlock {
  /** `"*"` written as the whole Principal element. */
  readonly wildcard: boolean;
  readonly AWS: readonly string[];
  readonly Service: readonly string[];
  readonly Federated: readonly string[];
  readonly CanonicalUser: readonly string[];
}

/** A condition block: operator → key → values (scalars kept as written: string, boolean, number). */
export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, readonly (string | boolean | number)[]>>>>;

/** One parsed statement. Elements absent from the text are `undefined`. */
export interface PolicyStatement {
  readonly index: number;
  readonly Sid?: string;
  readonly Effect?: 'Allow' | 'Deny';
  readonly Principal?: PrincipalBlock;
  readonly NotPrincipal?: PrincipalBlock;
  readonly Action?: readonly string[];
  readonly NotAction?: readonly string[];
  readonly Resource?: readonly string[];
  readonly NotResource?: readonly string[];
  readonly Condition?: ConditionBlock;
}

/** A parsed key policy document. `statementForm` records whether Statement was an object or array. */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Id?: string;
  readonly statementForm: 'array' | 'object';
  readonly Statement: readonly PolicyStatement[];
}

/** Codes of policy findings. Each maps to exactly one contract rule (see `findingRule`). */
export type PolicyFindingCode =
  | 'invalid_json'
  | 'not_an_object'
  | 'duplicate_key'
  | 'unknown_top_level_element'
  | 'missing_version'
  | 'invalid_version'
  | 'invalid_id'
  | 'missing_statement'
  | 'empty_statement'
  | 'invalid_statement'
  | 'unknown_statement_element'
  | 'invalid_sid'
  | 'missing_effect'
  | 'invalid_effect'
  | 'missing_principal'
  | 'principal_and_not_principal'
  | 'invalid_principal'
  | 'invalid_principal_arn'
  | 'nonexistent_principal'
  | 'unverifiable_principal'
  | 'not_principal_with_allow'
  | 'not_principal'
  | 'missing_action'
  | 'action_and_not_action'
  | 'invalid_action'
  | 'missing_resource'
  | 'resource_and_not_resource'
  | 'invalid_resource'
  | 'invalid_condition';

/** A finding of the checker. `path` is a JSON-pointer-like path into the document. */
export interface PolicyFinding {
  readonly code: PolicyFindingCode;
  /** Contract rule id the finding belongs to. */
  readonly ruleId: string;
  readonly path: string;
  readonly message: string;
  /** The offending value, when there is one (principal string, element name, …). */
  readonly value?: unknown;
  /**
   * `violation`: the contract rejects the policy. `accepted`: the contract documents that the
   * policy is accepted anyway (e.g. missing Action under 2025-06). `unspecified`: the contract
   * does not say whether KMS accepts it.
   */
  readonly severity: FindingSeverity;
  /** Where in the policy text the finding points, when the text has such a place. */
  readonly position?: SourcePosition;
  /**
   * Sub-case, when one code covers several situations with different severities, e.g.
   * `invalid_action` with variant `not-action` (NotAction is IAM grammar the KMS docs never show).
   */
  readonly variant?: FindingVariant;
}

/** How the contract judges a finding (see {@link PolicyFinding.severity}). */
export type FindingSeverity = 'violation' | 'accepted' | 'unspecified';

/**
 * Sub-cases of finding codes that carry their own severity (decisions 0101, 0102):
 * - `statement-object`: Statement written as one object instead of an array (invalid_statement).
 * - `not-action` / `not-resource`: NotAction / NotResource used (invalid_action / invalid_resource).
 * - `foreign-service`: an action of another service than `kms` (invalid_action).
 * - `resource-not-star`: a Resource other than `"*"`, e.g. the key ARN (invalid_resource).
 * - `version-2008`: `"Version": "2008-10-17"` (invalid_version).
 * - `condition-key`: a condition key without a `service:` prefix (invalid_condition).
 */
export type FindingVariant =
  | 'statement-object'
  | 'not-action'
  | 'not-resource'
  | 'foreign-service'
  | 'resource-not-star'
  | 'version-2008'
  | 'condition-key';

/** A place in the policy text. `offset` counts UTF-16 code units from 0; `line` and `column` start at 1. */
export interface SourcePosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export interface CheckOptions {
  readonly version: ContractVersionId;
  /** Account that owns the key (the account principal is `arn:<partition>:iam::<accountId>:root`). */
  readonly accountId: string;
  readonly partition: string;
  readonly principals: PrincipalDirectory;
}

export type ParseResult =
  | { readonly ok: true; readonly document: PolicyDocument; readonly findings: readonly PolicyFinding[] }
  | { readonly ok: false; readonly findings: readonly PolicyFinding[] };

/** Result of the lockout check: can `caller` call PutKeyPolicy again under the new policy? */
export type LockoutVerdict =
  | { readonly kind: 'allowed'; readonly by: string }
  | { readonly kind: 'locked-out'; readonly reason: string }
  | { readonly kind: 'unspecified'; readonly reason: string };

export interface LockoutOptions {
  readonly caller: Caller;
  readonly accountId: string;
  readonly partition: string;
  readonly keyArn: string;
  /**
   * The action to evaluate. Defaults to `kms:PutKeyPolicy` (the lockout check); the oracle's
   * permission check (decision 0501) asks for the operation's own action, e.g. `kms:GetKeyPolicy`.
   */
  readonly action?: string;
}
