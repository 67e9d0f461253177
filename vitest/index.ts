/**
 * `kms-conformance/vitest`: the conformance suite inside an emulator's own vitest run. One call
 * registers one test per contract rule; the run itself happens once (in `beforeAll`), and each
 * rule's test then passes, fails with the case, the expected and observed outcome and the replay
 * line, or is skipped with the reason no case reached the rule.
 *
 * @example
 * ```ts
 * // conformance.test.ts in an emulator's repository
 * import { describeConformance } from 'kms-conformance/vitest';
 * describeConformance({ endpoint: 'http://127.0.0.1:4566', seed: 42 });
 * ```
 */
import { beforeAll, describe, it } from 'vitest';
import { rulesFor } from '../contract/rules/index.ts';
import { resolveContractVersion } from '../contract/versions.ts';
import { runConformance, type ConformanceResult, type RunOptions } from '../replay/runner.ts';
import type { CaseRecord } from '../scoring/results.ts';
import { readBaseline, type Baseline } from '../scoring/baseline.ts';
import { describeExpected, describeObservation } from '../scoring/verdict.ts';

/** Options of {@link describeConformance}: the run's options, plus how the suite is named and timed. */
export interface DescribeConformanceOptions extends Omit<RunOptions, 'onCase' | 'onProgress' | 'onStart' | 'signal' | 'contract' | 'baseline'> {
  /** Known divergences: a baseline file's path, or one read with `readBaseline`. Waived rules pass. */
  readonly baseline?: string | Baseline;
  /** Contract version: `latest` or a model date. @defaultValue `'latest'` */
  readonly contract?: string;
  /** Name of the `describe` block. @defaultValue `kms-conformance (<endpoint or bundled mock>)` */
  readonly name?: string;
  /** Milliseconds the whole run may take (the `beforeAll` timeout). @defaultValue 600000 */
  readonly timeoutMs?: number;
  /** Report directory (results.json and a replay file per failure); `false` writes nothing. @defaultValue `'./conformance-report'` */
  readonly out?: string | false;
  /** Failing cases shown per rule. @defaultValue 3 */
  readonly show?: number;
}

/** How one failing case reads in a test failure. */
export function describeFailure(r: CaseRecord, reportDir: string | undefined): string {
  const f = r.findings?.[0];
  const lines = [
    `case ${r.id} (${r.operation} via ${r.transport})`,
    `  expected: ${f?.expected ?? describeExpected(r.expected)}`,
    `  observed: ${f?.observed ?? describeObservation(r.observed)}`,
    ...(f ? [`  finding:  ${f.code}: ${f.message}`] : []),
  ];
  if (r.replayFile !== undefined && reportDir !== undefined) lines.push(`  replay:   npx kms-conformance replay ${reportDir.replace(/\/$/, '')}/${r.replayFile}`);
  else if (r.origin !== undefined) lines.push(`  generate: npx kms-conformance generate --kind ${r.source} --seed ${r.origin.seed} --count ${Number(r.origin.path.split(':')[0]) + 1} | tail -n 1`);
  return lines.join('\n');
}

/**
 * Registers the conformance suite in the caller's vitest run: one `describe` with one test per
 * rule of the contract version. Call it at the top level of a test file.
 */
export function describeConformance(options: DescribeConformanceOptions = {}): void {
  const version = resolveContractVersion(options.contract ?? 'latest');
  const rules = rulesFor(version);
  const name = options.name ?? `kms-conformance (${options.endpoint ?? 'bundled mock'})`;
  const show = options.show ?? 3;
  const { name: _n, timeoutMs, show: _s, baseline, ...rest } = options;
  const runOptions: RunOptions = { ...rest, ...(baseline === undefined ? {} : { baseline: typeof baseline === 'string' ? readBaseline(baseline) : baseline }) };
  let result: ConformanceResult | undefined;
  let failure: unknown;
  describe(name, () => {
    beforeAll(async () => {
      try {
        result = await runConformance({ ...runOptions, contract: version, out: options.out ?? './conformance-report' });
      } catch (e) {
        failure = e;
      }
    }, timeoutMs ?? 600_000);

    for (const rule of rules) {
      it(rule.id, (ctx) => {
        if (failure !== undefined) throw failure instanceof Error ? failure : new Error(String(failure));
        if (result === undefined) throw new Error('the conformance run did not finish');
        const score = result.rules.find((r) => r.id === rule.id);
        if (score === undefined) throw new Error(`rule ${rule.id} is missing from the run's results`);
        if (score.verdict === 'not-exercised') ctx.skip(`not exercised: ${score.reason ?? 'no case reached it'}`);
        if (score.verdict === 'unspecified' && score.counts.pass === 0) ctx.skip('every case that reached it is one the contract leaves open');
        if (score.verdict === 'fail') {
          const mine = result.failures.filter((f) => f.ruleIds.includes(rule.id));
          const shown = mine.slice(0, show).map((f) => describeFailure(f, result!.reportDir));
          // The result keeps a bounded sample of failures per rule; the rule's counts have them all.
          const more = score.counts.fail > shown.length ? [`… and ${score.counts.fail - shown.length} more failing cases`] : [];
          throw new Error([`${rule.id}: ${rule.statement}`, `${score.counts.fail} of ${score.counts.pass + score.counts.fail} decided cases fail (seed ${result.run.seed})`, '', ...shown, ...more].join('\n'));
        }
      });
    }
  });
}
