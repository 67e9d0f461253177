/**
 * `kms-conformance merge FILE… [--out DIR] [--format …] [--baseline FILE]`: combines the
 * `results.json` files of a sharded run (`run --shard i/n`) into one report directory whose
 * verdicts, counts, score, error-code matrix and blame are the unsharded run's
 * (`scoring/merge.ts`). Each failing case's replay file is copied from its shard's directory.
 * Shards of different runs, a shard given twice or a missing shard are usage errors (exit 2);
 * otherwise the exit code is the merged run's (0 every decided case passed, 1 a case fails).
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { readBaseline } from '../../scoring/baseline.ts';
import { ShardMerger } from '../../scoring/merge.ts';
import { ResultsWriter, RESULTS_FILE, streamResults } from '../../scoring/results-file.ts';
import type { CaseRecord } from '../../scoring/results.ts';
import { consoleSummary, parseFormats, useColor, writeReportsFromStream } from '../../reports/index.ts';
import { openResultsSource } from '../results-source.ts';
import { UsageError } from '../errors.ts';
import type { CliContext } from '../main.ts';

interface MergeFlags {
  readonly out: string;
  readonly format?: string;
  readonly baseline?: string;
  readonly quiet?: boolean;
}

/**
 * Copies a failing record's replay file from its shard's report directory into `out`; a record
 * whose file is gone loses its `replayFile` (`missing` is true).
 */
async function copyReplayFile(r: CaseRecord, shardFile: string, out: string): Promise<{ record: CaseRecord; missing: boolean }> {
  if (r.replayFile === undefined) return { record: r, missing: false };
  const target = join(out, r.replayFile);
  try {
    await mkdir(dirname(target), { recursive: true });
    await copyFile(join(dirname(shardFile), r.replayFile), target);
    return { record: r, missing: false };
  } catch {
    const { replayFile: _gone, ...rest } = r;
    return { record: rest, missing: true };
  }
}

/** Runs `merge` (split from the commander action so tests can drive it in process). */
export async function runMerge(files: readonly string[], flags: MergeFlags, ctx: CliContext): Promise<void> {
  if (files.length === 0) throw new UsageError('merge needs the results.json of every shard. Example: kms-conformance merge shard-1/results.json shard-2/results.json --out merged');
  const formats = parseFormats(flags.format ?? 'all');
  const out = flags.out;
  for (const f of files) {
    if (resolve(dirname(f)) === resolve(out)) throw new UsageError(`--out ${out} is the report directory of ${f}: merging there would overwrite that shard's results. Give another directory, e.g. --out merged-report`, '--out');
  }
  const baseline = flags.baseline === undefined ? undefined : readBaseline(flags.baseline);
  const opened = await Promise.all(files.map((f) => openResultsSource(f, { command: 'merge', expected: 'the results.json of each shard (run --shard i/n)' })));
  // Checked before anything is written: shards of different runs, invalid or overlapping cases
  // leave --out untouched.
  const merger = new ShardMerger(opened, { ...(baseline === undefined ? {} : { baseline }) });
  const shards = merger.shards;
  for (const s of shards) for await (const r of s.cases(true)) merger.note(s.file, r);
  try {
    await mkdir(out, { recursive: true });
  } catch (e) {
    throw new UsageError(`--out ${out}: cannot write there (${(e as Error).message}). Give a directory you can write to.`, '--out');
  }
  let missing = 0;
  let records = 0;
  let replayFiles = false;
  const writer = await ResultsWriter.open(out);
  for (const s of shards) {
    for await (const r of s.cases(false)) {
      const copied = await copyReplayFile(r, s.file, out);
      if (copied.missing) missing++;
      const rec = merger.merged(copied.record);
      if (rec.replayFile !== undefined) replayFiles = true;
      writer.add(rec);
      await writer.drained();
      records++;
    }
  }
  const merged = merger.finish();
  await writer.finish(merged.summary);
  const written = [RESULTS_FILE, ...(replayFiles ? ['cases/'] : [])];
  const others = formats.filter((f) => f !== 'json');
  if (others.length > 0) {
    const source = await streamResults(join(out, RESULTS_FILE));
    written.push(...(await writeReportsFromStream(source.summary, source.cases, out, others, { reportDir: out })).map((p) => relative(out, p)));
  }
  if (flags.quiet !== true) ctx.err.write(`merged ${shards.length} shard${shards.length > 1 ? 's' : ''} of seed ${merged.summary.run.seed}: ${records} case records, blame settled over all of them\n`);
  if (missing > 0) ctx.err.write(`merge: ${missing} failing case${missing > 1 ? 's' : ''} had no replay file next to ${missing > 1 ? 'their' : 'its'} shard's results.json; ${missing > 1 ? 'they are' : 'it is'} reported without one\n`);
  ctx.out.write(consoleSummary(merged.summary, { color: useColor(ctx.out as NodeJS.WriteStream), reportDir: out, files: written }));
  ctx.exitCode = merged.exitCode;
}

/** Registers `merge`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('merge')
    .description("combine the results.json files of a sharded run (run --shard i/n) into one report with the unsharded run's verdicts")
    .argument('<files...>', "every shard's results.json")
    .option('--out <dir>', 'report directory to write (default ./conformance-report)', './conformance-report')
    .option('--format <list>', 'report formats: json,junit,html,md,badge or all (default all; results.json is always written)')
    .option('--baseline <file>', 'known divergences, applied after blame is settled over every shard (needed when the shards used one)')
    .option('--quiet', 'no progress line')
    .addHelpText('after', '\nExamples:\n  npx kms-conformance run --seed 42 --shard 1/2 --out shard-1 && npx kms-conformance run --seed 42 --shard 2/2 --out shard-2\n  npx kms-conformance merge shard-1/results.json shard-2/results.json --out merged\n')
    .action(async (files: string[], flags: MergeFlags) => {
      await runMerge(files, flags, ctx);
    });
}
