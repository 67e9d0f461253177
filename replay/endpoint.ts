/**
 * Any endpoint as a target (an emulator, a vendor's service, AWS, the bundled mock's server):
 * every key, alias and state a case needs is built through the API itself, exactly as it would
 * be against AWS (CreateKey with `MultiRegion` or `Origin: EXTERNAL`, DisableKey,
 * ScheduleKeyDeletion, CreateAlias), and checked with DescribeKey before the case is sent.
 *
 * Keys live in a pool: created on first need, leased to one case at a time, and given back. A
 * case that may have changed its key (a mutating operation that was not cleanly refused) has the
 * key restored (state and default policy) and the restore checked, or the key is retired. Cases
 * that may lock the caller out get fresh keys that are never reused. Every key carries a
 * description naming the run and is scheduled for deletion (7 days) at the end.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { KMSClient } from '@aws-sdk/client-kms';
import { keyArn } from '../contract/identities.ts';
import { DEFAULT_KEY_POLICY } from '../contract/policy/index.ts';
import { samePolicyText } from '../contract/transitions.ts';
import type { KeyState } from '../contract/types.ts';
import type { GeneratorContext } from '../generators/context.ts';
import type { KeySetup, RequestSetup } from '../generators/request-case.ts';
import type { CleanupInfo, SetupRecord, TargetInfo } from '../scoring/results.ts';
import { observe } from '../scoring/verdict.ts';
import type { Lease, LeaseNeeds, LeaseRefusal, OpenTarget } from './target.ts';
import { httpSender, runClient, sendSdk, type Exchange, type HttpSender, type RunCredentials } from './transports.ts';

/** States the API can put a key in (the others happen only inside AWS). */
const BUILDABLE: ReadonlySet<KeyState> = new Set(['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport']);

/** Deletion window for every key the run schedules (the shortest KMS allows). */
export const CLEANUP_WINDOW_DAYS = 7;

/** Answers that say the target does not have an operation at all. */
export function isUnsupported(ex: Exchange): boolean {
  const r = ex.response;
  if (r === undefined) return false;
  if (r.status === 501) return true;
  const o = observe(r);
  const text = `${o.code ?? ''} ${o.message ?? ''} ${r.body.slice(0, 300)}`;
  return /UnknownOperation|NotImplemented|UnsupportedOperation|InvalidAction|not (yet )?implemented|not supported|unknown operation/i.test(text) && !(r.status >= 200 && r.status < 300);
}

function describeFailure(op: string, ex: Exchange): string {
  if (ex.response === undefined) return `${op} got no answer (${ex.failure ?? 'unknown'})`;
  const o = observe(ex.response);
  return `${op} answered ${ex.response.status}${o.code ? ` ${o.code}` : ''}${o.message ? `: ${o.message}` : ''}`;
}

const ok = (ex: Exchange): boolean => ex.response !== undefined && ex.response.status >= 200 && ex.response.status < 300;

/** A key the run created. */
interface PoolKey {
  readonly keyId: string;
  readonly arn: string;
  readonly region: string;
  readonly multiRegion: boolean;
  /** The state the pool keeps it in (its class). */
  readonly state: KeyState;
  readonly external: boolean;
  retired: boolean;
  /** A lockout case used it: the caller may no longer manage it. */
  lockedOut: boolean;
}

/** Options of {@link openEndpoint}. */
export interface EndpointOptions {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: RunCredentials;
  readonly runId: string;
  /** Keys the run may create at most. */
  readonly maxKeys: number;
  /** How long set-up waits for a change to show. */
  readonly convergeTimeoutMs: number;
  /** Builds the run's context once the account, Region and partition are known. */
  readonly context: (found: { accountId: string; region: string; partition: string }) => GeneratorContext;
  readonly remote: boolean;
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  /** The body limit to score against. @defaultValue 1 MiB */
  readonly maxBodyBytes?: number;
  readonly name?: string;
}

/** The target could not be reached or could not create a key: the run cannot start. */
export class TargetUnavailableError extends Error {
  override readonly name = 'TargetUnavailableError';
}

const ARN = /^arn:([a-z0-9-]+):kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/;

/**
 * Opens an endpoint: creates the first key (discovering account, Region and partition from its
 * ARN), and returns the target.
 *
 * @throws TargetUnavailableError when the first CreateKey fails.
 */
