/**
 * Stateful sequences as data: the steps a sequence is made of (PutKeyPolicy, the reads, the state
 * changes, CreateKey and the alias operations), their fast-check arbitraries, the set-up a sequence
 * starts from, and the requests a step stands for in the sequence's current keys. The runner
 * (`replay/sequence.ts`) wraps each step in an `fc.commands` command that sends it to the target.
 *
 * A step names keys by their place in the sequence (`key: 0` is the key the set-up leases, `1`
 * the first key a CreateKey step made, …) and aliases by number, so a sequence means the same on
 * any target and after shrinking.
 */
import fc from 'fast-check';
import { DEFAULT_KEY_POLICY } from '../contract/policy/index.ts';
import type { OperationName } from '../contract/types.ts';
import { accountPrincipal, type GeneratorContext } from './context.ts';
import type { RequestSetup } from './request-case.ts';
import { GENERATOR_KEY_ID } from './verify.ts';

/** One step of a sequence. */
export type SequenceStep =
  | { readonly op: 'PutKeyPolicy'; readonly key: number; readonly policy: number }
  | { readonly op: 'GetKeyPolicy' | 'ListKeyPolicies' | 'DescribeKey' | 'EnableKey' | 'DisableKey' | 'CancelKeyDeletion'; readonly key: number }
  | { readonly op: 'ScheduleKeyDeletion'; readonly key: number; readonly days: number }
  | { readonly op: 'CreateKey' }
  | { readonly op: 'CreateAlias'; readonly alias: number; readonly key: number }
  | { readonly op: 'DeleteAlias'; readonly alias: number }
  | { readonly op: 'ListAliases'; readonly key?: number };

/** Keys a step may name (the leased one and up to two a CreateKey step made). */
export const SEQUENCE_KEYS = 3;
/** Aliases a sequence may use. */
export const SEQUENCE_ALIASES = 2;
/** Policies a PutKeyPolicy step may put ({@link sequencePolicy}). */
export const SEQUENCE_POLICIES = 3;
/** Steps a generated sequence has at most. */
export const MAX_SEQUENCE_STEPS = 10;

/** The placeholder id of the key a sequence starts with (the target leases a real one). */
export const SEQUENCE_KEY_ID = GENERATOR_KEY_ID;

/** The alias name (placeholder) of alias number `n`; a shared target gives it a name of its own. */
export function sequenceAliasName(n: number): string {
  return `alias/kmsc-seq-${n}`;
}

/** Every alias placeholder a sequence may name. */
export const SEQUENCE_ALIAS_NAMES: readonly string[] = Array.from({ length: SEQUENCE_ALIASES }, (_, i) => sequenceAliasName(i));

/** What a sequence starts from: one Enabled key with the default key policy. */
export const SEQUENCE_SETUP: RequestSetup = { keys: [{ keyId: SEQUENCE_KEY_ID, state: 'Enabled', multiRegion: false }], aliases: [] };

/**
 * Policy number `n` of a context: the default key policy for 0, otherwise the account's full
 * access (so no lockout) and a statement granting the caller DescribeKey, told apart by `Id`.
 * Every one is valid in any contract version, so a PutKeyPolicy step is decided by the key alone.
 */
export function sequencePolicy(ctx: GeneratorContext, n: number): string {
  if (n === 0) return DEFAULT_KEY_POLICY(ctx.accountId, ctx.partition);
  return JSON.stringify({
    Version: '2012-10-17',
    Id: `kmsc-sequence-policy-${n}`,
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: accountPrincipal(ctx) }, Action: 'kms:*', Resource: '*' },
      { Sid: `Describe ${n}`, Effect: 'Allow', Principal: { AWS: ctx.caller.arn }, Action: 'kms:DescribeKey', Resource: '*' },
    ],
  });
}

// Mostly the leased key, which every sequence has: steps on a key no CreateKey made are skipped.
const key = fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: fc.integer({ min: 1, max: SEQUENCE_KEYS - 1 }), weight: 1 });
const alias = fc.nat({ max: SEQUENCE_ALIASES - 1 });
const onKey = (op: 'GetKeyPolicy' | 'ListKeyPolicies' | 'DescribeKey' | 'EnableKey' | 'DisableKey' | 'CancelKeyDeletion'): fc.Arbitrary<SequenceStep> => key.map((k) => ({ op, key: k }));

/**
 * One arbitrary per kind of step, weighted by repetition (`fc.commands` picks among them evenly):
 * PutKeyPolicy and the state changes come up most, since what they leave behind is what the model
 * follows and later steps are scored on; ScheduleKeyDeletion least (it leaves the key unusable).
 */
