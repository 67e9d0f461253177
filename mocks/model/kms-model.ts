/**
 * The bundled mock's KMS: in-memory state per account and Region, driven by the contract. For
 * every request it builds a {@link World} from its state, asks the contract's oracle what AWS
 * answers, and only when that answer is success applies the operation. It holds no validation
 * logic of its own.
 */
import type { KeyMetadata } from '@aws-sdk/client-kms';
import { MODEL } from '../../contract/model.ts';
import { expected } from '../../contract/oracle.ts';
import { aliasArn, keyArn } from '../../contract/identities.ts';
import { resolveKey } from '../../contract/keyid.ts';
import { DEFAULT_KEY_POLICY, createPrincipalDirectory } from '../../contract/policy/index.ts';
import type { MutablePrincipalDirectory } from '../../contract/policy/index.ts';
import { KEY_STATES } from '../../contract/types.ts';
import type {
  AcceptedOutcome,
  AliasInfo,
  Caller,
  ContractVersionId,
  Expectation,
  KeyInfo,
  KeyState,
  OperationName,
  OracleRequest,
  World,
} from '../../contract/types.ts';
import { divergeExpectation, divergentKeyResolution, reformatPolicy } from '../divergences.ts';
import { MockConfigError, MockInternalError } from '../errors.ts';
import { resolveMockOptions } from '../options.ts';
import type { MockOptions, ResolvedMockOptions } from '../options.ts';
import { algorithmsFor, partitionOf } from './key-spec.ts';
import { createRng, hex, multiRegionKeyId, uuidV4 } from './rng.ts';
import type { Rng } from './rng.ts';
import { decodeMarker, page } from './markers.ts';
import type { AliasRecord, KeyRecord, KeyVersion, MockSnapshot, RegionState, TagRecord } from './state.ts';
import { DEFAULT_PAGE_SIZE } from '../../contract/rules/index.ts';

/** The oracle's signature; the model calls the contract's `expected` unless a test injects another. */
export type Oracle = (request: OracleRequest, world: World, caller: Caller, version: ContractVersionId) => Expectation;

/**
 * What the model answers for one operation.
 * - `success`: `output` is the operation's output (`undefined` for Unit outputs; timestamps are
 *   `Date`s), `rules` the rules the oracle involved.
 * - `error`: the error to send: `code` (wire `__type`), HTTP `status`, `message`, and the rule.
 */
export type ModelAnswer =
  | { readonly kind: 'success'; readonly output: Readonly<Record<string, unknown>> | undefined; readonly rules: readonly string[] }
  | { readonly kind: 'error'; readonly code: string; readonly status: number; readonly message: string; readonly ruleId: string | undefined };

/** Where a request runs: the Region (from its SigV4 scope, else the model's Region). */
export interface HandleContext {
  readonly region?: string;
}

/** A key to seed directly (any state, origin or manager), bypassing CreateKey. */
export interface SeedKeyInput {
  readonly accountId?: string;
  readonly region?: string;
  /** Fixed key id (UUID, or `mrk-` and 32 hex digits); generated when absent. */
  readonly keyId?: string;
  /** @defaultValue `'PendingImport'` for Origin EXTERNAL, else `'Enabled'` */
  readonly state?: KeyState;
  /** A CreateKey `KeySpec` value. @defaultValue `'SYMMETRIC_DEFAULT'` */
  readonly keySpec?: string;
  /** A CreateKey `KeyUsage` value. @defaultValue `'ENCRYPT_DECRYPT'` */
  readonly keyUsage?: string;
  /**
   * A CreateKey `Origin` value. `EXTERNAL` seeds a key whose default state is `PendingImport`;
   * a `PendingImport` key is always `EXTERNAL` (only keys with imported key material are).
   * @defaultValue `'EXTERNAL'` for state PendingImport, else `'AWS_KMS'`
   */
  readonly origin?: string;
  readonly keyManager?: 'CUSTOMER' | 'AWS';
  /** @defaultValue whether `keyId` starts with `mrk-` */
  readonly multiRegion?: boolean;
  readonly description?: string;
  /** Policy text; the default key policy when absent. */
  readonly policy?: string;
  /** For `PendingDeletion`: days until deletion. @defaultValue 30 */
  readonly pendingWindowInDays?: number;
  readonly createdAt?: Date;
  readonly tags?: readonly TagRecord[];
}

const DAY_MS = 86_400_000;
const KEY_STATE_AFTER_ENABLE: Partial<Record<KeyState, KeyState>> = { Unavailable: 'Unavailable' };

