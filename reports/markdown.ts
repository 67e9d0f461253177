/**
 * `summary.md`: the run for a CI job summary or a pull-request comment. The score, the counts, the
 * failing rules with their first finding, and the replay line of each rule's first failing case.
 *
 * GitHub's limits: a job summary takes 1 MiB per step, a pull-request comment 65,536 characters.
 * The summary stays under {@link MARKDOWN_LIMIT} characters (counted as UTF-16 code units, which is
 * never fewer than characters); when the failing rules do not fit, it lists as many as fit and
 * says how many it left out and where to find them.
 */
import { join } from 'node:path';
import type { CaseRecord, RuleScore, RunResults, RunSummary } from '../scoring/results.ts';
import { digestCases, type CaseDigest } from './digest.ts';
import { clip, countsLine, failingRules, headline, replayCommand, scoreLine, sequenceStepLines, visible, writeFileAtomic, type WriterOptions } from './common.ts';

/** File name of the Markdown summary in the report directory. */
export const MARKDOWN_FILE = 'summary.md';

/** The largest pull-request comment GitHub takes, in characters. */
export const MARKDOWN_LIMIT = 65_536;

/** Options of {@link markdownSummary}. */
export interface MarkdownOptions extends WriterOptions {
  /** Upper bound on the length (default {@link MARKDOWN_LIMIT}). */
  readonly maxChars?: number;
}

/** Text for a table cell or a line of prose: Markdown and HTML syntax escaped, one line. */
export function mdText(s: string): string {
  return visible(s)
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;');
}

/** An id in a code span (ids never hold a backtick; anything odd is shown escaped). */
function code(s: string): string {
  const v = visible(s).replace(/`/g, "'");
  return `\`${v}\``;
}

/** At most `n` items as code spans, then how many more. */
function someOf(items: readonly string[], n = 20): string {
  const shown = items.slice(0, n).map((i) => code(clip(i, 200)));
  return items.length > n ? `${shown.join(', ')} and ${items.length - n} more` : shown.join(', ');
}

function ruleRow(r: RuleScore): string {
  const f = r.firstFinding;
  const finding = f === undefined ? '' : `**${f.code}**: expected ${mdText(clip(f.expected, 200))}, observed ${mdText(clip(f.observed, 200))}`;
  const failed = `${r.counts.fail - r.counts.waived}/${r.counts.pass + r.counts.fail}`;
  return `| ${code(r.id)} | ${r.topic} | ${failed} | ${finding} |`;
}

function replayEntry(r: RuleScore, reportDir: string | undefined, cases: ReadonlyMap<string, CaseRecord>): string {
  const first = r.firstFinding === undefined ? undefined : cases.get(r.firstFinding.caseId);
  const steps = first === undefined ? [] : sequenceStepLines(first).map((l) => `# ${l}`);
  const cmd = r.firstReplayFile === undefined ? '# (no replay file was saved for this case)' : replayCommand(r.firstReplayFile, reportDir);
  return [`# ${visible(r.id)}${r.firstFinding ? ` (${r.firstFinding.code}, case ${visible(r.firstFinding.caseId)})` : ''}`, ...steps, cmd].join('\n').replace(/`{3,}/g, "'''");
}

/**
 * The Markdown summary. Failing rules come in catalogue order; the replay block repeats them in the
 * same order with each rule's first failing case.
 */
export function markdownSummary(results: RunResults, options: MarkdownOptions = {}): string {
  return markdownDocument(results, digestCases(results.cases ?? [], results.rules).firstSequences, options);
}

/**
 * The Markdown summary from the run's summary and the sequence cases that are rules' first
 * findings, by id (a {@link CaseDigest}'s `firstSequences`), so it is written without every case.
 */
export function markdownDocument(results: RunSummary, firstSequences: CaseDigest['firstSequences'], options: MarkdownOptions = {}): string {
  const limit = options.maxChars ?? MARKDOWN_LIMIT;
  const s = results.score;
  const failing = failingRules(results);
  const head: string[] = [];
  head.push(`## KMS conformance: ${mdText(clip(results.target.name, 200))} — ${headline(s)}`, '');
  head.push(`**${scoreLine(s)}.**`, '');
  head.push(`${countsLine(results.counts)}. Contract ${results.contract.version}, seed ${results.run.seed}, transports ${results.transports.join(', ')}, ${(results.run.durationMs / 1000).toFixed(1)} s.`);
  if (results.run.status === 'interrupted') head.push('', '> **The run was interrupted**: not every case ran, so the score covers only the cases that did.');
  if (results.counts.error > 0) head.push('', `> ${results.counts.error} case(s) ended in a harness or set-up error; they are not counted against the target (see report.html).`);
  const b = results.baseline;
  if (b !== undefined) {
    head.push('', `Baseline ${code(b.file)}: ${b.waived} failure(s) waived; ${b.expired.length > 0 ? `**expired entries (the run fails): ${someOf(b.expired)}**` : 'no expired entries'}; ${b.stale.length > 0 ? `stale entries (matched nothing; remove them): ${someOf(b.stale)}` : 'no stale entries'}.`);
  }
  head.push('');
  const foot = ['', `Full report: ${code(`${options.reportDir ?? 'conformance-report'}/report.html`)} (every case, the error-code matrix, the settings); machine-readable: ${code('results.json')}, ${code('junit.xml')}. Reproduce the run: ${code(clip(results.run.command, 1000))}.`, ''];
  if (failing.length === 0) {
    const exercised = s.rulesExercised;
    return [...head, `### No failing rules`, '', `All ${exercised} exercised rule(s) pass.`, ...foot].join('\n');
  }
  const tableHead = [`### Failing rules (${failing.length} of ${s.rulesExercised} exercised)`, '', '| Rule | Topic | Failed | First finding |', '|---|---|---|---|'];
  const replayHead = ['', '### Replay the first failing case of each rule', '', '```sh'];
  const replayFoot = ['```'];
  const fixed = [...head, ...tableHead, ...replayHead, ...replayFoot, ...foot].join('\n').length + 400;
  let budget = limit - fixed;
  const rows: string[] = [];
  const replays: string[] = [];
  for (const r of failing) {
    const row = ruleRow(r);
    const replay = replayEntry(r, options.reportDir, firstSequences);
    const cost = row.length + replay.length + 2;
    if (cost > budget) break;
    budget -= cost;
    rows.push(row);
    replays.push(replay);
  }
  const left = failing.length - rows.length;
  const note = left > 0 ? ['', `> **Truncated:** ${left} more failing rule(s) not shown, to keep this summary under ${limit.toLocaleString('en-US')} characters (GitHub's pull-request comment limit). Every failing rule is in report.html and junit.xml.`] : [];
  const out = [...head, ...tableHead, ...rows, ...note, ...replayHead, ...replays, ...replayFoot, ...foot].join('\n');
  if (out.length > limit) throw new Error(`summary.md came out at ${out.length} characters, over the ${limit} limit: a bug in reports/markdown.ts's budget`);
  return out;
}

/** Writes `summary.md` into `dir` (atomically) and returns its path. */
export function writeMarkdown(results: RunResults, dir: string, options: MarkdownOptions = {}): string {
  return writeFileAtomic(join(dir, MARKDOWN_FILE), markdownSummary(results, options));
}
