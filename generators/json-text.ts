/**
 * An ordered JSON model and a renderer with seeded formatting choices. Policies are generated as
 * this model first (objects keep their key order and may even repeat a key), then rendered to text
 * in one of the layouts real tools produce: compact (SDKs, `JSON.stringify`), pretty with 2 or 4
 * spaces or tabs, CRLF or CR line ends, and the Jackson style KMS itself returns for the default
 * policy (contract notes §8.7: `" : "`, `[ {`, two-space indent, no trailing newline).
 */

/** A JSON object whose entries keep their order; a key may appear twice (for duplicate-key cases). */
export class JsonObject {
  /**
   * @param entries - the members in output order.
   */
  constructor(readonly entries: readonly (readonly [string, JsonValue])[]) {}
}

/**
 * A raw JSON fragment written to the text as-is (used for number spellings such as `1e2`).
 * Never produced for valid policies.
 */
export class RawJson {
  /**
   * @param text - the exact characters to emit.
   */
  constructor(readonly text: string) {}
}

/** A JSON value of the ordered model. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | JsonObject | RawJson;

/** Layout families. */
export const LAYOUTS = ['compact', 'spaced', 'pretty', 'jackson'] as const;
/** One of {@link LAYOUTS}. */
export type Layout = (typeof LAYOUTS)[number];

/**
 * How a JSON model becomes text. Every field is a seeded choice of the generators.
 * - `layout`: `compact` (no whitespace), `spaced` (one space after `:` and `,`, one line),
 *   `pretty` (one member per line, `indent` per level), `jackson` (as KMS prints the default policy).
 * - `indent`: used by `pretty` and `jackson` (`jackson` always uses two spaces as KMS does, unless
 *   this is a tab).
 * - `newline`: line end for multi-line layouts: LF, CRLF or a lone CR (all JSON whitespace).
 * - `escapeNonAscii`: write U+0080–U+00FF as `\u00XX` escapes instead of raw characters.
 * - `escapeSlash`: write `/` as `\/` (legal JSON, produced by some PHP and Java encoders).
 * - `trailingNewline`: end the text with one `newline`.
 */
export interface TextStyle {
  readonly layout: Layout;
  readonly indent: '  ' | '    ' | '\t';
  readonly newline: '\n' | '\r\n' | '\r';
  readonly escapeNonAscii: boolean;
  readonly escapeSlash: boolean;
  readonly trailingNewline: boolean;
}

/** The style of `JSON.stringify(value)`. */
export const COMPACT_STYLE: TextStyle = {
  layout: 'compact',
  indent: '  ',
  newline: '\n',
  escapeNonAscii: false,
  escapeSlash: false,
  trailingNewline: false,
};

/** Escapes a string as a JSON string literal under `style`. */
export function jsonString(s: string, style: Pick<TextStyle, 'escapeNonAscii' | 'escapeSlash'>): string {
  let out = JSON.stringify(s);
  if (style.escapeNonAscii) {
    out = out.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  if (style.escapeSlash) out = out.replace(/\//g, '\\/');
  return out;
}

function isContainer(v: JsonValue): v is readonly JsonValue[] | JsonObject {
  return Array.isArray(v) || v instanceof JsonObject;
}

/** Renders `value` as JSON text in `style`. */
export function renderJson(value: JsonValue, style: TextStyle): string {
  const nl = style.newline;
  const indentUnit = style.layout === 'jackson' && style.indent !== '\t' ? '  ' : style.indent;
  const colon = style.layout === 'compact' ? ':' : style.layout === 'jackson' ? ' : ' : ': ';

  const scalar = (v: JsonValue): string => {
    if (v instanceof RawJson) return v.text;
    if (typeof v === 'string') return jsonString(v, style);
    if (v === null) return 'null';
    return String(v);
  };

  const render = (v: JsonValue, depth: number): string => {
    if (!isContainer(v)) return scalar(v);
    const isArr = Array.isArray(v);
    const items: readonly JsonValue[] = isArr ? (v as readonly JsonValue[]) : [];
    const entries = isArr ? [] : (v as JsonObject).entries;
    const open = isArr ? '[' : '{';
    const close = isArr ? ']' : '}';
    const count = isArr ? items.length : entries.length;
    if (count === 0) return style.layout === 'jackson' ? `${open} ${close}` : `${open}${close}`;
    const part = (i: number, d: number): string =>
      isArr ? render(items[i] as JsonValue, d) : `${jsonString(entries[i]![0], style)}${colon}${render(entries[i]![1], d)}`;

    if (style.layout === 'compact' || style.layout === 'spaced') {
      const sep = style.layout === 'compact' ? ',' : ', ';
      const parts: string[] = [];
      for (let i = 0; i < count; i++) parts.push(part(i, depth + 1));
      return `${open}${parts.join(sep)}${close}`;
    }
    if (style.layout === 'jackson' && isArr && items.every((x) => x instanceof JsonObject)) {
      // Jackson prints an array of objects as `[ {` … `}, {` … `} ]`, objects at the array's depth.
      const parts: string[] = [];
      for (let i = 0; i < count; i++) parts.push(render(items[i] as JsonValue, depth));
      return `[ ${parts.join(', ')} ]`;
    }
    if (style.layout === 'jackson' && isArr) {
      const parts: string[] = [];
      for (let i = 0; i < count; i++) parts.push(render(items[i] as JsonValue, depth + 1));
      return `[ ${parts.join(', ')} ]`;
    }
    const inner = indentUnit.repeat(depth + 1);
    const outer = indentUnit.repeat(depth);
    const parts: string[] = [];
    for (let i = 0; i < count; i++) parts.push(`${inner}${part(i, depth + 1)}`);
    return `${open}${nl}${parts.join(`,${nl}`)}${nl}${outer}${close}`;
  };

  const text = render(value, 0);
  return style.trailingNewline ? `${text}${nl}` : text;
}

/** UTF-8 bytes and Unicode scalar values of a string: the model's own counters (contract notes §2.1). */
export { scalarLength, utf8Length } from '../contract/model.ts';
