/**
 * `badge.svg`: the score as a flat badge in the style README badges use (grey label, coloured
 * value), for an emulator's README. The value is the headline score (decided cases passed) and the
 * rules passing; the colour follows the case ratio. Text widths are estimated from Verdana's
 * advance widths at 11px, so the badge needs no font metrics at run time.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { RunSummary } from '../scoring/results.ts';
import { headline, scoreLine, visible, writeFileAtomic } from './common.ts';

/** File name of the badge in the report directory. */
export const BADGE_FILE = 'badge.svg';

/** Badge colours by lowest case ratio, first match wins. */
export const BADGE_COLORS: readonly { readonly min: number; readonly color: string }[] = [
  { min: 1, color: '#4c1' },
  { min: 0.95, color: '#97ca00' },
  { min: 0.85, color: '#a4a61d' },
  { min: 0.7, color: '#dfb317' },
  { min: 0.5, color: '#fe7d37' },
  { min: 0, color: '#e05d44' },
];

// Approximate Verdana 11px advance widths (px) by character class.
const WIDTHS: Readonly<Record<string, number>> = {
  ' ': 3.9, '.': 3.9, ',': 3.9, ':': 4.7, ';': 4.7, '|': 4.9, '/': 4.9, '(': 4.9, ')': 4.9, '·': 3.9, '-': 4.9, '%': 11.9,
  i: 3.1, l: 3.1, j: 3.7, f: 3.9, t: 4.3, r: 4.7, I: 4.6, J: 5.0, s: 5.7, c: 5.7, z: 5.7, k: 6.5, v: 6.5, x: 6.5, y: 6.5,
  m: 10.7, w: 8.9, M: 9.3, W: 11.0,
};

function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const known = WIDTHS[ch];
    if (known !== undefined) w += known;
    else if (/[0-9]/.test(ch)) w += 7.0;
    else if (/[A-Z]/.test(ch)) w += 7.5;
    else if (/[a-z]/.test(ch)) w += 6.6;
    else w += 8;
  }
  return Math.ceil(w);
}

function esc(s: string): string {
  return visible(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The badge colour for a case ratio. */
export function badgeColor(ratio: number): string {
  return (BADGE_COLORS.find((c) => ratio >= c.min) ?? BADGE_COLORS[BADGE_COLORS.length - 1]!).color;
}

/** The badge's label and value text. */
export function badgeText(summary: Pick<RunSummary, 'score' | 'run'>): { label: string; value: string } {
  const s = summary.score;
  const value = `${headline(s)} · rules ${s.rulesPassing}/${s.rulesExercised}${summary.run.status === 'interrupted' ? ' · partial' : ''}`;
  return { label: 'KMS conformance', value };
}

/** The badge as an SVG document. */
export function badgeSvg(summary: Pick<RunSummary, 'score' | 'run' | 'target' | 'contract'>): string {
  const { label, value } = badgeText(summary);
  const pad = 10;
  const lw = textWidth(label) + pad;
  const vw = textWidth(value) + pad;
  const w = lw + vw;
  const color = badgeColor(summary.score.caseRatio);
  const title = `${label}: ${scoreLine(summary.score)} (${summary.target.name}, contract ${summary.contract.version})`;
  // Ids unique to the badge's content, so two badges inlined in one page do not share a clip path.
  const id = createHash('sha256').update(`${label}|${value}|${color}|${w}`).digest('hex').slice(0, 8);
  const text = (x: number, t: string): string => `<text x="${x * 10}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" textLength="${(textWidth(t)) * 10}">${esc(t)}</text><text x="${x * 10}" y="140" transform="scale(.1)" fill="#fff" textLength="${textWidth(t) * 10}">${esc(t)}</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${esc(`${label}: ${value}`)}">`,
    `<title>${esc(title)}</title>`,
    `<linearGradient id="s${id}" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>`,
    `<clipPath id="r${id}"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath>`,
    `<g clip-path="url(#r${id})"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${vw}" height="20" fill="${color}"/><rect width="${w}" height="20" fill="url(#s${id})"/></g>`,
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="110">${text(lw / 2, label)}${text(lw + vw / 2, value)}</g>`,
    '</svg>',
    '',
  ].join('\n');
}

/** Writes `badge.svg` into `dir` (atomically) and returns its path. */
export function writeBadge(summary: Pick<RunSummary, 'score' | 'run' | 'target' | 'contract'>, dir: string): string {
  return writeFileAtomic(join(dir, BADGE_FILE), badgeSvg(summary));
}
