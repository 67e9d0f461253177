/**
 * The fuzz and soak run of the mock server: the server in its own process on 127.0.0.1 (port 0),
 * `concurrency` lanes of raw keep-alive connections mixing every {@link SCENARIOS | scenario}
 * until `requests` requests have been sent, a watchdog that turns a silent connection into a
 * failure, the server's memory after GC before and after, and the register check of the keys the
 * writers shared. `suites/server-fuzz.test.ts` runs it at 100k requests; `npm run soak` at 1M.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import fc from 'fast-check';
import { DEFAULT_GENERATOR_CONTEXT } from '../../generators/context.ts';
import { invalidPolicyArb } from '../../generators/invalid-policy.ts';
import { validPolicyArb } from '../../generators/valid-policy.ts';
import { WIRE_MUTATION_NAMES, wireArb } from '../../generators/wire.ts';
import { startMockServer } from '../../mocks/server.ts';
import type { HttpTimeouts } from '../../mocks/server.ts';
import { Rng, expectWire, httpBytes, judge, kmsBytes } from './answers.ts';
import { Ledger } from './ledger.ts';
import type { LedgerFinding, WriteOutcome } from './ledger.ts';
import { RawConnection } from './raw-client.ts';
import { Lane, SCENARIOS, scenarioPicker } from './scenarios.ts';
import type { Failure, FuzzWorld, LaneSink, WirePoolCase } from './scenarios.ts';
import { startServerProcess } from './server-process.ts';
import type { ServerStats } from './server-process.ts';

/** Options of {@link runSoak}. */
export interface SoakOptions {
  /** Requests to send (at least; the last scenarios may add a few). */
  readonly requests: number;
  /** Lanes working at once, each with its own keep-alive connection. @defaultValue 64 */
  readonly concurrency?: number;
  /** Seed of every choice (printed in the report). @defaultValue 1 */
  readonly seed?: number;
  /** Requests sent before the first memory sample. @defaultValue 10 % of `requests`, at most 20,000 */
  readonly warmup?: number;
  /** Called about every `progressEvery` requests. */
  readonly onProgress?: (requests: number, elapsedMs: number) => void;
  /** @defaultValue 50,000 */
  readonly progressEvery?: number;
  /** Only these scenarios (by name), e.g. to measure one. @defaultValue all of {@link SCENARIOS} */
  readonly scenarios?: readonly string[];
  /** Write a V8 CPU profile of the server process into this directory. */
  readonly serverCpuProfileDir?: string;
}

/** Memory of the server process after two full GCs, in bytes. */
export interface MemorySample {
  readonly rss: number;
  readonly heapUsed: number;
}

/**
 * CPU time spent between the two memory samples, in ms: by the load generator (this process) and
 * by the server process. Unlike wall time it does not depend on what else the machine runs.
 */
export interface CpuFigures {
  readonly clientMs: number;
  readonly serverMs: number;
  /** Requests per second of server CPU time. */
  readonly serverRequestsPerCpuSecond: number;
}

/** What a run found. The run passes when `failureCount`, `ledger.findings`, `server.serverErrors` are 0 and the server never crashed. */
export interface SoakReport {
  readonly seed: number;
  readonly concurrency: number;
  readonly requests: number;
  readonly byScenario: Readonly<Record<string, number>>;
  readonly durationMs: number;
  readonly requestsPerSecond: number;
  readonly failureCount: number;
  readonly failureCodes: Readonly<Record<string, number>>;
  /** The first 50 failures. */
  readonly failures: readonly Failure[];
  readonly ledger: {
    readonly keys: number;
    readonly writes: Readonly<Record<WriteOutcome, number>>;
    readonly reads: number;
    readonly findingCount: number;
    /** The first 50 findings. */
    readonly findings: readonly LedgerFinding[];
  };
  readonly server: {
    readonly stats: ServerStats;
    /** Answers with a 5xx status (the mock's own bugs). */
    readonly serverErrors: number;
    /** How the process ended before it was asked to stop (a crash), if it did. */
    readonly crashed: { readonly code: number | null; readonly signal: NodeJS.Signals | null } | undefined;
    /** Exit code after the stop request (0: closed cleanly). */
    readonly exitCode: number | null;
  };
  readonly memory: { readonly before: MemorySample; readonly after: MemorySample; readonly rssGrowthMB: number; readonly heapGrowthMB: number };
  readonly cpu: CpuFigures;
  /** Longest stall of the load generator's event loop, in ms (a stalled client looks slow to the server). */
  readonly clientMaxLagMs: number;
}

