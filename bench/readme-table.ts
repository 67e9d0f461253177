/**
 * Prints the README's benchmark table (Markdown) from one or more `npm run bench -- --json`
 * outputs, in the order given (later files add sections, or replace figures of the same name and
 * the CPU profile).
 * Usage: `npx tsx bench/readme-table.ts bench.json [more.json…]`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatValue, mark, type Figure } from './figures.ts';

/** What `--json` prints. */
export interface BenchJson {
  readonly machine: { readonly node: string; readonly cpus: number; readonly loadavg: readonly number[]; readonly seed: number; readonly date: string };
  readonly figures: readonly Figure[];
  readonly extras: Readonly<Record<string, unknown>>;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** The Markdown table (and the machine line) of some benchmark outputs. */
export function readmeTable(outputs: readonly BenchJson[]): string {
  const byKey = new Map<string, Figure>();
  for (const o of outputs) for (const f of o.figures) byKey.set(`${f.section}\u0000${f.name}`, f);
  const lines: string[] = [];
  for (const o of outputs) lines.push(`Measured ${o.machine.date.slice(0, 16).replace('T', ' ')} UTC, Node ${o.machine.node}, ${o.machine.cpus} CPUs, load average ${o.machine.loadavg.join(' / ')}, seed ${o.machine.seed}.`);
  lines.push('', '| section | figure | value | target | | notes |', '|---|---|---|---|---|---|');
  let section = '';
  for (const f of byKey.values()) {
    const sec = f.section === section ? '' : f.section;
    section = f.section;
    const m = mark(f);
    lines.push(`| ${cell(sec)} | ${cell(f.name)} | ${f.value === null ? cell(f.note ?? 'not measured') : cell(formatValue(f.value, f.unit))} | ${cell(f.target?.text ?? '')} | ${m === 'MISSES' ? '**misses**' : m} | ${f.value === null ? '' : cell(f.note ?? '')} |`);
  }
  // The last profile given wins, as figures of the same name do.
  const top = outputs.map((o) => o.extras.profile).filter((p) => Array.isArray(p)).pop();
  if (top !== undefined) {
    lines.push('', 'Where the mock server spends its busy time under `wrk` at concurrency 32 (`node --cpu-prof` of the compiled server, start-up included, self time, top entries):', '', '| self time | function | file |', '|---|---|---|');
    for (const p of top as { fn: string; where: string; share: number }[]) lines.push(`| ${(p.share * 100).toFixed(1)}% | ${cell(p.fn)} | ${cell(p.where)} |`);
  }
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    process.stderr.write('usage: npx tsx bench/readme-table.ts BENCH.json [MORE.json…] (from `npm run bench -- --json > BENCH.json`)\n');
    process.exit(2);
  }
  const outputs = files.map((f) => {
    try {
      return JSON.parse(readFileSync(f, 'utf8')) as BenchJson;
    } catch (e) {
      process.stderr.write(`readme-table: cannot read ${f} as the JSON of \`npm run bench -- --json\`: ${e instanceof Error ? e.message : String(e)}. Write it with \`npm run bench -- --json > ${f}\`.\n`);
      process.exit(2);
    }
  });
  process.stdout.write(readmeTable(outputs));
}
