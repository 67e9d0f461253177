/**
 * Runs the command line in process (`main`) with its output captured: the exit code, stdout and
 * stderr as text.
 */
import { PassThrough } from 'node:stream';
import { main } from '../../cli/main.ts';

/** What one command line run gave. */
export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `kms-conformance …args` in process. */
export async function runCli(args: readonly string[]): Promise<CliRun> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on('data', (c: Buffer) => chunks.out.push(c));
  err.on('data', (c: Buffer) => chunks.err.push(c));
  const code = await main(args, { out, err });
  return { code, out: Buffer.concat(chunks.out).toString('utf8'), err: Buffer.concat(chunks.err).toString('utf8') };
}
