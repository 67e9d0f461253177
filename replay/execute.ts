/**
 * Runs one case through one transport against an open target and scores it: lease the keys,
 * rewrite the case onto them, send, score with the contract's oracle, check a successful change
 * by reading it back (bounded polling), give the keys back. The world and the expectation are
 * computed once per case, from what was actually sent.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isUtf8 } from 'node:buffer';
import { accepts, expected, expectedWire, type ObservedOutcome } from '../contract/oracle.ts';
import { resolveKey } from '../contract/keyid.ts';
import { targetOf } from '../contract/model.ts';
import type { OutputContext } from '../contract/output.ts';
import { checkTransition, statesAfter } from '../contract/transitions.ts';
import { OPERATIONS, type Caller, type ContractVersionId, type Expectation, type KeyInfo, type OperationName, type World } from '../contract/types.ts';
import { AWS_JSON_1_1, type WireRequest } from '../contract/wire.ts';
import { caseBypasses, caseMutation, caseOperation, caseRequest, caseSetup, replaceAll, type RunCase } from '../generators/cases.ts';
import type { GeneratorContext } from '../generators/context.ts';
import type { GeneratedCase } from '../generators/kinds.ts';
import { worldFromSetup } from '../generators/request-case.ts';
import type { CaseRecord, ExchangeRecord, Finding, Observation, RecordedRequest, Transport } from '../scoring/results.ts';
import { demandedReadAfterPut, observe, readAfterWriteFinding, scoreAnswer, scoreNoAnswer, summariseExpectation, type ScoredAnswer } from '../scoring/verdict.ts';
import { isUnsupported, samePolicy } from './endpoint.ts';
import { redactHeaders, redactText as redactWith } from '../scoring/redact.ts';
import { flatHeaders } from './transports.ts';
import { isRefusal, type Lease, type OpenTarget } from './target.ts';
import { sendSdk, type Exchange } from './transports.ts';

const redactText = (text: string, secrets: readonly string[]): string => redactWith(text, { secrets });

/** Operations that change a key when they succeed. */
export const MUTATING: ReadonlySet<string> = new Set(['PutKeyPolicy', 'EnableKey', 'DisableKey', 'ScheduleKeyDeletion', 'CancelKeyDeletion']);

/** What {@link executeCase} needs besides the case. */
export interface ExecuteOptions {
  readonly target: OpenTarget;
  readonly version: ContractVersionId;
  /** How long a read-after-write check polls for a change to show. */
  readonly convergeTimeoutMs: number;
  /** Secrets to scrub from anything recorded (the run's secret key and session token). */
  readonly secrets: readonly string[];
  /** Run lockout cases on a remote endpoint. */
  readonly allowLockout: boolean;
}

const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/** The case rewritten onto the keys and aliases the target built (placeholder ids → real ones). */
export function rebaseCase(c: GeneratedCase, pairs: readonly (readonly [string, string])[]): GeneratedCase {
  if (pairs.length === 0) return c;
  const map = (v: unknown): unknown => {
    if (typeof v === 'string') return replaceAll(v, pairs);
    if (Array.isArray(v)) return v.map(map);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, map(x)]));
    return v;
  };
  switch (c.kind) {
    case 'request':
      return { kind: 'request', value: { ...c.value, input: map(c.value.input) as Record<string, unknown> } };
    case 'valid-policy':
    case 'invalid-policy':
      return { kind: c.kind, value: { ...c.value, policy: replaceAll(c.value.policy, pairs) } };
    case 'wire':
      // Byte for byte: ids and alias names are ASCII, so latin1 keeps every other byte as it is.
      return { kind: 'wire', value: { ...c.value, body: new Uint8Array(Buffer.from(replaceAll(latin1(c.value.body), pairs), 'latin1')) } };
  }
}

/** Member values of a JSON body, keys sorted, for comparing what was sent with what was generated. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
  );
}

const decoder = new TextDecoder();

function sentJson(request: WireRequest): unknown {
  try {
    return JSON.parse(decoder.decode(request.body));
  } catch {
    return undefined;
  }
}

/** The raw request a request case is, as the `http` transport sends it (members as generated, nulls included). */
export function rawRequestOf(operation: OperationName, input: Readonly<Record<string, unknown>>): WireRequest {
  return { method: 'POST', path: '/', headers: { 'content-type': AWS_JSON_1_1, 'x-amz-target': targetOf(operation) }, body: new TextEncoder().encode(JSON.stringify(input)) };
}

