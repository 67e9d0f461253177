/**
 * The awsJson1_1 wire layer of the contract: decoding an HTTP request into an operation and its
 * members, and encoding success and error responses. Pure functions, shared by the bundled mock
 * (which answers with them) and by scoring (which uses the same rule ids to judge a target).
 *
 * Facts: contract notes §1 (protocol), §1.1 (error-type normalisation), §6 (framework errors),
 * §10 (what the JS SDK sends and parses), §11.11 (what is not documented). Where the contract is
 * silent the choices are written down in `decisions/0300-*.md` … `decisions/0399-*.md`.
 *
 * @packageDocumentation
 */
import { keysWritten, readJson, type JsonNode } from './policy/json.ts';
import { serializationMessage } from './messages.ts';
import { MODEL, utf8Length } from './model.ts';
import type { ModelMember } from './model.ts';
import { OPERATIONS } from './types.ts';
import type { OperationName } from './types.ts';

/** The only content type of the protocol (SP; parameters such as `; charset=utf-8` are allowed). */
export const AWS_JSON_1_1 = 'application/x-amz-json-1.1';

/**
 * Default request-body limit of the mock, in bytes: 1 MiB. Large enough for every request the
 * model can describe (a 131,072-character Policy of two-byte characters, JSON-escaped, fits), so
 * every member constraint stays reachable. See `decisions/0302-body-size-limit.md`.
 */
export const DEFAULT_MAX_BODY_BYTES = 1_048_576;

/** Ids of the wire rules (the contract catalogue holds their statements and outcomes). */
export const WIRE_RULES = {
  method: 'Wire.method',
  path: 'Wire.path',
  targetMissing: 'Wire.target.missing',
  targetUnknown: 'Wire.target.unknown',
  targetPrefix: 'Wire.target.prefix',
  contentType: 'Wire.contentType',
  contentTypeParameters: 'Wire.contentType.parameters',
  bodyEmpty: 'Wire.body.empty',
  bodyJson: 'Wire.body.json',
  bodyNotObject: 'Wire.body.notObject',
  bodyUtf8: 'Wire.body.utf8',
  bodyDuplicateKey: 'Wire.body.duplicateKey',
  bodyTooLarge: 'Wire.body.tooLarge',
  memberType: 'Wire.member.type',
  memberNull: 'Wire.member.null',
  memberUnknown: 'Wire.member.unknown',
  errorShape: 'Wire.error.shape',
  errorTypeNormalisation: 'Wire.error.typeNormalisation',
  successRequestId: 'Wire.success.requestId',
  successEmptyOutput: 'Wire.success.emptyOutput',
  responseContentType: 'Wire.response.contentType',
} as const;

/** A wire rule id. */
export type WireRuleId = (typeof WIRE_RULES)[keyof typeof WIRE_RULES];

/** One header's value as Node (`IncomingMessage.headers`) or a plain object gives it. */
export type WireHeaderValue = string | readonly string[] | undefined;

/** Header values as Node (`IncomingMessage.headers`) or a plain object gives them; names are matched case-insensitively. */
export type WireHeaders = Readonly<Record<string, WireHeaderValue>>;

/** An HTTP request as the wire layer sees it. `path` may carry a query string. */
export interface WireRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: WireHeaders;
  readonly body: Uint8Array;
}

/** Options of {@link decodeWireRequest}. */
export interface DecodeOptions {
  /** Bodies larger than this answer `RequestEntityTooLargeException`. @defaultValue {@link DEFAULT_MAX_BODY_BYTES} */
  readonly maxBodyBytes?: number;
}

/**
 * What the decoder makes of a request.
 * - `request`: routed and type-checked. `input` holds only modelled members with the right JSON
 *   types (nulls and unknown members removed); `rules` lists the wire rules that documented an
 *   acceptance on the way (e.g. `Wire.member.unknown` when unknown members were ignored).
 * - `error`: the request fails at the wire level; `code`, `status` and `message` are what the
 *   mock answers, `ruleId` the rule it breaks.
 */
