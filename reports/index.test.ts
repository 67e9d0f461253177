import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunAggregator, computeScore, formatRatio } from '../scoring/aggregate.ts';
import type { CaseRecord, RunResults } from '../scoring/results.ts';
import { ReportFormatError, REPORT_FORMATS, badgeSvg, consoleSummary, htmlReport, junitXml, markdownSummary, parseFormats, redactCaseRecord, writeReports } from './index.ts';
import { buildCases, buildRunResults, FIXTURE_VERSION } from './test/fixtures.ts';
import { xpath } from './test/xmllint.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'kmsc-reports-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('writeReports', () => {
  it('writes junit.xml, report.html, summary.md and badge.svg (results.json is the runner\'s), leaving no temp file', () => {
    const dir = join(tempDir(), 'new', 'report');
    const written = writeReports(buildRunResults(), dir);
    expect(written).toEqual(['junit.xml', 'report.html', 'summary.md', 'badge.svg'].map((f) => join(dir, f)));
    expect(readdirSync(dir).sort()).toEqual(['badge.svg', 'junit.xml', 'report.html', 'summary.md']);
  });

  it('writes only the chosen formats, and names the report directory in replay lines', () => {
    const dir = tempDir();
    expect(writeReports(buildRunResults(), dir, ['md'], { reportDir: 'out' })).toEqual([join(dir, 'summary.md')]);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('npx kms-conformance replay out/cases/');
    expect(readdirSync(dir)).toEqual(['summary.md']);
  });
});

describe('parseFormats', () => {
  it('reads a comma list or all, in report order without repeats', () => {
    expect(parseFormats('html, junit,html')).toEqual(['junit', 'html']);
    expect(parseFormats('all')).toEqual([...REPORT_FORMATS]);
    expect(parseFormats('MD')).toEqual(['md']);
  });

  it('names an unknown format and lists the valid ones', () => {
    expect(() => parseFormats('junit,pdf')).toThrowError(new ReportFormatError("--format has unknown format 'pdf'. Valid formats: json, junit, html, md, badge (or all). Example: --format junit,html"));
    expect(() => parseFormats(' , ')).toThrowError(ReportFormatError);
  });
});

describe('every format tells the same story', () => {
  it('shows the same score and names the same failing rules in JUnit, HTML, Markdown, console and badge', () => {
    const r = buildRunResults();
    const score = formatRatio(r.score.caseRatio);
    const failing = r.rules.filter((x) => x.verdict === 'fail').map((x) => x.id).sort();
    expect(failing.length).toBeGreaterThan(5);

    const junit = junitXml(r);
    expect(junit).toContain(`Score ${score}:`);
    const junitFailing = [...xpath(junit, '/testsuites/testsuite[@failures > 0]/@name').matchAll(/name="([^"]+)"/g)].map((m) => m[1]).sort();
    expect(junitFailing).toEqual(failing);

    const html = htmlReport(r);
    expect(html).toContain(`Score ${score}:`);
    const htmlFailing = [...html.matchAll(/data-rule-id="([^"]+)"[^>]*data-verdict="fail"/g)].map((m) => m[1]).sort();
    expect(htmlFailing).toEqual(failing);

    const md = markdownSummary(r);
    expect(md).toContain(`Score ${score}:`);
    const mdFailing = [...md.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]).sort();
    expect(mdFailing).toEqual(failing);

    const text = consoleSummary(r, { maxRules: 1000 });
    expect(text).toContain(`Score ${score}:`);
    const consoleFailing = [...text.matchAll(/^ {2}FAIL (\S+) /gm)].map((m) => m[1]).sort();
    expect(consoleFailing).toEqual(failing);

    expect(badgeSvg(r)).toContain(`>${score} · rules ${r.score.rulesPassing}/${r.score.rulesExercised}</text>`);
  });
});

describe('no secret reaches a report', () => {
  const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYCANARYK3Y1';
  const TOKEN = 'IQoJb3JpZ2luX2VjCANARYSESSIONTOKEN0123456789abcdefABCDEFGHIJ+/==';
  const SIGNATURE = 'f00dfacecafe0123456789abcdef0123456789abcdef0123456789abcdef0123';
  const CANARIES = [SECRET, TOKEN, SIGNATURE];

  /** Records as a transport would capture them, before redaction: canaries in headers, bodies and errors. */
  function rawCases(): CaseRecord[] {
    return buildCases().map((c) => ({
      ...c,
      ...(c.verdict === 'fail' ? { findings: c.findings!.map((f) => ({ ...f, message: `${f.message} (signed with token ${TOKEN})` })) } : {}),
      exchanges: c.exchanges.map((e) => ({
        ...e,
        sdkError: `UnrecognizedClientException: secretAccessKey=${SECRET}`,
        ...(e.request
          ? {
              request: {
                ...e.request,
                path: `/?X-Amz-Security-Token=${encodeURIComponent(TOKEN)}&X-Amz-Signature=${SIGNATURE}`,
                headers: { ...e.request.headers, authorization: `AWS4-HMAC-SHA256 Credential=AKIACANARY/20250301/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=${SIGNATURE}`, 'x-amz-security-token': TOKEN },
                body: `${e.request.body ?? ''} ${SECRET}`,
              },
            }
          : {}),
        ...(e.response ? { response: { ...e.response, body: `${e.response.body}{"echo":"${TOKEN}"}` } } : {}),
      })),
    }));
  }

  function results(cases: readonly CaseRecord[]): RunResults {
    const base = buildRunResults();
    const agg = new RunAggregator(FIXTURE_VERSION);
    for (const c of cases) agg.add(c);
    const rules = agg.ruleScores();
    return { ...base, counts: { ...agg.counts }, score: computeScore(agg.counts, rules), rules, codes: agg.codeMatrix(), by: agg.byDimension(), cases };
  }

  function filesWritten(r: RunResults): Map<string, string> {
    const dir = tempDir();
    writeReports(r, dir);
    const files = new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
    files.set('results.json', JSON.stringify(r));
    files.set('(console)', consoleSummary(r, { maxRules: 1000 }));
    return files;
  }

  it('the grep finds the canaries when records are not redacted (so the check below can fail)', () => {
    const leaked = [...filesWritten(results(rawCases())).entries()].filter(([, text]) => CANARIES.some((c) => text.includes(c))).map(([f]) => f);
    expect(leaked).toEqual(expect.arrayContaining(['report.html', 'junit.xml', 'results.json']));
  });

  it('with records redacted as the runner does (redactCaseRecord with the run\'s secrets), no file holds a canary', () => {
    const redacted = rawCases().map((c) => redactCaseRecord(c, { secrets: [SECRET, TOKEN] }));
    for (const [file, text] of filesWritten(results(redacted))) {
      for (const canary of CANARIES) expect(text.includes(canary), `${canary.slice(0, 12)}… in ${file}`).toBe(false);
    }
  });
});
