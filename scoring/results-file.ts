/**
 * `results.json`, streamed: case records are appended to a temporary JSON Lines file as the run
 * goes (memory stays flat in the number of cases, and nothing is lost when the run stops), and at
 * the end the summary and the records are written to `results.json.tmp` and renamed into place
 * (a reader never sees half a file).
 */
import { closeSync, createReadStream, createWriteStream, openSync, readSync, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CaseRecord, RunSummary } from '../scoring/results.ts';

/** Name of the results file in a report directory. */
export const RESULTS_FILE = 'results.json';
const PARTIAL = '.results.cases.jsonl';
const NEWLINE = 0x0a;

/**
 * The lines of a file as bytes (without their line feeds; empty lines left out). Each read fills a
 * buffer of its own, so a line handed out as a view into it stays valid; the pieces of a line that
 * spans reads are joined once, at its end, so a line of megabytes is read in time linear in its
 * length.
 */
async function* fileLines(file: string): AsyncGenerator<Buffer, void, undefined> {
  const input = createReadStream(file, { highWaterMark: 1 << 20 });
  let pieces: Buffer[] = [];
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      let start = 0;
      for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
        const tail = chunk.subarray(start, nl);
        const line = pieces.length === 0 ? tail : Buffer.concat([...pieces, tail]);
        pieces = [];
        start = nl + 1;
        if (line.length > 0) yield line;
      }
      if (start < chunk.length) pieces.push(chunk.subarray(start));
    }
    const last = Buffer.concat(pieces);
    if (last.length > 0) yield last;
  } finally {
    input.destroy();
  }
}

/**
 * Case records in a JSON Lines file, appended as a run goes and read back one at a time: how a
 * run keeps records it needs again at the end (the cases of `results.json`, its failures for
 * blame, shrinking and the baseline) without holding them in memory.
 */
export class RecordSpool {
  private pending: Promise<void> = Promise.resolve();
  private count = 0;
  private ended = false;

  private constructor(
    readonly file: string,
    private readonly stream: WriteStream,
  ) {}

  /** Opens a spool on `file` (replacing it), its directory created when missing. */
  static async open(file: string): Promise<RecordSpool> {
    await mkdir(dirname(file), { recursive: true });
    const stream = createWriteStream(file, { flags: 'w', highWaterMark: 4 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    return new RecordSpool(file, stream);
  }

  /** Appends one record (in the order given). */
  add(record: CaseRecord): void {
    this.count++;
    if (!this.stream.write(`${JSON.stringify(record)}\n`)) {
      // Listen now: a listener added later could miss the drain and wait for ever.
      const drained = new Promise<void>((r) => this.stream.once('drain', () => r()));
      this.pending = this.pending.then(() => drained);
    }
  }

  /** Waits until the file has taken every record so far (back-pressure for the run). */
  async drained(): Promise<void> {
    await this.pending;
  }

  /** Ends writing (once); {@link RecordSpool.lines} may read the file from then on. */
  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.pending;
    await new Promise<void>((resolve, reject) => this.stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
  }

  /** The records, one JSON line at a time as the UTF-8 bytes written, in the order added (after {@link RecordSpool.end}). */
  async *lineBytes(): AsyncGenerator<Buffer, void, undefined> {
    if (!this.ended) throw new Error(`RecordSpool: ${this.file} is still being written; call end() before reading it.`);
    yield* fileLines(this.file);
  }

  /** The records, one JSON line at a time, in the order added (after {@link RecordSpool.end}). */
  async *lines(): AsyncGenerator<string, void, undefined> {
    for await (const line of this.lineBytes()) yield line.toString('utf8');
  }

  /** The records, parsed, in the order added (after {@link RecordSpool.end}). */
  async *records(): AsyncGenerator<CaseRecord, void, undefined> {
    for await (const line of this.lines()) yield JSON.parse(line) as CaseRecord;
  }

  /** Deletes the file (a spool still being written is closed at once, dropping what it had not written). */
  async remove(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      if (!this.stream.closed) {
        await new Promise<void>((resolve) => {
          this.stream.once('close', () => resolve());
          this.stream.destroy();
        });
      }
    }
    await rm(this.file, { force: true });
  }

  /** Records added so far. */
  get written(): number {
    return this.count;
  }
}

/**
 * Writes `results.json` into a directory, one case at a time. Only failing records are read back
 * as objects at the end (to settle their blame); every other line is copied as it was written, so
 * finishing costs a file copy, not a parse of every case.
 */
export class ResultsWriter {
  /** Positions (in the order added) of the records whose verdict is `fail`, ascending. */
  private readonly failing: number[] = [];

  private constructor(
    readonly dir: string,
    private readonly partial: RecordSpool,
  ) {}

  /** Opens a writer on `dir` (created when missing). */
  static async open(dir: string): Promise<ResultsWriter> {
    return new ResultsWriter(dir, await RecordSpool.open(join(dir, PARTIAL)));
  }

  /** Appends one case record (in the order given). */
  add(record: CaseRecord): void {
    if (record.verdict === 'fail') this.failing.push(this.partial.written);
    this.partial.add(record);
  }

  /** Waits until the stream has taken every record so far (back-pressure for the runner). */
  async drained(): Promise<void> {
    await this.partial.drained();
  }