/**
 * The stateful KMS model shared by the MSW handlers, the client-mock adapter and the server.
 *
 * @example
 * ```ts
 * const model = new KmsModel({ seed: 7 });
 * const created = model.handle('CreateKey', {}, model.defaultCaller());
 * ```
 */
export class KmsModel {
  private current: ResolvedMockOptions;
  private given: MockOptions;
  private readonly oracle: Oracle;
  private regions = new Map<string, RegionState>();
  /** The earliest deletion date of a key pending deletion (a lower bound): no scan for expired keys before it. */
  private nextDeletion = Number.POSITIVE_INFINITY;
  private scans = 0;
  private readonly directories = new Map<string, MutablePrincipalDirectory>();
  private idRng: Rng;
  private idDraws = 0;

  constructor(options: MockOptions = {}, oracle: Oracle = expected) {
    this.current = resolveMockOptions(options);
    this.given = options;
    this.oracle = oracle;
    this.idRng = createRng(this.options.seed, 1);
  }

  /** The validated options. */
  get options(): ResolvedMockOptions {
    return this.current;
  }

  /**
   * Switches the fault profile and the divergence profiles while the model runs (the server's
   * admin API uses it); the other options stay. Validated like the constructor's options: throws
   * {@link MockConfigError} and changes nothing for a bad value. Keys and aliases are untouched.
   */
  reconfigure(change: Pick<MockOptions, 'faults' | 'divergences'>): void {
    const next: MockOptions = { ...this.given, ...(change.faults === undefined ? {} : { faults: change.faults }), ...(change.divergences === undefined ? {} : { divergences: change.divergences }) };
    this.current = resolveMockOptions(next);
    this.given = next;
  }

  /** Current time of the model's clock, epoch milliseconds. */
  now(): number {
    return this.options.clock();
  }

  /** The caller unknown access key ids act as: the model account's `role/Admin`, IAM allows `*`. */
  defaultCaller(accountId: string = this.options.accountId): Caller {
    const partition = partitionOf(this.options.region);
    return { arn: `arn:${partition}:iam::${accountId}:role/Admin`, accountId, iam: { kind: 'known', actions: ['*'] } };
  }

  /**
   * The principal directory of an account (created on first use with the `principals` option).
   * Add principals to it to make them exist for the "principals must exist" rule.
   */
  principals(accountId: string = this.options.accountId, region: string = this.options.region): MutablePrincipalDirectory {
    const partition = partitionOf(region);
    const k = `${partition}/${accountId}`;
    let d = this.directories.get(k);
    if (!d) {
      d = createPrincipalDirectory({ accountId, partition, principals: this.options.principals });
      this.directories.set(k, d);
    }
    return d;
  }

  // -------------------------------------------------------------------------------------------
  // Views
  // -------------------------------------------------------------------------------------------

  private region(accountId: string, region: string): RegionState {
    const k = `${accountId}/${region}`;
    let r = this.regions.get(k);
    if (!r) {
      r = { keys: new Map(), aliases: new Map() };
      this.regions.set(k, r);
    }
    return r;
  }

  /**
   * How many times the model went over every key of a Region (building `world().keys`, listing
   * keys, looking for keys whose deletion date passed). Deciding a request about one key does not;
   * tests and the benchmark read this to show the cost of a request does not grow with the keys.
   */
  get keyScans(): number {
    return this.scans;
  }

  /** Keys visible at `asOf` (the latest version written at or before it). */
  private keysAt(state: RegionState, asOf: number): KeyRecord[] {
    this.scans++;
    const out: KeyRecord[] = [];
    for (const versions of state.keys.values()) {
      let visible: KeyVersion | undefined;
      for (const v of versions) if (v.at <= asOf) visible = v;
      if (visible?.key) out.push(visible.key);
    }
    return out;
  }

