/**
 * `npm run bench`: generation speed (cases per second for each kind, with the contract re-check
 * the generators do by default and, for policies, without it (`verify: false`), so the cost of
 * keeping labels true is visible), and the mock's per-request cost with 100 and with 100,000 keys
 * (issue 9: within 10% of each other). Speed goals live here, never in timed tests.
 */
import fc from 'fast-check';
import { KmsConformanceUserError, parseSeedOption } from '../contract/errors.ts';
import { invalidPolicyArb } from '../generators/invalid-policy.ts';
import { requestArb } from '../generators/request.ts';
import { validPolicyArb } from '../generators/valid-policy.ts';
import { wireArb } from '../generators/wire.ts';
import { createMockHandler } from '../mocks/handler.ts';
import { KmsModel } from '../mocks/model/kms-model.ts';

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

// ---------------------------------------------------------------------------------------------
// The mock: per-request cost by number of keys
// ---------------------------------------------------------------------------------------------

/** A model holding `keys` keys, and a DescribeKey and a GetKeyPolicy request (wire bytes) for one of them. */
function mockWith(keys: number): { handle: () => Promise<unknown>; keyScans: () => number } {
  const model = new KmsModel({ seed });
  let last = '';
  for (let i = 0; i < keys; i++) last = String(model.seedKey().KeyId);
  const handler = createMockHandler(model);
  const headers = (op: string) => ({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `TrentService.${op}` });
  const body = new TextEncoder().encode(JSON.stringify({ KeyId: last }));
  let n = 0;
  return {
    handle: () => handler.handle({ method: 'POST', url: '/', headers: headers(n++ % 2 === 0 ? 'DescribeKey' : 'GetKeyPolicy'), body }),
    keyScans: () => model.keyScans,
  };
}

/** Microseconds per request over `count` sequential requests. */
async function perRequest(m: { handle: () => Promise<unknown> }, count: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) await m.handle();
  return ((performance.now() - start) * 1000) / count;
}

const SIZES = [100, 100_000] as const;
const ROUNDS = 7;
const PER_ROUND = 4000;
const mocks = SIZES.map((n) => mockWith(n));
for (const m of mocks) await perRequest(m, 2000); // warm-up (JIT, the policy cache)
const samples: number[][] = SIZES.map(() => []);
const scansBefore = mocks.map((m) => m.keyScans());
// Rounds alternate between the sizes, so drift in the machine's speed affects both alike.
for (let r = 0; r < ROUNDS; r++) for (const [i, m] of mocks.entries()) samples[i]!.push(await perRequest(m, PER_ROUND));
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const costs = samples.map(median);
const ratio = costs[1]! / costs[0]!;
const TARGET = 1.1;
process.stdout.write(`\nmock: sequential DescribeKey/GetKeyPolicy through the request path (median of ${ROUNDS} rounds of ${PER_ROUND})\n\n`);
for (const [i, n] of SIZES.entries()) {
  process.stdout.write(`${String(n).padStart(7)} keys  ${costs[i]!.toFixed(1).padStart(7)} µs/request  (full key scans during the rounds: ${mocks[i]!.keyScans() - scansBefore[i]!})\n`);
}
process.stdout.write(`ratio 100,000 : 100 keys = ${ratio.toFixed(3)}  (target <= ${TARGET})${ratio <= TARGET ? '' : '  MISSES the target'}\n`);
