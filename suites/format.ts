/**
 * Human-readable results: one block per failing or erroring case, with everything needed to
 * replay it (the `generate` command line for `{seed, path}`, and the case JSON).
 */
import type { ContractVersionId } from '../contract/types.ts';
import { caseJson, type SuiteCase } from './cases.ts';
import type { CaseResult } from './results.ts';
import { countResults } from './results.ts';
import { describeObservation, describeOutcomes } from './score.ts';

/** How to get the case back: the `generate` line when it has an origin, always its JSON. */
export function replayText(c: SuiteCase, version: ContractVersionId): string {
  const lines: string[] = [];
  if (c.origin !== undefined) {
    const { seed, path } = c.origin;
    lines.push(`replay: npx tsx cli/main.ts generate --kind ${c.case.kind} --seed ${seed} --count ${Number(path.split(':')[0]) + 1} --contract ${version} | tail -n 1`);
    lines.push(`    or: replayCase('${c.case.kind}', { seed: ${seed}, path: '${path}' }, { context: createGeneratorContext({ version: '${version}' }) })`);
  }
  const json = JSON.stringify(caseJson(c.case));
  lines.push(`case: ${json.length > 4000 ? `${json.slice(0, 4000)}… (${json.length} characters)` : json}`);
  return lines.join('\n');
}

/** One result as a block of text. */
export function formatResult(r: CaseResult, c: SuiteCase | undefined): string {
  const head = `[${r.kind.toUpperCase()}] ${r.caseId} ${r.operation} via ${r.transport} → ${r.target} (contract ${r.version})`;
  const lines = [head, `label: ${JSON.stringify(r.label)}`];
  if (r.expected) lines.push(`expected: ${r.expected.kind === 'decided' ? describeOutcomes(r.expected.outcomes) : `unspecified (${r.expected.reason})`}`);
  if (r.observed) lines.push(`observed: ${describeObservation(r.observed)}`);
  if (r.sent && !r.sent.asGenerated) lines.push(`sent: ${r.sent.note}`);
  if (r.kind === 'fail') for (const f of r.findings) lines.push(`finding ${f.code} [${f.ruleIds.join(', ')}]: ${f.message}`);
  if (r.kind === 'error') lines.push(`error (${r.stage}): ${r.message}`);
  if (c) lines.push(replayText(c, r.version));
  return lines.join('\n  ');
}

/**
 * A report of the results that are not `pass` or `unspecified`, with counts first; empty lines
 * only between blocks. `limit` caps the blocks shown.
 */
export function formatProblems(results: readonly CaseResult[], cases: readonly SuiteCase[], limit = 10): string {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const bad = results.filter((r) => r.kind === 'fail' || r.kind === 'error');
  const n = countResults(results);
  const head = `${n.total} cases: ${n.pass} pass, ${n.fail} fail, ${n.unspecified} unspecified, ${n.error} error`;
  const blocks = bad.slice(0, limit).map((r) => formatResult(r, byId.get(r.caseId)));
  const more = bad.length > limit ? [`… and ${bad.length - limit} more`] : [];
  return [head, ...blocks, ...more].join('\n\n');
}
