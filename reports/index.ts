/**
 * The report writers behind `--format`: `writeReports(results, dir, formats)` writes the chosen
 * reports into the report directory, each atomically (a temporary file in the same directory,
 * then a rename). `results.json` itself is streamed by the runner (`reports/json.ts`); here `json`
 * is accepted in `formats` and left to it. `writeReportsFromStream(summary, cases, dir, formats)`
 * writes the same files from cases given one at a time, in memory that does not grow with them.
 */
import { KmsConformanceUserError } from '../contract/errors.ts';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseRecord, RunResults, RunSummary } from '../scoring/results.ts';
import { writeBadge } from './badge.ts';
import { writeFileAtomic, type WriterOptions } from './common.ts';
import { CaseDigester } from './digest.ts';
import { HTML_FILE, htmlDocument, writeHtml } from './html.ts';
import { JunitWriter, writeJunit } from './junit.ts';
import { MARKDOWN_FILE, markdownDocument, writeMarkdown } from './markdown.ts';

export { BADGE_FILE, badgeSvg } from './badge.ts';
export { DEFAULT_REPORT_DIR, failingRules, replayCommand, scoreLine, writeFileAtomic } from './common.ts';
export { consoleSummary, useColor } from './console.ts';
export { HTML_FILE, htmlReport } from './html.ts';
export { JUNIT_FILE, junitXml } from './junit.ts';
export { MARKDOWN_FILE, MARKDOWN_LIMIT, markdownSummary } from './markdown.ts';
export { REDACTED, redactCaseRecord, redactExchange, redactHeaders, redactText } from '../scoring/redact.ts';
export { validateResults } from './schema.ts';

/** Every report format, in the order `--format` lists them (`md` is `summary.md`). */
export const REPORT_FORMATS = ['json', 'junit', 'html', 'md', 'badge'] as const;
/** One of {@link REPORT_FORMATS}. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** A `--format` value that is not a report format: the message lists the valid ones. */
export class ReportFormatError extends KmsConformanceUserError {
  override name = 'ReportFormatError';
  readonly exitCode = 2;
  constructor(message: string) {
    super('--format', message, message);
  }
}

/**
 * Parses a `--format` value (`junit,html` or `all`) into formats, in {@link REPORT_FORMATS} order
 * and without repeats. Throws a {@link ReportFormatError} naming an unknown format.
 */
export function parseFormats(raw: string): ReportFormat[] {
  const parts = raw.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  if (parts.length === 0) throw new ReportFormatError(`--format is empty. Give one or more of ${REPORT_FORMATS.join(', ')} separated by commas, or all.`);
  if (parts.includes('all')) return [...REPORT_FORMATS];
  for (const p of parts) {
    if (!(REPORT_FORMATS as readonly string[]).includes(p)) {
      throw new ReportFormatError(`--format has unknown format '${p}'. Valid formats: ${REPORT_FORMATS.join(', ')} (or all). Example: --format junit,html`);
    }
  }
  return REPORT_FORMATS.filter((f) => parts.includes(f));
}

/**
 * Writes the chosen reports into `dir` (created if missing) and returns the paths written, in
 * {@link REPORT_FORMATS} order. `json` is skipped: the runner streams `results.json`. Replay lines
 * name `options.reportDir`, which defaults to `dir`.
 */
export function writeReports(results: RunResults, dir: string, formats: readonly ReportFormat[] = REPORT_FORMATS, options: WriterOptions = {}): string[] {
  mkdirSync(dir, { recursive: true });
  const opts: WriterOptions = { reportDir: options.reportDir ?? dir };
  const written: string[] = [];
  for (const f of REPORT_FORMATS) {
    if (!formats.includes(f)) continue;
    if (f === 'junit') written.push(writeJunit(results, dir, opts));
    else if (f === 'html') written.push(writeHtml(results, dir, opts));
    else if (f === 'md') written.push(writeMarkdown(results, dir, opts));
    else if (f === 'badge') written.push(writeBadge(results, dir));
  }
  return written;
}

/**
 * Writes the chosen reports, like {@link writeReports}, from the run's summary and its cases given
 * one at a time (in the run's order): `junit.xml` keeps its elements in a temporary file until the
 * end, and the HTML and Markdown reports keep only what they show. Memory does not grow with the
 * number of cases, so the reports of a run of any length are written (the CLI reads the cases
 * from `results.json` with `streamResults`).
 */
export async function writeReportsFromStream(summary: RunSummary, cases: AsyncIterable<CaseRecord>, dir: string, formats: readonly ReportFormat[] = REPORT_FORMATS, options: WriterOptions = {}): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const opts: WriterOptions = { reportDir: options.reportDir ?? dir };
  const junit = formats.includes('junit') ? JunitWriter.open(dir, opts) : undefined;
  const digester = formats.includes('html') || formats.includes('md') ? new CaseDigester(summary.rules) : undefined;
  try {
    for await (const c of cases) {
      junit?.add(c);
      digester?.add(c);
    }
  } catch (e) {
    junit?.discard();
    throw e;
  }
  const written: string[] = [];
  for (const f of REPORT_FORMATS) {
    if (!formats.includes(f)) continue;
    if (f === 'junit') written.push(junit!.finish(summary));
    else if (f === 'html') written.push(writeFileAtomic(join(dir, HTML_FILE), htmlDocument(summary, digester!.digest, opts)));
    else if (f === 'md') written.push(writeFileAtomic(join(dir, MARKDOWN_FILE), markdownDocument(summary, digester!.digest.firstSequences, opts)));
    else if (f === 'badge') written.push(writeBadge(summary, dir));
  }
  return written;
}
