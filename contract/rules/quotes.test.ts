/**
 * Every quote in the catalogue must really appear in the contract notes, a saved source or a seed
 * (`shared/contract/`). Comparison ignores only layout: runs of whitespace, Markdown emphasis and
 * code marks, HTML tags and JSON string escapes (the sources are JSON files and HTML doc strings).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RULES } from './index.ts';
import { KEY_STATE_COLUMNS, KEY_STATE_ROWS, KEY_STATE_TABLE } from './key-state.ts';

const shared = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'contract');

function normalise(s: string): string {
  return s
    .replace(/\\n/g, ' ')
    .replace(/\\"/g, '"')
    .replace(/\\\\/g, '\\')
    .replace(/<\/?(p|code|a|ul|li|i|b|note|important|br)( [^>]*)?>/g, '')
    .replace(/`|\*\*/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const TEXTS: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  m.set('README.md', normalise(readFileSync(join(shared, 'README.md'), 'utf8')));
  for (const dir of ['sources', 'seeds']) {
    for (const f of readdirSync(join(shared, dir))) m.set(`${dir}/${f}`, normalise(readFileSync(join(shared, dir, f), 'utf8')));
  }
  return m;
})();

describe('catalogue quotes', () => {
  it('reads the shared contract notes, sources and seeds', () => {
    expect(TEXTS.size).toBeGreaterThanOrEqual(1 + 8 + 5);
  });

  it('quotes every source sentence verbatim from the notes, a source file or a seed', () => {
    const missing: string[] = [];
    for (const r of RULES) {
      for (const s of r.sources) {
        const q = normalise(s.quote);
        if (![...TEXTS.values()].some((t) => t.includes(q))) missing.push(`${r.id} [${s.tag}] ${s.quote}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('quotes seed tags from their own seed document', () => {
    const seedFile: Readonly<Record<string, string>> = { 'S-CLI': '000_', 'S-JS': '001_', 'S-BOTO3': '002_', 'S-QKMS': '003_', 'S-APIREF': '004_' };
    const wrong: string[] = [];
    for (const r of RULES) {
      for (const s of r.sources) {
        const prefix = seedFile[s.tag];
        if (prefix === undefined) continue;
        const q = normalise(s.quote);
        const inSeed = [...TEXTS.entries()].some(([k, t]) => k.startsWith(`seeds/${prefix}`) && t.includes(q));
        if (!inSeed) wrong.push(`${r.id} [${s.tag}] ${s.quote}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('transcribes the §8.5 key-state table cell by cell', () => {
    for (const [op, row] of Object.entries(KEY_STATE_ROWS) as [keyof typeof KEY_STATE_ROWS, string][]) {
      const cells = row.split('|').map((c) => c.trim()).filter((c) => c !== '').slice(1);
      expect(cells.length, op).toBe(KEY_STATE_COLUMNS.length);
      KEY_STATE_COLUMNS.forEach((states, i) => {
        for (const state of states) {
          expect(KEY_STATE_TABLE[op][state].kind, `${op} ${state}`).toBe(cells[i]!.startsWith('✓') ? 'ok' : 'invalid');
          const footnote = /\[\d+\]/.exec(cells[i]!)?.[0];
          expect(KEY_STATE_TABLE[op][state].footnote, `${op} ${state}`).toBe(footnote);
        }
      });
    }
  });
});
