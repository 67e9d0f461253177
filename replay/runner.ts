/**
 * `runConformance`: the product's main job. Plans the cases (every rule's worked examples and
 * generated request, valid-policy, invalid-policy and wire cases), opens the target (the bundled
 * mock in process by default, or any endpoint, whose world is discovered from the first key it
 * creates), runs every case through every transport that makes sense for it, scores each answer
 * with the contract's oracle, streams the records to `results.json` as it goes, writes a replay
 * file per failure, cleans up the keys it made, and returns the summary.
 *
 * @example
 * ```ts
 * import { runConformance } from 'kms-conformance';
 * const results = await runConformance({ endpoint: 'http://127.0.0.1:4566', seed: 42, out: './conformance-report' });
 * console.log(results.score.caseRatio, results.counts.fail);
 * ```
 */
import { randomBytes, randomInt } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { ContractVersionId, KnownPrincipal } from '../contract/types.ts';
import { resolveContractVersion } from '../contract/versions.ts';
import { KmsConformanceUserError } from '../contract/errors.ts';
import { caseBypasses, caseSetup, exampleRunCases, generatedCaseId, generatedRunCaseAt, generatedRunCaseStream, unsendableExampleReason, type RunCase } from '../generators/cases.ts';
import { createGeneratorContext, type GeneratorContext } from '../generators/context.ts';
import { GENERATE_KINDS, isGenerateKind, type GenerateKind } from '../generators/kinds.ts';
import { isLoopbackHost } from '../mocks/server.ts';
import type { MockOptions } from '../mocks/options.ts';
import { RecordSpool, ResultsWriter } from '../scoring/results-file.ts';
import { catalogueHash, computeScore, FailureSample, FAILURES_KEPT_PER_RULE, RunAggregator } from '../scoring/aggregate.ts';
import { BlameCounts } from '../scoring/blame.ts';
import { applyBaseline, BaselineTracker, type Baseline } from '../scoring/baseline.ts';
import { redactCaseRecord } from '../scoring/redact.ts';
import { rulesFor } from '../contract/rules/index.ts';
import { RESULTS_SCHEMA_VERSION, TRANSPORTS, type CaseRecord, type CleanupInfo, type RunSummary, type Transport } from '../scoring/results.ts';
import { openEndpoint } from './endpoint.ts';
import { RunConfigError } from './errors.ts';
import { executeCase, type ExecuteOptions } from './execute.ts';
import { caseSize, DEFAULT_SHRINK_BUDGET, shrinkFailure, type ShrinkBudget } from './shrink.ts';
import { planSequences, runSequence, type PlannedSequence } from './sequence.ts';
import { openInProcess } from './in-process.ts';
import { replayFileOf, replayFileName, REPLAY_DIR, sequenceReplayFileOf } from './replay-file.ts';
import { inShard, planHash, shardOf, shardProblem, shardStream, type Shard } from './shard.ts';
import type { OpenTarget } from './target.ts';
import { LOOPBACK_CREDENTIALS, type RunCredentials } from './transports.ts';
import { toolContentHash, toolVersion } from './tool.ts';

export { RunConfigError } from './errors.ts';
export { TargetUnavailableError } from './endpoint.ts';

/** Progress of a run, after every case. */
export interface RunProgress {
  readonly done: number;
  readonly total: number;
  readonly fail: number;
  readonly error: number;
  readonly skip: number;
  /** Cases per second so far. */
  readonly rate: number;
  /** Seconds left at the current rate. */
  readonly etaSeconds: number;
}

