import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CALLER } from '../identities.ts';
import { assemble, checkResponse, expectedWire, oracleItems } from '../oracle.ts';
import { checkTransition } from '../transitions.ts';
import { CONTRACT_VERSIONS } from '../types.ts';
import type { AcceptedOutcome, ContractVersionId, Expectation, Rule } from '../types.ts';
import { EXAMPLE_WORLD, examplesFor } from './examples.ts';
import type { RuleExample } from './examples.ts';
import { RULES, TOPIC_ORDER, outcomesFor, ruleById, rulesFor, selectRules } from './index.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Is `o` among `outcomes` (same code, every status allowed)? */
function covered(o: AcceptedOutcome, outcomes: readonly AcceptedOutcome[]): boolean {
  if (o.kind === 'success') return outcomes.some((x) => x.kind === 'success');
  return outcomes.some((x) => x.kind === 'error' && (x.code === o.code || x.code === '*') && o.statuses.every((s) => x.statuses.includes(s)));
}

type Evaluated = { readonly kind: 'expectation'; readonly expectation: Expectation; readonly version: ContractVersionId } | { readonly kind: 'response'; readonly ruleIds: readonly string[] };

function evaluate(rule: Rule, ex: RuleExample): Evaluated {
  const latest = rule.versions[rule.versions.length - 1]!;
  switch (ex.kind) {
    case 'request': {
      const version = ex.version ?? latest;
      return { kind: 'expectation', version, expectation: assemble(oracleItems(ex.request, EXAMPLE_WORLD, ex.caller ?? DEFAULT_CALLER, version)) };
    }
    case 'wire':
      return {
        kind: 'expectation',
        version: latest,
        expectation: expectedWire(ex.wire, EXAMPLE_WORLD, DEFAULT_CALLER, latest, {
          ...(ex.maxBodyBytes !== undefined ? { maxBodyBytes: ex.maxBodyBytes } : {}),
          ...(ex.authentication !== undefined ? { authentication: ex.authentication } : {}),
        }),
      };
    case 'transition':
      return { kind: 'response', ruleIds: checkTransition(ex.request.operation, ex.request.input, ex.before, ex.after).map((f) => f.ruleId) };
    case 'response':
      return { kind: 'response', ruleIds: checkResponse(ex.operation, ex.response, ex.request ? { request: ex.request, world: EXAMPLE_WORLD } : undefined).map((f) => f.ruleId) };
  }
}

