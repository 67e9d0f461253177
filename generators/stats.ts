/**
 * Coverage statistics: how often each declared grammar feature, mutation and boundary appears in
 * N generated cases. The declared lists are exported, so a feature or mutation that is added but
 * never reached shows up as missing (and fails the statistics test).
 */
import fc from 'fast-check';
import { KEY_STATES } from '../contract/types.ts';
import { acceptsMissing, DEFAULT_GENERATOR_CONTEXT, type GeneratorContext } from './context.ts';
import { caseArb, type GenerateKind } from './kinds.ts';
import { mutationsFor } from './mutations.ts';
import { allMemberVariants, KEY_ID_FORMS, KEY_OPERATIONS, STATE_OPERATIONS, variantFeature } from './request.ts';
import { WIRE_MUTATION_NAMES } from './wire.ts';

/** Grammar, formatting, character and size features the valid-policy generator declares. */
export const VALID_POLICY_FEATURES: readonly string[] = [
  'action.absent',
  'action.case',
  'action.exact',
  'action.list',
  'action.present',
  'action.star',
  'action.string',
  'action.wildcard',
  'chars.jsonEscape',
  'chars.latin1.escaped',
  'chars.latin1.raw',
  'condition.arn',
  'condition.boolean',
  'condition.ifExists',
  'condition.list',
  'condition.multipleKeys',
  'condition.multipleOperators',
  'condition.number',
  'condition.otherType',
  'condition.present',
  'condition.setOperator',
  'condition.string',
  'effect.allow',
  'effect.deny',
  'format.compact',
  'format.escapeSlash',
  'format.indent.2',
  'format.indent.4',
  'format.indent.tab',
  'format.jackson',
  'format.newline.cr',
  'format.newline.crlf',
  'format.newline.lf',
  'format.pretty',
  'format.spaced',
  'format.trailingNewline',
  'id.absent',
  'id.present',
  'lockout.bypassed',
  'order.statement.permuted',
  'order.top.permuted',
  'principal.account.arn',
  'principal.account.id',
  'principal.assumedRole',
  'principal.aws.star',
  'principal.caller',
  'principal.list',
  'principal.multipleTypes',
  'principal.role',
  'principal.service',
  'principal.singletonList',
  'principal.star',
  'principal.user',
  'resource.absent',
  'resource.list',
  'resource.string',
  'sid.absent',
  'sid.duplicate',
  'sid.present',
  'sid.spaces',
  'size.exactQuota',
  'size.large',
  'statement.array',
  'statement.multiple',
  'text.cr',
  'text.lf',
  'text.tab',
  'text.u007e',
  'text.u00a0',
  'text.u00ff',
];

/** Default number of cases per kind for statistics: every declared feature appears at this size. */
export const DEFAULT_STATS_RUNS: Readonly<Record<GenerateKind, number>> = {
  'valid-policy': 1000,
  'invalid-policy': 1000,
  request: 10_000,
  wire: 1000,
};

/** The features, mutations and boundaries a kind declares for a context. */
export function declaredFeatures(kind: GenerateKind, ctx: GeneratorContext = DEFAULT_GENERATOR_CONTEXT): string[] {
  switch (kind) {
    case 'valid-policy':
      // Statements without Action or Resource are valid only from 2025-06-05 (decision 0102).
      return VALID_POLICY_FEATURES.filter((f) => (f !== 'action.absent' || acceptsMissing(ctx, 'Action')) && (f !== 'resource.absent' || acceptsMissing(ctx, 'Resource')));
    case 'invalid-policy':
      return [...mutationsFor(ctx).map((m) => `mutation:${m.name}`), 'lockout.deny-put', 'lockout.read-only'];
    case 'request':
      return [
        ...KEY_ID_FORMS.map((f) => `keyId:${f}`),
        ...KEY_OPERATIONS.flatMap((op) => KEY_ID_FORMS.map((f) => `keyId:${op}.${f}`)),
        ...STATE_OPERATIONS.flatMap((op) => KEY_STATES.map((s) => `state:${op}.${s}`)),
        ...allMemberVariants(ctx).map(variantFeature),
      ];
    case 'wire':
      return WIRE_MUTATION_NAMES.map((n) => `wire:${n}`);
  }
}

/** One row of the statistics: a feature and how many cases showed it. */
export interface FeatureCount {
  readonly feature: string;
  readonly count: number;
  /** Whether the feature is in the kind's declared list (undeclared ones are reported too). */
  readonly declared: boolean;
}

/** Statistics of one run. */
export interface StatsReport {
  readonly kind: GenerateKind;
  readonly runs: number;
  readonly seed: number;
  readonly labels: { readonly valid: number; readonly invalid: number; readonly unspecified: number };
  /** Cases per labelled rule id. */
  readonly rules: Readonly<Record<string, number>>;
  readonly features: readonly FeatureCount[];
  /** Declared features that no case showed. Empty when coverage is complete. */
  readonly missing: readonly string[];
  readonly millis: number;
}

