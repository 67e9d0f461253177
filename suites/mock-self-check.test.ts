/**
 * The bundled mock against its own contract: generated cases of every kind, through the real SDK
 * and raw HTTP, in process and over the loopback server, under every contract version. Every
 * case the contract decides must pass. The seed is in the suite's name (set KMS_CONFORMANCE_SEED
 * to replay a run); every failure prints the `generate` line and the case JSON that replay it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_VERSIONS, type ContractVersionId } from '../contract/types.ts';
import { createGeneratorContext } from '../generators/context.ts';
import type { GenerateKind } from '../generators/kinds.ts';
import { startMockServer, type MockServer } from '../mocks/server.ts';
import { suiteCases, type SuiteCase } from './cases.ts';
import { formatResult } from './format.ts';
import { countResults, type CaseResult, type Transport } from './results.ts';
import { runCases } from './self-check.ts';
import type { SuiteTarget } from './targets.ts';

const envSeed = process.env.KMS_CONFORMANCE_SEED;
const SEED = envSeed !== undefined && /^-?\d+$/.test(envSeed) ? Number(envSeed) : Math.floor(Math.random() * 2 ** 31);

/** Every fail and error as a replayable block; empty when all decided cases pass. */
function problems(results: readonly CaseResult[], cases: readonly SuiteCase[]): string {
  const byId = new Map(cases.map((c) => [c.id, c]));
  return results
    .filter((r) => r.kind === 'fail' || r.kind === 'error')
    .slice(0, 10)
    .map((r) => formatResult(r, byId.get(r.caseId)))
    .join('\n\n');
}

interface Lane {
  readonly kind: GenerateKind;
  readonly count: number;
  readonly transport: Transport;
  readonly serving: 'in-process' | 'server';
}

const LANES: readonly Lane[] = [
  { kind: 'request', count: 300, transport: 'sdk', serving: 'in-process' },
  { kind: 'request', count: 100, transport: 'sdk', serving: 'server' },
  { kind: 'request', count: 100, transport: 'http', serving: 'in-process' },
  { kind: 'wire', count: 200, transport: 'http', serving: 'in-process' },
  { kind: 'wire', count: 100, transport: 'http', serving: 'server' },
  { kind: 'valid-policy', count: 100, transport: 'sdk', serving: 'in-process' },
  { kind: 'invalid-policy', count: 100, transport: 'sdk', serving: 'in-process' },
  { kind: 'invalid-policy', count: 50, transport: 'http', serving: 'server' },
];

describe.each(CONTRACT_VERSIONS)(`the bundled mock conforms to contract %s (seed ${SEED})`, (version: ContractVersionId) => {
  const context = createGeneratorContext({ version });
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer({ host: '127.0.0.1', port: 0, contractVersion: version });
  });
  afterAll(async () => {
    await server.close();
  });

  it.each(LANES)('$count $kind cases via $transport → mock $serving: every decided case passes', async (lane) => {
    const cases = suiteCases(lane.kind, lane.count, SEED, context);
    const target: SuiteTarget = lane.serving === 'server' ? { kind: 'mock', serving: 'server', server } : { kind: 'mock', serving: 'in-process' };
    const results = await runCases({ cases, target, transport: lane.transport, version, context });
    expect(problems(results, cases), `seed ${SEED}`).toBe('');
    const n = countResults(results);
    expect(n.total).toBe(lane.count);
    // Not vacuous: most generated cases are ones the contract decides.
    expect(n.pass).toBeGreaterThan(lane.count / 2);
    expect(results.every((r) => r.target === `mock:${lane.serving}` && r.transport === lane.transport && r.version === version)).toBe(true);
  });
});
