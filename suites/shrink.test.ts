/**
 * Shrinking against the live target: a target that rejects every key policy longer than 700
 * characters (a limit the contract does not have) fails generated valid policies; the report and
 * the replay file hold the smallest policy that still fails on the same rule, not the generated one.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runConformance } from '../replay/runner.ts';
import { replayFiles } from '../replay/replay.ts';
import type { RunResults } from '../scoring/results.ts';
import { mockServer } from './helpers/servers.ts';

const LIMIT = 700;

/** A proxy that answers MalformedPolicyDocumentException for PutKeyPolicy with a Policy over LIMIT characters. */
async function shortPolicies(upstream: string): Promise<{ url: string; close(): Promise<void> }> {
  const up = new URL(upstream);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let policy: unknown;
      try {
        policy = (JSON.parse(body.toString('utf8')) as { Policy?: unknown }).Policy;
      } catch {
        policy = undefined;
      }
      if (String(req.headers['x-amz-target']).endsWith('.PutKeyPolicy') && typeof policy === 'string' && policy.length > LIMIT) {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'short-policies' });
        res.end(JSON.stringify({ __type: 'MalformedPolicyDocumentException', message: 'The new key policy is too long for this emulator.' }));
        return;
      }
      const p = httpRequest({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      p.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

describe('shrinking against the live target', () => {
  it('reports the shortest policy that still fails on the same rule, and the replay file holds it', async () => {
    const upstream = await mockServer();
    const proxy = await shortPolicies(upstream.url);
    const out = await mkdtemp(join(tmpdir(), 'kmsc-shrink-'));
    try {
      const r = await runConformance({ endpoint: proxy.url, seed: 4, runs: 40, kinds: ['valid-policy'], examples: false, transports: ['http'], out, convergeTimeoutMs: 2000, shrinkBudget: { attempts: 150, ms: 60_000 } });
      expect(r.counts.fail).toBeGreaterThan(0);
      const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as RunResults;
      const shrunk = results.cases.filter((c) => c.shrunk !== undefined);
      expect(shrunk).toHaveLength(1);
      const s = shrunk[0]!;
      const sent = JSON.parse(s.exchanges[0]!.request!.body!) as { Policy: string };
      // Still over the target's limit (it still fails), and smaller than what was generated: the
      // text search ends one character past the limit.
      expect(sent.Policy.length).toBe(LIMIT + 1);
      expect(s.shrunk!.size).toBe(sent.Policy.length);
      expect(s.shrunk!.size).toBeLessThan(s.shrunk!.original.size);
      expect(s.shrunk!.steps).toBeGreaterThan(0);
      // It is the smallest of everything this run saw fail: no failing case was shorter.
      const failing = results.cases.filter((c) => c.verdict === 'fail').map((c) => (JSON.parse(c.exchanges[0]!.request!.body!) as { Policy: string }).Policy.length);
      expect(Math.min(...failing)).toBe(sent.Policy.length);
      // The replay file holds the minimal case, and it still fails there.
      const file = JSON.parse(await readFile(join(out, s.replayFile!), 'utf8')) as { case: { policy: string }; origin?: { path: string } };
      expect(file.case.policy.length).toBe(sent.Policy.length);
      expect(file.origin?.path).toBe(s.origin?.path);
      const again = await replayFiles([join(out, s.replayFile!)]);
      expect(again.map((a) => a.status)).toEqual(['STILL FAILING']);
    } finally {
      await proxy.close();
      await upstream.close();
      await rm(out, { recursive: true, force: true });
    }
  }, 240_000);
});
