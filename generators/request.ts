/**
 * Requests for PutKeyPolicy and its companion operations: every member absent, null, of each wrong
 * JSON type, at and past every length and range boundary of the model (min−1, min, max, max+1),
 * at pattern and enum edges; every key identifier form; every key state; PolicyName omitted,
 * `default`, other valid names and invalid names; the bypass flag true, false and absent.
 * Boundaries come from the model (`contract/model.ts`), never retyped.
 */
import fc from 'fast-check';
import { inputMembers, isRequired, type ModelMember } from '../contract/model.ts';
import { DEFAULT_KEY_POLICY } from '../contract/policy/index.ts';
import { keyMemberOf } from '../contract/keyid.ts';
import { KEY_STATE_OPERATIONS, MAX_CREATE_KEY_TAGS, keyStateCell, keyStateRuleId, LIST_ALIASES_DOCUMENTED_LIMIT, markerRuleId, memberRuleId, requireRule } from '../contract/rules/index.ts';
import { KEY_STATES, OPERATIONS, type KeyState, type OperationName } from '../contract/types.ts';
import { keyArn, aliasArn } from '../contract/identities.ts';
import { DEFAULT_GENERATOR_CONTEXT, type GeneratorContext } from './context.ts';
import { COMPACT_STYLE } from './json-text.ts';
import { invalid, KEY_ID_RULE, POLICY_RULE, unspecified, VALID, WIRE_RULE, type CaseLabel } from './labels.ts';
import { padTo } from './policy-case.ts';
import type { RequestCase, RequestSetup } from './request-case.ts';
import { validModelArb } from './valid-policy.ts';

/** Operations that name a key: by `KeyId` (optional for ListAliases), or CreateAlias by `TargetKeyId`. */
export const KEY_OPERATIONS: readonly OperationName[] = OPERATIONS.filter((o) => keyMemberOf(o) !== undefined);

/** Operations whose answer depends on the key's state (the key-state rules). */
export const STATE_OPERATIONS: readonly OperationName[] = KEY_STATE_OPERATIONS;

/** The alias a generated CreateAlias creates (no case's set-up has it). */
export const NEW_ALIAS_NAME = 'alias/kms-conformance/new';
/** The alias a generated DeleteAlias deletes (its set-up creates it). */
export const EXISTING_ALIAS_NAME = 'alias/kms-conformance/existing';

/** Region the "other region" key identifiers point at. */
export const OTHER_REGION = 'us-west-2';
/** Account the "other account" key ARNs point at. */
export const OTHER_ACCOUNT = '444455556666';

/** Forms of the `KeyId` member (contract notes §7). */
export const KEY_ID_FORMS = [
  'keyId',
  'keyArn',
  'mrkId',
  'mrkArn',
  'aliasName',
  'aliasArn',
  'otherRegionArn',
  'otherRegionKeyId',
  'otherAccountArn',
  'otherPartitionArn',
  'malformed',
  'malformedArn',
  'notFound',
  'aliasNotFound',
  'awsManagedKey',
] as const;
/** One of {@link KEY_ID_FORMS}. */
export type KeyIdForm = (typeof KEY_ID_FORMS)[number];

/** The minimal valid input of an operation for a key identifier, under the context's version. */
export function baseInput(op: OperationName, keyId: string, ctx: GeneratorContext): Record<string, unknown> {
  if (op === 'CreateAlias') return { AliasName: NEW_ALIAS_NAME, TargetKeyId: keyId };
  if (op === 'DeleteAlias') return { AliasName: EXISTING_ALIAS_NAME };
  const input: Record<string, unknown> = keyMemberOf(op) === undefined ? {} : { KeyId: keyId };
  if (op === 'PutKeyPolicy') input.Policy = DEFAULT_KEY_POLICY(ctx.accountId, ctx.partition);
  if ((op === 'PutKeyPolicy' || op === 'GetKeyPolicy') && isRequired(op, 'PolicyName', ctx.version)) input.PolicyName = 'default';
  return input;
}

const uuidArb = (): fc.Arbitrary<string> => fc.uuid({ version: 4 });
const mrkArb = (): fc.Arbitrary<string> => fc.uuid({ version: 4 }).map((u) => `mrk-${u.replace(/-/g, '')}`);

/** The state a key needs for the operation to succeed: CancelKeyDeletion needs a key pending deletion. */
export function usableState(op: OperationName): KeyState {
  return op === 'CancelKeyDeletion' ? 'PendingDeletion' : 'Enabled';
}