/** Body limit of the fuzzed server: small enough that bodies past 64 × the limit (4 MiB) are cheap to send. */
export const SOAK_MAX_BODY_BYTES = 65_536;
/** Time limits of the fuzzed server: stalled clients are answered within about 2.5 s. */
export const SOAK_TIMEOUTS: HttpTimeouts = { headersMs: 1_000, requestMs: 2_000, keepAliveMs: 10_000 };
/** A connection silent this long while it owes answers is a hang (a failure). */
const HANG_MS = 15_000;
const POOL_KEYS = 12;
const CHECKED_KEYS = 8;
const MB = 1024 * 1024;

/** Sends `op` on `conn` and returns the parsed answer, or throws (set-up must work). */
async function call(conn: RawConnection, op: Parameters<typeof kmsBytes>[0], body: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>> {
  const bytes = kmsBytes(op, body);
  conn.write(bytes, [false]);
  const r = await conn.next();
  const problem = judge(r, { kind: 'success', op });
  if (problem !== undefined) throw new Error(`soak set-up: ${op} failed: ${problem}`);
  return JSON.parse(r.body.toString('utf8') || '{}') as Record<string, unknown>;
}

/** The wire cases of the run: `wireArb` samples (all mutations but the 1 MiB body, which `huge-bodies` covers), each addressed to a pool key. */
function wirePool(seed: number, keys: readonly string[]): WirePoolCase[] {
  const mutations = WIRE_MUTATION_NAMES.filter((m) => m !== 'body.tooLarge');
  return fc.sample(wireArb({ mutations }), { seed, numRuns: 2_000 }).map((c, i) => {
    const placeholder = Buffer.from(c.setup.keys[0]?.keyId ?? '');
    const key = Buffer.from(keys[i % keys.length] ?? '');
    const body = Buffer.from(c.body);
    for (let at = placeholder.length === 36 ? body.indexOf(placeholder) : -1; at >= 0; at = body.indexOf(placeholder, at + 36)) key.copy(body, at);
    const request = { method: c.method, path: c.path, headers: c.headers, body };
    return { mutation: c.features[0] ?? 'wire', bytes: httpBytes(request), expected: expectWire(request, SOAK_MAX_BODY_BYTES) };
  });
}

/**
 * Base policies of the writes: generated valid ones (no lockout bypass, at most 1.5 KiB: the mock
 * parses the policy in force on every request to its key, so size is cost) and generated invalid ones.
 */
function policyBases(seed: number): { valid: string[]; invalid: string[] } {
  const valid = fc
    .sample(validPolicyArb(), { seed, numRuns: 600 })
    .filter((c) => c.bypassPolicyLockoutSafetyCheck === undefined && Buffer.byteLength(c.policy) <= 1_536)
    .map((c) => c.policy);
  const invalid = fc
    .sample(invalidPolicyArb(), { seed: seed + 1, numRuns: 200 })
    .filter((c) => c.bypassPolicyLockoutSafetyCheck !== true)
    .map((c) => c.policy);
  return { valid, invalid };
}

/** The status of one request during set-up. */
async function statusOf(conn: RawConnection, op: Parameters<typeof kmsBytes>[0], body: Readonly<Record<string, unknown>>): Promise<number> {
  conn.write(kmsBytes(op, body), [false]);
  return (await conn.next()).status;
}

/**
 * Keeps the bases that behave as their kind on a probe key: valid ones are accepted and leave
 * the caller able to read the key (the contract only promises it can still put a policy), invalid
 * ones are refused. So no write of the run locks the writers out of a checked key.
 */
async function probeBases(bases: { valid: string[]; invalid: string[] }): Promise<{ valid: string[]; invalid: string[] }> {
  // A server of its own, so the keys the probes lock up do not add to the fuzzed server's.
  const ctx = DEFAULT_GENERATOR_CONTEXT;
  const server = await startMockServer({ port: 0, accountId: ctx.accountId, region: ctx.region, principals: ctx.principals, maxBodyBytes: SOAK_MAX_BODY_BYTES });
  try {
    return await probeOn(await RawConnection.open(server.port), bases);
  } finally {
    await server.close();
  }
}

async function probeOn(conn: RawConnection, bases: { valid: string[]; invalid: string[] }): Promise<{ valid: string[]; invalid: string[] }> {
  let probe = String(((await call(conn, 'CreateKey', {})).KeyMetadata as { KeyId: string }).KeyId);
  const valid: string[] = [];
  for (const policy of bases.valid) {
    const put = await statusOf(conn, 'PutKeyPolicy', { KeyId: probe, Policy: policy });
    const readable = put === 200 && (await statusOf(conn, 'GetKeyPolicy', { KeyId: probe })) === 200 && (await statusOf(conn, 'DescribeKey', { KeyId: probe })) === 200;
    if (readable) valid.push(policy);
    else probe = String(((await call(conn, 'CreateKey', {})).KeyMetadata as { KeyId: string }).KeyId);
  }
  const invalid: string[] = [];
  for (const policy of bases.invalid) {
    if ((await statusOf(conn, 'PutKeyPolicy', { KeyId: probe, Policy: policy })) !== 200) invalid.push(policy);
    else probe = String(((await call(conn, 'CreateKey', {})).KeyMetadata as { KeyId: string }).KeyId);
  }
  conn.destroy();
  if (valid.length < 50 || invalid.length < 20) throw new Error(`soak set-up: only ${valid.length} valid and ${invalid.length} invalid base policies behaved as labelled`);
  return { valid, invalid };
}

/** Runs the fuzz and soak against a fresh server process and reports what it found. */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const seed = options.seed ?? 1;
  const concurrency = options.concurrency ?? 64;
  if (!Number.isSafeInteger(options.requests) || options.requests < 1) throw new RangeError(`runSoak: requests must be a whole number above 0, got ${options.requests}`);
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > 1_000) throw new RangeError(`runSoak: concurrency must be from 1 to 1000, got ${concurrency}`);
  const warmup = options.warmup ?? Math.min(20_000, Math.floor(options.requests / 10));
  const progressEvery = options.progressEvery ?? 50_000;
  const ctx = DEFAULT_GENERATOR_CONTEXT;

  const server = await startServerProcess({
    seed,
    maxBodyBytes: SOAK_MAX_BODY_BYTES,
    timeouts: SOAK_TIMEOUTS,
    accountId: ctx.accountId,
    region: ctx.region,
    principals: ctx.principals,
  }, options.serverCpuProfileDir);
  try {
    const setup = await RawConnection.open(server.port);
    const created: { keyId: string; arn: string }[] = [];
    for (let i = 0; i < POOL_KEYS + CHECKED_KEYS; i++) {
      const md = (await call(setup, 'CreateKey', {})).KeyMetadata as { KeyId: string; Arn: string };
      created.push({ keyId: md.KeyId, arn: md.Arn });
    }
    const poolKeys = created.slice(0, POOL_KEYS);
    const checked = created.slice(POOL_KEYS);
    const initial: string[] = [];
    for (const k of checked) initial.push(String((await call(setup, 'GetKeyPolicy', { KeyId: k.keyId })).Policy));
    setup.destroy();
    const bases = await probeBases(policyBases(seed));

    const ledger = new Ledger(
      checked.map((k) => k.keyId),
      initial,
      [...bases.valid, ...bases.invalid],
    );
    const world: FuzzWorld = {
      port: server.port,
      maxBodyBytes: SOAK_MAX_BODY_BYTES,
      timeouts: SOAK_TIMEOUTS,
      poolKeys,
      checkedArns: checked.map((k) => k.arn),
      ledger,
      wireCases: wirePool(seed, poolKeys.map((k) => k.keyId)),
      validBases: bases.valid.length,
      allBases: bases.valid.length + bases.invalid.length,
    };

    let sent = 0;
    let nextProgress = progressEvery;
    const byScenario: Record<string, number> = {};
    const failures: Failure[] = [];
    const failureCodes: Record<string, number> = {};
    let failureCount = 0;
    const open = new Set<RawConnection>();
    const started = performance.now();
    const sink: LaneSink = {
      count(scenario, n) {
        sent += n;
        byScenario[scenario] = (byScenario[scenario] ?? 0) + n;
        if (sent >= nextProgress) {
          nextProgress += progressEvery;
          options.onProgress?.(sent, performance.now() - started);
        }
      },
      fail(f) {
        failureCount++;
        failureCodes[`${f.scenario}:${f.code}`] = (failureCodes[`${f.scenario}:${f.code}`] ?? 0) + 1;
        if (failures.length < 50) failures.push(f);
      },
      watch(c) {
        open.add(c);
        void c.closed.then(() => open.delete(c));
      },
    };
    const watchdog = setInterval(() => {
      const now = performance.now();
      for (const c of open) if (c.busy && now - c.lastActivity > HANG_MS) c.abandon();
    }, 1_000);
    watchdog.unref();

    const chosen = options.scenarios === undefined ? SCENARIOS : SCENARIOS.filter((x) => options.scenarios?.includes(x.name));
    if (chosen.length === 0) throw new RangeError(`runSoak: no scenario matches ${JSON.stringify(options.scenarios)}; known: ${SCENARIOS.map((x) => x.name).join(', ')}`);
    const pick = scenarioPicker(chosen);
    const lanes = Array.from({ length: concurrency }, (_, i) => new Lane(world, new Rng(seed * 7_919 + i), sink));
    const runUntil = (target: number): Promise<void> =>
      Promise.all(
        lanes.map(async (lane) => {
          while (sent < target) await pick(lane.rng).run(lane);
        }),
      ).then(() => undefined);

    try {
      await runUntil(warmup);
      const before = await server.memory();
      const clientCpuBefore = process.cpuUsage();
      const sentBefore = sent;
      const lag = monitorEventLoopDelay({ resolution: 20 });
      lag.enable();
      await runUntil(options.requests);
      lag.disable();
      const clientCpu = process.cpuUsage(clientCpuBefore);
      for (const lane of lanes) lane.close();
      const durationMs = performance.now() - started;

      const final = await RawConnection.open(server.port);
      const finals: string[] = [];
      for (const keyId of ledger.keyIds) finals.push(String((await call(final, 'GetKeyPolicy', { KeyId: keyId })).Policy));
      final.destroy();
      const findings = ledger.verify(finals);
      const after = await server.memory();
      const stats = await server.stats();
      const crashed = server.exit();
      const exit = await server.stop();
      const counts = ledger.counts();
      return {
        seed,
        concurrency,
        requests: sent,
        byScenario,
        durationMs: Math.round(durationMs),
        requestsPerSecond: Math.round(sent / (durationMs / 1000)),
        failureCount,
        failureCodes,
        failures,
        ledger: { keys: ledger.keyIds.length, writes: counts.writes, reads: counts.reads, findingCount: findings.length, findings: findings.slice(0, 50) },
        server: {
          stats,
          serverErrors: Object.entries(stats.byCode)
            .filter(([k]) => k.startsWith('5'))
            .reduce((s, [, n]) => s + n, 0),
          crashed,
          exitCode: exit.code,
        },
        memory: {
          before: { rss: before.rss, heapUsed: before.heapUsed },
          after: { rss: after.rss, heapUsed: after.heapUsed },
          rssGrowthMB: (after.rss - before.rss) / MB,
          heapGrowthMB: (after.heapUsed - before.heapUsed) / MB,
        },
        cpu: {
          clientMs: Math.round((clientCpu.user + clientCpu.system) / 1000),
          serverMs: Math.round(after.cpuMs - before.cpuMs),
          serverRequestsPerCpuSecond: Math.round((sent - sentBefore) / ((after.cpuMs - before.cpuMs) / 1000)),
        },
        clientMaxLagMs: Math.round(lag.max / 1e6),
      };
    } finally {
      clearInterval(watchdog);
      for (const c of open) c.destroy();
    }
  } finally {
    await server.stop();
  }
}
