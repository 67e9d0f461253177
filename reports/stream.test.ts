import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ResultsLayoutError, ResultsWriter, RESULTS_FILE, streamResults } from '../scoring/results-file.ts';
import type { CaseRecord, RunResults, RunSummary } from '../scoring/results.ts';
import { REPORT_FORMATS, writeReports, writeReportsFromStream } from './index.ts';
import { buildRunResults } from './test/fixtures.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'kmsc-stream-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** results.json as the runner writes it. */
async function resultsFile(results: RunResults): Promise<string> {
  const dir = tempDir();
  const { cases, ...summary } = results;
  const writer = await ResultsWriter.open(dir);
  for (const c of cases) writer.add(c);
  await writer.drained();
  return writer.finish(summary as RunSummary);
}

async function* each(cases: readonly CaseRecord[]): AsyncGenerator<CaseRecord> {
  for (const c of cases) yield c;
}

/** Every report file of `dir`, by name. */
function files(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

const others = REPORT_FORMATS.filter((f) => f !== 'json');

describe('writeReportsFromStream', () => {
  it.each([
    ['the fixture run', buildRunResults()],
    // More failures of one finding code than a report shows (200), a huge reason (a <testcase>
    // larger than the JUnit writer's first read buffer), and a case in no rule.
    [
      'a run with 450 extra failures, a failing case of 200 KB and a case in no rule',
      ((): RunResults => {
        const r = buildRunResults({ extraFailures: 450 });
        const big = r.cases.findIndex((c) => c.verdict === 'fail');
        const cases = r.cases.map((c, i) => (i === big ? { ...c, sentNote: `x${'é'.repeat(100_000)}` } : c));
        return { ...r, cases: [...cases, { ...cases[0]!, id: 'no-rule:1', ruleIds: [] }] };
      })(),
    ],
  ])('writes the very files writeReports writes, from cases read one at a time (%s)', async (_, results) => {
    const whole = tempDir();
    const streamed = tempDir();
    writeReports(results, whole, others, { reportDir: 'out' });
    const written = await writeReportsFromStream(results, each(results.cases), streamed, others, { reportDir: 'out' });
    expect(written).toEqual(['junit.xml', 'report.html', 'summary.md', 'badge.svg'].map((f) => join(streamed, f)));
    const a = files(whole);
    const b = files(streamed);
    expect(Object.keys(b).sort()).toEqual(['badge.svg', 'junit.xml', 'report.html', 'summary.md']); // no temporary file left
    for (const f of Object.keys(a)) expect(b[f], f).toBe(a[f]);
  });

  it('shows the first 200 failing cases of a finding code and counts the rest (the proof the digest is bounded)', async () => {
    const results = buildRunResults({ extraFailures: 450 });
    const dir = tempDir();
    await writeReportsFromStream(results, each(results.cases), dir, ['html']);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const groups = [...html.matchAll(/<section class="finding-group" id="finding-([^"]+)"><h3><code>[^<]*<\/code> — (\d+) case\(s\)<\/h3>(.*?)<\/section>/gs)];
    const big = groups.find((g) => Number(g[2]) > 200);
    expect(big).toBeDefined();
    expect([...big![3]!.matchAll(/<details class="case"/g)]).toHaveLength(200);
    expect(big![3]).toContain(`… and ${Number(big![2]) - 200} more`);
  });

  it('writes only the formats asked for', async () => {
    const results = buildRunResults();
    const dir = tempDir();
    expect(await writeReportsFromStream(results, each(results.cases), dir, ['badge', 'md'])).toEqual([join(dir, 'summary.md'), join(dir, 'badge.svg')]);
    expect(readdirSync(dir).sort()).toEqual(['badge.svg', 'summary.md']);
  });
});

describe('streamResults', () => {
  it('reads back the summary and every case of a results.json the runner wrote', async () => {
    const results = buildRunResults({ extraFailures: 30 });
    const file = await resultsFile(results);
    const { summary, cases } = await streamResults(file);
    const read: CaseRecord[] = [];
    for await (const c of cases) read.push(c);
    const { cases: _, ...expected } = results;
    expect(summary).toEqual(expected);
    expect(read).toEqual(results.cases);
    const whole = JSON.parse(readFileSync(file, 'utf8')) as RunResults;
    expect(read).toEqual(whole.cases);
  });

  it('reads a run without cases', async () => {
    const results = { ...buildRunResults(), cases: [] };
    const { cases } = await streamResults(await resultsFile(results));
    const read: CaseRecord[] = [];
    for await (const c of cases) read.push(c);
    expect(read).toEqual([]);
  });

  it('refuses a results.json laid out another way, or cut short, naming the file and what is wrong', async () => {
    const results = buildRunResults();
    const dir = tempDir();
    const reformatted = join(dir, 'pretty.json');
    writeFileSync(reformatted, JSON.stringify(results, null, 2));
    const read = async (file: string): Promise<number> => {
      const { cases } = await streamResults(file);
      let n = 0;
      for await (const _ of cases) n++;
      return n;
    };
    await expect(read(reformatted)).rejects.toThrow(ResultsLayoutError);
    await expect(read(reformatted)).rejects.toThrow(/pretty\.json: case 1 is not one JSON value on one line/);
    const oneLine = join(dir, 'one-line.json');
    writeFileSync(oneLine, JSON.stringify(results));
    await expect(read(oneLine)).rejects.toThrow(/one-line\.json: no line "  \\"cases\\": \[" follows the summary/);
    const full = readFileSync(await resultsFile(results), 'utf8');
    const cut = join(dir, RESULTS_FILE);
    writeFileSync(cut, full.slice(0, full.lastIndexOf('\n  ]')));
    await expect(read(cut)).rejects.toThrow(new RegExp(`the case list does not end \\(${results.cases.length} cases read\\); the file is cut short`));
  });
});
