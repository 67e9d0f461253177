/**
 * The cases a run sends, and the one mapping from a case to the request it stands for and the
 * keys and aliases that must exist first. Generated cases (request, wire, valid and invalid
 * policies) and the catalogue's worked examples become the same {@link RunCase}; the runner, the
 * generators' agreement check and `replay` all read requests and set-ups through this module.
 */
import fc from 'fast-check';
import { DEFAULT_CALLER, DEFAULT_ACCOUNT, DEFAULT_REGION } from '../contract/identities.ts';
import { resolveKey } from '../contract/keyid.ts';
import { DEFAULT_KEY_POLICY } from '../contract/policy/index.ts';
import { EXAMPLE_WORLD, examplesFor, type RuleExample } from '../contract/rules/examples.ts';
import { rulesFor } from '../contract/rules/index.ts';
import type { ContractVersionId, KeyInfo, OperationName } from '../contract/types.ts';
import type { GeneratorContext } from './context.ts';
import { caseArb, caseToJson, isGenerateKind, type GenerateKind, type GeneratedCase } from './kinds.ts';
import { invalid, VALID, type CaseLabel } from './labels.ts';
import { generateCases, replayCase, type CaseOrigin } from './replay.ts';
import type { KeySetup, RequestSetup } from './request-case.ts';
import { baseInput } from './request.ts';
import { GENERATOR_KEY_ID } from './verify.ts';

/** Where a run case comes from: a rule's worked example, or a generator kind. */
export type RunCaseSource = 'example' | GenerateKind;

/**
 * One case of a run.
 * - `id`: unique in a run and stable for the same seed (`request:42:7`,
 *   `example:<rule>:breaks:0`).
 * - `origin`: `{seed, path}` for generated cases (the `generate` line that gives it back).
 * - `exampleOf`: the rule whose worked example this is.
 * - `skip`: why the case cannot be sent at all (e.g. it needs another caller), when it cannot.
 */
export interface RunCase {
  readonly id: string;
  readonly source: RunCaseSource;
  readonly case: GeneratedCase;
  readonly origin?: CaseOrigin;
  readonly exampleOf?: string;
  readonly skip?: string;
}

/** A request case as the oracle and the SDK see it: operation, members, and what must exist first. */
export interface CaseRequest {
  readonly operation: OperationName;
  readonly input: Readonly<Record<string, unknown>>;
  readonly setup: RequestSetup;
}

/** The set-up of a policy case: the key whose policy is put, enabled (what the policy labels assume). */
export const POLICY_CASE_SETUP: RequestSetup = { keys: [{ keyId: GENERATOR_KEY_ID, state: 'Enabled', multiRegion: false }], aliases: [] };

/**
 * The request a case stands for: a request case as it is; a policy case as `PutKeyPolicy` on
 * {@link GENERATOR_KEY_ID} with the policy and its bypass flag (the key its label was judged
 * against; `PolicyName: "default"` where the version requires it). `undefined` for wire cases.
 */
export function caseRequest(c: GeneratedCase, context: GeneratorContext): CaseRequest | undefined {
  switch (c.kind) {
    case 'request':
      return { operation: c.value.operation, input: c.value.input, setup: c.value.setup };
    case 'valid-policy':
    case 'invalid-policy': {
      const input: Record<string, unknown> = { ...baseInput('PutKeyPolicy', GENERATOR_KEY_ID, context), Policy: c.value.policy };
      if (c.value.bypassPolicyLockoutSafetyCheck !== undefined) input.BypassPolicyLockoutSafetyCheck = c.value.bypassPolicyLockoutSafetyCheck;
      return { operation: 'PutKeyPolicy', input, setup: POLICY_CASE_SETUP };
    }
    case 'wire':
      return undefined;
  }
}

/** The keys and aliases any case needs. */
export function caseSetup(c: GeneratedCase): RequestSetup {
  return c.kind === 'request' || c.kind === 'wire' ? c.value.setup : POLICY_CASE_SETUP;
}

/** The operation a case is about (for wire cases: the one it was built for, before any mutation). */
export function caseOperation(c: GeneratedCase): OperationName {
  return c.kind === 'request' || c.kind === 'wire' ? c.value.operation : 'PutKeyPolicy';
}

/** Whether the case sets `BypassPolicyLockoutSafetyCheck: true` (it may lock the caller out). */
export function caseBypasses(c: GeneratedCase): boolean {
  if (c.kind === 'valid-policy' || c.kind === 'invalid-policy') return c.value.bypassPolicyLockoutSafetyCheck === true;
  if (c.kind === 'request') return c.value.input.BypassPolicyLockoutSafetyCheck === true;
  if (c.kind !== 'wire') return false;
  return /"BypassPolicyLockoutSafetyCheck"\s*:\s*true/.test(Buffer.from(c.value.body).toString('latin1'));
}