function setupOf(keyId: string, state: KeyState = 'Enabled', extra: Partial<RequestSetup> = {}): RequestSetup {
  return { keys: [{ keyId, state, multiRegion: keyId.startsWith('mrk-') }, ...(extra.keys ?? [])], aliases: extra.aliases ?? [] };
}

/** The set-up {@link baseInput} assumes: the key, and for DeleteAlias the alias it deletes. */
export function setupFor(op: OperationName, keyId: string, state: KeyState = usableState(op)): RequestSetup {
  return setupOf(keyId, state, op === 'DeleteAlias' ? { aliases: [{ name: EXISTING_ALIAS_NAME, targetKeyId: keyId }] } : {});
}

function keyIdLabel(op: OperationName, form: KeyIdForm): CaseLabel {
  const m = `keyId.${form}`;
  switch (form) {
    case 'keyId':
    case 'keyArn':
    case 'mrkId':
    case 'mrkArn':
      return VALID;
    case 'aliasName':
      return op === 'DescribeKey' ? VALID : invalid(KEY_ID_RULE.alias, m);
    case 'aliasArn':
      return op === 'DescribeKey' ? VALID : invalid(KEY_ID_RULE.aliasArn, m);
    case 'otherRegionArn':
      return invalid(KEY_ID_RULE.otherRegionArn, m);
    case 'otherRegionKeyId':
      return invalid(KEY_ID_RULE.otherRegionKeyId, m);
    case 'otherAccountArn':
      return op === 'DescribeKey' ? invalid(KEY_ID_RULE.notFound, m) : invalid(KEY_ID_RULE.otherAccount, m);
    case 'otherPartitionArn':
      return invalid(KEY_ID_RULE.otherPartition, m);
    case 'malformed':
      return invalid(KEY_ID_RULE.malformed, m);
    case 'malformedArn':
      return invalid(KEY_ID_RULE.malformedArn, m);
    case 'notFound':
      return invalid(KEY_ID_RULE.notFound, m);
    case 'aliasNotFound':
      return op === 'DescribeKey' ? invalid(KEY_ID_RULE.aliasNotFound, m) : invalid(KEY_ID_RULE.alias, m);
    case 'awsManagedKey':
      return requireRule('Operation.awsManagedKey').operations.includes(op) ? invalid('Operation.awsManagedKey', m) : VALID;
  }
}

/** Requests whose `KeyId` takes each form of {@link KEY_ID_FORMS}. */
export function keyIdCaseArb(ctx: GeneratorContext = DEFAULT_GENERATOR_CONTEXT): fc.Arbitrary<RequestCase> {
  return fc
    .record({
      op: fc.constantFrom(...KEY_OPERATIONS),
      form: fc.constantFrom(...KEY_ID_FORMS),
      uuid: uuidArb(),
      mrk: mrkArb(),
      aliasName: fc.constantFrom('alias/app-key', 'alias/team/finance_2026', 'alias/Test-Key'),
      malformed: fc.constantFrom('fake-key-id', '134f2428cec14b25a1ae9048164dba47', 'mrk-fake-key-id', '1234ABCD-12AB-34CD-56EF-1234567890AB', ' 1234abcd-12ab-34cd-56ef-1234567890ab'),
      malformedArn: fc.constantFrom('arn:aws:kms:us-east-1:111122223333', 'arn:aws:kms:us-east-1:12345:key/1234abcd-12ab-34cd-56ef-1234567890ab', 'arn:aws:s3:::bucket', 'arn:aws:kms:us-east-1:111122223333:key/not-a-key'),
      partition: fc.constantFrom('aws-cn', 'aws-us-gov'),
    })
    .map((r): RequestCase => {
      const here = (id: string, region = ctx.region, account = ctx.accountId, partition = ctx.partition): string => keyArn(id, region, account, partition);
      const state = usableState(r.op);
      let keyId: string;
      let setup: RequestSetup = setupOf(r.uuid, state);
      switch (r.form) {
        case 'keyId':
          keyId = r.uuid;
          break;
        case 'keyArn':
          keyId = here(r.uuid);
          break;
        case 'mrkId':
          keyId = r.mrk;
          setup = setupOf(r.mrk, state);
          break;
        case 'mrkArn':
          keyId = here(r.mrk);
          setup = setupOf(r.mrk, state);
          break;
        case 'aliasName':
          keyId = r.aliasName;
          setup = setupOf(r.uuid, state, { aliases: [{ name: r.aliasName, targetKeyId: r.uuid }] });
          break;
        case 'aliasArn':
          keyId = aliasArn(r.aliasName, ctx.region, ctx.accountId, ctx.partition);
          setup = setupOf(r.uuid, state, { aliases: [{ name: r.aliasName, targetKeyId: r.uuid }] });
          break;
        case 'otherRegionArn':
          keyId = here(r.uuid, OTHER_REGION);
          setup = { keys: [{ keyId: r.uuid, state, multiRegion: false, region: OTHER_REGION }], aliases: [] };
          break;
        case 'otherRegionKeyId':
          keyId = r.uuid;
          setup = { keys: [{ keyId: r.uuid, state, multiRegion: false, region: OTHER_REGION }], aliases: [] };
          break;
        case 'otherAccountArn':
          keyId = here(r.uuid, ctx.region, OTHER_ACCOUNT);
          break;
        case 'otherPartitionArn':
          keyId = here(r.uuid, ctx.region, ctx.accountId, r.partition);
          break;
        case 'malformed':
          keyId = r.malformed;
          break;
        case 'malformedArn':
          keyId = r.malformedArn;
          break;
        case 'notFound':
          keyId = r.uuid;
          setup = { keys: [], aliases: [] };
          break;
        case 'aliasNotFound':
          keyId = r.aliasName;
          break;
        case 'awsManagedKey':
          keyId = r.uuid;
          setup = { keys: [{ keyId: r.uuid, state, multiRegion: false, keyManager: 'AWS' }], aliases: [{ name: 'alias/aws/s3', targetKeyId: r.uuid }] };
          break;
      }
      return { operation: r.op, input: baseInput(r.op, keyId, ctx), setup, label: keyIdLabel(r.op, r.form), features: [`keyId:${r.form}`, `keyId:${r.op}.${r.form}`] };
    });
}

