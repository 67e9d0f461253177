/**
 * Errors of a run that are the user's to fix (bad options, a remote endpoint without
 * `allowRemote`): the message names the option, the value and what to do. They are
 * {@link KmsConformanceUserError}s, so the command line maps them to exit code 2; nothing has
 * been sent when one is thrown.
 */
import { KmsConformanceUserError } from '../contract/errors.ts';

/** A bad option of `runConformance` (or `replayFiles`). */
export class RunConfigError extends KmsConformanceUserError {
  override name = 'RunConfigError';
  constructor(option: string, problem: string) {
    super(option, problem, `runConformance: ${option} ${problem}`);
  }
}
