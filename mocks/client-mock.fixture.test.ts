/**
 * The aws-sdk-client-mock adapter as an application team meets it: an app with its own, older
 * copy of `@aws-sdk/client-kms` (3.600.0) and its own aws-sdk-client-mock, importing the adapter
 * from this package (which has its own, newer SDK). The fixture's packages come from the npm
 * registry once into a cache folder under node_modules/.cache and are reused by later runs.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The SDK version the fixture app pins: older than this package's, from mid-2024. */
export const FIXTURE_SDK_VERSION = '3.600.0';
const FIXTURE_DEPENDENCIES = { '@aws-sdk/client-kms': FIXTURE_SDK_VERSION, 'aws-sdk-client-mock': '4.1.0' };
const cache = join(repoRoot, 'node_modules', '.cache', 'kms-conformance', `fixture-app-sdk-${FIXTURE_SDK_VERSION}`);
const ready = join(cache, '.installed');

/** Installs the fixture app's own packages once (about half a minute from the registry). */
async function installFixture(): Promise<void> {
  if (existsSync(ready)) return;
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  writeFileSync(join(cache, 'package.json'), JSON.stringify({ name: 'fixture-app', private: true, type: 'module', dependencies: FIXTURE_DEPENDENCIES }, null, 2));
  try {
    await run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], { cwd: cache, timeout: 280_000 });
  } catch (e) {
    throw new Error(`could not install the fixture app's packages (${Object.entries(FIXTURE_DEPENDENCIES).map(([n, v]) => `${n}@${v}`).join(', ')}) from the npm registry into ${cache}: ${(e as Error).message}`);
  }
  writeFileSync(ready, new Date().toISOString());
}

/** The app: its own SDK and aws-sdk-client-mock, the adapter from this package (through tsx, from source). */
const APP = `
import { KMSClient, CreateKeyCommand, CreateAliasCommand, ListAliasesCommand, DescribeKeyCommand, GetKeyPolicyCommand,
  NotFoundException, KMSInvalidStateException, KMSServiceException, EncryptCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { mockKmsClient } from ${JSON.stringify(pathToFileURL(join(repoRoot, 'mocks', 'client-mock.ts')).href)};

const out = { sdkVersion: JSON.parse(readFileSync(new URL('./node_modules/@aws-sdk/client-kms/package.json', import.meta.url), 'utf8')).version };
const kmsMock = mockClient(KMSClient);
const model = mockKmsClient(kmsMock, { seed: 9 });
const kms = new KMSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDAPP', secretAccessKey: 'app-secret' } });
const created = await kms.send(new CreateKeyCommand({ Description: 'from the app' }));
out.created = { keyId: created.KeyMetadata.KeyId, arn: created.KeyMetadata.Arn, dateIsDate: created.KeyMetadata.CreationDate instanceof Date, metadata: created.$metadata };
await kms.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: created.KeyMetadata.KeyId }));
out.aliases = (await kms.send(new ListAliasesCommand({}))).Aliases.map((a) => a.AliasName);
out.policyId = JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: created.KeyMetadata.KeyId }))).Policy).Id;
const seeded = model.seedKey({ state: 'PendingDeletion', region: 'eu-west-1' });
const classOf = async (p) => p.then(() => 'no error', (e) => ({ name: e.name, appNotFound: e instanceof NotFoundException, appInvalidState: e instanceof KMSInvalidStateException,
  appService: e instanceof KMSServiceException, status: e.$metadata?.httpStatusCode, fault: e.$fault }));
out.notFound = await classOf(kms.send(new DescribeKeyCommand({ KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' })));
out.invalidState = await classOf(kms.send(new CreateAliasCommand({ AliasName: 'alias/late', TargetKeyId: seeded.KeyId })));
out.unknown = await classOf(kms.send(new EncryptCommand({ KeyId: created.KeyMetadata.KeyId, Plaintext: new Uint8Array([1]) })));
out.calls = kmsMock.commandCalls(CreateKeyCommand).length;
console.log(JSON.stringify(out));
`;

describe(`an app with its own @aws-sdk/client-kms ${FIXTURE_SDK_VERSION} and aws-sdk-client-mock`, () => {
  let result: Record<string, unknown> = {};

  beforeAll(async () => {
    await installFixture();
    const app = join(cache, 'app.mjs');
    writeFileSync(app, APP);
    const tsx = pathToFileURL(join(repoRoot, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs')).href;
    const { stdout } = await run(process.execPath, ['--import', tsx, app], { cwd: cache, timeout: 120_000, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' } });
    result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
  }, 420_000);

  it('runs against the older SDK, not this package\'s copy', () => {
    expect(result.sdkVersion).toBe(FIXTURE_SDK_VERSION);
  });

  it('package.json makes @aws-sdk/client-kms a peer from this version on, whose Node need is within engines', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { engines: { node: string }; dependencies: Record<string, string>; peerDependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.peerDependencies['@aws-sdk/client-kms']).toBe(`^${FIXTURE_SDK_VERSION}`);
    expect(pkg.dependencies['@aws-sdk/client-kms']).toBeUndefined();
    expect(pkg.devDependencies['@aws-sdk/client-kms']).toBeDefined();
    const lowestNode = (range: string): number => Number(/^>=\s*(\d+)/.exec(range)?.[1] ?? Number.NaN);
    const fixtureEngines = (JSON.parse(readFileSync(join(cache, 'node_modules', '@aws-sdk', 'client-kms', 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(lowestNode(fixtureEngines)).toBeLessThanOrEqual(lowestNode(pkg.engines.node));
  });

  it('answers every command from the model, in the client\'s Region, with Date timestamps and one attempt', () => {
    expect(result.created).toMatchObject({ arn: expect.stringMatching(/^arn:aws:kms:eu-west-1:111122223333:key\//), dateIsDate: true, metadata: { httpStatusCode: 200, attempts: 1 } });
    expect(result.aliases).toEqual(['alias/app']);
    expect(result.policyId).toBe('key-default-1');
    expect(result.calls).toBe(1);
  });

  it("throws the app's own SDK exception classes, with $metadata and $fault", () => {
    expect(result.notFound).toEqual({ name: 'NotFoundException', appNotFound: true, appInvalidState: false, appService: true, status: 400, fault: 'client' });
    expect(result.invalidState).toEqual({ name: 'KMSInvalidStateException', appNotFound: false, appInvalidState: true, appService: true, status: 400, fault: 'client' });
    expect(result.unknown).toMatchObject({ name: 'UnknownOperationException', appService: true, status: 400 });
  });
});
