import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CaseRecord, RunResults } from '../scoring/results.ts';
import { JUNIT_FILE, junitXml, writeJunit, xmlAttr, xmlText } from './junit.ts';
import { buildRunResults, NASTY_TEXT } from './test/fixtures.ts';
import { requireXmllint, validateJunit, xpath } from './test/xmllint.ts';

const results = buildRunResults();
const xml = junitXml(results, { reportDir: 'out dir' });

beforeAll(() => {
  requireXmllint();
});

describe('junitXml', () => {
  it('is valid against the JUnit XSD CI systems read', () => {
    const r = validateJunit(xml);
    expect(r.stderr).toContain('validates');
    expect(r.status).toBe(0);
  });

  it('the schema check can fail: a suite without its counts, or an unknown element, is rejected', () => {
    const noCounts = xml.replace(/(<testsuite name="[^"]*") tests="\d+"/, '$1');
    expect(noCounts).not.toBe(xml);
    expect(validateJunit(noCounts).status).not.toBe(0);
    const extra = xml.replace('</testsuites>', '<bogus/></testsuites>');
    expect(validateJunit(extra).status).not.toBe(0);
    const negative = xml.replace(/failures="1"/, 'failures="-1"');
    expect(validateJunit(negative).status).not.toBe(0);
  });

  it('has one suite per rule a case reached, with that rule counts, in catalogue order', () => {
    const reached = results.rules.filter((r) => r.counts.total > 0);
    const list = (expr: string): string[] => [...xpath(xml, expr).matchAll(/="([^"]*)"/g)].map((m) => m[1]!);
    expect(list('/testsuites/testsuite/@name')).toEqual(reached.map((r) => r.id));
    expect(list('/testsuites/testsuite/@tests').map(Number)).toEqual(reached.map((r) => r.counts.total));
    expect(list('/testsuites/testsuite/@failures').map(Number)).toEqual(reached.map((r) => r.counts.fail - r.counts.waived));
    expect(list('/testsuites/testsuite/@errors').map(Number)).toEqual(reached.map((r) => r.counts.error));
    expect(list('/testsuites/testsuite/@skipped').map(Number)).toEqual(reached.map((r) => r.counts.skip + r.counts.unspecified + r.counts.waived));
    // The attributes agree with the elements under them.
    expect(xpath(xml, 'count(/testsuites/testsuite[count(testcase) != @tests])')).toBe('0');
    expect(xpath(xml, 'count(/testsuites/testsuite[count(testcase/failure) != @failures])')).toBe('0');
    expect(xpath(xml, 'count(/testsuites/testsuite[count(testcase/error) != @errors])')).toBe('0');
    expect(xpath(xml, 'count(/testsuites/testsuite[count(testcase/skipped) != @skipped])')).toBe('0');
    expect(Number(xpath(xml, 'string(/testsuites/@tests)'))).toBe(reached.reduce((n, r) => n + r.counts.total, 0));
  });

  it('names exactly the failing rules as suites with failures', () => {
    const withFailures = xpath(xml, '/testsuites/testsuite[@failures > 0]/@name')
      .split('\n')
      .map((l) => /name="([^"]+)"/.exec(l)?.[1]);
    expect(withFailures).toEqual(results.rules.filter((r) => r.verdict === 'fail').map((r) => r.id));
  });

  it('puts expected, observed, the finding code and the replay line into every failure', () => {
    const failing = results.cases.filter((c) => c.verdict === 'fail' && c.waived === undefined);
    expect(failing.length).toBeGreaterThan(10);
    const texts = xpath(xml, '//failure').split('</failure>').filter((t) => t.includes('<failure'));
    const types = [...xpath(xml, '//failure/@type').matchAll(/="([^"]*)"/g)].map((m) => m[1]);
    for (const c of failing) {
      const i = texts.findIndex((t) => t.includes(`case: ${c.id} `));
      expect(i, c.id).toBeGreaterThanOrEqual(0);
      const text = texts[i]!;
      expect(text, c.id).toContain(`replay: npx kms-conformance replay 'out dir/${c.replayFile}'`);
      expect(text, c.id).toMatch(/^expected: /m);
      expect(text, c.id).toMatch(/^observed: /m);
      expect(types[i], c.id).toBe(c.findings![0]!.code);
    }
  });

  it('reports skip, unspecified and waived cases as <skipped> with a type, errors as <error>', () => {
    const byVerdict = (v: CaseRecord['verdict']): CaseRecord => results.cases.find((c) => c.verdict === v && c.waived === undefined)!;
    expect(xpath(xml, `string(//testcase[@name="${byVerdict('skip').id}"]/skipped/@type)`)).toBe('skip');
    expect(xpath(xml, `string(//testcase[@name="${byVerdict('unspecified').id}"]/skipped/@type)`)).toBe('unspecified');
    const waived = results.cases.find((c) => c.waived !== undefined)!;
    expect(xpath(xml, `string(//testcase[@name="${waived.id}"]/skipped/@type)`)).toBe('waived');
    expect(xpath(xml, `string(//testcase[@name="${waived.id}"]/skipped/@message)`)).toContain(waived.waived!.reason);
    const error = byVerdict('error');
    expect(xpath(xml, `string(//testcase[@name="${error.id}"]/error/@type)`)).toBe('setup');
    expect(xpath(xml, `string(//testcase[@name="${error.id}"]/error/@message)`)).toBe(error.reason);
  });

  it('escapes markup, keeps quotes and line breaks in attributes, and writes unrepresentable characters as \\uXXXX', () => {
    const msg = xpath(xml, 'string(//failure[@type="rejected_valid_input"]/@message)');
    expect(msg).toContain('Sid "<b>&amp;</b>" \'q\' ]]>');
    expect(msg).toContain('\\u0001\\u0007\\u000B\\u001F\\u007F\\u0085 \\uD800 😀 é');
    expect(xmlAttr('a\nb\t"c"<&>')).toBe('a&#10;b&#9;&quot;c&quot;&lt;&amp;&gt;');
    expect(xmlText('\u0000\ud83d\ude00\udc00x\ufffe')).toBe('\\u0000😀\\uDC00x\\uFFFE');
  });

  it('stays valid with every C0 control, lone surrogates and "]]>" in ids, reasons and messages', () => {
    const all = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('') + '\ud800\udfff\udbff]]>--';
    const base = buildRunResults();
    const nasty: RunResults = {
      ...base,
      target: { ...base.target, name: `t${all}` },
      cases: base.cases.map((c) => ({ ...c, id: `${c.id}${all}`, ...(c.reason === undefined ? {} : { reason: `${c.reason}${all}` }), ...(c.findings ? { findings: c.findings.map((f) => ({ ...f, message: `${f.message}${all}${NASTY_TEXT}` })) } : {}) })),
    };
    const out = junitXml(nasty);
    const r = validateJunit(out);
    expect(r.stderr).toContain('validates');
    expect(r.status).toBe(0);
  });
});

describe('writeJunit', () => {
  it('writes junit.xml atomically (no temp file left) and returns its path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmsc-junit-w-'));
    try {
      const path = writeJunit(results, dir);
      expect(path).toBe(join(dir, JUNIT_FILE));
      expect(readdirSync(dir)).toEqual([JUNIT_FILE]);
      expect(readFileSync(path, 'utf8')).toBe(junitXml(results));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
