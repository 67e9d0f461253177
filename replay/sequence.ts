/**
 * Stateful sequences against the live target: model-based testing with fast-check's
 * `fc.commands`. Each step (`generators/sequence.ts`) is a command whose precondition reads the
 * model (the keys and aliases as the contract says the steps before left them); it runs against
 * the target through the run's target interface (its own keys, leased and cleaned up like any
 * case's), its answer is scored by the oracle on the model's world, a successful change is read
 * back (the read-after-write checks of single cases, plus the policy kept across a state change,
 * `KeyState.after.policy`), and the model advances only along what the contract says happened
 * (where it allows several answers, along the one the target gave).
 *
 * The first failing step ends the sequence: later steps would be scored against a state the
 * target already broke. A failing sequence is shrunk by fast-check's own shrinking of
 * `fc.commands`, each candidate sent to the target again, and kept only while it fails on the
 * same rule, within the run's shrink budget.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { aliasArn, keyArn } from '../contract/identities.ts';
import { expected } from '../contract/oracle.ts';
import { DEFAULT_KEY_POLICY } from '../contract/policy/index.ts';
import { checkTransition, KEPT_POLICY_RULE, samePolicyText, statesAfter } from '../contract/transitions.ts';
import type { AliasInfo, KeyInfo, OperationName, World } from '../contract/types.ts';
import type { GeneratorContext } from '../generators/context.ts';
import { replaceAll } from '../generators/cases.ts';
import { describeStep, MAX_SEQUENCE_STEPS, SEQUENCE_ALIAS_NAMES, SEQUENCE_KEYS, SEQUENCE_SETUP, sequenceAliasName, sequenceSeed, sequenceStepArbitraries, stepKey, stepRequest, type SequenceStep } from '../generators/sequence.ts';
import { directoryFor } from '../generators/verify.ts';
import type { CaseRecord, ExchangeRecord, Finding, SequenceStepRecord, SetupRecord, Transport } from '../scoring/results.ts';
import { isUnsupported } from './endpoint.ts';
import { observe, readAfterWriteFinding, scoreAnswer, scoreNoAnswer, sequenceVerdict, summariseExpectation } from '../scoring/verdict.ts';
import { acceptsObserved, checkAfter, createdKeyOf, MUTATING, rawRequestOf, recordExchange, type ExecuteOptions } from './execute.ts';
import type { ShrinkBudget } from './shrink.ts';
import { isRefusal, type Lease } from './target.ts';
import { sendSdk, type Exchange } from './transports.ts';

/** One planned sequence of a run. */
export interface PlannedSequence {
  /** `sequence:<run seed>:<index>` (the record id adds the transport). */
  readonly id: string;
  readonly index: number;
  /** The fast-check seed it is generated from. */
  readonly seed: number;
  /** The steps as generated (a run may skip those whose precondition does not hold). */
  readonly steps: readonly SequenceStep[];
}

/** The arbitrary of a sequence: `fc.commands` over every kind of step. */
function commandsArb(): fc.Arbitrary<Iterable<fc.AsyncCommand<Model, Real>>> {
  return fc.commands(
    sequenceStepArbitraries().map((a) => a.map((s): fc.AsyncCommand<Model, Real> => new StepCommand(s))),
    { maxCommands: MAX_SEQUENCE_STEPS, size: '+1' },
  );
}

/** The steps a fast-check seed generates (the first value of the run `fc.check` makes with it). */
export function sequenceSteps(seed: number): SequenceStep[] {
  const [cmds] = fc.sample(commandsArb(), { seed, numRuns: 1 });
  return [...cmds!].map(stepOf);
}

/** The step of a command `fc.commands` gave (it wraps each command to follow which ran). */
function stepOf(c: fc.AsyncCommand<Model, Real>): SequenceStep {
  const inner = c instanceof StepCommand ? c : (c as unknown as { cmd?: unknown }).cmd;
  if (!(inner instanceof StepCommand)) throw new Error('[kms-conformance] internal error: fc.commands gave a command that is not a sequence step');
  return inner.step;
}