/** Requests on a key in each state of the model's `KeyState` enum, for every operation with a key. */
export function keyStateCaseArb(ctx: GeneratorContext = DEFAULT_GENERATOR_CONTEXT): fc.Arbitrary<RequestCase> {
  return fc.record({ op: fc.constantFrom(...STATE_OPERATIONS), state: fc.constantFrom(...KEY_STATES), uuid: uuidArb(), mrk: mrkArb() }).map((r): RequestCase => {
    // Creating, Updating and PendingReplicaDeletion happen to multi-Region keys only (contract notes §8.5).
    const keyId = r.state === 'Creating' || r.state === 'Updating' || r.state === 'PendingReplicaDeletion' ? r.mrk : r.uuid;
    const cell = keyStateCell(r.op, r.state);
    const ruleId = keyStateRuleId(r.op, r.state);
    const label =
      cell === undefined || cell.kind === 'ok' ? VALID : cell.kind === 'invalid' ? invalid(ruleId, `state.${r.state}`) : unspecified(`state.${r.state}`, cell.reason, ruleId);
    return { operation: r.op, input: baseInput(r.op, keyId, ctx), setup: setupOf(keyId, r.state), label, features: [`state:${r.op}.${r.state}`] };
  });
}

// ---------------------------------------------------------------------------------------------
// Member boundaries, from the model
// ---------------------------------------------------------------------------------------------

/** One member variant of the boundary table: the value to send (or `absent`) and its label. */
export interface MemberVariant {
  readonly operation: OperationName;
  readonly member: string;
  /** e.g. `length.max+1`, `type.number`, `null`, `pattern`, `enum`, `absent`. */
  readonly variant: string;
  /** The value, or `undefined` to leave the member out. A function builds large values lazily. */
  readonly value: unknown;
  readonly label: CaseLabel;
  /** The member name to write (differs from `member` for the wrong-case variant). */
  readonly writeAs?: string;
}

const WRONG_TYPES: Readonly<Record<string, readonly (readonly [string, unknown])[]>> = {
  string: [
    ['type.number', 42],
    ['type.boolean', true],
    ['type.object', { value: 'x' }],
    ['type.array', ['x']],
  ],
  enum: [
    ['type.number', 1],
    ['type.array', ['ENCRYPT_DECRYPT']],
  ],
  boolean: [
    ['type.string', 'true'],
    ['type.number', 1],
    ['type.object', {}],
  ],
  integer: [
    ['type.string', '10'],
    ['type.boolean', false],
    ['type.array', [10]],
  ],
  list: [
    ['type.string', 'token'],
    ['type.object', {}],
  ],
};

