/**
 * Targets that differ from AWS in what they check and what they have: a server that verifies
 * SigV4 signatures (the http transport's signed bytes must be accepted), and one that lacks
 * CreateAlias and ScheduleKeyDeletion (the cases that need them skip with the reason; the others
 * run and pass). Then replay: a saved failure is STILL FAILING against the divergent target and
 * FIXED against the faithful one.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { replayFiles } from '../replay/replay.ts';
import { runConformance } from '../replay/runner.ts';
import type { RunResults } from '../scoring/results.ts';
import { mockServer, withoutOperations } from './helpers/servers.ts';

const SEED = 77;
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'kmsc-targets-'));
  dirs.push(d);
  return d;
}

describe('a target that verifies SigV4 signatures', () => {
  it("accepts the run's signed requests over both transports (no authentication error anywhere)", async () => {
    const credentials = { accessKeyId: 'AKIDVERIFYTEST', secretAccessKey: 'verify-test-secret-0123456789' };
    const server = await mockServer({
      verifySignatures: true,
      identities: { [credentials.accessKeyId]: { caller: { arn: 'arn:aws:iam::111122223333:role/Admin', accountId: '111122223333', iam: { kind: 'known', actions: ['*'] } }, secretAccessKey: credentials.secretAccessKey } },
    });
    try {
      const out = await tempDir();
      const r = await runConformance({ endpoint: server.url, credentials, seed: SEED, runs: 5, examples: false, out, convergeTimeoutMs: 2000 });
      const file = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as RunResults;
      const authErrors = file.cases.filter((c) => c.observed?.kind === 'response' && /Signature|UnrecognizedClient|IncompleteSignature|MissingAuthentication/.test(c.observed.code ?? ''));
      expect(authErrors.map((c) => `${c.id}: ${c.observed?.kind === 'response' ? c.observed.code : ''}`)).toEqual([]);
      expect(file.cases.filter((c) => c.transport === 'http' && c.verdict === 'pass').length).toBeGreaterThan(5);
      expect(r.counts.fail).toBe(0);
      expect(r.counts.error).toBe(0);
      // The secret never reaches the results.
      expect(await readFile(join(out, 'results.json'), 'utf8')).not.toContain(credentials.secretAccessKey);
    } finally {
      await server.close();
    }
  }, 120_000);

  it('and rejects requests signed with another secret (the check above can fail)', async () => {
    const server = await mockServer({
      verifySignatures: true,
      identities: { AKIDVERIFYTEST: { caller: { arn: 'arn:aws:iam::111122223333:role/Admin', accountId: '111122223333', iam: { kind: 'known', actions: ['*'] } }, secretAccessKey: 'the-real-secret-0123456789' } },
    });
    try {
      await expect(runConformance({ endpoint: server.url, credentials: { accessKeyId: 'AKIDVERIFYTEST', secretAccessKey: 'a-wrong-secret-0123456789' }, seed: SEED, runs: 1, out: false })).rejects.toThrow(/first CreateKey failed: CreateKey answered 400 .*Signature/);
    } finally {
      await server.close();
    }
  });
});

describe('a target that lacks CreateAlias and ScheduleKeyDeletion', () => {
  it('skips the cases that need them, with the reason, and runs and passes the others', async () => {
    const upstream = await mockServer();
    const proxy = await withoutOperations(upstream.url, ['CreateAlias', 'ScheduleKeyDeletion']);
    try {
      const out = await tempDir();
      const r = await runConformance({ endpoint: proxy.url, seed: SEED, runs: 6, out, convergeTimeoutMs: 2000 });
      const file = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as RunResults;
      expect(r.counts.fail, JSON.stringify(r.failures.slice(0, 3).map((f) => f.findings))).toBe(0);
      expect(r.counts.error, JSON.stringify(file.cases.filter((c) => c.verdict === 'error').slice(0, 3).map((c) => c.reason))).toBe(0);
      const skipped = file.cases.filter((c) => c.verdict === 'skip');
      expect(skipped.some((c) => /lacks ScheduleKeyDeletion/.test(c.reason ?? '') && c.setup === undefined)).toBe(true);
      expect(skipped.some((c) => /lacks CreateAlias/.test(c.reason ?? ''))).toBe(true);
      // Cases on a PendingDeletion key skip; cases on enabled keys pass.
      expect(file.cases.some((c) => c.verdict === 'pass' && c.operation === 'PutKeyPolicy')).toBe(true);
      // Clean-up could not schedule deletion, and says so for every key.
      expect(r.cleanup.scheduledForDeletion).toBe(0);
      expect(r.cleanup.notCleaned.length).toBe(r.cleanup.created);
      expect(r.cleanup.notCleaned.every((k) => /UnknownOperation/.test(k.reason))).toBe(true);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  }, 120_000);
});

describe('replay', () => {
  it('a saved failure is STILL FAILING against the divergent target and FIXED against the faithful one', async () => {
    const divergent = await mockServer({ divergences: ['skip-principal-check'] });
    const faithful = await mockServer();
    try {
      const out = await tempDir();
      const r = await runConformance({ endpoint: divergent.url, seed: SEED, runs: 4, out, rules: ['PutKeyPolicy.Policy.statement.principal.exists'], convergeTimeoutMs: 2000 });
      expect(r.counts.fail).toBeGreaterThan(0);
      const files = (await readdir(join(out, 'cases'))).map((f) => join(out, 'cases', f));
      expect(files.length).toBe(r.counts.fail);
      const text = await readFile(files[0]!, 'utf8');
      expect(text).not.toMatch(/Credential=AKID|Signature=[0-9a-f]{64}/);
      expect(JSON.parse(text)).toMatchObject({ format: 'kms-conformance/case@1', replay: expect.stringContaining('npx kms-conformance replay cases/') });
      const still = await replayFiles(files.slice(0, 2));
      expect(still.map((o) => o.status)).toEqual(still.map(() => 'STILL FAILING'));
      const fixed = await replayFiles(files.slice(0, 2), { endpoint: faithful.url });
      expect(fixed.map((o) => o.status)).toEqual(fixed.map(() => 'FIXED'));
      const bad = await replayFiles([join(out, 'results.json')]);
      expect(bad[0]).toMatchObject({ status: 'ERROR', reason: expect.stringMatching(/not a kms-conformance replay file/) });
    } finally {
      await divergent.close();
      await faithful.close();
    }
  }, 120_000);
});
