/**
 * Errors of a run that are the user's to fix (bad options, a remote endpoint without
 * `--allow-remote`): the message names the option, the value and what to do. The command line
 * maps them to exit code 2; nothing has been sent when one is thrown.
 */
export class RunConfigError extends Error {
  override readonly name = 'RunConfigError';
  /** The option at fault, as the library names it (`endpoint`, `runs`, …). */
  readonly option: string;
  constructor(option: string, message: string) {
    super(`runConformance: ${option} ${message}`);
    this.option = option;
  }
}
