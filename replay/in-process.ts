/**
 * The default target: the bundled mock in process. Every case gets a fresh model with exactly its
 * keys and aliases seeded (no requests needed for set-up), reached through the same MSW handlers an
 * application team uses, driven by msw's `getResponse` for both transports (no sockets, no
 * interception). Cases run concurrently.
 */
import type { KMSClient } from '@aws-sdk/client-kms';
import type { HttpHandler } from 'msw';
import { DEFAULT_KEY_POLICY } from '../contract/policy/index.ts';
import type { World } from '../contract/types.ts';
import type { GeneratorContext } from '../generators/context.ts';
import { worldFromSetup, type RequestSetup } from '../generators/request-case.ts';
import { createMockHandler, type MockHandler } from '../mocks/handler.ts';
import { kmsRequestHandler, KmsModel, routedKmsHandlers, type MockOptions } from '../mocks/msw.ts';
import type { SetupRecord } from '../scoring/results.ts';
import type { Lease, LeaseRefusal, OpenTarget } from './target.ts';
import { LOOPBACK_CREDENTIALS, runClient, sendInProcess } from './transports.ts';

const ORIGIN = 'http://kms.conformance.invalid';

/** The fields of a key the oracle's world and the mock's must agree on (all of them). */
const KEY_FIELDS = ['keyId', 'arn', 'accountId', 'region', 'state', 'keyManager', 'multiRegion', 'policy'] as const;
/** The fields of an alias they must agree on. */
const ALIAS_FIELDS = ['name', 'arn', 'targetKeyId'] as const;

function keyLine(k: World['keys'][number]): string {
  return JSON.stringify(KEY_FIELDS.map((f) => k[f]));
}

/** Whether two lists hold the same items (any order) by `fields`, compared one by one without building text. */
function sameItems<T>(a: readonly T[], b: readonly T[], fields: readonly (keyof T)[]): boolean {
  if (a.length !== b.length) return false;
  const left = [...b];
  for (const x of a) {
    const i = left.findIndex((y) => fields.every((f) => y[f] === x[f]));
    if (i < 0) return false;
    left.splice(i, 1);
  }
  return true;
}

/** Where two worlds differ in keys or aliases (`undefined` when they agree). */
export function worldDifference(oracle: World, target: World): string | undefined {
  // Every case checks its set-up this way: compare first, and spell the lists out only when they differ.
  if (sameItems(oracle.keys, target.keys, KEY_FIELDS) && sameItems(oracle.aliases, target.aliases, ALIAS_FIELDS)) return undefined;
  const a = oracle.keys.map(keyLine).sort();
  const b = target.keys.map(keyLine).sort();
  if (JSON.stringify(a) !== JSON.stringify(b)) return `keys ${JSON.stringify(a)} (oracle) vs ${JSON.stringify(b)} (target)`;
  const al = (w: World) => w.aliases.map((x) => JSON.stringify(ALIAS_FIELDS.map((f) => x[f]))).sort();
  if (JSON.stringify(al(oracle)) !== JSON.stringify(al(target))) return `aliases ${JSON.stringify(al(oracle))} (oracle) vs ${JSON.stringify(al(target))} (target)`;
  return undefined;
}

/** The set-up as a results record. */
export function setupRecord(setup: RequestSetup, ctx: GeneratorContext): SetupRecord {
  const world = worldFromSetup(setup, ctx);
  const def = DEFAULT_KEY_POLICY(ctx.accountId, ctx.partition);
  return {
    keys: world.keys.map((k) => ({ keyId: k.keyId, arn: k.arn, region: k.region, state: k.state, multiRegion: k.multiRegion, keyManager: k.keyManager, ...(k.policy === def ? {} : { policy: k.policy }) })),
    aliases: setup.aliases.map((a) => ({ name: a.name, targetKeyId: a.targetKeyId })),
  };
}

/**
 * MSW handlers that answer from the model of the case holding them (`slot.mock`). msw's handler
 * constructor records where it was declared (`new Error().stack`, for its own messages): these
 * handlers are never listed or printed, so the stack is left empty while they are built, and they
 * are built once per SDK client, not per case.
 */
function slotHandlers(slot: { mock: MockHandler }): HttpHandler[] {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return routedKmsHandlers(() => slot.mock, ORIGIN);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Opens the bundled mock in process for a run in `ctx` (the mock's account, Region and principals follow it). */
export function openInProcess(ctx: GeneratorContext, mock: MockOptions = {}): OpenTarget {
  const options: MockOptions = {
    ...mock,
    contractVersion: ctx.version,
    accountId: ctx.accountId,
    region: ctx.region,
    principals: [...ctx.principals, ...(mock.principals ?? [])],
  };
  // Validate the options once, before any case runs (a bad divergence name is a usage error).
  const probe = new KmsModel(options);
  const divergences = [...probe.options.divergences];
  // SDK clients and MSW handlers are costly to build: keep one of each per concurrent case, each
  // pointing at the model of the case that holds it.
  interface Slot {
    mock: MockHandler;
    readonly handlers: HttpHandler[];
    readonly sdk: KMSClient;
  }
  const free: Slot[] = [];
  const take = (mock: MockHandler): Slot => {
    const got = free.pop();
    if (got) {
      got.mock = mock;
      return got;
    }
    const slot: { mock: MockHandler } = { mock };
    const handlers = slotHandlers(slot);
    const sdk = runClient({ endpoint: ORIGIN, region: ctx.region, credentials: LOOPBACK_CREDENTIALS, requestHandler: kmsRequestHandler(handlers) });
    return Object.assign(slot, { handlers, sdk });
  };
  return {
    info: { kind: 'mock:in-process', name: divergences.length > 0 ? `mock (${divergences.join(', ')})` : 'mock', ...(divergences.length > 0 ? { divergences } : {}) },
    context: ctx,
    concurrency: 8,
    remote: false,
    async lease(setup): Promise<Lease | LeaseRefusal> {
      const model = new KmsModel(options);
      try {
        for (const k of setup.keys) {
          model.seedKey({
            keyId: k.keyId,
            state: k.state,
            multiRegion: k.multiRegion,
            keyManager: k.keyManager ?? 'CUSTOMER',
            region: k.region ?? ctx.region,
            accountId: ctx.accountId,
            ...(k.state === 'PendingImport' ? { origin: 'EXTERNAL' } : {}),
            ...(k.policy === undefined ? {} : { policy: k.policy }),
          });
        }
        for (const a of setup.aliases) model.createAlias(a.name, a.targetKeyId, { accountId: ctx.accountId, region: ctx.region });
      } catch (e) {
        return { kind: 'error', reason: `cannot seed the case's set-up ${JSON.stringify(setup)}: ${e instanceof Error ? e.message : String(e)}` };
      }
      const diff = worldDifference(worldFromSetup(setup, ctx), model.world(ctx.accountId, ctx.region));
      if (diff !== undefined) return { kind: 'error', reason: `the mock's state after set-up is not the world the oracle scores against: ${diff}` };
      const client = take(createMockHandler(model));
      return {
        pairs: [],
        setup,
        record: setupRecord(setup, ctx),
        sdk: client.sdk,
        raw: (r) => sendInProcess(client.handlers, ORIGIN, r),
        maxBodyBytes: model.options.maxBodyBytes,
        adopt: () => {},
        release: async () => void free.push(client),
      };
    },
    close: async () => {
      for (const c of free.splice(0)) c.sdk.destroy();
      return { created: 0, scheduledForDeletion: 0, notCleaned: [] };
    },
  };
}
