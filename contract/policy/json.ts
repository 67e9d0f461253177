/**
 * A strict JSON (RFC 8259) reader that keeps what `JSON.parse` throws away: the position of every
 * value and key, and duplicate keys. Key policies are at most 131,072 characters, but may nest
 * deeply, so the reader is iterative (no recursion, no stack overflow on `[[[[…`).
 */

import type { SourcePosition } from './types.ts';

/** One member of a JSON object as written, with the position of its key. */
export interface JsonEntry {
  readonly key: string;
  readonly keyAt: number;
  readonly value: JsonNode;
}

/** A JSON value with the offset where it starts. Objects keep every entry, duplicates included. */
export type JsonNode =
  | { readonly kind: 'object'; readonly at: number; readonly entries: readonly JsonEntry[] }
  | { readonly kind: 'array'; readonly at: number; readonly items: readonly JsonNode[] }
  | { readonly kind: 'string'; readonly at: number; readonly value: string }
  | { readonly kind: 'number'; readonly at: number; readonly value: number; readonly raw: string }
  | { readonly kind: 'boolean'; readonly at: number; readonly value: boolean }
  | { readonly kind: 'null'; readonly at: number };

/** Result of {@link readJson}: the tree, or the first syntax error with its offset. */
export type JsonReadResult =
  | { readonly ok: true; readonly node: JsonNode }
  | { readonly ok: false; readonly at: number; readonly message: string };

/**
 * Returns a function that converts offsets of `text` into line/column positions (line starts are
 * indexed on the first lookup, so a text without findings is never scanned; each lookup is a
 * binary search).
 */
export function positionsOf(text: string): (offset: number) => SourcePosition {
  let starts: number[] | undefined;
  return (offset) => {
    if (starts === undefined) {
      starts = [0];
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) starts.push(nl + 1);
    }
    const at = Math.min(Math.max(offset, 0), text.length);
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= at) lo = mid;
      else hi = mid - 1;
    }
    return { offset: at, line: lo + 1, column: at - (starts[lo] ?? 0) + 1 };
  };
}

/** Describes the character at `i` for an error message (`end of input` past the end). */
function describeAt(text: string, i: number): string {
  if (i >= text.length) return 'end of input';
  const c = text.charCodeAt(i);
  if (c < 0x20 || c === 0x7f) return `control character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${text[i]}'`;
}

class JsonSyntaxError extends Error {
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(message);
  }
}

interface ObjectFrame {
  readonly kind: 'object';
  readonly at: number;
  readonly entries: JsonEntry[];
  /** The key read last, waiting for its value (`undefined` when none); held in place, not as an object, so frames keep one shape. */
  pendingKey: string | undefined;
  pendingKeyAt: number;
}
interface ArrayFrame {
  readonly kind: 'array';
  readonly at: number;
  readonly items: JsonNode[];
}
type Frame = ObjectFrame | ArrayFrame;

/** JSON whitespace (RFC 8259 §2): space, tab, LF, CR. @internal */
export const isWs = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
/** Literals up to this many characters are scanned in place before the regular expression is tried. */
const SHORT_STRING = 48;
/** A run of JSON whitespace (RFC 8259 §2), from `lastIndex`. */
const WHITESPACE = /[ \t\n\r]*/y;
const isHex = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
/**
 * A whole valid string literal (RFC 8259 §7) from the opening quote: no raw control characters,
 * only the allowed escapes. Unrolled (one outer iteration per escape, not per character).
 */
const VALID_STRING = /"[^"\\\u0000-\u001f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\u0000-\u001f]*)*"/y;
/** `"`, `\\`, `/`, `b`, `f`, `n`, `r`, `t`: the escapes RFC 8259 allows besides `\\u`. */
const isSimpleEscape = (c: number): boolean => c === 0x22 || c === 0x5c || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74;

/**
 * Reads `text` as exactly one JSON value (surrounding whitespace allowed). Never throws.
 *
 * @example
 * readJson('{"a":1,"a":2}') // ok, the object node has two entries with key "a"
 */
export function readJson(text: string): JsonReadResult {
  try {
    return { ok: true, node: readValueTree(text) };
  } catch (e) {
    if (e instanceof JsonSyntaxError) return { ok: false, at: e.at, message: e.message };
    throw e;
  }
}