/** Options of {@link runConformance}. Every option has a default; `{}` runs against the bundled mock. */
export interface RunOptions {
  /** The endpoint to test; the bundled mock in process when absent. */
  readonly endpoint?: string;
  /** Region to call (and, for the bundled mock, to run in). @defaultValue `'us-east-1'` */
  readonly region?: string;
  /** Credentials to sign with; the standard AWS chain when absent (dummy ones for loopback). */
  readonly credentials?: RunCredentials;
  /** @defaultValue `['sdk', 'http']` */
  readonly transports?: readonly Transport[];
  /** Seed of every generated case; random when absent (and printed in every report). */
  readonly seed?: number;
  /** Generated cases per kind. @defaultValue 100 */
  readonly runs?: number;
  /**
   * Stateful sequences to run (`replay/sequence.ts`): each a fast-check `fc.commands` sequence of
   * key, policy and alias operations on keys of its own, seeded from the run's seed, scored step
   * by step; a failing one is shrunk (within `shrinkBudget`) to the shortest that fails the same
   * rule. `0` turns them off. @defaultValue 20 (0 when `rules` filters the run)
   */
  readonly sequences?: number;
  /** Which generated kinds to run. @defaultValue all four */
  readonly kinds?: readonly GenerateKind[];
  /** Include every rule's worked examples. @defaultValue true */
  readonly examples?: boolean;
  /** Only cases whose rules include one of these ids (examples of the rule, generated cases labelled with it). */
  readonly rules?: readonly string[];
  /** Cases at once. @defaultValue 8 in process, 4 for an endpoint */
  readonly concurrency?: number;
  /** `latest` or a model date (`2024-03-18`). @defaultValue `'latest'` */
  readonly contract?: string;
  /** Report directory; `false` writes nothing. @defaultValue `'./conformance-report'` */
  readonly out?: string | false;
  /** The caller's ARN. @defaultValue the account's `role/Admin` (what the bundled mock assumes) */
  readonly callerArn?: string;
  /** Principals that exist on the target, besides the account, the caller and service principals. */
  readonly principals?: readonly KnownPrincipal[];
  /** How long read-after-write checks and set-up wait for a change to show. @defaultValue 10000 */
  readonly convergeTimeoutMs?: number;
  /** Keys the run may create at most. @defaultValue 1000 */
  readonly maxKeys?: number;
  /** Send to a non-loopback endpoint. @defaultValue false */
  readonly allowRemote?: boolean;
  /** Run lockout cases (bypass flag) on a remote endpoint. @defaultValue false */
  readonly allowLockout?: boolean;
  /** Options of the bundled mock (divergence profiles, faults); in-process target only. */
  readonly mock?: MockOptions;
  /** Milliseconds before one request is given up. @defaultValue 30000 */
  readonly requestTimeoutMs?: number;
  /** Stops the run: no new case starts; keys are cleaned up; results are marked interrupted. */
  readonly signal?: AbortSignal;
  /** Called with every case record as it is made (a failure blamed provisionally; `failures` in the result holds the settled blame). */
  readonly onCase?: (record: CaseRecord) => void;
  /** Called after every case. */
  readonly onProgress?: (progress: RunProgress) => void;
  /** Called once the target is open and the cases are planned (seed, world, case count). */
  readonly onStart?: (info: { seed: number; total: number; context: GeneratorContext; target: OpenTarget['info'] }) => void;
  /** The command line that reproduces the run, for the report. */
  readonly command?: string;
  /** The report name of the target (e.g. `localstack`). @defaultValue the endpoint's host, or `mock` */
  readonly targetName?: string;
  /**
   * Known divergences (`readBaseline(file)`): matching failures are waived and do not fail the
   * run; an expired entry fails it; an entry that matched nothing is reported as stale.
   */
  readonly baseline?: Baseline;
  /** The day baseline expiries are judged on (`YYYY-MM-DD`, UTC). @defaultValue today */
  readonly today?: string;
  /**
   * How hard to shrink failures against the target: the first failing generated case of each
   * failing rule is shrunk to the smallest case that still fails on that rule, within `attempts`
   * cases sent and `ms` milliseconds each. `attempts: 0` turns shrinking off.
   * @defaultValue `{ attempts: 100, ms: 30000 }`
   */
  readonly shrinkBudget?: Partial<ShrinkBudget>;
  /**
   * Run one shard of the planned cases (`{ index: 2, count: 3 }`: the second of three): the plan is
   * dealt round-robin (`replay/shard.ts`), so the same seed and shard give the same cases anywhere.
   * The shard opens, sets up and cleans up its own target; `kms-conformance merge` combines the
   * shards' `results.json` files. @defaultValue the whole plan
   */
  readonly shard?: Shard;
}

/** What {@link runConformance} returns: the summary of `results.json`, the failing records, where the reports are. */
export interface ConformanceResult extends RunSummary {
  /**
   * The failing case records, settled (blamed, shrunk, waived), in the order they failed: every
   * one up to {@link FAILURES_KEPT_PER_RULE} per rule they are blamed on (and every shrunk one),
   * so that the result stays small however many cases fail. Every failure is in `results.json`;
   * `counts.fail` counts them all.
   */
  readonly failures: readonly CaseRecord[];
  /** Failing records left out of {@link ConformanceResult.failures} (0 when it holds them all). */
  readonly failuresOmitted: number;
  /** The report directory, when one was written. */
  readonly reportDir?: string;
  /** `0` when every decided case passed (or was waived), `1` otherwise. */
  readonly exitCode: 0 | 1;
}

/** What a run plans to send (for `--dry-run`). */
export interface RunPlan {
  readonly seed: number;
  /** The shard planned, when the run is one. */
  readonly shard?: Shard;
  readonly version: ContractVersionId;
  readonly context: GeneratorContext;
  /** The planned cases (of the shard), generated afresh and lazily each time they are walked: a plan of any size is never held. */
  readonly cases: Iterable<RunCase>;
  /** How many cases {@link RunPlan.cases} walks. */
  readonly caseCount: number;
  /** The stateful sequences planned (their steps as generated). */
  readonly sequences: readonly PlannedSequence[];
  readonly transports: readonly Transport[];
  /** Case × transport pairs that will be sent / skipped. */
  readonly jobs: number;
  readonly skipped: number;
  /** Of `skipped`: cases that set the bypass flag, skipped on a remote endpoint without `allowLockout`. */
  readonly lockoutSkipped: number;
  readonly byOperation: Readonly<Record<string, number>>;
  readonly bySource: Readonly<Record<string, number>>;
  /** Distinct keys the cases need at most (before pooling). */
  readonly keysNeeded: number;
}

/** The planned case a generated failure came from, regenerated from its `{seed, path}` (the plan itself is not kept). */
function plannedCaseOf(f: CaseRecord, ctx: GeneratorContext): RunCase | undefined {
  if (f.origin === undefined || !isGenerateKind(f.source) || !/^\d+$/.test(f.origin.path)) return undefined;
  return generatedRunCaseAt(f.source, f.origin.seed, Number(f.origin.path), ctx);
}

