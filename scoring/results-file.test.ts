import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readResultsSummary, RecordSpool, ResultsWriter, RESULTS_FILE } from './results-file.ts';
import type { CaseRecord, RunSummary } from './results.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const record = (i: number, reason = ''): CaseRecord => ({ id: `request:1:${i}/sdk`, source: 'request', transport: 'sdk', operation: 'PutKeyPolicy', verdict: 'fail', ruleIds: ['A'], exchanges: [], ms: i, ...(reason ? { reason } : {}) });

describe('RecordSpool', () => {
  it('gives back every record in order, lines longer than a read chunk and text with newlines included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kmsc-spool-'));
    dirs.push(dir);
    const spool = await RecordSpool.open(join(dir, 'sub', 'f.jsonl'));
    const written = Array.from({ length: 300 }, (_, i) => record(i, i % 50 === 0 ? `x\n${'é'.repeat(600_000 + i)}` : ''));
    for (const r of written) spool.add(r);
    await spool.drained();
    expect(spool.written).toBe(300);
    await expect(async () => {
      for await (const _ of spool.records()) break;
    }).rejects.toThrow(/still being written; call end\(\) before reading it/);
    await spool.end();
    const read: CaseRecord[] = [];
    for await (const r of spool.records()) read.push(r);
    expect(read).toEqual(written);
    // Read twice: the spool is a file, not a one-shot stream.
    let n = 0;
    for await (const _ of spool.lines()) n++;
    expect(n).toBe(300);
    await spool.remove();
    expect(existsSync(spool.file)).toBe(false);
  });

  it('removes a spool still being written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kmsc-spool-'));
    dirs.push(dir);
    const spool = await RecordSpool.open(join(dir, 'f.jsonl'));
    spool.add(record(1));
    await spool.remove();
    expect(existsSync(spool.file)).toBe(false);
  });
});

describe('ResultsWriter', () => {
  it('writes the summary, then every case in order, settling the failing ones only and copying the others as written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kmsc-results-'));
    dirs.push(dir);
    const writer = await ResultsWriter.open(dir);
    const verdicts = ['pass', 'fail', 'skip', 'fail', 'unspecified', 'pass', 'fail'] as const;
    const written = verdicts.map((verdict, i): CaseRecord => ({ ...record(i, i === 2 ? 'line\nbreak' : ''), verdict }));
    for (const r of written) writer.add(r);
    await writer.drained();
    expect(writer.written).toBe(7);
    const seen: string[] = [];
    const summary = { schemaVersion: 1, counts: { total: 7 } } as unknown as RunSummary;
    const file = await writer.finish(summary, (r) => {
      seen.push(r.id);
      return { ...r, reason: `settled ${r.id}` };
    });
    expect(file).toBe(join(dir, RESULTS_FILE));
    expect(seen).toEqual([written[1]!.id, written[3]!.id, written[6]!.id]);
    const json = JSON.parse(await readFile(file, 'utf8')) as { schemaVersion: number; counts: unknown; cases: CaseRecord[] };
    expect(json.schemaVersion).toBe(1);
    expect(json.counts).toEqual({ total: 7 });
    expect(json.cases).toEqual(written.map((r) => (r.verdict === 'fail' ? { ...r, reason: `settled ${r.id}` } : r)));
    expect(existsSync(join(dir, '.results.cases.jsonl'))).toBe(false);
  });

  it('writes an empty case list when no case ran', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kmsc-results-'));
    dirs.push(dir);
    const writer = await ResultsWriter.open(dir);
    const file = await writer.finish({ schemaVersion: 1 } as unknown as RunSummary);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ schemaVersion: 1, cases: [] });
  });
});

describe('readResultsSummary', () => {
  async function written(summary: Record<string, unknown>, n: number): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'kmsc-summary-'));
    dirs.push(dir);
    const w = await ResultsWriter.open(dir);
    for (let i = 0; i < n; i++) w.add(record(i));
    await w.drained();
    return w.finish(summary as unknown as RunSummary);
  }

  it('reads the summary of a results.json the writer wrote, with or without cases', async () => {
    const summary = { schemaVersion: 1, counts: { total: 3 }, note: 'x\n  "cases": [ in a string' };
    expect(readResultsSummary(await written(summary, 3))).toEqual(summary);
    expect(readResultsSummary(await written(summary, 0))).toEqual(summary);
  });

  it('finds the case list when it starts across two reads of 1 MiB', async () => {
    const base = await readFile(await written({ schemaVersion: 1, pad: '' }, 1), 'utf8');
    const at = Buffer.byteLength(base.slice(0, base.indexOf('\n  "cases": [')));
    for (const shift of [1, 5, 12]) {
      const pad = 'p'.repeat((1 << 20) - shift - at);
      const file = await written({ schemaVersion: 1, pad }, 2);
      const text = await readFile(file, 'utf8');
      expect(Buffer.byteLength(text.slice(0, text.indexOf('\n  "cases": [')))).toBe((1 << 20) - shift);
      expect(readResultsSummary(file)).toEqual({ schemaVersion: 1, pad });
    }
  });

  it('gives undefined for a missing file, a directory, or a file laid out otherwise', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kmsc-summary-'));
    dirs.push(dir);
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'one-line.json'), JSON.stringify({ schemaVersion: 1, cases: [record(1)] }));
    expect(readResultsSummary(join(dir, 'missing.json'))).toBeUndefined();
    expect(readResultsSummary(join(dir, 'sub'))).toBeUndefined();
    expect(readResultsSummary(join(dir, 'one-line.json'))).toBeUndefined();
  });
});

