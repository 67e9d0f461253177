import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generatedCaseId, generatedRunCaseAt, generatedRunCases, generatedRunCaseStream, GENERATION_CHUNK, type RunCase } from './cases.ts';
import { createGeneratorContext } from './context.ts';
import { GENERATE_KINDS } from './kinds.ts';

const ctx = createGeneratorContext({ version: '2024-03-18' });

/** A case as plain data (a wire case's body as base64), so that equal cases compare equal byte for byte. */
const asData = (c: RunCase): unknown => ({ ...c, case: { ...c.case, value: { ...c.case.value, ...('body' in c.case.value ? { body: Buffer.from(c.case.value.body).toString('base64') } : {}) } } });

describe('generatedRunCaseStream: lazy planning gives the eager plan', () => {
  it.each(GENERATE_KINDS.map((k) => [k]))('%s: the same ids, origins and values as generatedRunCases, over chunk boundaries', (kind) => {
    for (const seed of [1, 20_240_318, -7]) {
      const eager = generatedRunCases(kind, 23, seed, ctx);
      const lazy = [...generatedRunCaseStream(kind, 23, seed, ctx, 5)];
      expect(lazy.map((c) => c.id)).toEqual(eager.map((c) => c.id));
      expect(lazy.map(asData)).toEqual(eager.map(asData));
      // Not vacuous: the cases differ from one another.
      expect(new Set(lazy.map((c) => JSON.stringify(asData(c)))).size).toBeGreaterThan(10);
    }
  });

  it('matches over the default chunk size too (a run of more than one chunk)', () => {
    const n = GENERATION_CHUNK + 9;
    const eager = generatedRunCases('request', n, 42, ctx);
    const lazy = [...generatedRunCaseStream('request', n, 42, ctx)];
    expect(lazy).toHaveLength(n);
    expect(lazy.map(asData)).toEqual(eager.map(asData));
    expect(lazy[n - 1]!.id).toBe(generatedCaseId('request', 42, n - 1));
    expect(lazy[n - 1]!.origin).toEqual({ seed: 42, path: String(n - 1) });
  });

  it('for any seed, count and chunk (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...GENERATE_KINDS), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 13 }), (kind, seed, count, chunk) => {
        expect([...generatedRunCaseStream(kind, count, seed, ctx, chunk)].map(asData)).toEqual(generatedRunCases(kind, count, seed, ctx).map(asData));
      }),
      { numRuns: 25 },
    );
  });

  it('is lazy: the first case of a million-case stream comes without generating the rest', () => {
    const it = generatedRunCaseStream('valid-policy', 1_000_000, 3, ctx, 4);
    const first = it.next();
    expect(first.done).toBe(false);
    expect((first.value as RunCase).id).toBe('valid-policy:3:0');
    it.return();
  });

  it('refuses a chunk that is not a positive whole number, naming it', () => {
    expect(() => generatedRunCaseStream('wire', 3, 1, ctx, 0).next()).toThrow('generatedRunCaseStream: chunk must be a whole number of at least 1, got 0.');
  });

  it('generatedRunCaseAt regenerates the planned case at an index on its own', () => {
    const eager = generatedRunCases('invalid-policy', 12, 5, ctx);
    for (const i of [0, 6, 11]) expect(asData(generatedRunCaseAt('invalid-policy', 5, i, ctx))).toEqual(asData(eager[i]!));
  });
});
