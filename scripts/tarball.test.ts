/**
 * The package as a new user gets it: `npm pack` once, install the tarball once into a fresh
 * fixture project in a temp directory (with the peers a user adds), and from there run the
 * command line (`--help`, `--version`, `run` against the bundled mock, `serve`), import every
 * subpath from an ESM consumer, type-check a strict TypeScript consumer against the shipped
 * declarations (no `any` in the public surface), and run the README's quick starts: the example
 * test files of `examples/` under the fixture's own vitest and the vendor certification script.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer } from '../mocks/server.ts';
import type { MockServer } from '../mocks/server.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
/** Peers and tools a user's project has, at the versions this checkout installed (so npm's cache has them). */
const USER_DEPS = ['@aws-sdk/client-kms', 'aws-sdk-client-mock', 'vitest', 'typescript', '@types/node', 'msw'].map(
  (name) => `${name}@${(JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version}`,
);

let tmp = '';
let fixture = '';
let tarball = '';
let installLog = '';

function inFixture(cmd: string, args: readonly string[], options: { timeout?: number; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, [...args], { cwd: fixture, encoding: 'utf8', timeout: options.timeout ?? 120_000, env: { ...process.env, CI: '1', ...options.env } });
}
function inFixtureAsync(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, [...args], { cwd: fixture, env: { ...process.env, CI: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), 240_000);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
const bin = (): string => join(fixture, 'node_modules', '.bin', 'kms-conformance');

/** Lines of stderr that are warnings (ours or anyone's), apart from the SDK's Node-version notice. */
function warnings(stderr: string): string[] {
  return stderr.split('\n').filter((l) => /warn/i.test(l) && !/NodeVersionSupportWarning/.test(l) && !/node --trace-warnings/.test(l));
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'kms-conformance-tarball-'));
  const packed = execFileSync('npm', ['pack', '--pack-destination', tmp, '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
  tarball = join(tmp, (JSON.parse(packed) as { filename: string }[])[0]?.filename ?? '');
  fixture = join(tmp, 'app');
  mkdirSync(fixture);
  writeFileSync(join(fixture, 'package.json'), JSON.stringify({ name: 'fixture-app', private: true, type: 'module' }, null, 2));
  const install = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, ...USER_DEPS], { cwd: fixture, encoding: 'utf8', timeout: 300_000 });
  installLog = `${install.stdout}\n${install.stderr}`;
  if (install.status !== 0) throw new Error(`npm install of the tarball failed (${install.status ?? install.signal}):\n${installLog}`);
}, 600_000);