/** Options of {@link collectStats}. */
export interface StatsOptions {
  /** @defaultValue {@link DEFAULT_STATS_RUNS} of the kind */
  readonly runs?: number;
  /** @defaultValue 1 */
  readonly seed?: number;
  readonly context?: GeneratorContext;
}

/**
 * Generates `runs` cases of a kind and counts features, mutations, boundaries and labels.
 *
 * @example
 * ```ts
 * const report = collectStats('invalid-policy', { seed: 42 });
 * if (report.missing.length > 0) console.log('never reached:', report.missing);
 * ```
 */
export function collectStats(kind: GenerateKind, options: StatsOptions = {}): StatsReport {
  const ctx = options.context ?? DEFAULT_GENERATOR_CONTEXT;
  const runs = options.runs ?? DEFAULT_STATS_RUNS[kind];
  const seed = options.seed ?? 1;
  const started = performance.now();
  const cases = fc.sample(caseArb(kind, { context: ctx }), { seed, numRuns: runs });
  const millis = performance.now() - started;
  const counts = new Map<string, number>();
  const rules = new Map<string, number>();
  const labels = { valid: 0, invalid: 0, unspecified: 0 };
  for (const c of cases) {
    const label = c.value.label;
    labels[label.kind]++;
    if (label.kind === 'invalid' || (label.kind === 'unspecified' && label.ruleId !== undefined)) {
      const id = label.kind === 'invalid' ? label.ruleId : (label.ruleId as string);
      rules.set(id, (rules.get(id) ?? 0) + 1);
    }
    for (const f of c.value.features) counts.set(f, (counts.get(f) ?? 0) + 1);
  }
  const declared = declaredFeatures(kind, ctx);
  const declaredSet = new Set(declared);
  const features: FeatureCount[] = [
    ...declared.map((feature) => ({ feature, count: counts.get(feature) ?? 0, declared: true })),
    ...[...counts.entries()].filter(([f]) => !declaredSet.has(f)).map(([feature, count]) => ({ feature, count, declared: false })),
  ];
  return {
    kind,
    runs,
    seed,
    labels,
    rules: Object.fromEntries([...rules.entries()].sort(([a], [b]) => a.localeCompare(b))),
    features,
    missing: features.filter((f) => f.declared && f.count === 0).map((f) => f.feature),
    millis,
  };
}

/**
 * Whether a run shows the kind's coverage: `complete` (every declared feature reached),
 * `incomplete` (one is missing although the run had at least the kind's default size, at which
 * every feature is reached: a generator defect), or `too-small` (missing ones in a run smaller
 * than that, which says nothing about the generators). `generate --stats` exits 1 only for
 * `incomplete`.
 */
export function coverageVerdict(r: Pick<StatsReport, 'kind' | 'runs' | 'missing'>): 'complete' | 'incomplete' | 'too-small' {
  if (r.missing.length === 0) return 'complete';
  return r.runs >= DEFAULT_STATS_RUNS[r.kind] ? 'incomplete' : 'too-small';
}

/** How many missing features the summary line names; the table marks every one. */
const MISSING_NAMED = 5;

/** The report as a plain-text table (what `generate --stats` prints). */
export function formatStats(r: StatsReport): string {
  const width = Math.max(...r.features.map((f) => f.feature.length), 10);
  const lines = [
    `kind ${r.kind}: ${r.runs} cases, seed ${r.seed}, ${Math.round(r.millis)} ms (${Math.round((r.runs / Math.max(r.millis, 1)) * 1000)} cases/s)`,
    `labels: valid ${r.labels.valid}, invalid ${r.labels.invalid}, unspecified ${r.labels.unspecified}`,
    '',
    `${'feature'.padEnd(width)}  count`,
    ...r.features.map((f) => `${f.feature.padEnd(width)}  ${String(f.count).padStart(5)}${f.declared ? '' : '  (not declared)'}${f.declared && f.count === 0 ? '  MISSING' : ''}`),
  ];
  if (Object.keys(r.rules).length > 0) {
    lines.push('', `${'rule'.padEnd(width)}  count`, ...Object.entries(r.rules).map(([id, n]) => `${id.padEnd(width)}  ${String(n).padStart(5)}`));
  }
  const declared = r.features.filter((f) => f.declared).length;
  if (r.missing.length === 0) {
    lines.push('', `every declared feature reached (${declared})`);
  } else {
    const named = r.missing.slice(0, MISSING_NAMED).join(', ');
    const more = r.missing.length > MISSING_NAMED ? ` and ${r.missing.length - MISSING_NAMED} more (each marked MISSING above)` : '';
    lines.push('', `MISSING ${r.missing.length}: ${named}${more}`);
    if (coverageVerdict(r) === 'too-small') {
      lines.push(`${r.missing.length} of ${declared} declared features are not reached in ${r.runs} cases; every one is reached at ${DEFAULT_STATS_RUNS[r.kind]} (the default --count with --stats).`);
    }
  }
  return `${lines.join('\n')}\n`;
}
