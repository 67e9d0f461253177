/**
 * Re-scoring a `results.json` offline, without the target: every verdict is computed again from
 * what the file recorded (the request as sent, the keys it ran on, the answer), with the current
 * contract. Nothing the file says about verdicts is trusted; what changed is reported with the
 * reason: the contract changed (a rule added, an outcome widened or narrowed), or the recorded
 * verdict does not follow from the recorded exchange (the file was edited).
 */
import { createHash } from 'node:crypto';
import { accepts, expected, expectedWire } from '../contract/oracle.ts';
import { resolveKey } from '../contract/keyid.ts';
import { DEFAULT_KEY_POLICY, createPrincipalDirectory } from '../contract/policy/index.ts';
import { checkTransition, KEPT_POLICY_RULE, statesAfter } from '../contract/transitions.ts';
import type { Caller, ContractVersionId, Expectation, KeyInfo, KnownPrincipal, OperationName, World } from '../contract/types.ts';
import { DEFAULT_MAX_BODY_BYTES, type WireRequest } from '../contract/wire.ts';
import { catalogueHash } from './aggregate.ts';
import { BlameCounts } from './blame.ts';
import type { CaseRecord, ExchangeRecord, ExpectedSummary, Finding, RecordedRequest, RunSummary, SequenceStepRecord, Verdict } from './results.ts';
import { demandedReadAfterPut, describeOutcomes, observe, readAfterWriteFinding, scoreAnswer, scoreNoAnswer, sequenceVerdict, summariseExpectation, type ScoredAnswer } from './verdict.ts';

/** One case whose verdict or rules came out differently. */
export interface RescoreChange {
  readonly id: string;
  readonly before: { readonly verdict: Verdict; readonly ruleIds: readonly string[] };
  readonly after: { readonly verdict: Verdict; readonly ruleIds: readonly string[] };
  /** Why, in one sentence each (a rule added, an outcome widened, an edited verdict, …). */
  readonly reasons: readonly string[];
}

/** What {@link rescore} found. */
export interface RescoreReport {
  readonly version: ContractVersionId;
  /** Whether the rule catalogue of that version is the one the run was scored with. */
  readonly sameCatalogue: boolean;
  readonly checked: number;
  /** Cases that could not be scored again (no exchange recorded: skips and errors keep their verdict). */
  readonly kept: number;
  readonly changes: readonly RescoreChange[];
  /** Records rescored (verdict, rules, findings as the current contract gives them). */
  readonly records: readonly CaseRecord[];
}

const SIGNING_HEADERS = /^(authorization|x-amz-date|x-amz-content-sha256|x-amz-security-token)$/i;

function bodyOf(r: RecordedRequest): Uint8Array {
  return r.bodyBase64 !== undefined ? new Uint8Array(Buffer.from(r.bodyBase64, 'base64')) : new TextEncoder().encode(r.body ?? '');
}

/** The world a record was scored in: the run's account, Region and principals, and the keys it ran on. */
export function worldOfRecord(record: CaseRecord, summary: Pick<RunSummary, 'world'>): World {
  const w = summary.world;
  const def = DEFAULT_KEY_POLICY(w.accountId, w.partition);
  const keys: KeyInfo[] = (record.setup?.keys ?? []).map((k) => ({
    keyId: k.keyId,
    arn: k.arn,
    accountId: w.accountId,
    region: k.region,
    state: k.state as KeyInfo['state'],
    keyManager: k.keyManager,
    multiRegion: k.multiRegion,
    policy: k.policy ?? def,
  }));
  const aliases = (record.setup?.aliases ?? []).map((a) => ({ name: a.name, arn: `arn:${w.partition}:kms:${w.region}:${w.accountId}:${a.name}`, targetKeyId: a.targetKeyId }));
  return {
    partition: w.partition,
    accountId: w.accountId,
    region: w.region,
    keys,
    aliases,
    principals: createPrincipalDirectory({ accountId: w.accountId, partition: w.partition, principals: w.principals as KnownPrincipal[] }),
  };
}

