/**
 * `npm run soak`: flags, the verdict and the figures table, and one small real run end to end.
 */
import { describe, expect, it } from 'vitest';
import type { SoakReport } from '../suites/fuzz/soak.ts';
import { captureOutput } from '../suites/helpers/cli.ts';
import { formatReport, main, problemsOf } from './soak.ts';

const CLEAN: SoakReport = {
  seed: 5,
  concurrency: 4,
  requests: 1_000,
  byScenario: { writers: 600, 'wire-mutations': 400 },
  durationMs: 2_000,
  requestsPerSecond: 500,
  failureCount: 0,
  failureCodes: {},
  failures: [],
  ledger: { keys: 8, writes: { ok: 500, failed: 50, aborted: 10, unknown: 0 }, reads: 100, findingCount: 0, findings: [] },
  server: { stats: { answers: 990, byCode: { '200 -': 700, '400 SerializationException': 290 }, dropped: 0 }, serverErrors: 0, crashed: undefined, exitCode: 0 },
  memory: { before: { rss: 100 * 2 ** 20, heapUsed: 10 * 2 ** 20 }, after: { rss: 101 * 2 ** 20, heapUsed: 10.5 * 2 ** 20 }, rssGrowthMB: 1, heapGrowthMB: 0.5 },
  cpu: { clientMs: 400, serverMs: 800, serverRequestsPerCpuSecond: 1_250 },
  clientMaxLagMs: 12,
};

describe('npm run soak', () => {
  it.each([
    [['--requests', 'lots'], "option '--requests <n>' argument 'lots' is invalid. --requests must be a whole number from 1 to 100000000."],
    [['--concurrency', '0'], '--concurrency must be a whole number from 1 to 1000'],
    [['--scenario', 'chaos'], '--scenario: unknown chaos; known: writers,'],
  ])('%j exits 2 and says what to change', async (argv, message) => {
    const c = captureOutput();
    expect(await main(argv, c.out, c.err)).toBe(2);
    expect(c.stderr()).toContain(message);
    expect(c.stdout()).toBe('');
  });

  it('passes a clean report and names every problem of a bad one', () => {
    expect(problemsOf(CLEAN)).toEqual([]);
    const bad: SoakReport = {
      ...CLEAN,
      failureCount: 2,
      failureCodes: { 'writers:no_answer': 2 },
      ledger: { ...CLEAN.ledger, findingCount: 1 },
      server: { ...CLEAN.server, serverErrors: 3, crashed: { code: 1, signal: null }, exitCode: null },
      memory: { ...CLEAN.memory, heapGrowthMB: 40, rssGrowthMB: 120 },
    };
    expect(problemsOf(bad)).toEqual([
      '2 wrong or missing answers: {"writers:no_answer":2}',
      '1 register findings (lost, torn or stale writes)',
      'the server process ended during the run: {"code":1,"signal":null}',
      '3 answers with a 5xx status',
      'the server process exited with null when stopped',
      'server heap grew 40.0 MB (limit 32)',
      'server RSS grew 120.0 MB (limit 96)',
    ]);
  });

  it('prints the figures as a Markdown table', () => {
    expect(formatReport(CLEAN)).toMatchInlineSnapshot(`
      "| figure | value |
      |---|---|
      | requests | 1,000 |
      | concurrency (keep-alive lanes) | 4 |
      | seed | 5 |
      | wall time | 2.0 s (500 requests/s) |
      | server CPU time | 0.8 s (1,250 requests per CPU second) |
      | load generator CPU time | 0.4 s; longest event-loop stall 12 ms |
      | server heap after GC (warm → end) | 10.0 → 10.5 MB (+0.50 MB) |
      | server RSS (warm → end) | 100.0 → 101.0 MB (+1.0 MB) |
      | wrong or missing answers | 0 |
      | server crashes / 5xx answers / dropped | 0 / 0 / 0 |
      | writes to the shared keys (ok / refused / closed mid-body) | 500 / 50 / 10 on 8 keys; 100 reads |
      | register findings (lost, torn, stale) | 0 |

      requests by kind: writers 600, wire-mutations 400
      answers by status and code: 200 - 700, 400 SerializationException 290
      "
    `);
  });

  it('runs a small soak end to end and exits 0', async () => {
    const c = captureOutput();
    expect(await main(['--requests', '400', '--concurrency', '8', '--seed', '3', '--json'], c.out, c.err)).toBe(0);
    const report = JSON.parse(c.stdout()) as SoakReport;
    expect(report.requests).toBeGreaterThanOrEqual(400);
    expect(report.seed).toBe(3);
    expect(report.failures).toEqual([]);
    expect(c.stderr()).toMatch(/^soak: 400 requests, concurrency 8, seed 3\n/);
  }, 120_000);
});