  /**
   * The {@link World} the oracle sees for an account and Region. `asOf` (epoch ms) gives the state
   * as it was then (read lag); the current state by default.
   */
  world(accountId: string = this.options.accountId, region: string = this.options.region, asOf?: number): World {
    this.expireDeletions();
    const at = asOf ?? Number.POSITIVE_INFINITY;
    const state = this.region(accountId, region);
    const regions = this.regions;
    const info = (s: RegionState | undefined, keyId: string): KeyInfo | undefined => {
      const k = versionAt(s?.keys.get(keyId), at);
      return k === undefined ? undefined : toKeyInfo(k);
    };
    // An alias counts while its key exists here (aliases of deleted keys go with them).
    const aliasHere = (a: AliasRecord): boolean => versionAt(state.keys.get(a.targetKeyId), at) !== undefined;
    const aliasInfo = (a: AliasRecord): AliasInfo => ({ name: a.name, arn: a.arn, targetKeyId: a.targetKeyId });
    let keys: KeyInfo[] | undefined;
    let aliases: AliasInfo[] | undefined;
    const every = (s: RegionState): KeyRecord[] => this.keysAt(s, at);
    return {
      partition: partitionOf(region),
      accountId,
      region,
      // Every account's and Region's keys (the oracle tells "in another Region" from "absent",
      // §5.1), built only if someone reads them: deciding a request uses `lookup`.
      get keys(): KeyInfo[] {
        keys ??= [...regions.values()].flatMap(every).map(toKeyInfo);
        return keys;
      },
      get aliases(): AliasInfo[] {
        aliases ??= [...state.aliases.values()].filter(aliasHere).map(aliasInfo);
        return aliases;
      },
      principals: this.principals(accountId, region),
      lookup: {
        key: (keyId, r, a) => info(regions.get(`${a}/${r}`), keyId),
        keysWithId: (keyId) => [...regions.values()].flatMap((s) => info(s, keyId) ?? []),
        alias: (name) => {
          const a = state.aliases.get(name);
          return a !== undefined && aliasHere(a) ? aliasInfo(a) : undefined;
        },
      },
    };
  }

  /** The key record a key id, key ARN, alias name or alias ARN names in a Region, now. */
  private recordOf(state: RegionState, keyId: string): KeyRecord | undefined {
    const alias = state.aliases.get(keyId) ?? [...state.aliases.values()].find((a) => a.arn === keyId);
    const id = alias?.targetKeyId ?? (keyId.startsWith('arn:') ? keyId.slice(keyId.lastIndexOf('/') + 1) : keyId);
    const key = versionAt(state.keys.get(id), Number.POSITIVE_INFINITY);
    return key !== undefined && (alias !== undefined || !keyId.startsWith('arn:') || key.arn === keyId) ? key : undefined;
  }