export async function openEndpoint(o: EndpointOptions): Promise<OpenTarget> {
  const clients = new Map<string, KMSClient>();
  const clientFor = (region: string): KMSClient => {
    let c = clients.get(region);
    if (!c) clients.set(region, (c = runClient({ endpoint: o.endpoint, region, credentials: o.credentials, ...(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }) })));
    return c;
  };
  const description = `kms-conformance run ${o.runId}: created for a conformance run; scheduled for deletion when the run ends`;
  const created: PoolKey[] = [];
  // Keys being created now, or that leased cases may still create themselves: counted against
  // --max-keys with the keys created, so concurrent cases never take the run past it.
  let reserved = 0;
  const budgetLeft = (): number => o.maxKeys - created.length - reserved;
  const idle = new Map<string, PoolKey[]>();
  const unsupported = new Map<string, string>();
  let aliasCounter = 0;

  // Discovery.
  const first = await sendSdk(clientFor(o.region), 'CreateKey', { Description: description });
  const arn = (first.output?.KeyMetadata as { Arn?: string } | undefined)?.Arn;
  const m = arn === undefined ? null : ARN.exec(arn);
  if (!ok(first) || m === null) {
    for (const c of clients.values()) c.destroy();
    const why = ok(first) ? `its answer has no key ARN (KeyMetadata.Arn ${JSON.stringify(arn)})` : describeFailure('CreateKey', first);
    throw new TargetUnavailableError(`cannot start a run against ${o.endpoint}: the first CreateKey failed: ${why}. Check that the endpoint is up and speaks the KMS JSON protocol (try: aws kms create-key --endpoint-url ${o.endpoint}).`);
  }
  const [, partition, region, accountId] = m as unknown as [string, string, string, string];
  const ctx = o.context({ accountId, region, partition });
  const firstKey: PoolKey = { keyId: (first.output!.KeyMetadata as { KeyId: string }).KeyId, arn: arn!, region, multiRegion: false, state: 'Enabled', external: false, retired: false, lockedOut: false };
  created.push(firstKey);
  idle.set(classOf('Enabled', false, region, false), [firstKey]);
  const raw: HttpSender = httpSender(o.endpoint, { sign: { credentials: o.credentials, region }, ...(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }) });
  const defaultPolicy = DEFAULT_KEY_POLICY(ctx.accountId, ctx.partition);

  function classOf(state: KeyState, multiRegion: boolean, keyRegion: string, external: boolean): string {
    return `${state}|${multiRegion}|${keyRegion}|${external}`;
  }

  async function call(op: string, input: Record<string, unknown>, keyRegion: string): Promise<Exchange & { output?: Record<string, unknown> }> {
    const ex = await sendSdk(clientFor(keyRegion), op, input);
    if (isUnsupported(ex)) unsupported.set(op, describeFailure(op, ex));
    return ex;
  }

  /** DescribeKey until the key shows `state`, within the converge timeout. */
  async function waitState(k: PoolKey, state: KeyState): Promise<string | undefined> {
    const deadline = Date.now() + o.convergeTimeoutMs;
    let last = '';
    for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
      const ex = await call('DescribeKey', { KeyId: k.keyId }, k.region);
      const seen = (ex.output?.KeyMetadata as { KeyState?: string } | undefined)?.KeyState;
      if (ok(ex) && seen === state) return undefined;
      last = ok(ex) ? `DescribeKey says ${seen}` : describeFailure('DescribeKey', ex);
      if (Date.now() + delay > deadline) return `key ${k.keyId} did not show state ${state} within ${o.convergeTimeoutMs} ms (last: ${last})`;
      await sleep(delay);
    }
  }

  /** Moves a key to `want` through the API (at most four steps), then waits until it shows. */
  async function ensureState(k: PoolKey, current: KeyState, want: KeyState): Promise<string | undefined> {
    let state = current;
    for (let step = 0; step < 4 && state !== want; step++) {
      let op: string;
      let next: KeyState;
      if (state === 'PendingDeletion') [op, next] = ['CancelKeyDeletion', k.external ? 'PendingImport' : 'Disabled'];
      else if (want === 'PendingDeletion') [op, next] = ['ScheduleKeyDeletion', 'PendingDeletion'];
      else if (want === 'Disabled' && state === 'Enabled') [op, next] = ['DisableKey', 'Disabled'];
      else if (want === 'Enabled' && state === 'Disabled') [op, next] = ['EnableKey', 'Enabled'];
      else return `cannot move key ${k.keyId} from ${state} to ${want} through the API`;
      if (unsupported.has(op)) return `the target lacks ${op} (${unsupported.get(op)}), needed to put a key in state ${want}`;
      const ex = await call(op, op === 'ScheduleKeyDeletion' ? { KeyId: k.keyId, PendingWindowInDays: CLEANUP_WINDOW_DAYS } : { KeyId: k.keyId }, k.region);
      if (unsupported.has(op)) return `the target lacks ${op} (${unsupported.get(op)}), needed to put a key in state ${want}`;
      if (!ok(ex)) return `${describeFailure(op, ex)} while moving key ${k.keyId} from ${state} to ${want}`;
      state = next;
    }
    if (state !== want) return `cannot move key ${k.keyId} to ${want}`;
    return current === want ? undefined : waitState(k, want);
  }

  async function createKey(spec: KeySetup, keyRegion: string): Promise<PoolKey | LeaseRefusal> {
    if (budgetLeft() <= 0) return { kind: 'skip', reason: `the run reached --max-keys ${o.maxKeys}; raise it to run this case` };
    const external = spec.state === 'PendingImport';
    const input: Record<string, unknown> = { Description: description, ...(spec.multiRegion ? { MultiRegion: true } : {}), ...(external ? { Origin: 'EXTERNAL' } : {}) };
    reserved++;
    let ex: Awaited<ReturnType<typeof call>>;
    try {
      ex = await call('CreateKey', input, keyRegion);
    } finally {
      reserved--;
    }
    const meta = ex.output?.KeyMetadata as { KeyId?: string; Arn?: string } | undefined;
    if (!ok(ex) || meta?.KeyId === undefined || meta.Arn === undefined) {
      const what = spec.multiRegion ? 'a multi-Region key' : external ? 'a key with Origin EXTERNAL' : keyRegion !== region ? `a key in ${keyRegion}` : 'a key';
      return isUnsupported(ex) || (ex.response?.status ?? 0) === 400
        ? { kind: 'skip', reason: `the target cannot create ${what}: ${describeFailure('CreateKey', ex)}` }
        : { kind: 'error', reason: `set-up could not create ${what}: ${describeFailure('CreateKey', ex)}` };
    }
    const k: PoolKey = { keyId: meta.KeyId, arn: meta.Arn, region: keyRegion, multiRegion: spec.multiRegion, state: spec.state, external, retired: false, lockedOut: false };
    created.push(k);
    const initial: KeyState = external ? 'PendingImport' : 'Enabled';
    const wait = await waitState(k, initial);
    if (wait !== undefined) return { kind: 'error', reason: `set-up: ${wait}` };
    if (spec.state !== initial) {
      const moved = await ensureState(k, initial, spec.state);
      if (moved !== undefined) {
        k.retired = true;
        return { kind: /lacks|cannot move/.test(moved) ? 'skip' : 'error', reason: moved };
      }
    }
    return k;
  }

  async function acquire(spec: KeySetup, needs: LeaseNeeds): Promise<PoolKey | LeaseRefusal> {
    if (!BUILDABLE.has(spec.state)) return { kind: 'skip', reason: `a key in state ${spec.state} cannot be made through the API (only AWS puts keys in it)` };
    if (spec.keyManager === 'AWS') return { kind: 'skip', reason: 'an AWS managed key cannot be created through the API' };
    const keyRegion = spec.region ?? region;
    const cls = classOf(spec.state, spec.multiRegion, keyRegion, spec.state === 'PendingImport');
    const fresh = needs.lockout || spec.policy !== undefined;
    if (!fresh) {
      const free = idle.get(cls);
      const k = free?.pop();
      if (k) return k;
    }
    const k = await createKey(spec, keyRegion);
    if ('kind' in k) return k;
    if (spec.policy !== undefined) {
      const ex = await call('PutKeyPolicy', { KeyId: k.keyId, PolicyName: 'default', Policy: spec.policy, BypassPolicyLockoutSafetyCheck: true }, k.region);
      k.retired = true;
      k.lockedOut = true;
      if (!ok(ex)) return { kind: 'error', reason: `set-up could not give key ${k.keyId} its policy: ${describeFailure('PutKeyPolicy', ex)}` };
    }
    return k;
  }

  /** Puts the key back the way the pool keeps it; retires it when that fails. */
  async function restore(k: PoolKey): Promise<void> {
    if (k.retired) return;
    const d = await call('DescribeKey', { KeyId: k.keyId }, k.region);
    const state = (d.output?.KeyMetadata as { KeyState?: KeyState } | undefined)?.KeyState;
    if (!ok(d) || state === undefined) {
      k.retired = true;
      return;
    }
    const moved = await ensureState(k, state, k.state === 'PendingDeletion' ? 'PendingDeletion' : k.state);
    if (moved !== undefined) {
      k.retired = true;
      return;
    }
    if (k.state === 'Enabled' || k.state === 'Disabled') {
      const get = await call('GetKeyPolicy', { KeyId: k.keyId, PolicyName: 'default' }, k.region);
      const policy = typeof get.output?.Policy === 'string' ? get.output.Policy : undefined;
      if (!ok(get) || policy === undefined) {
        k.retired = true;
        return;
      }
      if (!samePolicy(policy, defaultPolicy)) {
        const put = await call('PutKeyPolicy', { KeyId: k.keyId, PolicyName: 'default', Policy: defaultPolicy }, k.region);
        const check = ok(put) ? await call('GetKeyPolicy', { KeyId: k.keyId, PolicyName: 'default' }, k.region) : undefined;
        if (check === undefined || !ok(check) || typeof check.output?.Policy !== 'string' || !samePolicy(check.output.Policy, defaultPolicy)) k.retired = true;
      }
    }
  }

  /** The lease of the target below: builds the set-up; the `own` keys the case may create itself are reserved by the caller. */
  async function buildLease(setup: RequestSetup, needs: LeaseNeeds, own: number): Promise<Lease | LeaseRefusal> {
    if (setup.aliases.length > 0 && unsupported.has('CreateAlias')) return { kind: 'skip', reason: `the target lacks CreateAlias (${unsupported.get('CreateAlias')})` };
    for (const a of setup.aliases) if (a.name.startsWith('alias/aws/')) return { kind: 'skip', reason: `${a.name} is an AWS managed alias; it cannot be created through the API` };
    const got: { spec: KeySetup; key: PoolKey }[] = [];
    const giveBack = async (dirty: boolean): Promise<void> => {
      for (const g of got) {
        if (dirty || needs.lockout) {
          if (needs.lockout) g.key.retired = true;
          await restore(g.key);
        }
        if (!g.key.retired) {
          const cls = classOf(g.key.state, g.key.multiRegion, g.key.region, g.key.external);
          idle.set(cls, [...(idle.get(cls) ?? []), g.key]);
        }
      }
    };
    for (const spec of setup.keys) {
      const k = await acquire(spec, needs);
      if ('kind' in k) {
        await giveBack(false);
        return k;
      }
      if (needs.lockout) k.lockedOut = true;
      got.push({ spec, key: k });
    }
    let ownLeft = own;
    const pairs: [string, string][] = got.map((g) => [g.spec.keyId, g.key.keyId]);
    const aliases: { name: string; targetKeyId: string }[] = [];
    for (const a of setup.aliases) {
      const real = got.find((g) => g.spec.keyId === a.targetKeyId)?.key;
      const name = `alias/kmsc-${o.runId}-${++aliasCounter}`;
      const ex = await call('CreateAlias', { AliasName: name, TargetKeyId: real?.keyId ?? a.targetKeyId }, region);
      if (!ok(ex)) {
        for (const done of aliases) await call('DeleteAlias', { AliasName: done.name }, region);
        await giveBack(false);
        return unsupported.has('CreateAlias') ? { kind: 'skip', reason: `the target lacks CreateAlias (${unsupported.get('CreateAlias')})` } : { kind: 'error', reason: `set-up could not create alias ${name}: ${describeFailure('CreateAlias', ex)}` };
      }
      aliases.push({ name, targetKeyId: real?.keyId ?? a.targetKeyId });
      pairs.push([a.name, name]);
    }
    // Alias names the case itself names (created by it, or expected to be absent): names of their
    // own, of the same length where they are long enough, so length boundaries stay where they were.
    const ownAliases: string[] = [];
    for (const name of needs.aliasNames ?? []) {
      if (setup.aliases.some((a) => a.name === name) || name.startsWith('alias/aws/') || !/^alias\/[A-Za-z0-9/_-]+$/.test(name)) continue;
      const renamed = uniqueAliasName(name, o.runId, ++aliasCounter);
      ownAliases.push(renamed);
      pairs.push([name, renamed]);
    }
    // Longest first: an ARN or alias name is rewritten before any id inside it.
    pairs.sort((a, b) => b[0].length - a[0].length);
    const built: RequestSetup = {
      keys: got.map((g) => ({ ...g.spec, keyId: g.key.keyId, ...(g.key.region === region ? {} : { region: g.key.region }) })),
      aliases,
    };
    const record: SetupRecord = {
      keys: got.map((g) => ({ keyId: g.key.keyId, arn: g.key.arn, region: g.key.region, state: g.spec.state, multiRegion: g.key.multiRegion, keyManager: 'CUSTOMER', ...(g.spec.policy === undefined ? {} : { policy: g.spec.policy }) })),
      aliases,
    };
    return {
      pairs,
      setup: built,
      record,
      sdk: clientFor(region),
      raw: raw.send,
      maxBodyBytes: o.maxBodyBytes ?? 1_048_576,
      adopt(key) {
        if (ownLeft > 0) {
          ownLeft--;
          reserved--;
        }
        const m = ARN.exec(key.arn);
        created.push({ keyId: key.keyId, arn: key.arn, region: m?.[2] ?? region, multiRegion: key.keyId.startsWith('mrk-'), state: 'Enabled', external: false, retired: true, lockedOut: false });
      },
      async release(dirty) {
        reserved -= ownLeft;
        ownLeft = 0;
        try {
          for (const a of aliases) await call('DeleteAlias', { AliasName: a.name }, region);
          // An alias the case created (or a divergent target created when it should not have).
          for (const name of ownAliases) await call('DeleteAlias', { AliasName: name }, region);
          await giveBack(dirty);
        } catch {
          for (const g of got) g.key.retired = true;
        }
      },
    };
  }

  const target: OpenTarget = {
    info: infoOf(o),
    context: ctx,
    concurrency: o.concurrency ?? 4,
    remote: o.remote,
    async lease(setup: RequestSetup, needs: LeaseNeeds): Promise<Lease | LeaseRefusal> {
      // The keys the case may create itself are reserved until it is released (or they are adopted).
      const own = needs.createsKey === true ? Math.max(1, needs.keysCreated ?? 1) : 0;
      if (own > 0 && budgetLeft() < setup.keys.length + own) return { kind: 'skip', reason: `the case creates a key and the run reached --max-keys ${o.maxKeys}; raise it to run this case` };
      reserved += own;
      const lease = await buildLease(setup, needs, own);
      if (!('pairs' in lease)) reserved -= own;
      return lease;
    },
    async close(): Promise<CleanupInfo> {
      const notCleaned: { keyId: string; arn: string; reason: string }[] = [];
      let scheduled = 0;
      for (const k of created) {
        const d = await call('DescribeKey', { KeyId: k.keyId }, k.region);
        const state = (d.output?.KeyMetadata as { KeyState?: string } | undefined)?.KeyState;
        if (ok(d) && state === 'PendingDeletion') {
          scheduled++;
          continue;
        }
        const ex = await call('ScheduleKeyDeletion', { KeyId: k.keyId, PendingWindowInDays: CLEANUP_WINDOW_DAYS }, k.region);
        if (ok(ex)) scheduled++;
        else {
          const why = describeFailure('ScheduleKeyDeletion', ex);
          notCleaned.push({ keyId: k.keyId, arn: k.arn, reason: k.lockedOut ? `${why} (a lockout case may have locked the caller out of it)` : why });
        }
      }
      for (const c of clients.values()) c.destroy();
      raw.close();
      return { created: created.length, scheduledForDeletion: scheduled, notCleaned };
    },
  };
  return target;
}

/**
 * A run-unique alias name for `name`: its tail replaced by a token made of the run id and a
 * counter, keeping the length when the name is long enough (so a name at the 256-character limit
 * stays at it), else `alias/` and the token.
 */
export function uniqueAliasName(name: string, runId: string, n: number): string {
  const token = `k${runId}${n.toString(36)}`;
  return name.length >= 'alias/'.length + token.length ? `${name.slice(0, name.length - token.length)}${token}` : `alias/${token}`;
}

/** Whether two policy texts are the same document (JSON-equal, or the same text). */
export function samePolicy(a: string, b: string): boolean {
  return samePolicyText(a, b);
}

function infoOf(o: EndpointOptions): TargetInfo {
  return { kind: 'endpoint', endpoint: o.endpoint, name: o.name ?? new URL(o.endpoint).host };
}

/** The ARN a key of the context would have (for dry runs, before discovery). */
export function plannedArn(keyId: string, ctx: GeneratorContext): string {
  return keyArn(keyId, ctx.region, ctx.accountId, ctx.partition);
}