/** The sequences a run plans: `count` of them, from the run's seed. Deterministic. */
export function planSequences(runSeed: number, count: number): PlannedSequence[] {
  return Array.from({ length: count }, (_, index) => {
    const seed = sequenceSeed(runSeed, index);
    return { id: `sequence:${runSeed}:${index}`, index, seed, steps: sequenceSteps(seed) };
  });
}

/** The model: the keys and aliases as the contract says the steps so far left them. */
interface Model {
  keys: KeyInfo[];
  aliases: AliasInfo[];
}

/** What the commands share with the runner while one sequence runs. */
interface Real {
  readonly lease: Lease;
  readonly transport: Transport;
  readonly ctx: GeneratorContext;
  readonly o: ExecuteOptions;
  readonly caseId: string;
  readonly steps: SequenceStepRecord[];
  readonly exchanges: ExchangeRecord[];
  failure?: { readonly step: number; readonly ruleIds: readonly string[] };
  /** The longest a read-after-write check of the sequence took to see its change. */
  convergeMs?: number;
  /** A harness problem (not the target's fault): the sequence is an error. */
  error?: string;
}

/** The failure that ends a sequence (fast-check stops the model run on it). */
class StepFailed extends Error {
  override readonly name = 'StepFailed';
}

function worldOf(m: Model, ctx: GeneratorContext): World {
  return { partition: ctx.partition, accountId: ctx.accountId, region: ctx.region, keys: m.keys, aliases: m.aliases, principals: directoryFor(ctx) };
}

function recordOf(m: Model, ctx: GeneratorContext): SetupRecord {
  const def = DEFAULT_KEY_POLICY(ctx.accountId, ctx.partition);
  return {
    keys: m.keys.map((k) => ({ keyId: k.keyId, arn: k.arn, region: k.region, state: k.state, multiRegion: k.multiRegion, keyManager: k.keyManager, ...(k.policy === def ? {} : { policy: k.policy }) })),
    aliases: m.aliases.map((a) => ({ name: a.name, targetKeyId: a.targetKeyId })),
  };
}

const success = (ex: Exchange): boolean => ex.response !== undefined && ex.response.status >= 200 && ex.response.status < 300;
/**
 * After a successful state change, reads GetKeyPolicy until the policy in force before the change
 * shows (`KeyState.after.policy`), at most `timeoutMs`. Only where the contract lets GetKeyPolicy
 * succeed on the key as it now is.
 */
async function checkPolicyKept(r: Real, op: OperationName, before: KeyInfo, after: KeyInfo, m: Model): Promise<{ findings: Finding[]; exchanges: ExchangeRecord[]; ruleIds: string[] }> {
  const input = { KeyId: after.keyId, PolicyName: 'default' };
  const world = worldOf({ ...m, keys: m.keys.map((k) => (k.keyId === after.keyId ? after : k)) }, r.ctx);
  const e = expected({ operation: 'GetKeyPolicy', input }, world, r.ctx.caller, r.o.version);
  if (e.kind !== 'decided' || !e.outcomes.some((x) => x.kind === 'success') || e.outcomes.length !== 1) return { findings: [], exchanges: [], ruleIds: [] };
  const started = Date.now();
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    const ex = await sendSdk(r.lease.sdk, 'GetKeyPolicy', input);
    const policy = success(ex) && typeof ex.output?.Policy === 'string' ? ex.output.Policy : undefined;
    const v = policy === undefined ? undefined : checkTransition(op, { KeyId: after.keyId }, before, { ...after, policy }).find((x) => x.ruleId === KEPT_POLICY_RULE);
    if (policy !== undefined && v === undefined) return { findings: [], exchanges: [recordExchange('check', 'GetKeyPolicy', 'sdk', ex, r.o.secrets)], ruleIds: [KEPT_POLICY_RULE] };
    if (Date.now() - started + delay > r.o.convergeTimeoutMs) {
      const seen = policy === undefined ? `GetKeyPolicy answered ${ex.response ? `${ex.response.status} ${observe(ex.response).code ?? ''}`.trim() : `nothing (${ex.failure ?? 'unknown'})`}` : samePolicyText(policy, DEFAULT_KEY_POLICY(r.ctx.accountId, r.ctx.partition)) ? 'the default key policy' : `policy ${JSON.stringify(policy.slice(0, 200))}`;
      const message = v?.message ?? `After ${op}, GetKeyPolicy did not answer the policy in force within ${r.o.convergeTimeoutMs} ms.`;
      return {
        findings: [readAfterWriteFinding(r.caseId, KEPT_POLICY_RULE, policy === undefined ? 'not_converged' : 'state_mismatch', 'the policy in force before the change', seen, `${message} Within ${r.o.convergeTimeoutMs} ms GetKeyPolicy answered ${seen}.`)],
        exchanges: [recordExchange('check', 'GetKeyPolicy', 'sdk', ex, r.o.secrets)],
        ruleIds: [KEPT_POLICY_RULE],
      };
    }
    await sleep(delay);
  }
}

