import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../main.ts';
import { captureOutput } from '../../suites/helpers/cli.ts';
import { UsageError } from '../errors.ts';
import { formatLogLine, parseFaultRates, parseIdentity, parseLatency, parsePrincipal, runServe, serveOptions } from './serve.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('serve flags', () => {
  it('parse fault rates, latency, identities and principals', () => {
    expect(parseFaultRates('throttle=0.1, server-error=0.05,drop=0')).toEqual({ throttleRate: 0.1, serverErrorRate: 0.05, dropRate: 0 });
    expect(parseLatency('5-50')).toEqual([5, 50]);
    expect(parseLatency('7')).toEqual([7, 7]);
    expect(parseIdentity('AKIDALICE:s3cret=arn:aws:iam::444455556666:user/Alice', '111122223333')).toEqual([
      'AKIDALICE',
      { caller: { arn: 'arn:aws:iam::444455556666:user/Alice', accountId: '444455556666', iam: { kind: 'known', actions: ['*'] } }, secretAccessKey: 's3cret' },
    ]);
    expect(parseIdentity('AKIDBOB', '111122223333')[1]).toEqual({ caller: { arn: 'arn:aws:iam::111122223333:role/Admin', accountId: '111122223333', iam: { kind: 'known', actions: ['*'] } } });
    expect(parsePrincipal('arn:aws:iam::111122223333:role/R')).toEqual({ kind: 'role', id: 'arn:aws:iam::111122223333:role/R' });
    expect(parsePrincipal('cloudtrail.amazonaws.com')).toEqual({ kind: 'service', id: 'cloudtrail.amazonaws.com' });
    expect(serveOptions({ host: '127.0.0.1', port: '0', readLagMs: '250', seed: '7', divergence: ['skip-lockout-check'] })).toMatchObject({
      port: 0,
      readLagMs: 250,
      seed: 7,
      divergences: ['skip-lockout-check'],
    });
    expect(serveOptions({ host: '127.0.0.1', port: '0', admin: false })).toMatchObject({ admin: false });
    expect(serveOptions({ host: '127.0.0.1', port: '0', admin: true })).not.toHaveProperty('admin');
  });

  it.each([
    [() => parseFaultRates('throttle=2'), /--fault-rate: 'throttle=2'/],
    [() => parseFaultRates('slow=0.1'), /KIND one of throttle, server-error, drop/],
    [() => parseLatency('50-5'), /--latency-ms/],
    [() => parseIdentity('lower:x', '111122223333'), /access key id/],
    [() => parseIdentity('AKID=arn:aws:s3:::bucket', '111122223333'), /IAM or STS principal ARN/],
    [() => parsePrincipal('bob'), /--principal: 'bob'/],
    [() => serveOptions({ host: '127.0.0.1', port: 'eighty' }), /--port must be a whole number, got 'eighty'/],
  ])('rejects bad values with a UsageError naming the flag (%#)', (f, message) => {
    expect(f).toThrow(UsageError);
    expect(f).toThrow(message);
  });

  it('formats log lines without secrets', () => {
    expect(formatLogLine({ method: 'POST', path: '/', operation: 'PutKeyPolicy', status: 400, code: 'NotFoundException', ms: 3 })).toBe('POST / PutKeyPolicy 400 NotFoundException 3ms');
    expect(formatLogLine({ method: 'GET', path: '/x', operation: undefined, status: 'dropped', code: undefined, ms: 0 })).toBe('GET /x unknown-target dropped - 0ms');
    expect(formatLogLine({ method: 'POST', path: '/', operation: undefined, target: 'TrentService.Encrypt', status: 400, code: 'UnknownOperationException', ms: 1 })).toBe(
      'POST / TrentService.Encrypt 400 UnknownOperationException 1ms',
    );
    expect(formatLogLine({ method: 'POST', path: '/', operation: undefined, target: 'a b', status: 400, code: 'UnknownOperationException', ms: 1 })).toBe('POST / "a b" 400 UnknownOperationException 1ms');
  });
});

