/**
 * The benchmark's figures: one row per number, with its target (when the issue sets one) and
 * whether it meets it, printed as text for people and as JSON (`--json`) for machines and for the
 * README table (`bench/readme-table.ts`).
 */

/** A target a figure is judged against. */
export interface Target {
  /** `max`: the value must be at most `value`; `min`: at least. */
  readonly kind: 'max' | 'min';
  readonly value: number;
  /** How the target reads beside the figure (`< 10 s`, `>= 50% of minimal`). */
  readonly text: string;
}

/** One measured figure. `value` is `null` when it could not be measured (`note` says why). */
export interface Figure {
  readonly section: string;
  readonly name: string;
  readonly value: number | null;
  readonly unit: string;
  readonly target?: Target;
  /** `true` meets the target, `false` misses it, absent when there is no target or no value. */
  readonly ok?: boolean;
  readonly note?: string;
}

/** A figure, judged against its target. */
export function figure(section: string, name: string, value: number | null, unit: string, target?: Target, note?: string): Figure {
  const ok = target === undefined || value === null ? undefined : target.kind === 'max' ? value <= target.value : value >= target.value;
  return { section, name, value, unit, ...(target === undefined ? {} : { target }), ...(ok === undefined ? {} : { ok }), ...(note === undefined ? {} : { note }) };
}

/** A figure that could not be measured, and why. */
export function notMeasured(section: string, name: string, unit: string, why: string, target?: Target): Figure {
  return figure(section, name, null, unit, target, `not measured: ${why}`);
}

/** A number for people: no more digits than it deserves. */
export function formatValue(v: number | null, unit: string): string {
  if (v === null) return '-';
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  const n = v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  return unit === '' ? n : `${n} ${unit}`;
}

/** The mark beside a figure: `ok`, `MISSES`, or nothing. */
export function mark(f: Figure): string {
  if (f.ok === true) return 'ok';
  if (f.ok === false) return 'MISSES';
  return '';
}

/** The figures as aligned text, one block per section. */
export function formatText(figures: readonly Figure[]): string {
  const nameW = Math.max(4, ...figures.map((f) => f.name.length));
  const valW = Math.max(5, ...figures.map((f) => formatValue(f.value, f.unit).length));
  const tgtW = Math.max(6, ...figures.map((f) => (f.target?.text ?? '').length));
  const lines: string[] = [];
  let section = '';
  for (const f of figures) {
    if (f.section !== section) {
      section = f.section;
      lines.push('', `== ${section}`);
    }
    const tail = [mark(f), f.note ?? ''].filter((x) => x !== '').join('  ');
    lines.push(`${f.name.padEnd(nameW)}  ${formatValue(f.value, f.unit).padStart(valW)}  ${(f.target ? `target ${f.target.text}` : '').padEnd(tgtW + 7)}  ${tail}`.trimEnd());
  }
  return `${lines.join('\n')}\n`;
}
