/**
 * The request log's writer: lines are gathered into few writes, keep their order, and none is
 * lost — not when the buffer fills, not on flush, and not when `serve` gets SIGTERM right after a
 * burst of requests (a child process, its stderr read to the end).
 */
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { setImmediate as turn } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kmsBytes } from '../../suites/fuzz/answers.ts';
import { NoResponse, RawConnection } from '../../suites/fuzz/raw-client.ts';
import { servePort } from '../../suites/helpers/cli.ts';
import { MAX_PENDING_CHARS, RequestLogWriter } from './request-log.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A stream that records each write. */
function recorder(): { stream: NodeJS.WritableStream; writes: string[] } {
  const writes: string[] = [];
  const stream = { write: (s: string) => writes.push(s) > 0 } as unknown as NodeJS.WritableStream;
  return { stream, writes };
}

describe('RequestLogWriter', () => {
  it('writes the lines of one event-loop turn together, in order, at the end of the turn', async () => {
    const { stream, writes } = recorder();
    const log = new RequestLogWriter(stream);
    const lines = Array.from({ length: 100 }, (_, i) => `POST / ListKeys 200 - ${i}ms\n`);
    for (const l of lines) log.write(l);
    expect(writes).toEqual([]);
    await turn();
    expect(writes).toEqual([lines.join('')]);
  });

  it('flush() writes every pending line at once, and nothing when none is pending', () => {
    const { stream, writes } = recorder();
    const log = new RequestLogWriter(stream);
    log.write('a\n');
    log.write('b\n');
    log.flush();
    log.flush();
    expect(writes).toEqual(['a\nb\n']);
  });

  it('lines after a write are still written, in order, with none lost or repeated', async () => {
    const { stream, writes } = recorder();
    const log = new RequestLogWriter(stream);
    const lines: string[] = [];
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 5; i++) {
        const l = `line ${round}.${i}\n`;
        lines.push(l);
        log.write(l);
      }
      await turn();
    }
    log.flush();
    expect(writes.join('')).toBe(lines.join(''));
    // Gathered: never more writes than rounds, and never an empty one.
    expect(writes.length).toBeLessThanOrEqual(20);
    expect(writes.every((w) => w !== '')).toBe(true);
  });

  it(`writes at once when ${MAX_PENDING_CHARS} characters are pending, without waiting for the turn to end`, () => {
    const { stream, writes } = recorder();
    const log = new RequestLogWriter(stream);
    const line = `${'x'.repeat(99)}\n`;
    const count = Math.ceil(MAX_PENDING_CHARS / line.length);
    for (let i = 0; i < count; i++) log.write(line);
    expect(writes).toEqual([line.repeat(count)]);
    log.flush();
    expect(writes).toHaveLength(1);
  });
});

describe('kms-conformance serve: the request log on SIGTERM', () => {
  it('logs every request answered before the signal, then "stopped", and exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'serve', '--port', '0'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      const port = await servePort(child, () => stderr);
      // A burst of pipelined requests, so lines come fast and are gathered; SIGTERM while the
      // answers still arrive, so lines are waiting for their write when the server closes.
      const REQUESTS = 2_000;
      const conn = await RawConnection.open(port);
      conn.write(Buffer.concat(Array.from({ length: REQUESTS }, () => kmsBytes('ListKeys', {}))), Array.from({ length: REQUESTS }, () => false));
      let answered = 0;
      for (let i = 0; i < REQUESTS; i++) {
        try {
          expect((await conn.next()).status).toBe(200);
        } catch (e) {
          if (e instanceof NoResponse) break; // the server closed the connection: it is stopping
          throw e;
        }
        if (++answered === 50) child.kill('SIGTERM');
      }
      const code = await Promise.race([exit, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 15_000))]);
      conn.destroy();
      expect(code).toBe(0);
      const lines = stderr.split('\n');
      expect(lines.at(-1)).toBe('');
      expect(lines.at(-2)).toBe('stopped');
      const logged = lines.slice(0, -2);
      expect(logged.every((l) => /^POST \/ ListKeys 200 - \d+ms$/.test(l))).toBe(true);
      // Every answer the client got was logged (the server may log a few more: answers it made
      // after the connection had closed on its way down).
      expect(answered).toBeGreaterThanOrEqual(50);
      expect(logged.length).toBeGreaterThanOrEqual(answered);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exit;
      }
    }
  }, 60_000);
});