  /** The KeyMetadata of a key as DescribeKey returns it now, or `undefined` when it does not exist. */
  describe(keyId: string, accountId: string = this.options.accountId, region: string = this.options.region): KeyMetadata | undefined {
    this.expireDeletions();
    const key = this.recordOf(this.region(accountId, region), keyId);
    return key ? keyMetadata(key) : undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Requests
  // -------------------------------------------------------------------------------------------

  /**
   * Handles one operation for `caller`: asks the oracle, answers its first violation (or its
   * fallback when the contract is silent), and applies the operation only on success.
   * Synchronous, so concurrent requests never see half-applied state.
   */
  handle(operation: OperationName, input: Readonly<Record<string, unknown>>, caller: Caller, context: HandleContext = {}): ModelAnswer {
    const region = context.region ?? this.options.region;
    const accountId = caller.accountId;
    const now = this.now();
    const lag = this.options.readLag;
    const asOf = lag.ms > 0 && lag.operations.has(operation) ? now - lag.ms : undefined;
    const world = this.world(accountId, region, asOf);
    // The mock knows which markers it issued; the contract cannot tell from the text (decision 0221).
    const marker = (operation === 'ListKeys' || operation === 'ListAliases') && typeof input.Marker === 'string' ? input.Marker : undefined;
    const request: OracleRequest = marker === undefined ? { operation, input } : { operation, input, context: { markerIssued: decodeMarker(operation as 'ListKeys' | 'ListAliases', marker) !== undefined } };
    const expectation = divergeExpectation(this.oracle(request, world, caller, this.options.contractVersion), this.options.divergences, { operation, input }, world);
    const decision = decide(expectation);
    if (decision.kind === 'error') return decision;

    const output = this.apply(operation, input, { accountId, region, world, at: asOf ?? Number.POSITIVE_INFINITY, now });
    return { kind: 'success', output, rules: expectation.rules };
  }

  private apply(
    operation: OperationName,
    input: Readonly<Record<string, unknown>>,
    ctx: { accountId: string; region: string; world: World; at: number; now: number },
  ): Record<string, unknown> | undefined {
    if (operation === 'CreateKey') {
      const key = this.newKey(
        {
          accountId: ctx.accountId,
          region: ctx.region,
          ...optional('keySpec', str(input.KeySpec) ?? str(input.CustomerMasterKeySpec)),
          ...optional('keyUsage', str(input.KeyUsage)),
          ...optional('origin', str(input.Origin)),
          ...optional('multiRegion', input.MultiRegion === true ? true : undefined),
          ...optional('description', str(input.Description)),
          ...optional('policy', str(input.Policy)),
          ...optional('tags', Array.isArray(input.Tags) ? (input.Tags as TagRecord[]) : undefined),
        },
        ctx.now,
      );
      return { KeyMetadata: keyMetadata(key) };
    }

    const here = this.region(ctx.accountId, ctx.region);
    switch (operation) {
      case 'DeleteAlias':
        here.aliases.delete(String(input.AliasName));
        return undefined;
      case 'ListKeys': {
        const after = typeof input.Marker === 'string' ? decodeMarker('ListKeys', input.Marker) : undefined;
        const limit = typeof input.Limit === 'number' ? input.Limit : DEFAULT_PAGE_SIZE.ListKeys;
        const p = page('ListKeys', this.keysAt(here, ctx.at), (k) => k.keyId, after, limit);
        return { Keys: p.items.map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })), ...(p.nextMarker === undefined ? { Truncated: false } : { NextMarker: p.nextMarker, Truncated: true }) };
      }
      case 'ListAliases': {
        const after = typeof input.Marker === 'string' ? decodeMarker('ListAliases', input.Marker) : undefined;
        const limit = typeof input.Limit === 'number' ? input.Limit : DEFAULT_PAGE_SIZE.ListAliases;
        const keyId = typeof input.KeyId === 'string' ? this.resolved(operation, input.KeyId, ctx).keyId : undefined;
        const mine = [...here.aliases.values()].filter((a) => keyId === undefined || a.targetKeyId === keyId);
        const p = page('ListAliases', mine, (a) => a.name, after, limit);
        return { Aliases: p.items.map(aliasEntry), ...(p.nextMarker === undefined ? { Truncated: false } : { NextMarker: p.nextMarker, Truncated: true }) };
      }
      default:
        break;
    }

    // The contract's own resolver names the key; the oracle has already accepted the identifier.
    const keyIdInput = str(input.KeyId) ?? str(input.TargetKeyId);
    const info = keyIdInput === undefined ? undefined : this.resolved(operation, keyIdInput, ctx);
    const state = this.region(info?.accountId ?? ctx.accountId, info?.region ?? ctx.region);
    const key = info ? versionAt(state.keys.get(info.keyId), ctx.at) : undefined;
    if (!key) {
      throw new MockInternalError(`the oracle accepted ${operation} for KeyId ${JSON.stringify(keyIdInput)}, but the model cannot resolve that key`);
    }
    const write = (next: KeyRecord): void => this.writeKey(state, next, ctx.now);

    switch (operation) {
      case 'PutKeyPolicy':
        write({ ...key, policy: str(input.Policy) ?? key.policy });
        return undefined;
      case 'GetKeyPolicy': {
        const divergences = this.options.divergences;
        const stored = divergences.has('get-policy-default') ? DEFAULT_KEY_POLICY(key.accountId, key.partition) : key.policy;
        const policy = divergences.has('reformat-policy') ? reformatPolicy(stored) : stored;
        return this.options.contractVersion >= '2024-03-18' ? { Policy: policy, PolicyName: 'default' } : { Policy: policy };
      }
      case 'ListKeyPolicies':
        return { PolicyNames: ['default'], Truncated: false };
      case 'DescribeKey':
        return { KeyMetadata: keyMetadata(key) };
      case 'EnableKey': {
        // `state-lost-disable-enable`: enabling a disabled key loses the policy it had.
        const lost = key.state === 'Disabled' && this.options.divergences.has('state-lost-disable-enable');
        write({ ...key, state: KEY_STATE_AFTER_ENABLE[key.state] ?? 'Enabled', ...(lost ? { policy: DEFAULT_KEY_POLICY(key.accountId, key.partition) } : {}) });
        return undefined;
      }
      case 'DisableKey':
        write({ ...key, state: KEY_STATE_AFTER_ENABLE[key.state] ?? 'Disabled' });
        return undefined;
      case 'ScheduleKeyDeletion': {
        const days = typeof input.PendingWindowInDays === 'number' ? input.PendingWindowInDays : 30;
        const deletionDate = ctx.now + days * DAY_MS;
        write({ ...key, state: 'PendingDeletion', deletionDate, pendingWindowInDays: days });
        return { KeyId: key.arn, DeletionDate: new Date(deletionDate), KeyState: 'PendingDeletion', PendingWindowInDays: days };
      }
      case 'CancelKeyDeletion': {
        const { deletionDate: _d, pendingWindowInDays: _p, ...rest } = key;
        write({ ...rest, state: 'Disabled' });
        return { KeyId: key.arn };
      }
      case 'CreateAlias': {
        const name = String(input.AliasName);
        state.aliases.set(name, { name, arn: aliasArn(name, key.region, key.accountId, key.partition), targetKeyId: key.keyId, createdAt: ctx.now });
        return undefined;
      }
      default:
        throw new MockInternalError(`the model has no state change for ${operation}`);
    }
  }

  /** The key a KeyId the oracle accepted names (the contract's own resolver). */
  private resolved(operation: OperationName, keyId: string, ctx: { world: World }): KeyInfo {
    const r = resolveKey(keyId, ctx.world, operation);
    const anyway = r.kind === 'found' ? undefined : divergentKeyResolution(keyId, ctx.world, this.options.divergences);
    if (anyway !== undefined) {
      const key = ctx.world.lookup?.key(anyway.keyId, anyway.region, anyway.accountId);
      if (key !== undefined) return key;
    }
    if (r.kind !== 'found') throw new MockInternalError(`the oracle accepted ${operation} for KeyId ${JSON.stringify(keyId)}, but the model cannot resolve that key`);
    return r.key;
  }

  private writeKey(state: RegionState, key: KeyRecord | null, at: number, keyId?: string): void {
    const id = key?.keyId ?? keyId;
    if (id === undefined) throw new MockInternalError('writeKey without a key id');
    const versions = state.keys.get(id) ?? [];
    versions.push({ at, key });
    if (key?.deletionDate !== undefined && (key.state === 'PendingDeletion' || key.state === 'PendingReplicaDeletion')) this.nextDeletion = Math.min(this.nextDeletion, key.deletionDate);
    // Keep only what a lagged read can still see: versions after the horizon, and the last one before it.
    const horizon = at - this.options.readLag.ms;
    let firstKept = 0;
    for (let i = 0; i < versions.length; i++) if ((versions[i] as KeyVersion).at <= horizon) firstKept = i;
    state.keys.set(id, versions.slice(firstKept));
  }

  private nextKeyId(multiRegion: boolean): string {
    this.idDraws++;
    return multiRegion ? multiRegionKeyId(this.idRng) : uuidV4(this.idRng);
  }

  private newKey(seed: SeedKeyInput & { accountId: string; region: string }, now: number): KeyRecord {
    const partition = partitionOf(seed.region);
    const multiRegion = seed.multiRegion ?? seed.keyId?.startsWith('mrk-') ?? false;
    const keyId = seed.keyId ?? this.nextKeyId(multiRegion);
    const origin = seed.origin ?? 'AWS_KMS';
    const state: KeyState = seed.state ?? (origin === 'EXTERNAL' ? 'PendingImport' : 'Enabled');
    const pending = state === 'PendingDeletion' || state === 'PendingReplicaDeletion';
    const window = seed.pendingWindowInDays ?? 30;
    const record: KeyRecord = {
      keyId,
      arn: keyArn(keyId, seed.region, seed.accountId, partition),
      accountId: seed.accountId,
      region: seed.region,
      partition,
      createdAt: seed.createdAt?.getTime() ?? now,
      description: seed.description ?? '',
      keySpec: seed.keySpec ?? 'SYMMETRIC_DEFAULT',
      keyUsage: seed.keyUsage ?? 'ENCRYPT_DECRYPT',
      origin,
      keyManager: seed.keyManager ?? 'CUSTOMER',
      multiRegion,
      state,
      ...(pending ? { deletionDate: now + window * DAY_MS, pendingWindowInDays: window } : {}),
      policy: seed.policy ?? DEFAULT_KEY_POLICY(seed.accountId, partition),
      // B1: "present for symmetric encryption keys with AWS_KMS or EXTERNAL origin" (EXTERNAL: once material is imported,
      // which the mock does not do); LS recorded none for an HMAC key.
      ...(origin === 'AWS_KMS' && (seed.keySpec ?? 'SYMMETRIC_DEFAULT') === 'SYMMETRIC_DEFAULT' ? { currentKeyMaterialId: keyMaterialId(this.options.seed, keyId) } : {}),
      tags: seed.tags ?? [],
    };
    const state_ = this.region(seed.accountId, seed.region);
    if (state_.keys.has(keyId) && state_.keys.get(keyId)?.at(-1)?.key) {
      throw new MockConfigError('seedKey.keyId', `key ${keyId} already exists in ${seed.accountId}/${seed.region}; pick another id or reset the model.`);
    }
    this.writeKey(state_, record, now);
    return record;
  }

  /**
   * Deletes keys whose deletion date has passed (and their aliases), as KMS does after the waiting
   * period. Goes over the keys only once the earliest known deletion date has come.
   */
  private expireDeletions(): void {
    const now = this.now();
    if (now < this.nextDeletion) return;
    this.scans++;
    let next = Number.POSITIVE_INFINITY;
    for (const state of this.regions.values()) {
      for (const [id, versions] of state.keys) {
        const last = versions.at(-1)?.key;
        if (last?.deletionDate === undefined || (last.state !== 'PendingDeletion' && last.state !== 'PendingReplicaDeletion')) continue;
        if (last.deletionDate > now) {
          next = Math.min(next, last.deletionDate);
          continue;
        }
        this.writeKey(state, null, last.deletionDate, id);
        for (const [name, alias] of state.aliases) if (alias.targetKeyId === id) state.aliases.delete(name);
      }
    }
    this.nextDeletion = next;
  }

  // -------------------------------------------------------------------------------------------
  // Test-author API: seeding, aliases, snapshots
  // -------------------------------------------------------------------------------------------

  /**
   * Adds a key directly, in any state (e.g. `PendingImport` via `origin: 'EXTERNAL'`,
   * `PendingDeletion`, `Unavailable`) or with `keyManager: 'AWS'`. Returns its KeyMetadata.
   */
  seedKey(seed: SeedKeyInput = {}): KeyMetadata {
    const accountId = seed.accountId ?? this.options.accountId;
    const region = seed.region ?? this.options.region;
    if (!/^\d{12}$/.test(accountId)) throw new MockConfigError('seedKey.accountId', `${JSON.stringify(accountId)} is not a 12-digit account id. Example: 111122223333`);
    if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region)) throw new MockConfigError('seedKey.region', `${JSON.stringify(region)} is not a Region name. Example: us-east-1`);
    const key = this.newKey({ ...checkSeed(seed), accountId, region }, this.now());
    return keyMetadata(key);
  }

  /**
   * Creates or repoints an alias directly, for set-up (the CreateAlias operation applies the
   * contract's rules: no repointing, no `alias/aws/` names, no keys pending deletion). `aliasName`
   * is `alias/<name>`; `keyId` a key id or ARN of an existing key in the same account and Region.
   */
  createAlias(aliasName: string, keyId: string, where: { accountId?: string; region?: string } = {}): { name: string; arn: string; targetKeyId: string } {
    const accountId = where.accountId ?? this.options.accountId;
    const region = where.region ?? this.options.region;
    if (!/^alias\/[a-zA-Z0-9/_-]{1,250}$/.test(aliasName)) {
      throw new MockConfigError('createAlias.aliasName', `${JSON.stringify(aliasName)} is not an alias name; use alias/<name> with letters, digits, /, _ and -. Example: alias/my-key`);
    }
    const state = this.region(accountId, region);
    const key = keyId.startsWith('alias/') ? undefined : this.recordOf(state, keyId);
    if (!key) throw new MockConfigError('createAlias.keyId', `no key ${JSON.stringify(keyId)} in ${accountId}/${region}; create or seed the key first.`);
    const now = this.now();
    const previous = state.aliases.get(aliasName);
    const alias: AliasRecord = {
      name: aliasName,
      arn: aliasArn(aliasName, region, accountId, partitionOf(region)),
      targetKeyId: key.keyId,
      createdAt: previous?.createdAt ?? now,
      ...(previous === undefined ? {} : { updatedAt: now }),
    };
    state.aliases.set(aliasName, alias);
    return { name: alias.name, arn: alias.arn, targetKeyId: alias.targetKeyId };
  }

  /** Removes every key and alias (principal additions and options stay). Key ids restart from the seed. */
  reset(): void {
    this.regions = new Map();
    this.nextDeletion = Number.POSITIVE_INFINITY;
    this.idRng = createRng(this.options.seed, 1);
    this.idDraws = 0;
  }

  /** A copy of the whole state, plain data. */
  snapshot(): MockSnapshot {
    return structuredClone({
      format: 'kms-conformance/mock-snapshot@1' as const,
      regions: [...this.regions.entries()].map(([k, s]) => {
        const [accountId = '', region = ''] = k.split('/');
        return { accountId, region, keys: [...s.keys.entries()], aliases: [...s.aliases.values()] };
      }),
      idDraws: this.idDraws,
    });
  }

  /** Replaces the state with a snapshot taken by {@link KmsModel.snapshot}. */
  restore(snapshot: MockSnapshot): void {
    if (snapshot?.format !== 'kms-conformance/mock-snapshot@1') {
      throw new MockConfigError('restore', 'expects a snapshot returned by KmsModel.snapshot() (format kms-conformance/mock-snapshot@1).');
    }
    const copy = structuredClone(snapshot);
    const regions = new Map<string, RegionState>();
    for (const r of copy.regions) {
      regions.set(`${r.accountId}/${r.region}`, {
        keys: new Map(r.keys.map(([id, versions]) => [id, [...versions]])),
        aliases: new Map(r.aliases.map((a) => [a.name, a])),
      });
    }
    this.regions = regions;
    this.nextDeletion = Number.NEGATIVE_INFINITY; // look for expired keys on the next request
    // Replay the id stream so ids after a restore are the ones that followed the snapshot.
    this.idRng = createRng(this.options.seed, 1);
    this.idDraws = 0;
    for (let i = 0; i < copy.idDraws; i++) this.nextKeyId(false);
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const CREATE_KEY = MODEL.operations.CreateKey.input;
const enumOf = (member: string): readonly string[] => CREATE_KEY[member]?.enum ?? [];

/**
 * Checks a {@link SeedKeyInput} from a caller (TypeScript or not: the admin API passes JSON) and
 * fills in the origin of a PendingImport key. Throws {@link MockConfigError} naming the field, the
 * value and the values allowed.
 */
export function checkSeed(seed: SeedKeyInput): SeedKeyInput {
  const oneOf = (field: string, value: unknown, allowed: readonly string[], example: string): void => {
    if (value !== undefined && (typeof value !== 'string' || !allowed.includes(value))) {
      throw new MockConfigError(`seedKey.${field}`, `${JSON.stringify(value)} is not one of ${allowed.join(', ')}. Example: ${field}: '${example}'`);
    }
  };
  oneOf('state', seed.state, KEY_STATES, 'Disabled');
  oneOf('origin', seed.origin, enumOf('Origin'), 'EXTERNAL');
  oneOf('keySpec', seed.keySpec, enumOf('KeySpec'), 'SYMMETRIC_DEFAULT');
  oneOf('keyUsage', seed.keyUsage, enumOf('KeyUsage'), 'ENCRYPT_DECRYPT');
  oneOf('keyManager', seed.keyManager, ['CUSTOMER', 'AWS'], 'AWS');
  if (seed.keyId !== undefined && (typeof seed.keyId !== 'string' || !/^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/.test(seed.keyId))) {
    throw new MockConfigError('seedKey.keyId', `${JSON.stringify(seed.keyId)} is not a key id; use a lower-case UUID or mrk- and 32 hex digits, or leave it out. Example: 1234abcd-12ab-34cd-56ef-1234567890ab`);
  }
  if (seed.multiRegion !== undefined && seed.keyId !== undefined && seed.multiRegion !== seed.keyId.startsWith('mrk-')) {
    throw new MockConfigError('seedKey.multiRegion', `is ${String(seed.multiRegion)}, but key id ${seed.keyId} is ${seed.keyId.startsWith('mrk-') ? '' : 'not '}a multi-Region key id (mrk-…). Leave multiRegion out to follow the key id.`);
  }
  if (seed.pendingWindowInDays !== undefined && (!Number.isInteger(seed.pendingWindowInDays) || seed.pendingWindowInDays < 7 || seed.pendingWindowInDays > 30)) {
    throw new MockConfigError('seedKey.pendingWindowInDays', `must be a whole number of days from 7 to 30, got ${JSON.stringify(seed.pendingWindowInDays)}.`);
  }
  if (seed.state === 'PendingImport') {
    if (seed.origin !== undefined && seed.origin !== 'EXTERNAL') {
      throw new MockConfigError(
        'seedKey.origin',
        `${JSON.stringify(seed.origin)} with state 'PendingImport': only keys with imported key material (Origin EXTERNAL) are ever PendingImport. Leave origin out, or use origin: 'EXTERNAL'.`,
      );
    }
    return { ...seed, origin: 'EXTERNAL' };
  }
  return seed;
}

/** A 64-hex key material id derived from the seed and the key id (so it does not shift the key-id stream). */
function keyMaterialId(seed: number, keyId: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < keyId.length; i++) h = Math.imul(h ^ keyId.charCodeAt(i), 0x01000193) >>> 0;
  return hex(createRng(seed ^ h, 4), 64);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function optional<K extends string, V>(k: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [k]: v }) as { [P in K]?: V };
}