/** A request as recorded: secrets redacted, body as text when it is UTF-8. */
export function recordRequest(r: WireRequest, secrets: readonly string[]): RecordedRequest {
  // Text when the bytes decode and re-encode unchanged: valid UTF-8 without a leading BOM (the
  // decoder would drop it).
  const b = r.body;
  const utf8 = isUtf8(b) && !(b[0] === UTF8_BOM[0] && b[1] === UTF8_BOM[1] && b[2] === UTF8_BOM[2]);
  const text = utf8 ? decoder.decode(b) : '';
  return {
    method: r.method,
    path: redactText(r.path, secrets),
    headers: redactHeaders(flatHeaders(r.headers), { secrets }),
    ...(utf8 ? { body: redactText(text, secrets) } : { bodyBase64: Buffer.from(r.body).toString('base64') }),
  };
}

/** One exchange as recorded. */
export function recordExchange(role: ExchangeRecord['role'], operation: string, transport: Transport, ex: Exchange, secrets: readonly string[]): ExchangeRecord {
  return {
    role,
    operation,
    transport,
    ...(ex.request ? { request: recordRequest(ex.request, secrets) } : {}),
    ...(ex.response ? { response: { status: ex.response.status, headers: redactHeaders(ex.response.headers, { secrets }), body: redactText(ex.response.body, secrets) } } : {}),
    ...(ex.failure === undefined ? {} : { failure: redactText(ex.failure, secrets) }),
    ...(ex.sdkError === undefined ? {} : { sdkError: ex.sdkError }),
    ms: Math.round(ex.ms * 10) / 10,
  };
}

/** The operation a wire case names in its X-Amz-Target (after any mutation), else the one it was built for. */
function wireOperation(c: GeneratedCase & { kind: 'wire' }): string {
  const t = Object.entries(c.value.headers).find(([k]) => k.toLowerCase() === 'x-amz-target')?.[1];
  return typeof t === 'string' && /\.(\w+)$/.test(t) ? /\.(\w+)$/.exec(t)![1]! : c.value.operation;
}

/** Alias names (`alias/…`) a case's request names anywhere. */
function aliasNamesOf(c: GeneratedCase): string[] {
  const text = c.kind === 'request' ? JSON.stringify(c.value.input) : c.kind === 'wire' ? latin1(c.value.body) : '';
  return [...new Set(text.match(/alias\/[A-Za-z0-9/_-]+/g) ?? [])];
}

/** Request members a case varies, for the per-member aggregate. */
function membersOf(c: GeneratedCase): string[] {
  if (c.kind === 'valid-policy' || c.kind === 'invalid-policy') return ['PutKeyPolicy.Policy'];
  const out = new Set<string>();
  for (const f of c.value.features) {
    const m = /^member:(\w+)\.(\w+)\./.exec(f);
    if (m) out.add(`${m[1]}.${m[2]}`);
    if (f.startsWith('keyId:') && !f.includes('.')) out.add(`${caseOperation(c)}.KeyId`);
  }
  return [...out];
}

interface Sent {
  readonly ex: Exchange;
  readonly expectation: Expectation | undefined;
  readonly sentNote?: string;
  readonly scoredAs?: CaseRecord['scoredAs'];
  readonly output?: OutputContext;
}