describe('the rule catalogue', () => {
  it('has unique ids and every topic in TOPIC_ORDER', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const r of RULES) expect(TOPIC_ORDER).toContain(r.topic);
  });

  it('gives every rule a one-line statement, sources with quotes, versions and outcomes', () => {
    for (const r of RULES) {
      expect(r.statement, r.id).not.toMatch(/\n/);
      expect(r.statement.length, r.id).toBeGreaterThan(10);
      expect(r.sources.length, r.id).toBeGreaterThan(0);
      for (const s of r.sources) expect(s.quote.length, `${r.id} ${s.tag}`).toBeGreaterThan(0);
      expect(r.versions.length, r.id).toBeGreaterThan(0);
      expect(r.operations.length, r.id).toBeGreaterThan(0);
      for (const v of CONTRACT_VERSIONS) expect(outcomesFor(r.id, v).length, r.id).toBeGreaterThan(0);
    }
  });

  it('points every decision reference at an existing decisions/ note', () => {
    for (const r of RULES.filter((x) => x.decision !== undefined)) {
      expect(existsSync(join(repoRoot, r.decision!)), `${r.id} → ${r.decision}`).toBe(true);
    }
  });

  it('has the fixed ids other parts of the project use', () => {
    const fixed = [
      'PutKeyPolicy.Policy.document.json',
      'PutKeyPolicy.Policy.statement.principal.exists',
      'PutKeyPolicy.Policy.lockout',
      'PutKeyPolicy.BypassPolicyLockoutSafetyCheck.skipsLockout',
      'PutKeyPolicy.Policy.size.quota',
      'PutKeyPolicy.Policy.length.max',
      'PutKeyPolicy.Policy.charset.printable',
      'Wire.body.tooLarge',
      'Wire.success.emptyOutput',
      'PutKeyPolicy.PolicyName.default',
      'PutKeyPolicy.PolicyName.required',
      'GetKeyPolicy.PolicyName.onlyDefault',
      'KeyId.otherPartition',
      'KeyState.EnableKey.PendingDeletion',
      'KeyState.PutKeyPolicy.Disabled',
      'ScheduleKeyDeletion.PendingWindowInDays.range.min',
      'ScheduleKeyDeletion.PendingWindowInDays.documented',
      'Consistency.eventual',
      'Throttling.PutKeyPolicy',
      'ErrorStatus.observed400',
      'Operation.awsManagedKey',
    ];
    for (const id of fixed) expect(ruleById(id), id).toBeDefined();
  });

  it('models PolicyName as contract versions', () => {
    expect(ruleById('PutKeyPolicy.PolicyName.required')!.versions).toEqual(['2017-02-15']);
    expect(ruleById('PutKeyPolicy.PolicyName.default')!.versions).toEqual(['2024-03-18', '2025-06-05']);
    expect(rulesFor('2017-02-15').map((r) => r.id)).not.toContain('PutKeyPolicy.PolicyName.default');
    expect(rulesFor('2025-06-05').map((r) => r.id)).not.toContain('PutKeyPolicy.PolicyName.required');
  });

  it('changes outcomes by version where the 2025-06 docs changed them', () => {
    expect(outcomesFor('PutKeyPolicy.Policy.size.quota', '2025-06-05')).toEqual([expect.objectContaining({ code: 'LimitExceededException', statuses: [400] })]);
    expect(outcomesFor('PutKeyPolicy.Policy.size.quota', '2024-03-18')).toEqual([expect.objectContaining({ code: '*' })]);
    expect(outcomesFor('PutKeyPolicy.Policy.statement.action.missing', '2025-06-05')).toEqual([{ kind: 'success' }]);
    expect(outcomesFor('PutKeyPolicy.Policy.statement.action.missing', '2017-02-15')).toEqual([expect.objectContaining({ code: 'MalformedPolicyDocumentException' })]);
    expect(outcomesFor('PutKeyPolicy.Policy.length.max', '2025-06-05').map((o) => (o.kind === 'error' ? o.code : 'success'))).toEqual(['ValidationException', 'LimitExceededException']);
  });

  it('accepts 400 and the model status for client errors (§4)', () => {
    expect(outcomesFor('KeyId.notFound', '2025-06-05')).toEqual([expect.objectContaining({ code: 'NotFoundException', statuses: [400, 404] })]);
    expect(outcomesFor('KeyState.EnableKey.PendingDeletion', '2025-06-05')).toEqual([expect.objectContaining({ code: 'KMSInvalidStateException', statuses: [400, 409] })]);
    expect(outcomesFor('Wire.body.tooLarge', '2025-06-05')).toEqual([expect.objectContaining({ code: 'RequestEntityTooLargeException', statuses: [413] })]);
  });

  it('filters by topic and operation', () => {
    const ids = selectRules({ version: '2025-06-05', topic: 'key-state', operation: 'CancelKeyDeletion' }).map((r) => r.id);
    expect(ids).toHaveLength(8);
    expect(ids.every((id) => id.startsWith('KeyState.CancelKeyDeletion.'))).toBe(true);
  });

  it('throws for an unknown id in outcomesFor (a caller bug)', () => {
    expect(() => outcomesFor('No.such.rule', '2025-06-05')).toThrow(/no rule with id 'No.such.rule'/);
  });
});

describe.each(RULES.map((r) => [r.id, r] as const))('rule %s', (_id, rule) => {
  const examples = examplesFor(rule);

  it('has at least one satisfying and one breaking example', () => {
    expect(examples, `add examples for ${rule.id} in contract/rules/examples.ts`).toBeDefined();
    expect(examples!.satisfies.length).toBeGreaterThan(0);
    expect(examples!.breaks.length).toBeGreaterThan(0);
  });

  it('is not involved in its satisfying examples', () => {
    for (const ex of examples?.satisfies ?? []) {
      const r = evaluate(rule, ex);
      const ids = r.kind === 'response' ? r.ruleIds : r.expectation.rules;
      expect(ids, `${rule.id}: ${ex.label}`).not.toContain(rule.id);
    }
  });

  it('is triggered by its breaking examples, with its outcomes accepted', () => {
    for (const ex of examples?.breaks ?? []) {
      const r = evaluate(rule, ex);
      if (r.kind === 'response') {
        expect(r.ruleIds, `${rule.id}: ${ex.label}`).toContain(rule.id);
        continue;
      }
      expect(r.expectation.rules, `${rule.id}: ${ex.label}`).toContain(rule.id);
      if (r.expectation.kind === 'decided') {
        for (const o of outcomesFor(rule.id, r.version)) expect(covered(o, r.expectation.outcomes), `${rule.id}: ${ex.label}: ${JSON.stringify(o)}`).toBe(true);
      }
    }
  });
});
