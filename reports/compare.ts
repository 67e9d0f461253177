/**
 * `compare`: several runs' `results.json` side by side, one column per target, one row per rule.
 * Each cell holds the rule's verdict in that run and its first finding. Rules where the targets
 * disagree (one fails or is waived where another passes) come first, then rules whose coverage
 * differs (exercised in one run, not in another), then the rest.
 *
 * Only the summary part of each file is used (`RunSummary`: target, score, per-rule scores). The
 * command line reads just that part of each file (`readResultsSummary`, given as
 * {@link CompareOptions.readSummary}), so runs of any size compare; without it, or for a file laid
 * out otherwise than `run` writes it, the file is read whole.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { formatRatio } from '../scoring/aggregate.ts';
import { RESULTS_SCHEMA_VERSION, type RuleScore, type RuleVerdict, type RunSummary } from '../scoring/results.ts';
import { clip, headline, visible, writeFileAtomic } from './common.ts';
import { esc } from './html.ts';
import { MARKDOWN_LIMIT, mdText } from './markdown.ts';
import { validateResults } from './schema.ts';

/** File names `compare` writes. */
export const COMPARE_HTML_FILE = 'compare.html';
export const COMPARE_MARKDOWN_FILE = 'compare.md';

/** A results file `compare` cannot use: the message names the file, what is wrong and what to do. */
export class CompareInputError extends Error {
  override readonly name = 'CompareInputError';
  readonly exitCode = 2;
}

/** One run as a column. */
export interface CompareColumn {
  /** The target's name, made unique among the columns. */
  readonly name: string;
  readonly file: string;
  readonly summary: RunSummary;
}

/** How a rule stands across the runs. */
export type RowStatus = 'disagree' | 'coverage' | 'same';

/** One rule across the runs. */
export interface CompareRow {
  readonly id: string;
  readonly topic: string;
  readonly statement: string;
  /** The rule's score in each column (`undefined`: the run's contract version has no such rule). */
  readonly cells: readonly (RuleScore | undefined)[];
  readonly status: RowStatus;
}

/** The comparison of several runs. */
export interface Comparison {
  readonly columns: readonly CompareColumn[];
  /** Rows in report order: disagreements, then coverage differences, then the rest (each in catalogue order). */
  readonly rows: readonly CompareRow[];
}

/** Options of {@link loadSummary} and {@link writeComparison}. */
export interface CompareOptions {
  /**
   * Reads the summary part of a `results.json` without its cases, or gives `undefined` (then the
   * file is read whole). The command line passes `readResultsSummary` of `scoring/results-file.ts`.
   */
  readonly readSummary?: (file: string) => unknown;
}

/**
 * Reads the summary of a `results.json`. Throws a {@link CompareInputError} for a missing or
 * unreadable file, text that is not JSON, a different format version, or a summary that does not
 * match the schema.
 */
export function loadSummary(file: string, options: CompareOptions = {}): RunSummary {
  const head = options.readSummary?.(file);
  return checkSummary(file, head === undefined ? readWhole(file) : head);
}

function readWhole(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CompareInputError(`${file}: no such file. Give the results.json of a finished run (kms-conformance run writes it into its --out directory).`);
    if (code === 'EISDIR') throw new CompareInputError(`${file}: is a directory. Give the results.json inside it: ${join(file, 'results.json')}`);
    throw new CompareInputError(`${file}: cannot be read (${(e as Error).message}).`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new CompareInputError(`${file}: not valid JSON (${(e as Error).message}). Give a results.json written by kms-conformance run; a run stopped mid-write leaves no results.json.`);
  }
  return data;
}

function checkSummary(file: string, data: unknown): RunSummary {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new CompareInputError(`${file}: not a results.json (the top level is not an object).`);
  const { cases: _cases, ...summary } = data as Record<string, unknown>;
  if (summary.schemaVersion !== RESULTS_SCHEMA_VERSION) {
    throw new CompareInputError(`${file}: results format version ${JSON.stringify(summary.schemaVersion)}, but this kms-conformance reads version ${RESULTS_SCHEMA_VERSION}. Re-run it with this version, or compare with the version that wrote it.`);
  }
  const v = validateResults({ ...summary, cases: [] }, 5);
  if (!v.ok) throw new CompareInputError(`${file}: not a valid results.json summary: ${v.errors.join('; ')}.`);
  return summary as unknown as RunSummary;
}

function uniqueNames(inputs: readonly { file: string; summary: RunSummary }[]): string[] {
  const base = inputs.map((i) => i.summary.target.name);
  const count = new Map<string, number>();
  for (const n of base) count.set(n, (count.get(n) ?? 0) + 1);
  const names = base.map((n, i) => (count.get(n)! > 1 ? `${n} (${basename(dirname(inputs[i]!.file)) || inputs[i]!.file})` : n));
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return names.filter((x) => x === n).length > 1 ? `${n} #${k}` : n;
  });
}