export type WireDecodeResult =
  | {
      readonly kind: 'request';
      readonly operation: OperationName;
      readonly input: Readonly<Record<string, unknown>>;
      readonly rules: readonly WireRuleId[];
    }
  | {
      readonly kind: 'error';
      readonly ruleId: WireRuleId;
      readonly code: string;
      readonly status: number;
      readonly message: string;
      /** Member path (`Tags.0.TagKey`) for member-level errors. */
      readonly path?: string;
    };

/**
 * An HTTP response: status, headers and the body as UTF-8 text (empty for Unit outputs). The one
 * response shape of the contract: the encoders ({@link encodeError}, {@link encodeSuccess}) produce
 * it with plain string headers (the default `H`); the response checks (`checkResponse`,
 * `readErrorResponse` in `oracle.ts`) read it with any header values a captured response has,
 * `WireResponse<WireHeaderValue>` (names matched case-insensitively).
 */
export interface WireResponse<H extends WireHeaderValue = string> {
  readonly status: number;
  readonly headers: Readonly<Record<string, H>>;
  readonly body: string;
}

/** Reads a header case-insensitively; repeated headers are joined with `, ` as HTTP does. */
export function headerValue(headers: WireHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const k of Object.keys(headers)) {
    // Names of another length cannot match; Node's names are lower case already.
    if (k.length !== wanted.length || (k !== wanted && k.toLowerCase() !== wanted)) continue;
    const v = headers[k];
    if (v === undefined) continue;
    return typeof v === 'string' ? v : v.join(', ');
  }
  return undefined;
}

