/**
 * Merging the `results.json` files of a sharded run (`run --shard i/n`) into the results of the
 * whole run. Counts add up shard by shard, but blame does not: a failure's rule is chosen among its
 * candidates by what the *whole* run saw (`scoring/blame.ts`), so a shard's settled blame is undone
 * (each finding's `candidates` are its rules again, baseline waivers are dropped) and settled once
 * more over every shard's failures with every shard's passing cases; a baseline is applied after
 * that, as a run applies it. The aggregates are then rebuilt from the records, so the per-rule
 * verdicts, the counts, the score, the error-code matrix and the blame are the unsharded run's.
 *
 * Shards that cannot be one run are refused with a {@link MergeError} that names the files and the
 * values that differ: another seed, plan, contract version or catalogue, tool version or build,
 * target, world or transports; an unsharded file; an interrupted shard; the same shard twice; a
 * missing shard.
 */
import { createHash } from 'node:crypto';
import { KmsConformanceUserError } from '../contract/errors.ts';
import { computeScore, RunAggregator, unreachedReason } from './aggregate.ts';
import { BaselineTracker, type Baseline } from './baseline.ts';
import { BlameCounts } from './blame.ts';
import type { CaseRecord, CleanupInfo, Finding, RunResults, RunSummary } from './results.ts';

/** A shard's results and the file they came from (for messages). */
export interface ShardInput {
  readonly file: string;
  readonly results: RunResults;
}

/** Options of {@link mergeShards}. */
export interface MergeOptions {
  /** Known divergences, applied after blame is settled over every shard (as `run --baseline` does). */
  readonly baseline?: Baseline;
  /** The day baseline expiries are judged on (`YYYY-MM-DD`, UTC). @defaultValue today */
  readonly today?: string;
}

/** What {@link mergeShards} returns: the merged summary and every record, blame settled over all shards. */
export interface MergedRun {
  readonly summary: RunSummary;
  /** Every case record, shard by shard in shard order, each shard's in its file's order. */
  readonly records: readonly CaseRecord[];
  /** The failing records (settled). */
  readonly failures: readonly CaseRecord[];
  /** `0` when every decided case passed (or was waived), `1` otherwise, as for the unsharded run. */
  readonly exitCode: 0 | 1;
}

/** Shards that cannot be merged: the message names the files, the values and what to do (exit 2). */
export class MergeError extends KmsConformanceUserError {
  override name = 'MergeError';
  readonly exitCode = 2;
  constructor(problem: string) {
    super('merge', problem, `merge: ${problem}`);
  }
}

/** A shard's summary and the file it came from: all {@link checkShards} looks at. */
export interface ShardSummary {
  readonly file: string;
  readonly results: RunSummary;
}

/** A shard whose summary names its place in the split. */
export type Sharded<S extends ShardSummary> = S & { readonly shard: NonNullable<RunSummary['settings']['shard']> };

function toolOf(r: RunSummary): string {
  return `${r.tool.name} ${r.tool.version}${r.tool.contentHash === undefined ? '' : ` (${r.tool.contentHash.slice(0, 19)}…)`}`;
}

/** The facts every shard of one run shares: [what, how to show it, what to do when they differ]. */
const SAME: readonly (readonly [string, (r: RunSummary) => string, string])[] = [
  ['tool version', toolOf, 'run every shard with the same kms-conformance build'],
  ['contract version', (r) => r.contract.version, 'run every shard with the same --contract'],
  ['rule catalogue', (r) => r.contract.catalogueHash, 'run every shard with the same kms-conformance build'],
  ['seed', (r) => String(r.run.seed), 'run every shard with the same --seed'],
  ['target', (r) => JSON.stringify(r.target), 'run every shard against the same --endpoint (and --name, --divergence)'],
  ['world', (r) => `${r.world.partition} ${r.world.accountId} ${r.world.region} ${r.world.callerArn}`, 'run every shard in the same account and Region with the same --caller-arn'],
  ['principals', (r) => JSON.stringify(r.world.principals), 'run every shard with the same --principals'],
  ['transports', (r) => r.transports.join(','), 'run every shard with the same --transport'],
  ['lockout setting', (r) => (r.settings.allowLockout ? '--allow-lockout' : 'no --allow-lockout'), 'run every shard with the same --allow-lockout'],
  ['number of shards', (r) => String(r.settings.shard?.count), 'give the shards of one split (all --shard i/n with the same n)'],
  ['plan', (r) => r.settings.shard?.planHash ?? '', 'run every shard with the same --runs, --kinds, --rule and --no-examples (the plan hash differs)'],
];

/**
 * Checks that the files are the shards of one run, each once, none missing. Returns them in shard
 * order; throws a {@link MergeError} otherwise.
 */
