/**
 * What a suite run reports per case: a discriminated union keyed by `kind` (`pass`, `fail`,
 * `unspecified`, `error`), the findings of a failure keyed by `code`, and what was observed.
 */
import type { AcceptedOutcome, ContractVersionId, OperationName } from '../contract/types.ts';
import type { CaseLabel } from '../generators/labels.ts';
import type { GenerateKind } from '../generators/kinds.ts';
import type { CaseOrigin } from '../generators/replay.ts';

/** How a case reaches the target: the real `@aws-sdk/client-kms`, or raw HTTP bytes. */
export type Transport = 'sdk' | 'http';

/**
 * What came back.
 * - `response`: an HTTP answer. `code` and `message` are the error's `__type` (normalised) and
 *   message as the JS SDK reads them (absent on success or when unreadable); `sdkError` is the
 *   name of the exception the SDK threw, when the SDK was used.
 * - `no-response`: the request was sent but no answer arrived (connection dropped).
 */
export type Observation =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly code?: string;
      readonly message?: string;
      readonly requestId?: string;
      readonly sdkError?: string;
    }
  | { readonly kind: 'no-response'; readonly reason: string };

/** What the contract's oracle expected. */
export type ExpectedSummary =
  | { readonly kind: 'decided'; readonly outcomes: readonly AcceptedOutcome[] }
  | { readonly kind: 'unspecified'; readonly reason: string };

/**
 * Whether the request went out as generated. The SDK drops `null` and unknown members, so a
 * request case sent through it may be a different request; it is then scored as sent (the
 * contract's `expectedWire` on the captured bytes) and `dropped` names what the SDK left out.
 */
export type SentSummary = { readonly asGenerated: true } | { readonly asGenerated: false; readonly note: string };

/**
 * Why a case failed. Every finding names the contract rules it is about.
 * - `accepted_invalid_input`: success, where the contract requires an error.
 * - `rejected_valid_input`: an error, where the contract requires success.
 * - `unexpected_error_code`: an error code none of the expected outcomes allows.
 * - `unexpected_status`: an expected error code with a status its outcome does not allow.
 * - `response_rule_broken`: the response breaks a response-side rule (`checkResponse`).
 * - `no_response`: the request got no answer.
 */
export type Finding =
  | { readonly code: 'accepted_invalid_input'; readonly ruleIds: readonly string[]; readonly message: string }
  | { readonly code: 'rejected_valid_input'; readonly ruleIds: readonly string[]; readonly message: string }
  | { readonly code: 'unexpected_error_code'; readonly ruleIds: readonly string[]; readonly message: string }
  | { readonly code: 'unexpected_status'; readonly ruleIds: readonly string[]; readonly message: string }
  | { readonly code: 'response_rule_broken'; readonly ruleIds: readonly string[]; readonly message: string }
  | { readonly code: 'no_response'; readonly ruleIds: readonly string[]; readonly message: string };

/** Fields every result carries. */
export interface ResultBase {
  readonly caseId: string;
  readonly caseKind: GenerateKind;
  readonly label: CaseLabel;
  /** `{seed, path}` that replays the case, when it has one. */
  readonly origin: CaseOrigin | undefined;
  readonly operation: OperationName;
  readonly transport: Transport;
  /** e.g. `mock:in-process`, `mock:server`. */
  readonly target: string;
  readonly version: ContractVersionId;
  /** The rules the verdict is about: the broken ones for a failure, else every rule involved. */
  readonly ruleIds: readonly string[];
  readonly expected: ExpectedSummary | undefined;
  readonly observed: Observation | undefined;
  readonly sent: SentSummary | undefined;
}

/**
 * The verdict on one case.
 * - `pass`: the answer is one the contract accepts and the response-side rules hold.
 * - `fail`: the target broke the contract (`findings` says how).
 * - `unspecified`: the contract does not decide the case (neither pass nor fail).
 * - `error`: harness or set-up trouble (`stage`), never counted against the target.
 */
export type CaseResult =
  | (ResultBase & { readonly kind: 'pass' })
  | (ResultBase & { readonly kind: 'fail'; readonly findings: readonly Finding[] })
  | (ResultBase & { readonly kind: 'unspecified'; readonly reason: string })
  | (ResultBase & { readonly kind: 'error'; readonly stage: 'setup' | 'send' | 'harness'; readonly message: string });

/** Counts per result kind. */
export interface ResultCounts {
  readonly total: number;
  readonly pass: number;
  readonly fail: number;
  readonly unspecified: number;
  readonly error: number;
}

/** Counts the results per kind. */
export function countResults(results: readonly CaseResult[]): ResultCounts {
  const c = { total: results.length, pass: 0, fail: 0, unspecified: 0, error: 0 };
  for (const r of results) c[r.kind]++;
  return c;
}
