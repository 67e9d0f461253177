/**
 * The end-of-run console summary: the score, the failing rules with their first finding and replay
 * line, the baseline's news, keys left behind, and where the reports are. Plain text; colour only
 * when the caller says the stream is a terminal ({@link useColor}).
 */
import { posix } from 'node:path';
import type { RunSummary } from '../scoring/results.ts';
import { clip, countsLine, failingRules, findingLine, replayCommand, scoreLine, visible, type WriterOptions } from './common.ts';

/** Options of {@link consoleSummary}. */
export interface ConsoleOptions extends WriterOptions {
  /** ANSI colour (default false). */
  readonly color?: boolean;
  /** Report files written, as names in `reportDir` (listed at the end). */
  readonly files?: readonly string[];
  /** Failing rules listed before "… and N more" (default 20). */
  readonly maxRules?: number;
}

/**
 * Whether to colour output for `stream`: a terminal, and neither `NO_COLOR` set nor `TERM=dumb`
 * (https://no-color.org).
 */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '') && env.TERM !== 'dumb';
}

const ANSI = { red: '\u001b[31m', green: '\u001b[32m', yellow: '\u001b[33m', bold: '\u001b[1m', dim: '\u001b[2m', reset: '\u001b[0m' } as const;

/** The console summary, lines ending in `\n`. */
export function consoleSummary(results: RunSummary, options: ConsoleOptions = {}): string {
  const paint = (style: keyof typeof ANSI, s: string): string => (options.color === true ? `${ANSI[style]}${s}${ANSI.reset}` : s);
  const dir = options.reportDir ?? 'conformance-report';
  const maxRules = options.maxRules ?? 20;
  const failing = failingRules(results);
  const lines: string[] = [];
  const status = results.run.status === 'interrupted' ? ' (interrupted: not every case ran)' : '';
  lines.push(`kms-conformance: ${visible(results.target.name)}, contract ${results.contract.version}, seed ${results.run.seed}${status}`);
  const score = scoreLine(results.score);
  lines.push(paint('bold', paint(failing.length > 0 ? 'red' : 'green', score)));
  lines.push(countsLine(results.counts));
  if (failing.length > 0) {
    lines.push('', `Failing rules (${failing.length}):`);
    for (const r of failing.slice(0, maxRules)) {
      lines.push(`  ${paint('red', 'FAIL')} ${r.id} (${r.counts.fail - r.counts.waived} of ${r.counts.pass + r.counts.fail} decided cases)`);
      if (r.firstFinding) lines.push(`       ${clip(visible(findingLine(r.firstFinding)).replace(/\s+/g, ' '), 240)}`);
      if (r.firstReplayFile !== undefined) lines.push(`       ${paint('dim', replayCommand(r.firstReplayFile, dir))}`);
    }
    if (failing.length > maxRules) lines.push(`  … and ${failing.length - maxRules} more failing rules (see ${posix.join(dir, 'report.html')})`);
  }
  if (results.counts.error > 0) lines.push('', paint('yellow', `${results.counts.error} case(s) ended in a harness or set-up error (not counted against the target).`));
  const b = results.baseline;
  if (b !== undefined) {
    lines.push('', `Baseline ${b.file}: ${b.waived} failure(s) waived.`);
    if (b.expired.length > 0) lines.push(paint('red', `  Expired entries (they fail the run; renew or remove them): ${b.expired.join(', ')}`));
    if (b.stale.length > 0) lines.push(paint('yellow', `  Stale entries (matched no failure; remove them): ${b.stale.join(', ')}`));
  }
  if (results.cleanup.notCleaned.length > 0) {
    lines.push('', paint('yellow', `${results.cleanup.notCleaned.length} key(s) could not be scheduled for deletion; delete them by hand:`));
    for (const k of results.cleanup.notCleaned) lines.push(`  ${k.arn} (${visible(k.reason)})`);
  }
  if (options.files !== undefined && options.files.length > 0) lines.push('', `Reports in ${dir}/: ${options.files.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
