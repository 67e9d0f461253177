/**
 * What every report writer says the same way: the score line, the failing rules, a case's replay
 * command, and the atomic file write. One definition each, so `summary.md`, `junit.xml`,
 * `report.html`, `badge.svg` and the console can never disagree.
 */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';
import { formatRatio } from '../scoring/aggregate.ts';
import type { CaseRecord, Finding, RuleScore, RunSummary, Score } from '../scoring/results.ts';

/** The report directory a replay line names when the caller does not say (the CLI's `--out` default). */
export const DEFAULT_REPORT_DIR = 'conformance-report';

/** Options every writer takes. */
export interface WriterOptions {
  /**
   * The report directory as the user would type it, used in replay lines
   * (`npx kms-conformance replay <reportDir>/cases/…`). @defaultValue {@link DEFAULT_REPORT_DIR}
   */
  readonly reportDir?: string;
}

// C0 controls other than TAB/LF/CR (XML 1.0 cannot carry them), DEL and C1 controls (invisible),
// U+FFFE/U+FFFF and lone surrogates (no UTF-8 form).
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text with every character a reader cannot see or a format cannot carry written as `\uXXXX`
 * (controls other than tab and line breaks, DEL, C1, lone surrogates, U+FFFE/U+FFFF).
 */
export function visible(s: string): string {
  return s.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/** Quotes a shell word when it needs it (POSIX `sh`). */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The command that re-sends a saved case: `npx kms-conformance replay conformance-report/cases/x.json`. */
export function replayCommand(replayFile: string, reportDir: string = DEFAULT_REPORT_DIR): string {
  const path = reportDir === '' || reportDir === '.' ? replayFile : posix.join(reportDir.replace(/\\/g, '/'), replayFile);
  return `npx kms-conformance replay ${shellWord(path)}`;
}

/** The replay line of a case, or why there is none. */
export function replayLine(c: Pick<CaseRecord, 'replayFile'>, reportDir?: string): string {
  return c.replayFile === undefined ? '(no replay file was saved for this case)' : replayCommand(c.replayFile, reportDir);
}

/** The headline score: decided cases passed, as every format prints it (`33.3%`). */
export function headline(score: Score): string {
  return formatRatio(score.caseRatio);
}

/** The score in one line, the same words in every text format. */
export function scoreLine(score: Score): string {
  return `Score ${headline(score)}: ${score.casesPassed}/${score.casesDecided} decided cases passed; rules ${score.rulesPassing}/${score.rulesExercised} passing (${formatRatio(score.ruleRatio)})`;
}

/** The rules whose verdict is `fail` (an unwaived failure), in catalogue order. */
export function failingRules(summary: Pick<RunSummary, 'rules'>): RuleScore[] {
  return summary.rules.filter((r) => r.verdict === 'fail');
}

/** The first finding of a rule in one line: `accepted_invalid_input: expected X, observed Y`. */
export function findingLine(f: Finding): string {
  return `${f.code}: expected ${f.expected}, observed ${f.observed}`;
}

/** Seconds with millisecond precision, for `time` attributes and durations. */
export function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** Counts in one line: `21 cases: 6 pass, 12 fail (1 waived), 1 unspecified, 1 skip, 1 error`. */
export function countsLine(c: RunSummary['counts']): string {
  return `${c.total} cases: ${c.pass} pass, ${c.fail} fail${c.waived > 0 ? ` (${c.waived} waived)` : ''}, ${c.unspecified} unspecified, ${c.skip} skip, ${c.error} error`;
}

/** Shortens `s` to at most `max` characters, saying how long it was. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const note = `… (${s.length} characters)`;
  return `${s.slice(0, Math.max(0, max - note.length))}${note}`;
}

/**
 * Writes a file atomically: to a temporary file in the same directory, then renamed over the
 * target, so a reader never sees half a report. Returns the path written.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): string {
  const tmp = tempPathFor(path);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return path;
}

/** A temporary file next to `path` (hidden, unique to this process), to rename into place when complete. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * A sequence case's steps, one line each (`3. EnableKey(key 0) → FAIL KeyState.after.policy`), the
 * failing step marked; empty for a case that is not a sequence.
 */
export function sequenceStepLines(c: CaseRecord): string[] {
  const q = c.sequence;
  if (q === undefined) return [];
  const head = `sequence of ${q.steps.length} step(s)${q.shrunk ? ` (shrunk from ${q.shrunk.originalSteps} in ${q.shrunk.attempts} attempt(s))` : ''}, fast-check seed ${q.seed}:`;
  return [
    head,
    ...q.steps.map((s, i) => {
      const verdict = i === q.failingStep ? `FAIL ${s.ruleIds.join(', ')}` : s.verdict;
      const seen = s.observed === undefined ? '' : s.observed.kind === 'response' ? ` (${s.observed.status}${s.observed.code ? ` ${s.observed.code}` : ''})` : ' (no response)';
      return `  ${i + 1}. ${visible(s.call)}${seen} → ${verdict}`;
    }),
  ];
}