/** Finds the key a KeyId names: key id, key ARN, alias name or alias ARN. Lookup only; the oracle has already decided the identifier is acceptable. */
export function findKey(keys: readonly KeyRecord[], aliases: readonly AliasRecord[], keyId: string): KeyRecord | undefined {
  let id = keyId;
  const alias = aliases.find((a) => a.name === keyId || a.arn === keyId);
  if (alias) id = alias.targetKeyId;
  return keys.find((k) => k.keyId === id || k.arn === id);
}

/** The version of a key visible at `at` (the last written at or before it), or `undefined` (absent or deleted). */
function versionAt(versions: readonly KeyVersion[] | undefined, at: number): KeyRecord | undefined {
  if (versions === undefined) return undefined;
  for (let i = versions.length - 1; i >= 0; i--) {
    const v = versions[i]!;
    if (v.at <= at) return v.key ?? undefined;
  }
  return undefined;
}

/** An alias as ListAliases answers it. Timestamps are `Date`s. */
function aliasEntry(a: AliasRecord): Record<string, unknown> {
  return { AliasName: a.name, AliasArn: a.arn, TargetKeyId: a.targetKeyId, CreationDate: new Date(a.createdAt), LastUpdatedDate: new Date(a.updatedAt ?? a.createdAt) };
}

