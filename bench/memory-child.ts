/**
 * Child process of the memory benchmark: one `runConformance` against the bundled mock with
 * `--runs` given, writing its report to the given directory, then one JSON line with the case
 * count, the wall time and the process's peak RSS (`process.resourceUsage().maxRSS`).
 * Usage: `node --import tsx bench/memory-child.ts RUNS OUT_DIR SEED`.
 */
import { runConformance } from '../replay/runner.ts';

const [runsArg, out, seedArg] = process.argv.slice(2);
if (runsArg === undefined || out === undefined || seedArg === undefined) {
  process.stderr.write('usage: memory-child.ts RUNS OUT_DIR SEED\n');
  process.exit(2);
}
let cases = 0;
const started = performance.now();
await runConformance({ runs: Number(runsArg), out, seed: Number(seedArg), onCase: () => void cases++ });
process.stdout.write(`${JSON.stringify({ cases, ms: Math.round(performance.now() - started), maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