/** The media type of a Content-Type value, lower case, without parameters (`; charset=utf-8`). */
export function mediaTypeOf(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

const TARGET_PREFIX = `${MODEL.service.targetPrefix}.`;
const OPERATION_BY_NAME: ReadonlyMap<string, OperationName> = new Map(OPERATIONS.map((op) => [op, op]));

function wireError(ruleId: WireRuleId, code: string, status: number, message: string, path?: string): WireDecodeResult {
  return path === undefined ? { kind: 'error', ruleId, code, status, message } : { kind: 'error', ruleId, code, status, message, path };
}

/** Decodes request bodies: invalid UTF-8 throws, a BOM is kept (and then fails JSON). Reused: without `stream`, decode keeps no state between calls. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes an awsJson1_1 request: method, path, size, content type, `X-Amz-Target` routing, UTF-8,
 * JSON, and member types from the model. It does not check member constraints (length, pattern,
 * required, …): those are contract rules the oracle decides.
 *
 * @example
 * ```ts
 * const r = decodeWireRequest({ method: 'POST', path: '/', headers: { 'content-type': AWS_JSON_1_1,
 *   'x-amz-target': 'TrentService.GetKeyPolicy' }, body: new TextEncoder().encode('{"KeyId":"k"}') });
 * // r.kind === 'request', r.operation === 'GetKeyPolicy', r.input.KeyId === 'k'
 * ```
 */
export function decodeWireRequest(request: WireRequest, options: DecodeOptions = {}): WireDecodeResult {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const rules: WireRuleId[] = [];

  if (request.method.toUpperCase() !== 'POST') {
    return wireError(
      WIRE_RULES.method,
      'UnknownOperationException',
      400,
      `Method ${request.method} is not supported; awsJson1_1 requests are POST / with an X-Amz-Target header.`,
    );
  }
  const pathname = request.path.split('?')[0] ?? '';
  if (pathname !== '/') {
    return wireError(WIRE_RULES.path, 'UnknownOperationException', 400, `Path ${JSON.stringify(pathname)} is not served; awsJson1_1 requests go to POST /.`);
  }
  if (request.body.byteLength > maxBodyBytes) {
    return wireError(
      WIRE_RULES.bodyTooLarge,
      'RequestEntityTooLargeException',
      413,
      tooLargeMessage(request.body.byteLength, maxBodyBytes),
    );
  }

  const contentType = headerValue(request.headers, 'content-type');
  const mediaType = contentType === undefined ? undefined : mediaTypeOf(contentType);
  if (mediaType !== AWS_JSON_1_1) {
    return wireError(
      WIRE_RULES.contentType,
      'UnknownOperationException',
      400,
      contentType === undefined
        ? `Missing Content-Type header; send Content-Type: ${AWS_JSON_1_1}.`
        : `Content-Type ${JSON.stringify(contentType)} is not supported; send Content-Type: ${AWS_JSON_1_1}.`,
    );
  }
  if (contentType !== undefined && contentType.includes(';')) rules.push(WIRE_RULES.contentTypeParameters);

  const target = headerValue(request.headers, 'x-amz-target')?.trim();
  if (target === undefined || target === '') {
    return wireError(WIRE_RULES.targetMissing, 'UnknownOperationException', 400, `Missing X-Amz-Target header; send X-Amz-Target: ${TARGET_PREFIX}<Operation>.`);
  }
  if (!target.startsWith(TARGET_PREFIX)) {
    return wireError(
      WIRE_RULES.targetPrefix,
      'UnknownOperationException',
      400,
      `X-Amz-Target ${JSON.stringify(target)} does not name an operation of this service; the prefix is ${JSON.stringify(TARGET_PREFIX)}.`,
    );
  }
  const operation = OPERATION_BY_NAME.get(target.slice(TARGET_PREFIX.length));
  if (operation === undefined) {
    return wireError(
      WIRE_RULES.targetUnknown,
      'UnknownOperationException',
      400,
      `Operation ${JSON.stringify(target.slice(TARGET_PREFIX.length))} is not implemented by kms-conformance; it serves ${OPERATIONS.join(', ')}.`,
    );
  }

  let text: string;
  try {
    text = STRICT_UTF8.decode(request.body);
  } catch {
    return wireError(WIRE_RULES.bodyUtf8, 'SerializationException', 400, 'Request body is not valid UTF-8.');
  }

  if (text.trim() === '') {
    rules.push(WIRE_RULES.bodyEmpty);
    return { kind: 'request', operation, input: {}, rules };
  }

  const parsed = parseJson(text);
  if (parsed.kind === 'error') {
    return wireError(WIRE_RULES.bodyJson, 'SerializationException', 400, parsed.message);
  }
  if (parsed.duplicateKey) rules.push(WIRE_RULES.bodyDuplicateKey);
  const value = parsed.value;
  if (!isJsonObject(value)) {
    return wireError(WIRE_RULES.bodyNotObject, 'SerializationException', 400, serializationMessage(value, 'Structure'));
  }

  const checked = checkStructure(value, MODEL.operations[operation].input, '', rules);
  if (checked.kind === 'error') return checked;
  return { kind: 'request', operation, input: checked.value, rules: dedupe(rules) };
}

/** The `RequestEntityTooLargeException` message (mock text; AWS's limit and text are undocumented, §11.11). */
export function tooLargeMessage(bytes: number, maxBodyBytes: number): string {
  return `Request body of ${bytes} bytes exceeds the limit of ${maxBodyBytes} bytes.`;
}

function dedupe<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

// ---------------------------------------------------------------------------------------------
// Member type checks (Coral/Jackson style messages, contract notes §6)
// ---------------------------------------------------------------------------------------------

type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
interface JsonObject {
  [key: string]: JsonValue;
}

function isJsonObject(v: JsonValue): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

type Checked<T> = { readonly kind: 'ok'; readonly value: T } | Extract<WireDecodeResult, { kind: 'error' }>;

function memberError(path: string, message: string): Extract<WireDecodeResult, { kind: 'error' }> {
  return { kind: 'error', ruleId: WIRE_RULES.memberType, code: 'SerializationException', status: 400, message, path };
}

function join(path: string, name: string | number): string {
  return path === '' ? String(name) : `${path}.${name}`;
}

function checkStructure(
  obj: JsonObject,
  members: Readonly<Record<string, ModelMember>>,
  path: string,
  rules: WireRuleId[],
): Checked<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) {
    const m = members[key];
    if (m === undefined) {
      rules.push(WIRE_RULES.memberUnknown);
      continue;
    }
    const v = obj[key] as JsonValue;
    if (v === null) {
      rules.push(WIRE_RULES.memberNull);
      continue;
    }
    const c = checkMember(v, m, join(path, key), rules);
    if (c.kind === 'error') return c;
    out[key] = c.value;
  }
  return { kind: 'ok', value: out };
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function checkMember(v: JsonValue, m: ModelMember, path: string, rules: WireRuleId[]): Checked<unknown> {
  switch (m.type) {
    case 'string':
    case 'enum':
      return typeof v === 'string' ? { kind: 'ok', value: v } : memberError(path, serializationMessage(v, 'String'));
    case 'boolean':
      return typeof v === 'boolean' ? { kind: 'ok', value: v } : memberError(path, serializationMessage(v, 'Boolean'));
    case 'integer':
    case 'intEnum':
      if (typeof v !== 'number') return memberError(path, serializationMessage(v, 'Integer'));
      if (!Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX) {
        return memberError(path, `NUMBER_VALUE ${v} can not be converted to an Integer`);
      }
      return { kind: 'ok', value: v };
    case 'long':
      if (typeof v !== 'number') return memberError(path, serializationMessage(v, 'Long'));
      if (!Number.isSafeInteger(v)) return memberError(path, `NUMBER_VALUE ${v} can not be converted to a Long`);
      return { kind: 'ok', value: v };
    case 'timestamp':
      // awsJson1_1 timestamps are epoch seconds (SP); a number is the only accepted form.
      return typeof v === 'number' ? { kind: 'ok', value: v } : memberError(path, serializationMessage(v, 'Timestamp'));
    case 'list': {
      if (!Array.isArray(v)) return memberError(path, serializationMessage(v, 'List'));
      const inner = m.member;
      if (inner === undefined) return { kind: 'ok', value: v };
      const out: unknown[] = [];
      for (let i = 0; i < v.length; i++) {
        const el = v[i] as JsonValue;
        if (el === null) {
          return { kind: 'error', ruleId: WIRE_RULES.memberNull, code: 'SerializationException', status: 400, message: 'null can not be an element of a list', path: join(path, i) };
        }
        const c = checkMember(el, inner, join(path, i), rules);
        if (c.kind === 'error') return c;
        out.push(c.value);
      }
      return { kind: 'ok', value: out };
    }
    case 'structure':
      if (!isJsonObject(v)) return memberError(path, serializationMessage(v, 'Structure'));
      return checkStructure(v, m.members ?? {}, path, rules);
    case 'map':
      if (!isJsonObject(v)) return memberError(path, serializationMessage(v, 'Map'));
      return { kind: 'ok', value: { ...v } };
    default:
      // Blob/document members do not occur in the thirteen operations; pass them through unchecked.
      return { kind: 'ok', value: v };
  }
}

