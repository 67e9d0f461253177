/**
 * Core types of the contract: rules, outcomes, the world a request runs against, callers, and
 * what the oracle answers. Every other part of kms-conformance (generators, mocks, replay,
 * scoring) codes against these types.
 *
 * @packageDocumentation
 */

/**
 * The thirteen operations the contract covers: PutKeyPolicy and the companions that set up, find
 * and clean up state (keys in every state, aliases, listings).
 */
export const OPERATIONS = [
  'PutKeyPolicy',
  'GetKeyPolicy',
  'ListKeyPolicies',
  'CreateKey',
  'DescribeKey',
  'EnableKey',
  'DisableKey',
  'ScheduleKeyDeletion',
  'CancelKeyDeletion',
  'CreateAlias',
  'DeleteAlias',
  'ListAliases',
  'ListKeys',
] as const;
export type OperationName = (typeof OPERATIONS)[number];

/**
 * Contract versions, named by the date the model changed (botocore commit dates, contract notes
 * §2.3). `latest` is an alias resolved by {@link resolveContractVersion} in `versions.ts`.
 */
export const CONTRACT_VERSIONS = ['2017-02-15', '2024-03-18', '2025-06-05'] as const;
export type ContractVersionId = (typeof CONTRACT_VERSIONS)[number];

/** Key states of the model's `KeyState` enum (M1). */
export const KEY_STATES = [
  'Creating',
  'Enabled',
  'Disabled',
  'PendingDeletion',
  'PendingImport',
  'PendingReplicaDeletion',
  'Unavailable',
  'Updating',
] as const;
export type KeyState = (typeof KEY_STATES)[number];

/** Source tags of `shared/contract/README.md` §0.1. */
export type SourceTag =
  | 'M1'
  | 'B1'
  | 'B0'
  | 'B-hist'
  | 'DEB'
  | 'SDK'
  | 'SP'
  | 'SPT'
  | 'SC'
  | 'LS'
  | 'LS-impl'
  | 'MOTO'
  | 'LK'
  | 'FL'
  | 'DG'
  | 'DG-web'
  | 'IAM-web'
  | 'CE-web'
  | 'TF'
  | 'ISS'
  | 'S-CLI'
  | 'S-JS'
  | 'S-BOTO3'
  | 'S-QKMS'
  | 'S-APIREF';

/** Where a rule comes from: a source tag and the sentence quoted from it. */
export interface SourceRef {
  readonly tag: SourceTag;
  /** The quoted sentence (or table cell) from the source, verbatim. */
  readonly quote: string;
  /** File, page or test inside the source, when it helps to find the quote. */
  readonly where?: string;
}

/** An error `__type` as it appears on the wire after normalisation (shape name only). */
export type ErrorCode = string;

/**
 * One outcome a rule accepts.
 * - `success`: HTTP 200 and the operation's output.
 * - `error`: the normalised `__type` must equal `code` (or, with `code: '*'`, any error code:
 *   the source says the request fails but names no error) and the HTTP status must be one of
 *   `statuses`.
 */
export type AcceptedOutcome =
  | { readonly kind: 'success' }
  | {
      readonly kind: 'error';
      readonly code: ErrorCode | '*';
      readonly statuses: readonly number[];
      /** Which source documents this alternative (e.g. `observed` 400 vs `model` 404). */
      readonly basis?: string;
    };

/** Broad area of a rule; used to group the catalogue and the reports. */
export type RuleTopic =
  | 'wire'
  | 'member'
  | 'policy-name'
  | 'key-id'
  | 'key-state'
  | 'policy-size'
  | 'policy-charset'
  | 'policy-document'
  | 'principal'
  | 'lockout'
  | 'consistency'
  | 'throttling'
  | 'error-status'
  | 'operation'
  | 'alias'
  | 'pagination';

/**
 * A rule of the documented contract.
 *
 * `outcomes` are the outcomes accepted when a request *triggers* the rule (breaks a constraint,
 * or, for rules that document acceptance such as "a statement without Action is accepted", meets
 * the documented situation).
 */
export interface Rule {
  /** Stable id, e.g. `PutKeyPolicy.Policy.length.max`. Never reused for another meaning. */
  readonly id: string;
  readonly operations: readonly OperationName[];
  readonly topic: RuleTopic;
  /** One line, present tense, says what the contract demands. */
  readonly statement: string;
  readonly sources: readonly SourceRef[];
  /** Contract versions the rule holds in. */
  readonly versions: readonly ContractVersionId[];
  readonly outcomes: readonly AcceptedOutcome[];
  /** Present when sources disagree: which sources say what. Scoring accepts every outcome. */
  readonly disagreement?: string;
  /** Present when the contract is silent on part of the rule (e.g. the exact message). */
  readonly note?: string;
  /** `decisions/` file that explains an interpretation, when there is one. */
  readonly decision?: string;
  /**
   * Outcomes that replace `outcomes` under particular contract versions (e.g. the 2025-06 docs
   * name LimitExceededException for an oversize policy). Read through `outcomesFor(id, version)`.
   */
  readonly outcomesByVersion?: Partial<Readonly<Record<ContractVersionId, readonly AcceptedOutcome[]>>>;
  /** `model` when the rule is generated from the Smithy model (`contract/model.ts`). */
  readonly origin?: 'model' | 'notes';
}

/** A key as the oracle needs to know it. The mock's state and replay set-up both produce these. */
export interface KeyInfo {
  readonly keyId: string;
  readonly arn: string;
  readonly accountId: string;
  readonly region: string;
  readonly state: KeyState;
  readonly keyManager: 'CUSTOMER' | 'AWS';
  readonly multiRegion: boolean;
  /** Policy text as stored (the last one put, or the default policy). */
  readonly policy: string;
}

