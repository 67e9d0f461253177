import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ruleById } from '../contract/rules/index.ts';
import { CONTRACT_VERSIONS } from '../contract/types.ts';
import { decodeWireRequest, DEFAULT_MAX_BODY_BYTES } from '../contract/wire.ts';
import { caseAgreement, describeAgreement } from './agreement.ts';
import { createGeneratorContext, DEFAULT_GENERATOR_CONTEXT } from './context.ts';
import { labelRules } from './labels.ts';
import { wireArb, WIRE_MUTATION_NAMES, WIRE_MUTATIONS, WIRE_OPERATIONS, type WireCase } from './wire.ts';

const ctx = DEFAULT_GENERATOR_CONTEXT;

describe('wireArb', () => {
  it.each(CONTRACT_VERSIONS.map((v) => [v]))('agrees with the oracle on every label (contract %s)', (version) => {
    const vctx = createGeneratorContext({ version });
    fc.assert(
      fc.property(wireArb({ context: vctx }), (c) => {
        expect(describeAgreement(caseAgreement({ kind: 'wire', value: c }, vctx))).toBe('agrees');
      }),
      { numRuns: 400 },
    );
  });

  it.each(WIRE_MUTATION_NAMES.filter((n) => !n.startsWith('valid.')).map((n) => [n]))('%s is decoded as its labelled wire rule', (name) => {
    fc.assert(
      fc.property(wireArb({ mutations: [name] }), (c) => {
        const label = c.label;
        expect(label.kind).toBe('invalid');
        if (label.kind !== 'invalid') return;
        const d = decodeWireRequest({ method: c.method, path: c.path, headers: c.headers, body: c.body });
        // Either the decoder rejects with the rule, or it accepts and records it (rules whose outcomes include success).
        if (d.kind === 'error') expect(d.ruleId).toBe(label.ruleId);
        else expect(d.rules).toContain(label.ruleId);
      }),
      { numRuns: 25 },
    );
  });

  it('valid variations decode to the operation they were built for', () => {
    fc.assert(
      fc.property(wireArb({ mutations: WIRE_MUTATION_NAMES.filter((n) => n.startsWith('valid.')) }), (c) => {
        const d = decodeWireRequest({ method: c.method, path: c.path, headers: c.headers, body: c.body });
        expect(d.kind).toBe('request');
        if (d.kind === 'request') expect(d.operation).toBe(c.operation);
      }),
    );
  });

  it('builds cases on every wire operation and names only catalogue rules', () => {
    const cases = fc.sample(wireArb(), { seed: 8, numRuns: 300 });
    expect(new Set(cases.map((c) => c.operation))).toEqual(new Set(WIRE_OPERATIONS));
    for (const m of WIRE_MUTATIONS) for (const id of labelRules(m.label('PutKeyPolicy', ctx))) expect(ruleById(id), id).toBeDefined();
  });

  it('huge bodies are one byte over the limit; invalid UTF-8 bodies really are invalid', () => {
    for (const c of fc.sample(wireArb({ mutations: ['body.tooLarge'] }), { seed: 1, numRuns: 3 })) expect(c.body.byteLength).toBe(DEFAULT_MAX_BODY_BYTES + 1);
    for (const c of fc.sample(wireArb({ mutations: ['body.invalidUtf8'] }), { seed: 1, numRuns: 20 })) {
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(c.body)).toThrow();
    }
  });

  it('keeps every label true while shrinking (labels are derived from the shrunk values)', () => {
    const seen: WireCase[] = [];
    const result = fc.check(
      fc.property(wireArb(), (c) => {
        seen.push(c);
        return c.label.kind === 'valid';
      }),
      { seed: 12, numRuns: 200 },
    );
    expect(result.failed).toBe(true);
    expect(result.numShrinks).toBeGreaterThan(0);
    const shrunk = seen.slice(result.numRuns);
    expect(shrunk.length).toBeGreaterThan(0);
    for (const c of shrunk) expect(describeAgreement(caseAgreement({ kind: 'wire', value: c }, ctx)), c.features.join()).toBe('agrees');
  });

  it('rejects an unknown mutation name', () => {
    expect(() => wireArb({ mutations: ['nope'] })).toThrow(/no wire mutation matches \["nope"\]/);
  });
});