function toKeyInfo(k: KeyRecord): KeyInfo {
  return { keyId: k.keyId, arn: k.arn, accountId: k.accountId, region: k.region, state: k.state, keyManager: k.keyManager, multiRegion: k.multiRegion, policy: k.policy };
}

/** KeyMetadata as DescribeKey and CreateKey return it (contract notes §9.1). Timestamps are `Date`s. */
export function keyMetadata(k: KeyRecord): KeyMetadata {
  const pending = k.state === 'PendingDeletion' || k.state === 'PendingReplicaDeletion';
  return {
    AWSAccountId: k.accountId,
    KeyId: k.keyId,
    Arn: k.arn,
    CreationDate: new Date(k.createdAt),
    Enabled: k.state === 'Enabled',
    Description: k.description,
    KeyUsage: k.keyUsage,
    KeyState: k.state,
    ...(pending && k.deletionDate !== undefined ? { DeletionDate: new Date(k.deletionDate) } : {}),
    Origin: k.origin,
    KeyManager: k.keyManager,
    CustomerMasterKeySpec: k.keySpec,
    KeySpec: k.keySpec,
    ...algorithmsFor(k.keySpec, k.keyUsage),
    MultiRegion: k.multiRegion,
    ...(k.multiRegion
      ? { MultiRegionConfiguration: { MultiRegionKeyType: 'PRIMARY', PrimaryKey: { Arn: k.arn, Region: k.region }, ReplicaKeys: [] } }
      : {}),
    ...(pending && k.pendingWindowInDays !== undefined ? { PendingDeletionWindowInDays: k.pendingWindowInDays } : {}),
    ...(k.currentKeyMaterialId !== undefined ? { CurrentKeyMaterialId: k.currentKeyMaterialId } : {}),
    // The record holds the SDK's enum values as strings (checkSeed and the contract's enums admit no others).
  } as unknown as KeyMetadata;
}

