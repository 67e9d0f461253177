/**
 * Aggregates of a run, built one case at a time so that memory stays flat in the number of cases:
 * counts per verdict, per rule (with each rule's first finding), per topic, operation, transport,
 * source, mutation and request member, and the expected × observed error-code matrix. The overall
 * {@link Score} is defined here once; every report prints the same number.
 */
import { createHash } from 'node:crypto';
import { RULES, ruleById, rulesFor } from '../contract/rules/index.ts';
import type { ContractVersionId, Rule } from '../contract/types.ts';
import { describeOutcomes } from './verdict.ts';
import { zeroCounts, type CaseRecord, type CodeCell, type Finding, type RuleScore, type RuleVerdict, type RunSummary, type Score, type VerdictCounts } from './results.ts';

function add(c: VerdictCounts, r: CaseRecord): void {
  c.total++;
  c[r.verdict]++;
  if (r.waived !== undefined) c.waived++;
}

function bump(m: Map<string, VerdictCounts>, key: string, r: CaseRecord): void {
  let c = m.get(key);
  if (!c) m.set(key, (c = zeroCounts()));
  add(c, r);
}

/** The expected side of a matrix cell: `success`, or the accepted error codes joined with `|`. */
export function expectedKey(r: CaseRecord): string | undefined {
  if (r.expected?.kind !== 'decided') return undefined;
  const codes = [...new Set(r.expected.outcomes.map((o) => (o.kind === 'success' ? 'success' : o.code)))];
  return codes.join('|');
}

/** The observed side of a matrix cell. */
export function observedKey(r: CaseRecord): string | undefined {
  const o = r.observed;
  if (o === undefined) return undefined;
  if (o.kind === 'no-response') return '(no response)';
  if (o.status >= 200 && o.status < 300) return 'success';
  return o.code ?? '(unreadable)';
}

/** A content hash of the rule catalogue of a version (ids, outcomes, versions): what a re-score compares. */
export function catalogueHash(version: ContractVersionId): string {
  const h = createHash('sha256');
  for (const r of rulesFor(version)) h.update(JSON.stringify([r.id, r.outcomes, r.outcomesByVersion?.[version] ?? null, r.versions]));
  return `sha256:${h.digest('hex')}`;
}

/** Why a rule was not exercised, read from its counts alone (when the plan gives no reason of its own). */
export function unreachedReason(counts: VerdictCounts): string {
  if (counts.skip > 0) return `every case that reaches it was skipped (${counts.skip})`;
  if (counts.error > 0) return `every case that reaches it ended in a harness or set-up error (${counts.error})`;
  return 'no case of this run reached it';
}

/** Why a rule no case reached was not reached, when the rule's kind says so. */
export type NotExercisedReasons = ReadonlyMap<string, string>;

/**
 * Collects a run's aggregates. Feed it every case record with {@link RunAggregator.add}; read the
 * summary parts with {@link RunAggregator.finish}.
 */
export class RunAggregator {
  readonly counts: VerdictCounts = zeroCounts();
  private readonly rules = new Map<string, { counts: VerdictCounts; firstFinding?: Finding; firstReplayFile?: string }>();
  private readonly by = {
    topic: new Map<string, VerdictCounts>(),
    operation: new Map<string, VerdictCounts>(),
    transport: new Map<string, VerdictCounts>(),
    source: new Map<string, VerdictCounts>(),
    mutation: new Map<string, VerdictCounts>(),
    member: new Map<string, VerdictCounts>(),
  };
  private readonly codes = new Map<string, { count: number; fail: number }>();
  /** Failures per rule id that no baseline waived (exit code 1 when any). */
  unwaivedFailures = 0;

  constructor(private readonly version: ContractVersionId) {}

  /** Adds one case record. */
  add(r: CaseRecord): void {
    add(this.counts, r);
    if (r.verdict === 'fail' && r.waived === undefined) this.unwaivedFailures++;
    const topics = new Set<string>();
    for (const id of r.ruleIds) {
      let s = this.rules.get(id);
      if (!s) this.rules.set(id, (s = { counts: zeroCounts() }));
      add(s.counts, r);
      if (r.verdict === 'fail' && s.firstFinding === undefined) {
        const f = r.findings?.find((x) => x.ruleIds.includes(id)) ?? r.findings?.[0];
        if (f) s.firstFinding = f;
        if (r.replayFile !== undefined) s.firstReplayFile = r.replayFile;
      }
      const topic = ruleById(id)?.topic;
      if (topic) topics.add(topic);
    }
    for (const t of topics) bump(this.by.topic, t, r);
    bump(this.by.operation, r.operation, r);
    bump(this.by.transport, r.transport, r);
    bump(this.by.source, r.source, r);
    if (r.mutation !== undefined) bump(this.by.mutation, r.mutation, r);
    for (const m of r.members ?? []) bump(this.by.member, m, r);
    const e = expectedKey(r);
    const o = observedKey(r);
    if (e !== undefined && o !== undefined && (r.verdict === 'pass' || r.verdict === 'fail')) {
      const k = `${e}\u0000${o}`;
      const cell = this.codes.get(k) ?? { count: 0, fail: 0 };
      cell.count++;
      if (r.verdict === 'fail') cell.fail++;
      this.codes.set(k, cell);
    }
  }