export function checkShards<S extends ShardSummary>(inputs: readonly S[]): Sharded<S>[] {
  if (inputs.length === 0) throw new MergeError('no results.json files were given. Pass every shard\'s file, e.g. kms-conformance merge shard-1/results.json shard-2/results.json');
  const sharded: Sharded<S>[] = inputs.map((s) => {
    const shard = s.results.settings.shard;
    if (shard === undefined) throw new MergeError(`${s.file} is not a shard: its settings have no shard (the run had no --shard i/n). Merge only the results.json files of runs with --shard.`);
    if (s.results.run.status !== 'complete') throw new MergeError(`${s.file} (shard ${shard.index}/${shard.count}) was interrupted before every case ran (status ${s.results.run.status}). Run that shard again with the same flags, then merge.`);
    return { ...s, shard };
  });
  const first = sharded[0]!;
  for (const [what, show, fix] of SAME) {
    const want = show(first.results);
    const other = sharded.find((s) => show(s.results) !== want);
    if (other !== undefined) throw new MergeError(`the shards are not of one run: ${first.file} has ${what} ${want}, but ${other.file} has ${show(other.results)}. ${fix[0]!.toUpperCase()}${fix.slice(1)}, then merge.`);
  }
  const byIndex = new Map<number, Sharded<S>>();
  for (const s of sharded) {
    const seen = byIndex.get(s.shard.index);
    if (seen !== undefined) throw new MergeError(`${seen.file} and ${s.file} are both shard ${s.shard.index}/${s.shard.count}${seen.results.run.id === s.results.run.id ? ' (the same run, given twice)' : ''}. Give each shard once.`);
    byIndex.set(s.shard.index, s);
  }
  const count = first.shard.count;
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    const have = [...byIndex.values()].sort((a, b) => a.shard.index - b.shard.index).map((s) => `${s.shard.index}/${count} (${s.file})`);
    throw new MergeError(`shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing: got ${have.join(', ')}. Run the missing shard${missing.length > 1 ? 's' : ''} with the same flags (--shard ${missing[0]}/${count}) and give every shard's results.json.`);
  }
  return [...byIndex.values()].sort((a, b) => a.shard.index - b.shard.index);
}

/**
 * {@link checkShards}, and that a baseline is given when the shards used one (waivers are decided
 * after blame, over the whole run). What `merge` checks before it writes anything.
 */
export function checkMergeable<S extends ShardSummary>(inputs: readonly S[], options: Pick<MergeOptions, 'baseline'> = {}): Sharded<S>[] {
  const shards = checkShards(inputs);
  const usedBaseline = shards.find((s) => s.results.settings.baseline !== undefined);
  if (usedBaseline !== undefined && options.baseline === undefined) {
    throw new MergeError(`${usedBaseline.file} was run with --baseline ${usedBaseline.results.settings.baseline}; pass the baseline to merge too (--baseline FILE): waivers are applied after blame is settled over every shard.`);
  }
  return shards;
}

/**
 * A failing record as the run scored it before blame and baseline: each finding's rules are its
 * candidates again, and the record's rules their union (what `scoreAnswer` gives a failure).
 */
export function unsettle(record: CaseRecord): CaseRecord {
  if (record.verdict !== 'fail') return record;
  const { waived: _waived, ...rest } = record;
  if (record.findings === undefined) return rest;
  const findings: Finding[] = record.findings.map((f) => {
    if (f.candidates === undefined) return f;
    const { candidates, ...plain } = f;
    return { ...plain, ruleIds: candidates };
  });
  return { ...rest, findings, ruleIds: [...new Set(findings.flatMap((f) => f.ruleIds))] };
}

function sumCleanup(all: readonly CleanupInfo[]): CleanupInfo {
  return {
    created: all.reduce((n, c) => n + c.created, 0),
    scheduledForDeletion: all.reduce((n, c) => n + c.scheduledForDeletion, 0),
    notCleaned: all.flatMap((c) => c.notCleaned),
  };
}

/**
 * The merge of the shards of one run, fed one record at a time in two passes, so that shards of
 * any size are merged in memory bounded by the rules (and one id per case, to find overlapping
 * shards), not by the records: `merge` reads each shard's `results.json` twice, one case at a time.
 *
 * 1. {@link ShardMerger.note} every record of every shard, shard by shard (in the order
 *    {@link ShardMerger.shards} gives), each shard's in its file's order;
 * 2. {@link ShardMerger.merged} every record again, in the same order: it returns the record as the
 *    merged run has it (blame settled over every shard, then the baseline applied);
 * 3. {@link ShardMerger.finish} gives the merged summary and exit code.
 *
 * {@link mergeShards} does the same over shards held in memory.
 */
export class ShardMerger<S extends ShardSummary = ShardSummary> {
  /** The shards in shard order: the order both passes must follow. */
  readonly shards: readonly Sharded<S>[];
  private readonly head: RunSummary;
  private readonly blame = new BlameCounts();
  private readonly ids = new Map<string, string>();
  private readonly aggregator: RunAggregator;
  private readonly tracker: BaselineTracker | undefined;
  private settle: ((record: CaseRecord) => CaseRecord) | undefined;