function callerOf(summary: Pick<RunSummary, 'world'>): Caller {
  return { arn: summary.world.callerArn, accountId: summary.world.accountId, iam: { kind: 'known', actions: ['*'] } };
}

function expectationOf(record: CaseRecord, world: World, caller: Caller, version: ContractVersionId): Expectation | undefined {
  const sent = record.exchanges.find((e) => e.role === 'case')?.request;
  if (record.scoredAs?.kind === 'request') return expected({ operation: record.scoredAs.operation as OperationName, input: record.scoredAs.input }, world, caller, version);
  if (sent === undefined) return undefined;
  const headers = record.transport === 'http' ? Object.fromEntries(Object.entries(sent.headers).filter(([k]) => !SIGNING_HEADERS.test(k))) : sent.headers;
  const wire: WireRequest = { method: sent.method, path: sent.path, headers, body: bodyOf(sent) };
  return expectedWire(wire, world, caller, version, { maxBodyBytes: DEFAULT_MAX_BODY_BYTES });
}

/** The read-after-write check of a recorded success, recomputed from its recorded read. */
function recheck(record: CaseRecord, world: World, caller: Caller, version: ContractVersionId): { findings: Finding[]; ruleIds: string[] } | undefined {
  const check = record.exchanges.filter((e) => e.role === 'check').at(-1);
  const input = record.scoredAs?.kind === 'request' ? record.scoredAs.input : undefined;
  if (check?.response === undefined || input === undefined || typeof input.KeyId !== 'string') return undefined;
  const op = record.operation as OperationName;
  const found = resolveKey(input.KeyId, world, op);
  if (found.kind !== 'found') return undefined;
  const before = found.key;
  const r = check.response;
  const ok = r.status >= 200 && r.status < 300;
  if (op === 'PutKeyPolicy' && typeof input.Policy === 'string') {
    const ruleId = 'PutKeyPolicy.after.policy';
    const demanded = demandedReadAfterPut(world, before, input.Policy, caller, version);
    if (demanded !== undefined) {
      const o = observe(r);
      const fine = accepts(demanded, ok ? { kind: 'success', status: r.status } : { kind: 'error', status: r.status, code: o.code ?? '' }) === true;
      return fine ? { findings: [], ruleIds: [ruleId] } : { findings: [readAfterWriteFinding(record.id, ruleId, 'state_mismatch', describeOutcomes(demanded.outcomes), `${r.status} ${o.code ?? ''}`, 'The read after PutKeyPolicy does not answer what the new policy demands.')], ruleIds: [ruleId] };
    }
    if (!ok) return { findings: [readAfterWriteFinding(record.id, ruleId, 'not_converged', 'the policy just put', `${r.status}`, 'The read after PutKeyPolicy never succeeded.')], ruleIds: [ruleId] };
    let policy = '';
    try {
      policy = String((JSON.parse(r.body) as { Policy?: unknown }).Policy ?? '');
    } catch {
      policy = '';
    }
    const v = checkTransition(op, input, before, { ...before, policy });
    return { findings: v.map((x) => readAfterWriteFinding(record.id, x.ruleId, 'state_mismatch', 'the policy just put', policy.slice(0, 200), x.message)), ruleIds: [ruleId] };
  }
  if (!ok) return undefined;
  let state: string | undefined;
  try {
    state = (JSON.parse(r.body) as { KeyMetadata?: { KeyState?: string } }).KeyMetadata?.KeyState;
  } catch {
    state = undefined;
  }
  const v = checkTransition(op, input, before, { ...before, state: (state ?? before.state) as KeyInfo['state'] });
  return { findings: v.map((x) => readAfterWriteFinding(record.id, x.ruleId, 'state_mismatch', 'the state after the change', String(state), x.message)), ruleIds: [`KeyState.after.${op}`] };
}