  /** Per-rule scores for every rule of the contract version, in catalogue order. */
  ruleScores(notExercised: NotExercisedReasons = new Map()): RuleScore[] {
    return rulesFor(this.version).map((rule: Rule): RuleScore => {
      const s = this.rules.get(rule.id);
      const counts = s?.counts ?? zeroCounts();
      const decided = counts.pass + counts.fail;
      let verdict: RuleVerdict;
      if (counts.fail > counts.waived) verdict = 'fail';
      else if (counts.fail > 0) verdict = 'waived';
      else if (decided > 0) verdict = 'pass';
      else if (counts.unspecified > 0) verdict = 'unspecified';
      else verdict = 'not-exercised';
      const reason = verdict === 'not-exercised' ? (notExercised.get(rule.id) ?? unreachedReason(counts)) : undefined;
      return {
        id: rule.id,
        topic: rule.topic,
        operations: rule.operations,
        statement: rule.statement,
        sources: rule.sources.map((x) => ({ tag: x.tag, quote: x.quote })),
        verdict,
        counts: { ...counts },
        ...(s?.firstFinding ? { firstFinding: s.firstFinding } : {}),
        ...(s?.firstReplayFile ? { firstReplayFile: s.firstReplayFile } : {}),
        ...(reason === undefined ? {} : { reason }),
      };
    });
  }

  /** The error-code matrix, most frequent first. */
  codeMatrix(): CodeCell[] {
    return [...this.codes.entries()]
      .map(([k, v]) => {
        const [expected, observed] = k.split('\u0000') as [string, string];
        return { expected, observed, count: v.count, fail: v.fail };
      })
      .sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected) || a.observed.localeCompare(b.observed));
  }

  /** Counts per dimension, as plain objects. */
  byDimension(): RunSummary['by'] {
    const o = (m: Map<string, VerdictCounts>): Record<string, VerdictCounts> => Object.fromEntries([...m.entries()].sort(([a], [b]) => a.localeCompare(b)));
    return { topic: o(this.by.topic), operation: o(this.by.operation), transport: o(this.by.transport), source: o(this.by.source), mutation: o(this.by.mutation), member: o(this.by.member) };
  }
}

/** The overall score from the counts and the rule scores (definition in the README). */
export function computeScore(counts: VerdictCounts, rules: readonly RuleScore[]): Score {
  const casesDecided = counts.pass + counts.fail;
  const exercised = rules.filter((r) => r.verdict === 'pass' || r.verdict === 'fail' || r.verdict === 'waived');
  const passing = exercised.filter((r) => r.verdict === 'pass').length;
  return {
    casesPassed: counts.pass,
    casesDecided,
    caseRatio: casesDecided === 0 ? 1 : counts.pass / casesDecided,
    rulesPassing: passing,
    rulesExercised: exercised.length,
    ruleRatio: exercised.length === 0 ? 1 : passing / exercised.length,
  };
}

/** A score as a percentage with one decimal (`97.3%`), the way every report prints it. */
export function formatRatio(ratio: number): string {
  return `${(Math.floor(ratio * 1000) / 10).toFixed(1)}%`;
}

/** Outcomes of a rule in one line (for reports). */
export function ruleOutcomesLine(id: string): string {
  const r = ruleById(id);
  return r ? describeOutcomes(r.outcomes) : '';
}

/** Every rule id of the catalogue (any version). */
export function allRuleIds(): string[] {
  return RULES.map((r) => r.id);
}

/** Failing records a run returns at most per rule they are blamed on (the rest are in `results.json`). */
export const FAILURES_KEPT_PER_RULE = 20;

/**
 * A bounded sample of a run's failing records, in the order offered: a record is kept while one of
 * its rules (the empty name for a record that names none) has fewer than `perRule` records kept,
 * and every shrunk record is kept (there is one per rule at most). What it holds is bounded by the
 * rules, not by the number of failures, and every failing rule keeps its first failures.
 */
export class FailureSample {
  /** The records kept, in the order offered. */
  readonly kept: CaseRecord[] = [];
  /** Records offered and left out. */
  omitted = 0;
  private readonly perRuleKept = new Map<string, number>();

  constructor(private readonly perRule: number = FAILURES_KEPT_PER_RULE) {}

  /** Offers one failing record. */
  offer(r: CaseRecord): void {
    const ids = r.ruleIds.length === 0 ? [''] : r.ruleIds;
    if (r.shrunk === undefined && ids.every((id) => (this.perRuleKept.get(id) ?? 0) >= this.perRule)) {
      this.omitted++;
      return;
    }
    for (const id of ids) this.perRuleKept.set(id, (this.perRuleKept.get(id) ?? 0) + 1);
    this.kept.push(r);
  }
}