// ---------------------------------------------------------------------------------------------
// Request bodies are read with the contract's one strict JSON reader (`policy/json.ts`), which
// keeps the duplicate keys JSON.parse hides.
// ---------------------------------------------------------------------------------------------

type ParseOutcome = { readonly kind: 'ok'; readonly value: JsonValue; readonly duplicateKey: boolean } | { readonly kind: 'error'; readonly message: string };

/** Deepest nesting a request body may have; the thirteen operations need four levels at most. */
const MAX_BODY_DEPTH = 512;

/**
 * Parses JSON text (RFC 8259). Duplicate keys keep the last value, as Jackson and `JSON.parse` do,
 * and are reported so the `Wire.body.duplicateKey` rule can be recorded.
 */
export function parseJson(text: string): ParseOutcome {
  // Most bodies are valid JSON without duplicate keys: JSON.parse reads them natively, and a count
  // of the keys as written proves none was lost. Anything else takes the strict reader below, which
  // says where the JSON breaks or which key repeats.
  let native: unknown;
  try {
    native = JSON.parse(text);
  } catch {
    return readStrictly(text);
  }
  const copied = copyNative(native);
  if (copied !== undefined && copied.keys === keysWritten(text)) return { kind: 'ok', value: copied.value, duplicateKey: false };
  return readStrictly(text);
}

/**
 * `value` (a JSON.parse result) with null-prototype objects, as the strict reader builds them, and
 * the number of keys it holds; `undefined` when it nests deeper than {@link MAX_BODY_DEPTH} (the
 * strict reader then says so).
 */
