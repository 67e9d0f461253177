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
import { closeSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { CaseRecord, RuleScore, RunResults, RunSummary } from '../scoring/results.ts';
import { describeExpected, describeObservation } from '../scoring/verdict.ts';
import { join } from 'node:path';
import { clip, countsLine, replayLine, scoreLine, sequenceStepLines, seconds, tempPathFor, visible, writeFileAtomic, type WriterOptions } from './common.ts';

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

function zeroSuite(): SuiteCounts {
  return { tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0 };
}

function countCase(n: SuiteCounts, c: CaseRecord): void {
  n.tests++;
  n.ms += c.ms;
  if (c.verdict === 'fail' && c.waived === undefined) n.failures++;
  else if (c.verdict === 'error') n.errors++;
  else if (c.verdict !== 'pass') n.skipped++;
}

/** The suites a case belongs to: its rules, or `(no rule)`. */
function suitesOf(c: CaseRecord): readonly string[] {
  return c.ruleIds.length > 0 ? c.ruleIds : ['(no rule)'];
}

/** Suite ids in the rule catalogue's order, then ids the catalogue does not know, in the order seen. */
function suiteOrder(results: Pick<RunSummary, 'rules'>, seen: Iterable<string>): string[] {
  const known = new Set(results.rules.map((r) => r.id));
  const present = new Set(seen);
  return [...results.rules.map((r) => r.id).filter((id) => present.has(id)), ...[...present].filter((id) => !known.has(id))];
}

/** Everything before the first suite, and the end of the document. */
function documentParts(results: RunSummary, total: SuiteCounts): { head: string; tail: string } {
  const name = `kms-conformance ${results.target.name} (contract ${results.contract.version}, seed ${results.run.seed}${results.run.status === 'interrupted' ? ', interrupted' : ''})`;
  const summary = `<!-- ${xmlComment(`${scoreLine(results.score)}. ${countsLine(results.counts)}.`)} -->`;
  return { head: ['<?xml version="1.0" encoding="UTF-8"?>', summary, `<testsuites${attrs({ name, tests: total.tests, failures: total.failures, errors: total.errors, time: seconds(results.run.durationMs) })}>`].join('\n'), tail: '</testsuites>\n' };
}

function suiteHead(id: string, index: number, n: SuiteCounts, rule: RuleScore | undefined, timestamp: string): string {
  return `  <testsuite${attrs({ name: id, tests: n.tests, failures: n.failures, errors: n.errors, skipped: n.skipped, time: seconds(n.ms), timestamp, id: index, package: rule?.topic ?? 'unknown' })}>\n${properties(rule)}`;
}

const SUITE_END = '\n  </testsuite>';

function timestampOf(results: RunSummary): string {
  return results.run.startedAt.replace(/Z$/, '').replace(/\.\d+$/, '');
}

function addTotals(total: SuiteCounts, n: SuiteCounts): void {
  total.tests += n.tests;
  total.failures += n.failures;
  total.errors += n.errors;
  total.skipped += n.skipped;
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
    for (const id of suitesOf(c)) {
      const list = byRule.get(id);
      if (list) list.push(c);
      else byRule.set(id, [c]);
    }
  }
  const ruleScores = new Map(results.rules.map((r) => [r.id, r]));
  const timestamp = timestampOf(results);
  const total = zeroSuite();
  const suites = suiteOrder(results, byRule.keys()).map((id, i) => {
    const cases = byRule.get(id)!;
    const n = zeroSuite();
    for (const c of cases) countCase(n, c);
    addTotals(total, n);
    return `${suiteHead(id, i, n, ruleScores.get(id), timestamp)}${cases.map((c) => testcase(c, id, options.reportDir)).join('\n')}${SUITE_END}`;
  });
  const { head, tail } = documentParts(results, total);
  return [head, ...suites, tail].join('\n');
}

/**
 * Writes `junit.xml` one case at a time, for runs too large to hold: each case's `<testcase>`
 * elements go to a temporary file next to the report as they come, with the place of each kept
 * per suite; {@link JunitWriter.finish} then writes the suites in order, reading each element back
 * from its place. Memory holds two numbers per element, not the elements. The document is the one
 * {@link junitXml} writes for the same cases.
 */
export class JunitWriter {
  private readonly suites = new Map<string, { readonly counts: SuiteCounts; readonly places: number[] }>();
  private pending: string[] = [];
  private pendingBytes = 0;
  private written = 0;

