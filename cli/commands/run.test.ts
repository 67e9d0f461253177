/**
 * The `run` command as a user meets it: safety towards real services (checked before any socket
 * is opened), the dry run, flag parsing, and SIGINT in a real child process against a loopback
 * mock server (stop, clean up, write results marked interrupted, exit 130).
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockServer } from '../../suites/helpers/servers.ts';
import type { RunResults } from '../../scoring/results.ts';
import { runOptionsFrom } from './run.ts';
import { runCli } from '../../suites/helpers/cli.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('run: safety towards real services', () => {
  it('refuses a non-loopback endpoint without --allow-remote: exit 2, a clear message, no socket opened, no report written', async () => {
    const connect = vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(() => {
      throw new Error('a socket was opened');
    });
    const dir = await mkdtemp(join(tmpdir(), 'kmsc-remote-'));
    const r = await runCli(['run', '--endpoint', 'https://kms.us-east-1.amazonaws.com', '--out', join(dir, 'report'), '--runs', '1']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/kms\.us-east-1\.amazonaws\.com is not a loopback address.*pass --allow-remote.*Nothing was sent/s);
    expect(connect).not.toHaveBeenCalled();
    await expect(stat(join(dir, 'report'))).rejects.toThrow(/ENOENT/);
    await rm(dir, { recursive: true, force: true });
  });

  it('the environment supplies the endpoint and seed, and flags win over it', () => {
    expect(runOptionsFrom({}, { KMS_CONFORMANCE_ENDPOINT: 'http://10.0.0.5:4566' }).endpoint).toBe('http://10.0.0.5:4566');
    expect(runOptionsFrom({ endpoint: 'http://127.0.0.1:1' }, { KMS_CONFORMANCE_ENDPOINT: 'http://10.0.0.5:4566' }).endpoint).toBe('http://127.0.0.1:1');
    expect(runOptionsFrom({ seed: '5' }, { KMS_CONFORMANCE_SEED: '9' }).seed).toBe(5);
    expect(runOptionsFrom({}, { KMS_CONFORMANCE_SEED: '9' }).seed).toBe(9);
  });

  it('--dry-run against a remote endpoint sends nothing and lists the lockout cases that need --allow-lockout', async () => {
    const connect = vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(() => {
      throw new Error('a socket was opened');
    });
    const without = await runCli(['run', '--endpoint', 'https://kms.example.com', '--allow-remote', '--dry-run', '--seed', '3', '--runs', '40']);
    expect(without.code).toBe(0);
    expect(without.out).toMatch(/dry run: nothing is sent/);
    const locked = Number(/\((\d+) may lock the caller out of their key: add --allow-lockout/.exec(without.out)?.[1]);
    expect(locked).toBeGreaterThan(0);
    const withLockout = await runCli(['run', '--endpoint', 'https://kms.example.com', '--allow-remote', '--allow-lockout', '--dry-run', '--seed', '3', '--runs', '40']);
    expect(withLockout.out).not.toMatch(/may lock the caller out/);
    const skipped = (s: string): number => Number(/, (\d+) skipped before sending/.exec(s)?.[1]);
    expect(skipped(without.out) - skipped(withLockout.out)).toBe(locked);
    expect(connect).not.toHaveBeenCalled();
  });

  it('bad flags exit 2 and name the flag, the value and what to do', async () => {
    for (const [args, msg] of [
      [['--transport', 'grpc'], /--transport must be sdk, http or both, got 'grpc'/],
      [['--runs', 'many'], /--runs must be a whole number, got 'many'/],
      [['--kinds', 'request,nope'], /--kinds: 'nope' is not one of/],
      [['--divergence', 'nope'], /--divergence: 'nope' is not a profile/],
      [['--contract', '1999'], /contract/],
      [['--endpoint', 'not a url'], /must be a URL such as http:\/\/127\.0\.0\.1:4566/],
      [['--caller-arn', 'bob'], /callerArn must be an IAM user, role or assumed-role ARN/],
    ] as const) {
      const r = await runCli(['run', '--out', join(tmpdir(), 'kmsc-never'), ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(msg);
    }
  });
});

describe('run: SIGINT', () => {
  it('stops sending, cleans up every key, writes results marked interrupted, exits 130', async () => {
    const server = await mockServer();
    const dir = await mkdtemp(join(tmpdir(), 'kmsc-sigint-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'run', '--endpoint', server.url, '--out', dir, '--no-examples', '--kinds', 'request,invalid-policy', '--runs', '400', '--seed', '11', '--quiet'], {
        cwd: join(import.meta.dirname, '..', '..'),
        env: { ...process.env, CI: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      // Wait until requests flow (keys exist on the server), then interrupt.
      const deadline = Date.now() + 60_000;
      while (server.model.world('111122223333', 'us-east-1').keys.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(server.model.world('111122223333', 'us-east-1').keys.length).toBeGreaterThanOrEqual(3);
      await new Promise((r) => setTimeout(r, 300));
      child.kill('SIGINT');
      const code = await exited;
      expect(code, err).toBe(130);
      expect(err).toMatch(/stopping: no new cases/);
      const results = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as RunResults;
      expect(results.run.status).toBe('interrupted');
      expect(results.cases.length).toBeGreaterThan(0);
      expect(results.cases.length).toBeLessThan(1600);
      expect(results.cleanup.notCleaned).toEqual([]);
      const keys = server.model.world('111122223333', 'us-east-1').keys.filter((k) => k.accountId === '111122223333');
      expect(keys.length).toBe(results.cleanup.created);
      expect(keys.filter((k) => k.state !== 'PendingDeletion').map((k) => k.keyId)).toEqual([]);
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('a second SIGINT exits at once', async () => {
    const server = await mockServer({ faults: { latencyMs: [200, 200] } });
    const dir = await mkdtemp(join(tmpdir(), 'kmsc-sigint2-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'run', '--endpoint', server.url, '--out', dir, '--no-examples', '--kinds', 'request', '--runs', '200', '--seed', '11', '--quiet'], {
        cwd: join(import.meta.dirname, '..', '..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const deadline = Date.now() + 60_000;
      while (!/cases\n/.test(err) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      child.kill('SIGINT');
      await new Promise((r) => setTimeout(r, 100));
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      // It left at once: the graceful stop (requests of 200 ms each, then clean-up) never got to write results.
      await expect(stat(join(dir, 'results.json'))).rejects.toThrow(/ENOENT/);
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
