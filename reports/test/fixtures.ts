/**
 * Test helper (not shipped: `reports/test/` is outside the build): realistic {@link RunResults}
 * built the way the runner builds them, through {@link RunAggregator} and {@link computeScore}, so
 * every count, rule score and matrix cell agrees with the case records.
 *
 * The default fixture has passes, one failure for every {@link CASE_FINDING_CODES} code (two for one
 * rule, so "first finding" means something), a waived failure, and unspecified, skipped and
 * erroring cases, over both transports. Bodies carry characters every writer must escape: XML and
 * HTML specials, `]]>`, control characters, a lone surrogate, emoji, and Markdown table syntax.
 */
import { ruleById, rulesFor } from '../../contract/rules/index.ts';
import type { AcceptedOutcome, ContractVersionId } from '../../contract/types.ts';
import { RunAggregator, catalogueHash, computeScore } from '../../scoring/aggregate.ts';
import { RESULTS_SCHEMA_VERSION, type CaseRecord, type CaseSource, type ExchangeRecord, type Finding, type FindingCode, type Observation, type RunResults, type TargetInfo, type Transport, type Waiver } from '../../scoring/results.ts';

/** The contract version every fixture is scored against. */
export const FIXTURE_VERSION: ContractVersionId = '2025-06-05';

/** Characters a writer must escape or replace, in one policy fragment. */
export const NASTY_TEXT = 'Sid "<b>&amp;</b>" \'q\' ]]> | pipe | `tick` *star* \u0001\u0007\u000b\u001f\u007f\u0085 \ud800 😀 é';

/** Options of {@link buildRunResults}. */
export interface FixtureOptions {
  /** The target's name and kind (default: the bundled mock with one divergence profile). */
  readonly target?: Partial<TargetInfo>;
  /** Which failure scenarios fail; the others pass (default: every finding code). */
  readonly failing?: readonly FindingCode[];
  /** Add the waived failure (default true). */
  readonly waived?: boolean;
  /** Extra failing cases, one per catalogue rule in turn, with long messages (for size limits). */
  readonly extraFailures?: number;
  /** Run id and seed (default 'run-fixture', 4242). */
  readonly runId?: string;
  readonly seed?: number;
  readonly status?: 'complete' | 'interrupted';
}