  private constructor(
    private readonly path: string,
    private readonly spool: string,
    private readonly fd: number,
    private readonly reportDir: string | undefined,
  ) {}

  /** Opens a writer of `<dir>/junit.xml`. */
  static open(dir: string, options: WriterOptions = {}): JunitWriter {
    const path = join(dir, JUNIT_FILE);
    const spool = tempPathFor(join(dir, `${JUNIT_FILE}.cases`));
    return new JunitWriter(path, spool, openSync(spool, 'w+'), options.reportDir);
  }

  /** Takes the next case of the run. */
  add(c: CaseRecord): void {
    for (const id of suitesOf(c)) {
      let s = this.suites.get(id);
      if (s === undefined) this.suites.set(id, (s = { counts: zeroSuite(), places: [] }));
      countCase(s.counts, c);
      const text = testcase(c, id, this.reportDir);
      const bytes = Buffer.byteLength(text);
      s.places.push(this.written + this.pendingBytes, bytes);
      this.pending.push(text);
      this.pendingBytes += bytes;
    }
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    const chunk = Buffer.from(this.pending.join(''));
    let off = 0;
    while (off < chunk.length) off += writeSync(this.fd, chunk, off, chunk.length - off, this.written + off);
    this.written += chunk.length;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Writes `junit.xml` (atomically) with the run's summary, removes the temporary file, and returns the path. */
  finish(results: RunSummary): string {
    this.flush();
    const ruleScores = new Map(results.rules.map((r) => [r.id, r]));
    const timestamp = timestampOf(results);
    const order = suiteOrder(results, this.suites.keys());
    const total = zeroSuite();
    for (const s of this.suites.values()) addTotals(total, s.counts);
    const { head, tail } = documentParts(results, total);
    const tmp = tempPathFor(this.path);
    const out = openSync(tmp, 'w');
    try {
      const sink = new ByteSink(out);
      sink.write(head);
      let buffer = Buffer.alloc(64 * 1024);
      order.forEach((id, i) => {
        const s = this.suites.get(id)!;
        sink.write(`\n${suiteHead(id, i, s.counts, ruleScores.get(id), timestamp)}`);
        for (let k = 0; k < s.places.length; k += 2) {
          const at = s.places[k]!;
          const length = s.places[k + 1]!;
          if (length > buffer.length) buffer = Buffer.alloc(length);
          readSync(this.fd, buffer, 0, length, at);
          if (k > 0) sink.write('\n');
          sink.write(buffer.subarray(0, length));
        }
        sink.write(SUITE_END);
      });
      sink.write(`\n${tail}`);
      sink.end();
      closeSync(out);
      renameSync(tmp, this.path);
    } catch (e) {
      closeSync(out);
      rmSync(tmp, { force: true });
      throw e;
    } finally {
      this.discard();
    }
    return this.path;
  }

  /** Removes the temporary file without writing the report. */
  discard(): void {
    try {
      closeSync(this.fd);
    } catch {
      // closed already
    }
    rmSync(this.spool, { force: true });
  }
}

/** Bytes gathered before a write. */
const FLUSH_BYTES = 1 << 20;

/** Writes text and bytes to a file descriptor in chunks of about {@link FLUSH_BYTES}. */
class ByteSink {
  private parts: Buffer[] = [];
  private size = 0;
  constructor(private readonly fd: number) {}

  write(data: string | Buffer): void {
    // A view into a buffer the caller reuses is copied before the caller writes over it.
    const b = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
    this.parts.push(b);
    this.size += b.length;
    if (this.size >= FLUSH_BYTES) this.end();
  }

  /** Writes what is gathered. */
  end(): void {
    if (this.size === 0) return;
    const chunk = Buffer.concat(this.parts, this.size);
    let off = 0;
    while (off < chunk.length) off += writeSync(this.fd, chunk, off, chunk.length - off);
    this.parts = [];
    this.size = 0;
  }
}

function xmlComment(s: string): string {
  return visible(s).replace(/--/g, '- -').replace(/-$/, '- ');
}

/** Writes `junit.xml` into `dir` (atomically) and returns its path. */
export function writeJunit(results: RunResults, dir: string, options: WriterOptions = {}): string {
  return writeFileAtomic(join(dir, JUNIT_FILE), junitXml(results, options));
}
