/**
 * `kms-conformance rules`: lists the contract rules with ids, statements, accepted outcomes and
 * sources, as a table grouped by topic or as JSON (`--json`).
 */
import type { Command } from 'commander';
import { TOPIC_ORDER, outcomesFor, selectRules } from '../../contract/rules/index.ts';
import { VERSION_DESCRIPTIONS, resolveContractVersion } from '../../contract/versions.ts';
import { OPERATIONS } from '../../contract/types.ts';
import { sourceTagLegend } from '../../contract/sources.ts';
import type { AcceptedOutcome, ContractVersionId, OperationName, Rule, RuleTopic } from '../../contract/types.ts';
import { UsageError } from '../errors.ts';
import type { CliContext } from '../main.ts';

interface RulesOptions {
  readonly json?: boolean;
  readonly contract: string;
  readonly topic?: string;
  readonly operation?: string;
}

/** `MalformedPolicyDocumentException 400`, `NotFoundException 400|404`, `success`, `any error 400`. */
export function formatOutcome(o: AcceptedOutcome): string {
  if (o.kind === 'success') return 'success';
  return `${o.code === '*' ? 'any error' : o.code} ${o.statuses.join('|')}`;
}

function parseTopic(raw: string | undefined): RuleTopic | undefined {
  if (raw === undefined) return undefined;
  const t = TOPIC_ORDER.find((x) => x === raw);
  if (!t) throw new UsageError(`unknown topic '${raw}'. Valid topics: ${TOPIC_ORDER.join(', ')}. Example: --topic policy-document`);
  return t;
}

function parseOperation(raw: string | undefined): OperationName | undefined {
  if (raw === undefined) return undefined;
  const op = OPERATIONS.find((x) => x.toLowerCase() === raw.toLowerCase());
  if (!op) throw new UsageError(`unknown operation '${raw}'. Valid operations: ${OPERATIONS.join(', ')}. Example: --operation PutKeyPolicy`);
  return op;
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

/** The rule as `--json` prints it: the catalogue entry with the version's accepted outcomes. */
export function ruleJson(r: Rule, version: ContractVersionId): Record<string, unknown> {
  const { outcomesByVersion: _byVersion, ...rest } = r;
  return { ...rest, outcomes: outcomesFor(r.id, version) };
}

/** The human-readable listing. */
export function renderRules(rules: readonly Rule[], version: ContractVersionId): string {
  const lines: string[] = [`Contract ${version}: ${VERSION_DESCRIPTIONS[version]}`, `${rules.length} rules`, ''];
  for (const topic of TOPIC_ORDER) {
    const inTopic = rules.filter((r) => r.topic === topic);
    if (inTopic.length === 0) continue;
    lines.push(`== ${topic} (${inTopic.length})`);
    for (const r of inTopic) {
      lines.push(`${r.id}`);
      lines.push(`  ${r.statement}`);
      lines.push(`  accepts: ${outcomesFor(r.id, version).map(formatOutcome).join(', ')}`);
      for (const s of r.sources) lines.push(`  ${s.tag} "${truncate(s.quote, 110)}"${s.where ? ` (${truncate(s.where, 60)})` : ''}`);
      if (r.disagreement) lines.push(`  ⚠ ${r.disagreement}`);
      if (r.note) lines.push(`  note: ${r.note}`);
      if (r.decision) lines.push(`  decision: ${r.decision}`);
    }
    lines.push('');
  }
  const legend = sourceTagLegend(rules.flatMap((r) => r.sources.map((s) => s.tag)));
  if (legend.length > 0) lines.push('Source tags (each quote above is verbatim from its source):', ...legend.map((l) => `  ${l}`), '');
  return lines.join('\n');
}

/** Registers `rules` on the program. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('rules')
    .description('list the contract rules with ids, sources and accepted outcomes')
    .option('--json', 'print {contractVersion, total, rules:[…]} as JSON (total: the rules listed)')
    .option('--contract <version>', 'contract version: latest, 2017-02-15, 2024-03-18, 2025-06-05 (or a prefix such as 2024-03)', 'latest')
    .option('--topic <topic>', `only one topic: ${TOPIC_ORDER.join(', ')}`)
    .option('--operation <op>', `only rules of one operation: ${OPERATIONS.join(', ')}`)
    .addHelpText('after', '\nExamples:\n  npx kms-conformance rules --topic policy-size\n  npx kms-conformance rules --operation PutKeyPolicy --contract 2024-03-18 --json\n\nEach rule lists its sources as TAG "quote"; the listing ends with what each tag printed means.\n')
    .action((opts: RulesOptions) => {
      const version = resolveContractVersion(opts.contract);
      const topic = parseTopic(opts.topic);
      const operation = parseOperation(opts.operation);
      const rules = selectRules({ version, ...(topic ? { topic } : {}), ...(operation ? { operation } : {}) });
      if (opts.json) {
        ctx.out.write(`${JSON.stringify({ contractVersion: version, total: rules.length, rules: rules.map((r) => ruleJson(r, version)) }, null, 2)}\n`);
      } else {
        ctx.out.write(`${renderRules(rules, version)}\n`);
      }
    });
}
