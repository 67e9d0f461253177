import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResults } from '../scoring/results.ts';
import { CompareInputError, cellText, compareHtml, compareMarkdown, compareRuns, loadSummary, writeComparison } from './compare.ts';
import { openBrowser } from './test/browser.ts';
import { buildRunResults } from './test/fixtures.ts';

const divergent = buildRunResults({ target: { name: 'mock (lenient-names)' } });
const clean = buildRunResults({ failing: [], waived: false, target: { name: 'mock' }, runId: 'run-clean', seed: 7 });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kmsc-compare-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function save(name: string, r: RunResults | string): string {
  const d = join(dir, name);
  const path = join(d, 'results.json');
  mkdirSync(d, { recursive: true });
  writeFileSync(path, typeof r === 'string' ? r : JSON.stringify(r));
  return path;
}

describe('compareRuns', () => {
  const c = compareRuns([
    { file: 'a/results.json', summary: divergent },
    { file: 'b/results.json', summary: clean },
  ]);

  it('has one column per run and one row per rule, disagreements first', () => {
    expect(c.columns.map((x) => x.name)).toEqual(['mock (lenient-names)', 'mock']);
    expect(c.rows.length).toBe(divergent.rules.length);
    const failingA = divergent.rules.filter((r) => r.verdict === 'fail').map((r) => r.id);
    const disagree = c.rows.filter((r) => r.status === 'disagree').map((r) => r.id);
    expect(disagree.sort()).toEqual(failingA.sort());
    const firstOther = c.rows.findIndex((r) => r.status !== 'disagree');
    expect(firstOther).toBe(disagree.length);
    expect(c.rows.slice(firstOther).every((r) => r.status !== 'disagree')).toBe(true);
  });

  it('marks a rule exercised in one run and not the other as a coverage difference', () => {
    const row = c.rows.find((r) => r.id === 'PutKeyPolicy.PolicyName.pattern')!;
    expect(row.cells.map((x) => x?.verdict)).toEqual(['waived', 'not-exercised']);
    expect(row.status).toBe('coverage');
  });

  it('puts the verdict and the first finding in each cell', () => {
    const row = c.rows.find((r) => r.id === 'KeyId.notFound')!;
    expect(row.cells.map(cellText)).toEqual(['fail 1/1 · unexpected_error_code: observed 400 InvalidArnException "Invalid arn"', 'pass 1/1']);
    expect(cellText(undefined)).toBe('not in this contract version');
  });

  it('tells targets with the same name apart by their directory, then by number', () => {
    const same = compareRuns([
      { file: 'x/run1/results.json', summary: clean },
      { file: 'x/run2/results.json', summary: clean },
      { file: 'y/run2/results.json', summary: clean },
    ]);
    expect(same.columns.map((x) => x.name)).toEqual(['mock (run1)', 'mock (run2) #1', 'mock (run2) #2']);
  });
});

describe('compareMarkdown and compareHtml', () => {
  const c = compareRuns([
    { file: 'a/results.json', summary: divergent },
    { file: 'b/results.json', summary: clean },
  ]);

  it('writes the reviewed Markdown comparison', async () => {
    await expect(compareMarkdown(c)).toMatchFileSnapshot('./__snapshots__/compare.md');
  });

  it('keeps the Markdown under the limit and says what it left out', () => {
    const md = compareMarkdown(c, 2500);
    expect(md.length).toBeLessThanOrEqual(2500);
    expect(md).toMatch(/\*\*Truncated:\*\* \d+ more rule\(s\) not shown/);
    expect(md).toContain('`KeyId.notFound`');
  });

  it('renders every rule in the HTML, with no script and no network access', () => {
    const html = compareHtml(c);
    expect(html).not.toContain('<script');
    expect(html).toContain("default-src 'none'");
    expect((html.match(/<tr class="(?:disagree|coverage|same)" data-rule-id=/g) ?? []).length).toBe(c.rows.length);
  });
});

describe('loadSummary', () => {
  it('reads the summary of a results.json', () => {
    const s = loadSummary(save('ok', divergent));
    expect(s.target.name).toBe('mock (lenient-names)');
    expect('cases' in s).toBe(false);
  });

  it('names a missing, non-JSON, wrong-version or invalid file and what to do', () => {
    const missing = join(dir, 'nope', 'results.json');
    const cases: [string, string][] = [
      [missing, `${missing}: no such file. Give the results.json of a finished run (kms-conformance run writes it into its --out directory).`],
      [save('trunc', '{"schemaVersion": 1, "tool":'), 'not valid JSON'],
      [save('v2', JSON.stringify({ ...divergent, schemaVersion: 2 })), 'results format version 2, but this kms-conformance reads version 1'],
      [save('bad', JSON.stringify({ ...divergent, score: { casesPassed: 'many' } })), 'not a valid results.json summary: /score'],
      [join(dir, 'ok'), `is a directory. Give the results.json inside it: ${join(dir, 'ok', 'results.json')}`],
    ];
    for (const [file, message] of cases) {
      let err: unknown;
      try {
        loadSummary(file);
      } catch (e) {
        err = e;
      }
      expect(err, file).toBeInstanceOf(CompareInputError);
      expect((err as Error).message, file).toContain(message);
    }
  });
});

describe('compare.html in headless Chromium', () => {
  it('shows both targets and every rule row, with no console error and no request but the file', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kmsc-compare-out-'));
    const browser = await openBrowser();
    try {
      const { written, comparison } = writeComparison([save('a', divergent), save('b', clean)], out);
      const url = pathToFileURL(written[0]!).href;
      await browser.page.goto(url);
      await expect(browser.page.locator('#compare thead th').allInnerTexts()).resolves.toEqual(['Rule', 'mock (lenient-names)', 'mock']);
      await expect(browser.page.locator('#compare tbody tr[data-rule-id]').count()).resolves.toBe(comparison.rows.length);
      await expect(browser.page.locator('#compare tbody tr.disagree').first().getAttribute('data-rule-id')).resolves.toBe(comparison.rows[0]!.id);
      expect(browser.errors).toEqual([]);
      expect(browser.failedRequests).toEqual([]);
      expect(browser.requests).toEqual([url]);
    } finally {
      await browser.close();
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
