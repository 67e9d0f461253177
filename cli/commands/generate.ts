/**
 * `kms-conformance generate`: prints generated cases as JSON lines (one case per line, with its
 * label, the identity it assumes and the `{seed, path}` that replays it), or with `--stats` the
 * coverage table of a run.
 */
import type { Command } from 'commander';
import fc from 'fast-check';
import { resolveContractVersion } from '../../contract/versions.ts';
import { createGeneratorContext, type GeneratorContext } from '../../generators/context.ts';
import { caseArb, caseToJson, GENERATE_KINDS, isGenerateKind, type GenerateKind, type GeneratedCase } from '../../generators/kinds.ts';
import { collectStats, coverageVerdict, DEFAULT_STATS_RUNS, formatStats } from '../../generators/stats.ts';
import { parsePositiveInt, parseSeed, UsageError } from '../errors.ts';
import type { CliContext } from '../main.ts';

interface GenerateOptions {
  readonly kind?: string;
  readonly count?: string;
  readonly seed?: string;
  readonly contract: string;
  readonly stats?: boolean;
}

/** Most cases one `generate` call prints. */
export const MAX_GENERATE_COUNT = 100_000;

/** Default number of cases printed when `--count` is absent. */
export const DEFAULT_GENERATE_COUNT = 10;

/** The JSON line of one case. */
export function caseLine(c: GeneratedCase, origin: { seed: number; path: string }, ctx: GeneratorContext): Record<string, unknown> {
  return {
    kind: c.kind,
    label: c.value.label,
    ...caseToJson(c),
    identity: { partition: ctx.partition, accountId: ctx.accountId, region: ctx.region, caller: ctx.caller },
    contract: ctx.version,
    origin,
  };
}

function parseKind(raw: string | undefined): GenerateKind {
  if (raw === undefined) throw new UsageError(`--kind is required. Valid kinds: ${GENERATE_KINDS.join(', ')}. Example: generate --kind invalid-policy --count 5`);
  if (!isGenerateKind(raw)) throw new UsageError(`unknown --kind '${raw}'. Valid kinds: ${GENERATE_KINDS.join(', ')}. Example: --kind valid-policy`);
  return raw;
}

function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

/** Registers `generate` on the program. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('generate')
    .description('print generated cases as JSON lines (valid/invalid key policies, requests, wire mutations), or their coverage with --stats')
    .option('--kind <kind>', `what to generate: ${GENERATE_KINDS.join(', ')}`)
    .option('--count <n>', `how many cases (default ${DEFAULT_GENERATE_COUNT}; with --stats the kind's default run size)`)
    .option('--seed <n>', 'fast-check seed (32-bit integer); random when absent, printed in every line (env KMS_CONFORMANCE_SEED)')
    .option('--contract <version>', 'contract version the labels hold in: latest, 2017-02-15, 2024-03-18, 2025-06-05 (or a prefix)', 'latest')
    .addHelpText('after', '\nExamples:\n  npx kms-conformance generate --kind invalid-policy --count 5 --seed 42\n  npx kms-conformance generate --kind wire --stats\n')
    .option('--stats', 'print how often each declared feature, mutation and boundary appears instead of the cases (exit 1 if one is never reached in a run of the default size or more)')
    .action((opts: GenerateOptions) => {
      const kind = parseKind(opts.kind);
      const rawSeed = opts.seed ?? process.env.KMS_CONFORMANCE_SEED;
      const seed = rawSeed === undefined ? randomSeed() : parseSeed(opts.seed === undefined ? 'KMS_CONFORMANCE_SEED' : '--seed', rawSeed);
      const context = createGeneratorContext({ version: resolveContractVersion(opts.contract) });
      if (opts.stats) {
        const runs = opts.count === undefined ? DEFAULT_STATS_RUNS[kind] : parsePositiveInt('--count', opts.count, MAX_GENERATE_COUNT);
        const report = collectStats(kind, { runs, seed, context });
        ctx.out.write(formatStats(report));
        // Only a run of the kind's full size can show a generator defect; a smaller one just reports.
        if (coverageVerdict(report) === 'incomplete') ctx.exitCode = 1;
        return;
      }
      const count = opts.count === undefined ? DEFAULT_GENERATE_COUNT : parsePositiveInt('--count', opts.count, MAX_GENERATE_COUNT);
      // fc.check streams the runs (no list of all cases in memory); run i is the case at path "i",
      // the same value fc.sample and replayCase give for {seed, path: "i"}.
      let index = 0;
      fc.check(
        fc.property(caseArb(kind, { context }), (c) => {
          ctx.out.write(`${JSON.stringify(caseLine(c, { seed, path: String(index++) }, context))}\n`);
          return true;
        }),
        { seed, numRuns: count },
      );
    });
}