export interface AliasInfo {
  /** `alias/<name>` */
  readonly name: string;
  readonly arn: string;
  readonly targetKeyId: string;
}

/** A principal KMS can see (IAM user, role, service, account). */
export interface KnownPrincipal {
  readonly kind: 'account' | 'user' | 'role' | 'assumed-role' | 'service' | 'federated' | 'canonical-user';
  /** The ARN, account id, service name, provider or canonical id, as written in a policy. */
  readonly id: string;
}

/** Which principals exist and are visible to KMS. */
export interface PrincipalDirectory {
  /**
   * - `exists`: known principal.
   * - `missing`: well-formed but does not exist (KMS rejects it).
   * - `unknown`: the directory cannot say (e.g. another account's principals) — the oracle
   *   answers `unspecified` for it rather than guessing.
   */
  lookup(principal: string, kind: KnownPrincipal['kind']): 'exists' | 'missing' | 'unknown';
}

/**
 * Lookups a {@link World} with many keys offers so that deciding a request does not search every
 * key. Each must answer exactly what searching `keys` and `aliases` would.
 */
export interface WorldLookup {
  /** The key with this id in this Region and account. */
  key(keyId: string, region: string, accountId: string): KeyInfo | undefined;
  /** Every key with this id, in any Region or account. */
  keysWithId(keyId: string): readonly KeyInfo[];
  /** The alias of this name in the world's account and Region. */
  alias(name: string): AliasInfo | undefined;
}

/** The world a request runs in: account, region and the keys and aliases that exist there. */
export interface World {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
  readonly keys: readonly KeyInfo[];
  readonly aliases: readonly AliasInfo[];
  readonly principals: PrincipalDirectory;
  /** Fast lookups, when the world has them (the mock's does); the contract searches the arrays otherwise. */
  readonly lookup?: WorldLookup;
}

/**
 * The IAM permissions a caller identity is known to have. The account principal in a key policy
 * delegates to IAM, so the lockout check needs them.
 * - `actions`: IAM-allowed action patterns (`kms:*`, `kms:PutKeyPolicy`, `*`, …) on this key.
 * - `unknown`: the permissions are not known; checks that depend on them are `unspecified`.
 */
export type IamPermissions =
  | { readonly kind: 'known'; readonly actions: readonly string[] }
  | { readonly kind: 'unknown' };

/** Who calls. The default identity (see `identities.ts`) is an account administrator. */
export interface Caller {
  /** e.g. `arn:aws:iam::111122223333:user/Admin` or an assumed-role session ARN. */
  readonly arn: string;
  readonly accountId: string;
  readonly iam: IamPermissions;
}

/**
 * A request as the oracle sees it: the operation and the decoded JSON members. Members may have
 * any JSON type (wrong types are part of the contract), `undefined` means absent.
 */
export interface OracleRequest {
  readonly operation: OperationName;
  readonly input: Readonly<Record<string, unknown>>;
  /**
   * Conditions around the request that make documented transient errors acceptable:
   * - `requestsPerSecond`: the rate at which this operation is being called; above the default
   *   quota the throttling rule is listed among the request's rules (a ThrottlingException is
   *   accepted at any rate, decision 0603);
   * - `msSinceKeyChange`: time since the key named by `KeyId` was created or changed
   *   (eventual consistency);
   * - `markerIssued`: whether the request's `Marker` (ListKeys, ListAliases) is a `NextMarker`
   *   the target returned earlier. Markers are opaque, so only the caller can know; absent, the
   *   oracle leaves a request with a `Marker` unspecified (decision 0221).
   */
  readonly context?: {
    readonly requestsPerSecond?: number;
    readonly msSinceKeyChange?: number;
    readonly markerIssued?: boolean;
  };
}

/** One rule the request triggers, with the response AWS would most plausibly send. */
export interface Violation {
  readonly ruleId: string;
  /** The accepted outcomes for this rule under the chosen contract version. */
  readonly outcomes: readonly AcceptedOutcome[];
  /** The message AWS sends (or, where undocumented, the message the mock sends). */
  readonly message: string;
  /** Where in the request (member name, policy path) the violation sits. */
  readonly path?: string;
  /**
   * The concrete error the bundled mock sends for this violation when `outcomes` allow several
   * codes or any code (`'*'`). Never used for scoring.
   */
  readonly respondWith?: { readonly code: ErrorCode; readonly status: number };
}

/**
 * What the oracle answers for a request.
 * - `decided`: the union of `outcomes` is what a conforming service may answer, and at any time a
 *   ThrottlingException (see `accepts` in the oracle, decision 0603). `rules` lists
 *   every rule involved. For a request breaking several rules, `violations` lists all of them in
 *   the mock's check order; any of their outcomes is accepted because KMS documents no order.
 * - `unspecified`: the contract cannot decide; `reason` says why. `fallback` is what the bundled
 *   mock answers (documented in `decisions/`), never used for scoring.
 */
export type Expectation =
  | {
      readonly kind: 'decided';
      readonly outcomes: readonly AcceptedOutcome[];
      readonly rules: readonly string[];
      readonly violations: readonly Violation[];
    }
  | {
      readonly kind: 'unspecified';
      readonly reason: string;
      readonly rules: readonly string[];
      readonly violations: readonly Violation[];
      readonly fallback: { readonly outcome: AcceptedOutcome; readonly message: string };
    };
