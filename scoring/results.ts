/**
 * The results of a conformance run as data: one {@link CaseRecord} per case (streamed to disk as
 * the run goes) and one {@link RunSummary} per run (verdict counts, per-rule scores, the error-code
 * matrix and the other aggregates). `results.json` is the summary with the case records under
 * `cases`; every report writer reads only these types.
 *
 * The JSON Schema of `results.json` is `scoring/results.schema.json` (shipped with the package);
 * bump {@link RESULTS_SCHEMA_VERSION} on any change a reader could notice.
 */
import type { AcceptedOutcome, ContractVersionId, RuleTopic } from '../contract/types.ts';

/** Version of the `results.json` format. */
export const RESULTS_SCHEMA_VERSION = 1;

/** How a case reaches the target: the real `@aws-sdk/client-kms`, or raw (signed) HTTP bytes. */
export type Transport = 'sdk' | 'http';

/** Every transport, in report order. */
export const TRANSPORTS: readonly Transport[] = ['sdk', 'http'];

/**
 * The verdict on one case.
 * - `pass`: the answer is one the contract accepts and the response-side rules hold.
 * - `fail`: the target broke the contract (`findings` says how).
 * - `unspecified`: the contract is silent; the observation is recorded, never counted.
 * - `skip`: the case was not run (the target lacks a capability, a safety flag is off, the run
 *   stopped first); `reason` says which.
 * - `error`: harness or set-up trouble, never counted as the target's fault.
 */
export type Verdict = 'pass' | 'fail' | 'unspecified' | 'skip' | 'error';

/** Every verdict, in report order. */
export const VERDICTS: readonly Verdict[] = ['pass', 'fail', 'unspecified', 'skip', 'error'];

/** Where a case came from: a rule's worked example, or one of the generators' kinds. */
export type CaseSource = 'example' | 'valid-policy' | 'invalid-policy' | 'request' | 'wire' | 'sequence';

/** An HTTP request as recorded: secrets redacted, the body as UTF-8 text or base64. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The body, when it is valid UTF-8. */
  readonly body?: string;
  /** The body as base64, when it is not valid UTF-8. */
  readonly bodyBase64?: string;
}

/** An HTTP response as recorded (headers lower-cased, secrets redacted). */
export interface RecordedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** One request sent and what came back. A case has one; a sequence one per step; checks add reads. */
export interface ExchangeRecord {
  /** Why it was sent: the case itself, a read-after-write check, or a step of a sequence. */
  readonly role: 'case' | 'check' | 'step';
  readonly operation: string;
  readonly transport: Transport;
  readonly request?: RecordedRequest;
  readonly response?: RecordedResponse;
  /** Why no response (or no request) was recorded. */
  readonly failure?: string;
  /** The exception the SDK threw, when the SDK was used. */
  readonly sdkError?: string;
  readonly ms: number;
}

/** What the contract's oracle expected. */
export type ExpectedSummary =
  | { readonly kind: 'decided'; readonly outcomes: readonly AcceptedOutcome[] }
  | { readonly kind: 'unspecified'; readonly reason: string };

/**
 * What came back, read the way the JS SDK reads it.
 * - `response`: an HTTP answer; `code`/`message` for a readable error.
 * - `no-response`: the request was sent but no answer arrived.
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

/** Codes of {@link Finding}. */
export const CASE_FINDING_CODES = [
  'rejected_valid_input',
  'accepted_invalid_input',
  'unexpected_error_code',
  'unexpected_status',
  'malformed_error_response',
  'unexpected_success_body',
  'response_rule_broken',
  'no_response',
  'state_mismatch',
  'not_converged',
  'wrong_message',
] as const;
/** One of {@link CASE_FINDING_CODES}. */
export type FindingCode = (typeof CASE_FINDING_CODES)[number];

