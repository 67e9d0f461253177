import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunAggregator } from './aggregate.ts';
import { BaselineError, BaselineTracker, applyBaseline, isCalendarDate, parseBaseline, readBaseline, utcDay, writeBaseline, type Baseline } from './baseline.ts';
import type { CaseRecord } from './results.ts';

const VERSION = '2025-06-05';
const ENTRY = { match: 'PutKeyPolicy.Policy.length.max', reason: 'emulator caps at 32 KiB; EMU-7', owner: 'emu-team', expires: '2025-06-30' };

function file(entries: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ version: 1, entries, ...extra });
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(BaselineError);
    expect((e as BaselineError).exitCode).toBe(2);
    return (e as Error).message;
  }
  throw new Error('expected a BaselineError');
}

function failing(id: string, ruleIds: string[]): CaseRecord {
  return { id, source: 'request', transport: 'sdk', operation: 'PutKeyPolicy', verdict: 'fail', ruleIds, findings: [{ code: 'accepted_invalid_input', caseId: id, ruleIds, expected: 'ValidationException 400', observed: '200 success', message: 'Expected ValidationException 400, got 200 success.' }], exchanges: [], ms: 1 };
}

describe('parseBaseline', () => {
  it('reads a valid file, trimming text fields', () => {
    const b = parseBaseline(file([{ ...ENTRY, owner: '  emu-team ' }, { match: 'request:42:7', reason: 'flaky set-up', owner: 'me', expires: '2024-02-29' }]), 'b.json');
    expect(b).toEqual({ file: 'b.json', entries: [ENTRY, { match: 'request:42:7', reason: 'flaky set-up', owner: 'me', expires: '2024-02-29' }] });
  });

  it('says what is wrong, where, the value, and what to do', () => {
    const msgs = [
      errorOf(() => parseBaseline('{"version": 1, "entries": [', 'b.json')),
      errorOf(() => parseBaseline('[]', 'b.json')),
      errorOf(() => parseBaseline(file([], { extra: true }), 'b.json')),
      errorOf(() => parseBaseline(JSON.stringify({ version: 2, entries: [] }), 'b.json')),
      errorOf(() => parseBaseline(JSON.stringify({ version: 1, entries: {} }), 'b.json')),
      errorOf(() => parseBaseline(file(['PutKeyPolicy.Policy.length.max']), 'b.json')),
      errorOf(() => parseBaseline(file([{ ...ENTRY, expiry: '2025-01-01' }]), 'b.json')),
      errorOf(() => parseBaseline(file([{ match: ENTRY.match, reason: ENTRY.reason, owner: ENTRY.owner }]), 'b.json')),
      errorOf(() => parseBaseline(file([{ ...ENTRY, reason: '  ' }]), 'b.json')),
      errorOf(() => parseBaseline(file([{ ...ENTRY, expires: '2025-02-30' }]), 'b.json')),
      errorOf(() => parseBaseline(file([{ ...ENTRY, expires: 'never' }]), 'b.json')),
      errorOf(() => parseBaseline(file([{ ...ENTRY, match: 'Put KeyPolicy' }]), 'b.json')),
      errorOf(() => parseBaseline(file([ENTRY, { ...ENTRY, owner: 'other' }]), 'b.json')),
    ];
    expect(msgs).toMatchInlineSnapshot(`
      [
        "b.json: not valid JSON (Unexpected end of JSON input). Fix the syntax. A baseline is {"version": 1, "entries": [{"match": "<rule id or case id>", "reason": "…", "owner": "…", "expires": "YYYY-MM-DD"}]}.",
        "b.json: the top level must be an object with "version" and "entries", got an array. A baseline is {"version": 1, "entries": [{"match": "<rule id or case id>", "reason": "…", "owner": "…", "expires": "YYYY-MM-DD"}]}.",
        "b.json: unknown top-level field "extra". Only "version" and "entries" are allowed. A baseline is {"version": 1, "entries": [{"match": "<rule id or case id>", "reason": "…", "owner": "…", "expires": "YYYY-MM-DD"}]}.",
        "b.json: "version" must be 1, got 2. This kms-conformance reads baseline version 1.",
        "b.json: "entries" must be an array, got {}. A baseline is {"version": 1, "entries": [{"match": "<rule id or case id>", "reason": "…", "owner": "…", "expires": "YYYY-MM-DD"}]}.",
        "b.json: entries[0] must be an object with match, reason, owner and expires, got "PutKeyPolicy.Policy.length.max".",
        "b.json: entries[0]: unknown field "expiry" (did you mean "expires"?). An entry has exactly match, reason, owner and expires.",
        "b.json: entries[0].expires: missing. Give the last day it waives anything, as YYYY-MM-DD (there is no "forever").",
        "b.json: entries[0].reason: must be a non-empty string, got "  ". Give why the divergence is accepted.",
        "b.json: entries[0].expires: "2025-02-30" is not a date written YYYY-MM-DD. Write it like 2025-12-31.",
        "b.json: entries[0].expires: "never" is not a date written YYYY-MM-DD. Write it like 2025-12-31.",
        "b.json: entries[0].match: "Put KeyPolicy" contains white space; rule ids and case ids never do. Copy the id from the report.",
        "b.json: entries[1].match: "PutKeyPolicy.Policy.length.max" is already listed in entries[0]. Keep one entry per rule or case.",
      ]
    `);
  });

  it('readBaseline reads a file and names a missing one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmsc-baseline-'));
    try {
      const path = join(dir, 'baseline.json');
      writeFileSync(path, file([ENTRY]));
      expect(readBaseline(path).entries).toEqual([ENTRY]);
      expect(errorOf(() => readBaseline(join(dir, 'nope.json')))).toBe(`--baseline ${join(dir, 'nope.json')}: no such file. Give the path of an existing baseline, or write one with --write-baseline.`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('applyBaseline', () => {
  const baseline: Baseline = {
    file: 'b.json',
    entries: [
      ENTRY,
      { match: 'KeyId.notFound', reason: 'r', owner: 'o', expires: '2024-01-01' },
      { match: 'request:42:7', reason: 'both transports', owner: 'o', expires: '2099-01-01' },
      { match: 'request:42:8/http', reason: 'http only', owner: 'o', expires: '2099-01-01' },
    ],
  };

  it('waives a failure of a listed rule until the expiry day, inclusive', () => {
    const r = failing('request:1:1/sdk', [ENTRY.match]);
    expect(applyBaseline(r, baseline, '2025-06-30').waived).toEqual(ENTRY);
    expect(applyBaseline(r, baseline, '2025-07-01').waived).toBeUndefined();
  });

  it('never waives with an expired entry', () => {
    expect(applyBaseline(failing('request:1:2/sdk', ['KeyId.notFound']), baseline, '2025-01-01').waived).toBeUndefined();
  });

  it('waives a case by id, with or without its transport suffix', () => {
    expect(applyBaseline(failing('request:42:7/sdk', ['Other.rule']), baseline, '2025-01-01').waived?.match).toBe('request:42:7');
    expect(applyBaseline(failing('request:42:7/http', ['Other.rule']), baseline, '2025-01-01').waived?.match).toBe('request:42:7');
    expect(applyBaseline(failing('request:42:8/http', ['Other.rule']), baseline, '2025-01-01').waived?.match).toBe('request:42:8/http');
    expect(applyBaseline(failing('request:42:8/sdk', ['Other.rule']), baseline, '2025-01-01').waived).toBeUndefined();
  });

  it('does not waive a case that also breaks a rule nobody listed', () => {
    expect(applyBaseline(failing('request:1:3/sdk', [ENTRY.match, 'Other.rule']), baseline, '2025-01-01').waived).toBeUndefined();
  });

  it('leaves passes and already-waived records alone', () => {
    const pass: CaseRecord = { ...failing('request:1:4/sdk', [ENTRY.match]), verdict: 'pass' };
    expect(applyBaseline(pass, baseline, '2025-01-01')).toBe(pass);
    const waived = { ...failing('request:1:5/sdk', [ENTRY.match]), waived: { ...ENTRY, reason: 'earlier' } };
    expect(applyBaseline(waived, baseline, '2025-01-01')).toBe(waived);
  });
});

describe('BaselineTracker over a run', () => {
  it('a baseline written from a run turns the same run green until its entries expire', () => {
    const cases: CaseRecord[] = [
      failing('request:7:1/sdk', ['PutKeyPolicy.Policy.length.max']),
      failing('request:7:1/http', ['PutKeyPolicy.Policy.length.max']),
      failing('request:7:2/sdk', ['KeyId.notFound', 'Wire.success.requestId']),
      failing('wire:7:3/http', ['Wire.error.shape']),
      { ...failing('request:7:4/sdk', ['PutKeyPolicy.PolicyName.pattern']), verdict: 'pass' },
    ];
    const before = new RunAggregator(VERSION);
    for (const c of cases) before.add(c);
    expect(before.unwaivedFailures).toBeGreaterThan(0);

    const text = writeBaseline(cases, '2025-12-31', { owner: 'emu-team', today: '2025-03-01' });
    const baseline = parseBaseline(text, 'baseline.json');

    const green = new BaselineTracker(baseline, '2025-12-31');
    const agg = new RunAggregator(VERSION);
    for (const c of cases) agg.add(green.apply(c));
    expect(agg.unwaivedFailures).toBe(0);
    expect(agg.counts.waived).toBe(before.counts.fail);
    expect(green.failsRun()).toBe(false);
    expect(green.report()).toEqual({ file: 'baseline.json', waived: before.counts.fail, stale: [], expired: [] });

    const red = new BaselineTracker(baseline, '2026-01-01');
    const agg2 = new RunAggregator(VERSION);
    for (const c of cases) agg2.add(red.apply(c));
    expect(agg2.unwaivedFailures).toBe(before.unwaivedFailures);
    expect(red.failsRun()).toBe(true);
    expect(red.report().expired).toEqual(baseline.entries.map((e) => e.match));
    expect(red.expiredMessages()[0]).toBe(`baseline.json: the entry for ${baseline.entries[0]!.match} (owner emu-team) expired on 2025-12-31; renew its date if the divergence is still accepted, or remove it.`);
  });

  it('reports entries that matched no failure as stale', () => {
    const baseline: Baseline = { file: 'b.json', entries: [ENTRY, { match: 'KeyId.otherPartition', reason: 'r', owner: 'o', expires: '2099-01-01' }] };
    const t = new BaselineTracker(baseline, '2025-01-01');
    t.apply(failing('request:9:9/sdk', [ENTRY.match]));
    t.apply({ ...failing('request:9:10/sdk', ['KeyId.otherPartition']), verdict: 'pass' });
    expect(t.report()).toEqual({ file: 'b.json', waived: 1, stale: ['KeyId.otherPartition'], expired: [] });
  });

  it('rejects a malformed today', () => {
    expect(errorOf(() => new BaselineTracker({ file: 'b', entries: [] }, '1/2/2025'))).toBe('today must be a date written YYYY-MM-DD, got "1/2/2025".');
  });
});

describe('writeBaseline', () => {
  it('writes one entry per failing rule with the first finding as reason, readable by parseBaseline', () => {
    const cases = [failing('request:1:1/sdk', ['A.rule']), failing('request:1:2/sdk', ['A.rule', 'B.rule']), { ...failing('request:1:3/sdk', ['C.rule']), verdict: 'pass' as const }];
    const text = writeBaseline(cases, '2025-09-30', { today: '2025-03-01', owner: 'qa' });
    expect(text).toMatchInlineSnapshot(`
      "{
        "version": 1,
        "entries": [
          {
            "match": "A.rule",
            "reason": "known divergence (accepted_invalid_input): Expected ValidationException 400, got 200 success.",
            "owner": "qa",
            "expires": "2025-09-30"
          },
          {
            "match": "B.rule",
            "reason": "known divergence (accepted_invalid_input): Expected ValidationException 400, got 200 success.",
            "owner": "qa",
            "expires": "2025-09-30"
          }
        ]
      }
      "
    `);
    expect(parseBaseline(text, 'new.json').entries.map((e) => e.match)).toEqual(['A.rule', 'B.rule']);
  });

  it('requires a real expiry after today: there is no "forever"', () => {
    expect(errorOf(() => writeBaseline([], '', { today: '2025-03-01' }))).toBe('--write-baseline: the expiry "" is not a date written YYYY-MM-DD. Give the last day the entries may waive failures, e.g. 2026-03-01.');
    expect(errorOf(() => writeBaseline([], '2025-03-01', { today: '2025-03-01' }))).toBe('--write-baseline: the expiry 2025-03-01 is not after today (2025-03-01); entries would fail the run at once. Give a later date.');
  });
});

describe('dates', () => {
  it('isCalendarDate accepts real dates only; utcDay is the UTC day', () => {
    expect(['2024-02-29', '2025-12-31'].map(isCalendarDate)).toEqual([true, true]);
    expect(['2025-02-29', '2025-13-01', '2025-1-01', '20250101', ''].map(isCalendarDate)).toEqual([false, false, false, false, false]);
    expect(utcDay(new Date('2025-03-01T23:30:00-05:00'))).toBe('2025-03-02');
  });
});