afterAll(() => {
  if (tmp !== '') rmSync(tmp, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds what users need and nothing else', () => {
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n').filter((f) => f !== '' && !f.endsWith('/')).map((f) => f.replace(/^package\//, ''));
    for (const f of ['LICENSE', 'README.md', 'CHANGELOG.md', 'mocks/README.md', 'contract/model/kms-model.json', 'dist/scoring/results.schema.json', 'docs/reference.md', 'dist/cli/main.js', 'dist/index.d.ts']) expect(files, f).toContain(f);
    expect(readFileSync(join(fixture, 'node_modules', pkg.name, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0/);
    const unwanted = files.filter((f) => f.endsWith('.map') || /\.test\.|\.bench\./.test(f) || f.startsWith('dist/reports/test/') || (f.endsWith('.ts') && !f.endsWith('.d.ts')));
    expect(unwanted).toEqual([]);
  });

  it('passes publint (strict) and @arethetypeswrong/cli (ESM-only profile)', () => {
    const tool = (name: string): string => join(root, 'node_modules', '.bin', name);
    const publint = spawnSync(tool('publint'), ['run', tarball, '--strict'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(publint.status, `${publint.stdout}${publint.stderr}`).toBe(0);
    expect(publint.stdout).toMatch(/All good!/);
    const attw = spawnSync(tool('attw'), [tarball, '--profile', 'esm-only', '--format', 'table-flipped'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(attw.status, `${attw.stdout}${attw.stderr}`).toBe(0);
  }, 240_000);

  it('installs without warnings about the package', () => {
    expect(installLog.split('\n').filter((l) => /warn/i.test(l) && l.includes(pkg.name))).toEqual([]);
  });
});

describe('the installed command line', () => {
  it('--help shows the commands and an example; --version the tool and contract versions', () => {
    const help = inFixture('npx', ['kms-conformance', '--help']);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/Examples:/);
    for (const c of ['run', 'replay', 'rules', 'serve', 'generate', 'compare', 'rescore']) expect(help.stdout).toContain(c);
    const version = inFixture('npx', ['kms-conformance', '--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(new RegExp(`^${pkg.version.replaceAll('.', '\\.')} \\(contract versions 2017-02-15, 2024-03-18, 2025-06-05; latest = 2025-06-05\\)$`));
  });

  it('run against the bundled mock passes, writes every report and prints no warning of ours', () => {
    const r = inFixture('npx', ['kms-conformance', 'run', '--runs', '2', '--seed', '7', '--out', 'report'], { timeout: 180_000 });
    expect(r.status, r.stderr).toBe(0);
    for (const f of ['results.json', 'report.html', 'badge.svg', 'summary.md', 'junit.xml']) expect(existsSync(join(fixture, 'report', f)), f).toBe(true);
    expect(r.stderr.match(/NodeVersionSupportWarning/g)?.length ?? 0).toBeLessThanOrEqual(1);
    expect(warnings(r.stderr)).toEqual([]);
  }, 200_000);

  it('serve prints where it listens on its first line and stops on SIGTERM', async () => {
    const child = spawn(bin(), ['serve', '--port', '0', '--quiet'], { cwd: fixture, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const first = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('serve printed nothing within 30 s')), 30_000);
        createInterface({ input: child.stdout }).once('line', (l) => {
          clearTimeout(timer);
          resolve(l);
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code} before listening`)));
      });
      expect(first).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${first.slice('listening on '.length)}/`, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.ListKeys' }, body: '{}' });
      expect(res.status).toBe(200);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 60_000);
});

describe('an ESM consumer', () => {
  it('imports ., ./msw, ./client-mock, ./server and ./vitest and uses them', () => {
    writeFileSync(
      join(fixture, 'consumer.mjs'),
      [
        "import { ruleById, checkPolicy } from 'kms-conformance';",
        "import { KmsModel, kmsHandlers } from 'kms-conformance/msw';",
        "import { mockKmsClient } from 'kms-conformance/client-mock';",
        "import { startMockServer } from 'kms-conformance/server';",
        "const vitestEntry = await import('kms-conformance/vitest').catch((e) => ({ loadError: String(e) }));",
        "const server = await startMockServer({ port: 0 });",
        "await server.close();",
        'console.log(JSON.stringify({',
        "  rule: ruleById('PutKeyPolicy.Policy.lockout')?.id,",
        "  checkPolicy: typeof checkPolicy,",
        '  handlers: kmsHandlers(new KmsModel()).length > 0,',
        "  clientMock: typeof mockKmsClient,",
        '  server: server.url.startsWith("http://127.0.0.1:"),',
        '  vitest: Object.keys(vitestEntry),',
        '}));',
      ].join('\n'),
    );
    const r = inFixture(process.execPath, ['consumer.mjs']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ rule: 'PutKeyPolicy.Policy.lockout', checkPolicy: 'function', handlers: true, clientMock: 'function', server: true });
    // Outside a vitest run the vitest entry still loads (describeConformance is exported).
    expect(out['vitest']).toContain('describeConformance');
  });
});

describe('a strict TypeScript consumer', () => {
  it('type-checks against the shipped declarations, with no any in the public surface', () => {
    writeFileSync(
      join(fixture, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noImplicitAny: true, exactOptionalPropertyTypes: true, noEmit: true, skipLibCheck: false, types: ['node'] }, files: ['consumer.ts'] }, null, 2),
    );
    writeFileSync(
      join(fixture, 'consumer.ts'),
      `import * as root from 'kms-conformance';
import * as msw from 'kms-conformance/msw';
import * as clientMock from 'kms-conformance/client-mock';
import * as server from 'kms-conformance/server';
import * as vitestEntry from 'kms-conformance/vitest';

type IsAny<T> = 0 extends 1 & T ? true : false;
/** Exports that are any, return any, or take an any first argument. */
type AnyExports<M> = {
  [K in keyof M]: IsAny<M[K]> extends true ? K
    : M[K] extends (...args: infer A) => infer R ? (IsAny<R> extends true ? K : A extends [infer F, ...unknown[]] ? (IsAny<F> extends true ? K : never) : never)
    : never;
}[keyof M];
const none = <T extends never>(): T | undefined => undefined;
none<AnyExports<typeof root>>();
none<AnyExports<typeof msw>>();
none<AnyExports<typeof clientMock>>();
none<AnyExports<typeof server>>();
none<AnyExports<typeof vitestEntry>>();

// Usages a user writes, each result checked to be a real type.
const rule = root.ruleById('PutKeyPolicy.Policy.lockout');
const ruleId: string | undefined = rule?.id;
const notAny = <T>(_v: T, ok: IsAny<T> extends true ? never : true): void => void ok;
notAny(rule, true);
notAny(root.RULES, true);
const model = new msw.KmsModel({ seed: 1 });
notAny(model.seedKey({ state: 'Disabled' }), true);
notAny(msw.kmsHandlers(model), true);
const run: Promise<root.ConformanceResult> = root.runConformance({ runs: 1, out: false as never });
notAny(run, true);
const started = server.startMockServer({ port: 0 });
notAny(started, true);
export { ruleId };
`,
    );
    const r = inFixture(join(fixture, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json']);
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);
});

describe('the README quick starts, from the fixture project', () => {
  let mock: MockServer | undefined;
  afterAll(async () => {
    await mock?.close();
  });

  it('1 and 3: the example test files pass under the fixture project\'s own vitest', () => {
    const files = ['emulator-author/conformance.test.ts', 'application/msw.test.ts', 'application/client-mock.test.ts'];
    for (const f of files) copyFileSync(join(root, 'examples', f), join(fixture, f.replace('/', '-')));
    const r = inFixture(join(fixture, 'node_modules', '.bin', 'vitest'), ['run', '--reporter=json', '--outputFile=vitest.json'], { timeout: 300_000 });
    const report = JSON.parse(readFileSync(join(fixture, 'vitest.json'), 'utf8')) as { numFailedTests: number; numPassedTests: number; testResults: { name: string; status: string }[] };
    expect(report.testResults.map((t) => [t.name.split('/').pop(), t.status]).sort(), r.stderr).toEqual(files.map((f) => [f.replace('/', '-'), 'passed']).sort());
    expect(report.numFailedTests).toBe(0);
    expect(report.numPassedTests).toBeGreaterThan(10);
    expect(r.status).toBe(0);
  }, 320_000);

  it('2: the certification script publishes report.html, badge.svg and a re-scorable results.json', async () => {
    mock = await startMockServer({ port: 0 });
    copyFileSync(join(root, 'examples', 'vendor', 'certify.sh'), join(fixture, 'certify.sh'));
    // Asynchronously: the endpoint answers from this process, which must not block while it runs.
    const r = await inFixtureAsync('sh', ['certify.sh', mock.url, '--transport', 'http'], { RUNS: '2', NAME: 'fixture-mock' });
    expect(r.status, r.stderr).toBe(0);
    for (const f of ['report.html', 'badge.svg', 'results.json']) expect(existsSync(join(fixture, 'certification', f)), f).toBe(true);
    const rescore = inFixture('npx', ['kms-conformance', 'rescore', 'certification/results.json']);
    expect(rescore.status, rescore.stderr).toBe(0);
  }, 260_000);
});
