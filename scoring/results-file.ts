/**
 * `results.json`, streamed: case records are appended to a temporary JSON Lines file as the run
 * goes (memory stays flat in the number of cases, and nothing is lost when the run stops), and at
 * the end the summary and the records are written to `results.json.tmp` and renamed into place
 * (a reader never sees half a file).
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { CaseRecord, RunSummary } from '../scoring/results.ts';

/** Name of the results file in a report directory. */
export const RESULTS_FILE = 'results.json';
const PARTIAL = '.results.cases.jsonl';

/** Writes `results.json` into a directory, one case at a time. */
export class ResultsWriter {
  private stream: WriteStream | undefined;
  private pending: Promise<void> = Promise.resolve();
  private count = 0;

  private constructor(readonly dir: string) {}

  /** Opens a writer on `dir` (created when missing). */
  static async open(dir: string): Promise<ResultsWriter> {
    await mkdir(dir, { recursive: true });
    const w = new ResultsWriter(dir);
    w.stream = createWriteStream(join(dir, PARTIAL), { flags: 'w', highWaterMark: 4 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      w.stream!.once('open', () => resolve());
      w.stream!.once('error', reject);
    });
    return w;
  }

  /** Appends one case record (in the order given). */
  add(record: CaseRecord): void {
    const line = `${JSON.stringify(record)}\n`;
    this.count++;
    const s = this.stream!;
    if (!s.write(line)) {
      // Listen now: a listener added later could miss the drain and wait for ever.
      const drained = new Promise<void>((r) => s.once('drain', () => r()));
      this.pending = this.pending.then(() => drained);
    }
  }

  /** Waits until the stream has taken every record so far (back-pressure for the runner). */
  async drained(): Promise<void> {
    await this.pending;
  }

  /**
   * Writes `results.json` atomically (summary first, then `cases`, each passed through
   * `transform`, which the run uses to settle failures' blame), and removes the partial file.
   */
  async finish(summary: RunSummary, transform: (record: CaseRecord) => CaseRecord = (r) => r): Promise<string> {
    await this.pending;
    await new Promise<void>((resolve, reject) => this.stream!.end((e?: Error | null) => (e ? reject(e) : resolve())));
    const partial = join(this.dir, PARTIAL);
    const final = join(this.dir, RESULTS_FILE);
    const tmp = `${final}.tmp`;
    const head = JSON.stringify(summary, null, 2);
    const out = createWriteStream(tmp, { flags: 'w' });
    const write = (s: string): Promise<void> => (out.write(s) ? Promise.resolve() : new Promise((r) => out.once('drain', () => r())));
    await write(`${head.slice(0, -2)},\n  "cases": [`);
    let first = true;
    const lines = createInterface({ input: createReadStream(partial, 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line === '') continue;
      const record = JSON.parse(line) as CaseRecord;
      const out = transform(record);
      await write(`${first ? '\n' : ',\n'}    ${out === record ? line : JSON.stringify(out)}`);
      first = false;
    }
    await write(first ? ']\n}\n' : '\n  ]\n}\n');
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    await rename(tmp, final);
    await rm(partial, { force: true });
    return final;
  }

  /** Records written so far. */
  get written(): number {
    return this.count;
  }
}

/** Writes a small JSON file atomically (temp file + rename). */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
  await rename(tmp, path);
}
