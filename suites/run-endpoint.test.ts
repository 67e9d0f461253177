/**
 * The endpoint path, end to end, against the bundled mock's HTTP server: every key, state and
 * alias is built through the API (no reset or seeding behind it), both transports go over
 * sockets, and the run cleans up after itself. The same path is what an emulator or AWS gets.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../mocks/server.ts';
import { runConformance, type ConformanceResult } from '../replay/runner.ts';
import type { RunResults } from '../scoring/results.ts';
import { mockServer } from './helpers/servers.ts';

const SEED = 20_261_201;
let server: MockServer;
let out: string;
let result: ConformanceResult;
let file: RunResults;

beforeAll(async () => {
  server = await mockServer();
  out = await mkdtemp(join(tmpdir(), 'kmsc-endpoint-'));
  result = await runConformance({ endpoint: server.url, seed: SEED, runs: 8, out, convergeTimeoutMs: 2000 });
  file = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as RunResults;
}, 180_000);
afterAll(async () => {
  await server.close();
  await rm(out, { recursive: true, force: true });
});

describe(`run --endpoint <the mock server> over both transports (seed ${SEED})`, () => {
  it('passes every decided case with no harness error (exit 0)', () => {
    const shown = result.failures.slice(0, 5).map((f) => `${f.id}: ${JSON.stringify(f.findings)}`).join('\n');
    expect(result.counts.fail, shown).toBe(0);
    expect(result.counts.error, JSON.stringify(file.cases.filter((c) => c.verdict === 'error').slice(0, 3).map((c) => c.reason))).toBe(0);
    expect(result.exitCode).toBe(0);
    expect(result.counts.pass).toBeGreaterThan(300);
    expect(new Set(file.cases.map((c) => c.transport))).toEqual(new Set(['sdk', 'http']));
  });

  it('discovers the world from the first CreateKey and builds keys through the API', () => {
    expect(result.target).toMatchObject({ kind: 'endpoint', endpoint: server.url });
    expect(result.world).toMatchObject({ accountId: '111122223333', region: 'us-east-1', partition: 'aws' });
    expect(result.cleanup.created).toBeGreaterThan(1);
    // Pooled: far fewer keys than cases that need one.
    expect(result.cleanup.created).toBeLessThan(file.cases.filter((c) => (c.setup?.keys.length ?? 0) > 0).length / 4);
    // Every key on the server is one the run made (set-up, or a CreateKey case), and it knows them all.
    const onServer = server.model.world('111122223333', 'us-east-1').keys.filter((k) => k.accountId === '111122223333');
    expect(onServer.length).toBe(result.cleanup.created);
  });

  it('schedules every key it created for deletion, and lists the ones it could not with why', () => {
    const keys = server.model.world('111122223333', 'us-east-1').keys.filter((k) => k.accountId === '111122223333');
    const notCleaned = new Set(result.cleanup.notCleaned.map((k) => k.keyId));
    for (const k of keys) {
      if (notCleaned.has(k.keyId)) continue;
      expect(k.state, k.keyId).toBe('PendingDeletion');
    }
    // The only keys left are the ones a bypassed lockout locked the caller out of.
    for (const k of result.cleanup.notCleaned) expect(k.reason).toMatch(/AccessDenied.*lock/s);
    expect(result.cleanup.scheduledForDeletion + result.cleanup.notCleaned.length).toBe(result.cleanup.created);
  });

  it('skips what the API cannot build, with the reason, and lists unexercised rules with theirs', () => {
    const reasons = new Set(file.cases.filter((c) => c.verdict === 'skip').map((c) => c.reason ?? ''));
    expect([...reasons].some((r) => /state Creating cannot be made through the API/.test(r))).toBe(true);
    for (const c of file.cases.filter((x) => x.verdict === 'skip')) expect(c.reason, c.id).toMatch(/\w/);
    for (const rule of file.rules.filter((r) => r.verdict === 'not-exercised')) expect(rule.reason, rule.id).toMatch(/\w/);
  });

  it('reads successful changes back (read-after-write) and records how long they took to show', () => {
    const checked = file.cases.filter((c) => c.exchanges.some((e) => e.role === 'check'));
    expect(checked.length).toBeGreaterThan(10);
    expect(checked.every((c) => typeof c.convergeMs === 'number')).toBe(true);
    expect(file.rules.find((r) => r.id === 'PutKeyPolicy.after.policy')?.verdict).toBe('pass');
  });

  it('records no secret: no Authorization value or secret key in results.json', async () => {
    const text = await readFile(join(out, 'results.json'), 'utf8');
    // The signature and the access key id are gone; the scheme and scope stay (they explain auth findings).
    expect(text).not.toMatch(/Signature=[0-9a-f]{64}/);
    expect(text).not.toContain('AKIDKMSCONFORMANCE');
    expect(text).not.toContain('kms-conformance-not-a-secret');
    expect(text).toMatch(/"authorization":"AWS4-HMAC-SHA256 Credential=\[REDACTED\]/);
    expect(await readdir(join(out, 'cases'))).toEqual([]);
  });
});