async function send(c: GeneratedCase, transport: Transport, lease: Lease, ctx: GeneratorContext, world: World, version: ContractVersionId): Promise<Sent> {
  const request = caseRequest(c, ctx);
  if (request !== undefined && transport === 'sdk') {
    const ex = await sendSdk(lease.sdk, request.operation, request.input);
    if (ex.request === undefined) return { ex, expectation: undefined };
    const output: OutputContext = { request: { operation: request.operation, input: request.input }, world };
    const asSent = sentJson(ex.request);
    if (canonical(asSent) === canonical(JSON.parse(JSON.stringify(request.input)))) {
      return { ex, expectation: expected(output.request, world, ctx.caller, version), scoredAs: { kind: 'request', operation: request.operation, input: request.input }, output };
    }
    // The SDK changed the request (it drops null and unknown members): score what it sent.
    const sentNote = `the SDK sent ${canonical(asSent)} for the generated ${canonical(request.input)}`.slice(0, 2000);
    return { ex, expectation: expectedWire(ex.request, world, ctx.caller, version, { maxBodyBytes: lease.maxBodyBytes }), sentNote, scoredAs: { kind: 'wire' }, output };
  }
  if (request !== undefined) {
    const ex = await lease.raw(rawRequestOf(request.operation, request.input));
    const output: OutputContext = { request: { operation: request.operation, input: request.input }, world };
    return { ex, expectation: expected(output.request, world, ctx.caller, version), scoredAs: { kind: 'request', operation: request.operation, input: request.input }, output };
  }
  if (c.kind !== 'wire') throw new Error(`[kms-conformance] internal error: a ${c.kind} case has no request`);
  const w = c.value;
  const ex = await lease.raw({ method: w.method, path: w.path, headers: w.headers, body: w.body });
  if (ex.request === undefined) return { ex, expectation: undefined };
  // Score the bytes that went out, minus the run's own signature headers (the oracle judges the case, not our signing).
  const judged: WireRequest = { ...ex.request, headers: Object.fromEntries(Object.entries(ex.request.headers).filter(([k]) => !/^(authorization|x-amz-date|x-amz-content-sha256|x-amz-security-token)$/i.test(k) || Object.keys(w.headers).some((h) => h.toLowerCase() === k.toLowerCase()))) };
  const sentNote = ex.request.body.length === w.body.length ? undefined : `the ${w.method} request went out without its ${w.body.length}-byte body (Fetch sends no body on GET/HEAD)`;
  return { ex, expectation: expectedWire(judged, world, ctx.caller, version, { maxBodyBytes: lease.maxBodyBytes }), scoredAs: { kind: 'wire' }, ...(sentNote === undefined ? {} : { sentNote }) };
}

interface AfterCheck {
  readonly findings: Finding[];
  readonly exchanges: ExchangeRecord[];
  readonly ruleIds: string[];
  readonly convergeMs?: number;
  readonly error?: string;
}

/**
 * After a successful change, reads the key back until the change shows (PutKeyPolicy: the policy
 * in force; Enable/Disable/Schedule/CancelKeyDeletion: the key state), at most `timeoutMs`.
 */
export async function checkAfter(caseId: string, op: string, input: Readonly<Record<string, unknown>>, before: KeyInfo, lease: Lease, timeoutMs: number, secrets: readonly string[], scoring: { world: World; caller: Caller; version: ContractVersionId }): Promise<AfterCheck> {
  const started = Date.now();
  const exchanges: ExchangeRecord[] = [];
  const policyCheck = op === 'PutKeyPolicy' && typeof input.Policy === 'string';
  const states = statesAfter(op as OperationName, before);
  if (!policyCheck && states === undefined) return { findings: [], exchanges, ruleIds: [] };
  const readOp = policyCheck ? 'GetKeyPolicy' : 'DescribeKey';
  const readInput = policyCheck ? { KeyId: before.keyId, PolicyName: 'default' } : { KeyId: before.keyId };
  if (policyCheck) {
    // The new policy may deny the caller the read itself (a bypassed lockout): then the answer the
    // new policy demands for GetKeyPolicy is what shows it is in force.
    const e = demandedReadAfterPut(scoring.world, before, input.Policy as string, scoring.caller, scoring.version);
    if (e !== undefined) return checkReadDemanded(caseId, e, readInput, lease, timeoutMs, secrets, started);
  }
  let last: { after: KeyInfo; ex: Exchange } | undefined;
  let lastFailure = '';
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    const ex = await sendSdk(lease.sdk, readOp, readInput);
    if (ex.response && ex.response.status >= 200 && ex.response.status < 300 && ex.output) {
      const after: KeyInfo = policyCheck
        ? { ...before, policy: typeof ex.output.Policy === 'string' ? ex.output.Policy : '' }
        : { ...before, state: ((ex.output.KeyMetadata as { KeyState?: KeyInfo['state'] } | undefined)?.KeyState ?? before.state) };
      last = { after, ex };
      if (checkTransition(op as OperationName, input, before, after).length === 0) {
        exchanges.push(recordExchange('check', readOp, 'sdk', ex, secrets));
        const ruleIds = policyCheck ? ['PutKeyPolicy.after.policy'] : [`KeyState.after.${op}`];
        return { findings: [], exchanges, ruleIds, convergeMs: Date.now() - started };
      }
    } else {
      lastFailure = ex.response ? `${readOp} answered ${ex.response.status} ${observe(ex.response).code ?? ''}`.trim() : `${readOp} got no answer (${ex.failure ?? 'unknown'})`;
      if (Date.now() - started > timeoutMs) {
        exchanges.push(recordExchange('check', readOp, 'sdk', ex, secrets));
        const ruleId = policyCheck ? 'PutKeyPolicy.after.policy' : `KeyState.after.${op}`;
        return { findings: [readAfterWriteFinding(caseId, ruleId, 'not_converged', policyCheck ? 'the policy just put' : `state ${states!.join(' or ')}`, lastFailure, `After a successful ${op}, ${readOp} did not answer successfully within ${timeoutMs} ms (${lastFailure}).`)], exchanges, ruleIds: [ruleId] };
      }
    }
    if (Date.now() - started + delay > timeoutMs && last) {
      exchanges.push(recordExchange('check', readOp, 'sdk', last.ex, secrets));
      const v = checkTransition(op as OperationName, input, before, last.after)[0]!;
      const stale = policyCheck ? samePolicy(last.after.policy, before.policy) : last.after.state === before.state;
      const seen = policyCheck ? `policy ${JSON.stringify(last.after.policy.slice(0, 200))}` : `state ${last.after.state}`;
      const code = stale ? 'not_converged' : 'state_mismatch';
      const msg = stale ? `${v.message} After ${timeoutMs} ms ${readOp} still shows what was there before the change.` : `${v.message} ${readOp} shows ${seen}.`;
      return { findings: [readAfterWriteFinding(caseId, v.ruleId, code, policyCheck ? 'the policy just put' : `state ${states!.join(' or ')}`, seen, msg)], exchanges, ruleIds: [v.ruleId] };
    }
    await sleep(delay);
  }
}

