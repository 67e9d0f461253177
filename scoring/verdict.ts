/**
 * Scoring one answer with the contract's own oracle: `accepts` / `outcomeMatches` for the outcome,
 * `checkResponse` for the response-side rules, `readErrorResponse` to read an error the way the JS
 * SDK does. No validation logic lives here; this module only sorts the contract's verdicts into
 * {@link Finding}s keyed by `code`.
 */
import { accepts, checkResponse, expected, outcomeMatches, readErrorResponse, type ObservedOutcome } from '../contract/oracle.ts';
import type { OutputContext } from '../contract/output.ts';
import { POLICY_OPERATIONS, RULES, ruleById } from '../contract/rules/index.ts';
import { MODEL } from '../contract/model.ts';
import type { AcceptedOutcome, Caller, ContractVersionId, Expectation, KeyInfo, OperationName, World } from '../contract/types.ts';
import { headerValue, WIRE_RULES, type WireResponse } from '../contract/wire.ts';
import type { CaseRecord, ExpectedSummary, Finding, FindingCode, Observation, SequenceStepRecord } from './results.ts';

/** An HTTP response as captured from the target (body as UTF-8 text, header names lower-case): the contract's one response type. */
export type CapturedResponse = WireResponse;

/** What the target answered, read the way the JS SDK reads it. */
export function observe(response: CapturedResponse, sdkError?: string): Observation & { kind: 'response' } {
  const requestId = headerValue(response.headers, 'x-amzn-requestid');
  const base = { kind: 'response' as const, status: response.status, ...(requestId === undefined ? {} : { requestId }), ...(sdkError === undefined ? {} : { sdkError }) };
  if (response.status >= 200 && response.status < 300) return base;
  const read = readErrorResponse(response);
  if (read.kind === 'unreadable') return base;
  return { ...base, code: read.code, ...(read.message === undefined ? {} : { message: read.message }) };
}

/** The expectation as it goes into a record. */
export function summariseExpectation(e: Expectation): ExpectedSummary {
  return e.kind === 'decided' ? { kind: 'decided', outcomes: e.outcomes } : { kind: 'unspecified', reason: e.reason };
}

/** Outcomes in one line: `success | NotFoundException 400/404`. */
export function describeOutcomes(outcomes: readonly AcceptedOutcome[]): string {
  return outcomes.map((o) => (o.kind === 'success' ? 'success' : `${o.code} ${o.statuses.join('/')}`)).join(' | ');
}

/** An expectation in one line. */
export function describeExpected(e: ExpectedSummary | undefined): string {
  if (e === undefined) return '(nothing)';
  return e.kind === 'decided' ? describeOutcomes(e.outcomes) : `unspecified (${e.reason})`;
}

/** An observation in one line: `200 success`, `400 NotFoundException "Key … does not exist"`. */
export function describeObservation(o: Observation | undefined): string {
  if (o === undefined) return '(nothing)';
  if (o.kind === 'no-response') return `no response (${o.reason})`;
  if (o.status >= 200 && o.status < 300) return `${o.status} success`;
  return `${o.status} ${o.code ?? '(unreadable error)'}${o.message === undefined ? '' : ` ${JSON.stringify(o.message.length > 160 ? `${o.message.slice(0, 160)}…` : o.message)}`}`;
}

/** The verdict of scoring one answer, before the case's details are attached. */
export type ScoredAnswer =
  | { readonly verdict: 'pass'; readonly ruleIds: readonly string[] }
  | { readonly verdict: 'fail'; readonly ruleIds: readonly string[]; readonly findings: readonly Finding[] }
  | { readonly verdict: 'unspecified'; readonly ruleIds: readonly string[]; readonly reason: string };

const OUTPUT_RULES_OF: ReadonlyMap<string, readonly string[]> = (() => {
  const m = new Map<string, string[]>();
  for (const r of RULES) {
    const match = /^(\w+)\.output\./.exec(r.id);
    if (match) m.set(match[1]!, [...(m.get(match[1]!) ?? []), r.id]);
  }
  return m;
})();

/**
 * The response-side rules an answer of `op` with `status` is checked against (so a rule checked
 * on every answer counts as exercised, not only when it breaks).
 */
