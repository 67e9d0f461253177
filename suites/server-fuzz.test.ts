/**
 * The mock server survives abuse (issue 9): 100,000 requests over raw loopback sockets mixing the
 * generators' wire mutations, random bytes, invalid UTF-8, huge, truncated and deeply nested
 * bodies, other methods and paths, header floods, trickled and stalled clients, connections closed
 * mid-body, pipelined requests, malformed HTTP and concurrent writers to shared keys
 * (`suites/fuzz/`). The server runs in its own process. The seed is in the test's name; set
 * KMS_CONFORMANCE_SEED=N to replay a run. `npm run soak` runs the same at 1,000,000.
 */
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from './fuzz/scenarios.ts';
import { runSoak } from './fuzz/soak.ts';

const envSeed = process.env.KMS_CONFORMANCE_SEED;
const SEED = envSeed !== undefined && /^\d+$/.test(envSeed) ? Number(envSeed) : Math.floor(Math.random() * 2 ** 31);
const REQUESTS = 100_000;

describe(`the mock server under fuzz and soak (seed ${SEED})`, () => {
  it(
    `answers ${REQUESTS} abusive requests with AWS JSON errors or correct successes, never crashes, keeps memory flat, and keeps each key at its last successful write`,
    async () => {
      const report = await runSoak({ requests: REQUESTS, concurrency: 64, seed: SEED });
      console.log(
        `[server-fuzz] seed ${SEED}: ${report.requests} requests in ${(report.durationMs / 1000).toFixed(1)} s; server ${report.cpu.serverMs} ms CPU, client ${report.cpu.clientMs} ms CPU; ` +
          `server heap ${(report.memory.before.heapUsed / 2 ** 20).toFixed(1)} → ${(report.memory.after.heapUsed / 2 ** 20).toFixed(1)} MB, RSS ${(report.memory.before.rss / 2 ** 20).toFixed(0)} → ${(report.memory.after.rss / 2 ** 20).toFixed(0)} MB`,
      );

      expect(report.requests).toBeGreaterThanOrEqual(REQUESTS);
      // Every kind of abuse was sent.
      for (const s of SCENARIOS) expect(report.byScenario[s.name] ?? 0, s.name).toBeGreaterThan(0);
      // Every answer was the one it had to be; nothing hung, nothing came unasked.
      expect(report.failures, `${report.failureCount} failures, by kind ${JSON.stringify(report.failureCodes)}`).toEqual([]);
      // No crash, no bug of ours (5xx), no dropped connection, and a clean stop.
      expect(report.server.crashed).toBeUndefined();
      expect(report.server.serverErrors).toBe(0);
      expect(report.server.stats.dropped).toBe(0);
      expect(report.server.exitCode).toBe(0);
      // Concurrent writers: every read and each key's final policy agree with the writes.
      expect(report.ledger.findings).toEqual([]);
      expect(report.ledger.writes.ok).toBeGreaterThan(1_000);
      expect(report.ledger.writes.failed).toBeGreaterThan(0);
      expect(report.ledger.writes.aborted).toBeGreaterThan(0);
      expect(report.ledger.writes.unknown).toBe(0);
      expect(report.ledger.reads).toBeGreaterThan(1_000);
      // Memory flat: the server process after full GCs, from after the warm-up to the end.
      expect(report.memory.heapGrowthMB).toBeLessThan(32);
      expect(report.memory.rssGrowthMB).toBeLessThan(96);
    },
    600_000,
  );
});