/**
 * Shrinks the first failing generated case of each failing rule (bounded by the budget per case),
 * reading the run's failures in the order they failed, each blamed by `settle`. Returns the
 * records to replace, by id: the smallest case that still fails on that rule, marked `shrunk`.
 */
async function shrinkFailures(
  failing: AsyncIterable<CaseRecord>,
  settle: (record: CaseRecord) => CaseRecord,
  ctx: GeneratorContext,
  o: ExecuteOptions,
  budget: ShrinkBudget,
  signal: AbortSignal | undefined,
  save: (record: CaseRecord, minimal: RunCase) => Promise<CaseRecord>,
): Promise<Map<string, CaseRecord>> {
  const done = new Set<string>();
  const out = new Map<string, CaseRecord>();
  for await (const raw of failing) {
    if (signal?.aborted) break;
    const f = settle(raw);
    const ruleId = f.ruleIds[0];
    if (ruleId === undefined || done.has(ruleId) || f.origin === undefined) continue;
    const rc = plannedCaseOf(f, ctx);
    if (rc === undefined) continue;
    done.add(ruleId);
    const shrunk = await shrinkFailure(rc, f, ruleId, o.target.context, o, budget);
    if (shrunk === undefined) continue;
    const first = f.findings?.[0];
    // The planned case's candidates, mutation and members stay: blame is settled again over all
    // shards by `merge` (from the candidates), and the aggregates count the case that was planned.
    const originalCandidates = f.findings?.find((x) => x.ruleIds.includes(ruleId))?.candidates;
    const { mutation: _m, members: _mb, ...minimalRecord } = redactCaseRecord(shrunk.record, { secrets: o.secrets });
    const record: CaseRecord = {
      ...minimalRecord,
      ...(f.mutation === undefined ? {} : { mutation: f.mutation }),
      ...(f.members === undefined ? {} : { members: f.members }),
      ruleIds: f.ruleIds,
      findings: (shrunk.record.findings ?? []).map((x) =>
        (x.candidates ?? x.ruleIds).includes(ruleId) ? { ...x, caseId: f.id, ruleIds: [ruleId], ...(originalCandidates ?? x.candidates ? { candidates: originalCandidates ?? x.candidates! } : {}) } : { ...x, caseId: f.id },
      ),
      shrunk: {
        original: { ...(f.origin === undefined ? {} : { origin: f.origin }), size: caseSize(rc), ...(first ? { observed: first.observed } : {}) },
        size: caseSize(shrunk.minimal),
        attempts: shrunk.attempts,
        steps: shrunk.steps,
        ms: shrunk.ms,
      },
    };
    out.set(f.id, await save(record, shrunk.minimal));
  }
  return out;
}

/**
 * Shrinks the first failing sequence of each failing rule (the first the run recorded, which the
 * reports show as the rule's first failing case): it is generated and run again from its seed, and fast-check's shrinking of
 * `fc.commands` looks for the shortest sequence that still fails on that rule, each candidate run
 * against the target on keys of its own, within the budget. The record is replaced by the shortest
 * failing sequence found (its `sequence.shrunk` says from how many steps).
 */
async function shrinkSequenceFailures(
  failing: AsyncIterable<CaseRecord>,
  settle: (record: CaseRecord) => CaseRecord,
  sequences: readonly PlannedSequence[],
  o: ExecuteOptions,
  budget: ShrinkBudget,
  signal: AbortSignal | undefined,
  save: (record: CaseRecord) => Promise<CaseRecord>,
): Promise<Map<string, CaseRecord>> {
  const byId = new Map(sequences.map((q) => [q.id, q]));
  const done = new Set<string>();
  const out = new Map<string, CaseRecord>();
  // The first in the run's order of failures: the one the reports show as the rule's first failing case.
  for await (const raw of failing) {
    if (signal?.aborted) break;
    if (raw.sequence === undefined) continue;
    const f = settle(raw);
    const ruleId = f.ruleIds[0];
    const q = byId.get(f.id.slice(0, f.id.lastIndexOf('/')));
    if (ruleId === undefined || done.has(ruleId) || q === undefined) continue;
    done.add(ruleId);
    const shrunk = redactCaseRecord(await runSequence(q, f.transport, o, budget, signal), { secrets: o.secrets });
    if (shrunk.verdict !== 'fail' || !shrunk.ruleIds.includes(ruleId) || shrunk.sequence?.shrunk === undefined) continue;
    // The run's blame stands: the candidates of the planned failure are kept for `merge` to settle again.
    const candidatesOf = f.findings?.find((x) => x.ruleIds.includes(ruleId))?.candidates;
    out.set(f.id, await save({
      ...shrunk,
      ruleIds: f.ruleIds,
      findings: (shrunk.findings ?? []).map((x) => ((x.candidates ?? x.ruleIds).includes(ruleId) ? { ...x, ruleIds: [ruleId], ...(candidatesOf ?? x.candidates ? { candidates: candidatesOf ?? x.candidates! } : {}) } : x)),
    }));
  }
  return out;
}