export function responseRulesChecked(op: string, status: number): string[] {
  const out: string[] = [WIRE_RULES.responseContentType, WIRE_RULES.successRequestId];
  if (status >= 200 && status < 300) {
    const modelled = (MODEL.operations as Readonly<Record<string, { output: unknown } | undefined>>)[op];
    if (modelled !== undefined && modelled.output === null) out.push(WIRE_RULES.successEmptyOutput);
    out.push(...(OUTPUT_RULES_OF.get(op) ?? []));
  } else {
    out.push(WIRE_RULES.errorShape, WIRE_RULES.errorTypeNormalisation);
  }
  return out;
}

const SUCCESS_BODY_RULE = /\.output\.|^Wire\.success\.emptyOutput$/;

function finding(code: FindingCode, caseId: string, ruleIds: readonly string[], expected: string, observed: string, message: string): Finding {
  return { code, caseId, ruleIds: [...new Set(ruleIds)], expected, observed, message };
}

/**
 * The outcome finding, naming its candidate rules: for a success where an error was due, the
 * violated rules; for a right code with a wrong status, the violated rules; for an error where
 * success was due or a wrong error code, every rule involved (the target may have misapplied any
 * of them), and for an error the contract does not accept also the rules the error itself points
 * at (`refusedBy`, {@link refusalCandidates}). The run narrows candidates to the blamed rule
 * (`scoring/blame.ts`).
 */
function outcomeFinding(caseId: string, e: Expectation & { kind: 'decided' }, observed: ObservedOutcome, seen: string, refusedBy: readonly string[] = []): Finding {
  const broken = [...new Set(e.violations.map((v) => v.ruleId))];
  const violated = broken.length > 0 ? broken : e.rules;
  const wanted = describeOutcomes(e.outcomes);
  const errorsOnly = e.outcomes.every((o) => o.kind === 'error');
  if (observed.kind === 'success') return finding('accepted_invalid_input', caseId, violated, wanted, seen, `Expected ${wanted} (${violated.join(', ')}), got ${seen}.`);
  if (!errorsOnly && e.outcomes.length === 1) return finding('rejected_valid_input', caseId, [...e.rules, ...refusedBy], wanted, seen, `Expected success, got ${seen}.`);
  const sameCode = e.outcomes.some((o) => o.kind === 'error' && outcomeMatches({ ...o, statuses: [observed.status] }, observed));
  return sameCode
    ? finding('unexpected_status', caseId, violated, wanted, seen, `Expected ${wanted} (${violated.join(', ')}), got ${seen}: the error code is right, the status is not.`)
    : finding('unexpected_error_code', caseId, [...new Set([...violated, ...e.rules, ...refusedBy])], wanted, seen, `Expected ${wanted}, got ${seen}.`);
}

/** The member rule suffix of each constraint text of the validation grammar (`CONSTRAINT_TEXT`). */
const CONSTRAINT_SUFFIX: readonly (readonly [string, string])[] = [
  ['not be null', 'required'],
  ['have length less than or equal to', 'length.max'],
  ['have length greater than or equal to', 'length.min'],
  ['have value less than or equal to', 'range.max'],
  ['have value greater than or equal to', 'range.min'],
  ['satisfy regular expression pattern', 'pattern'],
  ['satisfy enum value set', 'enum'],
];

/**
 * The member rules of `operation` that a ValidationException message names, item by item (`at
 * 'policy' failed to satisfy constraint: Member must satisfy regular expression pattern` →
 * `PutKeyPolicy.Policy.pattern`), among the rules of `version`. Top-level members only.
 */
export function validationMessageRules(operation: string, message: string, version: ContractVersionId): string[] {
  const members = (MODEL.operations as Readonly<Record<string, { input: Readonly<Record<string, unknown>> } | undefined>>)[operation]?.input;
  if (members === undefined) return [];
  const out: string[] = [];
  for (const m of message.matchAll(/ at '([A-Za-z]+)' failed to satisfy constraint: Member must ([^;]+)/g)) {
    const member = Object.keys(members).find((k) => k.toLowerCase() === m[1]!.toLowerCase());
    const suffix = CONSTRAINT_SUFFIX.find(([text]) => m[2]!.startsWith(text))?.[1];
    if (member === undefined || suffix === undefined) continue;
    const id = `${operation}.${member}.${suffix}`;
    if (ruleById(id)?.versions.includes(version) === true) out.push(id);
  }
  return [...new Set(out)];
}

