/**
 * `results.json`, streamed: case records are appended to a temporary JSON Lines file as the run
 * goes (memory stays flat in the number of cases, and nothing is lost when the run stops), and at
 * the end the summary and the records are written to `results.json.tmp` and renamed into place
 * (a reader never sees half a file).
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CaseRecord, RunSummary } from '../scoring/results.ts';

/** Name of the results file in a report directory. */
export const RESULTS_FILE = 'results.json';
const PARTIAL = '.results.cases.jsonl';

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

  /** The records, one JSON line at a time, in the order added (after {@link RecordSpool.end}). */
  async *lines(): AsyncGenerator<string, void, undefined> {
    if (!this.ended) throw new Error(`RecordSpool: ${this.file} is still being written; call end() before reading it.`);
    const input = createReadStream(this.file, { encoding: 'utf8', highWaterMark: 1 << 16 });
    let rest = '';
    try {
      for await (const chunk of input as AsyncIterable<string>) {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop()!;
        for (const line of parts) if (line !== '') yield line;
      }
      if (rest !== '') yield rest;
    } finally {
      input.destroy();
    }
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

/** Writes `results.json` into a directory, one case at a time. */
export class ResultsWriter {
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
    this.partial.add(record);
  }

  /** Waits until the stream has taken every record so far (back-pressure for the runner). */
  async drained(): Promise<void> {
    await this.partial.drained();
  }

  /**
   * Writes `results.json` atomically (summary first, then `cases`, each passed through
   * `transform`, which the run uses to settle failures' blame), and removes the partial file.
   */
  async finish(summary: RunSummary, transform: (record: CaseRecord) => CaseRecord = (r) => r): Promise<string> {
    await this.partial.end();
    const final = join(this.dir, RESULTS_FILE);
    const tmp = `${final}.tmp`;
    const head = JSON.stringify(summary, null, 2);
    const out = createWriteStream(tmp, { flags: 'w' });
    const write = (s: string): Promise<void> => (out.write(s) ? Promise.resolve() : new Promise((r) => out.once('drain', () => r())));
    await write(`${head.slice(0, -2)},\n  "cases": [`);
    let first = true;
    for await (const line of this.partial.lines()) {
      const record = JSON.parse(line) as CaseRecord;
      const out = transform(record);
      await write(`${first ? '\n' : ',\n'}    ${out === record ? line : JSON.stringify(out)}`);
      first = false;
    }
    await write(first ? ']\n}\n' : '\n  ]\n}\n');
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
