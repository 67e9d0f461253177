/**
 * Targets a suite runs against. For now the bundled mock, served in process (a fresh model per
 * case, reached through the MSW handlers without sockets) or as the loopback HTTP server (one
 * model, reset and seeded before each case). A target builds each case's keys and aliases and
 * checks they are what the oracle's world assumes.
 */
import type { Agent } from 'node:http';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { HttpHandler } from 'msw';
import type { ContractVersionId, World } from '../contract/types.ts';
import type { WireRequest } from '../contract/wire.ts';
import type { GeneratorContext } from '../generators/context.ts';
import { worldFromSetup, type RequestSetup } from '../generators/request-case.ts';
import { kmsHandlers, kmsRequestHandler } from '../mocks/msw.ts';
import { KmsModel } from '../mocks/model/kms-model.ts';
import type { MockOptions } from '../mocks/options.ts';
import { startMockServer, type MockServer } from '../mocks/server.ts';
import { rawAgent, sendRawHttp, sendRawInProcess, suiteClient, type Exchange } from './transports.ts';

/**
 * Where cases go.
 * - `mock` / `in-process`: a fresh {@link KmsModel} per case; the SDK reaches it through
 *   `kmsRequestHandler`, raw bytes through the MSW handlers' `getResponse`. Cases run concurrently.
 * - `mock` / `server`: `startMockServer` on 127.0.0.1, port 0 (or `server`, one you started with
 *   a model of the same contract version); the model is reset before each case, so cases run one
 *   at a time. A server the suite starts, it also stops.
 *
 * `mock` holds the mock's options (e.g. `divergences`); the run sets `contractVersion`, account,
 * Region and principals from the generator context so the mock and the oracle see one world.
 */
export type SuiteTarget =
  | { readonly kind: 'mock'; readonly serving: 'in-process'; readonly mock?: MockOptions }
  | { readonly kind: 'mock'; readonly serving: 'server'; readonly mock?: MockOptions; readonly server?: MockServer };

/** Thrown for options a suite cannot run with (names the option, the value and what to do). */
export class SuiteConfigError extends Error {
  override readonly name = 'SuiteConfigError';
}

/** One case's view of a target: the ways to reach it once its set-up is in place. */
export interface Arranged {
  readonly sdk: KMSClient;
  raw(request: WireRequest): Promise<Exchange>;
  /** Request body limit of the target (the decoder's `maxBodyBytes`). */
  readonly maxBodyBytes: number;
  release(): void;
}

/** A target, opened for one run. */
export interface OpenTarget {
  /** `mock:in-process`, `mock:server`. */
  readonly name: string;
  /** How many cases may run at once. */
  readonly concurrency: number;
  /** Builds the case's keys and aliases; throws {@link SetupError} when it cannot. */
  arrange(setup: RequestSetup): Promise<Arranged>;
  close(): Promise<void>;
}

/** The target could not build a case's set-up (harness trouble, never the target's fault). */
export class SetupError extends Error {
  override readonly name = 'SetupError';
}

const IN_PROCESS_ORIGIN = 'http://kms.conformance.invalid';

function mockOptions(target: SuiteTarget, ctx: GeneratorContext, version: ContractVersionId): MockOptions {
  const given = target.mock ?? {};
  for (const [k, v] of [['accountId', ctx.accountId], ['region', ctx.region]] as const) {
    if (given[k] !== undefined && given[k] !== v) {
      throw new SuiteConfigError(`runCases: target.mock.${k} is ${JSON.stringify(given[k])}, but the cases are generated for ${JSON.stringify(v)}. Leave it out, or generate the cases with a context of that ${k}.`);
    }
  }
  if (given.contractVersion !== undefined && given.contractVersion !== version) {
    throw new SuiteConfigError(`runCases: target.mock.contractVersion is ${JSON.stringify(given.contractVersion)}, but the run scores version ${version}. Leave it out; the run sets it.`);
  }
  return { ...given, contractVersion: version, accountId: ctx.accountId, region: ctx.region, principals: [...ctx.principals, ...(given.principals ?? [])] };
}

