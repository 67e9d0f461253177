/**
 * `kms-conformance compare A/results.json B/results.json … [--out DIR]`: puts several runs side by
 * side, one column per target, and writes `compare.html` and `compare.md` into `--out`. Missing or
 * invalid files are usage errors (exit 2) that name the file and what to do.
 */
import type { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { CompareInputError, writeComparison } from '../../reports/compare.ts';
import { readResultsSummary } from '../../scoring/results-file.ts';
import { UsageError } from '../errors.ts';
import type { CliContext } from '../main.ts';

interface CompareFlags {
  readonly out: string;
}

/** Registers `compare` on the program. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('compare')
    .description("put several runs' results.json side by side, one column per target (writes compare.html and compare.md)")
    .argument('<results...>', 'results.json files of the runs to compare (at least two)')
    .option('--out <dir>', 'directory to write compare.html and compare.md into', 'conformance-report')
    .addHelpText('after', '\nExamples:\n  npx kms-conformance compare mock/results.json localstack/results.json\n  npx kms-conformance compare runs/*/results.json --out comparison\n')
    .action((files: string[], opts: CompareFlags) => {
      if (files.length < 2) throw new UsageError(`compare needs at least two results.json files, got ${files.length} (${files.join(', ')}). Example: kms-conformance compare mock/results.json emulator/results.json`);
      let result: ReturnType<typeof writeComparison>;
      try {
        mkdirSync(opts.out, { recursive: true });
        result = writeComparison(files, opts.out, { readSummary: readResultsSummary });
      } catch (e) {
        if (e instanceof CompareInputError) throw new UsageError(e.message);
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EACCES' || code === 'ENOTDIR' || code === 'EEXIST' || code === 'EROFS') throw new UsageError(`--out ${opts.out}: cannot write there (${(e as Error).message}). Give a directory you can write to.`);
        throw e;
      }
      const { comparison, written } = result;
      const disagree = comparison.rows.filter((r) => r.status === 'disagree').length;
      ctx.out.write(`Compared ${comparison.columns.length} runs (${comparison.columns.map((c) => c.name).join(', ')}): ${comparison.rows.length} rules, ${disagree} where the targets disagree.\n`);
      for (const w of written) ctx.out.write(`wrote ${w}\n`);
    });
}