/**
 * Rules an error the contract does not accept points at, beyond the rules the expectation names
 * (decision 0700): the expectation of a request that passes a check names no rule of that check, so
 * a target applying it wrongly would be blamed on another rule the request involves.
 * - LimitExceededException on a PutKeyPolicy or CreateKey with a Policy can only be the size quota
 *   applied (the quota read as 32,000 bytes): had the one other rule that answers it,
 *   `Policy.length.max`, been broken, the answer would have been accepted.
 * - ValidationException names its member and constraint in its message (§5.1): the member rules it
 *   names under the run's contract version (a pattern applied with ASCII ranges only).
 */
function refusalCandidates(operation: string, observed: ObservedOutcome, output: OutputContext | undefined, message: string | undefined, version: ContractVersionId | undefined): string[] {
  if (observed.kind !== 'error') return [];
  if (observed.code === 'LimitExceededException') {
    const withPolicy = (POLICY_OPERATIONS as readonly string[]).includes(operation) && typeof output?.request.input.Policy === 'string';
    return withPolicy ? ['PutKeyPolicy.Policy.size.quota'] : [];
  }
  if (observed.code === 'ValidationException' && message !== undefined && version !== undefined) return validationMessageRules(operation, message, version);
  return [];
}

/**
 * Scores one answer: the outcome against the oracle's expectation, the response against the
 * response-side rules (with `output`, a success is also compared with the key it names). An error
 * the client cannot read is a `malformed_error_response` (Wire.error.shape) and nothing else: its
 * code is unknown, so no outcome rule can be blamed. A broken response-side rule fails the case
 * even when the request itself is one the contract leaves open.
 */
export function scoreAnswer(caseId: string, expectation: Expectation, operation: OperationName | string, response: CapturedResponse, observation: Observation & { kind: 'response' }, output?: OutputContext, version?: ContractVersionId): ScoredAnswer {
  const findings: Finding[] = [];
  const seen = describeObservation(observation);
  const wanted = expectation.kind === 'decided' ? describeOutcomes(expectation.outcomes) : `unspecified (${expectation.reason})`;
  const isError = response.status < 200 || response.status >= 300;
  const read = isError ? readErrorResponse(response) : undefined;
  const responseFindings = checkResponse(operation as OperationName, response, output);
  if (read?.kind === 'unreadable') {
    findings.push(finding('malformed_error_response', caseId, [WIRE_RULES.errorShape], wanted, seen, `The ${response.status} answer cannot be read as an AWS JSON error: ${read.reason}.`));
  } else {
    const observed: ObservedOutcome = isError ? { kind: 'error', status: response.status, code: read?.kind === 'error' ? read.code : '' } : { kind: 'success', status: response.status };
    if (accepts(expectation, observed) === false && expectation.kind === 'decided') findings.push(outcomeFinding(caseId, expectation, observed, seen, refusalCandidates(operation, observed, output, read?.kind === 'error' ? read.message : undefined, version)));
  }
  // The message, where a source of the rule quotes the very message the contract expects.
  if (findings.length === 0 && read?.kind === 'error' && expectation.kind === 'decided') {
    const wrong = wrongMessage(expectation, read.code, read.message);
    if (wrong !== undefined) findings.push(finding('wrong_message', caseId, [wrong.ruleId], JSON.stringify(wrong.message), JSON.stringify(read.message ?? ''), `${read.code} is right, but its message is not the one the contract quotes for ${wrong.ruleId}: expected ${JSON.stringify(wrong.message)}, got ${JSON.stringify(read.message ?? '')}.`));
  }
  for (const f of responseFindings) {
    if (f.kind !== 'violation' || f.ruleId === WIRE_RULES.errorShape) continue;
    const code: FindingCode = !isError && SUCCESS_BODY_RULE.test(f.ruleId) ? 'unexpected_success_body' : 'response_rule_broken';
    findings.push(finding(code, caseId, [f.ruleId], `a response that keeps ${f.ruleId}`, seen, f.message));
  }
  const checked = [...expectation.rules, ...responseRulesChecked(operation, response.status), ...responseFindings.map((f) => f.ruleId)];
  if (findings.length > 0) return { verdict: 'fail', ruleIds: [...new Set(findings.flatMap((f) => f.ruleIds))], findings };
  if (expectation.kind === 'unspecified') return { verdict: 'unspecified', ruleIds: [...new Set(checked)], reason: expectation.reason };
  return { verdict: 'pass', ruleIds: [...new Set(checked)] };
}