/**
 * Why a case failed, as data. Every finding names the case, the rules it is about, what the
 * contract expected and what was observed (both as one line of text), and a sentence.
 * - `rejected_valid_input`: an error where the contract requires success.
 * - `accepted_invalid_input`: success where the contract requires an error.
 * - `unexpected_error_code`: an error code no expected outcome allows.
 * - `unexpected_status`: the right error code with a status its outcome does not allow.
 * - `malformed_error_response`: an error the client cannot read (not JSON, no `__type`, an HTML page).
 * - `unexpected_success_body`: a success whose body breaks the output rules (e.g. `null` for a Unit output).
 * - `response_rule_broken`: another response-side rule is broken (e.g. no `x-amzn-RequestId`).
 * - `no_response`: the request got no answer (connection dropped, timeout).
 * - `state_mismatch`: a read after a successful change disagrees with it (GetKeyPolicy after PutKeyPolicy).
 * - `not_converged`: a read after a change never showed it within `--converge-timeout`.
 * - `wrong_message`: the error message differs from the one the contract quotes.
 */
export interface Finding {
  readonly code: FindingCode;
  readonly caseId: string;
  /** The rules the finding is about (after the run's blame, `scoring/blame.ts`). */
  readonly ruleIds: readonly string[];
  /** Every rule the answer could be about, when the run had to choose among several. */
  readonly candidates?: readonly string[];
  readonly expected: string;
  readonly observed: string;
  readonly message: string;
}

/** A baseline entry that waived a failure (see `scoring/baseline.ts`). */
export interface Waiver {
  readonly match: string;
  readonly reason: string;
  readonly owner: string;
  readonly expires: string;
}

/** One key or alias a case needed, as it was built on the target. */
export interface SetupRecord {
  readonly keys: readonly {
    readonly keyId: string;
    readonly arn: string;
    readonly region: string;
    readonly state: string;
    readonly multiRegion: boolean;
    readonly keyManager: 'CUSTOMER' | 'AWS';
    /** Present when the key's policy is not the default key policy. */
    readonly policy?: string;
  }[];
  readonly aliases: readonly { readonly name: string; readonly targetKeyId: string }[];
}

/**
 * What the verdict was computed from, so `rescore` can compute it again without the target:
 * the request as the oracle reads it (`request`: operation and members; `wire`: the raw bytes of
 * the case exchange), and the keys and aliases that existed.
 */
export type ScoredAs =
  | { readonly kind: 'request'; readonly operation: string; readonly input: Readonly<Record<string, unknown>> }
  | { readonly kind: 'wire' };

/** One case of a run: what was sent, what came back, and the verdict. */
export interface CaseRecord {
  /** Unique in the run, stable for the same seed (e.g. `request:42:7/sdk`, `example:PutKeyPolicy.Policy.length.max:breaks:0/http`). */
  readonly id: string;
  readonly source: CaseSource;
  readonly transport: Transport;
  readonly operation: string;
  /** The rule whose worked example this is (examples only). */
  readonly exampleOf?: string;
  /** The generator's label (`valid`, `invalid` with rule and mutation, `unspecified`). */
  readonly label?: unknown;
  /** The named mutation that made the case (invalid policies, wire mutations, member variants). */
  readonly mutation?: string;
  /** Request members the case varies (`PutKeyPolicy.Policy`), for the per-member aggregate. */
  readonly members?: readonly string[];
  /** `{seed, path}` that regenerates the case with `generate`, when it has one. */
  readonly origin?: { readonly seed: number; readonly path: string };
  readonly verdict: Verdict;
  /** For `fail`: the rules broken. Otherwise every rule the case involved. */
  readonly ruleIds: readonly string[];
  readonly expected?: ExpectedSummary;
  readonly observed?: Observation;
  readonly findings?: readonly Finding[];
  /** Why the case is `unspecified`, `skip` or `error`. */
  readonly reason?: string;
  /** For `error`: where it went wrong. */
  readonly stage?: 'setup' | 'send' | 'check' | 'harness';
  /** Set when a baseline entry waived this failure. */
  readonly waived?: Waiver;
  /** The SDK changed the request before sending (dropped `null` or unknown members): scored as sent. */
  readonly sentNote?: string;
  readonly scoredAs?: ScoredAs;
  readonly setup?: SetupRecord;
  readonly exchanges: readonly ExchangeRecord[];
  /** Milliseconds a read-after-write check took to see the change. */
  readonly convergeMs?: number;
  /**
   * Set when the failure was shrunk against the target: the record is then the smallest failing
   * case found (its exchanges, its `origin`), and this says what it was shrunk from.
   */
  readonly shrunk?: {
    readonly original: { readonly origin?: { readonly seed: number; readonly path: string }; readonly size: number; readonly observed?: string };
    readonly size: number;
    readonly attempts: number;
    readonly steps: number;
    readonly ms: number;
  };
  /** Path of the replay file under the report directory (`cases/…json`), for failures. */
  readonly replayFile?: string;
  /** Set when the case is a stateful sequence (`source: 'sequence'`): its steps, in order. */
  readonly sequence?: SequenceRecord;
  readonly ms: number;
}

