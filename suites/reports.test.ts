/**
 * Reports from real runs, end to end through the command line: a run against the mock server with
 * divergence profiles on, signed with canary credentials, writes every format; every format names
 * the same failing rules and score; JUnit and results.json validate against their schemas; no
 * canary secret appears in any file. Then baselines (waive, expire, stale) and `rescore` (an
 * untouched file changes nothing, an edited verdict is reported).
 */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from './helpers/cli.ts';
import { validateResults } from '../reports/schema.ts';
import { requireXmllint, validateJunit } from '../reports/test/xmllint.ts';
import type { RunResults } from '../scoring/results.ts';
import { mockServer } from './helpers/servers.ts';
import type { MockServer } from '../mocks/server.ts';

const CANARY = { accessKeyId: 'AKIDCANARY0000000001', secretAccessKey: 'CANARYsecretKEY/abcdefghij0123456789XYZ', sessionToken: 'CANARYsessionTOKENabcdefghijklmnopqrstuvwxyz0123456789' };
const PROFILES = ['reformat-policy', 'skip-principal-check'] as const;

/** The command line in process, with `env` set for the call (the run's credentials come from it). */
async function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await runCli(args);
  } finally {
    for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir(dir)) {
    const p = join(dir, name);
    if ((await stat(p)).isDirectory()) out.push(...(await allFiles(p)));
    else out.push(p);
  }
  return out;
}

let server: MockServer;
let dir: string;
let run: { code: number; out: string; err: string };
let results: RunResults;