/**
 * The quoted message a right error code should have carried, when the answer's differs: among the
 * violations answered with `code`, those whose message a source of their rule quotes verbatim
 * (a fixed text, not one with the key's ARN in it); `undefined` when none is quoted, or the answer
 * carries one of the quoted messages.
 */
export function wrongMessage(e: Expectation & { kind: 'decided' }, code: string, message: string | undefined): { ruleId: string; message: string } | undefined {
  const quoted = e.violations.filter((v) => v.outcomes.some((o) => o.kind === 'error' && o.code === code) && v.message.length >= 12 && (ruleById(v.ruleId)?.sources ?? []).some((src) => src.quote.includes(v.message)));
  if (quoted.length === 0 || quoted.length !== e.violations.filter((v) => v.outcomes.some((o) => o.kind === 'error' && o.code === code)).length) return undefined;
  if (quoted.some((v) => v.message === message)) return undefined;
  return { ruleId: quoted[0]!.ruleId, message: quoted[0]!.message };
}

/**
 * Scores a request that got no answer: every outcome the contract accepts is an HTTP response, so
 * a decided case fails with `no_response`; a case the contract leaves open stays `unspecified`.
 */
export function scoreNoAnswer(caseId: string, expectation: Expectation, reason: string): ScoredAnswer {
  if (expectation.kind === 'unspecified') return { verdict: 'unspecified', ruleIds: expectation.rules, reason: expectation.reason };
  // A dropped connection may come from any check the target ran: every rule involved is a candidate.
  const ruleIds = [...new Set([...expectation.violations.map((v) => v.ruleId), ...expectation.rules])];
  const wanted = describeOutcomes(expectation.outcomes);
  return { verdict: 'fail', ruleIds, findings: [finding('no_response', caseId, ruleIds, wanted, `no response (${reason})`, `Expected ${wanted}, got no answer (${reason}).`)] };
}

/**
 * What GetKeyPolicy must answer right after a successful PutKeyPolicy of `policy` on `key`, when
 * the new policy denies the caller the read itself (a bypassed lockout): the decided errors that
 * show the new policy is in force. `undefined` when the read may succeed (compare the policy then).
 */
export function demandedReadAfterPut(world: World, key: KeyInfo, policy: string, caller: Caller, version: ContractVersionId): (Expectation & { kind: 'decided' }) | undefined {
  const after: World = { ...world, keys: world.keys.map((k) => (k.keyId === key.keyId ? { ...k, policy } : k)) };
  const e = expected({ operation: 'GetKeyPolicy', input: { KeyId: key.keyId, PolicyName: 'default' } }, after, caller, version);
  return e.kind === 'decided' && !e.outcomes.some((o) => o.kind === 'success') ? e : undefined;
}

/** A read-after-write finding: the read disagreed (`state_mismatch`) or never showed the change (`not_converged`). */
export function readAfterWriteFinding(caseId: string, ruleId: string, kind: 'state_mismatch' | 'not_converged' | 'malformed_error_response', expected: string, observed: string, message: string): Finding {
  return finding(kind, caseId, [ruleId], expected, observed, message);
}

/** The verdict of a sequence none of whose steps failed: pass, or unspecified / skip when no step was decided. */
export function sequenceVerdict<T extends object>(steps: readonly SequenceStepRecord[], common: T, passedRules: readonly string[]): T & Pick<CaseRecord, 'verdict' | 'ruleIds' | 'reason'> {
  if (steps.some((s) => s.verdict === 'pass') || steps.length === 0) return { ...common, verdict: 'pass', ruleIds: passedRules };
  if (steps.some((s) => s.verdict === 'unspecified')) return { ...common, verdict: 'unspecified', ruleIds: [...new Set(steps.flatMap((s) => s.ruleIds))], reason: 'every step the target answered is one the contract leaves open' };
  return { ...common, verdict: 'skip', ruleIds: [], reason: steps.find((s) => s.reason !== undefined)?.reason ?? 'no step could be sent' };
}
