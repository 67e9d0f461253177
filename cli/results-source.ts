/**
 * A `results.json` given on the command line (`merge`, `rescore`), read one case at a time as
 * often as the command needs: its summary at once, its cases from the start each time asked. A
 * file as `run` writes it (the summary, then one case a line) is streamed, so a run of any size is
 * read in flat memory; a file laid out another way is read whole. Both are checked against the
 * JSON Schema: the summary when opened, each case when read with `check`.
 */
import { readFile } from 'node:fs/promises';
import { validateCaseRecord, validateResults } from '../reports/schema.ts';
import { ResultsLayoutError, streamResults } from '../scoring/results-file.ts';
import type { CaseRecord, RunSummary } from '../scoring/results.ts';
import { UsageError } from './errors.ts';

/** An opened `results.json`. */
export interface ResultsSource {
  readonly file: string;
  /** The summary (everything but the cases). */
  readonly results: RunSummary;
  /** The cases from the start, one at a time; each checked against the schema when `check` is true. */
  readonly cases: (check: boolean) => AsyncIterable<CaseRecord> | Iterable<CaseRecord>;
}

/** How a command words its errors: `merge` and what to pass instead (`the results.json of each shard`). */
export interface SourceWording {
  readonly command: string;
  readonly expected: string;
}

function notReadable(file: string, why: string, w: SourceWording): UsageError {
  return new UsageError(`${w.command}: cannot read ${file} as a results.json (${why}). Pass ${w.expected}.`);
}

function invalid(file: string, errors: readonly string[], w: SourceWording, where = ''): UsageError {
  return new UsageError(`${w.command}: ${file} is not a valid results.json: ${where}${errors.slice(0, 3).join('; ')}`);
}

async function* streamedCases(file: string, check: boolean, w: SourceWording): AsyncGenerator<CaseRecord, void, undefined> {
  let n = 0;
  try {
    const { cases } = await streamResults(file);
    for await (const c of cases) {
      n++;
      if (!check) {
        yield c;
        continue;
      }
      const v = validateCaseRecord(c);
      if (!v.ok) throw invalid(file, v.errors, w, `case ${n}: `);
      yield v.record;
    }
  } catch (e) {
    if (e instanceof ResultsLayoutError) throw notReadable(file, e.message, w);
    throw e;
  }
}

/** Opens `file` and checks its summary; throws a {@link UsageError} naming the file and the problem. */
export async function openResultsSource(file: string, w: SourceWording): Promise<ResultsSource> {
  let summary: RunSummary;
  try {
    const streamed = await streamResults(file);
    await streamed.cases[Symbol.asyncIterator]().return?.(undefined); // the summary is all it needs now
    summary = streamed.summary;
  } catch (e) {
    if (!(e instanceof ResultsLayoutError)) throw notReadable(file, e instanceof Error ? e.message : String(e), w);
    let data: unknown;
    try {
      data = JSON.parse(await readFile(file, 'utf8'));
    } catch (e2) {
      throw notReadable(file, e2 instanceof Error ? e2.message : String(e2), w);
    }
    const valid = validateResults(data);
    if (!valid.ok) throw invalid(file, valid.errors, w);
    const { cases, ...rest } = valid.results;
    return { file, results: rest, cases: () => cases };
  }
  const valid = validateResults({ ...summary, cases: [] });
  if (!valid.ok) throw invalid(file, valid.errors, w);
  return { file, results: summary, cases: (check) => streamedCases(file, check, w) };
}
