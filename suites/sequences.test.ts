/**
 * Stateful sequences (`replay/sequence.ts`): against a mock that loses the key policy across
 * DisableKey/EnableKey (`state-lost-disable-enable`), in process and over the wire, the run fails
 * `KeyState.after.policy` and only it, with a sequence of a few steps whose replay file replays
 * STILL FAILING against the divergent target and FIXED against the faithful one; against the
 * faithful mock every sequence passes; the same seed gives the same sequences; shards split them;
 * `rescore` and `merge` read sequence records.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DivergenceName } from '../mocks/divergences.ts';
import { writeReports } from '../reports/index.ts';
import { validateResults } from '../reports/schema.ts';
import { replayFiles } from '../replay/replay.ts';
import { planRun, runConformance, type ConformanceResult, type RunOptions } from '../replay/runner.ts';
import { planSequences } from '../replay/sequence.ts';
import { mergeShards } from '../scoring/merge.ts';
import { rescore } from '../scoring/rescore.ts';
import type { CaseRecord, RunResults } from '../scoring/results.ts';
import { runCli } from './helpers/cli.ts';
import { mockServer } from './helpers/servers.ts';

const SEED = 20_261_201;
const PROFILE: DivergenceName = 'state-lost-disable-enable';
/** Only sequences: no examples, no generated single cases. */
const ONLY_SEQUENCES: RunOptions = { seed: SEED, runs: 0, examples: false, sequences: 12, convergeTimeoutMs: 300 };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kmsc-seq-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const failingRules = (r: ConformanceResult): string[] => r.rules.filter((x) => x.verdict === 'fail').map((x) => x.id).sort();
const sequences = (records: readonly CaseRecord[]): CaseRecord[] => records.filter((c) => c.source === 'sequence');

async function results(out: string): Promise<RunResults> {
  const parsed = validateResults(JSON.parse(await readFile(join(out, 'results.json'), 'utf8')));
  if (!parsed.ok) throw new Error(`results.json does not match its schema: ${parsed.errors.join('; ')}`);
  return parsed.results;
}

/**
 * The failing sequences of a run against the divergent target, checked; the one shrunk (the first
 * failing sequence of the rule) and its replay file.
 */
function checkCaught(r: ConformanceResult): { file: string; failure: CaseRecord } {
  expect(failingRules(r)).toEqual(['KeyState.after.policy']);
  expect(r.counts.error).toBe(0);
  expect(r.failures.length).toBeGreaterThan(0);
  for (const f of r.failures) {
    expect(f.source).toBe('sequence');
    const q = f.sequence!;
    expect(q.failingStep).toBe(q.steps.length - 1);
    const failing = q.steps[q.failingStep!]!;
    // The policy is lost by EnableKey, and the read after it shows the default policy.
    expect(failing.operation).toBe('EnableKey');
    expect(failing.findings?.[0]?.ruleIds).toEqual(['KeyState.after.policy']);
    expect(q.steps.slice(0, -1).every((s) => s.verdict === 'pass')).toBe(true);
    expect(q.steps.map((s) => s.operation)).toContain('PutKeyPolicy');
    expect(q.steps.map((s) => s.operation)).toContain('DisableKey');
    expect(f.replayFile).toMatch(/^cases\/sequence-/);
  }
  const shrunk = r.failures.filter((f) => f.sequence!.shrunk !== undefined);
  expect(shrunk).toHaveLength(1);
  const failure = shrunk[0]!;
  // Shrunk to PutKeyPolicy, DisableKey, EnableKey (at most one step more).
  expect(failure.sequence!.steps.length, failure.sequence!.steps.map((s) => s.call).join(', ')).toBeLessThanOrEqual(4);
  expect(failure.sequence!.shrunk!.originalSteps).toBeGreaterThanOrEqual(failure.sequence!.steps.length);
  return { file: join(r.reportDir!, failure.replayFile!), failure };
}

