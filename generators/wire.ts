/**
 * Wire mutations the SDK never sends (awsJson1_1, contract notes §1, §6, §11.11): wrong method and
 * path, missing, unknown and wrong-prefix `X-Amz-Target`, wrong or missing `Content-Type`, empty,
 * malformed, truncated, non-object and invalid UTF-8 bodies, duplicate keys, wrong member types,
 * null, unknown and wrong-case members, and bodies over the size limit.
 */
import fc from 'fast-check';
import { isRequired, targetOf } from '../contract/model.ts';
import { memberRuleId } from '../contract/rules/index.ts';
import type { OperationName } from '../contract/types.ts';
import { AWS_JSON_1_1, DEFAULT_MAX_BODY_BYTES } from '../contract/wire.ts';
import { DEFAULT_GENERATOR_CONTEXT, type GeneratorContext } from './context.ts';
import { invalid, VALID, WIRE_RULE, type CaseLabel } from './labels.ts';
import type { RequestSetup } from './request-case.ts';
import { baseInput, usableState } from './request.ts';

/** One raw HTTP request and its label. `body` is bytes (base64 in JSON output). */
export interface WireCase {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  /** The operation the request was built for (before any mutation of its target). */
  readonly operation: OperationName;
  readonly setup: RequestSetup;
  readonly label: CaseLabel;
  /** `wire:<mutation>` (names of `WIRE_MUTATIONS`). */
  readonly features: readonly string[];
}

/** Operations the wire cases are built on. */
export const WIRE_OPERATIONS: readonly OperationName[] = ['PutKeyPolicy', 'GetKeyPolicy', 'DescribeKey', 'ListKeyPolicies'];

interface WireDraft {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** What a wire mutation gets: the valid draft, its operation and input, and a seeded choice. */
interface WireInput {
  readonly draft: WireDraft;
  readonly op: OperationName;
  readonly input: Record<string, unknown>;
  readonly pick: number;
  readonly ctx: GeneratorContext;
}

/** A named wire mutation. */
export interface WireMutation {
  readonly name: string;
  readonly label: (op: OperationName, ctx: GeneratorContext) => CaseLabel;
  readonly apply: (w: WireInput) => WireDraft;
}

const enc = new TextEncoder();
const bytes = (s: string): Uint8Array => enc.encode(s);
const choose = <T>(xs: readonly T[], pick: number): T => xs[pick % xs.length] as T;

function withHeader(d: WireDraft, name: string, value: string | undefined): WireDraft {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.headers)) if (k.toLowerCase() !== name.toLowerCase()) headers[k] = v;
  if (value !== undefined) headers[name] = value;
  return { ...d, headers };
}

const withBody = (d: WireDraft, body: Uint8Array | string): WireDraft => ({ ...d, body: typeof body === 'string' ? bytes(body) : body });

/** The required-member rules an empty body (decoded as `{}`) breaks for an operation. */
function requiredRules(op: OperationName, ctx: GeneratorContext): string[] {
  return ['KeyId', 'Policy', 'PolicyName'].filter((m) => isRequired(op, m, ctx.version)).map((m) => memberRuleId(op, m, 'required'));
}

let hugeBody: Uint8Array | undefined;
/** A JSON body one byte over the default body limit (built once). */
function overLimitBody(): Uint8Array {
  if (!hugeBody) {
    const head = '{"KeyId":"1234abcd-12ab-34cd-56ef-1234567890ab","Policy":"';
    const tail = '"}';
    hugeBody = bytes(head + 'x'.repeat(DEFAULT_MAX_BODY_BYTES + 1 - head.length - tail.length) + tail);
  }
  return hugeBody;
}

/** The member the `member.null` mutation sets to null: an optional one where the operation has one. */
function nullableMember(op: OperationName): string {
  return op === 'PutKeyPolicy' ? 'BypassPolicyLockoutSafetyCheck' : op === 'ListKeyPolicies' ? 'Marker' : op === 'DescribeKey' ? 'GrantTokens' : 'PolicyName';
}

const fixed = (ruleId: string, name: string) => (): CaseLabel => invalid(ruleId, name);