/** Sequences a run has unless told otherwise (a few seconds against the bundled mock). */
export const DEFAULT_SEQUENCES = 20;

/** The standard set of service principals every AWS account has (a subset the generators name). */
const SERVICE_PRINCIPALS = ['cloudtrail.amazonaws.com', 'delivery.logs.amazonaws.com', 's3.amazonaws.com'];

interface Resolved {
  readonly endpoint: string | undefined;
  readonly region: string;
  readonly transports: readonly Transport[];
  readonly seed: number;
  readonly runs: number;
  readonly kinds: readonly GenerateKind[];
  readonly version: ContractVersionId;
  readonly concurrency: number | undefined;
  readonly convergeTimeoutMs: number;
  readonly maxKeys: number;
  readonly sequences: number;
  readonly remote: boolean;
  readonly shrinkBudget: ShrinkBudget;
  readonly shard: Shard | undefined;
}

function wholeNumber(name: string, v: number | undefined, min: number, max: number, def: number): number {
  if (v === undefined) return def;
  if (!Number.isInteger(v) || v < min || v > max) throw new RunConfigError(name, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}.`);
  return v;
}

/** Validates options; throws {@link RunConfigError} before anything is sent. */
export function resolveRunOptions(o: RunOptions): Resolved {
  let remote = false;
  if (o.endpoint !== undefined) {
    let url: URL;
    try {
      url = new URL(o.endpoint);
    } catch {
      throw new RunConfigError('endpoint', `must be a URL such as http://127.0.0.1:4566, got ${JSON.stringify(o.endpoint)}.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RunConfigError('endpoint', `must be an http:// or https:// URL, got ${JSON.stringify(o.endpoint)}.`);
    remote = !isLoopbackHost(url.hostname);
    if (remote && o.allowRemote !== true) {
      throw new RunConfigError('endpoint', `${url.host} is not a loopback address (127.0.0.1, localhost, ::1). A run creates keys, changes their policies and schedules them for deletion: set allowRemote: true to run against a remote service. Nothing was sent.`);
    }
  }
  const transports = o.transports ?? TRANSPORTS;
  if (transports.length === 0 || transports.some((t) => !TRANSPORTS.includes(t))) throw new RunConfigError('transports', `must be some of sdk, http, got ${JSON.stringify(transports)}.`);
  const kinds = o.kinds ?? GENERATE_KINDS;
  for (const k of kinds) if (!GENERATE_KINDS.includes(k)) throw new RunConfigError('kinds', `must be some of ${GENERATE_KINDS.join(', ')}, got ${JSON.stringify(k)}.`);
  if (o.seed !== undefined && (!Number.isInteger(o.seed) || o.seed < -(2 ** 31) || o.seed > 2 ** 31 - 1)) throw new RunConfigError('seed', `must be a 32-bit integer, got ${JSON.stringify(o.seed)}.`);
  let version: ContractVersionId;
  try {
    version = resolveContractVersion(o.contract ?? 'latest', 'contract');
  } catch (e) {
    throw new RunConfigError('contract', e instanceof KmsConformanceUserError ? e.problem : String(e));
  }
  const region = o.region ?? 'us-east-1';
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw new RunConfigError('region', `must be a Region name such as us-east-1, got ${JSON.stringify(region)}.`);
  if (o.shard !== undefined) {
    const problem = shardProblem(o.shard);
    if (problem !== undefined) throw new RunConfigError('shard', `is ${JSON.stringify(o.shard)}: ${problem} Example: { index: 1, count: 2 }, the first of two shards.`);
    if (o.seed === undefined) throw new RunConfigError('shard', 'needs a seed: the shards of a run must plan the same cases, and a run without one picks a random seed. Give every shard the same seed.');
  }
  if (o.endpoint !== undefined && o.mock !== undefined) throw new RunConfigError('mock', 'applies to the bundled mock only; to run a mock with divergence profiles against an endpoint, start it with `kms-conformance serve --divergence NAME`.');
  return {
    endpoint: o.endpoint,
    region,
    transports,
    seed: o.seed ?? randomInt(0, 2 ** 31 - 1),
    runs: wholeNumber('runs', o.runs, 0, 1_000_000, 100),
    kinds,
    version,
    concurrency: o.concurrency === undefined ? undefined : wholeNumber('concurrency', o.concurrency, 1, 256, 1),
    convergeTimeoutMs: wholeNumber('convergeTimeoutMs', o.convergeTimeoutMs, 0, 3_600_000, 10_000),
    maxKeys: wholeNumber('maxKeys', o.maxKeys, 1, 100_000, 1000),
    sequences: wholeNumber('sequences', o.sequences, 0, 100_000, o.rules === undefined ? DEFAULT_SEQUENCES : 0),
    remote,
    shrinkBudget: {
      attempts: wholeNumber('shrinkBudget.attempts', o.shrinkBudget?.attempts, 0, 100_000, DEFAULT_SHRINK_BUDGET.attempts),
      ms: wholeNumber('shrinkBudget.ms', o.shrinkBudget?.ms, 0, 3_600_000, DEFAULT_SHRINK_BUDGET.ms),
    },
    shard: o.shard,
  };
}

