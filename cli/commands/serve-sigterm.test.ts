/**
 * `kms-conformance serve` as a child process, under load from 32 keep-alive connections, gets
 * SIGTERM: every request is either answered in full (a correct answer, those in flight saying
 * `Connection: close`) or its connection is closed cleanly (never a partial answer, never a hang),
 * and the process exits with code 0 within a bound.
 */
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { judge, kmsBytes } from '../../suites/fuzz/answers.ts';
import type { Expectation } from '../../suites/fuzz/answers.ts';
import { NoResponse, RawConnection } from '../../suites/fuzz/raw-client.ts';
import { servePort } from '../../suites/helpers/cli.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The process must be gone this long after SIGTERM (close() forces connections shut after 2 s). */
const EXIT_BOUND_MS = 15_000;

interface Outcome {
  readonly kind: 'answered' | 'closed' | 'truncated' | 'wrong' | 'hung';
  readonly sentAt: number;
  readonly doneAt: number;
  readonly connectionClose: boolean;
  readonly detail: string;
}

describe('kms-conformance serve under load, then SIGTERM', () => {
  it('answers or cleanly closes every request, and exits 0 within the bound', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'serve', '--port', '0', '--latency-ms', '0-40', '--seed', '9'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let exitedAt = 0;
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      child.once('exit', (code, signal) => {
        exitedAt = performance.now();
        r({ code, signal });
      }),
    );
    let stderrTail = '';
    // Drain the request log, or a full pipe would stall the server.
    child.stderr.on('data', (d: Buffer) => (stderrTail = (stderrTail + d.toString()).slice(-4_000)));
    try {
      const port = await servePort(child, () => stderrTail);

      const setup = await RawConnection.open(port);
      setup.write(kmsBytes('CreateKey', {}), [false]);
      const keyId = (JSON.parse((await setup.next()).body.toString('utf8')) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
      setup.destroy();

      const outcomes: Outcome[] = [];
      let answeredBeforeSignal = 0;
      let signalledAt = Number.POSITIVE_INFINITY;
      const signalAfter = 1_500;
      let signalled!: () => void;
      const signalSent = new Promise<void>((r) => (signalled = r));
      const requests: { bytes: Buffer; expected: Expectation }[] = [
        { bytes: kmsBytes('DescribeKey', { KeyId: keyId }), expected: { kind: 'success', op: 'DescribeKey' } },
        { bytes: kmsBytes('GetKeyPolicy', { KeyId: keyId }), expected: { kind: 'success', op: 'GetKeyPolicy' } },
        { bytes: kmsBytes('ListKeyPolicies', { KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' }), expected: { kind: 'error', status: 400, code: 'NotFoundException' } },
      ];

      // 32 workers, each on a keep-alive connection, opening a new one when the server closes it,
      // until the server no longer accepts connections. At most 200 requests each.
      const worker = async (w: number): Promise<void> => {
        let conn: RawConnection | undefined;
        for (let i = 0; i < 200; i++) {
          if (conn === undefined || !conn.isOpen) {
            try {
              conn = await RawConnection.open(port);
            } catch {
              return; // refused: the server has stopped listening
            }
          }
          const req = requests[(w + i) % requests.length] as (typeof requests)[number];
          const sentAt = performance.now();
          conn.write(req.bytes, [false]);
          const watchdog = setTimeout(() => conn?.abandon(), 10_000);
          try {
            const r = await conn.next();
            const problem = judge(r, req.expected);
            outcomes.push({ kind: problem === undefined ? 'answered' : 'wrong', sentAt, doneAt: performance.now(), connectionClose: r.headers.connection?.toLowerCase() === 'close', detail: problem ?? '' });
            if (problem === undefined && sentAt < signalledAt && ++answeredBeforeSignal === signalAfter) {
              signalledAt = performance.now();
              child.kill('SIGTERM');
              signalled();
            }
          } catch (e) {
            const kind = e instanceof NoResponse ? (e.reason === 'hung' ? 'hung' : e.partialBytes > 0 ? 'truncated' : 'closed') : 'wrong';
            outcomes.push({ kind, sentAt, doneAt: performance.now(), connectionClose: false, detail: (e as Error).message });
            conn.destroy();
          } finally {
            clearTimeout(watchdog);
          }
        }
        conn?.destroy();
      };
      const load = Promise.all(Array.from({ length: 32 }, (_, w) => worker(w)));
      await Promise.race([signalSent, load]);
      expect(Number.isFinite(signalledAt), `the load never reached ${signalAfter} answers; stderr: ${stderrTail}`).toBe(true);

      const ended = await Promise.race([exit, new Promise<undefined>((r) => setTimeout(() => r(undefined), EXIT_BOUND_MS))]);
      await load;
      expect(ended, `serve still running ${EXIT_BOUND_MS} ms after SIGTERM`).toEqual({ code: 0, signal: null });
      expect(exitedAt - signalledAt).toBeLessThan(EXIT_BOUND_MS);
      expect(stderrTail).toMatch(/stopped\n$/);

      const bad = outcomes.filter((o) => o.kind === 'wrong' || o.kind === 'truncated' || o.kind === 'hung');
      expect(bad.map((o) => `${o.kind}: ${o.detail}`)).toEqual([]);
      // Requests in flight when the signal came: answered (saying Connection: close) or closed, none lost in between.
      const inFlight = outcomes.filter((o) => o.sentAt < signalledAt && o.doneAt > signalledAt);
      expect(inFlight.length).toBeGreaterThan(0);
      expect(inFlight.filter((o) => o.kind === 'answered' && o.connectionClose).length).toBeGreaterThan(0);
      expect(outcomes.filter((o) => o.kind === 'answered').length).toBeGreaterThanOrEqual(signalAfter);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exit;
      }
    }
  }, 60_000);
});