const DECIDED_BAD: ReadonlySet<RuleVerdict> = new Set(['fail', 'waived']);

function statusOf(cells: readonly (RuleScore | undefined)[]): RowStatus {
  const verdicts = cells.map((c) => c?.verdict);
  if (verdicts.some((v) => v !== undefined && DECIDED_BAD.has(v)) && verdicts.some((v) => v === 'pass')) return 'disagree';
  return new Set(verdicts).size > 1 ? 'coverage' : 'same';
}

/** Lines up the runs: one column per run, one row per rule of any run. */
export function compareRuns(inputs: readonly { file: string; summary: RunSummary }[]): Comparison {
  const names = uniqueNames(inputs);
  const columns = inputs.map((i, k) => ({ name: names[k]!, file: i.file, summary: i.summary }));
  const order: string[] = [];
  const meta = new Map<string, RuleScore>();
  for (const c of columns) {
    for (const r of c.summary.rules) {
      if (!meta.has(r.id)) {
        meta.set(r.id, r);
        order.push(r.id);
      }
    }
  }
  const byRun = columns.map((c) => new Map(c.summary.rules.map((r) => [r.id, r])));
  const rows = order.map((id): CompareRow => {
    const cells = byRun.map((m) => m.get(id));
    const m = meta.get(id)!;
    return { id, topic: m.topic, statement: m.statement, cells, status: statusOf(cells) };
  });
  const rank: Record<RowStatus, number> = { disagree: 0, coverage: 1, same: 2 };
  const sorted = rows.map((r, i) => ({ r, i })).sort((a, b) => rank[a.r.status] - rank[b.r.status] || a.i - b.i).map((x) => x.r);
  return { columns, rows: sorted };
}

/** A cell in one line of plain text: `fail 1/3 · unexpected_error_code: observed 400 InvalidArnException`. */
export function cellText(c: RuleScore | undefined): string {
  if (c === undefined) return 'not in this contract version';
  const decided = c.counts.pass + c.counts.fail;
  const n = c.verdict === 'fail' || c.verdict === 'waived' ? ` ${c.counts.fail}/${decided}` : c.verdict === 'pass' ? ` ${c.counts.pass}/${decided}` : '';
  const f = c.firstFinding && (c.verdict === 'fail' || c.verdict === 'waived') ? ` · ${c.firstFinding.code}: observed ${clip(c.firstFinding.observed, 80)}` : '';
  return `${c.verdict}${n}${f}`;
}

const ICON: Record<string, string> = { pass: '✅', fail: '❌', waived: '⚠️', unspecified: '➖', 'not-exercised': '·' };

function scoreOf(s: RunSummary): string {
  return `${headline(s.score)} (rules ${s.score.rulesPassing}/${s.score.rulesExercised}, ${formatRatio(s.score.ruleRatio)})`;
}

/**
 * The comparison as Markdown, under {@link MARKDOWN_LIMIT} characters: rules no run exercised are
 * left out, and so are the last rows when the limit is reached (both counted in a note).
 */
export function compareMarkdown(c: Comparison, maxChars: number = MARKDOWN_LIMIT): string {
  const counts = { disagree: 0, coverage: 0, same: 0 };
  for (const r of c.rows) counts[r.status]++;
  const head = [
    `## KMS conformance: ${c.columns.length} runs compared`,
    '',
    '| Target | Score | Contract | Seed | Run | File |',
    '|---|---|---|---|---|---|',
    ...c.columns.map((col) => `| ${mdText(col.name)} | ${scoreOf(col.summary)} | ${col.summary.contract.version} | ${col.summary.run.seed} | ${col.summary.run.startedAt}${col.summary.run.status === 'interrupted' ? ' (interrupted)' : ''} | ${mdText(col.file)} |`),
    '',
    `${counts.disagree} rule(s) where the targets disagree (one fails where another passes), ${counts.coverage} where coverage differs, ${counts.same} the same.`,
    '',
    `| Rule | ${c.columns.map((col) => mdText(col.name)).join(' | ')} |`,
    `|---|${c.columns.map(() => '---').join('|')}|`,
  ];
  const budget = maxChars - head.join('\n').length - 400;
  let used = 0;
  const rows: string[] = [];
  let lastStatus: RowStatus | undefined;
  const idle = (r: CompareRow): boolean => r.cells.every((cell) => cell === undefined || cell.verdict === 'not-exercised');
  const shown = c.rows.filter((r) => !idle(r));
  const idleCount = c.rows.length - shown.length;
  for (const r of shown) {
    const label = r.status !== lastStatus ? ` **${r.status === 'disagree' ? 'disagree' : r.status === 'coverage' ? 'coverage differs' : 'same'}**` : '';
    const line = `| \`${visible(r.id)}\`${label} | ${r.cells.map((cell) => `${ICON[cell?.verdict ?? ''] ?? '—'} ${mdText(cellText(cell))}`).join(' | ')} |`;
    if (used + line.length + 1 > budget) break;
    used += line.length + 1;
    rows.push(line);
    lastStatus = r.status;
  }
  const left = shown.length - rows.length;
  const note = left > 0 ? ['', `> **Truncated:** ${left} more rule(s) not shown, to stay under ${maxChars.toLocaleString('en-US')} characters; compare.html lists every rule.`] : [];
  const idleNote = idleCount > 0 ? ['', `${idleCount} rule(s) that no run exercised are left out; compare.html lists them.`] : [];
  return [...head, ...rows, ...note, ...idleNote, ''].join('\n');
}