/** Advances the model along a successful answer the contract accepted. */
function advance(m: Model, r: Real, op: OperationName, input: Readonly<Record<string, unknown>>, before: KeyInfo | undefined, ex: Exchange & { output?: Record<string, unknown> }): void {
  const set = (next: KeyInfo): void => void (m.keys = m.keys.map((k) => (k.keyId === next.keyId ? next : k)));
  if (op === 'PutKeyPolicy' && before !== undefined && typeof input.Policy === 'string') set({ ...before, policy: input.Policy });
  const states = before === undefined ? undefined : statesAfter(op, before);
  if (states !== undefined && before !== undefined) set({ ...before, state: states[0]! });
  if (op === 'CreateKey') {
    const meta = createdKeyOf(ex);
    if (meta !== undefined) {
      r.lease.adopt(meta);
      m.keys = [...m.keys, { keyId: meta.keyId, arn: meta.arn, accountId: r.ctx.accountId, region: r.ctx.region, state: 'Enabled', keyManager: 'CUSTOMER', multiRegion: false, policy: DEFAULT_KEY_POLICY(r.ctx.accountId, r.ctx.partition) }];
    }
  }
  if (op === 'CreateAlias' && before !== undefined) {
    const name = String(input.AliasName);
    m.aliases = [...m.aliases, { name, arn: aliasArn(name, r.ctx.region, r.ctx.accountId, r.ctx.partition), targetKeyId: before.keyId }];
  }
  if (op === 'DeleteAlias') m.aliases = m.aliases.filter((a) => a.name !== input.AliasName);
}

/** One step as an `fc.commands` command. */
class StepCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly step: SequenceStep) {}

  check(m: Readonly<Model>): boolean {
    const k = stepKey(this.step);
    if (k !== undefined && k >= m.keys.length) return false;
    if (this.step.op === 'CreateKey') return m.keys.length < SEQUENCE_KEYS;
    return true;
  }

  async run(m: Model, r: Real): Promise<void> {
    await runStep(this.step, m, r);
  }

  toString(): string {
    return describeStep(this.step);
  }
}