beforeAll(async () => {
  server = await mockServer({ divergences: [...PROFILES] });
  dir = await mkdtemp(join(tmpdir(), 'kmsc-reports-'));
  run = await cli(['run', '--endpoint', server.url, '--out', join(dir, 'report'), '--seed', '31', '--runs', '6', '--converge-timeout', '2000', '--quiet'], {
    AWS_ACCESS_KEY_ID: CANARY.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CANARY.secretAccessKey,
    AWS_SESSION_TOKEN: CANARY.sessionToken,
  });
  results = JSON.parse(await readFile(join(dir, 'report', 'results.json'), 'utf8')) as RunResults;
}, 240_000);
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('every report of a run against a divergent mock server', () => {
  it('the run fails (exit 1) on exactly the profiles’ rules and writes every format', async () => {
    expect(run.code, run.err).toBe(1);
    const failing = results.rules.filter((r) => r.verdict === 'fail').map((r) => r.id).sort();
    expect(failing).toEqual(['GetKeyPolicy.output.defaultPolicyText', 'PutKeyPolicy.Policy.statement.principal.exists']);
    for (const f of ['results.json', 'junit.xml', 'report.html', 'summary.md', 'badge.svg']) expect((await stat(join(dir, 'report', f))).size, f).toBeGreaterThan(0);
    expect((await readdir(join(dir, 'report', 'cases'))).length).toBe(results.counts.fail);
  });

  it('every format names the same failing rules and the same score', async () => {
    const failing = results.rules.filter((r) => r.verdict === 'fail').map((r) => r.id);
    const pct = `${(Math.floor(results.score.caseRatio * 1000) / 10).toFixed(1)}%`;
    const junit = await readFile(join(dir, 'report', 'junit.xml'), 'utf8');
    const md = await readFile(join(dir, 'report', 'summary.md'), 'utf8');
    const html = await readFile(join(dir, 'report', 'report.html'), 'utf8');
    const badge = await readFile(join(dir, 'report', 'badge.svg'), 'utf8');
    for (const id of failing) {
      expect(junit).toMatch(new RegExp(`<testsuite name="${id.replace(/\./g, '\\.')}"[^>]*failures="[1-9]`));
      expect(md).toContain(id);
      expect(html).toContain(id);
      expect(run.out).toContain(id);
    }
    const failingSuites = [...junit.matchAll(/<testsuite name="([^"]+)"[^>]*failures="([1-9]\d*)"/g)].map((m) => m[1]).sort();
    expect(failingSuites).toEqual([...failing].sort());
    for (const text of [md, html, badge, run.out]) expect(text).toContain(pct);
  });

  it('results.json validates against the shipped schema, and junit.xml against the JUnit XSD', async () => {
    const v = validateResults(results);
    expect(v.ok ? [] : v.errors).toEqual([]);
    requireXmllint();
    const v2 = validateJunit(await readFile(join(dir, 'report', 'junit.xml'), 'utf8'));
    expect(v2.stderr).toMatch(/validates/);
    expect(v2.status).toBe(0);
  });

  it('no canary secret (secret key, session token, access key id) appears in any file written or on the console', async () => {
    const files = await allFiles(join(dir, 'report'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const text = await readFile(f, 'utf8');
      for (const secret of [CANARY.secretAccessKey, CANARY.sessionToken, CANARY.accessKeyId]) expect(text.includes(secret), `${secret.slice(0, 12)}… in ${f}`).toBe(false);
    }
    for (const secret of Object.values(CANARY)) expect(`${run.out}${run.err}`.includes(secret)).toBe(false);
    // The canary was really sent: the server saw requests signed with it (so the check above can fail).
    expect(results.cases.some((c) => c.exchanges.some((e) => /x-amz-security-token/i.test(Object.keys(e.request?.headers ?? {}).join(' '))))).toBe(true);
  });
});

describe('baselines', () => {
  it('a baseline written from the failures turns the run green; an expired entry turns it red; a stale one is reported', async () => {
    const base = join(dir, 'baseline.json');
    const args = ['run', '--divergence', 'skip-size-quota', '--rule', 'PutKeyPolicy.Policy.size.quota', '--seed', '3', '--runs', '60', '--quiet'];
    const first = await cli([...args, '--out', join(dir, 'b1'), '--write-baseline', base, '--expires', '2099-12-31']);
    expect(first.code).toBe(1);
    const written = JSON.parse(await readFile(base, 'utf8')) as { entries: { match: string }[] };
    expect(written.entries.map((e) => e.match)).toEqual(['PutKeyPolicy.Policy.size.quota']);

    const green = await cli([...args, '--out', join(dir, 'b2'), '--baseline', base]);
    expect(green.code, green.out).toBe(0);
    const r2 = JSON.parse(await readFile(join(dir, 'b2', 'results.json'), 'utf8')) as RunResults;
    expect(r2.baseline).toMatchObject({ waived: r2.counts.fail, stale: [], expired: [] });
    expect(r2.counts.waived).toBe(r2.counts.fail);

    const stale = { version: 1, entries: [...(written.entries as object[]), { match: 'Wire.method', reason: 'not broken any more', owner: 'qa', expires: '2099-01-01' }] };
    await writeFile(base, JSON.stringify(stale));
    const withStale = await cli([...args, '--out', join(dir, 'b3'), '--baseline', base]);
    expect(withStale.code).toBe(0);
    expect(withStale.out).toMatch(/Stale entries.*Wire\.method/s);

    const expired = { version: 1, entries: [{ ...(written.entries[0] as object), expires: '2020-01-01' }] };
    await writeFile(base, JSON.stringify(expired));
    const red = await cli([...args, '--out', join(dir, 'b4'), '--baseline', base]);
    expect(red.code).toBe(1);
    expect(red.out).toMatch(/Expired entries.*PutKeyPolicy\.Policy\.size\.quota/s);

    const noExpiry = await cli([...args, '--out', join(dir, 'b5'), '--write-baseline', base]);
    expect(noExpiry.code).toBe(2);
    expect(noExpiry.err).toMatch(/--write-baseline needs --expires/);
  }, 120_000);
});

describe('rescore', () => {
  it('settles blame over the whole file as the run did: failures with several candidate rules come out unchanged', async () => {
    const out = join(dir, 'blame-run');
    const run = await cli(['run', '--divergence', 'policy-name-required', '--seed', '3', '--runs', '20', '--out', out, '--quiet']);
    expect(run.code, run.err).toBe(1);
    const file = join(out, 'results.json');
    const recorded = JSON.parse(await readFile(file, 'utf8')) as { cases: { verdict: string; findings?: { candidates?: string[] }[] }[] };
    // Blame matters here: the run chose one rule among several for these failures.
    expect(recorded.cases.filter((c) => c.verdict === 'fail' && (c.findings ?? []).some((f) => (f.candidates ?? []).length > 1)).length).toBeGreaterThan(10);
    const same = await cli(['rescore', file]);
    expect(same.out).toMatch(/no verdict changed/);
    expect(same.code).toBe(0);
  }, 120_000);

  it('a valid policy refused with LimitExceededException is blamed on the size quota by the run and by rescore alike', async () => {
    const out = join(dir, 'quota-run');
    const run = await cli(['run', '--divergence', 'size-quota-32000', '--seed', '20240318', '--runs', '25', '--out', out, '--quiet']);
    expect(run.code, run.err).toBe(1);
    const file = join(out, 'results.json');
    const recorded = JSON.parse(await readFile(file, 'utf8')) as { cases: { verdict: string; ruleIds: string[]; findings?: { code: string; candidates?: string[] }[] }[] };
    const failing = recorded.cases.filter((c) => c.verdict === 'fail');
    expect(failing.length).toBeGreaterThan(0);
    for (const c of failing) {
      expect(c.ruleIds).toEqual(['PutKeyPolicy.Policy.size.quota']);
      // The size quota was chosen among the rules the request involves.
      expect(c.findings?.find((f) => f.code === 'rejected_valid_input')?.candidates).toContain('PutKeyPolicy.Policy.size.quota');
    }
    const same = await cli(['rescore', file]);
    expect(same.out).toMatch(/no verdict changed/);
    expect(same.code).toBe(0);
  }, 120_000);

  it('an untouched results.json rescores with no change; an edited verdict is reported', async () => {
    const file = join(dir, 'report', 'results.json');
    const same = await cli(['rescore', file]);
    expect(same.code, same.out).toBe(0);
    expect(same.out).toMatch(/no verdict changed/);
    expect(same.out).toMatch(/the rule catalogue is the one the run was scored with/);

    const edited = JSON.parse(await readFile(file, 'utf8')) as { cases: { verdict: string; findings?: unknown; id: string }[] };
    const victim = edited.cases.find((c) => c.verdict === 'fail')!;
    victim.verdict = 'pass';
    delete victim.findings;
    const tampered = join(dir, 'tampered.json');
    await writeFile(tampered, JSON.stringify(edited));
    const caught = await cli(['rescore', tampered]);
    expect(caught.code).toBe(1);
    expect(caught.out).toContain(`${victim.id}: pass`);
    expect(caught.out).toMatch(/does not follow from the recorded exchange/);

    // The same edit made in place, keeping run's layout (one case a line), which rescore streams.
    const lines = (await readFile(file, 'utf8')).split('\n');
    const at = lines.findIndex((l) => l.startsWith('    {') && l.includes(`"id":${JSON.stringify(victim.id)}`));
    expect(at).toBeGreaterThan(lines.indexOf('  "cases": ['));
    const comma = lines[at]!.endsWith(',');
    const record = JSON.parse(lines[at]!.slice(0, comma ? -1 : undefined)) as { verdict: string; findings?: unknown };
    record.verdict = 'pass';
    delete record.findings;
    lines[at] = `    ${JSON.stringify(record)}${comma ? ',' : ''}`;
    const inPlace = join(dir, 'tampered-in-place.json');
    await writeFile(inPlace, lines.join('\n'));
    const streamed = await cli(['rescore', inPlace]);
    expect(streamed.code).toBe(1);
    expect(streamed.out).toContain(`${victim.id}: pass`);
    expect(streamed.out).toBe(caught.out.replace(tampered, inPlace));
  }, 120_000);
});