  /**
   * Writes `results.json` atomically (summary first, then `cases`, each failing one passed through
   * `settle`, which the run uses to settle failures' blame), and removes the partial file.
   */
  async finish(summary: RunSummary, settle: (failing: CaseRecord) => CaseRecord = (r) => r): Promise<string> {
    await this.partial.end();
    const final = join(this.dir, RESULTS_FILE);
    const tmp = `${final}.tmp`;
    const head = JSON.stringify(summary, null, 2);
    const out = createWriteStream(tmp, { flags: 'w', highWaterMark: 1 << 20 });
    const write = (s: string | Buffer): Promise<void> => (out.write(s) ? Promise.resolve() : new Promise((r) => out.once('drain', () => r())));
    await write(`${head.slice(0, -2)},\n  "cases": [`);
    let i = 0;
    let next = 0; // index into this.failing of the next failing record
    for await (const line of this.partial.lineBytes()) {
      let text: string | Buffer = line;
      if (this.failing[next] === i) {
        next++;
        const record = JSON.parse(line.toString('utf8')) as CaseRecord;
        const settled = settle(record);
        if (settled !== record) text = JSON.stringify(settled);
      }
      await write(i === 0 ? '\n    ' : ',\n    ');
      await write(text);
      i++;
    }
    await write(i === 0 ? ']\n}\n' : '\n  ]\n}\n');
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    await rename(tmp, final);
    await this.partial.remove();
    return final;
  }

  /** Records written so far. */
  get written(): number {
    return this.partial.written;
  }
}

/** Writes a small JSON file atomically (temp file + rename). */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
  await rename(tmp, path);
}

/** The lines around the case list in a `results.json` written by {@link ResultsWriter}. */
const CASES_OPEN = '  "cases": [';
const CASES_EMPTY = '  "cases": []';
const CASES_CLOSE = '  ]';
const COMMA = 0x2c;

/**
 * The summary from the text before the case list ({@link ResultsWriter} writes the summary's
 * members, a comma, then the list): the members closed as an object. Throws when it is not JSON.
 */
function summaryOfHead(head: string): unknown {
  return JSON.parse(`${head.replace(/,\s*$/, '')}\n}`);
}

/** A `results.json` not laid out the way {@link ResultsWriter} writes it (the summary, then one case a line). */
export class ResultsLayoutError extends Error {
  override name = 'ResultsLayoutError';
}

/**
 * A `results.json` read one case at a time: its summary at once, its cases as they are read. It
 * relies on the layout {@link ResultsWriter} writes (the summary, then one case a line), so the
 * reports of a run are written from a file of any size in flat memory. A file laid out another way
 * (reformatted by hand, say) throws a {@link ResultsLayoutError}: read such a file whole instead.
 */
export interface StreamedResults {
  readonly summary: RunSummary;
  /** The cases in the file's order; can be read once. The file stays open until they are read to the end, or the reading stops. */
  readonly cases: AsyncIterable<CaseRecord>;
}

/** Opens `file`, a `results.json` written by {@link ResultsWriter}; see {@link StreamedResults}. */
export async function streamResults(file: string): Promise<StreamedResults> {
  const lines = fileLines(file)[Symbol.asyncIterator]();
  const head: string[] = [];
  let empty = false;
  for (;;) {
    const next = await lines.next();
    if (next.done === true) throw new ResultsLayoutError(`${file}: no line ${JSON.stringify(CASES_OPEN)} follows the summary, so it was not written by kms-conformance or was reformatted.`);
    const line = next.value.toString('utf8');
    if (line === CASES_OPEN || line === CASES_EMPTY) {
      empty = line === CASES_EMPTY;
      break;
    }
    head.push(line);
  }
  let summary: RunSummary;
  try {
    summary = summaryOfHead(head.join('\n')) as RunSummary;
  } catch (e) {
    await lines.return?.(undefined);
    throw new ResultsLayoutError(`${file}: the summary before the case list is not JSON (${e instanceof Error ? e.message : String(e)}).`);
  }
  async function* cases(): AsyncGenerator<CaseRecord, void, undefined> {
    let n = 0;
    try {
      if (empty) return;
      for (;;) {
        const next = await lines.next();
        if (next.done === true) throw new ResultsLayoutError(`${file}: the case list does not end (${n} cases read); the file is cut short.`);
        const line = next.value;
        if (line.length === CASES_CLOSE.length && line.toString('latin1') === CASES_CLOSE) return;
        const end = line[line.length - 1] === COMMA ? line.length - 1 : line.length;
        let record: CaseRecord;
        try {
          record = JSON.parse(line.toString('utf8', 0, end)) as CaseRecord;
        } catch (e) {
          throw new ResultsLayoutError(`${file}: case ${n + 1} is not one JSON value on one line (${e instanceof Error ? e.message : String(e)}).`);
        }
        n++;
        yield record;
      }
    } finally {
      await lines.return?.(undefined);
    }
  }
  return { summary, cases: cases() };
}

/** How far into a file {@link readResultsSummary} looks for the case list (the summary is well under 1 MB). */
const SUMMARY_SEARCH_BYTES = 16 * 1024 * 1024;

/**
 * The summary of a `results.json` written by {@link ResultsWriter}, read without its cases: the
 * file is read up to the line that opens the case list, so a file of any size costs about the
 * summary's size. `undefined` when the file cannot be read or is laid out another way (read such a
 * file whole, which also gives the reason).
 */
export function readResultsSummary(file: string): unknown {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const marker = Buffer.from(`\n${CASES_OPEN}`);
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(1 << 20);
      const n = readSync(fd, chunk, 0, chunk.length, size);
      if (n === 0) return undefined;
      chunks.push(chunk.subarray(0, n));
      size += n;
      const text = Buffer.concat(chunks, size);
      // Search from just before this chunk, so a marker split across two reads is found.
      const at = text.indexOf(marker, Math.max(0, size - n - marker.length));
      if (at !== -1) return summaryOfHead(text.toString('utf8', 0, at));
      if (size >= SUMMARY_SEARCH_BYTES) return undefined;
    }
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