/** A valid policy of exactly `chars` characters (the default policy's shape, padded in its Id). */
function policyOfChars(chars: number, ctx: GeneratorContext): string {
  const [model] = fc.sample(validModelArb(ctx, 0), { seed: 1, numRuns: 1 });
  const p = model && padTo(model, COMPACT_STYLE, chars, 'chars', 'id', 'x');
  if (!p) throw new Error(`[kms-conformance] internal error: cannot pad a policy to ${chars} characters`);
  return p.text;
}

function semanticLabel(op: OperationName, member: string, value: string, variant: string): CaseLabel {
  const m = `member.${op}.${member}.${variant}`;
  if (member === 'KeyId' || member === 'TargetKeyId') return invalid(KEY_ID_RULE.malformed, m);
  if (member === 'AliasName') {
    if (!value.startsWith('alias/')) return invalid(`${op}.AliasName.prefix`, m);
    return op === 'DeleteAlias' ? invalid('DeleteAlias.AliasName.notFound', m) : VALID;
  }
  if (member === 'Marker' && (op === 'ListKeys' || op === 'ListAliases')) {
    return unspecified(m, 'a Marker the target did not issue: markers are opaque, so the contract cannot tell (decision 0221)', markerRuleId(op));
  }
  if (member === 'PolicyName') return value === 'default' ? VALID : invalid(`${op}.PolicyName.onlyDefault`, m);
  if (member === 'Policy') return value.length <= 1 ? invalid(POLICY_RULE.json, m) : invalid(POLICY_RULE.sizeQuota, m);
  return VALID;
}

/** Members whose in-range values would need set-up the suite does not model (key stores, grants, tags). */
const NO_IN_RANGE = new Set(['CustomKeyStoreId', 'XksKeyId', 'GrantTokens', 'Tags', 'Origin', 'KeySpec', 'CustomerMasterKeySpec']);