/** The named mutation that made a case (`label.mutation`), when it has one. */
export function caseMutation(c: GeneratedCase): string | undefined {
  const l = c.value.label;
  return l.kind === 'valid' ? undefined : l.mutation;
}

/** The case as JSON (the `generate` form plus kind and label): what a replay file holds. */
export function caseJson(c: GeneratedCase): Record<string, unknown> {
  return { kind: c.kind, label: c.value.label, ...caseToJson(c) };
}

/** Thrown by {@link caseFromJson} for JSON that is not a case. */
export class CaseFormatError extends Error {
  override readonly name = 'CaseFormatError';
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new CaseFormatError(`${what} must be a JSON object, got ${JSON.stringify(v)?.slice(0, 60)}`);
  return v as Record<string, unknown>;
}

function setupFromJson(v: unknown): RequestSetup {
  const s = obj(v ?? { keys: [], aliases: [] }, 'setup');
  if (!Array.isArray(s.keys) || !Array.isArray(s.aliases)) throw new CaseFormatError('setup must have keys and aliases arrays');
  return { keys: s.keys as KeySetup[], aliases: s.aliases as RequestSetup['aliases'] };
}

/**
 * The case a {@link caseJson} object describes (the inverse of `caseJson`).
 *
 * @throws CaseFormatError when the JSON is not a case.
 */
export function caseFromJson(json: unknown): GeneratedCase {
  const o = obj(json, 'a case');
  const kind = o.kind;
  if (typeof kind !== 'string' || !isGenerateKind(kind)) throw new CaseFormatError(`case kind must be valid-policy, invalid-policy, request or wire, got ${JSON.stringify(kind)}`);
  const label = obj(o.label, 'label') as CaseLabel;
  const features = Array.isArray(o.features) ? (o.features as string[]) : [];
  switch (kind) {
    case 'valid-policy':
    case 'invalid-policy': {
      if (typeof o.policy !== 'string') throw new CaseFormatError('a policy case needs a "policy" string');
      const bypass = o.bypassPolicyLockoutSafetyCheck;
      return { kind, value: { policy: o.policy, label, features, ...(typeof bypass === 'boolean' ? { bypassPolicyLockoutSafetyCheck: bypass } : {}) } as GeneratedCase['value'] } as GeneratedCase;
    }
    case 'request': {
      if (typeof o.operation !== 'string') throw new CaseFormatError('a request case needs an "operation"');
      return { kind, value: { operation: o.operation as OperationName, input: obj(o.input, 'input'), setup: setupFromJson(o.setup), label, features } };
    }
    case 'wire': {
      const h = obj(o.http, 'http');
      if (typeof h.method !== 'string' || typeof h.path !== 'string' || typeof h.bodyBase64 !== 'string') throw new CaseFormatError('a wire case needs http.method, http.path and http.bodyBase64');
      return {
        kind,
        value: {
          method: h.method,
          path: h.path,
          headers: obj(h.headers, 'http.headers') as Record<string, string>,
          body: new Uint8Array(Buffer.from(h.bodyBase64, 'base64')),
          operation: o.operation as OperationName,
          setup: setupFromJson(o.setup),
          label,
          features,
        },
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Generated cases
// ---------------------------------------------------------------------------------------------

/** The id of the generated case at `index` of a kind for a seed (`request:42:7`): stable for the same seed. */
export function generatedCaseId(kind: GenerateKind, seed: number, index: number): string {
  return `${kind}:${seed}:${index}`;
}

function generatedRunCase(kind: GenerateKind, seed: number, index: number, value: GeneratedCase): RunCase {
  return { id: generatedCaseId(kind, seed, index), source: kind, case: value, origin: { seed, path: String(index) } };
}

/**
 * The first `count` generated cases of a kind for a seed, in the context's contract version, all
 * at once ({@link generatedRunCaseStream} gives the same cases one chunk at a time).
 *
 * @example
 * ```ts
 * const cases = generatedRunCases('request', 300, 42, createGeneratorContext({ version: '2024-03-18' }));
 * // cases[7].origin → { seed: 42, path: '7' }, the 8th line of `generate --kind request --seed 42`
 * ```
 */
export function generatedRunCases(kind: GenerateKind, count: number, seed: number, context: GeneratorContext): RunCase[] {
  return generateCases(kind, count, seed, { context }).map(({ value }, i) => generatedRunCase(kind, seed, i, value));
}

/** Generated cases {@link generatedRunCaseStream} holds at most at once. */
export const GENERATION_CHUNK = 256;

/**
 * The cases of {@link generatedRunCases} (the same ids, origins and values), generated lazily as
 * they are consumed, `chunk` at a time: a run of any size holds one chunk of generated cases.
 * Each chunk is fast-check's sample from `{seed, path: start}` (fast-check skips the runs before
 * `start` by jumping its random generator, without generating them, and each run keeps its index,
 * so the values are those of one sample from the start).
 *
 * @example
 * ```ts
 * for (const c of generatedRunCaseStream('wire', 100_000, 42, ctx)) await send(c); // never 100,000 cases in memory
 * ```
 */
export function* generatedRunCaseStream(kind: GenerateKind, count: number, seed: number, context: GeneratorContext, chunk: number = GENERATION_CHUNK): Generator<RunCase, void, undefined> {
  if (!Number.isInteger(chunk) || chunk < 1) throw new RangeError(`generatedRunCaseStream: chunk must be a whole number of at least 1, got ${chunk}.`);
  const arb = caseArb(kind, { context });
  for (let start = 0; start < count; start += chunk) {
    const values = fc.sample(arb, { seed, path: String(start), numRuns: Math.min(chunk, count - start) });
    for (let i = 0; i < values.length; i++) yield generatedRunCase(kind, seed, start + i, values[i]!);
  }
}

/** The generated case a run planned at `index` of a kind for a seed, regenerated on its own (what shrinking starts from). */
export function generatedRunCaseAt(kind: GenerateKind, seed: number, index: number, context: GeneratorContext): RunCase {
  return generatedRunCase(kind, seed, index, replayCase(kind, { seed, path: String(index) }, { context }));
}

/** A case that was not drawn at a replayable `{seed, path}`: its JSON is what replays it. */
export function fixedRunCase(id: string, c: GeneratedCase, source: RunCaseSource = c.kind): RunCase {
  return { id, source, case: c };
}

// ---------------------------------------------------------------------------------------------
// Worked examples
// ---------------------------------------------------------------------------------------------

/** Rewrites every string in a JSON value with `f`. */
function mapStrings(v: unknown, f: (s: string) => string): unknown {
  if (typeof v === 'string') return f(v);
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, f));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, mapStrings(x, f)]));
  return v;
}

