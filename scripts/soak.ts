/**
 * `npm run soak` — the fuzz and soak run of the mock server at a size CI does not afford
 * (default 1,000,000 requests), printing the figures `mocks/README.md` shows. Exit code 1 when
 * any answer was wrong, a write was lost, the server crashed or answered 5xx, or its memory grew
 * past the bounds the CI test uses; 2 for bad flags.
 *
 *   npm run soak -- [--requests N] [--concurrency N] [--seed N] [--scenario NAME]… [--json] [--cpu-prof DIR]
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { SCENARIOS } from '../suites/fuzz/scenarios.ts';
import { runSoak } from '../suites/fuzz/soak.ts';
import type { SoakReport } from '../suites/fuzz/soak.ts';

/** Growth bounds of the server's memory from after the warm-up to the end (the CI test's). */
export const HEAP_GROWTH_LIMIT_MB = 32;
export const RSS_GROWTH_LIMIT_MB = 96;

const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

/** What is wrong with a run, one line each (empty when it passed). */
export function problemsOf(r: SoakReport): string[] {
  const out: string[] = [];
  if (r.failureCount > 0) out.push(`${r.failureCount} wrong or missing answers: ${JSON.stringify(r.failureCodes)}`);
  if (r.ledger.findingCount > 0) out.push(`${r.ledger.findingCount} register findings (lost, torn or stale writes)`);
  if (r.server.crashed !== undefined) out.push(`the server process ended during the run: ${JSON.stringify(r.server.crashed)}`);
  if (r.server.serverErrors > 0) out.push(`${r.server.serverErrors} answers with a 5xx status`);
  if (r.server.stats.dropped > 0) out.push(`${r.server.stats.dropped} dropped connections`);
  if (r.server.exitCode !== 0) out.push(`the server process exited with ${r.server.exitCode} when stopped`);
  if (r.memory.heapGrowthMB >= HEAP_GROWTH_LIMIT_MB) out.push(`server heap grew ${r.memory.heapGrowthMB.toFixed(1)} MB (limit ${HEAP_GROWTH_LIMIT_MB})`);
  if (r.memory.rssGrowthMB >= RSS_GROWTH_LIMIT_MB) out.push(`server RSS grew ${r.memory.rssGrowthMB.toFixed(1)} MB (limit ${RSS_GROWTH_LIMIT_MB})`);
  return out;
}

/** The figures of a run as a Markdown table, then the answers by status and code. */
export function formatReport(r: SoakReport): string {
  const rows: [string, string][] = [
    ['requests', r.requests.toLocaleString('en-US')],
    ['concurrency (keep-alive lanes)', String(r.concurrency)],
    ['seed', String(r.seed)],
    ['wall time', `${(r.durationMs / 1000).toFixed(1)} s (${r.requestsPerSecond.toLocaleString('en-US')} requests/s)`],
    ['server CPU time', `${(r.cpu.serverMs / 1000).toFixed(1)} s (${r.cpu.serverRequestsPerCpuSecond.toLocaleString('en-US')} requests per CPU second)`],
    ['load generator CPU time', `${(r.cpu.clientMs / 1000).toFixed(1)} s; longest event-loop stall ${r.clientMaxLagMs} ms`],
    ['server heap after GC (warm → end)', `${mb(r.memory.before.heapUsed)} → ${mb(r.memory.after.heapUsed)} MB (${r.memory.heapGrowthMB >= 0 ? '+' : ''}${r.memory.heapGrowthMB.toFixed(2)} MB)`],
    ['server RSS (warm → end)', `${mb(r.memory.before.rss)} → ${mb(r.memory.after.rss)} MB (${r.memory.rssGrowthMB >= 0 ? '+' : ''}${r.memory.rssGrowthMB.toFixed(1)} MB)`],
    ['wrong or missing answers', String(r.failureCount)],
    ['server crashes / 5xx answers / dropped', `${r.server.crashed === undefined ? 0 : 1} / ${r.server.serverErrors} / ${r.server.stats.dropped}`],
    ['writes to the shared keys (ok / refused / closed mid-body)', `${r.ledger.writes.ok} / ${r.ledger.writes.failed} / ${r.ledger.writes.aborted} on ${r.ledger.keys} keys; ${r.ledger.reads} reads`],
    ['register findings (lost, torn, stale)', String(r.ledger.findingCount)],
  ];
  const table = ['| figure | value |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
  const scenarios = Object.entries(r.byScenario)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const codes = Object.entries(r.server.stats.byCode)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return `${table}\n\nrequests by kind: ${scenarios}\nanswers by status and code: ${codes}\n`;
}

function wholeNumber(flag: string, min: number, max: number) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) throw new InvalidArgumentError(`${flag} must be a whole number from ${min} to ${max}.`);
    return n;
  };
}

/** Runs the command line; resolves with the exit code. */
export async function main(argv: readonly string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const program = new Command('soak')
    .description('Fuzz and soak the mock server over loopback and print the figures')
    .option('--requests <n>', 'requests to send', wholeNumber('--requests', 1, 100_000_000), 1_000_000)
    .option('--concurrency <n>', 'keep-alive lanes at once', wholeNumber('--concurrency', 1, 1_000), 64)
    .option('--seed <n>', 'seed of every choice (random when absent)', wholeNumber('--seed', 0, 2 ** 31 - 1))
    .option('--scenario <name>', `only this kind of request (repeatable): ${SCENARIOS.map((s) => s.name).join(', ')}`, (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--json', 'print the whole report as JSON')
    .option('--cpu-prof <dir>', 'write a V8 CPU profile of the server process into DIR')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void out.write(s), writeErr: (s) => void err.write(s) });
  let flags: { requests: number; concurrency: number; seed?: number; scenario?: string[]; json?: boolean; cpuProf?: string };
  try {
    flags = program.parse(argv, { from: 'user' }).opts();
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  const unknown = (flags.scenario ?? []).filter((s) => !SCENARIOS.some((x) => x.name === s));
  if (unknown.length > 0) {
    err.write(`--scenario: unknown ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}.\n`);
    return 2;
  }
  const seed = flags.seed ?? Math.floor(Math.random() * 2 ** 31);
  err.write(`soak: ${flags.requests} requests, concurrency ${flags.concurrency}, seed ${seed}\n`);
  const report = await runSoak({
    requests: flags.requests,
    concurrency: flags.concurrency,
    seed,
    progressEvery: Math.max(10_000, Math.floor(flags.requests / 20)),
    onProgress: (n, ms) => void err.write(`  ${n.toLocaleString('en-US')} requests, ${(ms / 1000).toFixed(0)} s\n`),
    ...(flags.scenario === undefined ? {} : { scenarios: flags.scenario }),
    ...(flags.cpuProf === undefined ? {} : { serverCpuProfileDir: flags.cpuProf }),
  });
  out.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  const problems = problemsOf(report);
  for (const p of problems) err.write(`FAIL ${p}\n`);
  for (const f of report.failures.slice(0, 10)) err.write(`  ${f.scenario} ${f.code}: ${f.message}\n    request: ${f.request}\n`);
  for (const f of report.ledger.findings.slice(0, 10)) err.write(`  ${f.code} ${f.keyId}: ${f.message}\n`);
  return problems.length === 0 ? 0 : 1;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invokedDirectly) process.exitCode = await main(process.argv.slice(2));
