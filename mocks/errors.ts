/**
 * Errors of the bundled mock. A {@link MockConfigError} is the user's to fix (a bad option): it
 * names the option, the value and what to do. A {@link MockInternalError} is a bug in
 * kms-conformance itself (for example the oracle and the model disagreeing) and is never reported
 * as a conformance failure of anyone's code.
 */

const PREFIX = '[kms-conformance mock]';
const DOCS = 'See mocks/README.md.';

/** A bad mock option or call argument. */
export class MockConfigError extends Error {
  override readonly name = 'MockConfigError';
  /** The option or argument that was wrong, e.g. `faults.throttleRate`. */
  readonly option: string;
  /** What was wrong and what to do, without the prefix and the pointer to the docs (for the CLI). */
  readonly problem: string;
  constructor(option: string, problem: string) {
    super(`${PREFIX} ${option}: ${problem} ${DOCS}`);
    this.option = option;
    this.problem = problem;
  }
}

/** A bug in kms-conformance's mock (not in the code under test). */
export class MockInternalError extends Error {
  override readonly name = 'MockInternalError';
  constructor(message: string) {
    super(`${PREFIX} internal error: ${message}. This is a bug in kms-conformance; please report it with the request that caused it.`);
  }
}