/** Polls GetKeyPolicy until it answers what the new policy demands (an error such as AccessDenied). */
async function checkReadDemanded(caseId: string, e: Expectation & { kind: 'decided' }, readInput: Record<string, unknown>, lease: Lease, timeoutMs: number, secrets: readonly string[], started: number): Promise<AfterCheck> {
  const ruleId = 'PutKeyPolicy.after.policy';
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    const ex = await sendSdk(lease.sdk, 'GetKeyPolicy', readInput);
    const o = ex.response ? observe(ex.response) : undefined;
    // An error the client cannot read says nothing about the policy in force: it breaks the error shape.
    if (o !== undefined && (o.status < 200 || o.status >= 300) && o.code === undefined) {
      return {
        findings: [readAfterWriteFinding(caseId, 'Wire.error.shape', 'malformed_error_response', 'an AWS JSON error', `${o.status} (unreadable error)`, `The read after PutKeyPolicy answered ${o.status} with an error the client cannot read.`)],
        exchanges: [recordExchange('check', 'GetKeyPolicy', 'sdk', ex, secrets)],
        ruleIds: ['Wire.error.shape'],
      };
    }
    const seen: ObservedOutcome | undefined = o === undefined ? undefined : o.status >= 200 && o.status < 300 ? { kind: 'success', status: o.status } : { kind: 'error', status: o.status, code: o.code ?? '' };
    if (seen !== undefined && accepts(e, seen) === true) {
      {
        return { findings: [], exchanges: [recordExchange('check', 'GetKeyPolicy', 'sdk', ex, secrets)], ruleIds: [ruleId], convergeMs: Date.now() - started };
      }
    }
    if (Date.now() - started + delay > timeoutMs) {
      const wanted = e.outcomes.map((x) => (x.kind === 'success' ? 'success' : x.code)).join(' | ');
      const got = o === undefined ? `no answer (${ex.failure ?? 'unknown'})` : `${o.status} ${o.code ?? 'success'}`;
      return {
        findings: [readAfterWriteFinding(caseId, ruleId, 'state_mismatch', `GetKeyPolicy answering ${wanted} under the new policy`, got, `After a successful PutKeyPolicy the new policy denies the caller GetKeyPolicy, so the read must answer ${wanted}; within ${timeoutMs} ms it answered ${got}, so the new policy is not in force.`)],
        exchanges: [recordExchange('check', 'GetKeyPolicy', 'sdk', ex, secrets)],
        ruleIds: [ruleId],
      };
    }
    await sleep(delay);
  }
}

