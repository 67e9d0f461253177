/**
 * Runs the mock server in a child process for the fuzz and soak runs (`server-child.ts`), and
 * talks to it over IPC. Loopback only, port 0.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MockServerOptions } from '../../mocks/server.ts';

/** What the server process counted (from its request log). */
export interface ServerStats {
  /** Answers sent (one log line each). */
  answers: number;
  /** `"<status> <code>"` → count, e.g. `"400 SerializationException"`, `"200 -"`. */
  readonly byCode: Record<string, number>;
  /** Connections dropped by the handler (only fault profiles do that). */
  dropped: number;
}

/** Messages to the child. */
export type ChildRequest = 'memory' | 'stats' | 'close';
/** Messages from the child. */
export type ChildReply =
  | { readonly kind: 'listening'; readonly port: number }
  | { readonly kind: 'memory'; readonly rss: number; readonly heapUsed: number; readonly cpuMs: number }
  | { readonly kind: 'stats'; readonly stats: ServerStats };

/** The options the child accepts: everything JSON can carry. */
export type ChildServerOptions = Omit<MockServerOptions, 'model' | 'onRequest' | 'clock' | 'host' | 'port'>;

/** A running server process. */
export interface ServerProcess {
  readonly port: number;
  /** Memory of the server process after two full GCs, in bytes, and the CPU time it has used so far. */
  memory(): Promise<{ rss: number; heapUsed: number; cpuMs: number }>;
  stats(): Promise<ServerStats>;
  /** How the process ended, once it has: `undefined` while it runs. */
  readonly exit: () => { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Stops the server and waits for the process to end (killed after `graceMs`). */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const CHILD = fileURLToPath(new URL('./server-child.ts', import.meta.url));

/**
 * Starts the mock server in a child process and resolves once it listens. With `cpuProfileDir`,
 * the process writes a V8 CPU profile there when it exits (`node --cpu-prof`).
 */
export async function startServerProcess(options: ChildServerOptions, cpuProfileDir?: string): Promise<ServerProcess> {
  const profile = cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`];
  const child: ChildProcess = fork(CHILD, [JSON.stringify(options)], { execArgv: ['--import', 'tsx', ...profile], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let ended: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      ended = { code, signal };
      resolve(ended);
    }),
  );
  const ask = <K extends ChildReply['kind']>(request: ChildRequest, kind: K): Promise<Extract<ChildReply, { kind: K }>> =>
    new Promise((resolve, reject) => {
      const on = (m: ChildReply): void => {
        if (m.kind !== kind) return;
        child.off('message', on);
        resolve(m as Extract<ChildReply, { kind: K }>);
      };
      child.on('message', on);
      void exited.then((e) => reject(new Error(`the server process ended (code ${e.code}, signal ${e.signal}) before answering '${request}'`)));
      child.send(request);
    });
  const listening = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: ChildReply) => (m.kind === 'listening' ? resolve(m.port) : reject(new Error(`unexpected first message ${JSON.stringify(m)}`))));
    void exited.then((e) => reject(new Error(`the server process ended (code ${e.code}, signal ${e.signal}) before listening`)));
  });
  return {
    port: listening,
    memory: async () => {
      const m = await ask('memory', 'memory');
      return { rss: m.rss, heapUsed: m.heapUsed, cpuMs: m.cpuMs };
    },
    stats: async () => (await ask('stats', 'stats')).stats,
    exit: () => ended,
    async stop(graceMs = 5_000) {
      if (ended !== undefined) return ended;
      child.send('close');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const e = await exited;
      clearTimeout(timer);
      return e;
    },
  };
}
