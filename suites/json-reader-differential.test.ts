/**
 * The contract's JSON reader (`contract/policy/json.ts`, used for every request body and every key
 * policy) was made faster; this test holds it to the reader it replaced
 * (`suites/helpers/reference-json.ts`): for generated policies, wire requests and JSON-like text
 * built to hit every escape and error path, both give the same tree (values, keys, duplicates,
 * offsets) or the same error at the same offset.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readJson } from '../contract/policy/json.ts';
import { invalidPolicyArb } from '../generators/invalid-policy.ts';
import { validPolicyArb } from '../generators/valid-policy.ts';
import { wireArb } from '../generators/wire.ts';
import { referenceReadJson } from './helpers/reference-json.ts';

const same = (text: string): void => {
  expect(readJson(text)).toEqual(referenceReadJson(text));
};

/** Pieces of JSON text, escapes and the mistakes a reader must place exactly. */
const FRAGMENTS = [
  '"', '\\', '\\"', '\\\\', '\\/', '\\b', '\\f', '\\n', '\\r', '\\t', '\\u', '\\u00e9', '\\u00E9', '\\ud83d', '\\ude00', '\\u12', '\\u12g4', '\\x', '\\0',
  'a', 'é', '\ud83d', '\ude00', '\u2028', '\u0000', '\u0001', '\u001f', '\u007f', ' ', '\t', '\n', '\r',
  '{', '}', '[', ']', ':', ',', '0', '1', '-', '.', 'e', 'E', '+', 'true', 'false', 'null', 'tru', '"k":', '{"a":', '"a"', '"\\"', '"\\u0041"',
];

describe('readJson agrees with the reader it replaced', () => {
  it('on generated valid key policies (every size and formatting mode)', () => {
    fc.assert(fc.property(validPolicyArb(), (c) => same(c.policy)), { numRuns: 150 });
  });

  it('on generated invalid key policies (every mutation)', () => {
    fc.assert(fc.property(invalidPolicyArb(), (c) => same(c.policy)), { numRuns: 300 });
  });

  it('on generated wire request bodies (every wire mutation)', () => {
    const decoder = new TextDecoder('utf-8');
    fc.assert(fc.property(wireArb(), (c) => same(decoder.decode(c.body))), { numRuns: 300 });
  });

  it('on JSON values', () => {
    fc.assert(fc.property(fc.json(), (text) => same(text)), { numRuns: 500 });
  });

  it('on text made of escapes, controls, surrogates and broken tokens, whole and inside a string', () => {
    const text = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 24 }).map((xs) => xs.join(''));
    fc.assert(
      fc.property(text, (t) => {
        same(t);
        same(`"${t}"`);
        same(`{"k":"${t}"}`);
      }),
      { numRuns: 3000 },
    );
  });

  it('on arbitrary strings', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })), (t) => same(`"${t}"`)), { numRuns: 400 });
  });

  it('reports a broken escape where the reference does (a reader that failed elsewhere fails this)', () => {
    const r = readJson('{"Sid":"a\\qb"}');
    expect(r).toEqual({ ok: false, at: 9, message: "invalid escape '\\q'" });
    expect(r).toEqual(referenceReadJson('{"Sid":"a\\qb"}'));
  });
});