/** Sends one step, scores it on the model, checks a change, advances the model; throws {@link StepFailed} at a failure. */
async function runStep(step: SequenceStep, m: Model, r: Real): Promise<void> {
  const aliasName = (n: number): string => replaceAll(sequenceAliasName(n), r.lease.pairs);
  const req = stepRequest(step, m.keys.map((k) => k.keyId), r.ctx, aliasName);
  if (req === undefined) return;
  const { operation: op, input } = req;
  const world = worldOf(m, r.ctx);
  const beforeRecord = recordOf(m, r.ctx);
  const expectation = expected({ operation: op, input }, world, r.ctx.caller, r.o.version);
  const ex = r.transport === 'sdk' ? await sendSdk(r.lease.sdk, op, input) : await r.lease.raw(rawRequestOf(op, input));
  const first = r.exchanges.length;
  r.exchanges.push(recordExchange('step', op, r.transport, ex, r.o.secrets));
  const k = stepKey(step);
  const before = k === undefined ? undefined : m.keys[k];
  const base = { step: { ...step }, call: describeStep(step), operation: op, input, before: beforeRecord, expected: summariseExpectation(expectation) };
  const index = r.steps.length;
  if (ex.response === undefined) {
    if (ex.request === undefined) {
      r.error = `step ${index + 1} (${describeStep(step)}) could not be sent: ${ex.failure ?? 'unknown reason'}`;
      r.steps.push({ ...base, verdict: 'error', ruleIds: [], reason: r.error, exchanges: [first] });
      throw new StepFailed(r.error);
    }
    const s = scoreNoAnswer(r.caseId, expectation, ex.failure ?? 'no response');
    const observed = { kind: 'no-response' as const, reason: ex.failure ?? 'no response' };
    if (s.verdict === 'fail') return fail(r, { ...base, observed, verdict: 'fail', ruleIds: s.ruleIds, findings: s.findings, exchanges: [first] });
    r.steps.push({ ...base, observed, verdict: s.verdict, ruleIds: s.ruleIds, exchanges: [first] });
    return;
  }
  const observed = observe(ex.response, ex.sdkError);
  // A companion operation the target does not have at all: the step says nothing, nothing happened, the sequence goes on.
  if (op !== 'PutKeyPolicy' && isUnsupported(ex) && acceptsObserved(expectation, observed) === false) {
    r.steps.push({ ...base, observed, verdict: 'skip', ruleIds: [], reason: `the target lacks ${op} (it answered ${observed.status} ${observed.code ?? ''})`.trim(), exchanges: [first] });
    return;
  }
  const scored = scoreAnswer(r.caseId, expectation, op, ex.response, observed, { request: { operation: op, input }, world }, r.o.version);
  if (scored.verdict === 'fail') return fail(r, { ...base, observed, verdict: 'fail', ruleIds: scored.ruleIds, findings: scored.findings, exchanges: [first] });
  let ruleIds = scored.ruleIds;
  if (success(ex)) {
    // A successful change is read back, as single cases are; a state change also keeps the policy.
    if (MUTATING.has(op) && before !== undefined) {
      const after = await checkAfter(r.caseId, op, input, before, r.lease, r.o.convergeTimeoutMs, r.o.secrets, { world, caller: r.ctx.caller, version: r.o.version });
      const idx = after.exchanges.map((x) => r.exchanges.push(x) - 1);
      if (after.findings.length > 0) return fail(r, { ...base, observed, verdict: 'fail', ruleIds: [...new Set(after.findings.flatMap((f) => f.ruleIds))], findings: after.findings, exchanges: [first, ...idx] });
      ruleIds = [...new Set([...ruleIds, ...after.ruleIds])];
      if (after.convergeMs !== undefined) r.convergeMs = Math.max(r.convergeMs ?? 0, after.convergeMs);
      const states = statesAfter(op, before);
      if (states !== undefined) {
        const kept = await checkPolicyKept(r, op, before, { ...before, state: states[0]! }, m);
        const kidx = kept.exchanges.map((x) => r.exchanges.push(x) - 1);
        if (kept.findings.length > 0) return fail(r, { ...base, observed, verdict: 'fail', ruleIds: kept.ruleIds, findings: kept.findings, exchanges: [first, ...idx, ...kidx] });
        ruleIds = [...new Set([...ruleIds, ...kept.ruleIds])];
        r.steps.push({ ...base, observed, verdict: scored.verdict, ruleIds, exchanges: [first, ...idx, ...kidx] });
        advance(m, r, op, input, before, ex);
        return;
      }
      r.steps.push({ ...base, observed, verdict: scored.verdict, ruleIds, exchanges: [first, ...idx] });
      advance(m, r, op, input, before, ex);
      return;
    }
    advance(m, r, op, input, before, ex);
  }
  r.steps.push({ ...base, observed, verdict: scored.verdict, ruleIds, exchanges: [first] });
}

