import { describe, expect, it } from 'vitest';
import { consoleSummary, useColor } from './console.ts';
import { buildRunResults } from './test/fixtures.ts';

const FILES = ['results.json', 'junit.xml', 'report.html', 'summary.md', 'badge.svg'];

describe('consoleSummary', () => {
  it('matches the reviewed plain-text summary of the fixture run', async () => {
    await expect(consoleSummary(buildRunResults(), { files: FILES, maxRules: 5 })).toMatchFileSnapshot('./__snapshots__/console.txt');
  });

  it('has no escape sequences without colour, and colours FAIL and the score with it', () => {
    const r = buildRunResults();
    const plain = consoleSummary(r);
    expect(plain).not.toContain('\u001b[');
    const colour = consoleSummary(r, { color: true });
    expect(colour).toContain('\u001b[31mFAIL\u001b[0m');
    expect(colour.replace(/\u001b\[\d+m/g, '')).toBe(plain);
  });

  it('lists every failing rule with its replay line, then says how many more when capped', () => {
    const r = buildRunResults();
    const failing = r.rules.filter((x) => x.verdict === 'fail');
    const all = consoleSummary(r, { reportDir: 'rep' });
    for (const rule of failing) {
      expect(all).toContain(`FAIL ${rule.id} `);
      expect(all).toContain(`npx kms-conformance replay rep/${rule.firstReplayFile}`);
    }
    expect(consoleSummary(r, { maxRules: 3, reportDir: 'rep' })).toContain(`… and ${failing.length - 3} more failing rules (see rep/report.html)`);
  });

  it('reports a clean run in green words without a failing-rules section', () => {
    const out = consoleSummary(buildRunResults({ failing: [], waived: false }));
    expect(out).toContain('Score 100.0%');
    expect(out).not.toContain('Failing rules');
  });
});

describe('useColor', () => {
  it('colours a terminal only, and never with NO_COLOR or TERM=dumb', () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({}, {})).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });
});
