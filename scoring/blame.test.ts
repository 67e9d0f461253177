import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlameCounts } from './blame.ts';
import type { CaseRecord, FindingCode } from './results.ts';

const RULES = ['A', 'B', 'C', 'D', 'E'];

const failing = (id: string, findings: readonly { code: FindingCode; ruleIds: string[] }[]): CaseRecord => ({
  id,
  source: 'request',
  transport: 'sdk',
  operation: 'PutKeyPolicy',
  verdict: 'fail',
  ruleIds: [...new Set(findings.flatMap((f) => f.ruleIds))],
  findings: findings.map((f) => ({ code: f.code, caseId: id, ruleIds: f.ruleIds, expected: 'success', observed: '400 X', message: '' })),
  exchanges: [],
  ms: 0,
});

const findingArb = fc.record({
  code: fc.constantFrom<FindingCode>('rejected_valid_input', 'unexpected_error_code', 'accepted_invalid_input', 'malformed_error_response', 'wrong_message'),
  ruleIds: fc.uniqueArray(fc.constantFrom(...RULES), { minLength: 1, maxLength: 4 }),
});

describe('BlameCounts.settlement', () => {
  it('blames each failure as settle() over all of them does, from counts alone (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(findingArb, { minLength: 1, maxLength: 2 }), { maxLength: 30 }), fc.array(fc.uniqueArray(fc.constantFrom(...RULES), { maxLength: 3 }), { maxLength: 30 }), (fails, passes) => {
        const b = new BlameCounts();
        for (const p of passes) b.passed(p);
        const records = fails.map((f, i) => failing(`c${i}`, f));
        for (const r of records) b.failed(r);
        const settle = b.settlement();
        expect(records.map(settle)).toEqual(b.settle(records));
      }),
      { numRuns: 300 },
    );
  });

  it('holds one entry per distinct candidate set, however many failures share it', () => {
    const b = new BlameCounts();
    for (let i = 0; i < 5000; i++) b.passed(['Common']);
    const records = Array.from({ length: 1000 }, (_, i) => failing(`c${i}`, [{ code: 'rejected_valid_input', ruleIds: i % 2 === 0 ? ['A', 'Common'] : ['Common', 'B'] }]));
    for (const r of records) b.failed(r);
    expect((b as unknown as { groups: Map<string, unknown> }).groups.size).toBe(2);
    const settle = b.settlement();
    expect(settle(records[0]!).ruleIds).toEqual(['A']);
    expect(settle(records[1]!).ruleIds).toEqual(['B']);
    expect(settle(records[1]!).findings![0]!.candidates).toEqual(['Common', 'B']);
  });
});
