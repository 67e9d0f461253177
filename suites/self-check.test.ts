import { describe, expect, it } from 'vitest';
import { expected } from '../contract/oracle.ts';
import type { Expectation } from '../contract/types.ts';
import { createGeneratorContext } from '../generators/context.ts';
import { DEFAULT_KEY_POLICY } from '../contract/policy/index.ts';
import { replayCase } from '../generators/replay.ts';
import { worldFromSetup, type RequestCase } from '../generators/request-case.ts';
import { VALID, invalid } from '../generators/labels.ts';
import { fixedCase, suiteCases, type SuiteCase } from './cases.ts';
import { replayText } from './format.ts';
import { runCases, SuiteConfigError } from './self-check.ts';
import { scoreResponse, observe, type RawResponse } from './score.ts';

const version = '2025-06-05' as const;
const ctx = createGeneratorContext({ version });
const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';

function requestCase(id: string, operation: RequestCase['operation'], input: Record<string, unknown>, keys: RequestCase['setup']['keys'] = [{ keyId: KEY, state: 'Enabled', multiRegion: false }], label: RequestCase['label'] = VALID): SuiteCase {
  return fixedCase(id, { kind: 'request', value: { operation, input, setup: { keys, aliases: [] }, label, features: [] } });
}

const inProcess = { kind: 'mock', serving: 'in-process' } as const;