  /** Checks the shards' summaries ({@link checkMergeable}); throws a {@link MergeError} when they are not one run. */
  constructor(
    summaries: readonly S[],
    private readonly options: MergeOptions = {},
  ) {
    this.shards = checkMergeable(summaries, options);
    this.head = this.shards[0]!.results;
    this.aggregator = new RunAggregator(this.head.contract.version);
    this.tracker = options.baseline === undefined ? undefined : new BaselineTracker(options.baseline, options.today);
  }

  /** Pass 1: notes one record of the shard read from `file`. Throws a {@link MergeError} when shards overlap. */
  note(file: string, r: CaseRecord): void {
    if (this.settle !== undefined) throw new Error('ShardMerger.note: the second pass (merged) has begun');
    const seen = this.ids.get(r.id);
    if (seen !== undefined) throw new MergeError(`case ${r.id} is in both ${seen} and ${file}: the shards overlap, so they were not split from one plan. Run the shards again with the same flags.`);
    this.ids.set(r.id, file);
    if (r.verdict === 'fail') this.blame.failed(unsettle(r));
    else {
      if (r.verdict === 'pass') this.blame.passed(r.ruleIds);
      // The aggregates take every other record first and the settled failures after, as a run does.
      this.aggregator.add(r);
    }
  }

  /** Pass 2: one record again (in the order of pass 1), as the merged run has it. */
  merged(r: CaseRecord): CaseRecord {
    this.settle ??= this.blame.settlement();
    if (r.verdict !== 'fail') return r;
    const settled = this.settle(unsettle(r));
    const final = this.tracker?.apply(settled) ?? settled;
    this.aggregator.add(final);
    return final;
  }

  /** The merged summary and exit code, once both passes are done. */
  finish(): { readonly summary: RunSummary; readonly exitCode: 0 | 1 } {
    const { head, shards, aggregator, tracker, options } = this;
    // A rule the plan cannot reach says why in every shard (each shard judged the whole plan); a
    // reason read from a shard's own counts is computed again from the merged counts.
    const planReasons = new Map<string, string>();
    for (const s of shards) {
      for (const rule of s.results.rules) {
        if (rule.verdict === 'not-exercised' && rule.reason !== undefined && rule.reason !== unreachedReason(rule.counts) && !planReasons.has(rule.id)) planReasons.set(rule.id, rule.reason);
      }
    }
    const rules = aggregator.ruleScores(planReasons);
    const started = Math.min(...shards.map((s) => Date.parse(s.results.run.startedAt)));
    const ended = Math.max(...shards.map((s) => Date.parse(s.results.run.endedAt)));
    const { shard: _shard, baseline: _baseline, ...settings } = head.settings;
    const runId = createHash('sha256').update(shards.map((s) => s.results.run.id).join(',')).digest('hex').slice(0, 8);
    const summary: RunSummary = {
      schemaVersion: head.schemaVersion,
      tool: head.tool,
      contract: { ...head.contract, rules: rules.length },
      run: {
        id: runId,
        seed: head.run.seed,
        startedAt: new Date(started).toISOString(),
        endedAt: new Date(ended).toISOString(),
        durationMs: Math.max(0, ended - started),
        status: 'complete',
        command: head.run.command.replace(/\s+--shard[= ]\s*\S+/, ''),
      },
      target: head.target,
      transports: head.transports,
      world: head.world,
      settings: { ...settings, concurrency: Math.max(...shards.map((s) => s.results.settings.concurrency)), ...(options.baseline === undefined ? {} : { baseline: options.baseline.file }) },
      counts: { ...aggregator.counts },
      score: computeScore(aggregator.counts, rules),
      rules,
      codes: aggregator.codeMatrix(),
      by: aggregator.byDimension(),
      cleanup: sumCleanup(shards.map((s) => s.results.cleanup)),
      ...(tracker === undefined ? {} : { baseline: tracker.report() }),
    };
    return { summary, exitCode: aggregator.unwaivedFailures > 0 || tracker?.failsRun() === true ? 1 : 0 };
  }
}

/**
 * Merges the shards of one run held in memory (see the module comment and {@link ShardMerger}).
 * Throws a {@link MergeError} when the files are not the complete shards of one run, or when the
 * shards used a baseline and none is given (waivers are decided after blame, over the whole run).
 */
export function mergeShards(inputs: readonly ShardInput[], options: MergeOptions = {}): MergedRun {
  const merger = new ShardMerger(inputs, options);
  const shards = merger.shards;
  for (const s of shards) for (const r of s.results.cases) merger.note(s.file, r);
  const records = shards.flatMap((s) => s.results.cases.map((r) => merger.merged(r)));
  const { summary, exitCode } = merger.finish();
  return { summary, records, failures: records.filter((r) => r.verdict === 'fail'), exitCode };
}