const AUTH = 'AWS4-HMAC-SHA256 Credential=[REDACTED]/20250301/us-east-1/kms/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=[REDACTED]';
const ACCOUNT = '111122223333';
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KEY_ID}`;

function requireRule(id: string): string {
  if (ruleById(id) === undefined) throw new Error(`fixture names rule '${id}', which the catalogue does not have: update reports/test/fixtures.ts`);
  return id;
}

const SUCCESS: AcceptedOutcome = { kind: 'success' };
function err(code: string, ...statuses: number[]): AcceptedOutcome {
  return { kind: 'error', code, statuses };
}

function policy(extraSid = 'Enable IAM User Permissions'): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: extraSid, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
  });
}

function exchange(operation: string, transport: Transport, input: Record<string, unknown>, status: number, body: string, extra: Partial<ExchangeRecord> = {}): ExchangeRecord {
  return {
    role: 'case',
    operation,
    transport,
    request: {
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `TrentService.${operation}`,
        'x-amz-date': '20250301T120000Z',
        authorization: AUTH,
      },
      body: JSON.stringify(input),
    },
    ...(status === 0
      ? { failure: 'socket hang up (ECONNRESET)' }
      : { response: { status, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': '7f3a3c8e-0000-4000-8000-000000000001' }, body } }),
    ms: 3,
    ...extra,
  };
}

function errorBody(code: string, message: string): string {
  return JSON.stringify({ __type: code, message });
}

function response(status: number, code?: string, message?: string): Observation {
  return { kind: 'response', status, ...(code === undefined ? {} : { code }), ...(message === undefined ? {} : { message }), requestId: '7f3a3c8e-0000-4000-8000-000000000001' };
}

function finding(code: FindingCode, caseId: string, ruleIds: readonly string[], expected: string, observed: string, message: string): Finding {
  return { code, caseId, ruleIds, expected, observed, message };
}

interface Scenario {
  readonly code: FindingCode;
  readonly pass: CaseRecord;
  readonly fail: CaseRecord;
}

interface CaseSeed {
  readonly id: string;
  readonly source: CaseSource;
  readonly transport: Transport;
  readonly operation: string;
  readonly ruleIds: readonly string[];
  readonly outcomes: readonly AcceptedOutcome[];
  readonly input: Record<string, unknown>;
  readonly mutation?: string;
  readonly members?: readonly string[];
  readonly exampleOf?: string;
}

function base(s: CaseSeed): Omit<CaseRecord, 'verdict' | 'exchanges' | 'ms'> {
  return {
    id: s.id,
    source: s.source,
    transport: s.transport,
    operation: s.operation,
    ...(s.exampleOf === undefined ? {} : { exampleOf: s.exampleOf }),
    ...(s.mutation === undefined ? {} : { mutation: s.mutation }),
    ...(s.members === undefined ? {} : { members: s.members }),
    ...(s.source === 'example' ? {} : { origin: { seed: 4242, path: `${s.id.length % 9}:0` } }),
    ruleIds: s.ruleIds.map(requireRule),
    expected: { kind: 'decided', outcomes: s.outcomes },
    scoredAs: { kind: 'request', operation: s.operation, input: s.input },
    setup: { keys: [{ keyId: KEY_ID, arn: KEY_ARN, region: 'us-east-1', state: 'Enabled', multiRegion: false, keyManager: 'CUSTOMER' }], aliases: [] },
  };
}

function replayFileOf(id: string): string {
  return `cases/${id.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`;
}

/** A scenario: the same case passing (observed = expected) and failing with `code`. */
function scenario(code: FindingCode, s: CaseSeed, passStatus: number, passBody: string, failStatus: number, failBody: string, failed: { observed: Observation; expected: string; seen: string; message: string; ruleIds?: readonly string[] }): Scenario {
  const b = base(s);
  const pass: CaseRecord = { ...b, verdict: 'pass', observed: passStatus >= 300 ? response(passStatus, /"__type":"([^"]+)"/.exec(passBody)?.[1]) : response(passStatus), exchanges: [exchange(s.operation, s.transport, s.input, passStatus, passBody)], ms: 4 };
  const ruleIds = (failed.ruleIds ?? s.ruleIds).map(requireRule);
  const fail: CaseRecord = {
    ...b,
    verdict: 'fail',
    ruleIds,
    observed: failed.observed,
    findings: [finding(code, s.id, ruleIds, failed.expected, failed.seen, failed.message)],
    exchanges: [exchange(s.operation, s.transport, s.input, failStatus, failBody)],
    replayFile: replayFileOf(s.id),
    ms: 5,
  };
  return { code, pass, fail };
}

function scenarios(): Scenario[] {
  const nastyPolicy = policy(NASTY_TEXT);
  return [
    scenario(
      'rejected_valid_input',
      { id: 'valid-policy:4242:17/sdk', source: 'valid-policy', transport: 'sdk', operation: 'PutKeyPolicy', ruleIds: ['PutKeyPolicy.Policy.statement.condition'], outcomes: [SUCCESS], input: { KeyId: KEY_ID, Policy: nastyPolicy }, members: ['PutKeyPolicy.Policy'] },
      200, '',
      400, errorBody('MalformedPolicyDocumentException', `Policy contains a statement with one or more invalid conditions: ${NASTY_TEXT}`),
      { observed: response(400, 'MalformedPolicyDocumentException', `Policy contains a statement with one or more invalid conditions: ${NASTY_TEXT}`), expected: 'success', seen: `400 MalformedPolicyDocumentException ${JSON.stringify(`Policy contains a statement with one or more invalid conditions: ${NASTY_TEXT}`)}`, message: `Expected success (PutKeyPolicy.Policy.statement.condition), got 400 MalformedPolicyDocumentException: ${NASTY_TEXT}.` },
    ),
    scenario(
      'accepted_invalid_input',
      { id: 'example:PutKeyPolicy.Policy.length.max:breaks:0/http', source: 'example', exampleOf: 'PutKeyPolicy.Policy.length.max', transport: 'http', operation: 'PutKeyPolicy', ruleIds: ['PutKeyPolicy.Policy.length.max'], outcomes: [err('ValidationException', 400)], input: { KeyId: KEY_ID, Policy: `${'x'.repeat(64)}… (131073 characters)` }, mutation: 'size.over-max', members: ['PutKeyPolicy.Policy'] },
      400, errorBody('ValidationException', "1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to 131072"),
      200, '',
      { observed: response(200), expected: 'ValidationException 400', seen: '200 success', message: 'Expected ValidationException 400 (PutKeyPolicy.Policy.length.max), got 200 success.' },
    ),
    scenario(
      'unexpected_error_code',
      { id: 'request:4242:3/sdk', source: 'request', transport: 'sdk', operation: 'PutKeyPolicy', ruleIds: ['KeyId.notFound'], outcomes: [err('NotFoundException', 400, 404)], input: { KeyId: '00000000-0000-0000-0000-000000000000', Policy: policy() }, members: ['PutKeyPolicy.KeyId'] },
      400, errorBody('NotFoundException', 'Key not found'),
      400, errorBody('InvalidArnException', 'Invalid arn'),
      { observed: response(400, 'InvalidArnException', 'Invalid arn'), expected: 'NotFoundException 400/404', seen: '400 InvalidArnException "Invalid arn"', message: 'Expected NotFoundException 400/404 (KeyId.notFound), got 400 InvalidArnException "Invalid arn".' },
    ),
    scenario(
      'unexpected_status',
      { id: 'request:4242:9/http', source: 'request', transport: 'http', operation: 'EnableKey', ruleIds: ['KeyState.EnableKey.PendingDeletion'], outcomes: [err('KMSInvalidStateException', 400, 409)], input: { KeyId: KEY_ID } },
      400, errorBody('KMSInvalidStateException', `${KEY_ARN} is pending deletion.`),
      500, errorBody('KMSInvalidStateException', `${KEY_ARN} is pending deletion.`),
      { observed: response(500, 'KMSInvalidStateException', `${KEY_ARN} is pending deletion.`), expected: 'KMSInvalidStateException 400/409', seen: `500 KMSInvalidStateException "${KEY_ARN} is pending deletion."`, message: 'Expected KMSInvalidStateException 400/409 (KeyState.EnableKey.PendingDeletion), got 500 KMSInvalidStateException: the error code is right, the status is not.' },
    ),
    scenario(
      'malformed_error_response',
      { id: 'wire:4242:5/http', source: 'wire', transport: 'http', operation: 'PutKeyPolicy', ruleIds: ['Wire.error.shape'], outcomes: [err('SerializationException', 400)], input: {}, mutation: 'body.truncated' },
      400, errorBody('SerializationException', 'Start of structure or map found where not expected'),
      400, '<html><body><h1>400 Bad Request</h1><script>alert(1)</script></body></html>',
      { observed: response(400), expected: 'SerializationException 400', seen: '400 (unreadable error)', message: 'The 400 answer cannot be read as an AWS JSON error: the body is not JSON (starts with "<html>").' },
    ),
    scenario(
      'unexpected_success_body',
      { id: 'example:Wire.success.emptyOutput:holds:0/sdk', source: 'example', exampleOf: 'Wire.success.emptyOutput', transport: 'sdk', operation: 'PutKeyPolicy', ruleIds: ['Wire.success.emptyOutput'], outcomes: [SUCCESS], input: { KeyId: KEY_ID, Policy: policy() } },
      200, '{}',
      200, 'null',
      { observed: response(200), expected: 'a response that keeps Wire.success.emptyOutput', seen: '200 success', message: 'A PutKeyPolicy success must have an empty JSON object or an empty body, got "null".' },
    ),
    scenario(
      'response_rule_broken',
      { id: 'request:4242:12/sdk', source: 'request', transport: 'sdk', operation: 'GetKeyPolicy', ruleIds: ['Wire.success.requestId'], outcomes: [SUCCESS], input: { KeyId: KEY_ID, PolicyName: 'default' } },
      200, JSON.stringify({ Policy: policy(), PolicyName: 'default' }),
      200, JSON.stringify({ Policy: policy(), PolicyName: 'default' }),
      { observed: { kind: 'response', status: 200 }, expected: 'a response that keeps Wire.success.requestId', seen: '200 success', message: 'A success response has no x-amzn-RequestId header.' },
    ),
    scenario(
      'no_response',
      { id: 'wire:4242:8/http', source: 'wire', transport: 'http', operation: 'PutKeyPolicy', ruleIds: ['Wire.body.tooLarge'], outcomes: [err('RequestEntityTooLargeException', 413)], input: {}, mutation: 'body.oversize' },
      413, errorBody('RequestEntityTooLargeException', 'Request body too large'),
      0, '',
      { observed: { kind: 'no-response', reason: 'socket hang up (ECONNRESET)' }, expected: 'RequestEntityTooLargeException 413', seen: 'no response (socket hang up (ECONNRESET))', message: 'Expected RequestEntityTooLargeException 413, got no answer (socket hang up (ECONNRESET)).' },
    ),
    scenario(
      'state_mismatch',
      { id: 'sequence:4242:2/sdk', source: 'sequence', transport: 'sdk', operation: 'PutKeyPolicy', ruleIds: ['PutKeyPolicy.after.policy'], outcomes: [SUCCESS], input: { KeyId: KEY_ID, Policy: policy('New') } },
      200, '',
      200, '',
      { observed: response(200), expected: `GetKeyPolicy returns the policy just put (${policy('New').length} characters)`, seen: 'GetKeyPolicy returned the previous policy', message: 'GetKeyPolicy after a successful PutKeyPolicy returned a different policy.' },
    ),
    scenario(
      'not_converged',
      { id: 'sequence:4242:6/http', source: 'sequence', transport: 'http', operation: 'PutKeyPolicy', ruleIds: ['Consistency.eventual'], outcomes: [SUCCESS], input: { KeyId: KEY_ID, Policy: policy('Later') } },
      200, '',
      200, '',
      { observed: response(200), expected: 'the change visible within 5000 ms', seen: 'not visible after 5000 ms', message: 'A read after PutKeyPolicy never showed the new policy within --converge-timeout 5000 ms.' },
    ),
    scenario(
      'wrong_message',
      { id: 'example:PutKeyPolicy.Policy.lockout:breaks:0/sdk', source: 'example', exampleOf: 'PutKeyPolicy.Policy.lockout', transport: 'sdk', operation: 'PutKeyPolicy', ruleIds: ['PutKeyPolicy.Policy.lockout'], outcomes: [err('MalformedPolicyDocumentException', 400)], input: { KeyId: KEY_ID, Policy: policy('Lockout') } },
      400, errorBody('MalformedPolicyDocumentException', 'The new key policy will not allow you to update the key policy in the future.'),
      400, errorBody('MalformedPolicyDocumentException', 'policy rejected'),
      { observed: response(400, 'MalformedPolicyDocumentException', 'policy rejected'), expected: '"The new key policy will not allow you to update the key policy in the future."', seen: '"policy rejected"', message: 'The error message differs from the one the contract quotes.' },
    ),
  ];
}

function passes(): CaseRecord[] {
  const p = (s: CaseSeed, status: number, body: string): CaseRecord => {
    const code = /"__type":"([^"]+)"/.exec(body)?.[1];
    return { ...base(s), verdict: 'pass', observed: response(status, code), exchanges: [exchange(s.operation, s.transport, s.input, status, body)], ms: 2 };
  };
  return [
    p({ id: 'example:PutKeyPolicy.Policy.length.max:holds:0/sdk', source: 'example', exampleOf: 'PutKeyPolicy.Policy.length.max', transport: 'sdk', operation: 'PutKeyPolicy', ruleIds: ['PutKeyPolicy.Policy.length.max', 'Wire.response.contentType', 'Wire.success.requestId', 'Wire.success.emptyOutput'], outcomes: [SUCCESS], input: { KeyId: KEY_ID, Policy: policy() }, members: ['PutKeyPolicy.Policy'] }, 200, ''),
    p({ id: 'invalid-policy:4242:7/http', source: 'invalid-policy', transport: 'http', operation: 'PutKeyPolicy', ruleIds: ['PutKeyPolicy.Policy.statement.principal.required', 'Wire.response.contentType', 'Wire.error.shape'], outcomes: [err('MalformedPolicyDocumentException', 400)], input: { KeyId: KEY_ID, Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}' }, mutation: 'statement.principal.missing', members: ['PutKeyPolicy.Policy'] }, 400, errorBody('MalformedPolicyDocumentException', 'Policy contains a statement with no principal.')),
    p({ id: 'invalid-policy:4242:7/sdk', source: 'invalid-policy', transport: 'sdk', operation: 'PutKeyPolicy', ruleIds: ['PutKeyPolicy.Policy.statement.principal.required', 'Wire.response.contentType', 'Wire.error.shape'], outcomes: [err('MalformedPolicyDocumentException', 400)], input: { KeyId: KEY_ID, Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}' }, mutation: 'statement.principal.missing', members: ['PutKeyPolicy.Policy'] }, 400, errorBody('MalformedPolicyDocumentException', 'Policy contains a statement with no principal.')),
    p({ id: 'request:4242:21/sdk', source: 'request', transport: 'sdk', operation: 'PutKeyPolicy', ruleIds: ['KeyState.PutKeyPolicy.Disabled', 'KeyId.keyId'], outcomes: [SUCCESS], input: { KeyId: KEY_ID, Policy: policy() }, members: ['PutKeyPolicy.KeyId'] }, 200, ''),
    p({ id: 'request:4242:22/http', source: 'request', transport: 'http', operation: 'GetKeyPolicy', ruleIds: ['GetKeyPolicy.output.policy', 'GetKeyPolicy.PolicyName.default', 'KeyId.arn'], outcomes: [SUCCESS], input: { KeyId: KEY_ARN, PolicyName: 'default' }, members: ['GetKeyPolicy.KeyId'] }, 200, JSON.stringify({ Policy: policy(), PolicyName: 'default' })),
    p({ id: 'request:4242:23/sdk', source: 'request', transport: 'sdk', operation: 'PutKeyPolicy', ruleIds: ['PutKeyPolicy.PolicyName.onlyDefault'], outcomes: [err('*', 400, 404)], input: { KeyId: KEY_ID, PolicyName: 'other', Policy: policy() }, members: ['PutKeyPolicy.PolicyName'] }, 400, errorBody('ValidationException', 'Only the default policy name is supported.')),
  ];
}

/** The baseline entry that waives the fixture's waived failure. */
export const FIXTURE_WAIVER: Waiver = { match: 'PutKeyPolicy.PolicyName.pattern', reason: 'Emulator accepts any policy name; tracked in EMU-12', owner: 'emulator-team', expires: '2099-12-31' };

function others(waived: boolean): CaseRecord[] {
  const out: CaseRecord[] = [];
  const pol = policy();
  if (waived) {
    const s: CaseSeed = { id: 'request:4242:30/http', source: 'request', transport: 'http', operation: 'PutKeyPolicy', ruleIds: ['PutKeyPolicy.PolicyName.pattern'], outcomes: [err('ValidationException', 400)], input: { KeyId: KEY_ID, PolicyName: 'bad name!', Policy: pol }, members: ['PutKeyPolicy.PolicyName'] };
    out.push({
      ...base(s),
      verdict: 'fail',
      observed: response(200),
      findings: [finding('accepted_invalid_input', s.id, s.ruleIds, 'ValidationException 400', '200 success', 'Expected ValidationException 400 (PutKeyPolicy.PolicyName.pattern), got 200 success.')],
      waived: FIXTURE_WAIVER,
      replayFile: replayFileOf(s.id),
      exchanges: [exchange(s.operation, s.transport, s.input, 200, '')],
      ms: 3,
    });
  }
  out.push({
    id: 'valid-policy:4242:40/sdk',
    source: 'valid-policy',
    transport: 'sdk',
    operation: 'PutKeyPolicy',
    verdict: 'unspecified',
    ruleIds: [requireRule('PutKeyPolicy.Policy.document.unknownElement')],
    expected: { kind: 'unspecified', reason: 'the contract does not say whether an unknown top-level element is rejected (decision 0101)' },
    observed: response(200),
    reason: 'the contract does not say whether an unknown top-level element is rejected (decision 0101)',
    exchanges: [exchange('PutKeyPolicy', 'sdk', { KeyId: KEY_ID, Policy: '{"Version":"2012-10-17","Extra":1,"Statement":[]}' }, 200, '')],
    ms: 2,
  });
  out.push({
    id: 'example:PutKeyPolicy.Policy.statement.principal.exists:breaks:0/http',
    source: 'example',
    exampleOf: 'PutKeyPolicy.Policy.statement.principal.exists',
    transport: 'http',
    operation: 'PutKeyPolicy',
    verdict: 'skip',
    ruleIds: [requireRule('PutKeyPolicy.Policy.statement.principal.exists')],
    reason: 'the target has no principal directory (--principals not given)',
    exchanges: [],
    ms: 0,
  });
  out.push({
    id: 'request:4242:31/sdk',
    source: 'request',
    transport: 'sdk',
    operation: 'PutKeyPolicy',
    verdict: 'error',
    ruleIds: [requireRule('KeyState.PutKeyPolicy.PendingImport')],
    reason: 'set-up failed: CreateKey with Origin EXTERNAL answered 500 InternalFailure "boom <&>"',
    stage: 'setup',
    exchanges: [{ role: 'step', operation: 'CreateKey', transport: 'sdk', failure: 'CreateKey answered 500', ms: 1 }],
    ms: 1,
  });
  return out;
}

function extras(n: number, version: ContractVersionId): CaseRecord[] {
  const rules = rulesFor(version);
  const out: CaseRecord[] = [];
  for (let i = 0; i < n; i++) {
    const rule = rules[i % rules.length]!;
    const id = `request:4242:${1000 + i}/sdk`;
    const long = `Expected ValidationException 400 (${rule.id}), got 200 success. ${'The target accepted a request the contract rejects; '.repeat(4)}`;
    out.push({
      id,
      source: 'request',
      transport: 'sdk',
      operation: rule.operations[0] ?? 'PutKeyPolicy',
      verdict: 'fail',
      ruleIds: [rule.id],
      expected: { kind: 'decided', outcomes: [err('ValidationException', 400)] },
      observed: response(200),
      findings: [finding('accepted_invalid_input', id, [rule.id], 'ValidationException 400', '200 success', long)],
      replayFile: replayFileOf(id),
      exchanges: [],
      ms: 1,
    });
  }
  return out;
}

/** Every case record of a fixture, in run order. */
export function buildCases(options: FixtureOptions = {}): CaseRecord[] {
  const failing = new Set(options.failing ?? scenarios().map((s) => s.code));
  const cases = [...passes(), ...scenarios().map((s) => (failing.has(s.code) ? s.fail : s.pass)), ...others(options.waived ?? true), ...extras(options.extraFailures ?? 0, FIXTURE_VERSION)];
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.id)) throw new Error(`fixture has case id '${c.id}' twice`);
    seen.add(c.id);
  }
  return cases;
}

/** A whole `results.json` object, aggregated the way the runner does it. */
export function buildRunResults(options: FixtureOptions = {}): RunResults {
  const cases = buildCases(options);
  const agg = new RunAggregator(FIXTURE_VERSION);
  for (const c of cases) agg.add(c);
  const rules = agg.ruleScores(new Map([['Throttling.PutKeyPolicy', 'throttling needs --fault-profile; not run by default']]));
  const target: TargetInfo = {
    kind: options.target?.kind ?? 'mock:in-process',
    name: options.target?.name ?? 'mock (lenient-names)',
    ...(options.target?.endpoint === undefined ? {} : { endpoint: options.target.endpoint }),
    ...(options.target?.kind === 'endpoint' ? {} : { divergences: options.target?.divergences ?? ['lenient-names'] }),
  };
  const waived = cases.filter((c) => c.waived !== undefined).length;
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: 'kms-conformance', version: '0.1.0' },
    contract: { version: FIXTURE_VERSION, catalogueHash: catalogueHash(FIXTURE_VERSION), rules: rulesFor(FIXTURE_VERSION).length },
    run: {
      id: options.runId ?? 'run-fixture',
      seed: options.seed ?? 4242,
      startedAt: '2025-03-01T12:00:00.000Z',
      endedAt: '2025-03-01T12:00:41.500Z',
      durationMs: 41_500,
      status: options.status ?? 'complete',
      command: `npx kms-conformance run --seed ${options.seed ?? 4242} --runs 100 --baseline baseline.json`,
    },
    target,
    transports: ['sdk', 'http'],
    world: { partition: 'aws', accountId: ACCOUNT, region: 'us-east-1', callerArn: `arn:aws:iam::${ACCOUNT}:user/conformance`, principals: [{ kind: 'user', id: `arn:aws:iam::${ACCOUNT}:user/conformance` }] },
    settings: { runs: 100, sequences: 10, concurrency: 8, maxKeys: 50, convergeTimeoutMs: 5000, allowRemote: false, allowLockout: false, baseline: 'baseline.json' },
    counts: { ...agg.counts },
    score: computeScore(agg.counts, rules),
    rules,
    codes: agg.codeMatrix(),
    by: agg.byDimension(),
    cleanup: { created: 12, scheduledForDeletion: 11, notCleaned: [{ keyId: KEY_ID, arn: KEY_ARN, reason: 'ScheduleKeyDeletion answered 500 InternalFailure' }] },
    baseline: { file: 'baseline.json', waived, stale: ['KeyId.otherPartition'], expired: [] },
    cases,
  };
}
