import { describe, expect, it } from 'vitest';
import { expected } from '../contract/oracle.ts';
import { DEFAULT_KEY_POLICY } from '../contract/policy/index.ts';
import type { Expectation } from '../contract/types.ts';
import { DEFAULT_CALLER, keyArn } from '../contract/identities.ts';
import { createPrincipalDirectory } from '../contract/policy/index.ts';
import type { World } from '../contract/types.ts';
import { BlameCounts } from './blame.ts';
import type { CaseRecord } from './results.ts';
import { observe, scoreAnswer, scoreNoAnswer, validationMessageRules, type CapturedResponse } from './verdict.ts';

const ctx = { accountId: '111122223333', partition: 'aws', region: 'us-east-1', caller: DEFAULT_CALLER, version: '2025-06-05' } as const;
const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
const world: World = {
  partition: 'aws',
  accountId: ctx.accountId,
  region: ctx.region,
  keys: [{ keyId: KEY, arn: keyArn(KEY, ctx.region, ctx.accountId), accountId: ctx.accountId, region: ctx.region, state: 'Enabled', keyManager: 'CUSTOMER', multiRegion: false, policy: DEFAULT_KEY_POLICY(ctx.accountId) }],
  aliases: [],
  principals: createPrincipalDirectory({ accountId: ctx.accountId }),
};
const put = (policy: string): Expectation => expected({ operation: 'PutKeyPolicy', input: { KeyId: KEY, Policy: policy } }, world, ctx.caller, ctx.version);
const RID = { 'x-amzn-requestid': 'r', 'content-type': 'application/x-amz-json-1.1' };
const ok: CapturedResponse = { status: 200, headers: RID, body: '' };
const err = (code: string, status = 400): CapturedResponse => ({ status, headers: RID, body: JSON.stringify({ __type: code, message: 'm' }) });
const valid = DEFAULT_KEY_POLICY(ctx.accountId, ctx.partition);

describe('scoreAnswer', () => {
  it.each([
    ['success for an invalid policy', put('{'), ok, 'accepted_invalid_input', ['PutKeyPolicy.Policy.document.json']],
    ['another error code', put('{'), err('ValidationException'), 'unexpected_error_code', ['PutKeyPolicy.Policy.document.json']],
    ['the right code with a status no outcome allows', put('{'), err('MalformedPolicyDocumentException', 500), 'unexpected_status', ['PutKeyPolicy.Policy.document.json']],
    ['an HTML page for an error', put('{'), { status: 400, headers: { 'x-amzn-requestid': 'r', 'content-type': 'text/html' }, body: '<html>bad</html>' }, 'malformed_error_response', ['Wire.error.shape']],
    ['no request id', put(valid), { ...ok, headers: { 'content-type': 'application/x-amz-json-1.1' } }, 'response_rule_broken', ['Wire.success.requestId']],
    ['null as the body of a Unit output', put(valid), { ...ok, body: 'null' }, 'unexpected_success_body', ['Wire.success.emptyOutput']],
  ] as const)('%s → %s', (_name, e, response, code, rules) => {
    const v = scoreAnswer('c', e, 'PutKeyPolicy', response, observe(response));
    expect(v.verdict).toBe('fail');
    if (v.verdict !== 'fail') return;
    const f = v.findings.find((x) => x.code === code);
    expect(f, JSON.stringify(v.findings)).toBeDefined();
    for (const r of rules) expect(f!.ruleIds).toContain(r);
    expect(f).toMatchObject({ caseId: 'c', expected: expect.any(String), observed: expect.any(String) });
  });

  it('an error for a valid request is rejected_valid_input, with every involved rule as a candidate', () => {
    const v = scoreAnswer('c', put(valid), 'PutKeyPolicy', err('MalformedPolicyDocumentException'), observe(err('MalformedPolicyDocumentException')));
    expect(v.verdict === 'fail' && v.findings[0]).toMatchObject({ code: 'rejected_valid_input', ruleIds: expect.arrayContaining(['KeyState.PutKeyPolicy.Enabled']) });
  });

  it('the contract-accepted answer passes and counts the response rules it checked', () => {
    const v = scoreAnswer('c', put('{'), 'PutKeyPolicy', err('MalformedPolicyDocumentException'), observe(err('MalformedPolicyDocumentException')));
    expect(v.verdict).toBe('pass');
    expect(v.ruleIds).toEqual(expect.arrayContaining(['PutKeyPolicy.Policy.document.json', 'Wire.error.shape', 'Wire.success.requestId']));
  });

  it('no answer to a decided case is no_response; to an open one it stays unspecified', () => {
    expect(scoreNoAnswer('c', put('{'), 'ECONNRESET')).toMatchObject({ verdict: 'fail', findings: [{ code: 'no_response' }] });
    const open: Expectation = { kind: 'unspecified', reason: 'silent', rules: ['X'], violations: [], fallback: { outcome: { kind: 'success' }, message: '' } };
    expect(scoreNoAnswer('c', open, 'ECONNRESET')).toMatchObject({ verdict: 'unspecified' });
  });
});