describe('a target that loses the policy across DisableKey/EnableKey', () => {
  it('in process: fails KeyState.after.policy only, with a shrunk sequence that replays STILL FAILING there and FIXED on the faithful mock', async () => {
    const out = join(dir, 'in-process');
    const r = await runConformance({ ...ONLY_SEQUENCES, out, mock: { divergences: [PROFILE] }, shrinkBudget: { attempts: 60, ms: 20_000 } });
    const { file, failure } = checkCaught(r);
    const [still] = await replayFiles([file], { mock: { divergences: [PROFILE] }, convergeTimeoutMs: 300 });
    expect(still!.status).toBe('STILL FAILING');
    expect(still!.record!.ruleIds).toEqual(['KeyState.after.policy']);
    expect(still!.record!.sequence!.steps.map((s) => s.call)).toEqual(failure.sequence!.steps.map((s) => s.call));
    const [fixed] = await replayFiles([file], { convergeTimeoutMs: 300 });
    expect(fixed!.status).toBe('FIXED');
    const cli = await runCli(['replay', file, '--divergence', PROFILE, '--converge-timeout', '300']);
    expect(cli.code).toBe(1);
    expect(cli.out).toContain(`STILL FAILING ${file}`);
    expect(cli.out).toMatch(/\d\. EnableKey\(key 0\) \(200\) → FAIL KeyState\.after\.policy/);
    expect((await runCli(['replay', file, '--converge-timeout', '300'])).out).toBe(`FIXED ${file}\n`);
    // The records are in results.json (schema-valid), every step with request, answer, expectation and verdict.
    const file0 = await results(out);
    const saved = file0.cases.find((c) => c.id === failure.id)!;
    expect(saved.sequence!.steps.length).toBe(failure.sequence!.steps.length);
    for (const s of saved.sequence!.steps) {
      expect(s.expected).toBeDefined();
      expect(s.observed?.kind).toBe('response');
      expect(saved.exchanges[s.exchanges[0]!]!.role).toBe('step');
    }
    expect(file0.settings.sequences).toBe(12);
    // The reports show the steps, the failing one, and the replay line.
    writeReports(file0, out);
    const n = failure.sequence!.steps.length;
    const failingLine = `${n}. EnableKey(key 0) (200) → FAIL KeyState.after.policy`;
    const junit = await readFile(join(out, 'junit.xml'), 'utf8');
    expect(junit).toContain(failingLine);
    expect(junit).toContain(`replay: npx kms-conformance replay ${out}/${failure.replayFile!}`);
    const md = await readFile(join(out, 'summary.md'), 'utf8');
    expect(md).toMatch(/# {3}\d\. EnableKey\(key 0\) \(200\) → FAIL KeyState\.after\.policy\nnpx kms-conformance replay /);
    expect(md).toMatch(/# sequence of \d step\(s\) \(shrunk from \d+/);
    expect(await readFile(join(out, 'report.html'), 'utf8')).toContain(failingLine);
  }, 120_000);

  it('over the wire (the mock server): the same rule only, and the replay file replays against both servers', async () => {
    const divergent = await mockServer({ divergences: [PROFILE] });
    const faithful = await mockServer();
    try {
      const out = join(dir, 'server');
      const r = await runConformance({ ...ONLY_SEQUENCES, endpoint: divergent.url, out, shrinkBudget: { attempts: 40, ms: 20_000 } });
      const { file } = checkCaught(r);
      expect(r.cleanup.notCleaned).toEqual([]);
      const [still] = await replayFiles([file], { convergeTimeoutMs: 300 });
      expect(still!.status).toBe('STILL FAILING');
      const [fixed] = await replayFiles([file], { endpoint: faithful.url, convergeTimeoutMs: 300 });
      expect(fixed!.status).toBe('FIXED');
    } finally {
      await divergent.close();
      await faithful.close();
    }
  }, 180_000);
});

describe('the faithful mock', () => {
  it('passes every sequence, in process and over the wire', async () => {
    const r = await runConformance({ ...ONLY_SEQUENCES, sequences: 30, out: false });
    expect(r.counts.fail).toBe(0);
    expect(r.counts.error).toBe(0);
    expect(r.counts.total).toBe(60);
    const server = await mockServer();
    try {
      const w = await runConformance({ ...ONLY_SEQUENCES, endpoint: server.url, out: false });
      expect(w.counts.fail).toBe(0);
      expect(w.counts.error).toBe(0);
      expect(w.counts.pass).toBe(24);
    } finally {
      await server.close();
    }
  }, 180_000);
});

describe('planning', () => {
  it('is deterministic: the same seed gives the same sequences, run after run; another seed others', async () => {
    expect(planSequences(SEED, 8)).toEqual(planSequences(SEED, 8));
    expect(planSequences(SEED + 1, 8).map((q) => q.steps)).not.toEqual(planSequences(SEED, 8).map((q) => q.steps));
    const calls = (r: { cases?: readonly CaseRecord[] }): string[] => sequences(r.cases ?? []).map((c) => `${c.id}: ${c.sequence!.steps.map((s) => s.call).join(', ')}`);
    const a = await runConformance({ ...ONLY_SEQUENCES, sequences: 6, out: join(dir, 'det-a') });
    const b = await runConformance({ ...ONLY_SEQUENCES, sequences: 6, out: join(dir, 'det-b') });
    expect(a.counts.total).toBe(12);
    expect(calls(await results(join(dir, 'det-a')))).toEqual(calls(await results(join(dir, 'det-b'))));
    // What ran is what was planned (the steps whose key exists, in the planned order).
    const planned = planSequences(SEED, 6);
    for (const c of sequences((await results(join(dir, 'det-a'))).cases)) {
      const q = planned[c.sequence!.index]!;
      const ran = c.sequence!.steps.map((s) => JSON.stringify(s.step));
      const all = q.steps.map((s) => JSON.stringify(s));
      let at = 0;
      for (const s of ran) {
        at = all.indexOf(s, at) + 1;
        expect(at, `${c.id}: ${s} is not in the planned order ${all.join(' ')}`).toBeGreaterThan(0);
      }
    }
    expect(b.exitCode).toBe(0);
  }, 120_000);

  it('splits sequences over shards (disjoint, covering) and --dry-run lists them', async () => {
    const opts = { seed: SEED, runs: 0, examples: false, sequences: 7 } as const;
    const whole = planRun(opts).sequences.map((q) => q.id);
    const one = planRun({ ...opts, shard: { index: 1, count: 2 } }).sequences.map((q) => q.id);
    const two = planRun({ ...opts, shard: { index: 2, count: 2 } }).sequences.map((q) => q.id);
    expect(whole).toHaveLength(7);
    expect(one.filter((x) => two.includes(x))).toEqual([]);
    expect([...one, ...two].sort()).toEqual([...whole].sort());
    expect(one).toHaveLength(4);
    const dry = await runCli(['run', '--dry-run', '--seed', String(SEED), '--runs', '0', '--no-examples', '--sequences', '3']);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('3 sequences');
    expect(dry.out).toContain(`sequence:${SEED}:2: `);
    expect(dry.out).not.toContain(`sequence:${SEED}:3: `);
    const none = await runCli(['run', '--dry-run', '--seed', String(SEED), '--runs', '0', '--no-examples', '--sequences', '0']);
    expect(none.out).toContain('0 sequences');
  }, 60_000);
});

describe('rescore and merge read sequence records', () => {
  it('rescore finds nothing changed in a run with a failing sequence, and notices an edited step', async () => {
    const out = join(dir, 'rescore');
    await runConformance({ ...ONLY_SEQUENCES, out, mock: { divergences: [PROFILE] }, shrinkBudget: { attempts: 0 } });
    const file = await results(out);
    const { cases, ...summary } = file;
    const same = rescore(summary, cases);
    expect(same.changes).toEqual([]);
    expect(same.checked).toBe(cases.length);
    const failing = cases.find((c) => c.verdict === 'fail')!;
    expect(failing).toBeDefined();
    // Edit the failing step's recorded read so that it shows the policy kept: the sequence passes now.
    const step = failing.sequence!.steps[failing.sequence!.failingStep!]!;
    const put = [...failing.sequence!.steps].reverse().find((s) => s.operation === 'PutKeyPolicy')!;
    const readIndex = step.exchanges.find((i) => failing.exchanges[i]!.operation === 'GetKeyPolicy')!;
    const exchanges = failing.exchanges.map((e, i) => (i === readIndex ? { ...e, response: { ...e.response!, body: JSON.stringify({ Policy: put.input.Policy, PolicyName: 'default' }) } } : e));
    const edited = cases.map((c) => (c.id === failing.id ? { ...c, exchanges } : c));
    const changed = rescore(summary, edited);
    expect(changed.changes.map((c) => [c.id, c.before.verdict, c.after.verdict])).toEqual([[failing.id, 'fail', 'pass']]);
  }, 120_000);

  it('merge puts two shards with sequences back together with the unsharded verdicts', async () => {
    const base: RunOptions = { ...ONLY_SEQUENCES, sequences: 8, mock: { divergences: [PROFILE] }, shrinkBudget: { attempts: 0 } };
    await runConformance({ ...base, out: join(dir, 'all') });
    await runConformance({ ...base, shard: { index: 1, count: 2 }, out: join(dir, 's1') });
    await runConformance({ ...base, shard: { index: 2, count: 2 }, out: join(dir, 's2') });
    const all = await results(join(dir, 'all'));
    const merged = mergeShards([
      { file: 's1/results.json', results: await results(join(dir, 's1')) },
      { file: 's2/results.json', results: await results(join(dir, 's2')) },
    ]);
    const verdicts = (records: readonly CaseRecord[]): Record<string, string> => Object.fromEntries(records.map((c) => [c.id, `${c.verdict} ${[...c.ruleIds].sort().join(',')}`]));
    expect(verdicts(merged.records)).toEqual(verdicts(all.cases));
    expect(merged.summary.counts).toEqual(all.counts);
    expect(merged.records.filter((c) => c.sequence !== undefined)).toHaveLength(16);
  }, 120_000);
});