/** Every member variant of an operation, from the model's constraints. */
export function memberVariants(op: OperationName, ctx: GeneratorContext = DEFAULT_GENERATOR_CONTEXT): MemberVariant[] {
  const out: MemberVariant[] = [];
  const members = inputMembers(op);
  for (const [name, m] of Object.entries(members) as [string, ModelMember][]) {
    const required = isRequired(op, name, ctx.version);
    const rule = (kind: Parameters<typeof memberRuleId>[2]): string => memberRuleId(op, name, kind);
    const add = (variant: string, value: unknown, label: CaseLabel, writeAs?: string): void => {
      out.push({ operation: op, member: name, variant, value, label, ...(writeAs === undefined ? {} : { writeAs }) });
    };
    const mut = (variant: string): string => `member.${op}.${name}.${variant}`;
    // Presence.
    add('absent', undefined, required ? invalid(rule('required'), mut('absent')) : VALID);
    add('null', null, required ? invalid(rule('required'), mut('null'), [WIRE_RULE.memberNull]) : invalid(WIRE_RULE.memberNull, mut('null')));
    const wrongCase = name.charAt(0).toLowerCase() + name.slice(1);
    add('wrongCase', 'default', required ? invalid(rule('required'), mut('wrongCase'), [WIRE_RULE.memberUnknown]) : invalid(WIRE_RULE.memberUnknown, mut('wrongCase')), wrongCase);
    // Wrong JSON types.
    for (const [variant, value] of WRONG_TYPES[m.type] ?? []) add(variant, value, invalid(rule('type'), mut(variant)));
    // Strings: length and pattern.
    if (m.type === 'string' && m.length) {
      const pattern = m.pattern === undefined ? undefined : new RegExp(m.pattern, 'u');
      const fill = (n: number): string => 'a'.repeat(n);
      const min = m.length.min ?? 0;
      const max = m.length.max;
      const breaksPattern = (s: string): boolean => pattern !== undefined && !pattern.test(s);
      // An empty or pattern-breaking Policy is not JSON either: its document error is accepted too (decision 0602).
      const notJson = name === 'Policy' ? [POLICY_RULE.json] : [];
      if (min >= 1) add('length.min-1', '', invalid(rule('length.min'), mut('length.min-1'), [...(breaksPattern('') ? [rule('pattern')] : []), ...notJson]));
      const inRange = (variant: string, n: number): void => {
        if (NO_IN_RANGE.has(name)) return;
        // An alias name as long as the boundary that keeps its alias/ prefix when it can.
        const alias = (k: number): string => (k > 'alias/'.length ? `alias/${'a'.repeat(k - 'alias/'.length)}` : fill(k));
        const value = name === 'Policy' ? (n <= 1 ? '{' : policyOfChars(n, ctx)) : name === 'AliasName' ? alias(n) : fill(n);
        add(variant, value, semanticLabel(op, name, value, variant));
      };
      inRange('length.min', Math.max(min, 1));
      if (max !== undefined) {
        inRange('length.max', max);
        const over = name === 'Policy' ? `${policyOfChars(max, ctx)} ` : name === 'AliasName' ? `alias/${fill(max + 1 - 'alias/'.length)}` : fill(max + 1);
        // A Policy over the model length is also over the 32 KB quota (decision 0401).
        add('length.max+1', over, invalid(rule('length.max'), mut('length.max+1'), name === 'Policy' ? [POLICY_RULE.sizeQuota] : []));
      }
      if (pattern !== undefined) {
        const bad = name === 'Policy' ? `${DEFAULT_KEY_POLICY(ctx.accountId, ctx.partition)}\u0100` : name === 'Marker' ? 'next\u0100page' : 'bad name!';
        add('pattern', bad, invalid(rule('pattern'), mut('pattern'), notJson));
      }
    }
    // Integers: range.
    if (m.type === 'integer' && m.range) {
      const { min, max } = m.range;
      const documented = (n: number): CaseLabel =>
        op === 'ScheduleKeyDeletion' && (n < 7 || n > 30)
          ? invalid('ScheduleKeyDeletion.PendingWindowInDays.documented', mut(`value.${n}`))
          : op === 'ListAliases' && name === 'Limit' && n > LIST_ALIASES_DOCUMENTED_LIMIT
            ? invalid('ListAliases.Limit.documented', mut(`value.${n}`))
            : VALID;
      if (min !== undefined) {
        add('range.min-1', min - 1, invalid(rule('range.min'), mut('range.min-1')));
        add('range.min', min, documented(min));
      }
      if (max !== undefined) {
        add('range.max', max, documented(max));
        add('range.max+1', max + 1, invalid(rule('range.max'), mut('range.max+1')));
      }
      if (op === 'ScheduleKeyDeletion') for (const n of [6, 7, 30, 31]) add(`documented.${n}`, n, documented(n));
      if (op === 'ListAliases' && name === 'Limit') for (const n of [LIST_ALIASES_DOCUMENTED_LIMIT, LIST_ALIASES_DOCUMENTED_LIMIT + 1]) add(`documented.${n}`, n, documented(n));
    }
    // Lists: length.
    if (m.type === 'list' && m.length?.max !== undefined) {
      add('length.max+1', Array.from({ length: m.length.max + 1 }, (_, i) => `token-${i}`), invalid(rule('length.max'), mut('length.max+1')));
    }
    // Enums.
    if (m.type === 'enum' && m.enum) {
      add('enum', 'NOT_A_VALUE', invalid(rule('enum'), mut('enum')));
      add('enum.lowercase', (m.enum[0] ?? 'x').toLowerCase(), invalid(rule('enum'), mut('enum.lowercase')));
      if (name === 'KeyUsage') add('enum.valid', 'ENCRYPT_DECRYPT', VALID);
    }
    // Booleans: both values.
    if (m.type === 'boolean') {
      add('true', true, VALID);
      add('false', false, VALID);
    }
  }
  // CreateKey rules beyond the model (decisions 0605, 0606): too many tags, a reserved tag key,
  // a non-symmetric key spec without KeyUsage, a KeyUsage the (default, symmetric) spec does not support.
  if (op === 'CreateKey') {
    const tags = Array.from({ length: MAX_CREATE_KEY_TAGS + 1 }, (_, i) => ({ TagKey: `key${i}`, TagValue: `value${i}` }));
    out.push({ operation: op, member: 'Tags', variant: 'count.max+1', value: tags, label: invalid('CreateKey.Tags.max', 'member.CreateKey.Tags.count.max+1') });
    out.push({ operation: op, member: 'Tags', variant: 'reservedPrefix', value: [{ TagKey: 'aws:team', TagValue: 'payments' }], label: invalid('CreateKey.Tags.reservedPrefix', 'member.CreateKey.Tags.reservedPrefix') });
    out.push({ operation: op, member: 'KeySpec', variant: 'withoutKeyUsage', value: 'HMAC_256', label: invalid('CreateKey.KeyUsage.required', 'member.CreateKey.KeySpec.withoutKeyUsage') });
    out.push({ operation: op, member: 'KeyUsage', variant: 'incompatible', value: 'SIGN_VERIFY', label: invalid('CreateKey.KeyUsage.compatible', 'member.CreateKey.KeyUsage.incompatible') });
  }
  // PolicyName edges (contract notes §2.1–2.2): `default`, other valid names, case.
  if (op === 'PutKeyPolicy' || op === 'GetKeyPolicy') {
    const onlyDefault = `${op}.PolicyName.onlyDefault`;
    out.push({ operation: op, member: 'PolicyName', variant: 'default', value: 'default', label: VALID });
    for (const v of ['Default', 'foo', 'default_policy', 'key_policy_1']) {
      out.push({ operation: op, member: 'PolicyName', variant: `name.${v}`, value: v, label: invalid(onlyDefault, `member.${op}.PolicyName.name`) });
    }
    out.push({ operation: op, member: 'PolicyName', variant: 'pattern.trailingSpace', value: 'default ', label: invalid(memberRuleId(op, 'PolicyName', 'pattern'), `member.${op}.PolicyName.pattern`) });
  }
  out.push({ operation: op, member: 'Unknown', variant: 'unknown', value: 'x', label: invalid(WIRE_RULE.memberUnknown, `member.${op}.unknown`), writeAs: 'UnknownMember' });
  return out;
}