function fail(r: Real, step: SequenceStepRecord): never {
  r.steps.push(step);
  r.failure = { step: r.steps.length - 1, ruleIds: step.ruleIds };
  throw new StepFailed(`step ${r.steps.length} (${step.call}) fails ${step.ruleIds.join(', ')}`);
}

/** What one run of a sequence against the target gave. */
export interface SequenceRun {
  readonly steps: SequenceStepRecord[];
  readonly exchanges: ExchangeRecord[];
  readonly setup?: SetupRecord;
  readonly failure?: { readonly step: number; readonly ruleIds: readonly string[] };
  readonly convergeMs?: number;
  /** Set-up or harness trouble (the sequence is an `error`, never the target's fault). */
  readonly error?: string;
  readonly skip?: string;
}

/** Leases the sequence's keys and runs the commands (fast-check's model run) once. Never throws. */
async function runOnce(cmds: Iterable<fc.AsyncCommand<Model, Real>>, transport: Transport, o: ExecuteOptions, caseId: string): Promise<SequenceRun> {
  const target = o.target;
  let lease;
  try {
    lease = await target.lease(SEQUENCE_SETUP, { mutates: true, lockout: false, createsKey: true, keysCreated: SEQUENCE_KEYS - SEQUENCE_SETUP.keys.length, aliasNames: SEQUENCE_ALIAS_NAMES });
  } catch (e) {
    return { steps: [], exchanges: [], error: `set-up failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (isRefusal(lease)) return lease.kind === 'skip' ? { steps: [], exchanges: [], skip: lease.reason } : { steps: [], exchanges: [], error: lease.reason };
  const ctx = target.context;
  const k = lease.setup.keys[0]!;
  const region = k.region ?? ctx.region;
  const model: Model = {
    keys: [{ keyId: k.keyId, arn: keyArn(k.keyId, region, ctx.accountId, ctx.partition), accountId: ctx.accountId, region, state: 'Enabled', keyManager: 'CUSTOMER', multiRegion: false, policy: DEFAULT_KEY_POLICY(ctx.accountId, ctx.partition) }],
    aliases: [],
  };
  const real: Real = { lease, transport, ctx, o, caseId, steps: [], exchanges: [] };
  try {
    await fc.asyncModelRun(() => ({ model, real }), cmds);
  } catch (e) {
    if (!(e instanceof StepFailed)) real.error = `the sequence runner failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
  } finally {
    await lease.release(true);
  }
  return { steps: real.steps, exchanges: real.exchanges, setup: lease.record, ...(real.failure ? { failure: real.failure } : {}), ...(real.convergeMs === undefined ? {} : { convergeMs: real.convergeMs }), ...(real.error ? { error: real.error } : {}) };
}

/** Runs a sequence's given steps once (a replay), in order, skipping those whose precondition does not hold. */
export async function runSteps(steps: readonly SequenceStep[], transport: Transport, o: ExecuteOptions, caseId: string): Promise<SequenceRun> {
  return runOnce(steps.map((s) => new StepCommand(s)), transport, o, caseId);
}

/** The case record of a sequence run. */
export function sequenceRecord(p: Pick<PlannedSequence, 'id' | 'index' | 'seed'>, transport: Transport, run: SequenceRun, ms: number, shrunk?: { originalSteps: number; attempts: number; ms: number }): CaseRecord {
  const id = `${p.id}/${transport}`;
  const failing = run.failure === undefined ? undefined : run.steps[run.failure.step];
  const last = failing ?? run.steps.at(-1);
  const common = {
    id,
    source: 'sequence' as const,
    transport,
    operation: last?.operation ?? 'PutKeyPolicy',
    ...(run.setup === undefined ? {} : { setup: run.setup }),
    exchanges: run.exchanges,
    ...(run.convergeMs === undefined ? {} : { convergeMs: run.convergeMs }),
    sequence: { seed: p.seed, index: p.index, steps: run.steps, ...(run.failure === undefined ? {} : { failingStep: run.failure.step }), ...(shrunk === undefined ? {} : { shrunk }) },
    ms,
  };
  if (run.skip !== undefined) return { ...common, verdict: 'skip', ruleIds: [], reason: run.skip };
  if (run.error !== undefined) return { ...common, verdict: 'error', stage: 'harness', ruleIds: [], reason: run.error };
  if (failing !== undefined) {
    return { ...common, verdict: 'fail', ruleIds: failing.ruleIds, ...(failing.expected ? { expected: failing.expected } : {}), ...(failing.observed ? { observed: failing.observed } : {}), findings: (failing.findings ?? []).map((f) => ({ ...f, caseId: id })) };
  }
  const decided = run.steps.filter((s) => s.verdict === 'pass');
  const ruleIds = [...new Set(decided.flatMap((s) => s.ruleIds))];
  return sequenceVerdict(run.steps, common, ruleIds);
}


/**
 * Runs planned sequence `p` through one transport: fast-check generates it from its seed and runs
 * it against the target; a failure is shrunk (fast-check's shrinking of `fc.commands`, each
 * candidate run against the target on keys of its own) to the shortest sequence that still fails
 * on the same rule, within `budget`. Returns the record of the sequence reported (the shrunk one
 * when it failed). Never throws.
 */
export async function runSequence(p: PlannedSequence, transport: Transport, o: ExecuteOptions, budget: ShrinkBudget, signal?: AbortSignal): Promise<CaseRecord> {
  const started = performance.now();
  const caseId = `${p.id}/${transport}`;
  let first: SequenceRun | undefined;
  let best: SequenceRun | undefined;
  let attempts = 0;
  let shrinkStarted = 0;
  let stoppedEarly = false;
  try {
    await fc.assert(
      fc.asyncProperty(commandsArb(), async (cmds) => {
        if (first !== undefined) {
          // Shrinking: bounded by the budget; a candidate past it counts as passing (never sent).
          if (attempts >= budget.attempts || performance.now() - shrinkStarted > budget.ms || signal?.aborted === true) {
            stoppedEarly = true;
            return true;
          }
          attempts++;
        }
        const run = await runOnce(cmds, transport, o, caseId);
        if (first === undefined) {
          first = run;
          shrinkStarted = performance.now();
          if (run.failure === undefined) return true;
          best = run;
          // The first failure is shrunk only when there is a budget for it.
          return budget.attempts <= 1 ? true : false;
        }
        const same = run.failure !== undefined && best?.failure !== undefined && run.failure.ruleIds.some((x) => best!.failure!.ruleIds.includes(x));
        if (!same) return true;
        if (run.steps.length <= best!.steps.length) best = run;
        return false;
      }),
      { seed: p.seed, numRuns: 1, endOnFailure: false },
    );
  } catch {
    // fc.assert throws when the property failed: the failing runs are in `first` and `best`.
  }
  void stoppedEarly;
  const ms = Math.round(performance.now() - started);
  if (first === undefined) return sequenceRecord(p, transport, { steps: [], exchanges: [], error: 'fast-check generated no sequence' }, ms);
  if (first.failure === undefined || best === undefined || best === first) return sequenceRecord(p, transport, first, ms);
  return sequenceRecord(p, transport, best, ms, { originalSteps: first.steps.length, attempts, ms: Math.round(performance.now() - shrinkStarted) });
}
