/**
 * The user-error base class of kms-conformance, below every other folder so that the contract,
 * the mock and the command line throw the same kind of error for a user's mistake. A library
 * caller reads the option's own name (`contractVersion`, `seed`); the command line catches the
 * error, turns the option into its flag and adds an example (`cli/errors.ts`), and exits with 2.
 */

/**
 * A mistake of the user's: a bad option, argument or setting. `option` names it as the caller
 * wrote it (`contractVersion`, `faults.throttleRate`, `--port`); `problem` says what was wrong, the
 * value and what to do, without the option name; `message` is both.
 *
 * @example
 * try { resolveContractVersion('nonsense') } catch (e) {
 *   if (e instanceof KmsConformanceUserError) console.error(e.option, e.problem);
 * }
 */
export class KmsConformanceUserError extends Error {
  override name = 'KmsConformanceUserError';
  /** The option, argument or setting that was wrong, as the caller wrote it. */
  readonly option: string;
  /** What was wrong, the value and what to do, without the option's name. */
  readonly problem: string;
  /**
   * @param option - the option's name (empty when the error concerns no single option).
   * @param problem - what was wrong, the value and what to do.
   * @param message - the full message; `"<option>: <problem>"` by default.
   */
  constructor(option: string, problem: string, message: string = option === '' ? problem : `${option}: ${problem}`) {
    super(message);
    this.option = option;
    this.problem = problem;
  }
}

/**
 * Parses a whole number in `[min, max]` given to `option` (a string from a flag or an environment
 * variable), or throws a {@link KmsConformanceUserError} naming the option, the value and the range.
 */
export function parseWholeNumberOption(option: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw.trim())) throw new KmsConformanceUserError(option, `must be a whole number, got '${raw}'.`);
  const n = Number(raw);
  if (n < min || n > max) throw new KmsConformanceUserError(option, `must be between ${min} and ${max}, got ${raw}.`);
  return n;
}

/**
 * Parses a seed (any 32-bit signed integer, as fast-check takes it) given to `option`, or throws a
 * {@link KmsConformanceUserError} naming the option and the value.
 */
export function parseSeedOption(option: string, raw: string): number {
  if (!/^-?\d+$/.test(raw.trim())) throw new KmsConformanceUserError(option, `must be an integer, got '${raw}'.`);
  const n = Number(raw);
  if (n < -(2 ** 31) || n > 2 ** 31 - 1) throw new KmsConformanceUserError(option, `must fit in a 32-bit signed integer, got ${raw}.`);
  return n;
}