let variantCache: { ctx: GeneratorContext; variants: MemberVariant[] } | undefined;

/** Every member variant of every operation (cached per context). */
export function allMemberVariants(ctx: GeneratorContext = DEFAULT_GENERATOR_CONTEXT): readonly MemberVariant[] {
  if (variantCache?.ctx !== ctx) variantCache = { ctx, variants: OPERATIONS.flatMap((op) => memberVariants(op, ctx)) };
  return variantCache.variants;
}

/** Feature name of a member variant, e.g. `member:PutKeyPolicy.KeyId.length.max+1`. */
export function variantFeature(v: MemberVariant): string {
  return `member:${v.operation}.${v.member}.${v.variant}`;
}

/** Requests with one member at one variant of the boundary table, everything else valid. */
export function memberCaseArb(ctx: GeneratorContext = DEFAULT_GENERATOR_CONTEXT): fc.Arbitrary<RequestCase> {
  return fc.record({ v: fc.constantFrom(...allMemberVariants(ctx)), uuid: uuidArb(), arnForm: fc.boolean() }).map((r): RequestCase => {
    const keyId = r.arnForm ? keyArn(r.uuid, ctx.region, ctx.accountId, ctx.partition) : r.uuid;
    const input = baseInput(r.v.operation, keyId, ctx);
    if (r.v.writeAs === undefined) {
      if (r.v.value === undefined) delete input[r.v.member];
      else input[r.v.member] = r.v.value;
    } else {
      // Wrong-case and unknown members: the member's own value (when it has one) under another name.
      const original = input[r.v.member];
      delete input[r.v.member];
      input[r.v.writeAs] = original ?? r.v.value;
    }
    return { operation: r.v.operation, input, setup: setupFor(r.v.operation, r.uuid), label: r.v.label, features: [variantFeature(r.v)] };
  });
}

/** Options of {@link requestArb}. */
export interface RequestArbOptions {
  readonly context?: GeneratorContext;
  /** Only these operations. @defaultValue all thirteen */
  readonly operations?: readonly OperationName[];
}

/**
 * Requests of every kind: key identifier forms, key states and member boundaries, for
 * PutKeyPolicy and its companions.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(requestArb(), (c) => {
 *   const e = expected({ operation: c.operation, input: c.input }, worldFromSetup(c.setup, ctx), ctx.caller, ctx.version);
 *   return c.label.kind !== 'valid' || e.kind === 'decided';
 * }));
 * ```
 */
export function requestArb(options: RequestArbOptions = {}): fc.Arbitrary<RequestCase> {
  const ctx = options.context ?? DEFAULT_GENERATOR_CONTEXT;
  const arb = fc.oneof(
    { weight: 3, arbitrary: keyIdCaseArb(ctx) },
    { weight: 2, arbitrary: keyStateCaseArb(ctx) },
    { weight: 8, arbitrary: memberCaseArb(ctx) },
  );
  const ops = options.operations;
  return ops === undefined ? arb : arb.filter((c) => ops.includes(c.operation));
}
