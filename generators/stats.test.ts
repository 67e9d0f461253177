import { describe, expect, it } from 'vitest';
import { ruleById } from '../contract/rules/index.ts';
import { GENERATE_KINDS } from './kinds.ts';
import { POLICY_MUTATIONS } from './mutations.ts';
import { collectStats, coverageVerdict, declaredFeatures, DEFAULT_STATS_RUNS, formatStats, type StatsReport } from './stats.ts';

describe('collectStats at the default run size', () => {
  it.each(GENERATE_KINDS.map((k) => [k]))('%s: every declared feature, mutation and boundary appears', (kind) => {
    const report = collectStats(kind);
    expect(report.runs).toBe(DEFAULT_STATS_RUNS[kind]);
    expect(report.missing).toEqual([]);
    expect(report.features.filter((f) => f.declared)).toHaveLength(declaredFeatures(kind).length);
    // Nothing is generated that the declared lists do not know about.
    expect(report.features.filter((f) => !f.declared).map((f) => f.feature)).toEqual([]);
    for (const id of Object.keys(report.rules)) expect(ruleById(id), id).toBeDefined();
  });

  it('declares every policy mutation that applies to the default contract version', () => {
    const declared = declaredFeatures('invalid-policy');
    for (const m of POLICY_MUTATIONS.filter((x) => x.applies === undefined)) expect(declared).toContain(`mutation:${m.name}`);
  });

  it('mixes valid, invalid and unspecified labels where the kind has them', () => {
    const invalid = collectStats('invalid-policy', { runs: 400, seed: 3 });
    expect(invalid.labels.valid).toBe(0);
    expect(invalid.labels.invalid).toBeGreaterThan(0);
    expect(invalid.labels.unspecified).toBeGreaterThan(0);
    const valid = collectStats('valid-policy', { runs: 50, seed: 3 });
    expect(valid.labels).toEqual({ valid: 50, invalid: 0, unspecified: 0 });
  });
});

describe('formatStats', () => {
  const report: StatsReport = {
    kind: 'wire',
    runs: 3,
    seed: 9,
    labels: { valid: 1, invalid: 2, unspecified: 0 },
    rules: { 'Wire.method': 2 },
    features: [
      { feature: 'wire:method', count: 2, declared: true },
      { feature: 'wire:path', count: 0, declared: true },
      { feature: 'wire:extra', count: 1, declared: false },
    ],
    missing: ['wire:path'],
    millis: 12,
  };

  it('prints counts, flags missing and undeclared features, and lists labelled rules', () => {
    const text = formatStats(report);
    expect(text).toContain('kind wire: 3 cases, seed 9');
    expect(text).toMatch(/wire:path\s+0\s+MISSING/);
    expect(text).toMatch(/wire:extra\s+1\s+\(not declared\)/);
    expect(text).toMatch(/Wire\.method\s+2/);
    expect(text).toContain('MISSING 1: wire:path');
  });

  it('judges coverage only for a run of the kind\'s default size or more', () => {
    expect(coverageVerdict({ kind: 'wire', runs: 3, missing: [] })).toBe('complete');
    expect(coverageVerdict({ kind: 'wire', runs: 3, missing: ['wire:path'] })).toBe('too-small');
    expect(coverageVerdict({ kind: 'wire', runs: DEFAULT_STATS_RUNS.wire, missing: ['wire:path'] })).toBe('incomplete');
    expect(formatStats(report)).toContain('1 of 2 declared features are not reached in 3 cases; every one is reached at 1000');
    expect(formatStats({ ...report, runs: 1000 })).not.toContain('not reached in');
    const many = { ...report, missing: Array.from({ length: 40 }, (_, i) => `wire:f${i}`) };
    expect(formatStats(many)).toContain('MISSING 40: wire:f0, wire:f1, wire:f2, wire:f3, wire:f4 and 35 more (each marked MISSING above)');
  });

  it('says so when coverage is complete', () => {
    expect(formatStats({ ...report, features: report.features.slice(0, 1), missing: [] })).toContain('every declared feature reached (1)');
  });
});
