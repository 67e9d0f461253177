/**
 * Runs chosen cases against the bundled mock in process through one transport and returns their
 * records: for suites that pick their own cases instead of a full run.
 */
import type { ContractVersionId } from '../../contract/types.ts';
import type { RunCase } from '../../generators/cases.ts';
import type { GeneratorContext } from '../../generators/context.ts';
import type { MockOptions } from '../../mocks/options.ts';
import { executeCase } from '../../replay/execute.ts';
import { openInProcess } from '../../replay/in-process.ts';
import type { CaseRecord, Transport } from '../../scoring/results.ts';
import { describeExpected, describeObservation } from '../../scoring/verdict.ts';

/** The records of `cases` run one by one in process. */
export async function runInProcess(cases: readonly RunCase[], ctx: GeneratorContext, version: ContractVersionId, transport: Transport, mock: MockOptions = {}): Promise<CaseRecord[]> {
  const target = openInProcess(ctx, mock);
  const out: CaseRecord[] = [];
  try {
    for (const c of cases) out.push(await executeCase(c, transport, { target, version, convergeTimeoutMs: 1000, secrets: [], allowLockout: true }));
  } finally {
    await target.close();
  }
  return out;
}

/** Every fail and error as readable lines (empty when none). */
export function problems(records: readonly CaseRecord[]): string {
  return records
    .filter((r) => r.verdict === 'fail' || r.verdict === 'error')
    .map((r) => `${r.verdict.toUpperCase()} ${r.id}: expected ${describeExpected(r.expected)}, observed ${describeObservation(r.observed)}${r.findings ? `; ${r.findings.map((f) => `${f.code} [${f.ruleIds.join(', ')}]`).join('; ')}` : ''}${r.reason ? `; ${r.reason}` : ''}`)
    .join('\n');
}
