/**
 * `kms-conformance run`: the full conformance run. Against the bundled mock in process by default,
 * or `--endpoint URL` (`KMS_CONFORMANCE_ENDPOINT`). Prints the seed first, shows progress on a
 * terminal (one line per newly failing rule with `--quiet` or when `CI` is set), writes the report
 * directory, and ends with a summary. SIGINT stops sending, cleans up keys and writes the results
 * marked interrupted (exit 130); a second SIGINT exits at once.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import type { KnownPrincipal } from '../../contract/types.ts';
import { GENERATE_KINDS, type GenerateKind } from '../../generators/kinds.ts';
import { describeStep } from '../../generators/sequence.ts';
import { DIVERGENCES } from '../../mocks/divergences.ts';
import { DEFAULT_SEQUENCES, planRun, runConformance, RunConfigError, type ConformanceResult, type RunOptions } from '../../replay/runner.ts';
import { TargetUnavailableError } from '../../replay/endpoint.ts';
import { parseShard, type Shard } from '../../replay/shard.ts';
import { readBaseline, writeBaseline } from '../../scoring/baseline.ts';
import type { CaseRecord, Transport } from '../../scoring/results.ts';
import { RESULTS_FILE, streamResults } from '../../scoring/results-file.ts';
import { parseFormats, writeReportsFromStream, type ReportFormat } from '../../reports/index.ts';
import { consoleSummary, useColor } from '../../reports/console.ts';
import { sequenceStepLines } from '../../reports/common.ts';
import { describeExpected, describeObservation } from '../../scoring/verdict.ts';
import { HarnessError, UsageError, parseSeed, parseWholeNumber } from '../errors.ts';
import type { CliContext } from '../main.ts';

/** Raw option values as commander collects them. */
export interface RunFlags {
  readonly endpoint?: string;
  readonly region?: string;
  readonly transport?: string;
  readonly seed?: string;
  readonly runs?: string;
  readonly sequences?: string;
  readonly kinds?: string;
  readonly examples?: boolean;
  readonly rule?: readonly string[];
  readonly concurrency?: string;
  readonly contract?: string;
  readonly out?: string;
  readonly format?: string;
  readonly maxKeys?: string;
  readonly callerArn?: string;
  readonly principals?: string;
  readonly convergeTimeout?: string;
  readonly requestTimeout?: string;
  readonly allowRemote?: boolean;
  readonly allowLockout?: boolean;
  readonly dryRun?: boolean;
  readonly divergence?: readonly string[];
  readonly quiet?: boolean;
  readonly name?: string;
  readonly baseline?: string;
  readonly shrinkBudget?: string;
  readonly writeBaseline?: string;
  readonly expires?: string;
  readonly shard?: string;
}


const PRINCIPAL_KINDS = new Set(['account', 'user', 'role', 'assumed-role', 'service', 'federated', 'canonical-user']);

/** Reads `--principals FILE`: a JSON array of `{ "kind": "role", "id": "arn:…" }`. */
export function readPrincipals(file: string): KnownPrincipal[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`--principals: cannot read ${file} as JSON (${e instanceof Error ? e.message : String(e)}). It must be an array like [{"kind":"role","id":"arn:aws:iam::111122223333:role/KeyUser"}].`);
  }
  if (!Array.isArray(json)) throw new UsageError(`--principals: ${file} must hold a JSON array of {"kind","id"} objects, got ${typeof json}.`);
  return json.map((p: unknown, i) => {
    const o = p as { kind?: unknown; id?: unknown };
    if (o === null || typeof o !== 'object' || typeof o.kind !== 'string' || !PRINCIPAL_KINDS.has(o.kind) || typeof o.id !== 'string' || o.id === '') {
      throw new UsageError(`--principals: entry ${i} of ${file} must be {"kind": one of ${[...PRINCIPAL_KINDS].join(', ')}, "id": "<ARN or name>"}, got ${JSON.stringify(p)}.`);
    }
    return { kind: o.kind as KnownPrincipal['kind'], id: o.id };
  });
}