/** The run's context in a world: the caller, and only principals that must exist on any target. */
export function runContext(found: { accountId: string; region: string; partition: string }, version: ContractVersionId, o: RunOptions): GeneratorContext {
  const callerArn = o.callerArn ?? `arn:${found.partition}:iam::${found.accountId}:role/Admin`;
  const m = /^arn:[a-z0-9-]+:(iam|sts)::(\d{12}):(user|role|assumed-role)\/.+$/.exec(callerArn);
  if (!m) throw new RunConfigError('callerArn', `must be an IAM user, role or assumed-role ARN such as arn:aws:iam::111122223333:role/Admin, got ${JSON.stringify(callerArn)}.`);
  if (m[2] !== found.accountId) throw new RunConfigError('callerArn', `names account ${m[2]}, but the target's keys belong to ${found.accountId}; use a caller of that account.`);
  const callerKind = m[3] === 'user' ? 'user' : m[3] === 'role' ? 'role' : 'assumed-role';
  const principals: KnownPrincipal[] = [
    { kind: callerKind, id: callerArn },
    ...SERVICE_PRINCIPALS.map((id) => ({ kind: 'service' as const, id })),
    { kind: 'service', id: `logs.${found.region}.amazonaws.com` },
    ...(o.principals ?? []),
  ];
  return createGeneratorContext({
    partition: found.partition,
    accountId: found.accountId,
    region: found.region,
    version,
    caller: { arn: callerArn, accountId: found.accountId, iam: { kind: 'known', actions: ['*'] } },
    principals,
  });
}

type PlanInputs = Pick<Resolved, 'seed' | 'runs' | 'kinds' | 'version'>;
type PlanOptions = Pick<RunOptions, 'examples' | 'rules'>;

/** Whether a planned case is one of the rules asked for (`rules`); every case when none are. */
function ruleFilter(rules: readonly string[] | undefined): (c: RunCase) => boolean {
  if (rules === undefined) return () => true;
  const wanted = new Set(rules);
  return (c) => {
    if (c.exampleOf !== undefined) return wanted.has(c.exampleOf);
    const l = c.case.value.label;
    return l.kind !== 'valid' && l.ruleId !== undefined && (wanted.has(l.ruleId) || (l.kind === 'invalid' && (l.also ?? []).some((x) => wanted.has(x))));
  };
}

/** The worked examples a run sends (filtered by rule): a few hundred, planned at once. */
export function plannedExamples(ctx: GeneratorContext, r: Pick<Resolved, 'version'>, o: PlanOptions): RunCase[] {
  return o.examples === false ? [] : exampleRunCases(r.version, ctx).filter(ruleFilter(o.rules));
}

/**
 * The cases a run sends in a context, in plan order (examples first, then each kind), filtered by
 * rule. Generated cases are generated as the sequence is consumed, a bounded chunk at a time
 * (`generatedRunCaseStream`): walking the plan of any size holds one chunk, never the plan.
 */
export function* planCaseStream(ctx: GeneratorContext, r: PlanInputs, o: PlanOptions, examples: readonly RunCase[] = plannedExamples(ctx, r, o)): Generator<RunCase, void, undefined> {
  yield* examples;
  const wanted = ruleFilter(o.rules);
  for (const kind of r.kinds) if (r.runs > 0) for (const c of generatedRunCaseStream(kind, r.runs, r.seed, ctx)) if (wanted(c)) yield c;
}

/** The cases a run sends in a context (examples first, then each kind), filtered by rule, all at once ({@link planCaseStream} walks them lazily). */
export function planCases(ctx: GeneratorContext, r: PlanInputs, o: PlanOptions): RunCase[] {
  return [...planCaseStream(ctx, r, o)];
}

/** The case × transport jobs of a sequence of cases, lazily. */
function* jobStream(cases: Iterable<RunCase>, transports: readonly Transport[]): Generator<{ readonly c: RunCase; readonly t: Transport }, void, undefined> {
  for (const c of cases) for (const t of transportsFor(c, transports)) yield { c, t };
}

/** One unit of a run's work: a case or a sequence, through one transport. */
type Job = { readonly c: RunCase; readonly t: Transport } | { readonly q: PlannedSequence; readonly t: Transport };

/** A run's jobs, lazily: its shard's cases (each through its transports), then its shard's sequences (split on their own, as they are planned on their own). */
function* runJobs(cases: Iterable<RunCase>, sequences: readonly PlannedSequence[], r: Pick<Resolved, 'transports' | 'shard'>): Generator<Job, void, undefined> {
  yield* jobStream(shardStream(cases, r.shard), r.transports);
  for (const q of shardOf(sequences, r.shard)) for (const t of r.transports) yield { q, t };
}

function transportsFor(c: RunCase, transports: readonly Transport[]): Transport[] {
  return transportsForKind(c.case.kind, transports);
}

function transportsForKind(kind: RunCase['case']['kind'], transports: readonly Transport[]): Transport[] {
  return kind === 'wire' ? transports.filter((t) => t === 'http') : [...transports];
}

/** What a run must know of its whole plan before it starts: its size (for progress) and fingerprint (for shards). */
interface PlanTotals {
  /** Cases and case × transport jobs of the run's shard (the whole plan when unsharded). */
  readonly cases: number;
  readonly jobs: number;
  /** {@link planHash} of the whole plan, for a sharded run. */
  readonly hash: string | undefined;
}