/** Seeds a case's keys and aliases into a model, then checks the model's world is the oracle's. */
export function seedSetup(model: KmsModel, setup: RequestSetup, ctx: GeneratorContext): void {
  try {
    for (const k of setup.keys) {
      model.seedKey({ keyId: k.keyId, state: k.state, multiRegion: k.multiRegion, keyManager: k.keyManager ?? 'CUSTOMER', region: k.region ?? ctx.region, accountId: ctx.accountId });
    }
    for (const a of setup.aliases) model.createAlias(a.name, a.targetKeyId, { accountId: ctx.accountId, region: ctx.region });
  } catch (e) {
    throw new SetupError(`cannot seed the case's set-up ${JSON.stringify(setup)}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const diff = worldDifference(worldFromSetup(setup, ctx), model.world(ctx.accountId, ctx.region));
  if (diff !== undefined) throw new SetupError(`the mock's state after set-up is not the world the oracle scores against: ${diff}`);
}

function keyLine(k: World['keys'][number]): string {
  return JSON.stringify([k.keyId, k.arn, k.accountId, k.region, k.state, k.keyManager, k.multiRegion, k.policy]);
}

/** Where two worlds differ in keys or aliases (`undefined` when they agree). */
export function worldDifference(oracle: World, target: World): string | undefined {
  const a = oracle.keys.map(keyLine).sort();
  const b = target.keys.map(keyLine).sort();
  if (JSON.stringify(a) !== JSON.stringify(b)) return `keys ${JSON.stringify(a)} (oracle) vs ${JSON.stringify(b)} (target)`;
  const al = (w: World) => w.aliases.map((x) => JSON.stringify([x.name, x.arn, x.targetKeyId])).sort();
  if (JSON.stringify(al(oracle)) !== JSON.stringify(al(target))) return `aliases ${JSON.stringify(al(oracle))} (oracle) vs ${JSON.stringify(al(target))} (target)`;
  return undefined;
}

function openInProcess(options: MockOptions, ctx: GeneratorContext): OpenTarget {
  return {
    name: 'mock:in-process',
    concurrency: 8,
    async arrange(setup) {
      const model = new KmsModel(options);
      seedSetup(model, setup, ctx);
      const handlers: HttpHandler[] = kmsHandlers({ model, url: IN_PROCESS_ORIGIN });
      const sdk = suiteClient({ endpoint: IN_PROCESS_ORIGIN, region: ctx.region, requestHandler: kmsRequestHandler(handlers) });
      return {
        sdk,
        raw: (r) => sendRawInProcess(handlers, IN_PROCESS_ORIGIN, r),
        maxBodyBytes: model.options.maxBodyBytes,
        release: () => sdk.destroy(),
      };
    },
    async close() {},
  };
}

async function openServer(target: SuiteTarget & { serving: 'server' }, options: MockOptions, ctx: GeneratorContext, version: ContractVersionId): Promise<OpenTarget> {
  const own = target.server === undefined;
  const server = target.server ?? (await startMockServer({ ...options, host: '127.0.0.1', port: 0 }));
  if (server.model.options.contractVersion !== version) {
    throw new SuiteConfigError(`runCases: the given server's model scores contract version ${server.model.options.contractVersion}, but the run scores ${version}. Start it with contractVersion: '${version}'.`);
  }
  // A server started elsewhere: make the context's principals exist there too.
  if (!own) for (const p of ctx.principals) server.model.principals(ctx.accountId, ctx.region).add(p);
  const sdk = suiteClient({ endpoint: server.url, region: ctx.region });
  let agent: Agent | undefined;
  return {
    name: 'mock:server',
    concurrency: 1,
    async arrange(setup) {
      server.model.reset();
      seedSetup(server.model, setup, ctx);
      return {
        sdk,
        raw: (r) => sendRawHttp(server.url, (agent ??= rawAgent()), r),
        maxBodyBytes: server.model.options.maxBodyBytes,
        release: () => {},
      };
    },
    async close() {
      sdk.destroy();
      agent?.destroy();
      if (own) await server.close();
    },
  };
}

/** Opens a target for a run. */
export async function openTarget(target: SuiteTarget, ctx: GeneratorContext, version: ContractVersionId): Promise<OpenTarget> {
  const options = mockOptions(target, ctx, version);
  return target.serving === 'in-process' ? openInProcess(options, ctx) : openServer(target, options, ctx, version);
}