function parseTransport(raw: string | undefined): Transport[] {
  const v = raw ?? 'both';
  if (v === 'both') return ['sdk', 'http'];
  if (v === 'sdk' || v === 'http') return [v];
  throw new UsageError(`--transport must be sdk, http or both, got '${v}'. Example: --transport http`);
}

/** Parses `--shard i/n`. */
export function parseShardFlag(raw: string): Shard {
  const s = parseShard(raw);
  if ('problem' in s) throw new UsageError(`--shard ${s.problem} Example: --shard 2/3 (the second of three shards; run 1/3, 2/3 and 3/3 with the same --seed, then kms-conformance merge their results.json files)`, '--shard');
  return s;
}

function parseKinds(raw: string | undefined): GenerateKind[] | undefined {
  if (raw === undefined) return undefined;
  const kinds = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const k of kinds) if (!(GENERATE_KINDS as readonly string[]).includes(k)) throw new UsageError(`--kinds: '${k}' is not one of ${GENERATE_KINDS.join(', ')}. Example: --kinds request,wire`);
  return kinds as GenerateKind[];
}


/** Parses `--shrink-budget ATTEMPTS[,SECONDS]` (`0` turns shrinking off). */
export function parseShrinkBudget(raw: string): { attempts: number; ms?: number } {
  const m = /^(\d+)(?:,(\d+))?$/.exec(raw.trim());
  if (!m) throw new UsageError(`--shrink-budget must be ATTEMPTS or ATTEMPTS,SECONDS (whole numbers), got '${raw}'. Example: --shrink-budget 200,60 (or 0 to turn shrinking off)`);
  return { attempts: Number(m[1]), ...(m[2] === undefined ? {} : { ms: Number(m[2]) * 1000 }) };
}

/** Turns flags and the environment into run options (flags win over the environment). */
export function runOptionsFrom(flags: RunFlags, env: NodeJS.ProcessEnv = process.env): RunOptions & { formats: ReportFormat[] } {
  const endpoint = flags.endpoint ?? (env.KMS_CONFORMANCE_ENDPOINT || undefined);
  const seedRaw = flags.seed ?? (env.KMS_CONFORMANCE_SEED || undefined);
  const region = flags.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined);
  const divergences = flags.divergence?.flatMap((d) => d.split(',')).map((d) => d.trim()).filter((d) => d !== '') ?? [];
  for (const d of divergences) if (!Object.hasOwn(DIVERGENCES, d)) throw new UsageError(`--divergence: '${d}' is not a profile. Profiles: ${Object.keys(DIVERGENCES).join(', ')}.`);
  if (divergences.length > 0 && endpoint !== undefined) throw new UsageError('--divergence applies to the bundled mock; to test a divergent mock over HTTP, start it with `kms-conformance serve --divergence NAME` and pass its URL to --endpoint.');
  const formats = parseFormats(flags.format ?? 'all');
  if (flags.writeBaseline !== undefined && flags.expires === undefined) throw new UsageError('--write-baseline needs --expires YYYY-MM-DD: a baseline entry never waives a failure for ever. Example: --write-baseline known.json --expires 2027-06-30');
  if (flags.shard !== undefined && seedRaw === undefined) throw new UsageError(`--shard ${flags.shard} needs --seed (or KMS_CONFORMANCE_SEED): every shard must plan the same cases, and without a seed each shard would pick its own. Example: --seed 42 --shard 1/3, then --seed 42 --shard 2/3 and 3/3`, '--shard');
  if (flags.expires !== undefined && flags.writeBaseline === undefined) throw new UsageError('--expires goes with --write-baseline FILE (the expiry of the entries it writes).');
  return {
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(region === undefined ? {} : { region }),
    transports: parseTransport(flags.transport),
    ...(seedRaw === undefined ? {} : { seed: parseSeed(flags.seed === undefined ? 'KMS_CONFORMANCE_SEED' : '--seed', seedRaw) }),
    ...(flags.runs === undefined ? {} : { runs: parseWholeNumber('--runs', flags.runs, 0, 1_000_000, 100) }),
    ...(flags.sequences === undefined ? {} : { sequences: parseWholeNumber('--sequences', flags.sequences, 0, 100_000, DEFAULT_SEQUENCES) }),
    ...(parseKinds(flags.kinds) === undefined ? {} : { kinds: parseKinds(flags.kinds)! }),
    ...(flags.examples === false ? { examples: false } : {}),
    ...(flags.rule === undefined ? {} : { rules: flags.rule }),
    ...(flags.concurrency === undefined ? {} : { concurrency: parseWholeNumber('--concurrency', flags.concurrency, 1, 256, 8) }),
    ...(flags.contract === undefined ? {} : { contract: flags.contract }),
    out: flags.out ?? './conformance-report',
    ...(flags.maxKeys === undefined ? {} : { maxKeys: parseWholeNumber('--max-keys', flags.maxKeys, 1, 100_000, 1000) }),
    ...(flags.callerArn === undefined ? {} : { callerArn: flags.callerArn }),
    ...(flags.principals === undefined ? {} : { principals: readPrincipals(flags.principals) }),
    ...(flags.convergeTimeout === undefined ? {} : { convergeTimeoutMs: parseWholeNumber('--converge-timeout', flags.convergeTimeout, 0, 3_600_000, 10_000) }),
    ...(flags.requestTimeout === undefined ? {} : { requestTimeoutMs: parseWholeNumber('--request-timeout', flags.requestTimeout, 100, 600_000, 30_000) }),
    allowRemote: flags.allowRemote === true,
    allowLockout: flags.allowLockout === true,
    ...(divergences.length > 0 ? { mock: { divergences: divergences as never } } : {}),
    ...(flags.name === undefined ? {} : { targetName: flags.name }),
    ...(flags.baseline === undefined ? {} : { baseline: readBaseline(flags.baseline) }),
    ...(flags.shrinkBudget === undefined ? {} : { shrinkBudget: parseShrinkBudget(flags.shrinkBudget) }),
    ...(flags.shard === undefined ? {} : { shard: parseShardFlag(flags.shard) }),
    formats,
  };
}

