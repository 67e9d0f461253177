/**
 * Errors of the bundled mock. A {@link MockConfigError} is the user's to fix (a bad option): it
 * names the option, the value and what to do. A {@link MockInternalError} is a bug in
 * kms-conformance itself (for example the oracle and the model disagreeing) and is never reported
 * as a conformance failure of anyone's code.
 */

import { KmsConformanceUserError } from '../contract/errors.ts';

const PREFIX = '[kms-conformance mock]';
const DOCS = 'See mocks/README.md.';

/** A bad mock option or call argument; `option` names it as the caller wrote it, e.g. `faults.throttleRate`. */
export class MockConfigError extends KmsConformanceUserError {
  override name = 'MockConfigError';
  constructor(option: string, problem: string) {
    super(option, problem, `${PREFIX} ${option}: ${problem} ${DOCS}`);
  }
}

/** A bug in kms-conformance's mock (not in the code under test). */
export class MockInternalError extends Error {
  override readonly name = 'MockInternalError';
  constructor(message: string) {
    super(`${PREFIX} internal error: ${message}. This is a bug in kms-conformance; please report it with the request that caused it.`);
  }
}