describe('BlameCounts.settle', () => {
  const fail = (id: string, candidates: string[]): CaseRecord => ({
    id,
    source: 'request',
    transport: 'sdk',
    operation: 'PutKeyPolicy',
    verdict: 'fail',
    ruleIds: candidates,
    findings: [{ code: 'rejected_valid_input', caseId: id, ruleIds: candidates, expected: 'success', observed: '400 X', message: '' }],
    exchanges: [],
    ms: 0,
  });

  it('blames the rule that explains the failures, not the rules that also pass elsewhere', () => {
    const b = new BlameCounts();
    for (let i = 0; i < 50; i++) b.passed(['KeyState.Enabled', 'KeyId.keyId']);
    b.passed(['PolicyName.default']);
    const fails = [fail('a', ['PolicyName.default', 'KeyState.Enabled', 'KeyId.keyId']), fail('b', ['PolicyName.default', 'KeyState.Enabled', 'Resource.missing']), fail('c', ['PolicyName.default', 'KeyId.keyId'])];
    for (const f of fails) b.failed(f);
    const settled = b.settle(fails);
    expect(settled.map((r) => r.ruleIds)).toEqual([['PolicyName.default'], ['PolicyName.default'], ['PolicyName.default']]);
    expect(settled[1]!.findings![0]!.candidates).toEqual(['PolicyName.default', 'KeyState.Enabled', 'Resource.missing']);
  });

  it('two independent faults are both named, each for its own failures', () => {
    const b = new BlameCounts();
    for (let i = 0; i < 20; i++) b.passed(['Common']);
    const fails = [fail('a', ['A', 'Common']), fail('b', ['A', 'Common']), fail('c', ['B', 'Common'])];
    for (const f of fails) b.failed(f);
    expect(b.settle(fails).map((r) => r.ruleIds[0])).toEqual(['A', 'A', 'B']);
  });

  it("counts a rule's failures that named it alone, so a fault seen mostly alone still wins its shared failures", () => {
    // malformed-key-id-validation: 40 failures name only KeyId.malformed; 2 share it with
    // PolicyName.default, which passes 11 times. Counting only the 2 shared failures blamed PolicyName.default.
    const b = new BlameCounts();
    for (let i = 0; i < 11; i++) b.passed(['PolicyName.default']);
    const alone = Array.from({ length: 40 }, (_, i) => fail(`k${i}`, ['KeyId.malformed']));
    const shared = [fail('s1', ['KeyId.malformed', 'PolicyName.default']), fail('s2', ['KeyId.malformed', 'PolicyName.default'])];
    for (const f of [...alone, ...shared]) b.failed(f);
    expect(b.settle([...alone, ...shared]).slice(-2).map((r) => r.ruleIds)).toEqual([['KeyId.malformed'], ['KeyId.malformed']]);
  });
});

describe('wrong_message', () => {
  it('fails a right error code whose message is not the one a source of the rule quotes, and only then', () => {
    const e = expected({ operation: 'CreateAlias', input: { AliasName: 'test-alias', TargetKeyId: KEY } }, world, ctx.caller, ctx.version);
    expect(e.kind).toBe('decided');
    if (e.kind !== 'decided') return;
    const v = e.violations.find((x) => x.outcomes.some((o) => o.kind === 'error' && o.code === 'ValidationException'));
    expect(v, JSON.stringify(e.violations)).toBeDefined();
    const answer = (message: string): CapturedResponse => ({ status: 400, headers: RID, body: JSON.stringify({ __type: 'ValidationException', message }) });
    const right = scoreAnswer('c', e, 'CreateAlias', answer(v!.message), observe(answer(v!.message)));
    expect(right.verdict).toBe('pass');
    const other = scoreAnswer('c', e, 'CreateAlias', answer('alias names need a prefix'), observe(answer('alias names need a prefix')));
    expect(other.verdict === 'fail' && other.findings.map((f) => f.code)).toEqual(['wrong_message']);
    expect(other.ruleIds).toEqual([v!.ruleId]);
  });

  it('never fails a message the contract does not quote (a key ARN in it, or the mock’s own text)', () => {
    const e = put('{');
    if (e.kind !== 'decided') throw new Error('decided');
    const r = scoreAnswer('c', e, 'PutKeyPolicy', err('MalformedPolicyDocumentException'), observe(err('MalformedPolicyDocumentException')));
    expect(r.verdict).toBe('pass');
  });
});

describe('the member rules a ValidationException message names (refusal candidates, decision 0700)', () => {
  const pattern = "1 validation error detected: Value 'x' at 'policy' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0020-\\u007E]+";
  it('reads each item of the message into its member rule, under the run\'s contract version', () => {
    expect(validationMessageRules('PutKeyPolicy', pattern, '2025-06-05')).toEqual(['PutKeyPolicy.Policy.pattern']);
    const two = "2 validation errors detected: Value null at 'policyName' failed to satisfy constraint: Member must not be null; Value 'k' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1";
    // PolicyName.required is a rule of 2017-02-15 only: under later versions it is no candidate.
    expect(validationMessageRules('PutKeyPolicy', two, '2017-02-15')).toEqual(['PutKeyPolicy.PolicyName.required', 'PutKeyPolicy.KeyId.length.min']);
    expect(validationMessageRules('PutKeyPolicy', two, '2025-06-05')).toEqual(['PutKeyPolicy.KeyId.length.min']);
  });

  it('names nothing for nested members, constraints outside the grammar, or other operations', () => {
    expect(validationMessageRules('CreateKey', "1 validation error detected: Value 'v' at 'tags.1.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256", '2025-06-05')).toEqual([]);
    expect(validationMessageRules('PutKeyPolicy', "1 validation error detected: Value 'k' at 'keyId' failed to satisfy constraint: Member must be a key id or key ARN", '2025-06-05')).toEqual([]);
    expect(validationMessageRules('Nope', pattern, '2025-06-05')).toEqual([]);
  });
});
