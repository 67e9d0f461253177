/**
 * Key identifiers: what form a `KeyId` value has (key id, multi-Region key id, key ARN, alias
 * name, alias ARN, malformed) and how a request's `KeyId` resolves against a {@link World}
 * (contract notes §5.1, §7, §9.4).
 */
import { aliasArn, keyArn } from './identities.ts';
import { keyNotFoundMessage, invalidKeyIdMessage, invalidArnMessage, aliasesNotSupportedMessage, aliasNotFoundMessage } from './messages.ts';
import type { AliasInfo, KeyInfo, OperationName, World } from './types.ts';

/**
 * The member that names the key an operation works on: `KeyId`, or CreateAlias's `TargetKeyId`;
 * `undefined` for CreateKey, ListKeys and DeleteAlias (whose alias names the key).
 */
export function keyMemberOf(op: OperationName): 'KeyId' | 'TargetKeyId' | undefined {
  if (op === 'CreateAlias') return 'TargetKeyId';
  return op === 'CreateKey' || op === 'ListKeys' || op === 'DeleteAlias' ? undefined : 'KeyId';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MRK = /^mrk-[0-9a-f]{32}$/;
const ALIAS_NAME = /^alias\/[a-zA-Z0-9/_-]+$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const PARTITION = /^aws(-[a-z]+)*$/;

/** Why a value is not a key identifier. */
export type MalformedKeyIdReason =
  | 'empty'
  | 'not-an-identifier'
  | 'bad-arn-structure'
  | 'not-kms-arn'
  | 'bad-partition'
  | 'bad-region'
  | 'bad-account'
  | 'bad-resource';

/** The form of a `KeyId` value. */
export type ParsedKeyIdentifier =
  | { readonly kind: 'key-id'; readonly keyId: string }
  | { readonly kind: 'mrk-id'; readonly keyId: string }
  | { readonly kind: 'key-arn'; readonly keyId: string; readonly partition: string; readonly region: string; readonly accountId: string; readonly arn: string }
  | { readonly kind: 'alias-name'; readonly aliasName: string }
  | { readonly kind: 'alias-arn'; readonly aliasName: string; readonly partition: string; readonly region: string; readonly accountId: string; readonly arn: string }
  | { readonly kind: 'malformed'; readonly reason: MalformedKeyIdReason; readonly arnLike: boolean };

/**
 * Classifies a `KeyId` value by its syntax alone.
 *
 * @example parseKeyIdentifier('mrk-1234abcd12ab34cd56ef1234567890ab').kind // 'mrk-id'
 * @example parseKeyIdentifier('fake-key-id') // { kind: 'malformed', reason: 'not-an-identifier', arnLike: false }
 */
export function parseKeyIdentifier(value: string): ParsedKeyIdentifier {
  if (value.length === 0) return { kind: 'malformed', reason: 'empty', arnLike: false };
  if (UUID.test(value)) return { kind: 'key-id', keyId: value };
  if (MRK.test(value)) return { kind: 'mrk-id', keyId: value };
  if (value.startsWith('alias/')) {
    return ALIAS_NAME.test(value) ? { kind: 'alias-name', aliasName: value } : { kind: 'malformed', reason: 'not-an-identifier', arnLike: false };
  }
  if (!value.startsWith('arn:')) return { kind: 'malformed', reason: 'not-an-identifier', arnLike: false };
  const parts = value.split(':');
  if (parts.length < 6) return { kind: 'malformed', reason: 'bad-arn-structure', arnLike: true };
  const [, partition = '', service = '', region = '', accountId = ''] = parts;
  const resource = parts.slice(5).join(':');
  if (!PARTITION.test(partition)) return { kind: 'malformed', reason: 'bad-partition', arnLike: true };
  if (service !== 'kms') return { kind: 'malformed', reason: 'not-kms-arn', arnLike: true };
  if (!REGION.test(region)) return { kind: 'malformed', reason: 'bad-region', arnLike: true };
  if (!ACCOUNT.test(accountId)) return { kind: 'malformed', reason: 'bad-account', arnLike: true };
  if (resource.startsWith('key/')) {
    const id = resource.slice(4);
    if (UUID.test(id) || MRK.test(id)) return { kind: 'key-arn', keyId: id, partition, region, accountId, arn: value };
    return { kind: 'malformed', reason: 'bad-resource', arnLike: true };
  }
  if (ALIAS_NAME.test(resource)) return { kind: 'alias-arn', aliasName: resource, partition, region, accountId, arn: value };
  return { kind: 'malformed', reason: 'bad-resource', arnLike: true };
}

/**
 * How a `KeyId` resolves.
 * - `found`: the key; `ruleIds` are the acceptance rules involved (`KeyId.keyId`, `KeyId.arn`, …).
 * - `violation`: the identifier breaks `ruleId`; `message` is what AWS sends (§5.1) or, where
 *   undocumented, what the mock sends.
 * - `unspecified`: the contract cannot decide (e.g. a foreign key for DescribeKey).
 */
export type KeyResolution =
  | { readonly kind: 'found'; readonly key: KeyInfo; readonly ruleIds: readonly string[] }
  | { readonly kind: 'violation'; readonly ruleId: string; readonly message: string; readonly respondWith?: { readonly code: string; readonly status: number } }
  | { readonly kind: 'unspecified'; readonly ruleId: string; readonly reason: string; readonly fallback: { readonly code: string; readonly status: number; readonly message: string } };

/** The key of `world` with this id in this Region and account (through `world.lookup` when it has one). */
export function findKey(world: World, keyId: string, region: string, accountId: string): KeyInfo | undefined {
  if (world.lookup !== undefined) return world.lookup.key(keyId, region, accountId);
  return world.keys.find((k) => k.keyId === keyId && k.region === region && k.accountId === accountId);
}

/** The alias of `world` with this name (through `world.lookup` when it has one). */
export function findAlias(world: World, name: string): AliasInfo | undefined {
  if (world.lookup !== undefined) return world.lookup.alias(name);
  return world.aliases.find((a) => a.name === name);
}

function keysWithId(world: World, keyId: string): readonly KeyInfo[] {
  return world.lookup !== undefined ? world.lookup.keysWithId(keyId) : world.keys.filter((k) => k.keyId === keyId);
}

function resolveAlias(world: World, alias: AliasInfo | undefined): KeyInfo | undefined {
  if (!alias) return undefined;
  return findKey(world, alias.targetKeyId, world.region, world.accountId);
}

/**
 * Resolves `value` (a request's `KeyId`) in `world` for `op`: the key, or the rule the identifier
 * breaks with AWS's message. Only DescribeKey accepts aliases (B1 DescribeKey KeyId doc).
 *
 * @example resolveKey('fake-key-id', world, 'PutKeyPolicy') // violation KeyId.malformed, "Invalid keyId 'fake-key-id'"
 */
export function resolveKey(value: string, world: World, op: OperationName): KeyResolution {
  const parsed = parseKeyIdentifier(value);
  const here = (id: string): string => keyArn(id, world.region, world.accountId, world.partition);
  switch (parsed.kind) {
    case 'malformed': {
      // A key id in upper or mixed case: hex digits, so perhaps a key id KMS reads without regard
      // to case. Undocumented (decision 0504): unspecified when it names an existing key.
      const lower = value.toLowerCase();
      if (lower !== value && (UUID.test(lower) || MRK.test(lower)) && findKey(world, lower, world.region, world.accountId)) {
        return {
          kind: 'unspecified',
          ruleId: 'KeyId.malformed',
          reason: `KeyId '${value}' is key id ${lower} in another case; whether KMS matches key ids without regard to case is not documented.`,
          fallback: { code: 'NotFoundException', status: 400, message: invalidKeyIdMessage(value) },
        };
      }
      return parsed.arnLike
        ? { kind: 'violation', ruleId: 'KeyId.malformedArn', message: invalidArnMessage(value), respondWith: { code: 'InvalidArnException', status: 400 } }
        : { kind: 'violation', ruleId: 'KeyId.malformed', message: invalidKeyIdMessage(value), respondWith: { code: 'NotFoundException', status: 400 } };
    }
    case 'key-id':
    case 'mrk-id': {
      const formRule = parsed.kind === 'key-id' ? 'KeyId.keyId' : 'KeyId.mrk';
      const key = findKey(world, parsed.keyId, world.region, world.accountId);
      if (key) return { kind: 'found', key, ruleIds: [formRule] };
      const elsewhere = keysWithId(world, parsed.keyId).some((k) => k.accountId === world.accountId && k.region !== world.region);
      return { kind: 'violation', ruleId: elsewhere ? 'KeyId.otherRegionKeyId' : 'KeyId.notFound', message: keyNotFoundMessage(here(parsed.keyId)) };
    }
    case 'key-arn': {
      if (parsed.partition !== world.partition) {
        return { kind: 'violation', ruleId: 'KeyId.otherPartition', message: invalidArnMessage(value), respondWith: { code: 'InvalidArnException', status: 400 } };
      }
      if (parsed.region !== world.region) return { kind: 'violation', ruleId: 'KeyId.otherRegionArn', message: invalidArnMessage(parsed.region) };
      const formRules = ['KeyId.arn', ...(MRK.test(parsed.keyId) ? ['KeyId.mrk'] : [])];
      if (parsed.accountId !== world.accountId) {
        const foreign = findKey(world, parsed.keyId, parsed.region, parsed.accountId);
        if (op === 'DescribeKey') {
          if (!foreign) return { kind: 'violation', ruleId: 'KeyId.notFound', message: keyNotFoundMessage(parsed.arn) };
          return {
            kind: 'unspecified',
            ruleId: 'KeyId.otherAccount',
            reason: `DescribeKey on ${parsed.arn} of account ${parsed.accountId}: cross-account use depends on that key's policy, which the contract cannot evaluate for the caller.`,
            fallback: { code: 'AccessDeniedException', status: 400, message: `User is not authorized to perform: kms:DescribeKey on resource: ${parsed.arn}` },
          };
        }
        return {
          kind: 'violation',
          ruleId: 'KeyId.otherAccount',
          message: keyNotFoundMessage(parsed.arn),
          respondWith: { code: 'NotFoundException', status: 400 },
        };
      }
      const key = findKey(world, parsed.keyId, parsed.region, parsed.accountId);
      if (key) return { kind: 'found', key, ruleIds: formRules };
      return { kind: 'violation', ruleId: 'KeyId.notFound', message: keyNotFoundMessage(parsed.arn) };
    }
    case 'alias-name':
    case 'alias-arn': {
      const ruleId = parsed.kind === 'alias-name' ? 'KeyId.alias' : 'KeyId.aliasArn';
      if (op !== 'DescribeKey') return { kind: 'violation', ruleId, message: aliasesNotSupportedMessage(), respondWith: { code: 'InvalidArnException', status: 400 } };
      if (parsed.kind === 'alias-arn') {
        if (parsed.partition !== world.partition) {
          return { kind: 'violation', ruleId: 'KeyId.otherPartition', message: invalidArnMessage(value), respondWith: { code: 'InvalidArnException', status: 400 } };
        }
        if (parsed.region !== world.region) return { kind: 'violation', ruleId: 'KeyId.otherRegionArn', message: invalidArnMessage(parsed.region) };
        if (parsed.accountId !== world.accountId) {
          return {
            kind: 'unspecified',
            ruleId: 'KeyId.otherAccount',
            reason: `DescribeKey on alias ${parsed.arn} of account ${parsed.accountId}: the contract cannot see another account's aliases.`,
            fallback: { code: 'NotFoundException', status: 400, message: aliasNotFoundMessage(parsed.arn) },
          };
        }
      }
      const alias = findAlias(world, parsed.aliasName);
      const key = resolveAlias(world, alias);
      if (key) return { kind: 'found', key, ruleIds: [ruleId] };
      const arn = aliasArn(parsed.aliasName, world.region, world.accountId, world.partition);
      if (parsed.aliasName.startsWith('alias/aws/')) {
        return {
          kind: 'unspecified',
          ruleId: 'KeyId.aliasNotFound',
          reason: `${parsed.aliasName} is a predefined AWS alias: KMS creates the AWS managed key on first use (B1 DescribeKey), which the world does not model.`,
          fallback: { code: 'NotFoundException', status: 400, message: aliasNotFoundMessage(arn) },
        };
      }
      return { kind: 'violation', ruleId: 'KeyId.aliasNotFound', message: aliasNotFoundMessage(arn) };
    }
  }
}
