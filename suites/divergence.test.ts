/**
 * The suite can fail: for every divergence profile of the mock (`mocks/divergences.ts`), the same
 * machinery that passes the faithful mock reports `fail` and names the rule the profile breaks,
 * on targeted cases drawn from the generators. The same cases pass against the faithful mock, so
 * the failure is the profile's doing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ContractVersionId } from '../contract/types.ts';
import { createGeneratorContext, type GeneratorContext } from '../generators/context.ts';
import { invalidPolicyArb } from '../generators/invalid-policy.ts';
import type { GeneratedCase } from '../generators/kinds.ts';
import { POLICY_RULE } from '../generators/labels.ts';
import { requestArb } from '../generators/request.ts';
import { DIVERGENCES, type DivergenceName } from '../mocks/divergences.ts';
import { fixedCase, type SuiteCase } from './cases.ts';
import { formatResult } from './format.ts';
import type { CaseResult, Transport } from './results.ts';
import { runCases } from './self-check.ts';
import type { SuiteTarget } from './targets.ts';

const SEED = 20_240_318;
const VERSION: ContractVersionId = '2025-06-05';
const context = createGeneratorContext({ version: VERSION });

function policyCases(name: string, mutations: readonly string[], ctx: GeneratorContext, n = 4): SuiteCase[] {
  return fc
    .sample(invalidPolicyArb({ context: ctx, mutations }), { seed: SEED, numRuns: n })
    .map((value, i): SuiteCase => fixedCase(`${name}:${i}`, { kind: 'invalid-policy', value }));
}

function requestCases(name: string, keep: (c: GeneratedCase & { kind: 'request' }) => boolean, ctx: GeneratorContext, n = 4): SuiteCase[] {
  return fc
    .sample(requestArb({ context: ctx }).filter((value) => keep({ kind: 'request', value })), { seed: SEED, numRuns: n })
    .map((value, i): SuiteCase => fixedCase(`${name}:${i}`, { kind: 'request', value }));
}

const validGet = (c: GeneratedCase & { kind: 'request' }): boolean => c.value.label.kind === 'valid' && c.value.operation === 'GetKeyPolicy';
const validPutOrGet = (c: GeneratedCase & { kind: 'request' }): boolean =>
  c.value.label.kind === 'valid' && (c.value.operation === 'PutKeyPolicy' || c.value.operation === 'GetKeyPolicy');

interface Catch {
  readonly profile: DivergenceName;
  /** The rule the profile breaks; a `fail` must name it. */
  readonly rule: string;
  readonly cases: () => SuiteCase[];
  readonly transport: Transport;
  readonly serving: 'in-process' | 'server';
}

const CATCHES: readonly Catch[] = [
  { profile: 'skip-lockout-check', rule: POLICY_RULE.lockout, cases: () => policyCases('lockout', ['lockout.bypassFalse', 'lockout.bypassAbsent'], context), transport: 'sdk', serving: 'in-process' },
  { profile: 'skip-principal-check', rule: POLICY_RULE.principalExists, cases: () => policyCases('principal', ['statement.principal.nonexistent'], context), transport: 'sdk', serving: 'in-process' },
  { profile: 'skip-size-quota', rule: POLICY_RULE.sizeQuota, cases: () => policyCases('size', ['size.overQuotaByOne', 'size.farOverQuota'], context), transport: 'http', serving: 'in-process' },
  { profile: 'reformat-policy', rule: 'GetKeyPolicy.output.defaultPolicyText', cases: () => requestCases('default-policy-text', validGet, context), transport: 'sdk', serving: 'in-process' },
  { profile: 'omit-request-id', rule: 'Wire.success.requestId', cases: () => requestCases('request-id', validPutOrGet, context), transport: 'sdk', serving: 'in-process' },
  { profile: 'omit-request-id', rule: 'Wire.success.requestId', cases: () => requestCases('request-id', validPutOrGet, context), transport: 'http', serving: 'server' },
];

function target(serving: 'in-process' | 'server', divergences: readonly DivergenceName[]): SuiteTarget {
  return { kind: 'mock', serving, mock: { divergences } };
}

function show(results: readonly CaseResult[], cases: readonly SuiteCase[]): string {
  const byId = new Map(cases.map((c) => [c.id, c]));
  return results.map((r) => formatResult(r, byId.get(r.caseId))).join('\n\n');
}

describe(`divergence profiles are caught (seed ${SEED}, contract ${VERSION})`, () => {
  it.each(CATCHES)('$profile → fail naming $rule (via $transport → mock $serving)', async (c) => {
    const cases = c.cases();
    expect(cases.length).toBeGreaterThan(0);
    const faithful = await runCases({ cases, target: target(c.serving, []), transport: c.transport, version: VERSION, context });
    expect(faithful.filter((r) => r.kind !== 'pass'), show(faithful, cases)).toEqual([]);

    const diverged = await runCases({ cases, target: target(c.serving, [c.profile]), transport: c.transport, version: VERSION, context });
    const wanted = c.rule.split('|');
    const caught = diverged.filter((r) => r.kind === 'fail' && r.ruleIds.some((id) => wanted.includes(id)));
    expect(caught.length, show(diverged, cases)).toBeGreaterThan(0);
    // Nothing else is blamed: a fail names the profile's rule and no harness error hides in the run.
    for (const r of diverged) {
      expect(r.kind, formatResult(r, cases.find((x) => x.id === r.caseId))).not.toBe('error');
      if (r.kind === 'fail') expect(r.ruleIds.filter((id) => !wanted.includes(id))).toEqual([]);
    }
  });

  it('every profile has a catch above or its own test below', () => {
    const covered = new Set<string>([...CATCHES.map((c) => c.profile), 'policy-name-required']);
    expect(Object.keys(DIVERGENCES).filter((p) => !covered.has(p)).sort()).toEqual([]);
  });

  it('policy-name-required → rejected_valid_input naming <Op>.PolicyName.default (via sdk → mock in-process)', async () => {
    const omitted = (c: GeneratedCase & { kind: 'request' }): boolean => validPutOrGet(c) && c.value.input.PolicyName === undefined;
    const cases = requestCases('policy-name-omitted', omitted, context);
    expect(cases.length).toBeGreaterThan(0);
    const faithful = await runCases({ cases, target: target('in-process', []), transport: 'sdk', version: VERSION, context });
    expect(faithful.filter((r) => r.kind !== 'pass'), show(faithful, cases)).toEqual([]);
    const diverged = await runCases({ cases, target: target('in-process', ['policy-name-required']), transport: 'sdk', version: VERSION, context });
    // Every case fails: a valid request was rejected, and the fail names the rule that makes PolicyName optional.
    for (const r of diverged) {
      const shown = formatResult(r, cases.find((x) => x.id === r.caseId));
      expect(r.kind, shown).toBe('fail');
      if (r.kind !== 'fail') continue;
      expect(r.findings.map((f) => f.code), shown).toContain('rejected_valid_input');
      expect(r.ruleIds.some((id) => id.endsWith('.PolicyName.default')), shown).toBe(true);
    }
  });

});