/** Picks the answer the mock sends for an expectation (issue 3: first violation, first outcome). */
export function decide(e: Expectation): { kind: 'success' } | Extract<ModelAnswer, { kind: 'error' }> {
  if (e.kind === 'unspecified') {
    return fromOutcome(e.fallback.outcome, e.fallback.message, e.rules[0]);
  }
  const v = e.violations[0];
  if (v !== undefined) {
    if (v.respondWith) return { kind: 'error', code: v.respondWith.code, status: v.respondWith.status, message: v.message, ruleId: v.ruleId };
    const first = v.outcomes[0];
    if (first === undefined) throw new MockInternalError(`rule ${v.ruleId} has no accepted outcome`);
    return fromOutcome(first, v.message, v.ruleId);
  }
  if (e.outcomes.some((o) => o.kind === 'success')) return { kind: 'success' };
  const first = e.outcomes[0];
  if (first === undefined) throw new MockInternalError('the oracle decided a request with no accepted outcome');
  return fromOutcome(first, '', e.rules[0]);
}

function fromOutcome(o: AcceptedOutcome, message: string, ruleId: string | undefined): { kind: 'success' } | Extract<ModelAnswer, { kind: 'error' }> {
  if (o.kind === 'success') return { kind: 'success' };
  // '*' means "any error" (the source names none); decision 0303: the mock sends ValidationException.
  const code = o.code === '*' ? 'ValidationException' : o.code;
  return { kind: 'error', code, status: o.statuses[0] ?? 400, message, ruleId };
}
