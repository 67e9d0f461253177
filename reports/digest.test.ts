import { describe, expect, it } from 'vitest';
import { CaseDigester, digestCases } from './digest.ts';
import type { CaseRecord } from '../scoring/results.ts';
import { buildRunResults } from './test/fixtures.ts';

describe('CaseDigester', () => {
  const results = buildRunResults({ extraFailures: 450 });
  const failing = results.cases.filter((c) => c.verdict === 'fail');

  it('counts every case of a group but keeps only the first few of it, in the run order', () => {
    const d = digestCases(results.cases, results.rules, 7);
    let counted = 0;
    for (const [code, g] of d.failing) {
      const all = failing.filter((c) => (c.findings?.[0]?.code ?? '(no finding)') === code);
      expect(g.count, code).toBe(all.length);
      expect(g.shown, code).toEqual(all.slice(0, 7));
      counted += g.count;
    }
    expect(counted).toBe(failing.length);
    const errors = results.cases.filter((c) => c.verdict === 'error');
    expect(d.errors.count).toBe(errors.length);
    expect(d.errors.shown).toEqual(errors.slice(0, 7));
  });

  it('anchors each failing case id at its first position in the run, and counts skip and unspecified reasons', () => {
    // A failing case id seen twice keeps the anchor of its first place.
    const twice = [...results.cases, failing[0]!];
    const d = digestCases(twice, results.rules);
    expect(d.anchors.size).toBe(new Set(failing.map((c) => c.id)).size);
    for (const c of failing) expect(d.anchors.get(c.id)).toBe(`case-${results.cases.findIndex((x) => x.id === c.id)}`);
    const reasons = (v: string): Map<string, number> => {
      const m = new Map<string, number>();
      for (const c of results.cases.filter((x) => x.verdict === v)) m.set(c.reason ?? '(no reason recorded)', (m.get(c.reason ?? '(no reason recorded)') ?? 0) + 1);
      return m;
    };
    expect(d.skipReasons).toEqual(reasons('skip'));
    expect(d.unspecifiedReasons).toEqual(reasons('unspecified'));
    expect(d.skipReasons.size + d.unspecifiedReasons.size).toBeGreaterThan(0);
  });

  it('keeps only the sequence cases that are some rule first finding', () => {
    // Two sequence cases (the fixture has none): one a rule's first finding, one not.
    const sequence = { seed: 1, index: 0, steps: [] } as unknown as NonNullable<CaseRecord['sequence']>;
    const cases = results.cases.map((c, i) => (i === 1 || i === 2 ? { ...c, sequence } : c));
    const first = cases[2]!;
    const plain = cases[5]!;
    const rules = [...results.rules, { firstFinding: { ...results.rules.find((r) => r.firstFinding)!.firstFinding!, caseId: first.id } }, { firstFinding: { ...results.rules.find((r) => r.firstFinding)!.firstFinding!, caseId: plain.id } }];
    const d = new CaseDigester(rules);
    for (const c of cases) d.add(c);
    expect([...d.digest.firstSequences.entries()]).toEqual([[first.id, first]]);
  });
});
