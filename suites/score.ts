/**
 * Scoring one observation with the contract's own oracle: `accepts` / `outcomeMatches` for the
 * outcome, `checkResponse` for the response-side rules, `readErrorResponse` to read the error the
 * way the JS SDK does. No validation logic lives here; this module only sorts the contract's
 * verdicts into findings.
 */
import { accepts, checkResponse, outcomeMatches, readErrorResponse, type ObservedOutcome } from '../contract/oracle.ts';
import type { OutputContext } from '../contract/output.ts';
import type { AcceptedOutcome, Expectation, OperationName } from '../contract/types.ts';
import { headerValue } from '../contract/wire.ts';
import type { ExpectedSummary, Finding, Observation } from './results.ts';

/** An HTTP response as captured from the target (body as UTF-8 text). */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What the target answered, read the way the JS SDK reads it. */
export function observe(response: RawResponse, sdkError?: string): Observation & { kind: 'response' } {
  const requestId = headerValue(response.headers, 'x-amzn-requestid');
  const base = { kind: 'response' as const, status: response.status, ...(requestId === undefined ? {} : { requestId }), ...(sdkError === undefined ? {} : { sdkError }) };
  if (response.status >= 200 && response.status < 300) return base;
  const read = readErrorResponse(response);
  if (read.kind === 'unreadable') return base;
  return { ...base, code: read.code, ...(read.message === undefined ? {} : { message: read.message }) };
}

/** The observation as the oracle's `ObservedOutcome` (an unreadable error has code `''`, which no outcome allows). */
export function toObservedOutcome(o: Observation & { kind: 'response' }): ObservedOutcome {
  return o.status >= 200 && o.status < 300 ? { kind: 'success', status: o.status } : { kind: 'error', status: o.status, code: o.code ?? '' };
}

/** The expectation as it goes into a result. */
export function summariseExpectation(e: Expectation): ExpectedSummary {
  return e.kind === 'decided' ? { kind: 'decided', outcomes: e.outcomes } : { kind: 'unspecified', reason: e.reason };
}

/** Outcomes in one line: `success | NotFoundException 400 | ValidationException 400`. */
export function describeOutcomes(outcomes: readonly AcceptedOutcome[]): string {
  return outcomes.map((o) => (o.kind === 'success' ? 'success' : `${o.code} ${o.statuses.join('/')}`)).join(' | ');
}

/** An observation in one line: `200`, `400 NotFoundException "Key … does not exist"`. */
export function describeObservation(o: Observation): string {
  if (o.kind === 'no-response') return `no response (${o.reason})`;
  if (o.status >= 200 && o.status < 300) return `${o.status} success`;
  return `${o.status} ${o.code ?? '(unreadable error)'}${o.message === undefined ? '' : ` ${JSON.stringify(o.message)}`}`;
}

/** The verdict of scoring, before the case's details are attached. */
export type Verdict =
  | { readonly kind: 'pass'; readonly ruleIds: readonly string[] }
  | { readonly kind: 'fail'; readonly ruleIds: readonly string[]; readonly findings: readonly Finding[] }
  | { readonly kind: 'unspecified'; readonly ruleIds: readonly string[]; readonly reason: string };

function outcomeFinding(e: Expectation & { kind: 'decided' }, observed: ObservedOutcome, seen: string): Finding {
  const broken = e.violations.map((v) => v.ruleId);
  const ruleIds = broken.length > 0 ? [...new Set(broken)] : e.rules;
  const wanted = describeOutcomes(e.outcomes);
  const errorsOnly = e.outcomes.every((o) => o.kind === 'error');
  if (observed.kind === 'success') {
    return { code: 'accepted_invalid_input', ruleIds, message: `Expected ${wanted} (${ruleIds.join(', ')}), got ${seen}.` };
  }
  if (!errorsOnly && e.outcomes.length === 1) {
    return { code: 'rejected_valid_input', ruleIds, message: `Expected success (${ruleIds.join(', ') || 'no rule broken'}), got ${seen}.` };
  }
  const sameCode = e.outcomes.some((o) => o.kind === 'error' && outcomeMatches({ ...o, statuses: [observed.status] }, observed));
  return sameCode
    ? { code: 'unexpected_status', ruleIds, message: `Expected ${wanted} (${ruleIds.join(', ')}), got ${seen}: the error code is right, the status is not.` }
    : { code: 'unexpected_error_code', ruleIds, message: `Expected ${wanted} (${ruleIds.join(', ')}), got ${seen}.` };
}

/**
 * Scores one answer: the outcome against the oracle's expectation, the response against the
 * response-side rules (with `output`, a success is also compared with the key it names). A broken
 * response-side rule fails the case even when the request itself is one the contract leaves open.
 */
export function scoreResponse(
  expectation: Expectation,
  operation: OperationName,
  response: RawResponse,
  observation: Observation & { kind: 'response' },
  output?: OutputContext,
): Verdict {
  const findings: Finding[] = [];
  const observed = toObservedOutcome(observation);
  const ok = accepts(expectation, observed);
  if (ok === false && expectation.kind === 'decided') findings.push(outcomeFinding(expectation, observed, describeObservation(observation)));
  for (const f of checkResponse(operation, response, output)) {
    if (f.kind === 'violation') findings.push({ code: 'response_rule_broken', ruleIds: [f.ruleId], message: f.message });
  }
  if (findings.length > 0) return { kind: 'fail', ruleIds: [...new Set(findings.flatMap((f) => f.ruleIds))], findings };
  if (expectation.kind === 'unspecified') return { kind: 'unspecified', ruleIds: expectation.rules, reason: expectation.reason };
  return { kind: 'pass', ruleIds: expectation.rules };
}

/**
 * Scores a request that got no answer: every outcome the contract accepts is an HTTP response, so
 * a decided case fails; a case the contract leaves open stays `unspecified`.
 */
export function scoreNoResponse(expectation: Expectation, reason: string): Verdict {
  if (expectation.kind === 'unspecified') return { kind: 'unspecified', ruleIds: expectation.rules, reason: expectation.reason };
  const ruleIds = expectation.violations.length > 0 ? [...new Set(expectation.violations.map((v) => v.ruleId))] : expectation.rules;
  const finding: Finding = { code: 'no_response', ruleIds, message: `Expected ${describeOutcomes(expectation.outcomes)}, got no answer (${reason}).` };
  return { kind: 'fail', ruleIds, findings: [finding] };
}
