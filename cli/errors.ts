/**
 * Errors the command line turns into exit codes. A `UsageError` is the user's to fix (exit 2):
 * it says what was wrong, the value, and what to do. A `HarnessError` is ours (exit 3).
 */
/** Bad usage or configuration: the message says what was wrong, the value and what to do (exit 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

/** A bug or failure of kms-conformance itself, not of the user's input or the target (exit 3). */
export class HarnessError extends Error {
  override readonly name = 'HarnessError';
  readonly exitCode = 3;
}

/**
 * Parses a whole-number flag in `[min, max]` or throws a {@link UsageError} naming the flag, the
 * value and the range; `example` is the value the message suggests.
 */
export function parseWholeNumber(flag: string, raw: string, min: number, max: number, example: number = min): number {
  if (!/^\d+$/.test(raw.trim())) {
    throw new UsageError(`${flag} must be a whole number, got '${raw}'. Example: ${flag} ${example}`);
  }
  const n = Number(raw);
  if (n < min || n > max) throw new UsageError(`${flag} must be between ${min} and ${max}, got ${raw}.`);
  return n;
}

/** Parses a positive integer flag or throws a {@link UsageError} naming the flag and the value. */
export function parsePositiveInt(flag: string, raw: string, max = Number.MAX_SAFE_INTEGER): number {
  return parseWholeNumber(flag, raw, 1, max, 100);
}

/** Parses a seed (any 32-bit signed integer, as fast-check takes it) or throws a {@link UsageError}. */
export function parseSeed(flag: string, raw: string): number {
  if (!/^-?\d+$/.test(raw.trim())) throw new UsageError(`${flag} must be an integer, got '${raw}'. Example: ${flag} 42`);
  const n = Number(raw);
  if (n < -(2 ** 31) || n > 2 ** 31 - 1) throw new UsageError(`${flag} must fit in a 32-bit signed integer, got ${raw}.`);
  return n;
}
