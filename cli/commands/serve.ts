/**
 * `kms-conformance serve`: starts the bundled mock as an HTTP server. The first stdout line is
 * `listening on http://HOST:PORT`; then one line per request goes to stderr (method, path,
 * operation, status, error code, time; never headers or bodies), written in batches
 * (`./request-log.ts`). Stops cleanly on SIGINT/SIGTERM.
 */
import type { Command } from 'commander';
import type { Caller, KnownPrincipal } from '../../contract/types.ts';
import { isAdminPath } from '../../mocks/admin.ts';
import { DIVERGENCES } from '../../mocks/divergences.ts';
import type { DivergenceName } from '../../mocks/divergences.ts';
import { MockConfigError } from '../../mocks/errors.ts';
import type { FaultProfile, MockIdentity } from '../../mocks/options.ts';
import { startMockServer } from '../../mocks/server.ts';
import type { MockRequestLog, MockServer, MockServerOptions } from '../../mocks/server.ts';
import { UsageError, flagMessage, parseSeed, parseWholeNumber } from '../errors.ts';
import type { CliContext } from '../main.ts';
import { RequestLogWriter } from './request-log.ts';

/** Raw option values as commander collects them. */
export interface ServeFlags {
  readonly host: string;
  readonly port: string;
  readonly region?: string;
  readonly account?: string;
  readonly contract?: string;
  readonly seed?: string;
  readonly verifySignatures?: boolean;
  readonly identity?: readonly string[];
  readonly principal?: readonly string[];
  readonly faultRate?: string;
  readonly faultSeed?: string;
  readonly latencyMs?: string;
  readonly readLagMs?: string;
  readonly maxBodyBytes?: string;
  readonly allowRemote?: boolean;
  readonly quiet?: boolean;
  readonly divergence?: readonly string[];
  /** `false` with --no-admin. */
  readonly admin?: boolean;
}

const FAULT_KINDS = { throttle: 'throttleRate', 'server-error': 'serverErrorRate', drop: 'dropRate' } as const;

/** Parses `throttle=0.1,server-error=0.05,drop=0.01`. */
export function parseFaultRates(raw: string): Pick<FaultProfile, 'throttleRate' | 'serverErrorRate' | 'dropRate'> {
  const out: Record<string, number> = {};
  for (const part of raw.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const [kind = '', value = ''] = part.split('=');
    const key = (FAULT_KINDS as Record<string, string>)[kind.trim()];
    const n = Number(value);
    if (key === undefined || value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
      throw new UsageError(`--fault-rate: '${part}' is not KIND=RATE with KIND one of ${Object.keys(FAULT_KINDS).join(', ')} and RATE from 0 to 1. Example: --fault-rate throttle=0.1,server-error=0.05`);
    }
    out[key] = n;
  }
  return out;
}

/** Parses `MIN-MAX` or `N` milliseconds. */
export function parseLatency(raw: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(raw.trim());
  if (!m) throw new UsageError(`--latency-ms must be N or MIN-MAX milliseconds, got '${raw}'. Example: --latency-ms 5-50`);
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : Number(m[2]);
  if (max < min || max > 60_000) throw new UsageError(`--latency-ms needs MIN <= MAX <= 60000, got '${raw}'.`);
  return [min, max];
}

/** Parses `AKID[:SECRET][=ARN]` into an identity (IAM allows `*`). */
export function parseIdentity(raw: string, defaultAccount: string): [string, MockIdentity] {
  const eq = raw.indexOf('=');
  const left = eq < 0 ? raw : raw.slice(0, eq);
  const arn = eq < 0 ? undefined : raw.slice(eq + 1);
  const [akid = '', secret] = left.split(':');
  if (!/^[A-Z0-9]{4,128}$/.test(akid)) {
    throw new UsageError(`--identity: '${akid}' is not an access key id (upper-case letters and digits). Example: --identity AKIDEXAMPLE:secret=arn:aws:iam::111122223333:user/Alice`);
  }
  const account = arn === undefined ? defaultAccount : /^arn:[\w-]+:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1];
  if (account === undefined) {
    throw new UsageError(`--identity: '${arn}' is not an IAM or STS principal ARN. Example: arn:aws:iam::111122223333:user/Alice`);
  }
  const caller: Caller = { arn: arn ?? `arn:aws:iam::${defaultAccount}:role/Admin`, accountId: account, iam: { kind: 'known', actions: ['*'] } };
  return [akid, secret === undefined ? { caller } : { caller, secretAccessKey: secret }];
}

