/**
 * Errors the command line turns into exit codes. Every user mistake is a
 * {@link KmsConformanceUserError} (the contract's base class, exit 2); a `UsageError` is one the
 * command line words itself, naming the flag. A library error that names an option
 * (`contractVersion`) is reworded by {@link flagMessage} to name the flag (`--contract`) and get
 * an example. A `HarnessError` is ours (exit 3).
 */
import { KmsConformanceUserError, parseSeedOption, parseWholeNumberOption } from '../contract/errors.ts';

/** Bad usage or configuration: the message says what was wrong, the value and what to do (exit 2). */
export class UsageError extends KmsConformanceUserError {
  override name = 'UsageError';
  readonly exitCode = 2;
  /**
   * @param message - the whole message, naming the flag.
   * @param flag - the flag it concerns, when there is one (e.g. `--port`).
   */
  constructor(message: string, flag = '') {
    super(flag, message, message);
  }
}

/** A bug or failure of kms-conformance itself, not of the user's input or the target (exit 3). */
export class HarnessError extends Error {
  override readonly name = 'HarnessError';
  readonly exitCode = 3;
}

/** Library option names and the flag that sets each, with an example of a valid value. */
const FLAGS: Readonly<Record<string, { readonly flag: string; readonly example: string }>> = {
  contractVersion: { flag: '--contract', example: '2024-03-18' },
  seed: { flag: '--seed', example: '42' },
  region: { flag: '--region', example: 'us-east-1' },
  accountId: { flag: '--account', example: '111122223333' },
  readLagMs: { flag: '--read-lag-ms', example: '250' },
  maxBodyBytes: { flag: '--max-body-bytes', example: '1048576' },
};

/**
 * What the command line prints for a user error: a {@link UsageError} as it is; an error of the
 * library that names an option the command line sets by a flag, reworded to name the flag and end
 * with an example (`--contract: unknown contract version 'x'. … Example: --contract 2024-03-18`).
 */
export function flagMessage(e: KmsConformanceUserError): string {
  if (e instanceof UsageError) return e.message;
  const f = FLAGS[e.option];
  return f === undefined ? e.message : `${f.flag}: ${e.problem} Example: ${f.flag} ${f.example}`;
}

/** Runs a contract parser for `flag`; its user error becomes a {@link UsageError} naming the flag, with `example` on a malformed value. */
function asFlag<T>(flag: string, parse: () => T, example: string): T {
  try {
    return parse();
  } catch (e) {
    if (!(e instanceof KmsConformanceUserError)) throw e;
    const hint = e.problem.startsWith('must be a whole number') || e.problem.startsWith('must be an integer') ? ` Example: ${flag} ${example}` : '';
    throw new UsageError(`${flag} ${e.problem}${hint}`, flag);
  }
}

/**
 * Parses a whole-number flag in `[min, max]` or throws a {@link UsageError} naming the flag, the
 * value and the range; `example` is the value the message suggests.
 */
export function parseWholeNumber(flag: string, raw: string, min: number, max: number, example: number = min): number {
  return asFlag(flag, () => parseWholeNumberOption(flag, raw, min, max), String(example));
}

/** Parses a positive integer flag or throws a {@link UsageError} naming the flag and the value. */
export function parsePositiveInt(flag: string, raw: string, max = Number.MAX_SAFE_INTEGER): number {
  return parseWholeNumber(flag, raw, 1, max, 100);
}

/** Parses a seed (any 32-bit signed integer, as fast-check takes it) or throws a {@link UsageError}. */
export function parseSeed(flag: string, raw: string): number {
  return asFlag(flag, () => parseSeedOption(flag, raw), '42');
}

/** The exit codes of every command (ARCHITECTURE.md), as the reference documents them. */
export const EXIT_CODES: readonly { readonly code: number; readonly meaning: string }[] = [
  { code: 0, meaning: 'every decided case passed (run, describeConformance), every replayed case is fixed (replay), or the command did what it was asked' },
  { code: 1, meaning: 'a case failed (run), a replayed case still fails (replay), or generate --stats found a declared feature never reached' },
  { code: 2, meaning: 'bad usage or configuration: an unknown command or flag, a bad value, a remote endpoint without --allow-remote, an expired baseline entry; nothing was sent' },
  { code: 3, meaning: 'the harness itself failed (a bug of kms-conformance, or a replay file that could not be replayed); never the target\'s fault' },
  { code: 130, meaning: 'interrupted with Ctrl-C; the results written so far are marked interrupted' },
];