function fields(s: ScoredAnswer): Pick<CaseRecord, 'verdict' | 'ruleIds' | 'findings' | 'reason'> {
  return s.verdict === 'fail' ? { verdict: 'fail', ruleIds: s.ruleIds, findings: s.findings } : s.verdict === 'unspecified' ? { verdict: 'unspecified', ruleIds: s.ruleIds, reason: s.reason } : { verdict: 'pass', ruleIds: s.ruleIds };
}

/** The operations that change a key's state (each keeps its policy, `KeyState.after.policy`). */
const STATE_CHANGES: ReadonlySet<string> = new Set(['DisableKey', 'EnableKey', 'ScheduleKeyDeletion', 'CancelKeyDeletion']);

/** The policy-kept check of a recorded state change (the GetKeyPolicy read after it), recomputed. */
function recheckPolicyKept(step: SequenceStepRecord, checks: readonly ExchangeRecord[], world: World, caseId: string): { findings: Finding[]; ruleIds: string[] } | undefined {
  const read = checks.filter((e) => e.operation === 'GetKeyPolicy').at(-1);
  const keyId = step.input.KeyId;
  if (read?.response === undefined || typeof keyId !== 'string') return undefined;
  const op = step.operation as OperationName;
  const found = resolveKey(keyId, world, op);
  const states = found.kind === 'found' ? statesAfter(op, found.key) : undefined;
  if (found.kind !== 'found' || states === undefined) return undefined;
  let policy: string | undefined;
  try {
    const p = (JSON.parse(read.response.body) as { Policy?: unknown }).Policy;
    policy = typeof p === 'string' ? p : undefined;
  } catch {
    policy = undefined;
  }
  const ok = read.response.status >= 200 && read.response.status < 300 && policy !== undefined;
  const v = ok ? checkTransition(op, step.input, found.key, { ...found.key, state: states[0]!, policy: policy! }).filter((x) => x.ruleId === KEPT_POLICY_RULE) : [];
  if (ok && v.length === 0) return { findings: [], ruleIds: [KEPT_POLICY_RULE] };
  const seen = ok ? `policy ${JSON.stringify(policy!.slice(0, 200))}` : `${read.response.status}`;
  return { findings: [readAfterWriteFinding(caseId, KEPT_POLICY_RULE, ok ? 'state_mismatch' : 'not_converged', 'the policy in force before the change', seen, v[0]?.message ?? `After ${op}, GetKeyPolicy never answered the policy in force.`)], ruleIds: [KEPT_POLICY_RULE] };
}

/**
 * Scores a recorded sequence again, step by step, each on the state recorded before it (what the
 * contract said the steps before left). The sequence ends at the first step that fails now; steps
 * that were never sent cannot be scored, so a sequence whose failing step passes now ends there.
 */
