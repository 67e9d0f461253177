/**
 * `kms-conformance rescore FILE`: recomputes every verdict of a `results.json` with the current
 * contract, from the exchanges the file recorded, and says which changed and why. Nothing the file
 * says about verdicts is trusted, so an edited verdict shows up as a change. Exit 0 when nothing
 * changed, 1 when something did.
 */
import type { Command } from 'commander';
import { Rescorer } from '../../scoring/rescore.ts';
import { openResultsSource } from '../results-source.ts';
import type { CliContext } from '../main.ts';

/** Registers `rescore`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('rescore')
    .description('Recompute every verdict of a results.json with the current contract and say what changed and why')
    .argument('<file>', 'a results.json')
    .option('--json', 'print the changes as JSON')
    .addHelpText('after', '\nExamples:\n  npx kms-conformance rescore conformance-report/results.json\n  npx kms-conformance rescore vendor-bundle/results.json --json > changes.json\n')
    .action(async (file: string, flags: { json?: boolean }) => {
      // Two passes over the cases, one at a time: a file of any size is re-scored in flat memory.
      const source = await openResultsSource(file, { command: 'rescore', expected: 'the results.json of a run' });
      const results = source.results;
      const rescorer = new Rescorer(results);
      for await (const c of source.cases(true)) rescorer.note(c);
      for await (const c of source.cases(false)) rescorer.check(c);
      const report = rescorer.report();
      if (flags.json) {
        ctx.out.write(`${JSON.stringify({ version: report.version, sameCatalogue: report.sameCatalogue, checked: report.checked, kept: report.kept, changes: report.changes }, null, 2)}\n`);
      } else {
        ctx.out.write(`rescored ${report.checked} cases of ${file} with contract ${report.version} (${report.kept} skipped or errored cases kept as recorded)\n`);
        ctx.out.write(report.sameCatalogue ? 'the rule catalogue is the one the run was scored with\n' : 'the rule catalogue differs from the one the run was scored with (catalogueHash)\n');
        if (results.tool.contentHash !== undefined) ctx.out.write(`scored by ${results.tool.name} ${results.tool.version} (${results.tool.contentHash.slice(0, 19)}…)\n`);
        if (report.changes.length === 0) ctx.out.write('no verdict changed\n');
        else {
          ctx.out.write(`${report.changes.length} case(s) changed:\n`);
          for (const c of report.changes.slice(0, 50)) {
            ctx.out.write(`  ${c.id}: ${c.before.verdict} [${c.before.ruleIds.join(', ')}] → ${c.after.verdict} [${c.after.ruleIds.join(', ')}]\n`);
            for (const r of c.reasons) ctx.out.write(`    - ${r}\n`);
          }
          if (report.changes.length > 50) ctx.out.write(`  … and ${report.changes.length - 50} more (use --json)\n`);
        }
      }
      ctx.exitCode = report.changes.length === 0 ? 0 : 1;
    });
}
