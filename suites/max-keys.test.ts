/**
 * `--max-keys` is a hard bound towards a real service: however many cases run at once, the run
 * never has more keys created than it allows. Concurrent cases each passed the check before any of
 * their CreateKey calls came back, so a run could go over by about one key per concurrent case or
 * sequence; keys being created, and keys a leased case may still create itself, are now counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../mocks/server.ts';
import { runConformance, type ConformanceResult } from '../replay/runner.ts';
import { mockServer } from './helpers/servers.ts';

const MAX_KEYS = 3;
let server: MockServer;
let result: ConformanceResult;

beforeAll(async () => {
  server = await mockServer();
  // Many cases that need or create keys, and sequences that create up to two each, eight at once.
  result = await runConformance({ endpoint: server.url, seed: 7, runs: 3, sequences: 8, concurrency: 8, maxKeys: MAX_KEYS, out: false, convergeTimeoutMs: 1000 });
}, 180_000);
afterAll(async () => {
  await server.close();
});

describe(`a run with --max-keys ${MAX_KEYS} and eight cases at once`, () => {
  it('creates at most that many keys on the target, and skips the cases beyond them', () => {
    const onServer = server.model.world('111122223333', 'us-east-1').keys.filter((k) => k.accountId === '111122223333');
    expect(result.cleanup.created).toBeLessThanOrEqual(MAX_KEYS);
    expect(onServer.length).toBeLessThanOrEqual(MAX_KEYS);
    expect(onServer.length).toBe(result.cleanup.created);
    // The bound was reached, so it was exercised.
    expect(result.counts.skip).toBeGreaterThan(0);
  });

  it('scores the cases it could run with no harness error', () => {
    expect(result.counts.error).toBe(0);
    expect(result.counts.pass).toBeGreaterThan(0);
  });
});
