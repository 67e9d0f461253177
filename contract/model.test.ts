import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractModel } from './model-extract.ts';
import { MODEL, isRequired, modelFilePath, patternOf, scalarLength } from './model.ts';
import { MEMBER_RULES, memberRuleId } from './rules/index.ts';
import { CONTRACT_VERSIONS, OPERATIONS } from './types.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('the committed model subset', () => {
  it('equals a fresh extraction from the Smithy model and botocore 2024-01-05 in shared/contract/sources', () => {
    const fresh = extractModel(resolve(repoRoot, '../shared/contract/sources'));
    const committed: unknown = JSON.parse(readFileSync(modelFilePath(), 'utf8'));
    expect(fresh).toEqual(committed);
  });

  it('has the constraints the contract notes quote (§2.1, §2.3)', () => {
    const put = MODEL.operations.PutKeyPolicy.input;
    expect(put.Policy!.length).toEqual({ min: 1, max: 131072 });
    expect(put.KeyId!.length).toEqual({ min: 1, max: 2048 });
    expect(put.PolicyName!.pattern).toBe('^[\\w]+$');
    expect(isRequired('PutKeyPolicy', 'PolicyName', '2017-02-15')).toBe(true);
    expect(isRequired('PutKeyPolicy', 'PolicyName', '2024-03-18')).toBe(false);
    expect(MODEL.errors.NotFoundException!.httpError).toBe(404);
  });
});

describe('generated member rules against the model', () => {
  const ids = new Set(MEMBER_RULES.map((r) => r.id));

  it('has one rule per constraint of every input member, and no other', () => {
    const expected = new Set<string>();
    for (const op of OPERATIONS) {
      for (const [name, m] of Object.entries(MODEL.operations[op].input)) {
        expected.add(memberRuleId(op, name, 'type'));
        if (CONTRACT_VERSIONS.some((v) => isRequired(op, name, v))) expected.add(memberRuleId(op, name, 'required'));
        if (m.length?.min !== undefined && m.length.min > 0) expected.add(memberRuleId(op, name, 'length.min'));
        if (m.length?.max !== undefined) expected.add(memberRuleId(op, name, 'length.max'));
        if (m.pattern !== undefined) expected.add(memberRuleId(op, name, 'pattern'));
        if (m.range?.min !== undefined) expected.add(memberRuleId(op, name, 'range.min'));
        if (m.range?.max !== undefined) expected.add(memberRuleId(op, name, 'range.max'));
        if (m.enum !== undefined) expected.add(memberRuleId(op, name, 'enum'));
        const item = m.member;
        if (item?.type === 'structure') {
          for (const [field, fm] of Object.entries(item.members ?? {})) {
            const path = `${name}.member.${field}`;
            if (fm.required) expected.add(memberRuleId(op, path, 'required'));
            if (fm.length?.min !== undefined && fm.length.min > 0) expected.add(memberRuleId(op, path, 'length.min'));
            if (fm.length?.max !== undefined) expected.add(memberRuleId(op, path, 'length.max'));
            if (fm.pattern !== undefined) expected.add(memberRuleId(op, path, 'pattern'));
          }
        } else if (item !== undefined) {
          if (item.length?.min !== undefined && item.length.min > 0) expected.add(memberRuleId(op, `${name}.member`, 'length.min'));
          if (item.length?.max !== undefined) expected.add(memberRuleId(op, `${name}.member`, 'length.max'));
        }
      }
    }
    expect([...ids].sort()).toEqual([...expected].sort());
  });

  it("carries the model's numbers, patterns and enum values in statements and M1 quotes", () => {
    for (const r of MEMBER_RULES) {
      const [op, top, ...tail] = r.id.split('.') as [keyof typeof MODEL.operations, string, ...string[]];
      // Nested item rules: <Op>.<List>.member[.<Field>].<constraint>
      let m = MODEL.operations[op].input[top]!;
      let rest = tail;
      if (rest[0] === 'member') {
        m = m.member!;
        rest = rest.slice(1);
        if (m.members && rest[0] !== undefined && rest[0] in m.members) {
          m = m.members[rest[0]]!;
          rest = rest.slice(1);
        }
      }
      const member = top;
      const c = rest.join('.');
      const m1 = r.sources.find((s) => s.tag === (c === 'required' && !tail.includes('member') && !isRequired(op, member, '2025-06-05') ? 'B0' : 'M1'))!;
      expect(m1, r.id).toBeDefined();
      if (c === 'length.min' || c === 'length.max') {
        const n = c === 'length.min' ? m.length!.min! : m.length!.max!;
        expect(r.statement, r.id).toContain(` ${n} `);
        expect(m1.quote, r.id).toBe(`"smithy.api#length": ${JSON.stringify(m.length, null, 1).replace(/\s+/g, ' ')}`);
      }
      if (c === 'range.min' || c === 'range.max') {
        const n = c === 'range.min' ? m.range!.min! : m.range!.max!;
        expect(r.statement, r.id).toContain(` ${n}.`);
        expect(m1.quote, r.id).toBe(`"smithy.api#range": ${JSON.stringify(m.range, null, 1).replace(/\s+/g, ' ')}`);
      }
      if (c === 'pattern') expect(r.statement, r.id).toContain(m.pattern!);
      if (c === 'enum') for (const v of m.enum!) expect(r.statement, r.id).toContain(v);
      if (c === 'required' && !tail.includes('member')) {
        expect(r.versions, r.id).toEqual(CONTRACT_VERSIONS.filter((v) => isRequired(op, member, v)));
      }
    }
  });
});

describe('patternOf and scalarLength', () => {
  it('compiles a pattern once and matches it as written (M1 anchors its own patterns)', () => {
    const name = MODEL.operations.PutKeyPolicy.input.PolicyName!;
    const re = patternOf(name)!;
    expect(patternOf(MODEL.operations.GetKeyPolicy.input.PolicyName!)).toBe(re);
    expect(re.test('default')).toBe(true);
    expect(re.test('bad name!')).toBe(false);
    expect(patternOf(MODEL.operations.PutKeyPolicy.input.KeyId!)).toBeUndefined();
  });

  it('counts Unicode scalar values: a surrogate pair once, a lone surrogate once', () => {
    expect(scalarLength('')).toBe(0);
    expect(scalarLength('abc')).toBe(3);
    expect(scalarLength('é\u00ff')).toBe(2);
    expect(scalarLength('a\u{1F600}b')).toBe(3);
    expect(scalarLength('\ud800x\udc00')).toBe(3);
    expect(scalarLength('\ud800')).toBe(1);
    for (const s of ['x\u{10FFFF}\u{1F600}', '\udc00\ud800', 'plain']) expect(scalarLength(s)).toBe([...s].length);
  });
});
