/**
 * The AWS CLI against `kms-conformance serve`. `aws` must be installed (`.ci/run` installs
 * Debian's awscli when it is missing); without it this test fails, it never skips.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

const awsEnv = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: process.env.HOME ?? '/tmp',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: SECRET,
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_PAGER: '',
};

let child: ChildProcess | undefined;
let endpoint = '';
let stderr = '';

async function aws(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run('aws', ['kms', ...args, '--endpoint-url', endpoint, '--output', 'json'], { env: awsEnv, timeout: 30_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number | string; stdout?: string; stderr?: string; message: string };
    if (typeof err.code !== 'number') throw new Error(`could not run the AWS CLI ('aws'): ${err.message}. Install it (Debian: apt-get install awscli); .ci/run does this in CI.`);
    return { code: err.code, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

beforeAll(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'serve', '--port', '0', '--verify-signatures', '--identity', `AKIDEXAMPLE:${SECRET}`], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  endpoint = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not print its URL within 20 s; stderr: ${stderr}`)), 20_000);
    child?.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^listening on (http:\/\/\S+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1] ?? '');
      }
    });
    child?.on('exit', (code) => reject(new Error(`serve exited with ${code}; stderr: ${stderr}`)));
  });
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child?.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
});

// Each CLI run starts a Python interpreter: seconds apiece on a loaded machine, so tests of several runs get time.
describe('AWS CLI against kms-conformance serve (SigV4 verified)', { timeout: 120_000 }, () => {
  it('create-key, put-key-policy, get-key-policy, list-key-policies', async () => {
    const created = await aws('create-key', '--description', 'from the aws cli');
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const md = (JSON.parse(created.stdout) as { KeyMetadata: { KeyId: string; KeyState: string; Description: string } }).KeyMetadata;
    expect(md).toMatchObject({ KeyState: 'Enabled', Description: 'from the aws cli' });

    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'cli', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }] });
    const put = await aws('put-key-policy', '--key-id', md.KeyId, '--policy-name', 'default', '--policy', policy);
    expect(put).toMatchObject({ code: 0, stdout: '' });

    const got = await aws('get-key-policy', '--key-id', md.KeyId, '--policy-name', 'default');
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({ Policy: policy });

    const listed = await aws('list-key-policies', '--key-id', md.KeyId);
    // The CLI paginates ListKeyPolicies and drops Truncated/NextMarker from what it prints.
    expect(JSON.parse(listed.stdout)).toEqual({ PolicyNames: ['default'] });
  });

  it('create-alias, list-aliases, list-keys (paginated by the CLI through NextMarker), delete-alias', async () => {
    const keyIds: string[] = [];
    for (let i = 0; i < 2; i++) keyIds.push((JSON.parse((await aws('create-key')).stdout) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId);
    const created = await aws('create-alias', '--alias-name', 'alias/cli-test', '--target-key-id', keyIds[0]!);
    expect(created).toMatchObject({ code: 0, stdout: '', stderr: '' });

    const aliases = JSON.parse((await aws('list-aliases', '--key-id', keyIds[0]!)).stdout) as { Aliases: { AliasName: string; TargetKeyId: string; AliasArn: string }[] };
    expect(aliases.Aliases).toEqual([expect.objectContaining({ AliasName: 'alias/cli-test', TargetKeyId: keyIds[0], AliasArn: 'arn:aws:kms:us-east-1:111122223333:alias/cli-test' })]);

    // --page-size 1: the CLI sends Limit 1 and follows NextMarker until Truncated is false.
    const keys = JSON.parse((await aws('list-keys', '--page-size', '1')).stdout) as { Keys: { KeyId: string; KeyArn: string }[] };
    for (const id of keyIds) expect(keys.Keys).toContainEqual({ KeyId: id, KeyArn: `arn:aws:kms:us-east-1:111122223333:key/${id}` });
    expect(new Set(keys.Keys.map((k) => k.KeyId)).size).toBe(keys.Keys.length);

    const duplicate = await aws('create-alias', '--alias-name', 'alias/cli-test', '--target-key-id', keyIds[1]!);
    expect(duplicate.code).not.toBe(0);
    expect(duplicate.stderr).toContain('An error occurred (AlreadyExistsException) when calling the CreateAlias operation');

    expect(await aws('delete-alias', '--alias-name', 'alias/cli-test')).toMatchObject({ code: 0, stdout: '' });
    expect((JSON.parse((await aws('list-aliases')).stdout) as { Aliases: unknown[] }).Aliases).toEqual([]);
  });

  it('reports contract errors the way the CLI shows AWS errors', async () => {
    const r = await aws('get-key-policy', '--key-id', '1234abcd-12ab-34cd-56ef-1234567890ab', '--policy-name', 'default');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('An error occurred (NotFoundException) when calling the GetKeyPolicy operation');
    expect(r.stderr).toContain("Key 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' does not exist");
  });

  it('logs each request on stderr without secrets', () => {
    expect(stderr).toMatch(/POST \/ CreateKey 200 - \d+ms/);
    expect(stderr).toMatch(/POST \/ GetKeyPolicy 400 NotFoundException/);
    expect(stderr).toMatch(/POST \/ CreateAlias 200 - \d+ms/);
    expect(stderr).toMatch(/POST \/ ListKeys 200 - \d+ms/);
    expect(stderr).not.toContain(SECRET);
    expect(stderr).not.toMatch(/AWS4-HMAC-SHA256|Signature=/);
  });
});
