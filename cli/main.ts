#!/usr/bin/env node
/**
 * `kms-conformance` command line. Each command lives in `cli/commands/<name>.ts` and exports
 * `register(program)`. Exit codes (ARCHITECTURE.md): 0 pass, 1 a case fails, 2 bad usage or
 * configuration, 3 the harness itself failed.
 */
import { Command, CommanderError } from 'commander';
import { fileURLToPath } from 'node:url';
import { KmsConformanceUserError } from '../contract/errors.ts';
import { CONTRACT_VERSIONS } from '../contract/types.ts';
import { LATEST_VERSION } from '../contract/versions.ts';
import { toolVersion } from '../replay/tool.ts';
import { HarnessError, flagMessage } from './errors.ts';
import { register as registerRules } from './commands/rules.ts';
import { register as registerServe } from './commands/serve.ts';
import { register as registerGenerate } from './commands/generate.ts';
import { register as registerRun } from './commands/run.ts';
import { register as registerReplay } from './commands/replay.ts';
import { register as registerCompare } from './commands/compare.ts';
import { register as registerRescore } from './commands/rescore.ts';
import { register as registerMerge } from './commands/merge.ts';

/**
 * What `--version` prints: the tool's version first (scripts match `^\d+\.\d+\.\d+`), then the
 * contract versions it carries and the one `latest` resolves to.
 */
export function versionLine(): string {
  return `${toolVersion()} (contract versions ${CONTRACT_VERSIONS.join(', ')}; latest = ${LATEST_VERSION})`;
}

/** How every error line of the command line starts, ours and commander's alike. */
export const ERROR_PREFIX = 'kms-conformance:';

/** What every command gets: where to write, and a place to leave its exit code. */
export interface CliContext {
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
  /** Set by a command (e.g. 1 when a case fails); 0 when left alone. */
  exitCode: number;
}

/** The commander program with every command registered (exits are overridden: {@link main} maps them to codes). */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command();
  program
    .name('kms-conformance')
    .description('Conformance suite and mock for the AWS KMS PutKeyPolicy API')
    .version(versionLine(), '-V, --version', 'print the tool version and the contract versions it carries')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', '\nExamples:\n  npx kms-conformance run                                   # the whole suite against the bundled mock\n  npx kms-conformance run --endpoint http://127.0.0.1:4566  # against your emulator\n  npx kms-conformance <command> --help                      # a command\'s flags and examples\n\nExit codes: 0 pass, 1 a case fails, 2 bad usage or configuration, 3 the harness failed, 130 interrupted.\nReference: docs/reference.md in the package.\n')
    .exitOverride();
  registerRun(program, ctx);
  registerReplay(program, ctx);
  registerRules(program, ctx);
  registerServe(program, ctx);
  registerGenerate(program, ctx);
  registerMerge(program, ctx);
  registerCompare(program, ctx);
  registerRescore(program, ctx);
  return program;
}

/** Runs the CLI and returns the exit code (never calls process.exit itself, for tests). */
export async function main(
  argv: readonly string[],
  io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream } = { out: process.stdout, err: process.stderr },
): Promise<number> {
  const ctx: CliContext = { out: io.out, err: io.err, exitCode: 0 };
  const program = buildProgram(ctx);
  // One prefix for every error: commander's own ("error: unknown option …") gets ours too.
  const output = {
    writeOut: (s: string) => void io.out.write(s),
    writeErr: (s: string) => void io.err.write(s),
    outputError: (s: string, write: (s: string) => void) => write(s.replace(/^error: /, `${ERROR_PREFIX} `)),
  };
  program.configureOutput(output);
  for (const c of program.commands) {
    c.exitOverride();
    c.configureOutput(output);
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; anything else (an unknown command or option, a missing
      // argument, no command at all, which prints the help to stderr) is bad usage. Commander
      // has already printed the message.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof KmsConformanceUserError) {
      // Ours (UsageError) or the library's (ContractVersionError, MockConfigError): the user's to fix.
      io.err.write(`${ERROR_PREFIX} ${flagMessage(e)}\n`);
      return 2;
    }
    if (e instanceof HarnessError) {
      io.err.write(`${ERROR_PREFIX} internal error: ${e.message}\n`);
      return 3;
    }
    io.err.write(`${ERROR_PREFIX} internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 3;
  }
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === (await import('node:fs')).realpathSync(process.argv[1]);
if (invokedDirectly) {
  // A reader that stops early (`kms-conformance rules | head`) closes the pipe: end quietly, as
  // other Unix tools do, instead of crashing with an unhandled EPIPE.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
}
