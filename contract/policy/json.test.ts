import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { positionsOf, readJson, toPlain } from './json.ts';

describe('readJson', () => {
  it('agrees with JSON.parse on valid JSON', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const r = readJson(text);
        expect(r.ok).toBe(true);
        if (r.ok) expect(toPlain(r.node)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('accepts exactly what JSON.parse accepts', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json().map((j) => j.slice(0, Math.max(0, j.length - 1))), fc.string({ unit: 'binary' })), (text) => {
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        expect(readJson(text).ok).toBe(parses);
      }),
      { numRuns: 500 },
    );
  });

  it('rejects what RFC 8259 rejects, with the offset of the problem', () => {
    const bad: [string, number][] = [
      ['{"a":1,}', 7],
      ['[1,]', 3],
      ['{"a" 1}', 5],
      ["{'a':1}", 1],
      ['01', 1],
      ['"tab\there"', 4],
      ['"\\x"', 1],
      ['{"a":1} x', 8],
      ['', 0],
      ['nul', 0],
    ];
    for (const [text, at] of bad) {
      const r = readJson(text);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.at, text).toBe(at);
    }
  });

  it('rejects every unescaped control character U+0000..U+001F inside strings, accepts U+007F', () => {
    for (let c = 0; c < 0x20; c++) {
      const r = readJson(`"a${String.fromCharCode(c)}b"`);
      expect(r.ok, `U+${c.toString(16)}`).toBe(false);
      if (!r.ok) expect(r.message).toContain('control character');
    }
    expect(readJson('"a\u007fb\u00ff"').ok).toBe(true);
  });

  it('keeps every entry of an object, duplicates included, with key positions', () => {
    const r = readJson('{"a":1, "a":2}');
    expect(r.ok && r.node.kind === 'object' ? r.node.entries.map((e) => [e.key, e.keyAt]) : []).toEqual([
      ['a', 1],
      ['a', 8],
    ]);
  });
});

describe('positionsOf', () => {
  it('maps offsets to 1-based lines and columns', () => {
    const at = positionsOf('ab\ncd\n\nef');
    expect([0, 2, 3, 6, 7, 9, 99].map((o) => { const p = at(o); return [p.line, p.column]; })).toEqual([
      [1, 1],
      [1, 3],
      [2, 1],
      [3, 1],
      [4, 1],
      [4, 3],
      [4, 3],
    ]);
  });
});