/**
 * Counts the plan without holding it. Without a rule filter the ids and kinds of the generated
 * cases are known without generating them (`kind:seed:index`); with one, which cases are kept
 * depends on their labels, so the plan is generated once to count it and again as the run sends it.
 */
function planTotals(ctx: GeneratorContext, r: PlanInputs & Pick<Resolved, 'transports' | 'shard'>, o: PlanOptions, examples: readonly RunCase[], sequences: readonly PlannedSequence[]): PlanTotals {
  function* entries(): Generator<{ readonly id: string; readonly kind: RunCase['case']['kind'] }> {
    if (o.rules !== undefined) {
      for (const c of planCaseStream(ctx, r, o, examples)) yield { id: c.id, kind: c.case.kind };
      return;
    }
    for (const c of examples) yield { id: c.id, kind: c.case.kind };
    for (const kind of r.kinds) for (let i = 0; i < r.runs; i++) yield { id: generatedCaseId(kind, r.seed, i), kind };
  }
  let k = 0;
  let cases = 0;
  let jobs = 0;
  const ids = function* (): Generator<string> {
    for (const e of entries()) {
      if (inShard(k++, r.shard)) {
        cases++;
        jobs += transportsForKind(e.kind, r.transports).length;
      }
      yield e.id;
    }
    const mine = shardOf(sequences, r.shard).length;
    cases += mine;
    jobs += mine * r.transports.length;
    for (const q of sequences) yield q.id;
  };
  const hash = planHash(ids(), r.transports);
  return { hash: r.shard === undefined ? undefined : hash, cases, jobs };
}

/** What a run would send, without sending anything (`--dry-run`). */
export function planRun(options: RunOptions = {}): RunPlan {
  const o = options;
  const r = resolveRunOptions(o);
  const ctx = runContext({ accountId: '111122223333', region: r.region, partition: r.region.startsWith('cn-') ? 'aws-cn' : r.region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws' }, r.version, o);
  const examples = plannedExamples(ctx, r, o);
  const cases: Iterable<RunCase> = { [Symbol.iterator]: () => shardStream(planCaseStream(ctx, r, o, examples), r.shard) };
  const sequences = shardOf(planSequences(r.seed, r.sequences), r.shard);
  let caseCount = 0;
  const byOperation: Record<string, number> = {};
  const bySource: Record<string, number> = {};
  let jobs = 0;
  let skipped = 0;
  let keysNeeded = 0;
  let lockoutSkipped = 0;
  for (const c of cases) {
    caseCount++;
    const ts = transportsFor(c, r.transports);
    const op = c.case.kind === 'request' || c.case.kind === 'wire' ? c.case.value.operation : 'PutKeyPolicy';
    const lockoutBlocked = r.remote && options.allowLockout !== true && caseBypasses(c.case);
    for (const _t of ts) {
      if (c.skip !== undefined || lockoutBlocked) {
        if (lockoutBlocked) lockoutSkipped++;
        skipped++;
        continue;
      }
      jobs++;
      byOperation[op] = (byOperation[op] ?? 0) + 1;
      bySource[c.source] = (bySource[c.source] ?? 0) + 1;
      keysNeeded += caseSetup(c.case).keys.length;
    }
  }
  // Each sequence runs once per transport, on a key of its own each time.
  const sequenceJobs = sequences.length * r.transports.length;
  if (sequenceJobs > 0) {
    jobs += sequenceJobs;
    byOperation.sequence = sequenceJobs;
    bySource.sequence = sequenceJobs;
    keysNeeded += sequenceJobs;
  }
  return { seed: r.seed, ...(r.shard === undefined ? {} : { shard: r.shard }), version: r.version, context: ctx, cases, caseCount, sequences, transports: r.transports, jobs, skipped, lockoutSkipped, byOperation, bySource, keysNeeded };
}

/**
 * Resolves credentials: the given ones; for a loopback target the `AWS_*` variables or dummy ones
 * (never the rest of the chain, which may ask an instance-metadata address); for a remote target
 * the standard AWS chain.
 */
export async function resolveCredentials(o: Pick<RunOptions, 'credentials' | 'endpoint'>, remote: boolean, region: string, env: NodeJS.ProcessEnv = process.env): Promise<RunCredentials> {
  if (o.credentials) return o.credentials;
  if (o.endpoint === undefined) return LOOPBACK_CREDENTIALS;
  if (!remote) {
    const id = env.AWS_ACCESS_KEY_ID;
    const secret = env.AWS_SECRET_ACCESS_KEY;
    return id && secret ? { accessKeyId: id, secretAccessKey: secret, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) } : LOOPBACK_CREDENTIALS;
  }
  const { KMSClient } = await import('@aws-sdk/client-kms');
  const probe = new KMSClient({ region });
  try {
    const c = await probe.config.credentials();
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken === undefined ? {} : { sessionToken: c.sessionToken }) };
  } catch (e) {
    throw new RunConfigError('credentials', `could not be found in the standard AWS chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, …): ${e instanceof Error ? e.message : String(e)}. Set them to run against a remote endpoint.`);
  } finally {
    probe.destroy();
  }
}

