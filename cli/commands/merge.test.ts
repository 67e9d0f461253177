import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../suites/helpers/cli.ts';
import { shardCase, shardInput } from '../../reports/test/shards.ts';
import { validateResults } from '../../reports/schema.ts';
import { ResultsWriter } from '../../scoring/results-file.ts';
import type { CaseRecord, RunResults, RunSummary } from '../../scoring/results.ts';
import { runOptionsFrom } from './run.ts';

const cli = runCli;

const A = 'KeyId.arn';
const B = 'PutKeyPolicy.PolicyName.default';
let dir: string;

function write(name: string, r: RunResults): string {
  mkdirSync(join(dir, name), { recursive: true });
  const file = join(dir, name, 'results.json');
  writeFileSync(file, JSON.stringify(r));
  return file;
}

let one: string;
let two: string;
let otherSeed: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kmsc-cli-merge-'));
  const failing = shardCase('request:1:0/sdk', 'fail', [A, B], { replayFile: 'cases/request_1_0_sdk.json' });
  one = write('s1', shardInput(1, 2, [failing]).results);
  mkdirSync(join(dir, 's1', 'cases'));
  writeFileSync(join(dir, 's1', 'cases', 'request_1_0_sdk.json'), '{"replay":"me"}\n');
  const passes = [1, 2, 3].map((k) => shardCase(`request:1:${k}/sdk`, 'pass', [A]));
  two = write('s2', shardInput(2, 2, passes).results);
  const s = shardInput(2, 2, passes).results;
  otherSeed = write('s2-seed-7', { ...s, run: { ...s.run, seed: 7 } });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('kms-conformance merge', () => {
  it('writes one report directory with blame settled over every shard, and exits as the run would (1: a case fails)', async () => {
    const out = join(dir, 'merged');
    const r = await cli(['merge', two, one, '--out', out]);
    expect(r.code, r.err).toBe(1);
    expect(r.err).toContain('merged 2 shards of seed 4242: 4 case records');
    const merged = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResults;
    const v = validateResults(merged);
    expect(v.ok ? [] : v.errors).toEqual([]);
    expect(merged.cases.find((c) => c.verdict === 'fail')?.ruleIds).toEqual([B]);
    expect(merged.rules.find((x) => x.id === B)?.verdict).toBe('fail');
    expect(merged.settings.shard).toBeUndefined();
    expect(readdirSync(out).sort()).toEqual(['badge.svg', 'cases', 'junit.xml', 'report.html', 'results.json', 'summary.md']);
    expect(readFileSync(join(out, 'cases', 'request_1_0_sdk.json'), 'utf8')).toBe('{"replay":"me"}\n');
    expect(r.out).toContain(B);
  });

  it('writes only the formats asked for', async () => {
    const out = join(dir, 'merged-md');
    const r = await cli(['merge', one, two, '--out', out, '--format', 'md', '--quiet']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('');
    expect(readdirSync(out).sort()).toEqual(['cases', 'results.json', 'summary.md']);
  });

  it('refuses shards of different seeds with exit 2 and the message, and writes nothing', async () => {
    const out = join(dir, 'refused');
    const r = await cli(['merge', one, otherSeed, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`kms-conformance: merge: the shards are not of one run: ${one} has seed 4242, but ${otherSeed} has 7. Run every shard with the same --seed, then merge.\n`);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a missing shard, a shard given twice, and --out on a shard’s directory (exit 2)', async () => {
    const missing = await cli(['merge', two, '--out', join(dir, 'x')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(`shard 1/2 is missing: got 2/2 (${two}). Run the missing shard with the same flags (--shard 1/2)`);
    const twice = await cli(['merge', one, one, two, '--out', join(dir, 'x')]);
    expect(twice.code).toBe(2);
    expect(twice.err).toContain('are both shard 1/2 (the same run, given twice)');
    const onShard = await cli(['merge', one, two, '--out', join(dir, 's1')]);
    expect(onShard.code).toBe(2);
    expect(onShard.err).toContain(`--out ${join(dir, 's1')} is the report directory of ${one}`);
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  it('refuses a file that is not a results.json (exit 2)', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"nope": true}');
    const r = await cli(['merge', bad, one, '--out', join(dir, 'y')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/merge: .*bad\.json is not a valid results\.json: \(top level\) must have required property/);
  });
});

describe('kms-conformance merge, shards as run writes them (read one case at a time)', () => {
  /** The shard written the way `run` writes results.json (the summary, then one case a line). */
  async function writeStreamed(name: string, r: RunResults): Promise<string> {
    const target = join(dir, name);
    const { cases, ...summary } = r;
    const w = await ResultsWriter.open(target);
    for (const c of cases) w.add(c);
    await w.drained();
    return w.finish(summary as RunSummary);
  }

  it('merges them to the very results.json the shards read whole give', async () => {
    const s1 = await writeStreamed('st1', JSON.parse(readFileSync(one, 'utf8')) as RunResults);
    mkdirSync(join(dir, 'st1', 'cases'));
    writeFileSync(join(dir, 'st1', 'cases', 'request_1_0_sdk.json'), '{"replay":"me"}\n');
    const s2 = await writeStreamed('st2', JSON.parse(readFileSync(two, 'utf8')) as RunResults);
    const lines = readFileSync(s1, 'utf8').split('\n');
    expect(JSON.parse(lines[lines.indexOf('  "cases": [') + 1]!)).toMatchObject({ id: 'request:1:0/sdk' }); // one case a line
    const streamed = await cli(['merge', s2, s1, '--out', join(dir, 'm-streamed'), '--quiet']);
    const whole = await cli(['merge', two, one, '--out', join(dir, 'm-whole'), '--quiet']);
    expect(streamed.code, streamed.err).toBe(1);
    expect(whole.code).toBe(1);
    const read = (d: string): RunResults => JSON.parse(readFileSync(join(dir, d, 'results.json'), 'utf8')) as RunResults;
    expect(read('m-streamed')).toEqual(read('m-whole'));
    // Replay lines name each report directory; otherwise the reports are the same.
    expect(readFileSync(join(dir, 'm-streamed', 'junit.xml'), 'utf8').replaceAll('m-streamed', 'm-whole')).toBe(readFileSync(join(dir, 'm-whole', 'junit.xml'), 'utf8'));
    expect(readFileSync(join(dir, 'm-streamed', 'cases', 'request_1_0_sdk.json'), 'utf8')).toBe('{"replay":"me"}\n');
  });

  it('refuses a shard with an invalid case, or one cut short, naming the file and the case, and writes nothing', async () => {
    const good = JSON.parse(readFileSync(two, 'utf8')) as RunResults;
    const bad = await writeStreamed('st-bad', { ...good, cases: [good.cases[0]!, { ...good.cases[1]!, verdict: 'maybe' } as unknown as CaseRecord] });
    const r = await cli(['merge', one, bad, '--out', join(dir, 'never-1')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/merge: .*st-bad\/results\.json is not a valid results\.json: case 2: \/verdict must be equal to one of the allowed values/);
    expect(existsSync(join(dir, 'never-1'))).toBe(false);
    const full = readFileSync(await writeStreamed('st-cut', good), 'utf8');
    writeFileSync(join(dir, 'st-cut', 'results.json'), full.slice(0, full.lastIndexOf('\n  ]')));
    const cut = await cli(['merge', one, join(dir, 'st-cut', 'results.json'), '--out', join(dir, 'never-2')]);
    expect(cut.code).toBe(2);
    expect(cut.err).toMatch(/merge: cannot read .*st-cut\/results\.json as a results\.json \(.*the case list does not end \(3 cases read\); the file is cut short\.\)/);
    expect(existsSync(join(dir, 'never-2'))).toBe(false);
  });
});

describe('kms-conformance run --shard', () => {
  it.each([
    ['4/3', '--shard the shard number must be a whole number from 1 to 3 (shards are numbered from 1), got 4.'],
    ['half', '--shard must be i/n (shard i of n, numbered from 1), got "half".'],
  ])('refuses --shard %s with exit 2, before sending anything', async (raw, message) => {
    const r = await cli(['run', '--seed', '1', '--shard', raw, '--out', join(dir, 'never')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`kms-conformance: ${message} Example: --shard 2/3`);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('needs a seed: shards without one would each pick their own', () => {
    expect(() => runOptionsFrom({ shard: '1/2' }, {})).toThrow('--shard 1/2 needs --seed (or KMS_CONFORMANCE_SEED): every shard must plan the same cases');
    expect(runOptionsFrom({ shard: '1/2' }, { KMS_CONFORMANCE_SEED: '42' })).toMatchObject({ seed: 42, shard: { index: 1, count: 2 } });
  });

  it('plans a shard in a dry run', async () => {
    const whole = await cli(['run', '--dry-run', '--seed', '5', '--runs', '3']);
    const part = await cli(['run', '--dry-run', '--seed', '5', '--runs', '3', '--shard', '1/2']);
    expect(part.code).toBe(0);
    expect(part.out).toContain('seed 5 · shard 1/2');
    const cases = (s: string): number => Number(/(\d+) cases,/.exec(s)?.[1]);
    expect(cases(part.out)).toBe(Math.ceil(cases(whole.out) / 2));
  });
});