function copyNative(value: unknown): { value: JsonValue; keys: number } | undefined {
  let keys = 0;
  let tooDeep = false;
  const copy = (v: unknown, depth: number): JsonValue => {
    // The strict reader's limit, applied alike: no value deeper than MAX_BODY_DEPTH.
    if (depth > MAX_BODY_DEPTH) {
      tooDeep = true;
      return null;
    }
    if (v === null || typeof v !== 'object') return v as JsonValue;
    if (Array.isArray(v)) {
      const out: JsonValue[] = new Array<JsonValue>(v.length);
      for (let k = 0; k < v.length; k++) out[k] = copy(v[k], depth + 1);
      return out;
    }
    const out = Object.create(null) as JsonObject;
    for (const key of Object.keys(v)) {
      keys++;
      out[key] = copy((v as Record<string, unknown>)[key], depth + 1);
    }
    return out;
  };
  const copied = copy(value, 0);
  return tooDeep ? undefined : { value: copied, keys };
}

/**
 * {@link parseJson} by the strict reader alone: the error with its place, or the value and whether a
 * key repeats. Exported for the test that holds parseJson's native path to it.
 * @internal
 */
export function readStrictly(text: string): ParseOutcome {
  const read = readJson(text);
  if (!read.ok) {
    const near = text.slice(read.at, read.at + 16);
    return { kind: 'error', message: `Malformed JSON in request body at character ${read.at}: ${read.message}${near === '' ? '' : ` near ${JSON.stringify(near)}`}.` };
  }
  let duplicateKey = false;
  let tooDeep = false;
  const plain = (node: JsonNode, depth: number): JsonValue => {
    if (depth > MAX_BODY_DEPTH) {
      tooDeep = true;
      return null;
    }
    switch (node.kind) {
      case 'object': {
        // Null prototype: keys such as "__proto__" are plain data here.
        const out = Object.create(null) as JsonObject;
        for (const e of node.entries) {
          if (Object.prototype.hasOwnProperty.call(out, e.key)) duplicateKey = true;
          out[e.key] = plain(e.value, depth + 1);
        }
        return out;
      }
      case 'array':
        return node.items.map((item) => plain(item, depth + 1));
      case 'null':
        return null;
      default:
        return node.value;
    }
  };
  const value = plain(read.node, 0);
  if (tooDeep) return { kind: 'error', message: `Malformed JSON in request body: nesting deeper than ${MAX_BODY_DEPTH} levels.` };
  return { kind: 'ok', value, duplicateKey };
}

// ---------------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------------

/**
 * Normalises an error type as a client must (SP, contract notes §1.1): keep the part before the
 * first `:`, then the part after the first `#`.
 *
 * @example `normaliseErrorType('aws.protocoltests.json#FooError:http://internal.amazon.com/coral/')` → `'FooError'`
 */
export function normaliseErrorType(raw: string): string {
  let s = raw;
  const colon = s.indexOf(':');
  if (colon >= 0) s = s.slice(0, colon);
  const hash = s.indexOf('#');
  if (hash >= 0) s = s.slice(hash + 1);
  return s.trim();
}

/**
 * Encodes an error response: `{"__type":"<Code>","message":"…"}` with
 * `Content-Type: application/x-amz-json-1.1` and `x-amzn-RequestId`. The type goes in the body
 * only (no `X-Amzn-ErrorType` header), so header and body can never disagree (§1.1).
 */
export function encodeError(code: string, message: string, status: number, requestId: string): WireResponse {
  const body = JSON.stringify({ __type: code, message });
  return {
    status,
    headers: { 'content-type': AWS_JSON_1_1, 'x-amzn-requestid': requestId, 'content-length': String(utf8Length(body)) },
    body,
  };
}

/**
 * Encodes a success response. `output` `undefined` (a Unit output such as PutKeyPolicy's) gives an
 * empty body, as the protocol asks of servers (SPT `json_1_1_service_responds_with_no_payload`);
 * `Date` values become epoch seconds (awsJson timestamp format).
 */
export function encodeSuccess(output: Readonly<Record<string, unknown>> | undefined, requestId: string): WireResponse {
  const body = output === undefined ? '' : JSON.stringify(toWireJson(output));
  return {
    status: 200,
    headers: { 'content-type': AWS_JSON_1_1, 'x-amzn-requestid': requestId, 'content-length': String(utf8Length(body)) },
    body,
  };
}

/** Converts `Date` values to epoch seconds (with milliseconds as the fraction), recursively. */
export function toWireJson(v: unknown): unknown {
  if (v instanceof Date) return v.getTime() / 1000;
  if (Array.isArray(v)) return v.map(toWireJson);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toWireJson(x);
    return out;
  }
  return v;
}

