/**
 * Generation speed (`npm run bench`): cases per second for each kind, with the contract re-check
 * the generators do by default and, for policies, without it (`verify: false`), so the cost of
 * keeping labels true is visible. Speed goals live here, never in timed tests.
 */
import fc from 'fast-check';
import { KmsConformanceUserError, parseSeedOption } from '../contract/errors.ts';
import { invalidPolicyArb } from '../generators/invalid-policy.ts';
import { requestArb } from '../generators/request.ts';
import { validPolicyArb } from '../generators/valid-policy.ts';
import { wireArb } from '../generators/wire.ts';

interface BenchRow {
  readonly name: string;
  readonly cases: number;
  readonly millis: number;
}

function measure(name: string, arb: fc.Arbitrary<unknown>, cases: number, seed: number): BenchRow {
  fc.sample(arb, { seed: seed + 1, numRuns: Math.min(50, cases) }); // warm-up (JIT, caches)
  const start = performance.now();
  fc.sample(arb, { seed, numRuns: cases });
  return { name, cases, millis: performance.now() - start };
}

function benchSeed(raw: string): number {
  try {
    return parseSeedOption('KMS_CONFORMANCE_SEED', raw);
  } catch (e) {
    if (!(e instanceof KmsConformanceUserError)) throw e;
    process.stderr.write(`bench: ${e.message}\n`);
    process.exit(2);
  }
}
const seed = benchSeed(process.env.KMS_CONFORMANCE_SEED ?? '1');
const rows: BenchRow[] = [
  measure('valid-policy (re-checked by the contract checker)', validPolicyArb(), 2000, seed),
  measure('valid-policy (no re-check)', validPolicyArb({ verify: false }), 2000, seed),
  measure('invalid-policy (re-checked by the contract checker)', invalidPolicyArb(), 2000, seed),
  measure('invalid-policy (no re-check)', invalidPolicyArb({ verify: false }), 2000, seed),
  measure('request', requestArb(), 10_000, seed),
  measure('wire', wireArb(), 5000, seed),
];

const width = Math.max(...rows.map((r) => r.name.length));
process.stdout.write(`kms-conformance generation speed (seed ${seed}, Node ${process.version})\n\n`);
process.stdout.write(`${'kind'.padEnd(width)}  ${'cases'.padStart(6)}  ${'ms'.padStart(7)}  ${'cases/s'.padStart(9)}\n`);
for (const r of rows) {
  const perSecond = Math.round((r.cases / r.millis) * 1000);
  process.stdout.write(`${r.name.padEnd(width)}  ${String(r.cases).padStart(6)}  ${r.millis.toFixed(0).padStart(7)}  ${String(perSecond).padStart(9)}\n`);
}