/** Parses a principal ARN or service name into a directory entry. */
export function parsePrincipal(raw: string): KnownPrincipal {
  if (/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(raw)) return { kind: 'service', id: raw };
  const m = /^arn:[\w-]+:(iam|sts)::\d{12}:(user|role|assumed-role|root)/.exec(raw);
  if (!m) throw new UsageError(`--principal: '${raw}' is not an IAM user/role ARN, an assumed-role ARN or a service principal. Example: --principal arn:aws:iam::111122223333:user/Alice`);
  const kind = m[2] === 'root' ? 'account' : (m[2] as 'user' | 'role' | 'assumed-role');
  return { kind, id: raw };
}

/** Checks a `--divergence` name. */
export function parseDivergence(raw: string): DivergenceName {
  if (!Object.hasOwn(DIVERGENCES, raw)) {
    throw new UsageError(`--divergence: unknown profile '${raw}'. Valid: ${Object.keys(DIVERGENCES).join(', ')}.`);
  }
  return raw as DivergenceName;
}

/** The profile names of `--divergence` values, each a name or a comma list (`a,b`), in order, without repeats. */
export function divergenceNames(values: readonly string[]): string[] {
  return [...new Set(values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== ''))];
}

/** `serve --divergence list`: one profile a line, its name and its one-line description. */
export function divergenceList(): string {
  const names = Object.keys(DIVERGENCES) as DivergenceName[];
  const width = Math.max(...names.map((n) => n.length));
  return names.map((n) => `${n.padEnd(width)}  ${DIVERGENCES[n]}\n`).join('');
}

/** Turns the flags into server options (throws {@link UsageError} for bad values). */
export function serveOptions(flags: ServeFlags): MockServerOptions {
  const account = flags.account ?? '111122223333';
  const identities: Record<string, MockIdentity> = {};
  for (const spec of flags.identity ?? []) {
    const [akid, identity] = parseIdentity(spec, account);
    identities[akid] = identity;
  }
  const faults: FaultProfile = {
    ...(flags.faultRate === undefined ? {} : parseFaultRates(flags.faultRate)),
    ...(flags.latencyMs === undefined ? {} : { latencyMs: parseLatency(flags.latencyMs) }),
    ...(flags.faultSeed === undefined ? {} : { seed: parseSeed('--fault-seed', flags.faultSeed) }),
  };
  return {
    host: flags.host,
    port: parseWholeNumber('--port', flags.port, 0, 65535),
    ...(flags.region === undefined ? {} : { region: flags.region }),
    ...(flags.account === undefined ? {} : { accountId: flags.account }),
    ...(flags.contract === undefined ? {} : { contractVersion: flags.contract }),
    ...(flags.seed === undefined ? {} : { seed: parseSeed('--seed', flags.seed) }),
    ...(flags.verifySignatures ? { verifySignatures: true } : {}),
    identities,
    principals: (flags.principal ?? []).map(parsePrincipal),
    faults,
    ...(flags.readLagMs === undefined ? {} : { readLagMs: parseWholeNumber('--read-lag-ms', flags.readLagMs, 0, 3_600_000, 250) }),
    ...(flags.maxBodyBytes === undefined ? {} : { maxBodyBytes: parseWholeNumber('--max-body-bytes', flags.maxBodyBytes, 1024, 1_073_741_824, 1_048_576) }),
    ...(flags.allowRemote ? { allowRemote: true } : {}),
    ...(flags.divergence === undefined ? {} : { divergences: divergenceNames(flags.divergence).map(parseDivergence) }),
    ...(flags.admin === false ? { admin: false } : {}),
  };
}

/**
 * One stderr line per request: method, path, operation (for a target the mock does not serve, the
 * `X-Amz-Target` it sent, quoted when it has spaces or control characters; `unknown-target` when
 * there was none), status, error code, time.
 */
export function formatLogLine(l: MockRequestLog): string {
  const target = isAdminPath(l.path.split('?')[0] ?? '') ? 'admin' : l.target === undefined ? 'unknown-target' : /^[\x21-\x7e]+$/.test(l.target) ? l.target : JSON.stringify(l.target);
  return `${l.method} ${l.path} ${l.operation ?? target} ${l.status} ${l.code ?? '-'} ${l.ms}ms`;
}

/** The serve flag behind each mock option, for messages about a bad value. */
const FLAG_OF_OPTION: readonly (readonly [RegExp, string])[] = [
  [/^contractVersion$/, '--contract'],
  [/^region$/, '--region'],
  [/^accountId$/, '--account'],
  [/^seed$/, '--seed'],
  [/^port$/, '--port'],
  [/^host$/, '--host'],
  [/^maxBodyBytes$/, '--max-body-bytes'],
  [/^readLag/, '--read-lag-ms'],
  [/^faults\.latencyMs$/, '--latency-ms'],
  [/^faults\.seed$/, '--fault-seed'],
  [/^faults/, '--fault-rate'],
  [/^identities/, '--identity'],
  [/^divergences$/, '--divergence'],
];