/** Whether the contract accepts an answer (the oracle's `accepts` on what was observed). */
export function acceptsObserved(e: Expectation, o: Observation & { kind: 'response' }): boolean | undefined {
  return accepts(e, o.status >= 200 && o.status < 300 ? { kind: 'success', status: o.status } : { kind: 'error', status: o.status, code: o.code ?? '' });
}

/** The id and ARN of the key a CreateKey answer describes (its SDK output, else its body), if any. */
export function createdKeyOf(ex: Exchange & { output?: Record<string, unknown> }): { keyId: string; arn: string } | undefined {
  let meta = ex.output?.KeyMetadata as { KeyId?: unknown; Arn?: unknown } | undefined;
  if (meta === undefined && ex.response !== undefined) {
    try {
      meta = (JSON.parse(ex.response.body) as { KeyMetadata?: { KeyId?: unknown; Arn?: unknown } }).KeyMetadata;
    } catch {
      // not JSON: no key (and the output rules report the body)
    }
  }
  return typeof meta?.KeyId === 'string' && typeof meta.Arn === 'string' ? { keyId: meta.KeyId, arn: meta.Arn } : undefined;
}

/** A key a successful CreateKey case made is the run's to clean up (whatever the verdict). */
function adoptCreatedKey(ex: Exchange, lease: Lease): void {
  const r = ex.response;
  if (r === undefined || r.status < 200 || r.status >= 300 || ex.request === undefined) return;
  if (!/\.CreateKey$/.test(String(Object.entries(ex.request.headers).find(([k]) => k.toLowerCase() === 'x-amz-target')?.[1] ?? ''))) return;
  const key = createdKeyOf(ex);
  if (key !== undefined) lease.adopt(key);
}

/** The verdict parts of a record, from a scored answer. */
function verdictFields(s: ScoredAnswer): Pick<CaseRecord, 'verdict' | 'ruleIds' | 'findings' | 'reason'> {
  switch (s.verdict) {
    case 'pass':
      return { verdict: 'pass', ruleIds: s.ruleIds };
    case 'fail':
      return { verdict: 'fail', ruleIds: s.ruleIds, findings: s.findings };
    case 'unspecified':
      return { verdict: 'unspecified', ruleIds: s.ruleIds, reason: s.reason };
  }
}

/** The fields every record of a case carries, before it runs. */
export function baseRecord(rc: RunCase, transport: Transport): Omit<CaseRecord, 'verdict' | 'ruleIds' | 'exchanges' | 'ms'> {
  const c = rc.case;
  const mutation = caseMutation(c);
  const members = membersOf(c);
  return {
    id: `${rc.id}/${transport}`,
    source: rc.source,
    transport,
    operation: c.kind === 'wire' ? wireOperation(c) : caseOperation(c),
    ...(rc.exampleOf === undefined ? {} : { exampleOf: rc.exampleOf }),
    label: c.value.label,
    ...(mutation === undefined ? {} : { mutation }),
    ...(members.length > 0 ? { members } : {}),
    ...(rc.origin === undefined ? {} : { origin: rc.origin }),
  };
}

/** Why a case cannot run on a target at all (before any lease), or `undefined`. */
export function cannotRun(rc: RunCase, transport: Transport, target: OpenTarget, allowLockout: boolean): string | undefined {
  if (rc.skip !== undefined) return rc.skip;
  if (rc.case.kind === 'wire' && transport === 'sdk') return 'wire cases are raw bytes; the SDK cannot send them';
  if (caseBypasses(rc.case) && target.remote && !allowLockout) return 'the case sets BypassPolicyLockoutSafetyCheck: true and may lock the caller out of its key; on a remote endpoint it runs only with --allow-lockout';
  return undefined;
}

