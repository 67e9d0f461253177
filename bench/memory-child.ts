/**
 * Child process of the memory benchmark: one `kms-conformance run` against the bundled mock, as a
 * user runs it (the CLI's own `main`, every report written into the given directory), with
 * `--runs` given, then one JSON line with the case count, the wall time and the process's peak RSS
 * (`process.resourceUsage().maxRSS`).
 * Usage: `node --import tsx bench/memory-child.ts RUNS OUT_DIR SEED`.
 */
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { main } from '../cli/main.ts';
import { RESULTS_FILE, streamResults } from '../scoring/results-file.ts';

const [runsArg, out, seedArg] = process.argv.slice(2);
if (runsArg === undefined || out === undefined || seedArg === undefined) {
  process.stderr.write('usage: memory-child.ts RUNS OUT_DIR SEED\n');
  process.exit(2);
}
let stderr = '';
const quiet = new Writable({ write: (_chunk, _enc, done) => done() });
const err = new Writable({
  write: (chunk: Buffer, _enc, done) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
    done();
  },
});
const started = performance.now();
const code = await main(['run', '--runs', runsArg, '--seed', seedArg, '--out', out, '--quiet'], { out: quiet, err });
const ms = Math.round(performance.now() - started);
const maxRssMB = process.resourceUsage().maxRSS / 1024;
if (code !== 0) {
  process.stderr.write(`memory-child: kms-conformance run exited ${code}: ${stderr}\n`);
  process.exit(1);
}
const { summary, cases } = await streamResults(join(out, RESULTS_FILE));
// Stopping the reading closes the file.
for await (const _ of cases) break;
process.stdout.write(`${JSON.stringify({ cases: summary.counts.total, ms, maxRssMB })}\n`);
