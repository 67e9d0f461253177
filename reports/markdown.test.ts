import { describe, expect, it } from 'vitest';
import { CASE_FINDING_CODES } from '../scoring/results.ts';
import { MARKDOWN_LIMIT, markdownSummary, mdText } from './markdown.ts';
import { buildRunResults } from './test/fixtures.ts';

describe('markdownSummary', () => {
  it('matches the reviewed summary of the fixture run', async () => {
    await expect(markdownSummary(buildRunResults())).toMatchFileSnapshot('./__snapshots__/summary.md');
  });

  it('names every failing rule, its first finding code and its replay line', () => {
    const results = buildRunResults();
    const md = markdownSummary(results, { reportDir: 'out' });
    const failing = results.rules.filter((r) => r.verdict === 'fail');
    expect(failing.length).toBe(CASE_FINDING_CODES.length);
    for (const r of failing) {
      expect(md).toContain(`| \`${r.id}\` |`);
      expect(md).toContain(`**${r.firstFinding!.code}**`);
      expect(md).toContain(`npx kms-conformance replay out/${r.firstReplayFile}`);
    }
    // The waived rule is not among the failing ones.
    expect(md).not.toContain('| `PutKeyPolicy.PolicyName.pattern` |');
  });

  it('keeps every table row one row: pipes, line breaks and markup in findings are escaped', () => {
    const md = markdownSummary(buildRunResults());
    const rows = md.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.length).toBe(CASE_FINDING_CODES.length);
    for (const row of rows) expect(row.replace(/\\\|/g, '').split('|').length, row).toBe(6);
    expect(mdText('a|b\nc <script>`x`</script> [l](u) *e* &amp;')).toBe('a\\|b c \\<script\\>\\`x\\`\\</script\\> \\[l\\](u) \\*e\\* &amp;amp;');
  });

  it('says there are no failing rules when there are none', () => {
    const md = markdownSummary(buildRunResults({ failing: [], waived: false }));
    expect(md).toContain('### No failing rules');
    expect(md).toContain('Score 100.0%');
    expect(md).not.toContain('```sh');
  });

  it('stays under GitHub\'s 65,536-character comment limit with thousands of failing rules, and says it truncated', () => {
    const big = buildRunResults({ extraFailures: 3000 });
    const failing = big.rules.filter((r) => r.verdict === 'fail').length;
    expect(failing).toBeGreaterThan(200);
    const md = markdownSummary(big);
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(md.length).toBeGreaterThan(MARKDOWN_LIMIT * 0.8);
    const shown = md.split('\n').filter((l) => l.startsWith('| `')).length;
    expect(md).toContain(`**Truncated:** ${failing - shown} more failing rule(s) not shown`);
    expect(md.split('\n').filter((l) => l.startsWith('npx kms-conformance replay')).length).toBe(shown);
  });

  it('honours a smaller limit', () => {
    const md = markdownSummary(buildRunResults(), { maxChars: 3000 });
    expect(md.length).toBeLessThanOrEqual(3000);
    expect(md).toContain('**Truncated:**');
  });

  it('warns about an interrupted run and expired baseline entries', () => {
    const base = buildRunResults({ status: 'interrupted' });
    const md = markdownSummary({ ...base, baseline: { file: 'b.json', waived: 0, stale: [], expired: ['KeyId.notFound'] } });
    expect(md).toContain('**The run was interrupted**');
    expect(md).toContain('**expired entries (the run fails): `KeyId.notFound`**');
  });
});