/** Every wire mutation. `valid.*` ones are the accepted variations every server must handle. */
export const WIRE_MUTATIONS: readonly WireMutation[] = [
  { name: 'valid.sdkShape', label: () => VALID, apply: (w) => w.draft },
  {
    name: 'valid.headerCase',
    label: () => VALID,
    apply: (w) => withHeader(withHeader(w.draft, 'X-Amz-Target', targetOf(w.op)), 'CONTENT-TYPE', AWS_JSON_1_1),
  },
  {
    name: 'valid.contentTypeParameters',
    label: () => VALID,
    apply: (w) => withHeader(w.draft, 'content-type', `${AWS_JSON_1_1}; charset=${choose(['utf-8', 'UTF-8'], w.pick)}`),
  },
  {
    name: 'valid.prettyBody',
    label: () => VALID,
    apply: (w) => withBody(w.draft, `\r\n${JSON.stringify(w.input, null, choose([2, 4, '\t'], w.pick))}\n`),
  },
  { name: 'method', label: fixed(WIRE_RULE.method, 'method'), apply: (w) => ({ ...w.draft, method: choose(['GET', 'PUT', 'DELETE', 'PATCH'], w.pick) }) },
  { name: 'path', label: fixed(WIRE_RULE.path, 'path'), apply: (w) => ({ ...w.draft, path: choose(['/kms', '/PutKeyPolicy', '//', '/2014-11-01/'], w.pick) }) },
  { name: 'target.missing', label: fixed(WIRE_RULE.targetMissing, 'target.missing'), apply: (w) => withHeader(w.draft, 'x-amz-target', w.pick % 3 === 0 ? '' : undefined) },
  {
    name: 'target.unknown',
    label: fixed(WIRE_RULE.targetUnknown, 'target.unknown'),
    apply: (w) => withHeader(w.draft, 'x-amz-target', `TrentService.${choose([`${w.op}s`, w.op.toLowerCase(), `${w.op}V2`, ''], w.pick)}`),
  },
  {
    name: 'target.prefix',
    label: fixed(WIRE_RULE.targetPrefix, 'target.prefix'),
    apply: (w) => withHeader(w.draft, 'x-amz-target', choose([`KMS.${w.op}`, `trentservice.${w.op}`, `TrentService_${w.op}`, w.op, `kms.${w.op}`], w.pick)),
  },
  {
    name: 'contentType.wrong',
    label: fixed(WIRE_RULE.contentType, 'contentType.wrong'),
    apply: (w) => withHeader(w.draft, 'content-type', choose(['application/json', 'application/x-amz-json-1.0', 'text/plain', 'application/x-www-form-urlencoded'], w.pick)),
  },
  { name: 'contentType.missing', label: fixed(WIRE_RULE.contentType, 'contentType.missing'), apply: (w) => withHeader(w.draft, 'content-type', undefined) },
  {
    name: 'body.empty',
    label: (op, ctx) => invalid(WIRE_RULE.bodyEmpty, 'body.empty', requiredRules(op, ctx)),
    apply: (w) => withBody(w.draft, choose(['', ' ', '\r\n'], w.pick)),
  },
  {
    name: 'body.truncated',
    label: fixed(WIRE_RULE.bodyJson, 'body.truncated'),
    apply: (w) => {
      const text = JSON.stringify(w.input);
      return withBody(w.draft, text.slice(0, 1 + (w.pick % (text.length - 1))));
    },
  },
  {
    name: 'body.malformed',
    label: fixed(WIRE_RULE.bodyJson, 'body.malformed'),
    apply: (w) => {
      const text = JSON.stringify(w.input);
      return withBody(w.draft, choose([`${text}}`, text.replace(/"/g, "'"), text.replace(/\}$/, ',}'), `${text} x`, '{KeyId: "k"}', '{"KeyId":NaN}'], w.pick));
    },
  },
  { name: 'body.notObject', label: fixed(WIRE_RULE.bodyNotObject, 'body.notObject'), apply: (w) => withBody(w.draft, choose(['[]', '"PutKeyPolicy"', '1', 'null', 'true', `[${JSON.stringify(w.input)}]`], w.pick)) },
  {
    name: 'body.invalidUtf8',
    label: fixed(WIRE_RULE.bodyUtf8, 'body.invalidUtf8'),
    apply: (w) => {
      const good = bytes(JSON.stringify(w.input));
      const bad = choose([[0xff], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xc3]], w.pick);
      const at = good.indexOf(0x22, good.indexOf(0x3a)) + 1; // just inside the first member's value
      const out = new Uint8Array(good.length + bad.length);
      out.set(good.subarray(0, at), 0);
      out.set(bad, at);
      out.set(good.subarray(at), at + bad.length);
      return withBody(w.draft, out);
    },
  },
  {
    name: 'body.duplicateKey',
    label: fixed(WIRE_RULE.bodyDuplicateKey, 'body.duplicateKey'),
    apply: (w) => {
      const text = JSON.stringify(w.input);
      return withBody(w.draft, `{"KeyId":"1234abcd-12ab-34cd-56ef-000000000000",${text.slice(1)}`);
    },
  },
  { name: 'body.tooLarge', label: fixed(WIRE_RULE.bodyTooLarge, 'body.tooLarge'), apply: (w) => withBody(w.draft, overLimitBody()) },
  {
    name: 'member.wrongType',
    label: fixed(WIRE_RULE.memberType, 'member.wrongType'),
    apply: (w) => withBody(w.draft, JSON.stringify({ ...w.input, KeyId: choose<unknown>([1234, true, { id: w.input.KeyId }, [w.input.KeyId], 1.5e300], w.pick) })),
  },
  {
    name: 'member.null',
    label: (op, ctx) => {
      const m = nullableMember(op);
      return isRequired(op, m, ctx.version) ? invalid(WIRE_RULE.memberNull, 'member.null', [memberRuleId(op, m, 'required')]) : invalid(WIRE_RULE.memberNull, 'member.null');
    },
    apply: (w) => withBody(w.draft, JSON.stringify({ ...w.input, [nullableMember(w.op)]: null })),
  },
  {
    name: 'member.unknown',
    label: fixed(WIRE_RULE.memberUnknown, 'member.unknown'),
    apply: (w) => withBody(w.draft, JSON.stringify({ ...w.input, [choose(['Foo', 'DryRun', '__type', 'keyid'], w.pick)]: choose<unknown>(['x', true, 1], w.pick >> 2) })),
  },
];

/** Names of every wire mutation. */
export const WIRE_MUTATION_NAMES: readonly string[] = WIRE_MUTATIONS.map((m) => m.name);

/** Options of {@link wireArb}. */
export interface WireArbOptions {
  readonly context?: GeneratorContext;
  /** Only these mutations (by name). */
  readonly mutations?: readonly string[];
}

/**
 * Raw awsJson1_1 requests, each a valid SDK-shaped request changed by one named wire mutation.
 *
 * @example
 * ```ts
 * fc.assert(fc.asyncProperty(wireArb(), async (c) => {
 *   const res = await fetch(endpoint + c.path, { method: c.method, headers: c.headers, body: c.method === 'GET' ? undefined : c.body });
 *   expect(res.headers.get('content-type')).toMatch(/json/);
 * }), { numRuns: 100 });
 * ```
 */
export function wireArb(options: WireArbOptions = {}): fc.Arbitrary<WireCase> {
  const ctx = options.context ?? DEFAULT_GENERATOR_CONTEXT;
  const chosen = options.mutations === undefined ? WIRE_MUTATIONS : WIRE_MUTATIONS.filter((m) => options.mutations?.includes(m.name));
  if (chosen.length === 0) {
    throw new RangeError(`wireArb: no wire mutation matches ${JSON.stringify(options.mutations)}. Known mutations: ${WIRE_MUTATION_NAMES.join(', ')}.`);
  }
  return fc
    .record({ mutation: fc.constantFrom(...chosen), op: fc.constantFrom(...WIRE_OPERATIONS), uuid: fc.uuid({ version: 4 }), pick: fc.nat({ max: 1 << 16 }) })
    .map((r): WireCase => {
      const input = baseInput(r.op, r.uuid, ctx);
      const draft: WireDraft = {
        method: 'POST',
        path: '/',
        headers: { 'content-type': AWS_JSON_1_1, 'x-amz-target': targetOf(r.op) },
        body: bytes(JSON.stringify(input)),
      };
      const out = r.mutation.apply({ draft, op: r.op, input, pick: r.pick, ctx });
      return {
        ...out,
        operation: r.op,
        setup: { keys: [{ keyId: r.uuid, state: usableState(r.op), multiRegion: false }], aliases: [] },
        label: r.mutation.label(r.op, ctx),
        features: [`wire:${r.mutation.name}`],
      };
    });
}