describe('kms-conformance serve', () => {
  it.each([
    [['serve', '--port', 'abc'], '--port must be a whole number'],
    [['serve', '--host', '0.0.0.0'], 'not a loopback address'],
    [['serve', '--region', 'moon'], 'region'],
    [['serve', '--contract', '1999'], "--contract: unknown contract version '1999'"],
    [['serve', '--contract', '1999'], 'Example: --contract 2024-03-18'],
    [['serve', '--contract', '1999'], "kms-conformance: --contract: unknown contract version '1999'"],
    [['serve', '--account', '42'], 'kms-conformance: --account: "42" is not a 12-digit AWS account id.'],
    [['serve', '--fault-rate', 'throttle=0.7,drop=0.7'], 'must not exceed 1'],
    [['serve', '--no-such-flag'], "kms-conformance: unknown option '--no-such-flag'"],
    [['serve', '--divergence', 'chaos'], "--divergence: unknown profile 'chaos'"],
  ])('%j exits 2 with a clear message', async (argv, message) => {
    const c = captureOutput();
    const code = await main(argv, c);
    expect(code).toBe(2);
    expect(c.stderr()).toContain(message);
    expect(c.stdout()).toBe('');
  });

  it('a bad mock option is said once, with the flag, and points at no file the package does not ship', async () => {
    const c = captureOutput();
    expect(await main(['serve', '--contract', 'nonsense'], c)).toBe(2);
    expect(c.stderr()).toBe(
      "kms-conformance: --contract: unknown contract version 'nonsense'. Valid values: latest, 2017-02-15, 2024-03-18, 2025-06-05 (or an unambiguous prefix such as '2017' or '2024-03'). Example: --contract 2024-03-18\n",
    );
    // The library's own MockConfigError does cite mocks/README.md: the package ships it.
    const pkg = JSON.parse(readFileSync(resolve(repoRoot, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('mocks/README.md');
  });

  it('logs the X-Amz-Target of a request whose operation the mock does not serve, and unknown-target without one', async () => {
    const c = captureOutput();
    await runServe({ host: '127.0.0.1', port: '0' }, c, async (server) => {
      for (const target of ['TrentService.Encrypt', undefined]) {
        const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1', ...(target === undefined ? {} : { 'x-amz-target': target }) };
        await (await fetch(server.url, { method: 'POST', headers, body: '{}' })).text();
      }
    });
    expect(c.stderr()).toMatch(/^POST \/ TrentService\.Encrypt 400 UnknownOperationException \d+ms\nPOST \/ unknown-target 400 \w+ \d+ms\nstopped\n$/);
  });

  it('prints the URL first, serves, logs to stderr, and stops when told', async () => {
    const c = captureOutput();
    let url = '';
    await runServe({ host: '127.0.0.1', port: '0', seed: '3' }, c, async (server) => {
      url = server.url;
      const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.CreateKey' }, body: '{}' });
      expect(res.status).toBe(200);
      await res.text();
    });
    expect(c.stdout()).toBe(`listening on ${url}\n`);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(c.stderr()).toMatch(/^POST \/ CreateKey 200 - \d+ms\nstopped\n$/);
  });

  it('--quiet keeps stderr empty', async () => {
    const c = captureOutput();
    await runServe({ host: '127.0.0.1', port: '0', quiet: true }, c, async (server) => {
      await (await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.CreateKey' }, body: '{}' })).text();
    });
    expect(c.stderr()).toBe('');
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('as a process: first stdout line is the URL, %s stops it with exit code 0', async (signal) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'serve', '--port', '0'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      let out = '';
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const firstLine = await new Promise<string>((resolveLine, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL within 20 s; stderr: ${err}`)), 20_000);
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`serve exited with ${code} before printing its URL; stderr: ${err}`));
        });
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const nl = out.indexOf('\n');
          if (nl >= 0) {
            clearTimeout(timer);
            resolveLine(out.slice(0, nl));
          }
        });
      });
      expect(firstLine).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
      const url = firstLine.slice('listening on '.length);
      // Keep a keep-alive connection open: shutdown must still complete.
      await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.CreateKey' }, body: '{}' })).text();
      child.kill(signal);
      expect(await exit).toBe(0);
      expect(err).toContain('stopped');
    } finally {
      // A failed expectation above must not leave the server running.
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exit;
      }
    }
  });

  it('closes the server when the stop callback throws', async () => {
    const c = captureOutput();
    let url = '';
    await expect(
      runServe({ host: '127.0.0.1', port: '0', quiet: true }, c, async (server) => {
        url = server.url;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(fetch(url, { method: 'POST', body: '{}' })).rejects.toThrow();
  });
});
