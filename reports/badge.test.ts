import { describe, expect, it } from 'vitest';
import { BADGE_COLORS, badgeColor, badgeSvg, badgeText } from './badge.ts';
import { buildRunResults } from './test/fixtures.ts';
import { requireXmllint, xmllint } from './test/xmllint.ts';

describe('badgeSvg', () => {
  it('is well-formed SVG that shows the headline score and the rules passing', () => {
    requireXmllint();
    const r = buildRunResults();
    const svg = badgeSvg(r);
    const lint = xmllint(svg, ['--noout']);
    expect(lint.stderr).toBe('');
    expect(lint.status).toBe(0);
    expect(svg).toContain('>33.3% · rules 8/20</text>');
    expect(svg).toContain('aria-label="KMS conformance: 33.3% · rules 8/20"');
    expect(svg).toContain(`fill="${badgeColor(r.score.caseRatio)}"`);
    expect(svg).toMatchInlineSnapshot(`
      "<svg xmlns="http://www.w3.org/2000/svg" width="225" height="20" role="img" aria-label="KMS conformance: 33.3% · rules 8/20">
      <title>KMS conformance: Score 33.3%: 6/18 decided cases passed; rules 8/20 passing (40.0%) (mock (lenient-names), contract 2025-06-05)</title>
      <linearGradient id="s8cab94d6" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
      <clipPath id="r8cab94d6"><rect width="225" height="20" rx="3" fill="#fff"/></clipPath>
      <g clip-path="url(#r8cab94d6)"><rect width="109" height="20" fill="#555"/><rect x="109" width="116" height="20" fill="#e05d44"/><rect width="225" height="20" fill="url(#s8cab94d6)"/></g>
      <g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="110"><text x="545" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" textLength="990">KMS conformance</text><text x="545" y="140" transform="scale(.1)" fill="#fff" textLength="990">KMS conformance</text><text x="1670" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" textLength="1060">33.3% · rules 8/20</text><text x="1670" y="140" transform="scale(.1)" fill="#fff" textLength="1060">33.3% · rules 8/20</text></g>
      </svg>
      "
    `);
  });

  it('picks the colour by case ratio, green only at 100%', () => {
    expect(badgeColor(1)).toBe('#4c1');
    expect(badgeColor(0.999)).toBe('#97ca00');
    expect(badgeColor(0.6)).toBe('#fe7d37');
    expect(badgeColor(0)).toBe('#e05d44');
    expect(new Set(BADGE_COLORS.map((c) => c.color)).size).toBe(BADGE_COLORS.length);
  });

  it('grows with its text and marks an interrupted run as partial', () => {
    const r = buildRunResults();
    const width = (svg: string): number => Number(/width="(\d+)"/.exec(svg)![1]);
    const interrupted = { ...r, run: { ...r.run, status: 'interrupted' as const } };
    expect(badgeText(interrupted).value).toBe('33.3% · rules 8/20 · partial');
    expect(width(badgeSvg(interrupted))).toBeGreaterThan(width(badgeSvg(r)));
  });

  it('gives each badge its own clip-path and gradient ids, so two inlined in one page do not clash', () => {
    const ids = (svg: string): string[] => [...svg.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!);
    const a = ids(badgeSvg(buildRunResults()));
    const b = ids(badgeSvg(buildRunResults({ failing: [], waived: false })));
    expect(a.length).toBe(2);
    expect(a.filter((x) => b.includes(x))).toEqual([]);
  });

  it('escapes a target name in the title', () => {
    const r = buildRunResults({ target: { name: 'a<b>&"c"' } });
    expect(badgeSvg(r)).toContain('(a&lt;b&gt;&amp;&quot;c&quot;, contract');
  });
});
