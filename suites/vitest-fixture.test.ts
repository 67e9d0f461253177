/**
 * `kms-conformance/vitest` as an emulator author uses it: a fixture project in a temp directory
 * with one test file calling `describeConformance`, run by its own vitest process against a
 * loopback mock server. Against the faithful mock every rule's test passes or is skipped with a
 * reason; against a mock with a divergence profile on, exactly the tests of the broken rules fail.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIVERGENCE_BREAKS } from '../mocks/divergences.ts';
import { mockServer } from './helpers/servers.ts';

const ROOT = join(import.meta.dirname, '..');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kmsc-fixture-'));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'emulator-fixture', private: true, type: 'module' }));
  await writeFile(
    join(dir, 'vitest.config.mjs'),
    `export default { resolve: { alias: { 'kms-conformance/vitest': ${JSON.stringify(join(ROOT, 'vitest', 'index.ts'))} } }, test: { include: ['*.test.ts'], testTimeout: 60000 } };\n`,
  );
  await writeFile(
    join(dir, 'conformance.test.ts'),
    `import { describeConformance } from 'kms-conformance/vitest';\ndescribeConformance({ endpoint: process.env.EMULATOR_URL, seed: 5, runs: 4, convergeTimeoutMs: 2000 });\n`,
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface JsonReport {
  readonly testResults: readonly { readonly assertionResults: readonly { readonly title: string; readonly status: string; readonly failureMessages: readonly string[] }[] }[];
}

async function fixtureRun(url: string): Promise<{ code: number | null; report: JsonReport; output: string }> {
  const outFile = join(dir, `report-${Date.now()}.json`);
  const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', dir, '--reporter=json', `--outputFile=${outFile}`], {
    cwd: dir,
    env: { ...process.env, EMULATOR_URL: url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const report = JSON.parse(await readFile(outFile, 'utf8')) as JsonReport;
  return { code, report, output };
}

describe('describeConformance in an emulator author’s own vitest run', () => {
  it('against the faithful mock server: every rule test passes or is skipped with a reason', async () => {
    const server = await mockServer();
    try {
      const { code, report, output } = await fixtureRun(server.url);
      const tests = report.testResults.flatMap((t) => t.assertionResults);
      expect(tests.length, output.slice(-2000)).toBeGreaterThan(200);
      expect(tests.filter((t) => t.status === 'failed').map((t) => `${t.title}: ${t.failureMessages[0]?.slice(0, 300)}`)).toEqual([]);
      expect(tests.filter((t) => t.status === 'passed').length).toBeGreaterThan(150);
      expect(code).toBe(0);
    } finally {
      await server.close();
    }
  }, 240_000);

  it('against a mock server with reformat-policy on: exactly that rule’s test fails, showing the case and the replay line', async () => {
    const server = await mockServer({ divergences: ['reformat-policy'] });
    try {
      const { code, report } = await fixtureRun(server.url);
      const failed = report.testResults.flatMap((t) => t.assertionResults).filter((t) => t.status === 'failed');
      expect(failed.map((t) => t.title)).toEqual([...DIVERGENCE_BREAKS['reformat-policy']]);
      const message = failed[0]!.failureMessages[0] ?? '';
      expect(message).toMatch(/expected: .*\n\s+observed: .*\n\s+finding: +unexpected_success_body/);
      const replay = /replay: +npx kms-conformance replay (\S+)/.exec(message)?.[1];
      expect(replay, message).toBeDefined();
      // The replay line names a file the run wrote, under the project's report directory.
      expect(JSON.parse(await readFile(join(dir, replay!), 'utf8'))).toMatchObject({ format: 'kms-conformance/case@1' });
      expect(code).toBe(1);
    } finally {
      await server.close();
    }
  }, 240_000);
});