/** Runs one case through one transport and returns its record. Never throws. */
export async function executeCase(rc: RunCase, transport: Transport, o: ExecuteOptions): Promise<CaseRecord> {
  const started = performance.now();
  const base = baseRecord(rc, transport);
  const ms = (): number => Math.round(performance.now() - started);
  const skip = cannotRun(rc, transport, o.target, o.allowLockout);
  if (skip !== undefined) return { ...base, verdict: 'skip', ruleIds: rc.exampleOf ? [rc.exampleOf] : [], reason: skip, exchanges: [], ms: 0 };
  const ctx = o.target.context;
  const operation = base.operation;
  const lockout = caseBypasses(rc.case);
  let lease;
  try {
    lease = await o.target.lease(caseSetup(rc.case), { mutates: MUTATING.has(operation), lockout, createsKey: operation === 'CreateKey', aliasNames: aliasNamesOf(rc.case) });
  } catch (e) {
    return { ...base, verdict: 'error', stage: 'setup', ruleIds: [], reason: redactText(e instanceof Error ? e.message : String(e), o.secrets), exchanges: [], ms: ms() };
  }
  if (isRefusal(lease)) {
    return { ...base, verdict: lease.kind, ...(lease.kind === 'error' ? { stage: 'setup' as const } : {}), ruleIds: rc.exampleOf ? [rc.exampleOf] : [], reason: redactText(lease.reason, o.secrets), exchanges: [], ms: ms() };
  }
  let dirty = MUTATING.has(operation);
  try {
    const c = rebaseCase(rc.case, lease.pairs);
    const world = worldFromSetup(lease.setup, ctx);
    const sent = await send(c, transport, lease, ctx, world, o.version);
    const exchanges = [recordExchange('case', operation, transport, sent.ex, o.secrets)];
    const common = { ...base, setup: lease.record, exchanges, ...(sent.sentNote === undefined ? {} : { sentNote: sent.sentNote }), ...(sent.scoredAs === undefined ? {} : { scoredAs: sent.scoredAs }) };
    if (sent.expectation === undefined) return { ...common, verdict: 'error', stage: 'send', ruleIds: [], reason: `nothing was sent: ${sent.ex.failure ?? 'unknown reason'}`, ms: ms() };
    const expectedSummary = summariseExpectation(sent.expectation);
    if (sent.ex.response === undefined) {
      const reason = sent.ex.failure ?? 'no response';
      return { ...common, expected: expectedSummary, observed: { kind: 'no-response', reason }, ...verdictFields(scoreNoAnswer(common.id, sent.expectation, reason)), ms: ms() };
    }
    const observed = observe(sent.ex.response, sent.ex.sdkError);
    adoptCreatedKey(sent.ex, lease);
    // A companion operation the target does not have at all: the case cannot say anything about it.
    if (operation !== 'PutKeyPolicy' && (OPERATIONS as readonly string[]).includes(operation) && isUnsupported(sent.ex) && acceptsObserved(sent.expectation, observed) === false) {
      return { ...common, expected: expectedSummary, observed, verdict: 'skip', ruleIds: [], reason: `the target lacks ${operation} (it answered ${observed.status} ${observed.code ?? ''}${observed.message ? `: ${observed.message}` : ''})`.slice(0, 500), ms: ms() };
    }
    const scored = scoreAnswer(common.id, sent.expectation, operation, sent.ex.response, observed, sent.output, o.version);
    const success = sent.ex.response.status >= 200 && sent.ex.response.status < 300;
    dirty = MUTATING.has(operation) && (success || observed.code === undefined);
    let fields = verdictFields(scored);
    let convergeMs: number | undefined;
    // A successful change is read back; only a case whose answer passed is checked further (a failed one is already blamed).
    const input = sent.scoredAs?.kind === 'request' ? sent.scoredAs.input : undefined;
    if (success && scored.verdict !== 'fail' && input !== undefined && MUTATING.has(operation) && typeof input.KeyId === 'string') {
      const r = resolveKey(input.KeyId, world, operation as OperationName);
      if (r.kind === 'found') {
        const after = await checkAfter(common.id, operation, input, r.key, lease, o.convergeTimeoutMs, o.secrets, { world, caller: ctx.caller, version: o.version });
        exchanges.push(...after.exchanges);
        convergeMs = after.convergeMs;
        if (after.findings.length > 0) fields = { verdict: 'fail', ruleIds: [...new Set(after.findings.flatMap((f) => f.ruleIds))], findings: after.findings };
        else fields = { ...fields, ruleIds: [...new Set([...fields.ruleIds, ...after.ruleIds])] };
      }
    }
    return { ...common, expected: expectedSummary, observed, ...fields, ...(convergeMs === undefined ? {} : { convergeMs }), ms: ms() };
  } catch (e) {
    return { ...base, verdict: 'error', stage: 'harness', ruleIds: [], reason: redactText(e instanceof Error ? (e.stack ?? e.message) : String(e), o.secrets), exchanges: [], ms: ms() };
  } finally {
    await lease.release(dirty);
  }
}
