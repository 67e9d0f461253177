/**
 * The mock server under load: `wrk` (keep-alive, C, not the bottleneck) drives PutKeyPolicy with
 * a rotation of distinct generated valid policies at concurrency 1 and 32, against
 * `kms-conformance serve --quiet`, against the same with its request log on (stderr drained by
 * this process), and against a minimal Node server answering `{}` (`bench/minimal-server.js`).
 * Where `/proc` exists, the servers' CPU time per request is read around each round as well: a
 * figure that the machine's other load moves far less than throughput.
 * Servers run as child processes on 127.0.0.1, port 0, and are stopped.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A server child process and its URL. */
export interface Child {
  readonly url: string;
  readonly proc: ChildProcess;
  /** Stops it (SIGTERM, SIGKILL after 5 s) and waits for its exit. */
  stop(): Promise<void>;
}

/**
 * Starts a child that prints `listening on URL` as its first stdout line: a TypeScript file under
 * tsx, or (`compiled: true`) a JavaScript file as the package ships it.
 */
export async function startChild(args: readonly string[], nodeFlags: readonly string[] = [], { compiled = false }: { compiled?: boolean } = {}): Promise<Child> {
  const proc = spawn(process.execPath, [...nodeFlags, ...(compiled ? [] : ['--import', 'tsx']), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let errText = '';
  proc.stderr!.on('data', (c: Buffer) => {
    if (errText.length < 4000) errText += c.toString('utf8'); // the rest is drained and dropped
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`bench: ${args.join(' ')} did not print "listening on URL" within 30 s; stderr: ${errText}`)), 30_000);
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bench: ${args.join(' ')} exited (${code}) before listening; stderr: ${errText}`));
    });
  });
  return {
    url,
    proc,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}

/** Whether `wrk` can be run, and its version line. */
export function wrkVersion(): string | undefined {
  const r = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (r.error) return undefined;
  return `${r.stdout}${r.stderr}`.split('\n')[0]?.trim();
}

/** One wrk measurement. Latencies in milliseconds. */
export interface LoadResult {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  /** Answers that were not 2xx/3xx, and socket errors. */
  readonly non2xx: number;
  readonly errors: number;
}

function luaString(s: string): string {
  return `"${[...Buffer.from(s, 'utf8')].map((b) => (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\${String(b).padStart(3, '0')}`)).join('')}"`;
}

/** Writes the wrk script that rotates `bodies` and prints its figures as one JSON line. */
export async function writeWrkScript(dir: string, name: string, bodies: readonly string[], target: string): Promise<string> {
  const file = join(dir, `${name}.lua`);
  const lua = `
local bodies = {${bodies.map(luaString).join(',\n')}}
local n = #bodies
local i = 0
local headers = { ["Content-Type"] = "application/x-amz-json-1.1", ["X-Amz-Target"] = ${luaString(target)} }
function init(args) i = math.random(n) - 1 end
request = function()
  i = (i % n) + 1
  return wrk.format("POST", "/", headers, bodies[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCHJSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"non2xx":%d,"errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
`;
  await writeFile(file, lua);
  return file;
}

/**
 * Runs wrk for `seconds` at `connections` (threads: 1 at one connection, 2 otherwise). Not
 * `spawnSync`: this process keeps reading its children's output while wrk runs, as a reader of
 * `serve`'s log would; a blocked reader would leave the log piling up in the server.
 */
export async function runWrk(url: string, script: string, connections: number, seconds: number): Promise<LoadResult> {
  const threads = connections === 1 ? 1 : 2;
  const proc = spawn('wrk', ['-t', String(threads), '-c', String(connections), '-d', `${seconds}s`, '--timeout', '10s', '-s', script, `${url}/`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  proc.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const timer = setTimeout(() => proc.kill('SIGKILL'), (seconds + 30) * 1000);
  const status = await new Promise<number | string | null>((resolve, reject) => {
    proc.once('error', reject);
    proc.once('close', (code, signal) => resolve(code ?? signal));
  }).finally(() => clearTimeout(timer));
  const line = /BENCHJSON (\{.*\})/.exec(stdout);
  if (!line) throw new Error(`bench: wrk gave no figures (status ${status}): ${stdout} ${stderr}`);
  const j = JSON.parse(line[1]!) as { requests: number; duration_us: number; p50_us: number; p99_us: number; non2xx: number; errors: number };
  return { rps: (j.requests / j.duration_us) * 1e6, p50: j.p50_us / 1000, p99: j.p99_us / 1000, requests: j.requests, non2xx: j.non2xx, errors: j.errors };
}

/** Clock ticks per second of `/proc/PID/stat`'s CPU times (`getconf CLK_TCK`; 100 on Linux unless told otherwise). */
let clockTicks: number | undefined;

/**
 * CPU time (user + system) a process has used so far, in ms, from `/proc/PID/stat`; `undefined`
 * where there is no `/proc` (not Linux) or the process is gone. Resolution: one clock tick (10 ms).
 */
export function processCpuMs(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name (in parentheses, which may hold spaces): utime and stime are the 14th and 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ticks)) return undefined;
  clockTicks ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;
  return (ticks * 1000) / clockTicks;
}

/** A wrk measurement and the server's CPU time per answered request (µs; `undefined` without `/proc`). */
export interface CpuLoadResult extends LoadResult {
  readonly cpuUsPerRequest: number | undefined;
}

/** {@link runWrk} against the server process `pid`, also reading the CPU time it spent on the round. */
export async function runWrkWithCpu(url: string, pid: number, script: string, connections: number, seconds: number): Promise<CpuLoadResult> {
  const before = processCpuMs(pid);
  const r = await runWrk(url, script, connections, seconds);
  const after = processCpuMs(pid);
  const cpuUsPerRequest = before === undefined || after === undefined || r.requests === 0 ? undefined : ((after - before) * 1000) / r.requests;
  return { ...r, cpuUsPerRequest };
}

/** Sends each body once and counts the 200 answers (the rotation must be mostly successes). */
export async function successes(url: string, bodies: readonly string[], target: string): Promise<number> {
  let ok = 0;
  for (const body of bodies) {
    const r = await fetch(`${url}/`, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target }, body });
    await r.arrayBuffer();
    if (r.status === 200) ok++;
  }
  return ok;
}

/** Creates one key on a mock server and returns its id. */
export async function createKey(url: string): Promise<string> {
  const r = await fetch(`${url}/`, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.CreateKey' }, body: '{}' });
  const j = (await r.json()) as { KeyMetadata?: { KeyId?: string } };
  const id = j.KeyMetadata?.KeyId;
  if (r.status !== 200 || id === undefined) throw new Error(`bench: CreateKey on the mock server answered ${r.status} ${JSON.stringify(j)}`);
  return id;
}

/** One V8 CPU profile node (the parts we read). */
interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

/** Self time per function of the `.cpuprofile` files in `dir`, biggest first, as shares of the busy (not idle) samples. */
export async function topOfProfile(dir: string, top: number): Promise<{ fn: string; where: string; share: number }[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) throw new Error(`bench: the profiled mock server wrote no profile in ${dir}`);
  const self = new Map<string, number>();
  let total = 0;
  for (const f of files) {
    const p = JSON.parse(await readFile(join(dir, f), 'utf8')) as { nodes: ProfileNode[]; samples: number[] };
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    for (const s of p.samples) {
      const n = byId.get(s);
      if (!n || n.callFrame.functionName === '(idle)') continue; // shares of the time the server was busy
      const url = n.callFrame.url.replace(/^file:\/\//, '').replace(ROOT, '');
      const key = `${n.callFrame.functionName || '(anonymous)'}\t${url}`;
      self.set(key, (self.get(key) ?? 0) + 1);
      total++;
    }
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, v]) => {
      const [fn, where] = k.split('\t') as [string, string];
      return { fn, where, share: v / total };
    });
}

/** A V8 CPU profile as `--cpu-prof` writes it (the parts we read). */
export interface CpuProfile {
  readonly nodes: readonly (ProfileNode & { readonly children?: readonly number[] })[];
  readonly samples: readonly number[];
}

/** Whether a frame belongs to `serve`'s request log, in the compiled package. */
export function isRequestLogFrame(frame: ProfileNode['callFrame']): boolean {
  const url = frame.url.replace(/\\/g, '/');
  // The log's writer and everything it calls (the stderr write, timers it set), the line's
  // formatting, and the server's hook that builds the record and hands it over.
  return url.endsWith('/cli/commands/request-log.js') || (frame.functionName === 'formatLogLine' && url.endsWith('/cli/commands/serve.js')) || (frame.functionName === 'log' && url.endsWith('/mocks/server.js'));
}

/**
 * The share of the server's busy samples spent in its request log: samples with a frame of the log
 * (`isLogFrame`) anywhere on their stack, over samples that are not idle, counted from the first
 * sample inside a request (Node's `parserOnIncoming` on the stack), so start-up is left out. Time
 * the log costs elsewhere (collecting its garbage, the write's completion callback) is not in it.
 */
export function logShareOfProfile(p: CpuProfile, isLogFrame: (frame: ProfileNode['callFrame']) => boolean = isRequestLogFrame): { share: number; busy: number; inLog: number } {
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const memo = new Map<number, { log: boolean; request: boolean }>();
  const classify = (id: number): { log: boolean; request: boolean } => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const n = byId.get(id);
    const up = parent.get(id);
    const above = up === undefined ? { log: false, request: false } : classify(up);
    const here = n === undefined ? above : { log: above.log || isLogFrame(n.callFrame), request: above.request || n.callFrame.functionName === 'parserOnIncoming' };
    memo.set(id, here);
    return here;
  };
  let started = false;
  let busy = 0;
  let inLog = 0;
  for (const s of p.samples) {
    const c = classify(s);
    started ||= c.request;
    if (!started || byId.get(s)?.callFrame.functionName === '(idle)') continue;
    busy++;
    if (c.log) inLog++;
  }
  return { share: busy === 0 ? 0 : inLog / busy, busy, inLog };
}

/** {@link logShareOfProfile} over the one `.cpuprofile` file `--cpu-prof` wrote in `dir`. */
export async function logShareOfProfileDir(dir: string): Promise<{ share: number; busy: number; inLog: number }> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length !== 1) throw new Error(`bench: expected one CPU profile in ${dir}, found ${files.length}`);
  return logShareOfProfile(JSON.parse(await readFile(join(dir, files[0]!), 'utf8')) as CpuProfile);
}

/** A temporary directory, removed by the returned function. */
export async function tempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Compiles the package as `npm pack` does (`tsconfig.build.json` into `dist/`) and returns the path
 * of its command line, `dist/cli/main.js`: what `npx kms-conformance serve` runs, so the figures are
 * the shipped server's, not tsx's on-the-fly transform.
 */
export function buildCli(): string {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`bench: building the package (tsc -p tsconfig.build.json) failed (exit ${r.status ?? r.signal}): ${(r.stdout + r.stderr).slice(0, 2000)}`);
  return join(ROOT, 'dist', 'cli', 'main.js');
}