function rescoreSequence(record: CaseRecord & { sequence: NonNullable<CaseRecord['sequence']> }, summary: Pick<RunSummary, 'world'>, version: ContractVersionId): CaseRecord | undefined {
  const steps: SequenceStepRecord[] = [];
  let failing: number | undefined;
  for (const step of record.sequence.steps) {
    if (step.verdict === 'error') return undefined;
    if (step.verdict === 'skip') {
      steps.push(step);
      continue;
    }
    const exchanges = step.exchanges.map((i) => record.exchanges[i]).filter((e): e is ExchangeRecord => e !== undefined);
    const sent = exchanges.find((e) => e.role === 'step');
    const checks = exchanges.filter((e) => e.role === 'check');
    const transition = STATE_CHANGES.has(step.operation);
    const stateChecks = transition ? checks.filter((e) => e.operation !== 'GetKeyPolicy') : checks;
    const pseudo: CaseRecord = {
      id: record.id,
      source: record.source,
      transport: record.transport,
      operation: step.operation,
      verdict: step.verdict,
      ruleIds: step.ruleIds,
      scoredAs: { kind: 'request', operation: step.operation, input: step.input },
      setup: step.before,
      exchanges: [...(sent === undefined ? [] : [{ ...sent, role: 'case' as const }]), ...stateChecks],
      ms: 0,
    };
    let again = rescoreRecord(pseudo, summary, version);
    if (again === undefined) return undefined;
    if (again.verdict !== 'fail' && transition && checks.length > stateChecks.length) {
      const kept = recheckPolicyKept(step, checks, worldOfRecord(pseudo, summary), record.id);
      if (kept !== undefined && kept.findings.length > 0) again = { ...again, verdict: 'fail', ruleIds: kept.ruleIds, findings: kept.findings };
      else if (kept !== undefined) again = { ...again, ruleIds: [...new Set([...again.ruleIds, ...kept.ruleIds])] };
    }
    const { reason: _r, findings, ...fresh } = again;
    steps.push({ ...step, verdict: fresh.verdict as SequenceStepRecord['verdict'], ruleIds: fresh.ruleIds, ...(fresh.expected === undefined ? {} : { expected: fresh.expected }), ...(findings === undefined ? {} : { findings }) });
    if (fresh.verdict === 'fail') {
      failing = steps.length - 1;
      break;
    }
  }
  const { findings: _f, reason: _r, waived: _w, ...rest } = record;
  const { failingStep: _fs, ...kept } = record.sequence;
  const sequence = { ...kept, steps, ...(failing === undefined ? {} : { failingStep: failing }) };
  const f = failing === undefined ? undefined : steps[failing]!;
  if (f !== undefined) return { ...rest, sequence, operation: f.operation, verdict: 'fail', ruleIds: f.ruleIds, ...(f.expected ? { expected: f.expected } : {}), findings: f.findings ?? [] };
  return sequenceVerdict(steps, { ...rest, sequence }, [...new Set(steps.filter((x) => x.verdict === 'pass').flatMap((x) => x.ruleIds))]);
}

/** Scores one recorded case again (before blame). `undefined` when it has nothing to score. */
export function rescoreRecord(record: CaseRecord, summary: Pick<RunSummary, 'world'>, version: ContractVersionId): CaseRecord | undefined {
  if (record.verdict === 'skip' || record.verdict === 'error') return undefined;
  if (record.sequence !== undefined) return rescoreSequence(record as CaseRecord & { sequence: NonNullable<CaseRecord['sequence']> }, summary, version);
  const world = worldOfRecord(record, summary);
  const caller = callerOf(summary);
  const e = expectationOf(record, world, caller, version);
  if (e === undefined) return undefined;
  const answer = record.exchanges.find((x) => x.role === 'case');
  const scored = answer?.response === undefined ? scoreNoAnswer(record.id, e, answer?.failure ?? 'no response') : scoreAnswer(record.id, e, record.operation, answer.response, observe(answer.response, answer.sdkError), record.scoredAs?.kind === 'request' ? { request: { operation: record.scoredAs.operation as OperationName, input: record.scoredAs.input }, world } : undefined, version);
  let f = fields(scored);
  if (f.verdict !== 'fail') {
    const after = recheck(record, world, caller, version);
    if (after !== undefined && after.findings.length > 0) f = { verdict: 'fail', ruleIds: [...new Set(after.findings.flatMap((x) => x.ruleIds))], findings: after.findings };
    else if (after !== undefined) f = { ...f, ruleIds: [...new Set([...f.ruleIds, ...after.ruleIds])] };
  }
  const { findings: _f, reason: _r, waived: _w, ...rest } = record;
  return { ...rest, expected: summariseExpectation(e), ...f };
}