/**
 * A stateful sequence as recorded: the steps that ran, each scored on the state the steps before
 * it left, up to the first failing step (the sequence stops there). The case's `exchanges` hold
 * every request of every step; each step points at its own by index.
 */
export interface SequenceRecord {
  /** The fast-check seed that generated the sequence (from the run's seed and `index`). */
  readonly seed: number;
  /** Its number in the run (0-based). */
  readonly index: number;
  readonly steps: readonly SequenceStepRecord[];
  /** Index into `steps` of the failing step (failing sequences only). */
  readonly failingStep?: number;
  /** Set when the failure was shrunk: the steps the first failing run had, and how the shrink went. */
  readonly shrunk?: { readonly originalSteps: number; readonly attempts: number; readonly ms: number };
}

/** One step of a sequence: what was sent, the state it was scored on, and its verdict. */
export interface SequenceStepRecord {
  /** The step as generated (keys and aliases by number: `{ op: 'PutKeyPolicy', key: 0, policy: 1 }`). */
  readonly step: Readonly<Record<string, unknown>>;
  /** The step in one line (`PutKeyPolicy(key 0, policy 1)`). */
  readonly call: string;
  readonly operation: string;
  /** The request members as sent (real key ids and alias names). */
  readonly input: Readonly<Record<string, unknown>>;
  /** The keys and aliases as the contract says the steps before left them (what the step was scored on). */
  readonly before: SetupRecord;
  /** `skip`: the target lacks the operation (`reason` says so); nothing happened, the sequence went on. */
  readonly verdict: Verdict;
  readonly ruleIds: readonly string[];
  /** Why the step is `skip` or `error`. */
  readonly reason?: string;
  readonly expected?: ExpectedSummary;
  readonly observed?: Observation;
  readonly findings?: readonly Finding[];
  /** Indexes into the case's `exchanges` of this step's request and its read-after-write checks. */
  readonly exchanges: readonly number[];
}

/** Counts per verdict (`waived` counts failures a baseline waived; they are also in `fail`). */
export interface VerdictCounts {
  total: number;
  pass: number;
  fail: number;
  unspecified: number;
  skip: number;
  error: number;
  waived: number;
}

/**
 * A rule's standing in a run.
 * - `pass`: exercised, decided cases all passed; `fail`: at least one unwaived failure;
 *   `waived`: every failure waived; `unspecified`: exercised only by cases the contract leaves open;
 *   `not-exercised`: no case reached it (`reason` says why), never counted as a pass.
 */
export type RuleVerdict = 'pass' | 'fail' | 'waived' | 'unspecified' | 'not-exercised';

/** One rule's scores. */
export interface RuleScore {
  readonly id: string;
  readonly topic: RuleTopic;
  readonly operations: readonly string[];
  readonly statement: string;
  /** `TAG: quote` of each source. */
  readonly sources: readonly { readonly tag: string; readonly quote: string }[];
  readonly verdict: RuleVerdict;
  readonly counts: VerdictCounts;
  /** The first failing case's first finding. */
  readonly firstFinding?: Finding;
  readonly firstReplayFile?: string;
  readonly reason?: string;
}

/** One cell of the expected × observed error-code matrix. */
export interface CodeCell {
  /** `success`, an error code, or several joined with `|`. */
  readonly expected: string;
  /** `success`, an error code, `(unreadable)` or `(no response)`. */
  readonly observed: string;
  readonly count: number;
  readonly fail: number;
}

/**
 * Overall score, the same number in every format.
 * - `cases`: decided cases passed / decided cases (pass + fail; unspecified, skip and error are
 *   not decided; waived failures count as decided and failing).
 * - `rules`: rules passing / rules exercised with a decided case.
 */