/** One line for a failing record: the case, what was expected and seen, and the replay line. */
export function failureLine(r: CaseRecord, outDir: string | undefined): string {
  const f = r.findings?.[0];
  const replay = r.replayFile && outDir ? `\n    replay: npx kms-conformance replay ${outDir.replace(/\/$/, '')}/${r.replayFile}` : '';
  const steps = sequenceStepLines(r).map((l) => `\n    ${l}`).join('');
  return `FAIL ${f?.ruleIds.join(', ') ?? r.ruleIds.join(', ')} · ${r.id}\n    expected ${f?.expected ?? describeExpected(r.expected)}, got ${f?.observed ?? describeObservation(r.observed)}${f ? ` (${f.code})` : ''}${steps}${replay}`;
}

/** Runs `run` with parsed flags (split from the commander action so tests can drive it in process). */
export async function runRun(flags: RunFlags, ctx: CliContext, signal?: AbortSignal): Promise<void> {
  const options = runOptionsFrom(flags);
  const quiet = flags.quiet === true || Boolean(process.env.CI);
  if (flags.dryRun) {
    const plan = planRun(options);
    const where = options.endpoint ?? 'the bundled mock (in process)';
    const lines = [
      `dry run: nothing is sent · target ${where} · contract ${plan.version} · seed ${plan.seed}${plan.shard ? ` · shard ${plan.shard.index}/${plan.shard.count}` : ''}`,
      `${plan.caseCount} cases, ${plan.jobs} requests over ${plan.transports.join(' and ')}, ${plan.skipped} skipped before sending${plan.lockoutSkipped > 0 ? ` (${plan.lockoutSkipped} may lock the caller out of their key: add --allow-lockout to run them)` : ''}`,
      `by source: ${Object.entries(plan.bySource).map(([k, v]) => `${k} ${v}`).join(', ')}`,
      `requests per operation: ${Object.entries(plan.byOperation).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${v}`).join(', ')}`,
      `keys: at most ${plan.keysNeeded} key leases; keys are pooled and reused, and a run creates at most --max-keys ${options.maxKeys ?? 1000}`,
      `${plan.sequences.length} sequences (each over ${plan.transports.join(' and ')}, on keys of its own; steps whose key does not exist yet are skipped):`,
      ...plan.sequences.map((q) => `  ${q.id}: ${q.steps.map(describeStep).join(', ')}`),
    ];
    ctx.out.write(`${lines.join('\n')}\n`);
    return;
  }
  let bar: cliProgress.SingleBar | undefined;
  const failedRules = new Set<string>();
  let result: ConformanceResult;
  try {
    result = await runConformance({
      ...options,
      ...(signal === undefined ? {} : { signal }),
      command: `npx kms-conformance run ${process.argv.slice(3).join(' ')}`.trim(),
      onStart: (s) => {
        ctx.err.write(`kms-conformance run · seed ${s.seed}${options.shard ? ` · shard ${options.shard.index}/${options.shard.count}` : ''} · target ${s.target.name} · account ${s.context.accountId} ${s.context.region} · ${s.total} cases\n`);
        const stream = ctx.err as NodeJS.WriteStream;
        if (!quiet && stream.isTTY) {
          bar = new cliProgress.SingleBar({ stream, format: '{bar} {value}/{total} cases · {fail} fail · {rate}/s · ETA {eta_formatted}', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
          bar.start(s.total, 0, { fail: 0, rate: 0 });
        }
      },
      onProgress: (p) => bar?.update(p.done, { fail: p.fail, rate: Math.round(p.rate) }),
      onCase: (r) => {
        if (r.verdict !== 'fail' || !quiet) return;
        for (const id of r.ruleIds) {
          if (failedRules.has(id)) continue;
          failedRules.add(id);
          ctx.err.write(`${failureLine({ ...r, ruleIds: [id] }, options.out === false ? undefined : options.out)}\n`);
        }
      },
    });
  } catch (e) {
    bar?.stop();
    if (e instanceof RunConfigError) throw new UsageError(e.message.replace(/^runConformance: /, '').replace(/set allowRemote: true/g, 'pass --allow-remote'));
    if (e instanceof TargetUnavailableError) throw new HarnessError(e.message);
    throw e;
  }
  bar?.stop();
  const files: string[] = [];
  if (result.reportDir !== undefined) {
    files.push('results.json', ...(result.failures.length > 0 ? ['cases/'] : []));
    const others = options.formats.filter((f) => f !== 'json');
    if (others.length > 0) {
      // results.json is the one source of truth; its cases are read one at a time, so the
      // reports of a run of any length are written in flat memory.
      const source = await streamResults(join(result.reportDir, RESULTS_FILE));
      files.push(...(await writeReportsFromStream(source.summary, source.cases, result.reportDir, others, { reportDir: result.reportDir })).map((p) => relative(result.reportDir!, p)));
    }
  }
  if (flags.writeBaseline !== undefined) {
    await writeFile(flags.writeBaseline, writeBaseline(result.failures, flags.expires!, { file: flags.writeBaseline }));
    files.push(flags.writeBaseline);
  }
  const stream = ctx.out as NodeJS.WriteStream;
  ctx.out.write(consoleSummary(result, { color: useColor(stream), ...(result.reportDir === undefined ? {} : { reportDir: result.reportDir }), files }));
  const shrunk = result.failures.filter((f) => f.shrunk !== undefined);
  if (shrunk.length > 0) {
    ctx.out.write(`\nShrunk against the target (the replay file holds the smallest case):\n`);
    for (const f of shrunk.slice(0, 20)) ctx.out.write(`  ${f.ruleIds.join(', ')}: ${f.id} from size ${f.shrunk!.original.size} to ${f.shrunk!.size} (${f.shrunk!.attempts} cases sent, ${(f.shrunk!.ms / 1000).toFixed(1)} s)\n`);
  }
  ctx.exitCode = result.run.status === 'interrupted' ? 130 : result.exitCode;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Registers `run`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('run')
    .description('Run the conformance suite against the bundled mock (default) or an endpoint, and write the report directory')
    .option('--endpoint <url>', 'endpoint to test (env KMS_CONFORMANCE_ENDPOINT); the bundled mock in process when absent')
    .option('--region <region>', 'Region to call (env AWS_REGION; default us-east-1)')
    .option('--transport <t>', 'sdk, http or both (default both)')
    .option('--seed <n>', 'seed of the generated cases (env KMS_CONFORMANCE_SEED; random when absent, printed first)')
    .option('--runs <n>', 'generated cases per kind (default 100)')
    .option('--sequences <n>', `stateful sequences of key, policy and alias operations, each on keys of its own (default ${DEFAULT_SEQUENCES}; 0 turns them off)`)
    .option('--kinds <list>', `generated kinds to run (default all): ${GENERATE_KINDS.join(',')}`)
    .option('--no-examples', "leave out the catalogue's worked examples")
    .option('--rule <id>', 'only cases about this rule (repeatable)', collect)
    .option('--concurrency <n>', 'cases at once (default 8 in process, 4 for an endpoint)')
    .option('--contract <version>', 'contract version: latest, 2017-02-15, 2024-03-18, 2025-06-05 (default latest)')
    .option('--out <dir>', 'report directory (default ./conformance-report)')
    .option('--format <list>', 'report formats: json,junit,html,md,badge or all (default all; results.json is always written)')
    .option('--shrink-budget <n[,s]>', 'shrink the first failing generated case of each failing rule against the target: at most N cases sent and S seconds each (default 100,30; 0 turns it off)')
    .option('--baseline <file>', 'known divergences: matching failures are waived; an expired entry fails the run')
    .option('--write-baseline <file>', "write a baseline of this run's failures (needs --expires)")
    .option('--expires <date>', 'expiry (YYYY-MM-DD) of the entries --write-baseline writes')
    .option('--max-keys <n>', 'keys the run may create at most (default 1000)')
    .option('--caller-arn <arn>', "the run identity's ARN (default the account's role/Admin, as the bundled mock assumes)")
    .option('--principals <file>', 'JSON array of principals that exist on the target: [{"kind":"role","id":"arn:…"}]')
    .option('--converge-timeout <ms>', 'how long read-after-write checks wait for a change to show (default 10000)')
    .option('--request-timeout <ms>', 'how long one request may take (default 30000)')
    .option('--allow-remote', 'allow a non-loopback endpoint (the run creates keys and changes their policies)')
    .option('--allow-lockout', 'on a remote endpoint, also run cases that may lock the caller out of their key')
    .option('--divergence <name>', `bundled mock only: make it break the contract (repeatable): ${Object.keys(DIVERGENCES).join(', ')}`, collect)
    .option('--name <name>', 'name of the target in reports (default the endpoint host, or mock)')
    .option('--shard <i/n>', 'run shard i of n of the planned cases (same --seed on every shard; combine the results with kms-conformance merge)')
    .option('--dry-run', 'print the planned cases, keys and requests per operation, and send nothing')
    .option('--quiet', 'no progress bar; one line per failing rule (also when CI is set)')
    .addHelpText('after', '\nExamples:\n  npx kms-conformance run                                   # the bundled mock, reports in ./conformance-report\n  npx kms-conformance run --endpoint http://127.0.0.1:4566 --seed 42\n  npx kms-conformance run --endpoint https://kms.example.com --allow-remote --dry-run\n  npx kms-conformance run --seed 42 --shard 1/3 --out shard-1   # then 2/3, 3/3; kms-conformance merge shard-*/results.json\n')
    .action(async (flags: RunFlags) => {
      const controller = new AbortController();
      let count = 0;
      const onSigint = (): void => {
        count++;
        if (count === 1) {
          ctx.err.write('\nstopping: no new cases; finishing cases in flight, cleaning up keys and writing results (Ctrl-C again to exit at once)\n');
          controller.abort();
        } else process.exit(130);
      };
      process.on('SIGINT', onSigint);
      try {
        await runRun(flags, ctx, controller.signal);
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}