/** A mock option error as a usage error naming the flag: `--contract: unknown contract version …`. */
export function usageErrorOf(e: MockConfigError): UsageError {
  // Options the command line knows an example for get it (`--contract: … Example: --contract 2024-03-18`).
  const known = flagMessage(e);
  if (known !== e.message) return new UsageError(known);
  const flag = FLAG_OF_OPTION.find(([re]) => re.test(e.option))?.[1] ?? e.option;
  return new UsageError(`${flag}: ${e.problem}`);
}

/**
 * Starts the server for the flags and resolves once `stop` resolves and the server has closed.
 * Split from the commander action so tests can drive it in process.
 */
export async function runServe(flags: ServeFlags, ctx: CliContext, stop: (server: MockServer) => Promise<unknown>): Promise<void> {
  const options = serveOptions(flags);
  const log = flags.quiet ? undefined : new RequestLogWriter(ctx.err);
  // Lines still gathered when the process ends some other way (an uncaught error) go out too,
  // from an exit listener: Node writes to a file synchronously, and to a pipe at once as far as
  // the pipe has room (a reader that has stopped reading can lose them).
  const flushOnExit = (): void => log?.flush();
  let server: MockServer;
  try {
    server = await startMockServer({ ...options, ...(log === undefined ? {} : { onRequest: (l: MockRequestLog) => log.write(`${formatLogLine(l)}\n`) }) });
  } catch (e) {
    if (e instanceof MockConfigError) throw usageErrorOf(e);
    const code = (e as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${options.port ?? 0} on ${options.host ?? '127.0.0.1'} is already in use; pick another with --port, or --port 0 for a free one.`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`cannot listen on host '${options.host ?? ''}': ${code}. Use an address of this machine, e.g. --host 127.0.0.1.`);
    throw e;
  }
  ctx.out.write(`listening on ${server.url}\n`);
  process.on('exit', flushOnExit);
  try {
    await stop(server);
  } finally {
    await server.close();
    // Every request has been answered and logged: its line goes out before "stopped".
    log?.flush();
    process.off('exit', flushOnExit);
  }
  if (!flags.quiet) ctx.err.write('stopped\n');
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Registers `serve`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('Start the bundled KMS mock as an HTTP server (first stdout line: listening on http://HOST:PORT)')
    .option('--host <host>', 'interface to listen on (loopback unless --allow-remote)', '127.0.0.1')
    .option('--port <n>', 'port; 0 picks a free one', '0')
    .option('--region <region>', 'Region for requests whose signature names none (default us-east-1)')
    .option('--account <id>', 'account of the default identity (default 111122223333)')
    .option('--contract <version>', 'contract version: latest, 2017-02-15, 2024-03-18, 2025-06-05 (default latest)')
    .option('--seed <n>', 'seed of key ids, request ids and faults (default 1)')
    .option('--verify-signatures', 'verify SigV4 signatures with the secrets given by --identity')
    .option('--identity <spec>', 'AKID[:SECRET][=PRINCIPAL_ARN] (repeatable); unknown access keys act as the account admin unless --verify-signatures', collect)
    .option('--principal <arn>', 'a principal that exists, for "principals must exist" (repeatable)', collect)
    .option('--fault-rate <spec>', 'seeded faults, e.g. throttle=0.1,server-error=0.05,drop=0.01')
    .option('--fault-seed <n>', 'seed of the fault stream (default --seed)')
    .option('--latency-ms <min-max>', 'extra latency per request, e.g. 5-50')
    .option('--read-lag-ms <n>', 'reads (GetKeyPolicy, ListKeyPolicies, DescribeKey) see state this many ms old')
    .option('--max-body-bytes <n>', 'request body limit (default 1048576)')
    .option('--allow-remote', 'allow listening on a non-loopback host')
    .option('--divergence <names>', 'break the contract on purpose, like an emulator: NAME[,NAME] (repeatable); `--divergence list` prints every profile with its description', collect)
    .option('--quiet', 'no request log on stderr')
    .addHelpText('after', '\nExamples:\n  npx kms-conformance serve --port 4566                     # then: aws kms create-key --endpoint-url http://127.0.0.1:4566\n  npx kms-conformance serve --port 0 --quiet --fault-rate throttle=0.1 --divergence skip-lockout-check\n')
    .option('--no-admin', 'do not serve the admin API under /_kms-conformance/ (health, reset, snapshot, seeding, faults)')
    .action(async (flags: ServeFlags) => {
      if (flags.divergence !== undefined && divergenceNames(flags.divergence).includes('list')) {
        ctx.out.write(divergenceList());
        return;
      }
      await runServe(flags, ctx, () => waitForSignal());
    });
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (s: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(s);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