function sameExpected(a: ExpectedSummary | undefined, b: ExpectedSummary | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function reasonsFor(before: CaseRecord, after: CaseRecord, sameCatalogue: boolean): string[] {
  const out: string[] = [];
  if (!sameExpected(before.expected, after.expected)) {
    const was = before.expected?.kind === 'decided' ? describeOutcomes(before.expected.outcomes) : before.expected?.kind ?? 'nothing';
    const now = after.expected?.kind === 'decided' ? describeOutcomes(after.expected.outcomes) : after.expected?.kind ?? 'nothing';
    out.push(`the contract's expected outcome changed: ${was} → ${now}${sameCatalogue ? '' : ' (the rule catalogue differs from the one the run used)'}`);
  }
  const added = after.ruleIds.filter((r) => !before.ruleIds.includes(r));
  const gone = before.ruleIds.filter((r) => !after.ruleIds.includes(r));
  if (added.length > 0) out.push(`rules now involved: ${added.join(', ')}`);
  if (gone.length > 0) out.push(`rules no longer involved: ${gone.join(', ')}`);
  if (out.length === 0 || (sameExpected(before.expected, after.expected) && before.verdict !== after.verdict)) {
    out.push(`the recorded verdict ${before.verdict} does not follow from the recorded exchange, which scores ${after.verdict} under the same expectation: the file was edited, or scored by another tool`);
  }
  return out;
}

/**
 * Re-scoring a results file fed one case at a time in two passes, so that a file of any size is
 * re-scored in memory bounded by the rules and the changes found, not by the cases:
 * {@link Rescorer.note} every case (blame is settled over the whole run, as a run does), then
 * {@link Rescorer.check} every case again in the same order, then {@link Rescorer.report}.
 * {@link rescore} does the same over cases held in memory.
 */
export class Rescorer {
  private readonly version: ContractVersionId;
  private readonly sameCatalogue: boolean;
  private readonly blame = new BlameCounts();
  private settle: ((record: CaseRecord) => CaseRecord) | undefined;
  private readonly changes: RescoreChange[] = [];
  private checked = 0;
  private kept = 0;

  constructor(private readonly summary: RunSummary) {
    this.version = summary.contract.version;
    this.sameCatalogue = summary.contract.catalogueHash === catalogueHash(this.version);
  }

  /** Pass 1: one case of the file, in the file's order. */
  note(record: CaseRecord): void {
    if (this.settle !== undefined) throw new Error('Rescorer.note: the second pass (check) has begun');
    const r = rescoreRecord(record, this.summary, this.version);
    if (r?.verdict === 'pass') this.blame.passed(r.ruleIds);
    if (r?.verdict === 'fail') this.blame.failed(r);
  }

  /** Pass 2: the same case again; returns it as the current contract scores it (the recorded one when it cannot be scored again). */
  check(before: CaseRecord): CaseRecord {
    this.settle ??= this.blame.settlement();
    const f = rescoreRecord(before, this.summary, this.version);
    if (f === undefined) {
      this.kept++;
      return before;
    }
    this.checked++;
    const after = f.verdict === 'fail' ? this.settle(f) : f;
    const sameRules = [...before.ruleIds].sort().join('\n') === [...after.ruleIds].sort().join('\n');
    if (before.verdict !== after.verdict || !sameRules) this.changes.push({ id: before.id, before: { verdict: before.verdict, ruleIds: before.ruleIds }, after: { verdict: after.verdict, ruleIds: after.ruleIds }, reasons: reasonsFor(before, after, this.sameCatalogue) });
    return after;
  }

  /** What the two passes found (without the records: {@link rescore} adds them). */
  report(): Omit<RescoreReport, 'records'> {
    return { version: this.version, sameCatalogue: this.sameCatalogue, checked: this.checked, kept: this.kept, changes: this.changes };
  }
}

/**
 * Re-scores every case of a results file with the current contract (the file's contract version),
 * settles blame over the whole run as a run does, and reports each case whose verdict or rules
 * changed, with why.
 */
export function rescore(summary: RunSummary, cases: readonly CaseRecord[]): RescoreReport {
  const r = new Rescorer(summary);
  for (const c of cases) r.note(c);
  const records = cases.map((c) => r.check(c));
  return { ...r.report(), records };
}

/** A content hash of files (path and bytes), for `tool.contentHash`. */
export function contentHash(files: readonly { readonly path: string; readonly bytes: Uint8Array }[]): string {
  const h = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    h.update(f.path);
    h.update('\0');
    h.update(f.bytes);
  }
  return `sha256:${h.digest('hex')}`;
}
