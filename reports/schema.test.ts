import { describe, expect, it } from 'vitest';
import { RULES } from '../contract/rules/index.ts';
import { CONTRACT_VERSIONS } from '../contract/types.ts';
import { CASE_FINDING_CODES, RESULTS_SCHEMA_VERSION, TRANSPORTS, VERDICTS, type CaseRecord, type RunResults } from '../scoring/results.ts';
import { RESULTS_SCHEMA, validateResults } from './schema.ts';
import { buildRunResults } from './test/fixtures.ts';

/** The object as it comes back from disk. */
function roundTrip(r: RunResults): unknown {
  return JSON.parse(JSON.stringify(r));
}

type Json = Record<string, unknown>;
const defs = RESULTS_SCHEMA.$defs as Record<string, Json>;

describe('results.schema.json', () => {
  it('accepts every fixture variant', () => {
    const variants: [string, RunResults][] = [
      ['default', buildRunResults()],
      ['all passing', buildRunResults({ failing: [], waived: false })],
      ['many failures', buildRunResults({ extraFailures: 300 })],
      ['interrupted, remote endpoint', buildRunResults({ status: 'interrupted', target: { kind: 'endpoint', name: 'localstack', endpoint: 'http://127.0.0.1:4566' } })],
    ];
    for (const [name, r] of variants) {
      const v = validateResults(roundTrip(r));
      expect(v.ok ? [] : v.errors, name).toEqual([]);
    }
  });

  it('accepts a case record with every optional field, and a run with a shard and no baseline', () => {
    const base = buildRunResults();
    const full: CaseRecord = {
      ...base.cases.find((c) => c.verdict === 'fail' && c.waived !== undefined)!,
      label: { kind: 'invalid', ruleId: 'PutKeyPolicy.PolicyName.pattern', mutation: 'name.space' },
      mutation: 'name.space',
      sentNote: 'the SDK dropped the null member BypassPolicyLockoutSafetyCheck',
      convergeMs: 12,
      stage: 'check',
      scoredAs: { kind: 'wire' },
      exchanges: [{ role: 'check', operation: 'GetKeyPolicy', transport: 'http', request: { method: 'POST', path: '/', headers: {}, bodyBase64: '/w==' }, sdkError: 'SerializationException: …', failure: 'timeout after 5000 ms', ms: 5000 }],
    };
    const { baseline: _baseline, ...withoutBaseline } = base;
    const r: RunResults = { ...withoutBaseline, settings: { ...base.settings, shard: { index: 2, count: 4, planHash: `sha256:${'0'.repeat(64)}` } }, cases: [full] };
    const v = validateResults(roundTrip(r));
    expect(v.ok ? [] : v.errors).toEqual([]);
  });

  it('rejects broken files and says where, by JSON pointer', () => {
    const cases: [string, (r: Json) => void, string][] = [
      ['missing score', (r) => delete r.score, "(top level) must have required property 'score'"],
      ['unknown top-level field', (r) => (r.extra = 1), "(top level) must NOT have additional properties 'extra'"],
      ['bad verdict', (r) => ((r.cases as Json[])[0]!.verdict = 'passed'), '/cases/0/verdict must be equal to one of the allowed values'],
      ['bad start time', (r) => ((r.run as Json).startedAt = 'yesterday'), '/run/startedAt must match format "date-time"'],
      ['newer format', (r) => (r.schemaVersion = 2), '/schemaVersion must be equal to constant'],
      ['failure without findings', (r) => delete (r.cases as Json[]).find((c) => c.verdict === 'fail')!.findings, 'must have required property \'findings\''],
      ['unknown finding code', (r) => (((r.rules as Json[]).find((x) => x.firstFinding)!.firstFinding as Json).code = 'weird'), 'firstFinding/code must be equal to one of the allowed values'],
      ['ratio over 1', (r) => ((r.score as Json).caseRatio = 1.5), '/score/caseRatio must be <= 1'],
      ['waiver with a bad date', (r) => (((r.cases as Json[]).find((c) => c.waived)!.waived as Json).expires = '2025-02-30'), 'must match format "date"'],
      ['negative count', (r) => ((r.counts as Json).pass = -1), '/counts/pass must be >= 0'],
    ];
    for (const [name, mutate, message] of cases) {
      const r = roundTrip(buildRunResults()) as Json;
      mutate(r);
      const v = validateResults(r);
      expect(v.ok, name).toBe(false);
      if (!v.ok) expect(v.errors.join('\n'), name).toContain(message);
    }
  });

  it('lists the same codes, verdicts, transports, versions and topics as the code', () => {
    expect(defs.findingCode!.enum).toEqual([...CASE_FINDING_CODES]);
    expect(defs.verdict!.enum).toEqual([...VERDICTS]);
    expect(defs.transport!.enum).toEqual([...TRANSPORTS]);
    expect(defs.contractVersion!.enum).toEqual([...CONTRACT_VERSIONS]);
    const topics = defs.ruleTopic!.enum as string[];
    for (const r of RULES) expect(topics, r.id).toContain(r.topic);
    expect(((RESULTS_SCHEMA.properties as Json).schemaVersion as Json).const).toBe(RESULTS_SCHEMA_VERSION);
    expect(RESULTS_SCHEMA.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('describes every field (directly or through the definition it refers to)', () => {
    const missing: string[] = [];
    const described = (s: Json): boolean => typeof s.description === 'string' || (typeof s.$ref === 'string' && typeof defs[s.$ref.replace('#/$defs/', '')]?.description === 'string');
    const walk = (s: unknown, path: string): void => {
      if (s === null || typeof s !== 'object') return;
      const o = s as Json;
      for (const [name, sub] of Object.entries((o.properties as Json | undefined) ?? {})) {
        if (!described(sub as Json)) missing.push(`${path}.${name}`);
        walk(sub, `${path}.${name}`);
      }
      for (const key of ['items', 'additionalProperties', 'then']) if (typeof o[key] === 'object') walk(o[key], `${path}[${key}]`);
      for (const key of ['oneOf', 'allOf']) for (const [i, sub] of ((o[key] as unknown[] | undefined) ?? []).entries()) walk(sub, `${path}.${key}[${i}]`);
    };
    walk(RESULTS_SCHEMA, '');
    for (const [name, d] of Object.entries(defs)) {
      if (typeof d.description !== 'string') missing.push(`$defs.${name}`);
      walk(d, `$defs.${name}`);
    }
    // if/then rules restate properties declared elsewhere; they need no description of their own.
    expect(missing.filter((m) => !m.includes('[then]') && !m.includes('.allOf['))).toEqual([]);
  });
});
