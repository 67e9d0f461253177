/**
 * The command line in process with its output captured: {@link captureOutput} gives the two
 * streams a command writes to (usable as its `CliContext`), {@link runCli} runs `main` on them;
 * and, for `serve` run as a child process, {@link servePort} waits for the port it announces.
 */
import { PassThrough, type Readable } from 'node:stream';
import { main, type CliContext } from '../../cli/main.ts';

/** A command's context whose stdout and stderr are kept as text. */
export interface CapturedOutput extends CliContext {
  readonly out: PassThrough;
  readonly err: PassThrough;
  /** What was written to stdout so far. */
  stdout(): string;
  /** What was written to stderr so far. */
  stderr(): string;
}

/** Two streams that keep what is written to them, with an exit code of 0. */
export function captureOutput(): CapturedOutput {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on('data', (c: Buffer) => chunks.out.push(c));
  err.on('data', (c: Buffer) => chunks.err.push(c));
  return {
    out,
    err,
    exitCode: 0,
    stdout: () => Buffer.concat(chunks.out).toString('utf8'),
    stderr: () => Buffer.concat(chunks.err).toString('utf8'),
  };
}

/** What one command line run gave. */
export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `kms-conformance …args` in process. */
export async function runCli(args: readonly string[]): Promise<CliRun> {
  const c = captureOutput();
  const code = await main(args, { out: c.out, err: c.err });
  return { code, out: c.stdout(), err: c.stderr() };
}

/**
 * The port a `kms-conformance serve` child process announces on its first stdout line
 * (`listening on http://127.0.0.1:PORT`). Rejects after 20 s, quoting what `stderr()` gives then.
 */
export function servePort(child: { readonly stdout: Readable }, stderr: () => string): Promise<number> {
  return new Promise<number>((resolvePort, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve printed no URL within 20 s; stderr: ${stderr()}`)), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^listening on http:\/\/127\.0\.0\.1:(\d+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePort(Number(m[1]));
      }
    });
  });
}