/**
 * Runs the conformance suite and returns its summary. Cases run concurrently; every record is
 * streamed to `results.json` in `out`, every failure also gets a replay file in `out/cases/`.
 *
 * @throws RunConfigError for bad options (nothing sent), TargetUnavailableError when the target
 * cannot create its first key.
 */
export async function runConformance(options: RunOptions = {}): Promise<ConformanceResult> {
  const r = resolveRunOptions(options);
  const credentials = await resolveCredentials(options, r.remote, r.region);
  const secrets = [credentials.secretAccessKey, ...(credentials.sessionToken ? [credentials.sessionToken] : [])];
  const runId = randomBytes(4).toString('hex');
  const startedAt = new Date();
  const started = performance.now();
  const target: OpenTarget =
    r.endpoint === undefined
      ? openInProcess(runContext({ accountId: options.mock?.accountId ?? '111122223333', region: r.region, partition: 'aws' }, r.version, options), options.mock)
      : await openEndpoint({
          endpoint: r.endpoint,
          region: r.region,
          credentials,
          runId,
          maxKeys: r.maxKeys,
          convergeTimeoutMs: r.convergeTimeoutMs,
          context: (found) => runContext(found, r.version, options),
          remote: r.remote,
          ...(r.concurrency === undefined ? {} : { concurrency: r.concurrency }),
          ...(options.requestTimeoutMs === undefined ? {} : { timeoutMs: options.requestTimeoutMs }),
          ...(options.targetName === undefined ? {} : { name: options.targetName }),
        });
  let cleanup: CleanupInfo = { created: 0, scheduledForDeletion: 0, notCleaned: [] };
  let writer: ResultsWriter | undefined;
  const outDir = options.out === false ? undefined : (options.out ?? './conformance-report');
  const aggregator = new RunAggregator(r.version);
  const blame = new BlameCounts();
  let interrupted = false;
  let examples: RunCase[] = [];
  let sequences: PlannedSequence[] = [];
  let plan: PlanTotals | undefined;
  // Failing records wait on disk for the end of the run (blame, shrinking, the baseline); a run holds none of them.
  let failing: RecordSpool | undefined;
  let spoolDir: string | undefined;
  let shrunk = new Map<string, CaseRecord>();
  try {
    const ctx = target.context;
    examples = plannedExamples(ctx, r, options);
    sequences = planSequences(r.seed, r.sequences);
    plan = planTotals(ctx, r, options, examples, sequences);
    const total = plan.jobs;
    // A shard sends its share of the plan; the whole plan still decides which rules cannot be reached.
    const jobs = runJobs(planCaseStream(ctx, r, options, examples), sequences, r);
    if (outDir !== undefined) {
      writer = await ResultsWriter.open(outDir);
      await mkdir(join(outDir, REPLAY_DIR), { recursive: true });
    }
    spoolDir = await mkdtemp(join(outDir ?? tmpdir(), outDir === undefined ? 'kmsc-failures-' : '.failures-'));
    failing = await RecordSpool.open(join(spoolDir, 'failures.jsonl'));
    options.onStart?.({ seed: r.seed, total, context: ctx, target: target.info });
    const limit = Math.max(1, Math.min(r.concurrency ?? target.concurrency, 256));
    let done = 0;
    let failed = 0;
    const t0 = performance.now();
    const worker = async (): Promise<void> => {
      for (;;) {
        const step = jobs.next();
        if (step.done) return;
        if (options.signal?.aborted) {
          interrupted = true;
          return;
        }
        const job = step.value;
        const eo: ExecuteOptions = { target, version: r.version, convergeTimeoutMs: r.convergeTimeoutMs, secrets, allowLockout: options.allowLockout === true };
        // Secrets never reach a record: every text that came from the wire or the SDK is redacted once more here.
        // Sequences are shrunk after the run, the first failing one of each rule (as single cases are).
        let record = redactCaseRecord('q' in job ? await runSequence(job.q, job.t, eo, { attempts: 0, ms: 0 }, options.signal) : await executeCase(job.c, job.t, eo), { secrets });
        if (record.verdict === 'fail' && outDir !== undefined) {
          const file = join(outDir, REPLAY_DIR, replayFileName(record.id));
          const run = { version: r.version, seed: r.seed, context: ctx, target: target.info, region: r.region };
          await writeFile(file, `${JSON.stringify('q' in job ? sequenceReplayFileOf(record, run) : replayFileOf(record, job.c, run), null, 2)}\n`);
          record = { ...record, replayFile: relative(outDir, file) };
        }
        if (record.verdict === 'fail') {
          failed++;
          blame.failed(record);
          failing!.add(record);
        } else {
          if (record.verdict === 'pass') blame.passed(record.ruleIds);
          aggregator.add(record);
        }
        writer?.add(record);
        if (writer) await writer.drained();
        await failing!.drained();
        options.onCase?.(record.verdict === 'fail' ? blame.provisional(record) : record);
        done++;
        const secs = (performance.now() - t0) / 1000;
        const rate = secs > 0 ? done / secs : 0;
        options.onProgress?.({ done, total, fail: failed, error: aggregator.counts.error, skip: aggregator.counts.skip, rate, etaSeconds: rate > 0 ? (total - done) / rate : 0 });
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, Math.max(1, total)) }, worker));
    await failing.end();
    if (!interrupted && r.shrinkBudget.attempts > 1) {
      shrunk = await shrinkFailures(failing.records(), blame.settlement(), ctx, { target, version: r.version, convergeTimeoutMs: r.convergeTimeoutMs, secrets, allowLockout: options.allowLockout === true }, r.shrinkBudget, options.signal, async (record, minimal) => {
        if (outDir === undefined) return record;
        const file = join(outDir, REPLAY_DIR, replayFileName(record.id));
        await writeFile(file, `${JSON.stringify(replayFileOf(record, minimal, { version: r.version, seed: r.seed, context: ctx, target: target.info, region: r.region }), null, 2)}\n`);
        return { ...record, replayFile: relative(outDir, file) };
      });
      const shrunkSequences = await shrinkSequenceFailures(failing.records(), blame.settlement(), sequences, { target, version: r.version, convergeTimeoutMs: r.convergeTimeoutMs, secrets, allowLockout: options.allowLockout === true }, r.shrinkBudget, options.signal, async (record) => {
        if (outDir === undefined) return record;
        const file = join(outDir, REPLAY_DIR, replayFileName(record.id));
        await writeFile(file, `${JSON.stringify(sequenceReplayFileOf(record, { version: r.version, seed: r.seed, context: ctx, target: target.info, region: r.region }), null, 2)}\n`);
        return { ...record, replayFile: relative(outDir, file) };
      });
      for (const [id, rec] of shrunkSequences) shrunk.set(id, rec);
    }
  } catch (e) {
    await failing?.remove();
    if (spoolDir !== undefined) await rm(spoolDir, { recursive: true, force: true });
    throw e;
  } finally {
    cleanup = await target.close();
  }
  const tracker = options.baseline === undefined ? undefined : new BaselineTracker(options.baseline, options.today);
  // Failures are settled once the whole run is known: each is blamed on its most suspicious rules
  // (from counts kept as the run went), shrunk where it was, then judged against the baseline.
  const settle = blame.settlement();
  const settled = (rec: CaseRecord): CaseRecord => shrunk.get(rec.id) ?? settle(rec);
  const failures = new FailureSample(FAILURES_KEPT_PER_RULE);
  for await (const rec of failing!.records()) {
    const f = settled(rec);
    const final = tracker?.apply(f) ?? f;
    aggregator.add(final);
    failures.offer(final);
  }
  await rm(spoolDir!, { recursive: true, force: true });
  const notExercised = new Map<string, string>();
  for (const rule of rulesFor(r.version)) {
    const why = unsendableExampleReason(rule.id, examples);
    if (why !== undefined) notExercised.set(rule.id, why);
  }
  const rules = aggregator.ruleScores(notExercised);
  const summary: RunSummary = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: 'kms-conformance', version: toolVersion(), contentHash: toolContentHash() },
    contract: { version: r.version, catalogueHash: catalogueHash(r.version), rules: rules.length },
    run: {
      id: runId,
      seed: r.seed,
      startedAt: startedAt.toISOString(),
      endedAt: new Date().toISOString(),
      durationMs: Math.round(performance.now() - started),
      status: interrupted ? 'interrupted' : 'complete',
      command: options.command ?? `npx kms-conformance run --seed ${r.seed}${r.endpoint ? ` --endpoint ${r.endpoint}` : ''} --contract ${r.version} --runs ${r.runs}${r.shard ? ` --shard ${r.shard.index}/${r.shard.count}` : ''}`,
    },
    target: target.info,
    transports: r.transports,
    world: {
      partition: target.context.partition,
      accountId: target.context.accountId,
      region: target.context.region,
      callerArn: target.context.caller.arn,
      principals: target.context.principals.map((p) => ({ kind: p.kind, id: p.id })),
    },
    settings: {
      runs: r.runs,
      sequences: r.sequences,
      concurrency: Math.min(r.concurrency ?? target.concurrency, 256),
      maxKeys: r.maxKeys,
      convergeTimeoutMs: r.convergeTimeoutMs,
      allowRemote: options.allowRemote === true,
      allowLockout: options.allowLockout === true,
      ...(r.shard === undefined ? {} : { shard: { index: r.shard.index, count: r.shard.count, planHash: plan?.hash ?? '' } }),
      ...(options.baseline === undefined ? {} : { baseline: options.baseline.file }),
    },
    counts: { ...aggregator.counts },
    score: computeScore(aggregator.counts, rules),
    rules,
    codes: aggregator.codeMatrix(),
    by: aggregator.byDimension(),
    cleanup,
    ...(tracker === undefined ? {} : { baseline: tracker.report() }),
  };
  // The same settling as above, without counting the baseline's matches twice.
  if (writer) await writer.finish(summary, (rec) => (tracker === undefined ? settled(rec) : applyBaseline(settled(rec), tracker.baseline, tracker.today)));
  return { ...summary, failures: failures.kept, failuresOmitted: failures.omitted, ...(outDir === undefined ? {} : { reportDir: outDir }), exitCode: aggregator.unwaivedFailures > 0 || tracker?.failsRun() === true ? 1 : 0 };
}