/** Replaces each `from` with its `to` in a string (longest first, so ARNs win over the ids inside them). */
export function replaceAll(s: string, pairs: readonly (readonly [string, string])[]): string {
  let out = s;
  for (const [from, to] of pairs) if (from !== to && out.includes(from)) out = out.split(from).join(to);
  return out;
}

/** Keys of the example world a request names (by id, ARN or alias), for its set-up. */
function exampleKeysNamed(input: Readonly<Record<string, unknown>>, operation: OperationName): { keys: KeySetup[]; aliases: RequestSetup['aliases'] } {
  const text = JSON.stringify(input);
  const keys = new Map<string, KeySetup>();
  const aliases: { name: string; targetKeyId: string }[] = [];
  const add = (k: KeyInfo): void => {
    if (k.accountId !== EXAMPLE_WORLD.accountId) return; // another account's key cannot be set up: the oracle sees it as absent
    keys.set(k.keyId, {
      keyId: k.keyId,
      state: k.state,
      multiRegion: k.multiRegion,
      ...(k.keyManager === 'AWS' ? { keyManager: 'AWS' as const } : {}),
      ...(k.region === EXAMPLE_WORLD.region ? {} : { region: k.region }),
      ...(k.policy === DEFAULT_KEY_POLICY(k.accountId) ? {} : { policy: k.policy }),
    });
  };
  for (const k of EXAMPLE_WORLD.keys) if (text.includes(k.keyId)) add(k);
  for (const a of EXAMPLE_WORLD.aliases) {
    if (!text.includes(a.name)) continue;
    const target = EXAMPLE_WORLD.keys.find((k) => k.keyId === a.targetKeyId);
    if (target) add(target);
    aliases.push({ name: a.name, targetKeyId: a.targetKeyId });
  }
  const id = input.KeyId;
  if (typeof id === 'string') {
    const r = resolveKey(id, EXAMPLE_WORLD, operation);
    if (r.kind === 'found') add(r.key);
  }
  return { keys: [...keys.values()], aliases };
}

/** Strings of the example world that name the account, Region and caller, and what they become in a run's world. */
function exampleRebase(ctx: GeneratorContext): [string, string][] {
  return [
    [DEFAULT_CALLER.arn, ctx.caller.arn],
    [`arn:aws:kms:${DEFAULT_REGION}:${DEFAULT_ACCOUNT}:`, `arn:${ctx.partition}:kms:${ctx.region}:${ctx.accountId}:`],
    [`arn:aws:iam::${DEFAULT_ACCOUNT}:`, `arn:${ctx.partition}:iam::${ctx.accountId}:`],
    [DEFAULT_ACCOUNT, ctx.accountId],
  ];
}

