import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RecordSpool } from './results-file.ts';
import type { CaseRecord } from './results.ts';

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
    const written = Array.from({ length: 300 }, (_, i) => record(i, i % 50 === 0 ? `x\n${'é'.repeat(100_000 + i)}` : ''));
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
