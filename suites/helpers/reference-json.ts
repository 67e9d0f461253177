/**
 * The JSON reader of `contract/policy/json.ts` as it was before its strings were decoded by
 * JSON.parse (commit b977777), kept unchanged as the reference the differential test
 * (`suites/json-reader-differential.test.ts`) compares the current reader with: same trees, same
 * positions, same errors at the same offsets. Not used by any product code.
 */
import type { JsonEntry, JsonNode, JsonReadResult } from '../../contract/policy/json.ts';


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
  pendingKey?: { key: string; at: number };
}
interface ArrayFrame {
  readonly kind: 'array';
  readonly at: number;
  readonly items: JsonNode[];
}
type Frame = ObjectFrame | ArrayFrame;

const isWs = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/**
 * Reads `text` as exactly one JSON value (surrounding whitespace allowed). Never throws.
 *
 * @example
 * readJson('{"a":1,"a":2}') // ok, the object node has two entries with key "a"
 */
export function referenceReadJson(text: string): JsonReadResult {
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
    while (i < n && isWs(text.charCodeAt(i))) i++;
  };
  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(at, message);
  };

  const readString = (): string => {
    // text[i] is the opening quote
    const start = i;
    i++;
    let out = '';
    let chunk = i;
    for (;;) {
      if (i >= n) fail('unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(chunk, i);
        i++;
        return out;
      }
      if (c < 0x20) fail(`${describeAt(text, i)} inside a string (escape it as \\u${c.toString(16).padStart(4, '0')})`);
      if (c === 0x5c) {
        out += text.slice(chunk, i);
        const e = text[i + 1];
        switch (e) {
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case '/':
            out += '/';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            const hex = text.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('\\u must be followed by four hex digits', i);
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
            break;
          }
          default:
            fail(`invalid escape ${e === undefined ? 'at end of input' : `'\\${e}'`}`, i);
        }
        i += 2;
        chunk = i;
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
      else top.entries.push({ key: k.key, keyAt: k.at, value: node });
      delete top.pendingKey;
    }
  };

  // Expect a value at i; containers push a frame, scalars are emitted.
  const startValue = (): void => {
    skipWs();
    if (i >= n) fail('unexpected end of input, expected a JSON value');
    const c = text[i];
    if (c === '{') {
      stack.push({ kind: 'object', at: i, entries: [] });
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
    if (top?.kind === 'object') top.pendingKey = { key, at };
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