function exampleCase(ruleId: string, side: 'satisfies' | 'breaks', i: number, ex: RuleExample, version: ContractVersionId, ctx: GeneratorContext): RunCase | undefined {
  const id = `example:${ruleId}:${side}:${i}`;
  const label: CaseLabel = side === 'breaks' ? invalid(ruleId, `example.${side}`) : VALID;
  const features = [`example:${ruleId}`];
  const pairs = exampleRebase(ctx);
  if (ex.kind === 'request') {
    if (ex.version !== undefined && ex.version !== version) return undefined;
    const input = mapStrings(ex.request.input, (s) => replaceAll(s, pairs)) as Record<string, unknown>;
    const named = exampleKeysNamed(ex.request.input, ex.request.operation);
    const setup = { keys: named.keys.map((k) => (k.policy === undefined ? k : { ...k, policy: replaceAll(k.policy, pairs) })), aliases: named.aliases };
    const value = { operation: ex.request.operation, input, setup, label, features };
    const base: RunCase = { id, source: 'example', exampleOf: ruleId, case: { kind: 'request', value } };
    if (ex.caller !== undefined && ex.caller.arn === DEFAULT_CALLER.arn && JSON.stringify(ex.caller.iam) !== JSON.stringify(DEFAULT_CALLER.iam)) {
      return { ...base, skip: `the example needs a caller whose IAM permissions are ${JSON.stringify(ex.caller.iam)}; the run calls as one identity` };
    }
    if (ex.caller !== undefined && ex.caller.arn !== DEFAULT_CALLER.arn) return { ...base, skip: `the example needs the caller ${ex.caller.arn}; the run calls as one identity` };
    if (ex.request.context !== undefined) {
      return { ...base, skip: `the example assumes ${JSON.stringify(ex.request.context)} (a request rate or a recent change), which one request cannot recreate` };
    }
    return base;
  }
  if (ex.kind === 'wire') {
    const text = Buffer.from(ex.wire.body).toString('utf8');
    const rebased = Buffer.from(ex.wire.body).equals(Buffer.from(text, 'utf8')) ? new TextEncoder().encode(replaceAll(text, pairs)) : ex.wire.body;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(ex.wire.headers)) if (v !== undefined) headers[k] = typeof v === 'string' ? v : v.join(', ');
    let input: Record<string, unknown> = {};
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) input = parsed as Record<string, unknown>;
    } catch {
      // not JSON: the set-up comes from nothing the body names
    }
    const target = headers['X-Amz-Target'] ?? headers['x-amz-target'] ?? '';
    const operation = (/\.(\w+)$/.exec(target)?.[1] ?? 'DescribeKey') as OperationName;
    const setup = exampleKeysNamed(input, operation);
    const value = { method: ex.wire.method, path: ex.wire.path, headers, body: rebased, operation, setup, label, features };
    const base: RunCase = { id, source: 'example', exampleOf: ruleId, case: { kind: 'wire', value } };
    if (ex.authentication !== undefined) return { ...base, skip: 'the example judges a SigV4 signature made at a fixed time with a fixed secret; the run signs its own requests' };
    if (ex.maxBodyBytes !== undefined) return { ...base, skip: `the example assumes a body limit of ${ex.maxBodyBytes} bytes` };
    return base;
  }
  return undefined;
}

/**
 * Every rule's worked examples that can be sent as a request, for a contract version, rebased to
 * the run's account, Region, partition and caller. Response and transition examples are not
 * requests: the rules they illustrate are checked on every answer and after every change instead.
 */
export function exampleRunCases(version: ContractVersionId, ctx: GeneratorContext): RunCase[] {
  const out: RunCase[] = [];
  for (const rule of rulesFor(version)) {
    const ex = examplesFor(rule);
    if (!ex) continue;
    for (const side of ['satisfies', 'breaks'] as const) {
      ex[side].forEach((e, i) => {
        const c = exampleCase(rule.id, side, i, e, version, ctx);
        if (c) out.push(c);
      });
    }
  }
  return out;
}

/**
 * Why a rule has no example a run can send (every example is a response or transition example,
 * or needs what one request cannot recreate), for the report's "not exercised" list.
 */
export function unsendableExampleReason(ruleId: string, cases: readonly RunCase[]): string | undefined {
  const mine = cases.filter((c) => c.exampleOf === ruleId);
  if (mine.length === 0) return 'its worked examples are responses or state transitions, not requests; it is checked on answers and after changes';
  const skipped = mine.filter((c) => c.skip !== undefined);
  if (skipped.length === mine.length) return skipped[0]!.skip;
  return undefined;
}