const CSS = `body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1f2328}
main{max-width:1400px;margin:0 auto;padding:16px 20px}
h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:24px 0 8px}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d1d9e0;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa;position:sticky;top:0}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:12.5px}
.pill{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;color:#fff}
.pass{background:#2da44e}.fail{background:#cf222e}.waived{background:#8250df}.unspecified{background:#8c959f}.not-exercised{background:#eaeef2;color:#59636e}.absent{background:#fff;color:#59636e;border:1px dashed #d1d9e0}
tr.disagree td:first-child{box-shadow:inset 3px 0 #cf222e}tr.coverage td:first-child{box-shadow:inset 3px 0 #bf8700}
.meta{color:#59636e;font-size:12px}.group td{background:#f6f8fa;font-weight:600}`;

function htmlCell(c: RuleScore | undefined): string {
  if (c === undefined) return '<td><span class="pill absent">absent</span><div class="meta">not in this contract version</div></td>';
  const decided = c.counts.pass + c.counts.fail;
  const f = c.firstFinding && (c.verdict === 'fail' || c.verdict === 'waived') ? `<div><code>${esc(c.firstFinding.code)}</code>: expected ${esc(clip(c.firstFinding.expected, 120))}, observed ${esc(clip(c.firstFinding.observed, 120))}</div>` : '';
  return `<td data-verdict="${esc(c.verdict)}"><span class="pill ${esc(c.verdict)}">${esc(c.verdict)}</span> <span class="meta">${c.counts.fail} fail / ${decided} decided</span>${f}</td>`;
}

/** The comparison as one self-contained HTML page (no script, no network). */
export function compareHtml(c: Comparison): string {
  const groups: [RowStatus, string][] = [
    ['disagree', 'Targets disagree: one fails (or is waived) where another passes'],
    ['coverage', 'Coverage differs: exercised in one run, not in another'],
    ['same', 'Same verdict everywhere'],
  ];
  const body = groups
    .map(([status, title]) => {
      const rows = c.rows.filter((r) => r.status === status);
      if (rows.length === 0) return '';
      return `<tr class="group"><td colspan="${c.columns.length + 1}">${esc(title)} (${rows.length})</td></tr>\n${rows.map((r) => `<tr class="${status}" data-rule-id="${esc(r.id)}"><td><code>${esc(r.id)}</code><div class="meta">${esc(r.topic)} · ${esc(r.statement)}</div></td>${r.cells.map(htmlCell).join('')}</tr>`).join('\n')}`;
    })
    .join('\n');
  const runs = c.columns
    .map((col) => `<tr><td>${esc(col.name)}</td><td>${esc(scoreOf(col.summary))}</td><td>${esc(col.summary.contract.version)}</td><td>${col.summary.run.seed}</td><td>${esc(col.summary.run.startedAt)}${col.summary.run.status === 'interrupted' ? ' (interrupted)' : ''}</td><td><code>${esc(col.file)}</code></td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>KMS conformance: ${esc(c.columns.map((x) => x.name).join(' vs '))}</title><style>${CSS}</style></head>
<body><main><h1>KMS conformance: ${c.columns.length} runs compared</h1>
<table><thead><tr><th>Target</th><th>Score</th><th>Contract</th><th>Seed</th><th>Run</th><th>File</th></tr></thead><tbody>${runs}</tbody></table>
<h2>Rules</h2>
<table id="compare"><thead><tr><th>Rule</th>${c.columns.map((col) => `<th>${esc(col.name)}</th>`).join('')}</tr></thead><tbody>
${body}
</tbody></table></main></body></html>
`;
}

/** Reads the files, writes `compare.html` and `compare.md` into `dir`, and returns the comparison and paths. */
export function writeComparison(files: readonly string[], dir: string, options: CompareOptions = {}): { comparison: Comparison; written: string[] } {
  const comparison = compareRuns(files.map((file) => ({ file, summary: loadSummary(file, options) })));
  const written = [writeFileAtomic(join(dir, COMPARE_HTML_FILE), compareHtml(comparison)), writeFileAtomic(join(dir, COMPARE_MARKDOWN_FILE), compareMarkdown(comparison))];
  return { comparison, written };
}