function readValueTree(text: string): JsonNode {
  let i = 0;
  const n = text.length;
  const stack: Frame[] = [];
  let result: JsonNode | undefined;

  const skipWs = (): void => {
    if (i >= n || !isWs(text.charCodeAt(i))) return;
    i++;
    if (i >= n || !isWs(text.charCodeAt(i))) return;
    // A longer run (indentation, padding): matched natively.
    WHITESPACE.lastIndex = i;
    WHITESPACE.test(text);
    i = WHITESPACE.lastIndex;
  };
  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(at, message);
  };

  // Strings are scanned here (where they end, and every error at its offset) and decoded by
  // JSON.parse only when they hold an escape: the scan has proved the literal valid JSON, and
  // JSON.parse decodes it natively, lone surrogates (\ud800) included, as the spec says.
  const readString = (): string => {
    // text[i] is the opening quote
    const start = i;
    // Most literals are short words without escapes (keys, "Allow", "kms:Encrypt"): read directly.
    const shortEnd = Math.min(n, start + 1 + SHORT_STRING);
    for (let j = start + 1; j < shortEnd; j++) {
      const c = text.charCodeAt(j);
      if (c === 0x22) {
        i = j + 1;
        return text.slice(start + 1, j);
      }
      if (c === 0x5c || c < 0x20) break;
    }
    // A valid literal is matched natively; anything else is walked below to say what is wrong where.
    VALID_STRING.lastIndex = start;
    let valid = false;
    try {
      valid = VALID_STRING.test(text);
    } catch {
      // The regular expression engine gave up (a huge literal): the walk below decides.
    }
    if (valid) {
      i = VALID_STRING.lastIndex;
      const backslash = text.indexOf('\\', start);
      return backslash >= 0 && backslash < i ? (JSON.parse(text.slice(start, i)) as string) : text.slice(start + 1, i - 1);
    }
    i++;
    let escaped = false;
    for (;;) {
      if (i >= n) fail('unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return escaped ? (JSON.parse(text.slice(start, i)) as string) : text.slice(start + 1, i - 1);
      }
      if (c < 0x20) fail(`${describeAt(text, i)} inside a string (escape it as \\u${c.toString(16).padStart(4, '0')})`);
      if (c === 0x5c) {
        escaped = true;
        const e = text.charCodeAt(i + 1);
        if (e === 0x75) {
          // \u and four hex digits
          if (!(i + 6 <= n && isHex(text.charCodeAt(i + 2)) && isHex(text.charCodeAt(i + 3)) && isHex(text.charCodeAt(i + 4)) && isHex(text.charCodeAt(i + 5)))) {
            fail('\\u must be followed by four hex digits', i);
          }
          i += 6;
        } else if (isSimpleEscape(e)) {
          i += 2;
        } else {
          const ch = text[i + 1];
          fail(`invalid escape ${ch === undefined ? 'at end of input' : `'\\${ch}'`}`, i);
        }
        continue;
      }
      i++;
    }
  };

  const readNumber = (): JsonNode => {
    const start = i;
    if (text.charCodeAt(i) === 0x2d) i++;
    if (i < n && text.charCodeAt(i) === 0x30) {
      i++;
    } else if (i < n && isDigit(text.charCodeAt(i))) {
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    } else {
      fail(`expected a digit, found ${describeAt(text, i)}`);
    }
    if (i < n && text.charCodeAt(i) === 0x2e) {
      i++;
      if (!(i < n && isDigit(text.charCodeAt(i)))) fail(`expected a digit after '.', found ${describeAt(text, i)}`);
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    }
    if (i < n && (text[i] === 'e' || text[i] === 'E')) {
      i++;
      if (i < n && (text[i] === '+' || text[i] === '-')) i++;
      if (!(i < n && isDigit(text.charCodeAt(i)))) fail(`expected a digit in the exponent, found ${describeAt(text, i)}`);
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    }
    const raw = text.slice(start, i);
    return { kind: 'number', at: start, value: Number(raw), raw };
  };

  const readLiteral = (word: 'true' | 'false' | 'null'): JsonNode => {
    const at = i;
    if (text.slice(i, i + word.length) !== word) fail(`unexpected ${describeAt(text, i)}, expected a JSON value`);
    i += word.length;
    if (word === 'null') return { kind: 'null', at };
    return { kind: 'boolean', at, value: word === 'true' };
  };

  /** Attaches a finished value to the open container, or makes it the result. */
  const emit = (node: JsonNode): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) {
      result = node;
    } else if (top.kind === 'array') {
      top.items.push(node);
    } else {
      const k = top.pendingKey;
      if (k === undefined) fail('internal: object value without key', node.at);
      else top.entries.push({ key: k, keyAt: top.pendingKeyAt, value: node });
      top.pendingKey = undefined;
    }
  };

  // Expect a value at i; containers push a frame, scalars are emitted.
  const startValue = (): void => {
    skipWs();
    if (i >= n) fail('unexpected end of input, expected a JSON value');
    const c = text[i];
    if (c === '{') {
      stack.push({ kind: 'object', at: i, entries: [], pendingKey: undefined, pendingKeyAt: 0 });
      i++;
      skipWs();
      if (text[i] === '}') {
        i++;
        closeContainer();
      } else {
        startKey();
      }
      return;
    }
    if (c === '[') {
      stack.push({ kind: 'array', at: i, items: [] });
      i++;
      skipWs();
      if (text[i] === ']') {
        i++;
        closeContainer();
      } else {
        pending = 'value';
      }
      return;
    }
    if (c === '"') {
      const at = i;
      emit({ kind: 'string', at, value: readString() });
    } else if (c === '-' || (c !== undefined && isDigit(c.charCodeAt(0)))) {
      emit(readNumber());
    } else if (c === 't') emit(readLiteral('true'));
    else if (c === 'f') emit(readLiteral('false'));
    else if (c === 'n') emit(readLiteral('null'));
    else fail(`unexpected ${describeAt(text, i)}, expected a JSON value`);
    pending = 'after';
  };

  const startKey = (): void => {
    skipWs();
    if (text[i] !== '"') fail(`expected a string key in double quotes, found ${describeAt(text, i)}`);
    const at = i;
    const key = readString();
    skipWs();
    if (text[i] !== ':') fail(`expected ':' after key "${key}", found ${describeAt(text, i)}`);
    i++;
    const top = stack[stack.length - 1];
    if (top?.kind === 'object') {
      top.pendingKey = key;
      top.pendingKeyAt = at;
    }
    pending = 'value';
  };

  const closeContainer = (): void => {
    const top = stack.pop();
    if (top === undefined) return;
    emit(top.kind === 'object' ? { kind: 'object', at: top.at, entries: top.entries } : { kind: 'array', at: top.at, items: top.items });
    pending = 'after';
  };

  let pending: 'value' | 'after' = 'value';
  startValue();
  // Bounded: every iteration consumes at least one character or closes a container.
  while (stack.length > 0) {
    if (pending === 'value') {
      startValue();
      continue;
    }
    skipWs();
    const top = stack[stack.length - 1];
    if (top === undefined) break;
    const c = text[i];
    if (c === ',') {
      i++;
      if (top.kind === 'object') startKey();
      else pending = 'value';
    } else if ((c === '}' && top.kind === 'object') || (c === ']' && top.kind === 'array')) {
      i++;
      closeContainer();
    } else {
      fail(`expected ',' or '${top.kind === 'object' ? '}' : ']'}', found ${describeAt(text, i)}`);
    }
  }
  skipWs();
  if (i < n) fail(`unexpected ${describeAt(text, i)} after the end of the JSON value`);
  if (result === undefined) fail('internal: no value read', 0);
  return result as JsonNode;
}

