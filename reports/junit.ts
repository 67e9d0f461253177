/**
 * `junit.xml`: the run as JUnit XML, the format CI systems import (Jenkins, GitLab, GitHub test
 * reporters). One `<testsuite>` per rule that a case reached (catalogue order), one `<testcase>`
 * per case in it: a case that involves several rules appears in each of their suites, so a suite's
 * counts are the rule's counts in every other report.
 *
 * - `fail` → `<failure type="<finding code>">`: expected vs observed, every finding, the replay line.
 * - `fail` waived by the baseline → `<skipped type="waived">` (the run does not fail on it either),
 *   with the same detail.
 * - `skip` → `<skipped type="skip">`; `unspecified` → `<skipped type="unspecified">` (the contract
 *   is silent: no verdict); `error` → `<error type="<stage>">` (harness or set-up trouble).
 *
 * The structure follows the JUnit schema Jenkins' xUnit plugin documents (`junit-10.xsd`); the test
 * validates the output against `reports/test/junit.xsd` with `xmllint`. Text XML 1.0 cannot carry
 * (C0 controls other than tab, LF and CR, lone surrogates, U+FFFE/U+FFFF) is written as `\uXXXX`;
 * DEL and C1 controls, legal but invisible, are written the same way.
 */
import type { CaseRecord, RuleScore, RunResults } from '../scoring/results.ts';
import { describeExpected, describeObservation } from '../scoring/verdict.ts';
import { join } from 'node:path';
import { clip, countsLine, replayLine, scoreLine, sequenceStepLines, seconds, visible, writeFileAtomic, type WriterOptions } from './common.ts';

/** File name of the JUnit report in the report directory. */
export const JUNIT_FILE = 'junit.xml';

/** Longest `message` attribute; the element's text holds the whole story. */
const MAX_MESSAGE = 1000;

/** Text content, escaped for XML 1.0. */
export function xmlText(s: string): string {
  return visible(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value, escaped for XML 1.0 (line breaks and tabs kept as character references). */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

function attrs(a: Record<string, string | number | undefined>): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');
}

function failureDetail(c: CaseRecord, reportDir: string | undefined): string {
  const lines = [`case: ${c.id} (${c.operation} via ${c.transport})`, `expected: ${describeExpected(c.expected)}`, `observed: ${describeObservation(c.observed)}`];
  for (const f of c.findings ?? []) lines.push(`finding ${f.code} [${f.ruleIds.join(', ')}]: ${f.message}`, `  expected: ${f.expected}`, `  observed: ${f.observed}`);
  lines.push(...sequenceStepLines(c));
  if (c.sentNote !== undefined) lines.push(`sent: ${c.sentNote}`);
  if (c.waived !== undefined) lines.push(`waived by baseline entry '${c.waived.match}' (owner ${c.waived.owner}, expires ${c.waived.expires}): ${c.waived.reason}`);
  lines.push(`replay: ${replayLine(c, reportDir)}`);
  if (c.origin !== undefined) lines.push(`origin: seed ${c.origin.seed}, path ${c.origin.path}`);
  return lines.join('\n');
}

function testcase(c: CaseRecord, suite: string, reportDir: string | undefined): string {
  const open = `    <testcase${attrs({ name: c.id, classname: suite, time: seconds(c.ms) })}`;
  switch (c.verdict) {
    case 'pass':
      return `${open}/>`;
    case 'fail': {
      const first = c.findings?.[0];
      const detail = xmlText(failureDetail(c, reportDir));
      if (c.waived !== undefined) {
        return `${open}>\n      <skipped${attrs({ type: 'waived', message: clip(`waived by baseline (${c.waived.match}, expires ${c.waived.expires}): ${c.waived.reason}`, MAX_MESSAGE) })}>${detail}</skipped>\n    </testcase>`;
      }
      return `${open}>\n      <failure${attrs({ type: first?.code ?? 'fail', message: clip(first?.message ?? 'failed', MAX_MESSAGE) })}>${detail}</failure>\n    </testcase>`;
    }
    case 'unspecified':
      return `${open}>\n      <skipped${attrs({ type: 'unspecified', message: clip(`the contract is silent: ${c.reason ?? describeExpected(c.expected)}`, MAX_MESSAGE) })}>${xmlText(`observed: ${describeObservation(c.observed)}`)}</skipped>\n    </testcase>`;
    case 'skip':
      return `${open}>\n      <skipped${attrs({ type: 'skip', message: clip(c.reason ?? 'not run', MAX_MESSAGE) })}/>\n    </testcase>`;
    case 'error':
      return `${open}>\n      <error${attrs({ type: c.stage ?? 'harness', message: clip(c.reason ?? 'harness error', MAX_MESSAGE) })}>${xmlText(`${c.stage ?? 'harness'} error (not counted against the target): ${c.reason ?? ''}\n${c.exchanges.map((e) => `${e.role} ${e.operation}: ${e.failure ?? (e.response ? String(e.response.status) : 'no response')}`).join('\n')}`)}</error>\n    </testcase>`;
  }
}

interface SuiteCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  ms: number;
}

