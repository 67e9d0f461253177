/**
 * `kms-conformance replay FILE…`: re-sends saved failing cases (from a report's `cases/`) and says
 * FIXED, STILL FAILING or ERROR for each. Exit code 0 when all are fixed, 1 when one still fails,
 * 3 when one could not be replayed.
 */
import type { Command } from 'commander';
import { RunConfigError } from '../../replay/errors.ts';
import { replayFiles } from '../../replay/replay.ts';
import { describeExpected, describeObservation } from '../../scoring/verdict.ts';
import { UsageError, parseWholeNumber } from '../errors.ts';
import type { CliContext } from '../main.ts';
import { DIVERGENCES } from '../../mocks/divergences.ts';
import { sequenceStepLines } from '../../reports/common.ts';

interface ReplayFlags {
  readonly endpoint?: string;
  readonly allowRemote?: boolean;
  readonly allowLockout?: boolean;
  readonly convergeTimeout?: string;
  readonly divergence?: readonly string[];
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Registers `replay`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('replay')
    .description('Re-send saved failing cases (a report\'s cases/*.json) and say FIXED, STILL FAILING or ERROR for each')
    .argument('<file...>', 'replay files')
    .option('--endpoint <url>', 'send here instead of the endpoint recorded in the file (env KMS_CONFORMANCE_ENDPOINT)')
    .option('--allow-remote', 'allow a non-loopback endpoint')
    .option('--allow-lockout', 'on a remote endpoint, also replay cases that may lock the caller out')
    .option('--converge-timeout <ms>', 'how long read-after-write checks wait (default 10000)')
    .option('--divergence <name>', 'bundled mock only: replay against a mock with this divergence profile (repeatable)', collect)
    .addHelpText('after', '\nExamples:\n  npx kms-conformance replay conformance-report/cases/request-42-7-sdk.json\n  npx kms-conformance replay conformance-report/cases/*.json --endpoint http://127.0.0.1:4566\n')
    .action(async (files: string[], flags: ReplayFlags) => {
      const divergences = flags.divergence?.flatMap((d) => d.split(',')).filter((d) => d !== '') ?? [];
      for (const d of divergences) if (!Object.hasOwn(DIVERGENCES, d)) throw new UsageError(`--divergence: '${d}' is not a profile. Profiles: ${Object.keys(DIVERGENCES).join(', ')}.`);
      const endpoint = flags.endpoint ?? (process.env.KMS_CONFORMANCE_ENDPOINT || undefined);
      let outcomes;
      try {
        outcomes = await replayFiles(files, {
          ...(endpoint === undefined ? {} : { endpoint }),
          allowRemote: flags.allowRemote === true,
          allowLockout: flags.allowLockout === true,
          ...(flags.convergeTimeout === undefined ? {} : { convergeTimeoutMs: parseWholeNumber('--converge-timeout', flags.convergeTimeout, 0, 3_600_000, 10_000) }),
          ...(divergences.length > 0 ? { mock: { divergences: divergences as never } } : {}),
        });
      } catch (e) {
        if (e instanceof RunConfigError) throw new UsageError(e.message.replace(/^runConformance: /, '').replace(/set allowRemote: true/g, 'pass --allow-remote'));
        throw e;
      }
      let code = 0;
      for (const o of outcomes) {
        if (o.status === 'FIXED') ctx.out.write(`FIXED ${o.file}\n`);
        else if (o.status === 'STILL FAILING') {
          code = Math.max(code === 3 ? 3 : code, 1);
          ctx.out.write(`STILL FAILING ${o.file}\n`);
          for (const l of sequenceStepLines(o.record)) ctx.out.write(`  ${l}\n`);
          for (const f of o.record.findings ?? []) ctx.out.write(`  ${f.code} [${f.ruleIds.join(', ')}]: expected ${f.expected}, got ${f.observed}\n`);
          if ((o.record.findings ?? []).length === 0) ctx.out.write(`  expected ${describeExpected(o.record.expected)}, got ${describeObservation(o.record.observed)}\n`);
        } else {
          code = 3;
          ctx.out.write(`ERROR ${o.file}: ${o.reason}\n`);
        }
      }
      ctx.exitCode = code;
    });
}