/**
 * Where the string literal opening at `open` (a `"`) ends: the next `"` not escaped by an odd run of
 * backslashes, or -1 when there is none. Meant for text JSON.parse accepted, where this is exact.
 */
export function closingQuote(text: string, open: number): number {
  let end = text.indexOf('"', open + 1);
  while (end >= 0) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return -1;
}

/**
 * How many object keys `text` writes, duplicates included; meant for text JSON.parse accepted (for
 * other text it still ends, with a count no object matches). There every `"` outside a string opens
 * one, so strings are skipped from quote to unescaped quote, and a string followed by `:` is a key.
 */
export function keysWritten(text: string): number {
  let keys = 0;
  const n = text.length;
  let i = text.indexOf('"');
  while (i >= 0) {
    const end = closingQuote(text, i);
    if (end < 0) return -1; // not JSON after all: no count can match
    let j = end + 1;
    while (j < n && isWs(text.charCodeAt(j))) j++;
    if (text.charCodeAt(j) === 0x3a) keys++;
    i = text.indexOf('"', j);
  }
  return keys;
}

/**
 * Converts a node to a plain JSON value; for duplicate keys the last one wins, as in `JSON.parse`.
 * Containers nested deeper than `maxDepth` become the string `'…'` (findings quote values, and a
 * quote never needs a 100,000-level tree).
 */
export function toPlain(node: JsonNode, maxDepth = 32): unknown {
  switch (node.kind) {
    case 'object': {
      if (maxDepth <= 0) return '…';
      const o: Record<string, unknown> = {};
      for (const e of node.entries) {
        Object.defineProperty(o, e.key, { value: toPlain(e.value, maxDepth - 1), enumerable: true, writable: true, configurable: true });
      }
      return o;
    }
    case 'array':
      if (maxDepth <= 0) return '…';
      return node.items.map((item) => toPlain(item, maxDepth - 1));
    case 'null':
      return null;
    default:
      return node.value;
  }
}