export interface Score {
  readonly casesPassed: number;
  readonly casesDecided: number;
  /** casesPassed / casesDecided, 0..1 (1 when nothing was decided). */
  readonly caseRatio: number;
  readonly rulesPassing: number;
  readonly rulesExercised: number;
  readonly ruleRatio: number;
}

/** Where the run sent its requests. */
export interface TargetInfo {
  /** `mock:in-process` for the bundled mock, else `endpoint`. */
  readonly kind: 'mock:in-process' | 'endpoint';
  readonly endpoint?: string;
  /** A short name for reports and `compare` columns. */
  readonly name: string;
  /** Mock divergence profiles switched on (bundled mock only). */
  readonly divergences?: readonly string[];
}

/** The world the run discovered (account, Region, partition, caller) and scored against. */
export interface WorldInfo {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
  readonly callerArn: string;
  /** Principals the run assumed exist on the target. */
  readonly principals: readonly { readonly kind: string; readonly id: string }[];
}

/** Keys the run created and what became of them. */
export interface CleanupInfo {
  readonly created: number;
  readonly scheduledForDeletion: number;
  /** Keys that could not be scheduled for deletion, with why: delete them by hand. */
  readonly notCleaned: readonly { readonly keyId: string; readonly arn: string; readonly reason: string }[];
}

/** The settings a run used (for the report and for `replay`/`merge`). */
export interface RunSettings {
  readonly runs: number;
  readonly sequences: number;
  readonly concurrency: number;
  readonly maxKeys: number;
  readonly convergeTimeoutMs: number;
  readonly allowRemote: boolean;
  readonly allowLockout: boolean;
  /**
   * The shard this run covered (`--shard i/n`): number `index` (1-based) of `count`, and a hash of
   * the whole plan the shards share (`merge` refuses shards of different plans).
   */
  readonly shard?: { readonly index: number; readonly count: number; readonly planHash: string };
  readonly baseline?: string;
}

/** Everything in `results.json` except the case records. */
export interface RunSummary {
  readonly schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  /** The tool that scored the run: name, version and a content hash of its code (`sha256:…`). */
  readonly tool: { readonly name: string; readonly version: string; readonly contentHash?: string };
  readonly contract: { readonly version: ContractVersionId; readonly catalogueHash: string; readonly rules: number };
  readonly run: {
    readonly id: string;
    readonly seed: number;
    readonly startedAt: string;
    readonly endedAt: string;
    readonly durationMs: number;
    /** `interrupted` when SIGINT (or an abort) stopped the run before every case ran. */
    readonly status: 'complete' | 'interrupted';
    /** The command that reproduces the run. */
    readonly command: string;
  };
  readonly target: TargetInfo;
  readonly transports: readonly Transport[];
  readonly world: WorldInfo;
  readonly settings: RunSettings;
  readonly counts: VerdictCounts;
  readonly score: Score;
  readonly rules: readonly RuleScore[];
  readonly codes: readonly CodeCell[];
  /** Counts per topic, operation, transport, source, mutation and request member. */
  readonly by: {
    readonly topic: Readonly<Record<string, VerdictCounts>>;
    readonly operation: Readonly<Record<string, VerdictCounts>>;
    readonly transport: Readonly<Record<string, VerdictCounts>>;
    readonly source: Readonly<Record<string, VerdictCounts>>;
    readonly mutation: Readonly<Record<string, VerdictCounts>>;
    readonly member: Readonly<Record<string, VerdictCounts>>;
  };
  readonly cleanup: CleanupInfo;
  /** Baseline entries: which waived something, which are stale, which expired. */
  readonly baseline?: {
    readonly file: string;
    readonly waived: number;
    readonly stale: readonly string[];
    readonly expired: readonly string[];
  };
}

/** `results.json`: the summary and every case record. */
export interface RunResults extends RunSummary {
  readonly cases: readonly CaseRecord[];
}

/** Fresh zero counts. */
export function zeroCounts(): VerdictCounts {
  return { total: 0, pass: 0, fail: 0, unspecified: 0, skip: 0, error: 0, waived: 0 };
}