function countSuite(cases: readonly CaseRecord[]): SuiteCounts {
  const n: SuiteCounts = { tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0 };
  for (const c of cases) {
    n.tests++;
    n.ms += c.ms;
    if (c.verdict === 'fail' && c.waived === undefined) n.failures++;
    else if (c.verdict === 'error') n.errors++;
    else if (c.verdict !== 'pass') n.skipped++;
  }
  return n;
}

function properties(rule: RuleScore | undefined): string {
  if (rule === undefined) return '';
  const props: [string, string][] = [
    ['verdict', rule.verdict],
    ['topic', rule.topic],
    ['operations', rule.operations.join(', ')],
    ['statement', rule.statement],
    ...rule.sources.map((s): [string, string] => ['source', `${s.tag}: ${s.quote}`]),
  ];
  return `    <properties>\n${props.map(([name, value]) => `      <property${attrs({ name, value })}/>`).join('\n')}\n    </properties>\n`;
}

/**
 * The run as JUnit XML. Suites follow the rule catalogue's order; rules no case reached have no
 * suite (the HTML and Markdown reports list them).
 */
export function junitXml(results: RunResults, options: WriterOptions = {}): string {
  const byRule = new Map<string, CaseRecord[]>();
  for (const c of results.cases) {
    for (const id of c.ruleIds.length > 0 ? c.ruleIds : ['(no rule)']) {
      const list = byRule.get(id);
      if (list) list.push(c);
      else byRule.set(id, [c]);
    }
  }
  const ruleScores = new Map(results.rules.map((r) => [r.id, r]));
  const order = [...results.rules.map((r) => r.id).filter((id) => byRule.has(id)), ...[...byRule.keys()].filter((id) => !ruleScores.has(id))];
  const timestamp = results.run.startedAt.replace(/Z$/, '').replace(/\.\d+$/, '');
  const total: SuiteCounts = { tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0 };
  const suites = order.map((id, i) => {
    const cases = byRule.get(id) ?? [];
    const n = countSuite(cases);
    total.tests += n.tests;
    total.failures += n.failures;
    total.errors += n.errors;
    total.skipped += n.skipped;
    const rule = ruleScores.get(id);
    const head = `  <testsuite${attrs({ name: id, tests: n.tests, failures: n.failures, errors: n.errors, skipped: n.skipped, time: seconds(n.ms), timestamp, id: i, package: rule?.topic ?? 'unknown' })}>`;
    return `${head}\n${properties(rule)}${cases.map((c) => testcase(c, id, options.reportDir)).join('\n')}\n  </testsuite>`;
  });
  const name = `kms-conformance ${results.target.name} (contract ${results.contract.version}, seed ${results.run.seed}${results.run.status === 'interrupted' ? ', interrupted' : ''})`;
  const summary = `<!-- ${xmlComment(`${scoreLine(results.score)}. ${countsLine(results.counts)}.`)} -->`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    summary,
    `<testsuites${attrs({ name, tests: total.tests, failures: total.failures, errors: total.errors, time: seconds(results.run.durationMs) })}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

function xmlComment(s: string): string {
  return visible(s).replace(/--/g, '- -').replace(/-$/, '- ');
}

/** Writes `junit.xml` into `dir` (atomically) and returns its path. */
export function writeJunit(results: RunResults, dir: string, options: WriterOptions = {}): string {
  return writeFileAtomic(join(dir, JUNIT_FILE), junitXml(results, options));
}
