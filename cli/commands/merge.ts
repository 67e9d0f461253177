/**
 * `kms-conformance merge FILE… [--out DIR] [--format …] [--baseline FILE]`: combines the
 * `results.json` files of a sharded run (`run --shard i/n`) into one report directory whose
 * verdicts, counts, score, error-code matrix and blame are the unsharded run's
 * (`scoring/merge.ts`). Each failing case's replay file is copied from its shard's directory.
 * Shards of different runs, a shard given twice or a missing shard are usage errors (exit 2);
 * otherwise the exit code is the merged run's (0 every decided case passed, 1 a case fails).
 */
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { readBaseline } from '../../scoring/baseline.ts';
import { checkMergeable, mergeShards, type ShardInput } from '../../scoring/merge.ts';
import { ResultsWriter, RESULTS_FILE } from '../../scoring/results-file.ts';
import type { CaseRecord, RunResults } from '../../scoring/results.ts';
import { consoleSummary, parseFormats, useColor, validateResults, writeReports } from '../../reports/index.ts';
import { UsageError } from '../errors.ts';
import type { CliContext } from '../main.ts';

interface MergeFlags {
  readonly out: string;
  readonly format?: string;
  readonly baseline?: string;
  readonly quiet?: boolean;
}

/** Reads and validates one shard's `results.json`. */
async function readShard(file: string): Promise<ShardInput> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`merge: cannot read ${file} as JSON (${e instanceof Error ? e.message : String(e)}). Pass the results.json of each shard (run --shard i/n).`);
  }
  const valid = validateResults(data);
  if (!valid.ok) throw new UsageError(`merge: ${file} is not a valid results.json: ${valid.errors.slice(0, 3).join('; ')}`);
  return { file, results: valid.results };
}

/**
 * Copies each failing record's replay file from its shard's report directory into `out`; a record
 * whose file is gone loses its `replayFile` (and is counted).
 */
async function copyReplayFiles(shard: ShardInput, out: string): Promise<{ input: ShardInput; missing: number }> {
  const from = dirname(shard.file);
  let missing = 0;
  const cases: CaseRecord[] = [];
  for (const r of shard.results.cases) {
    if (r.replayFile === undefined) {
      cases.push(r);
      continue;
    }
    const target = join(out, r.replayFile);
    try {
      await mkdir(dirname(target), { recursive: true });
      await copyFile(join(from, r.replayFile), target);
      cases.push(r);
    } catch {
      missing++;
      const { replayFile: _gone, ...rest } = r;
      cases.push(rest);
    }
  }
  return { input: { file: shard.file, results: { ...shard.results, cases } }, missing };
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
  const shards = await Promise.all(files.map(readShard));
  // Checked before anything is written: shards of different runs leave --out untouched.
  checkMergeable(shards, { ...(baseline === undefined ? {} : { baseline }) });
  try {
    await mkdir(out, { recursive: true });
  } catch (e) {
    throw new UsageError(`--out ${out}: cannot write there (${(e as Error).message}). Give a directory you can write to.`, '--out');
  }
  let missing = 0;
  const copied: ShardInput[] = [];
  for (const s of shards) {
    const c = await copyReplayFiles(s, out);
    missing += c.missing;
    copied.push(c.input);
  }
  const merged = mergeShards(copied, { ...(baseline === undefined ? {} : { baseline }) });
  const writer = await ResultsWriter.open(out);
  for (const r of merged.records) {
    writer.add(r);
    await writer.drained();
  }
  await writer.finish(merged.summary);
  const written = [RESULTS_FILE, ...(merged.failures.some((f) => f.replayFile !== undefined) ? ['cases/'] : [])];
  const others = formats.filter((f) => f !== 'json');
  if (others.length > 0) {
    const full: RunResults = { ...merged.summary, cases: merged.records };
    written.push(...writeReports(full, out, others, { reportDir: out }).map((p) => relative(out, p)));
  }
  if (flags.quiet !== true) ctx.err.write(`merged ${shards.length} shard${shards.length > 1 ? 's' : ''} of seed ${merged.summary.run.seed}: ${merged.records.length} case records, blame settled over all of them\n`);
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