describe('runCases options', () => {
  it('refuses wire cases on the SDK transport, before sending anything', async () => {
    const cases = suiteCases('wire', 2, 1, ctx);
    await expect(runCases({ cases, target: inProcess, transport: 'sdk', version, context: ctx })).rejects.toThrow(SuiteConfigError);
    await expect(runCases({ cases, target: inProcess, transport: 'sdk', version, context: ctx })).rejects.toThrow(/wire case .* transport 'http'/);
  });

  it('refuses a context of another contract version, duplicate ids and a bad concurrency', async () => {
    const cases = suiteCases('request', 2, 1, ctx);
    await expect(runCases({ cases, target: inProcess, transport: 'sdk', version: '2017-02-15', context: ctx })).rejects.toThrow(/context's version is 2025-06-05/);
    await expect(runCases({ cases: [cases[0]!, cases[0]!], target: inProcess, transport: 'sdk', version, context: ctx })).rejects.toThrow(/appears twice/);
    await expect(runCases({ cases, target: inProcess, transport: 'sdk', version, context: ctx, concurrency: 0 })).rejects.toThrow(/concurrency/);
    await expect(runCases({ cases, target: { kind: 'mock', serving: 'in-process', mock: { contractVersion: '2017-02-15' } }, transport: 'sdk', version, context: ctx })).rejects.toThrow(
      /contractVersion/,
    );
  });
});

describe('runCases results', () => {
  it('a passing case carries its label, rules, expected and observed outcome', async () => {
    const [r] = await runCases({ cases: [requestCase('get', 'GetKeyPolicy', { KeyId: KEY, PolicyName: 'default' })], target: inProcess, transport: 'sdk', version, context: ctx });
    expect(r).toMatchObject({
      kind: 'pass',
      caseId: 'get',
      caseKind: 'request',
      operation: 'GetKeyPolicy',
      transport: 'sdk',
      target: 'mock:in-process',
      expected: { kind: 'decided', outcomes: [{ kind: 'success' }] },
      observed: { kind: 'response', status: 200 },
      sent: { asGenerated: true },
    });
    expect(r?.ruleIds).toContain('KeyState.GetKeyPolicy.Enabled');
  });

  it('a decided error case reports the status, __type and message the target sent', async () => {
    const [r] = await runCases({ cases: [requestCase('nf', 'DescribeKey', { KeyId: KEY }, [], invalid('KeyId.notFound', 'x'))], target: inProcess, transport: 'http', version, context: ctx });
    expect(r).toMatchObject({ kind: 'pass', observed: { kind: 'response', status: 400, code: 'NotFoundException' } });
    expect(r?.observed?.kind === 'response' && r.observed.message).toMatch(/does not exist/);
    expect(r?.ruleIds).toContain('KeyId.notFound');
  });

  it('scores what the SDK actually sent when it drops null or unknown members', async () => {
    const input = { KeyId: KEY, PolicyName: null, Unknown: 'x' };
    const [sdk] = await runCases({ cases: [requestCase('null', 'GetKeyPolicy', input)], target: inProcess, transport: 'sdk', version, context: ctx });
    expect(sdk).toMatchObject({ kind: 'pass', sent: { asGenerated: false } });
    expect(sdk?.sent?.asGenerated === false && sdk.sent.note).toMatch(/SDK sent/);
    const [raw] = await runCases({ cases: [requestCase('null', 'GetKeyPolicy', input)], target: inProcess, transport: 'http', version, context: ctx });
    expect(raw).toMatchObject({ kind: 'pass', sent: { asGenerated: true } });
    expect(raw?.ruleIds).toEqual(expect.arrayContaining(['Wire.member.null', 'Wire.member.unknown']));
  });

  it('a set-up the target cannot build is an error, never a fail', async () => {
    const broken = fixedCase('alias', {
      kind: 'request',
      value: { operation: 'DescribeKey', input: { KeyId: 'alias/x' }, setup: { keys: [], aliases: [{ name: 'alias/x', targetKeyId: KEY }] }, label: VALID, features: [] },
    });
    const [r] = await runCases({ cases: [broken], target: inProcess, transport: 'sdk', version, context: ctx });
    expect(r).toMatchObject({ kind: 'error', stage: 'setup' });
    expect(r?.kind === 'error' && r.message).toMatch(/cannot seed/);
  });

  it('the loopback server target gives the same verdicts as in process, and stops its server', async () => {
    const cases = suiteCases('request', 30, 5, ctx);
    const a = await runCases({ cases, target: inProcess, transport: 'sdk', version, context: ctx });
    const b = await runCases({ cases, target: { kind: 'mock', serving: 'server' }, transport: 'sdk', version, context: ctx });
    const view = (rs: typeof a) => rs.map((r) => [r.caseId, r.kind, r.observed?.kind === 'response' ? [r.observed.status, r.observed.code] : undefined]);
    expect(view(b)).toEqual(view(a));
  });
});

describe('scoring', () => {
  const world = worldFromSetup({ keys: [{ keyId: KEY, state: 'Enabled', multiRegion: false }], aliases: [] }, ctx);
  const put = (policy: string): Expectation => expected({ operation: 'PutKeyPolicy', input: { KeyId: KEY, Policy: policy } }, world, ctx.caller, version);
  const ok: RawResponse = { status: 200, headers: { 'x-amzn-requestid': 'r' }, body: '' };
  const err = (code: string, status = 400, headers: Record<string, string> = { 'x-amzn-requestid': 'r' }): RawResponse => ({ status, headers, body: JSON.stringify({ __type: code, message: 'm' }) });

  it.each([
    ['success for an invalid policy', put('{'), ok, 'accepted_invalid_input'],
    ['an error for a valid policy', put(DEFAULT_KEY_POLICY(ctx.accountId, ctx.partition)), err('MalformedPolicyDocumentException'), 'rejected_valid_input'],
    ['another error code', put('{'), err('ValidationException'), 'unexpected_error_code'],
    ['the right code with a status no outcome allows', put('{'), err('MalformedPolicyDocumentException', 500), 'unexpected_status'],
    ['no request id', put(DEFAULT_KEY_POLICY(ctx.accountId, ctx.partition)), { ...ok, headers: {} }, 'response_rule_broken'],
  ] as const)('%s → %s', (_name, e, response, code) => {
    const v = scoreResponse(e, 'PutKeyPolicy', response, observe(response));
    expect(v.kind).toBe('fail');
    expect(v.kind === 'fail' && v.findings.map((f) => f.code)).toContain(code);
    expect(v.ruleIds.length).toBeGreaterThan(0);
  });

  it('the contract-accepted answer passes', () => {
    const v = scoreResponse(put('{'), 'PutKeyPolicy', err('MalformedPolicyDocumentException'), observe(err('MalformedPolicyDocumentException')));
    expect(v).toMatchObject({ kind: 'pass' });
  });
});

describe('replay', () => {
  it('the replay text names the generate line and replayCase call that give the case back', () => {
    const [c] = suiteCases('invalid-policy', 8, 99, ctx).slice(7);
    const text = replayText(c!, version);
    expect(text).toContain('generate --kind invalid-policy --seed 99 --count 8 --contract 2025-06-05');
    expect(replayCase('invalid-policy', { seed: 99, path: '7' }, { context: ctx })).toEqual(c!.case);
    expect(text).toContain(`case: ${JSON.stringify({ kind: 'invalid-policy', label: c!.case.value.label }).slice(0, -1)}`);
  });
});