export function sequenceStepArbitraries(): fc.Arbitrary<SequenceStep>[] {
  const put = fc.record({ key, policy: fc.integer({ min: 1, max: SEQUENCE_POLICIES - 1 }) }).map((x): SequenceStep => ({ op: 'PutKeyPolicy', ...x }));
  const times = <T>(n: number, a: T): T[] => Array.from({ length: n }, () => a);
  return [
    ...times(4, put),
    ...times(4, onKey('DisableKey')),
    ...times(4, onKey('EnableKey')),
    ...times(2, onKey('GetKeyPolicy')),
    onKey('DescribeKey'),
    onKey('ListKeyPolicies'),
    onKey('CancelKeyDeletion'),
    fc.record({ key, days: fc.integer({ min: 7, max: 30 }) }).map((x): SequenceStep => ({ op: 'ScheduleKeyDeletion', ...x })),
    fc.constant<SequenceStep>({ op: 'CreateKey' }),
    fc.record({ alias, key }).map((x): SequenceStep => ({ op: 'CreateAlias', ...x })),
    alias.map((a): SequenceStep => ({ op: 'DeleteAlias', alias: a })),
    fc.option(key, { nil: undefined }).map((k): SequenceStep => (k === undefined ? { op: 'ListAliases' } : { op: 'ListAliases', key: k })),
  ];
}

/** The seed of sequence `index` of a run (each sequence is its own fast-check run). */
export function sequenceSeed(runSeed: number, index: number): number {
  return (Math.imul(runSeed ^ 0x5e9, 0x9e3779b1) + Math.imul(index + 1, 0x85ebca6b)) | 0;
}

/** A one-line description of a step (`PutKeyPolicy(key 0, policy 1)`). */
export function describeStep(s: SequenceStep): string {
  switch (s.op) {
    case 'PutKeyPolicy':
      return `PutKeyPolicy(key ${s.key}, policy ${s.policy})`;
    case 'ScheduleKeyDeletion':
      return `ScheduleKeyDeletion(key ${s.key}, ${s.days} days)`;
    case 'CreateKey':
      return 'CreateKey()';
    case 'CreateAlias':
      return `CreateAlias(alias ${s.alias} → key ${s.key})`;
    case 'DeleteAlias':
      return `DeleteAlias(alias ${s.alias})`;
    case 'ListAliases':
      return s.key === undefined ? 'ListAliases()' : `ListAliases(key ${s.key})`;
    default:
      return `${s.op}(key ${s.key})`;
  }
}

/** The key a step names, when it names one. */
export function stepKey(s: SequenceStep): number | undefined {
  return 'key' in s ? s.key : undefined;
}

/**
 * The request a step stands for, given the real ids of the sequence's keys so far and the alias
 * names the target gave (placeholder form when not rewritten). `undefined` when the step names a
 * key the sequence does not have (its precondition fails).
 */
export function stepRequest(s: SequenceStep, keyIds: readonly string[], ctx: GeneratorContext, aliasName: (n: number) => string = sequenceAliasName): { operation: OperationName; input: Record<string, unknown> } | undefined {
  const k = stepKey(s);
  if (k !== undefined && k >= keyIds.length) return undefined;
  const keyId = k === undefined ? undefined : keyIds[k]!;
  switch (s.op) {
    case 'PutKeyPolicy':
      return { operation: 'PutKeyPolicy', input: { KeyId: keyId, PolicyName: 'default', Policy: sequencePolicy(ctx, s.policy) } };
    case 'GetKeyPolicy':
      return { operation: 'GetKeyPolicy', input: { KeyId: keyId, PolicyName: 'default' } };
    case 'ScheduleKeyDeletion':
      return { operation: 'ScheduleKeyDeletion', input: { KeyId: keyId, PendingWindowInDays: s.days } };
    case 'CreateKey':
      return { operation: 'CreateKey', input: { Description: 'kms-conformance sequence key' } };
    case 'CreateAlias':
      return { operation: 'CreateAlias', input: { AliasName: aliasName(s.alias), TargetKeyId: keyId } };
    case 'DeleteAlias':
      return { operation: 'DeleteAlias', input: { AliasName: aliasName(s.alias) } };
    case 'ListAliases':
      return { operation: 'ListAliases', input: keyId === undefined ? {} : { KeyId: keyId } };
    default:
      return { operation: s.op, input: { KeyId: keyId } };
  }
}

const OPS = new Set(['PutKeyPolicy', 'GetKeyPolicy', 'ListKeyPolicies', 'DescribeKey', 'EnableKey', 'DisableKey', 'CancelKeyDeletion', 'ScheduleKeyDeletion', 'CreateKey', 'CreateAlias', 'DeleteAlias', 'ListAliases']);

/** Reads a step back from JSON (a replay file); throws with what is wrong. */
export function stepFromJson(v: unknown): SequenceStep {
  const o = v as Record<string, unknown> | null;
  if (o === null || typeof o !== 'object' || typeof o.op !== 'string' || !OPS.has(o.op)) throw new Error(`a sequence step must be an object with op one of ${[...OPS].join(', ')}, got ${JSON.stringify(v)}`);
  const n = (name: string, max: number): void => {
    const x = o[name];
    if (!Number.isInteger(x) || (x as number) < 0 || (x as number) > max) throw new Error(`step ${JSON.stringify(v)}: ${name} must be a whole number from 0 to ${max}`);
  };
  if (o.op !== 'CreateKey' && o.op !== 'DeleteAlias' && !(o.op === 'ListAliases' && o.key === undefined)) n('key', 1000);
  if (o.op === 'PutKeyPolicy') n('policy', SEQUENCE_POLICIES - 1);
  if (o.op === 'ScheduleKeyDeletion') n('days', 365);
  if (o.op === 'CreateAlias' || o.op === 'DeleteAlias') n('alias', SEQUENCE_ALIASES - 1);
  return o as unknown as SequenceStep;
}
