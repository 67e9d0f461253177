import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_KEY_POLICY } from '../contract/policy/index.ts';
import { COMPACT_STYLE, JsonObject, renderJson, scalarLength, utf8Length, type JsonValue, type TextStyle } from './json-text.ts';
import { textStyleArb } from './text-style.ts';

/** Plain JSON → the ordered model (objects keep their key order). */
function toModel(v: unknown): JsonValue {
  if (Array.isArray(v)) return v.map(toModel);
  if (v !== null && typeof v === 'object') return new JsonObject(Object.entries(v).map(([k, x]) => [k, toModel(x)] as const));
  return v as JsonValue;
}

const jackson: TextStyle = { ...COMPACT_STYLE, layout: 'jackson' };

describe('renderJson', () => {
  it('renders the default key policy byte for byte as KMS returns it (Jackson layout, contract notes §8.7)', () => {
    const expected = DEFAULT_KEY_POLICY('111122223333');
    expect(renderJson(toModel(JSON.parse(expected)), jackson)).toBe(expected);
  });

  it('renders compact text exactly as JSON.stringify does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(renderJson(toModel(v), COMPACT_STYLE)).toBe(JSON.stringify(v));
      }),
    );
  });

  it('round-trips through JSON.parse in every style', () => {
    fc.assert(
      fc.property(fc.jsonValue(), textStyleArb(), (v, style) => {
        expect(JSON.parse(renderJson(toModel(v), style))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });

  it('keeps duplicate keys and their order (JSON.stringify cannot)', () => {
    const text = renderJson(new JsonObject([['Version', '1'], ['Version', '2']]), COMPACT_STYLE);
    expect(text).toBe('{"Version":"1","Version":"2"}');
  });

  it('escapes Latin-1 as \\u00XX and "/" as "\\/" when the style asks', () => {
    const style: TextStyle = { ...COMPACT_STYLE, escapeNonAscii: true, escapeSlash: true };
    expect(renderJson(['é/ÿ'], style)).toBe('["\\u00e9\\/\\u00ff"]');
  });

  it('uses the chosen line end and indent in pretty layouts', () => {
    const style: TextStyle = { ...COMPACT_STYLE, layout: 'pretty', indent: '\t', newline: '\r\n', trailingNewline: true };
    expect(renderJson(new JsonObject([['a', [1]]]), style)).toBe('{\r\n\t"a": [\r\n\t\t1\r\n\t]\r\n}\r\n');
  });
});

describe('sizes', () => {
  it('counts UTF-8 bytes and Unicode scalar values differently for non-ASCII text', () => {
    expect(utf8Length('é')).toBe(2);
    expect(scalarLength('é')).toBe(1);
    expect(utf8Length('\u{1F511}')).toBe(4);
    expect(scalarLength('\u{1F511}')).toBe(1);
    expect('\u{1F511}'.length).toBe(2);
  });
});

describe('scalarLength', () => {
  it('counts what string iteration counts: pairs as one, lone surrogates as one', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constantFrom('\ud83d', '\ude00', '\udfff', '\ud800', 'a', 'é'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 40 }), (s) => {
        expect(scalarLength(s)).toBe([...s].length);
      }),
    );
    expect(scalarLength('a\u{1F511}b')).toBe(3);
    expect(scalarLength('\ud83d')).toBe(1);
    expect(scalarLength('')).toBe(0);
  });
});
