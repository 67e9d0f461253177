/**
 * Records the digests of the runs in `suites/helpers/run-digest.ts` (`DIGEST_RUNS`) into
 * `suites/fixtures/run-digests.json`, which `suites/run-digest.test.ts` compares every run with.
 * The fixture was recorded with the eager runner (before lazy planning) so that the test proves
 * the lazy one judges exactly as it did; re-record only when a change to the contract or the
 * generators is meant to change what these runs judge, and say so in the commit.
 * Usage: `node --import tsx scripts/record-run-digests.ts`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConformance } from '../replay/runner.ts';
import { DIGEST_FIXTURE, DIGEST_RUNS, runDigest } from '../suites/helpers/run-digest.ts';
import { mockServer } from '../suites/helpers/servers.ts';

const runs: Record<string, unknown> = {};
for (const d of DIGEST_RUNS) {
  const dir = await mkdtemp(join(tmpdir(), 'kmsc-digest-'));
  const server = d.server ? await mockServer({ divergences: d.server.divergences }) : undefined;
  try {
    const r = await runConformance({ ...d.options, out: dir, ...(server ? { endpoint: server.url } : {}) });
    runs[d.name] = await runDigest(r, dir);
    process.stderr.write(`${d.name}: ${r.counts.total} cases, ${r.counts.fail} failing\n`);
  } finally {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  }
}
const note = 'Digests of the runs in suites/helpers/run-digest.ts (DIGEST_RUNS), recorded with scripts/record-run-digests.ts: first with the eager runner of commit 1cc0d65, again with the eager runner of commit 5bdf212 (sequences and the blame fix in, lazy planning not yet), before lazy planning was merged.';
await writeFile(DIGEST_FIXTURE, `${JSON.stringify({ note, runs }, null, 1)}\n`);
