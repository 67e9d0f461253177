/**
 * Worked examples for every rule: at least one request (or wire request, or response) that
 * satisfies it and one that breaks it (for acceptance rules: one that triggers it), against
 * {@link EXAMPLE_WORLD}. The catalogue test runs them through the oracle so that no rule stays
 * untested; they also show users what each rule means.
 */
import { DEFAULT_ACCOUNT, DEFAULT_CALLER, DEFAULT_PARTITION, DEFAULT_REGION, accountPrincipalArn, aliasArn, keyArn } from '../identities.ts';
import { MODEL, patternOf } from '../model.ts';
import type { ModelMember } from '../model.ts';
import { DEFAULT_KEY_POLICY, createPrincipalDirectory } from '../policy/index.ts';
import { KEY_STATES } from '../types.ts';
import type { Caller, ContractVersionId, KeyInfo, KeyState, OperationName, OracleRequest, Rule, World } from '../types.ts';
import type { AuthenticationOptions } from '../auth.ts';
import type { WireRequest, WireResponse } from '../wire.ts';
import { keyStateCell } from './key-state.ts';
import { jsonTypeOf } from './members.ts';
import { REQUEST_QUOTAS } from './throttling.ts';

/** One worked example. `version` defaults to the newest version the rule holds in. */
export type RuleExample =
  | { readonly kind: 'request'; readonly label: string; readonly request: OracleRequest; readonly version?: ContractVersionId; readonly caller?: Caller }
  | {
      readonly kind: 'wire';
      readonly label: string;
      readonly wire: WireRequest;
      readonly maxBodyBytes?: number;
      /** Judge authentication too (decision 0506). */
      readonly authentication?: AuthenticationOptions;
    }
  | {
      readonly kind: 'response';
      readonly label: string;
      readonly operation: OperationName;
      readonly response: WireResponse;
      /** The request answered, when the check compares the output with the key (run against {@link EXAMPLE_WORLD}). */
      readonly request?: OracleRequest;
    }
  | {
      /** A successful request and the key before and after it (checked by `checkTransition`). */
      readonly kind: 'transition';
      readonly label: string;
      readonly request: OracleRequest;
      readonly before: KeyInfo;
      readonly after: KeyInfo;
    };

/** Examples of one rule. */
export interface RuleExamples {
  readonly satisfies: readonly RuleExample[];
  readonly breaks: readonly RuleExample[];
}

// ---------------------------------------------------------------------------------------------
// The example world
// ---------------------------------------------------------------------------------------------

/** The key id of AWS's documentation examples; Enabled in {@link EXAMPLE_WORLD}. */
export const EXAMPLE_KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
/** A multi-Region key id, Enabled. */
export const EXAMPLE_MRK_ID = 'mrk-1234abcd12ab34cd56ef1234567890ab';
/** An AWS managed key. */
export const EXAMPLE_AWS_MANAGED_KEY_ID = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
/** A key that exists only in us-west-2. */
export const EXAMPLE_WEST_KEY_ID = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
/** Another account's key (444455556666, us-east-1). */
export const EXAMPLE_FOREIGN_KEY_ID = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
/** Another account. */
export const OTHER_ACCOUNT = '444455556666';
/**
 * A key whose policy lets the default caller (role/Admin) only `kms:Describe*`: the state a
 * bypassed lockout leaves behind (decision 0501).
 */
export const EXAMPLE_LOCKED_KEY_ID = 'dddddddd-dddd-4ddd-8ddd-dddddddddddd';
/** A well-formed key id no key has. */
export const ABSENT_KEY_ID = '99999999-9999-4999-8999-999999999999';
/** An alias of {@link EXAMPLE_KEY_ID}. */
export const EXAMPLE_ALIAS = 'alias/example';

/** The key id of the example key in `state` (one key per state). */
export function stateKeyId(state: KeyState): string {
  const n = KEY_STATES.indexOf(state);
  return `5e5e5e5e-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

function key(keyId: string, state: KeyState, extra: Partial<KeyInfo> = {}): KeyInfo {
  const region = extra.region ?? DEFAULT_REGION;
  const accountId = extra.accountId ?? DEFAULT_ACCOUNT;
  return {
    keyId,
    arn: keyArn(keyId, region, accountId),
    accountId,
    region,
    state,
    keyManager: 'CUSTOMER',
    multiRegion: keyId.startsWith('mrk-'),
    policy: DEFAULT_KEY_POLICY(accountId),
    ...extra,
  };
}

/** Principals the seeds' example policies name (S-CLI, S-BOTO3, S-QKMS). */
export const SEED_PRINCIPALS = [
  { kind: 'user', id: `arn:aws:iam::${DEFAULT_ACCOUNT}:user/test-user` },
  { kind: 'user', id: `arn:aws:iam::${DEFAULT_ACCOUNT}:user/ExampleAdminUser` },
  { kind: 'role', id: `arn:aws:iam::${DEFAULT_ACCOUNT}:role/ExampleAdminRole` },
  { kind: 'role', id: `arn:aws:iam::${DEFAULT_ACCOUNT}:role/ExamplePowerUserRole` },
  { kind: 'user', id: `arn:aws:iam::${DEFAULT_ACCOUNT}:user/username` },
] as const;

/** The policy of {@link EXAMPLE_LOCKED_KEY_ID}: the default caller may only describe the key. */
function describeOnlyPolicy(): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'Describe only', Effect: 'Allow', Principal: { AWS: DEFAULT_CALLER.arn }, Action: 'kms:Describe*', Resource: '*' }],
  });
}

/**
 * The world the examples run in: account 111122223333, us-east-1, the documentation's example
 * key (Enabled), one key per key state, a multi-Region key, an AWS managed key, a key in
 * us-west-2, another account's key, a key whose policy locks the default caller out,
 * `alias/example`, and the seeds' principals.
 */
export const EXAMPLE_WORLD: World = {
  partition: DEFAULT_PARTITION,
  accountId: DEFAULT_ACCOUNT,
  region: DEFAULT_REGION,
  keys: [
    key(EXAMPLE_KEY_ID, 'Enabled'),
    ...KEY_STATES.map((s) => key(stateKeyId(s), s)),
    key(EXAMPLE_MRK_ID, 'Enabled'),
    key(EXAMPLE_AWS_MANAGED_KEY_ID, 'Enabled', { keyManager: 'AWS' }),
    key(EXAMPLE_WEST_KEY_ID, 'Enabled', { region: 'us-west-2' }),
    key(EXAMPLE_FOREIGN_KEY_ID, 'Enabled', { accountId: OTHER_ACCOUNT }),
    key(EXAMPLE_LOCKED_KEY_ID, 'Enabled', { policy: describeOnlyPolicy() }),
  ],
  aliases: [{ name: EXAMPLE_ALIAS, arn: aliasArn(EXAMPLE_ALIAS, DEFAULT_REGION, DEFAULT_ACCOUNT), targetKeyId: EXAMPLE_KEY_ID }],
  principals: createPrincipalDirectory({ accountId: DEFAULT_ACCOUNT, principals: SEED_PRINCIPALS }),
};

// ---------------------------------------------------------------------------------------------
// Policies and requests
// ---------------------------------------------------------------------------------------------

const ROOT = accountPrincipalArn(DEFAULT_ACCOUNT);

/** A statement granting the account principal `kms:*`, with `overrides` (an `undefined` value removes the element). */
export function exampleStatement(overrides: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const s: Record<string, unknown> = { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*', ...overrides };
  for (const k of Object.keys(s)) if (s[k] === undefined) delete s[k];
  return s;
}

/** A policy document with `statements` and top-level `overrides`. */
export function examplePolicy(statements: readonly unknown[] = [exampleStatement()], overrides: Readonly<Record<string, unknown>> = {}): string {
  const d: Record<string, unknown> = { Version: '2012-10-17', Statement: statements, ...overrides };
  for (const k of Object.keys(d)) if (d[k] === undefined) delete d[k];
  return JSON.stringify(d);
}

/** A policy that lets the default caller (role/Admin) only describe the key: it locks the caller out. */
export const LOCKOUT_POLICY = examplePolicy([exampleStatement({ Sid: 'Describe only', Principal: { AWS: DEFAULT_CALLER.arn }, Action: 'kms:Describe*' })]);

/** The key a valid request of `op` targets: the example key, or the PendingDeletion key for CancelKeyDeletion. */
export function exampleKeyFor(op: OperationName): string {
  return op === 'CancelKeyDeletion' ? stateKeyId('PendingDeletion') : EXAMPLE_KEY_ID;
}

/** An alias name no alias of {@link EXAMPLE_WORLD} has (what a valid CreateAlias creates). */
export const NEW_ALIAS = 'alias/new-example';

/** A request of `op` that succeeds in {@link EXAMPLE_WORLD} under every contract version. */
export function validInput(op: OperationName, keyId: string = exampleKeyFor(op)): Record<string, unknown> {
  switch (op) {
    case 'CreateAlias':
      return { AliasName: NEW_ALIAS, TargetKeyId: keyId };
    case 'DeleteAlias':
      return { AliasName: EXAMPLE_ALIAS };
    case 'ListAliases':
    case 'ListKeys':
      return {};
    case 'PutKeyPolicy':
      return { KeyId: keyId, Policy: DEFAULT_KEY_POLICY(DEFAULT_ACCOUNT), PolicyName: 'default' };
    case 'GetKeyPolicy':
      return { KeyId: keyId, PolicyName: 'default' };
    case 'CreateKey':
      return {};
    case 'ScheduleKeyDeletion':
      return { KeyId: keyId, PendingWindowInDays: 7 };
    default:
      return { KeyId: keyId };
  }
}

function req(label: string, operation: OperationName, input: Readonly<Record<string, unknown>>, extra: { version?: ContractVersionId; context?: OracleRequest['context'] } = {}): RuleExample {
  return {
    kind: 'request',
    label,
    request: { operation, input, ...(extra.context ? { context: extra.context } : {}) },
    ...(extra.version ? { version: extra.version } : {}),
  };
}

function withMember(op: OperationName, member: string, value: unknown): Record<string, unknown> {
  const input = validInput(op);
  if (value === undefined) delete input[member];
  else input[member] = value;
  return input;
}

// ---------------------------------------------------------------------------------------------
// Generated member rules
// ---------------------------------------------------------------------------------------------

const VALID_VALUES: Readonly<Record<string, unknown>> = {
  Limit: 10,
  Marker: 'marker',
  Description: 'example key',
  KeyUsage: 'ENCRYPT_DECRYPT',
  CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
  KeySpec: 'SYMMETRIC_DEFAULT',
  Origin: 'AWS_KMS',
  CustomKeyStoreId: 'cks-1234567890abcdef0',
  BypassPolicyLockoutSafetyCheck: false,
  Tags: [{ TagKey: 'team', TagValue: 'payments' }],
  MultiRegion: false,
  XksKeyId: 'ext-key-1',
  GrantTokens: ['token'],
  Policy: DEFAULT_KEY_POLICY(DEFAULT_ACCOUNT),
  PolicyName: 'default',
  PendingWindowInDays: 7,
};

function validValue(op: OperationName, member: string): unknown {
  const base = validInput(op)[member];
  return base !== undefined ? base : VALID_VALUES[member];
}

function wrongType(m: ModelMember): unknown {
  switch (jsonTypeOf(m)) {
    case 'string':
      return 12345;
    case 'integer':
      return '7';
    case 'boolean':
      return 'true';
    case 'array':
      return 'not a list';
    case 'object':
      return 'not an object';
    default:
      return 'not a number';
  }
}

function filler(m: ModelMember, n: number): unknown {
  return jsonTypeOf(m) === 'array' ? Array.from({ length: n }, () => 'x') : 'a'.repeat(n);
}

function patternBreaker(m: ModelMember): string {
  const re = patternOf(m);
  const c = re === undefined ? undefined : ['!', ' ', '\u0001', '\u0100'].find((x) => !re.test(`a${x}`));
  if (c === undefined) throw new Error(`[kms-conformance] internal: no example breaks pattern ${String(m.pattern)}`);
  return `a${c}`;
}

/** Examples of a rule on list items (`<Op>.<List>.member[.<Field>].<constraint>`). */
function itemExamples(rule: Rule): RuleExamples | undefined {
  const match = /^(\w+)\.(\w+)\.member(?:\.([A-Z]\w*))?\.(.+)$/.exec(rule.id);
  if (!match) return undefined;
  const [, opName, list = '', field, constraint] = match;
  const op = opName as OperationName;
  const listModel = MODEL.operations[op].input[list];
  const item = listModel?.member;
  if (!item) return undefined;
  const target = field === undefined ? item : item.members?.[field];
  if (!target) return undefined;
  const validItem = VALID_VALUES[list] !== undefined ? (VALID_VALUES[list] as readonly unknown[])[0] : undefined;
  const withItem = (value: unknown): Record<string, unknown> => {
    if (field === undefined) return withMember(op, list, [value]);
    const it: Record<string, unknown> = { ...(validItem as Record<string, unknown>) };
    if (value === undefined) delete it[field];
    else it[field] = value;
    return withMember(op, list, [it]);
  };
  const name = field ?? `${list} item`;
  const ok = (label: string, v: unknown): RuleExample => req(label, op, withItem(v));
  switch (constraint) {
    case 'required':
      return { satisfies: [ok(`${name} present`, 'x')], breaks: [req(`${name} omitted`, op, withItem(undefined))] };
    case 'length.min':
      return { satisfies: [ok(`${name} of length ${target.length!.min}`, 'a'.repeat(target.length!.min!))], breaks: [ok(`${name} too short`, 'a'.repeat(target.length!.min! - 1))] };
    case 'length.max':
      return { satisfies: [ok(`${name} of length ${target.length!.max}`, 'a'.repeat(target.length!.max!))], breaks: [ok(`${name} too long`, 'a'.repeat(target.length!.max! + 1))] };
    case 'pattern':
      return { satisfies: [ok(`${name} "a"`, 'a')], breaks: [ok(`${name} outside the pattern`, patternBreaker(target))] };
    default:
      return undefined;
  }
}

function memberExamples(rule: Rule): RuleExamples | undefined {
  if (rule.origin !== 'model') return undefined;
  if (rule.id.includes('.member')) return itemExamples(rule);
  const op = rule.operations[0]!;
  const [, member = '', ...rest] = rule.id.split('.');
  const constraint = rest.join('.');
  const m = MODEL.operations[op].input[member];
  if (!m) return undefined;
  const valid = validValue(op, member);
  const ok = req(`${member} valid`, op, withMember(op, member, valid));
  const bad = (label: string, value: unknown): RuleExamples => ({ satisfies: [ok], breaks: [req(label, op, withMember(op, member, value))] });
  switch (constraint) {
    case 'required':
      return bad(`${member} omitted`, undefined);
    case 'type':
      return bad(`${member} of the wrong JSON type`, wrongType(m));
    case 'length.min':
      return { satisfies: [req(`${member} of length ${m.length!.min}`, op, withMember(op, member, filler(m, m.length!.min!)))], breaks: [req(`${member} too short`, op, withMember(op, member, filler(m, m.length!.min! - 1)))] };
    case 'length.max':
      return { satisfies: [req(`${member} of length ${m.length!.max}`, op, withMember(op, member, filler(m, m.length!.max!)))], breaks: [req(`${member} too long`, op, withMember(op, member, filler(m, m.length!.max! + 1)))] };
    case 'pattern':
      return { satisfies: [req(`${member} "a"`, op, withMember(op, member, 'a'))], breaks: [req(`${member} outside the pattern`, op, withMember(op, member, patternBreaker(m)))] };
    case 'range.min':
      return { satisfies: [req(`${member} = ${m.range!.min}`, op, withMember(op, member, m.range!.min))], breaks: [req(`${member} below the range`, op, withMember(op, member, m.range!.min! - 1))] };
    case 'range.max':
      return { satisfies: [req(`${member} = ${m.range!.max}`, op, withMember(op, member, m.range!.max))], breaks: [req(`${member} above the range`, op, withMember(op, member, m.range!.max! + 1))] };
    case 'enum':
      return { satisfies: [req(`${member} ${m.enum![0]}`, op, withMember(op, member, m.enum![0]))], breaks: [req(`${member} not in the enum`, op, withMember(op, member, 'NOT_A_VALUE'))] };
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Wire and response examples
// ---------------------------------------------------------------------------------------------

const JSON_11 = 'application/x-amz-json-1.1';

/** A raw awsJson1_1 request for `op` with `body`; `headers` override (an `undefined` value removes the header). */
export function exampleWire(op: string, body: string | Uint8Array, overrides: { method?: string; path?: string; headers?: Readonly<Record<string, string | undefined>> } = {}): WireRequest {
  const headers: Record<string, string> = { 'content-type': JSON_11, 'x-amz-target': `TrentService.${op}` };
  for (const [k, v] of Object.entries(overrides.headers ?? {})) {
    if (v === undefined) delete headers[k];
    else headers[k] = v;
  }
  return { method: overrides.method ?? 'POST', path: overrides.path ?? '/', headers, body: typeof body === 'string' ? new TextEncoder().encode(body) : body };
}

function wire(label: string, w: WireRequest, maxBodyBytes?: number): RuleExample {
  return { kind: 'wire', label, wire: w, ...(maxBodyBytes !== undefined ? { maxBodyBytes } : {}) };
}

const DESCRIBE_BODY = JSON.stringify({ KeyId: EXAMPLE_KEY_ID });
const OK_WIRE = wire('a valid DescribeKey request', exampleWire('DescribeKey', DESCRIBE_BODY));

function response(label: string, operation: OperationName, status: number, body: string, headers: Readonly<Record<string, string>> = { 'x-amzn-requestid': 'r-1', 'content-type': JSON_11 }): RuleExample {
  return { kind: 'response', label, operation, response: { status, headers, body } };
}

/** A 200 answer to `input` for `operation`, checked against the key the input names. */
function answer(label: string, operation: OperationName, input: Readonly<Record<string, unknown>>, body: unknown): RuleExample {
  return { kind: 'response', label, operation, response: { status: 200, headers: { 'x-amzn-requestid': 'r-1', 'content-type': JSON_11 }, body: JSON.stringify(body) }, request: { operation, input } };
}

const EXAMPLE_ARN = keyArn(EXAMPLE_KEY_ID, DEFAULT_REGION, DEFAULT_ACCOUNT);
const PENDING_ARN = keyArn(stateKeyId('PendingDeletion'), DEFAULT_REGION, DEFAULT_ACCOUNT);
const metadata = (overrides: Readonly<Record<string, unknown>> = {}): Record<string, unknown> => ({
  KeyMetadata: { AWSAccountId: DEFAULT_ACCOUNT, KeyId: EXAMPLE_KEY_ID, Arn: EXAMPLE_ARN, Enabled: true, KeyState: 'Enabled', KeyManager: 'CUSTOMER', ...overrides },
});

const EXAMPLE_KEY = EXAMPLE_WORLD.keys.find((k) => k.keyId === EXAMPLE_KEY_ID)!;
const keyIn = (state: KeyState, extra: Partial<KeyInfo> = {}): KeyInfo => ({ ...EXAMPLE_KEY, state, ...extra });
function transition(label: string, operation: OperationName, input: Readonly<Record<string, unknown>>, before: KeyInfo, after: KeyInfo): RuleExample {
  return { kind: 'transition', label, request: { operation, input }, before, after };
}
const stateChange = (op: OperationName, from: KeyState, to: KeyState, wrong: KeyState): RuleExamples => ({
  satisfies: [transition(`${from} → ${to}`, op, { KeyId: EXAMPLE_KEY_ID }, keyIn(from), keyIn(to))],
  breaks: [transition(`${from} → ${wrong}`, op, { KeyId: EXAMPLE_KEY_ID }, keyIn(from), keyIn(wrong))],
});

const TRANSITION_EXAMPLES: Readonly<Record<string, RuleExamples>> = {
  'KeyState.after.DisableKey': {
    satisfies: [...stateChange('DisableKey', 'Enabled', 'Disabled', 'Enabled').satisfies, transition('Unavailable stays Unavailable', 'DisableKey', { KeyId: EXAMPLE_KEY_ID }, keyIn('Unavailable'), keyIn('Unavailable'))],
    breaks: stateChange('DisableKey', 'Enabled', 'Disabled', 'Enabled').breaks,
  },
  'KeyState.after.EnableKey': stateChange('EnableKey', 'Disabled', 'Enabled', 'Disabled'),
  'KeyState.after.ScheduleKeyDeletion': stateChange('ScheduleKeyDeletion', 'Enabled', 'PendingDeletion', 'Disabled'),
  'KeyState.after.CancelKeyDeletion': stateChange('CancelKeyDeletion', 'PendingDeletion', 'Disabled', 'Enabled'),
  'KeyState.after.policy': {
    satisfies: [transition('Disabled → Enabled keeps the policy put', 'EnableKey', { KeyId: EXAMPLE_KEY_ID }, keyIn('Disabled', { policy: LOCKOUT_POLICY }), keyIn('Enabled', { policy: LOCKOUT_POLICY }))],
    breaks: [transition('Disabled → Enabled reverts to the default policy', 'EnableKey', { KeyId: EXAMPLE_KEY_ID }, keyIn('Disabled', { policy: LOCKOUT_POLICY }), keyIn('Enabled'))],
  },
  'PutKeyPolicy.after.policy': {
    satisfies: [transition('the policy put is in force', 'PutKeyPolicy', { KeyId: EXAMPLE_KEY_ID, Policy: LOCKOUT_POLICY }, EXAMPLE_KEY, { ...EXAMPLE_KEY, policy: LOCKOUT_POLICY })],
    breaks: [transition('the old policy is still in force', 'PutKeyPolicy', { KeyId: EXAMPLE_KEY_ID, Policy: LOCKOUT_POLICY }, EXAMPLE_KEY, EXAMPLE_KEY)],
  },
};

const AUTH_NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const SIGNED = {
  authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261123/${DEFAULT_REGION}/kms/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`,
  'x-amz-date': '20261123T120000Z',
};
function signedWire(label: string, headers: Readonly<Record<string, string | undefined>>, authentication: AuthenticationOptions = { now: AUTH_NOW, signature: 'valid' }): RuleExample {
  return { kind: 'wire', label, wire: exampleWire('DescribeKey', JSON.stringify({ KeyId: EXAMPLE_KEY_ID }), { headers: { ...SIGNED, ...headers } }), authentication };
}
const SIGNED_OK = signedWire('a SigV4-signed DescribeKey', {});

const AUTH_EXAMPLES: Readonly<Record<string, RuleExamples>> = {
  'Auth.missing': { satisfies: [SIGNED_OK], breaks: [signedWire('no Authorization header', { authorization: undefined })] },
  'Auth.incomplete': {
    satisfies: [SIGNED_OK],
    breaks: [signedWire('Authorization without Signature', { authorization: SIGNED.authorization.replace(/, Signature=.*$/, '') }), signedWire('scoped to s3', { authorization: SIGNED.authorization.replace('/kms/', '/s3/') })],
  },
  'Auth.requestExpired': { satisfies: [SIGNED_OK], breaks: [signedWire('signed 20 minutes ago', { 'x-amz-date': '20261123T114000Z' })] },
  'Auth.unrecognizedClient': { satisfies: [SIGNED_OK], breaks: [signedWire('an unknown access key', {}, { signature: 'unknown-key' })] },
  'Auth.signatureMismatch': { satisfies: [SIGNED_OK], breaks: [signedWire('a wrong signature', {}, { signature: 'mismatch' })] },
  'Auth.expiredToken': { satisfies: [SIGNED_OK], breaks: [signedWire('an expired session token', {}, { signature: 'expired-token' })] },
};

const OUTPUT_EXAMPLES: Readonly<Record<string, RuleExamples>> = {
  'GetKeyPolicy.output.policy': {
    satisfies: [answer('the default policy, reformatted', 'GetKeyPolicy', { KeyId: EXAMPLE_KEY_ID }, { Policy: JSON.stringify(JSON.parse(DEFAULT_KEY_POLICY(DEFAULT_ACCOUNT))), PolicyName: 'default' })],
    breaks: [
      answer('another policy', 'GetKeyPolicy', { KeyId: EXAMPLE_KEY_ID }, { Policy: examplePolicy([exampleStatement({ Action: 'kms:Describe*' })]), PolicyName: 'default' }),
      answer('no Policy', 'GetKeyPolicy', { KeyId: EXAMPLE_KEY_ID }, {}),
    ],
  },
  'GetKeyPolicy.output.defaultPolicyText': {
    satisfies: [answer('the default policy as KMS writes it', 'GetKeyPolicy', { KeyId: EXAMPLE_KEY_ID }, { Policy: DEFAULT_KEY_POLICY(DEFAULT_ACCOUNT), PolicyName: 'default' })],
    breaks: [answer('the default policy, re-serialised compactly', 'GetKeyPolicy', { KeyId: EXAMPLE_KEY_ID }, { Policy: JSON.stringify(JSON.parse(DEFAULT_KEY_POLICY(DEFAULT_ACCOUNT))), PolicyName: 'default' })],
  },
  'GetKeyPolicy.output.policyName': {
    satisfies: [answer('PolicyName default', 'GetKeyPolicy', { KeyId: EXAMPLE_KEY_ID }, { Policy: DEFAULT_KEY_POLICY(DEFAULT_ACCOUNT), PolicyName: 'default' })],
    breaks: [answer('PolicyName foo', 'GetKeyPolicy', { KeyId: EXAMPLE_KEY_ID }, { Policy: DEFAULT_KEY_POLICY(DEFAULT_ACCOUNT), PolicyName: 'foo' })],
  },
  'ListKeyPolicies.output.policyNames': {
    satisfies: [answer('["default"], not truncated', 'ListKeyPolicies', { KeyId: EXAMPLE_KEY_ID }, { PolicyNames: ['default'], Truncated: false })],
    breaks: [answer('no policy names', 'ListKeyPolicies', { KeyId: EXAMPLE_KEY_ID }, { PolicyNames: [], Truncated: false })],
  },
  'DescribeKey.output.keyMetadata': {
    satisfies: [answer('the example key', 'DescribeKey', { KeyId: EXAMPLE_KEY_ID }, metadata())],
    breaks: [
      answer('the wrong state', 'DescribeKey', { KeyId: EXAMPLE_KEY_ID }, metadata({ KeyState: 'Disabled', Enabled: false })),
      answer('no KeyMetadata', 'DescribeKey', { KeyId: EXAMPLE_KEY_ID }, {}),
    ],
  },
  'CreateKey.output.keyMetadata': {
    satisfies: [answer('a new Enabled key', 'CreateKey', {}, metadata())],
    breaks: [answer('a new key answered as Disabled', 'CreateKey', {}, metadata({ KeyState: 'Disabled', Enabled: false }))],
  },
  'ScheduleKeyDeletion.output.keyId': {
    satisfies: [answer('the key ARN', 'ScheduleKeyDeletion', { KeyId: EXAMPLE_KEY_ID, PendingWindowInDays: 7 }, { KeyId: EXAMPLE_ARN, KeyState: 'PendingDeletion', PendingWindowInDays: 7 })],
    breaks: [answer('the bare key id', 'ScheduleKeyDeletion', { KeyId: EXAMPLE_KEY_ID, PendingWindowInDays: 7 }, { KeyId: EXAMPLE_KEY_ID, KeyState: 'PendingDeletion' })],
  },
  'CancelKeyDeletion.output.keyId': {
    satisfies: [answer('the key ARN', 'CancelKeyDeletion', { KeyId: stateKeyId('PendingDeletion') }, { KeyId: PENDING_ARN })],
    breaks: [answer("another key's ARN", 'CancelKeyDeletion', { KeyId: stateKeyId('PendingDeletion') }, { KeyId: EXAMPLE_ARN })],
  },
};

const NOT_FOUND_BODY = JSON.stringify({ __type: 'NotFoundException', message: `Key '${keyArn(ABSENT_KEY_ID, DEFAULT_REGION, DEFAULT_ACCOUNT)}' does not exist` });

const WIRE_EXAMPLES: Readonly<Record<string, RuleExamples>> = {
  'Wire.method': { satisfies: [OK_WIRE], breaks: [wire('GET /', exampleWire('DescribeKey', DESCRIBE_BODY, { method: 'GET' }))] },
  'Wire.path': { satisfies: [OK_WIRE], breaks: [wire('POST /keys', exampleWire('DescribeKey', DESCRIBE_BODY, { path: '/keys' }))] },
  'Wire.target.missing': { satisfies: [OK_WIRE], breaks: [wire('no X-Amz-Target', exampleWire('DescribeKey', DESCRIBE_BODY, { headers: { 'x-amz-target': undefined } }))] },
  'Wire.target.unknown': { satisfies: [OK_WIRE], breaks: [wire('TrentService.Nope', exampleWire('Nope', DESCRIBE_BODY))] },
  'Wire.target.prefix': { satisfies: [OK_WIRE], breaks: [wire('KMS.DescribeKey', exampleWire('DescribeKey', DESCRIBE_BODY, { headers: { 'x-amz-target': 'KMS.DescribeKey' } }))] },
  'Wire.contentType': { satisfies: [OK_WIRE], breaks: [wire('text/plain', exampleWire('DescribeKey', DESCRIBE_BODY, { headers: { 'content-type': 'text/plain' } }))] },
  'Wire.contentType.parameters': {
    satisfies: [OK_WIRE],
    breaks: [wire('charset parameter', exampleWire('DescribeKey', DESCRIBE_BODY, { headers: { 'content-type': `${JSON_11}; charset=utf-8` } }))],
  },
  'Wire.body.empty': { satisfies: [wire('CreateKey {}', exampleWire('CreateKey', '{}'))], breaks: [wire('CreateKey with an empty body', exampleWire('CreateKey', ''))] },
  'Wire.body.json': { satisfies: [OK_WIRE], breaks: [wire('truncated JSON', exampleWire('DescribeKey', '{"KeyId":'))] },
  'Wire.body.notObject': { satisfies: [OK_WIRE], breaks: [wire('a JSON array', exampleWire('DescribeKey', '[]'))] },
  'Wire.body.utf8': { satisfies: [OK_WIRE], breaks: [wire('invalid UTF-8', exampleWire('DescribeKey', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])))] },
  'Wire.body.duplicateKey': {
    satisfies: [OK_WIRE],
    breaks: [wire('KeyId twice', exampleWire('DescribeKey', `{"KeyId":"${EXAMPLE_KEY_ID}","KeyId":"${EXAMPLE_KEY_ID}"}`))],
  },
  'Wire.body.tooLarge': { satisfies: [wire('a small body under a 64-byte limit', exampleWire('DescribeKey', DESCRIBE_BODY), 64)], breaks: [wire('a body over a 16-byte limit', exampleWire('DescribeKey', DESCRIBE_BODY), 16)] },
  'Wire.member.type': { satisfies: [OK_WIRE], breaks: [wire('KeyId a number', exampleWire('DescribeKey', '{"KeyId":5}'))] },
  'Wire.member.null': { satisfies: [OK_WIRE], breaks: [wire('GrantTokens null', exampleWire('DescribeKey', `{"KeyId":"${EXAMPLE_KEY_ID}","GrantTokens":null}`))] },
  'Wire.member.unknown': { satisfies: [OK_WIRE], breaks: [wire('an unmodelled member', exampleWire('DescribeKey', `{"KeyId":"${EXAMPLE_KEY_ID}","Colour":"blue"}`))] },
  'Wire.error.shape': {
    satisfies: [response('a JSON error', 'DescribeKey', 400, NOT_FOUND_BODY)],
    breaks: [response('an HTML error page', 'DescribeKey', 502, '<html><body>Bad Gateway</body></html>', { 'x-amzn-requestid': 'r-1', 'content-type': 'text/html' })],
  },
  'Wire.error.typeNormalisation': {
    satisfies: [response('a bare __type', 'DescribeKey', 400, NOT_FOUND_BODY)],
    breaks: [
      response('a namespaced __type', 'DescribeKey', 400, JSON.stringify({ __type: 'com.amazonaws.kms#NotFoundException', message: 'x' })),
      response('header and body disagree', 'DescribeKey', 400, NOT_FOUND_BODY, { 'x-amzn-requestid': 'r-1', 'x-amzn-errortype': 'InvalidArnException' }),
    ],
  },
  'Wire.response.contentType': {
    satisfies: [response('application/x-amz-json-1.1', 'DescribeKey', 400, NOT_FOUND_BODY)],
    breaks: [response('application/json', 'DescribeKey', 400, NOT_FOUND_BODY, { 'x-amzn-requestid': 'r-1', 'content-type': 'application/json' })],
  },
  'Wire.success.requestId': { satisfies: [response('with x-amzn-RequestId', 'PutKeyPolicy', 200, '')], breaks: [response('without x-amzn-RequestId', 'PutKeyPolicy', 200, '', {})] },
  'Wire.success.emptyOutput': {
    satisfies: [response('empty body', 'PutKeyPolicy', 200, ''), response('{}', 'PutKeyPolicy', 200, '{}')],
    breaks: [response('a body with members', 'PutKeyPolicy', 200, '{"KeyId":"x"}')],
  },
  'ErrorStatus.serverFault': {
    satisfies: [response('KMSInternalException 500', 'PutKeyPolicy', 500, JSON.stringify({ __type: 'KMSInternalException', message: 'internal' }))],
    breaks: [
      response('KMSInternalException 400', 'PutKeyPolicy', 400, JSON.stringify({ __type: 'KMSInternalException', message: 'internal' })),
      response('DependencyTimeoutException 502 (noted)', 'PutKeyPolicy', 502, JSON.stringify({ __type: 'DependencyTimeoutException', message: 'timeout' })),
    ],
  },
  'ErrorStatus.framework': {
    satisfies: [response('ThrottlingException 400', 'PutKeyPolicy', 400, JSON.stringify({ __type: 'ThrottlingException', message: 'slow down' }))],
    breaks: [response('ValidationException 500', 'PutKeyPolicy', 500, JSON.stringify({ __type: 'ValidationException', message: 'bad' }))],
  },
  'ErrorStatus.observed400': {
    satisfies: [response('NotFoundException 400', 'DescribeKey', 400, NOT_FOUND_BODY)],
    breaks: [response('NotFoundException 500', 'DescribeKey', 500, NOT_FOUND_BODY), response('NotFoundException 404 (model status, noted)', 'DescribeKey', 404, NOT_FOUND_BODY)],
  },
};

// ---------------------------------------------------------------------------------------------
// Hand-written rules
// ---------------------------------------------------------------------------------------------

const PUT = (input: Readonly<Record<string, unknown>>): Record<string, unknown> => ({ ...validInput('PutKeyPolicy'), ...input });
const OK_PUT = req('the default policy', 'PutKeyPolicy', validInput('PutKeyPolicy'));
const policyBreak = (label: string, policy: string, version?: ContractVersionId): RuleExamples => ({
  satisfies: [OK_PUT],
  breaks: [req(label, 'PutKeyPolicy', PUT({ Policy: policy }), version ? { version } : {})],
});
const arnOf = (id: string, region: string = DEFAULT_REGION, account: string = DEFAULT_ACCOUNT, partition: string = DEFAULT_PARTITION): string => keyArn(id, region, account, partition);
const keyIdBreak = (label: string, keyId: string, op: OperationName = 'PutKeyPolicy', okKeyId: string = EXAMPLE_KEY_ID): RuleExamples => ({
  satisfies: [req('the example key id', op, { ...validInput(op), KeyId: okKeyId })],
  breaks: [req(label, op, { ...validInput(op), KeyId: keyId })],
});

const NO_ACTION = examplePolicy([exampleStatement(), exampleStatement({ Sid: 'No action', Action: undefined })]);
const NO_RESOURCE = examplePolicy([exampleStatement(), exampleStatement({ Sid: 'No resource', Resource: undefined })]);

const OK_CREATE_ALIAS = req('alias/new-example for the example key', 'CreateAlias', validInput('CreateAlias'));
const createAlias = (label: string, aliasName: string): RuleExamples => ({ satisfies: [OK_CREATE_ALIAS], breaks: [req(label, 'CreateAlias', { ...validInput('CreateAlias'), AliasName: aliasName })] });
const OK_DELETE_ALIAS = req('alias/example', 'DeleteAlias', validInput('DeleteAlias'));

const ALIAS_EXAMPLES: Readonly<Record<string, RuleExamples>> = {
  'CreateAlias.AliasName.prefix': {
    satisfies: [OK_CREATE_ALIAS],
    breaks: [req('ExampleAlias (no prefix)', 'CreateAlias', { ...validInput('CreateAlias'), AliasName: 'ExampleAlias' }), req('alias/ alone (unspecified)', 'CreateAlias', { ...validInput('CreateAlias'), AliasName: 'alias/' })],
  },
  'CreateAlias.AliasName.reserved': createAlias('alias/aws/s3', 'alias/aws/s3'),
  'CreateAlias.AliasName.characters': createAlias('alias/team:payments', 'alias/team:payments'),
  'CreateAlias.AliasName.exists': createAlias('alias/example, which exists', EXAMPLE_ALIAS),
  'DeleteAlias.AliasName.prefix': { satisfies: [OK_DELETE_ALIAS], breaks: [req('example (no prefix)', 'DeleteAlias', { AliasName: 'example' })] },
  'DeleteAlias.AliasName.notFound': { satisfies: [OK_DELETE_ALIAS], breaks: [req('alias/missing', 'DeleteAlias', { AliasName: 'alias/missing' })] },
};

/** The keys and aliases of {@link EXAMPLE_WORLD} in its account and Region, as ListKeys and ListAliases answer them. */
const LISTED_KEYS = EXAMPLE_WORLD.keys.filter((k) => k.accountId === DEFAULT_ACCOUNT && k.region === DEFAULT_REGION).map((k) => ({ KeyId: k.keyId, KeyArn: k.arn }));
const LISTED_ALIASES = EXAMPLE_WORLD.aliases.map((a) => ({ AliasName: a.name, AliasArn: a.arn, TargetKeyId: a.targetKeyId }));

const LISTING_EXAMPLES: Readonly<Record<string, RuleExamples>> = {
  'ListKeys.Marker.issued': {
    satisfies: [req('no Marker', 'ListKeys', {})],
    breaks: [req('a Marker the target never issued', 'ListKeys', { Marker: 'made-up' }, { context: { markerIssued: false } }), req('a Marker of unknown origin (unspecified)', 'ListKeys', { Marker: 'made-up' })],
  },
  'ListAliases.Marker.issued': {
    satisfies: [req('no Marker', 'ListAliases', {})],
    breaks: [req('a Marker the target never issued', 'ListAliases', { Marker: 'made-up' }, { context: { markerIssued: false } })],
  },
  'ListAliases.Limit.documented': { satisfies: [req('Limit 100', 'ListAliases', { Limit: 100 })], breaks: [req('Limit 101', 'ListAliases', { Limit: 101 })] },
  'ListKeys.output.keys': {
    satisfies: [answer('every key of the account and Region', 'ListKeys', {}, { Keys: LISTED_KEYS, Truncated: false }), answer('a truncated first page', 'ListKeys', { Limit: 2 }, { Keys: LISTED_KEYS.slice(0, 2), Truncated: true, NextMarker: 'm' })],
    breaks: [
      answer('a complete listing without the example key', 'ListKeys', {}, { Keys: LISTED_KEYS.filter((k) => k.KeyId !== EXAMPLE_KEY_ID), Truncated: false }),
      answer('a KeyArn of another key', 'ListKeys', {}, { Keys: [{ KeyId: EXAMPLE_KEY_ID, KeyArn: PENDING_ARN }, ...LISTED_KEYS], Truncated: false }),
      answer('more keys than Limit', 'ListKeys', { Limit: 1 }, { Keys: LISTED_KEYS.slice(0, 2), Truncated: true, NextMarker: 'm' }),
      answer('truncated without NextMarker', 'ListKeys', { Limit: 2 }, { Keys: LISTED_KEYS.slice(0, 2), Truncated: true }),
    ],
  },
  'ListAliases.output.aliases': {
    satisfies: [
      answer('every alias', 'ListAliases', {}, { Aliases: LISTED_ALIASES, Truncated: false }),
      answer("the example key's aliases", 'ListAliases', { KeyId: EXAMPLE_KEY_ID }, { Aliases: LISTED_ALIASES, Truncated: false }),
    ],
    breaks: [
      answer('a complete listing without alias/example', 'ListAliases', {}, { Aliases: [], Truncated: false }),
      answer('an alias of another key when KeyId is given', 'ListAliases', { KeyId: stateKeyId('Enabled') }, { Aliases: LISTED_ALIASES, Truncated: false }),
      answer('an AliasName without alias/', 'ListAliases', {}, { Aliases: [...LISTED_ALIASES, { AliasName: 'example2', AliasArn: aliasArn('alias/example2', DEFAULT_REGION, DEFAULT_ACCOUNT) }], Truncated: false }),
    ],
  },
};

const HAND_EXAMPLES: Readonly<Record<string, RuleExamples>> = {
  'PutKeyPolicy.PolicyName.default': { satisfies: [OK_PUT], breaks: [req('PolicyName omitted', 'PutKeyPolicy', withMember('PutKeyPolicy', 'PolicyName', undefined))] },
  'PutKeyPolicy.PolicyName.onlyDefault': { satisfies: [OK_PUT], breaks: [req('PolicyName "foo"', 'PutKeyPolicy', PUT({ PolicyName: 'foo' }))] },
  'GetKeyPolicy.PolicyName.default': { satisfies: [req('PolicyName default', 'GetKeyPolicy', validInput('GetKeyPolicy'))], breaks: [req('PolicyName omitted', 'GetKeyPolicy', { KeyId: EXAMPLE_KEY_ID })] },
  'GetKeyPolicy.PolicyName.onlyDefault': { satisfies: [req('PolicyName default', 'GetKeyPolicy', validInput('GetKeyPolicy'))], breaks: [req('PolicyName "foo"', 'GetKeyPolicy', { KeyId: EXAMPLE_KEY_ID, PolicyName: 'foo' })] },
  'KeyId.keyId': keyIdBreak('a key id', EXAMPLE_KEY_ID, 'PutKeyPolicy', arnOf(EXAMPLE_KEY_ID)),
  'KeyId.mrk': keyIdBreak('an mrk id', EXAMPLE_MRK_ID),
  'KeyId.arn': keyIdBreak('a key ARN', arnOf(EXAMPLE_KEY_ID)),
  'KeyId.notFound': keyIdBreak('an absent key id', ABSENT_KEY_ID),
  'KeyId.malformed': keyIdBreak('fake-key-id', 'fake-key-id'),
  'KeyId.malformedArn': keyIdBreak('an ARN of no key', `arn:aws:kms:${DEFAULT_REGION}:${DEFAULT_ACCOUNT}:widget/1`),
  'KeyId.alias': keyIdBreak('alias/example', EXAMPLE_ALIAS),
  'KeyId.aliasArn': keyIdBreak('an alias ARN', aliasArn(EXAMPLE_ALIAS, DEFAULT_REGION, DEFAULT_ACCOUNT)),
  'KeyId.aliasNotFound': keyIdBreak('alias/missing', 'alias/missing', 'DescribeKey', EXAMPLE_ALIAS),
  'KeyId.otherRegionArn': keyIdBreak('a us-west-2 key ARN', arnOf(EXAMPLE_WEST_KEY_ID, 'us-west-2')),
  'KeyId.otherRegionKeyId': keyIdBreak('the key id of a us-west-2 key', EXAMPLE_WEST_KEY_ID),
  'KeyId.otherAccount': keyIdBreak("another account's key ARN", arnOf(EXAMPLE_FOREIGN_KEY_ID, DEFAULT_REGION, OTHER_ACCOUNT)),
  'KeyId.otherPartition': keyIdBreak('an aws-cn key ARN', arnOf(EXAMPLE_KEY_ID, DEFAULT_REGION, DEFAULT_ACCOUNT, 'aws-cn')),
  'PutKeyPolicy.Policy.size.quota': policyBreak('a 40,000-byte policy', DEFAULT_KEY_POLICY(DEFAULT_ACCOUNT) + ' '.repeat(40_000)),
  'PutKeyPolicy.Policy.charset.printable': policyBreak('a Sid with DEL', examplePolicy([exampleStatement({ Sid: 'a\u007fb' })])),
  'PutKeyPolicy.Policy.document.json': policyBreak('not JSON', 'not a real policy statement'),
  'PutKeyPolicy.Policy.document.object': policyBreak('a JSON array', '[]'),
  'PutKeyPolicy.Policy.document.duplicateKey': policyBreak('Version twice', `{"Version":"2012-10-17","Version":"2012-10-17","Statement":[${JSON.stringify(exampleStatement())}]}`),
  'PutKeyPolicy.Policy.document.unknownElement': policyBreak('a top-level Foo', examplePolicy(undefined, { Foo: 1 })),
  'PutKeyPolicy.Policy.document.version': policyBreak('Version 2000-01-01', examplePolicy(undefined, { Version: '2000-01-01' })),
  'PutKeyPolicy.Policy.document.id': policyBreak('Id a number', examplePolicy(undefined, { Id: 5 })),
  'PutKeyPolicy.Policy.document.statement': policyBreak('no statements', examplePolicy([])),
  'PutKeyPolicy.Policy.statement.unknownElement': policyBreak('a statement element Foo', examplePolicy([exampleStatement({ Foo: 'x' })])),
  'PutKeyPolicy.Policy.statement.sid': policyBreak('Sid a number', examplePolicy([exampleStatement({ Sid: 5 })])),
  'PutKeyPolicy.Policy.statement.effect': policyBreak('Effect Maybe', examplePolicy([exampleStatement({ Effect: 'Maybe' })])),
  'PutKeyPolicy.Policy.statement.principal.required': policyBreak('no Principal', examplePolicy([exampleStatement(), exampleStatement({ Sid: 'No principal', Principal: undefined })])),
  'PutKeyPolicy.Policy.statement.principal.valid': policyBreak('Principal AWS a number', examplePolicy([exampleStatement(), exampleStatement({ Sid: 'Bad', Principal: { AWS: 5 } })])),
  'PutKeyPolicy.Policy.statement.principal.arn': policyBreak(
    'Principal AWS arn:aws:iam::12345:root',
    examplePolicy([exampleStatement(), exampleStatement({ Sid: 'Bad', Principal: { AWS: 'arn:aws:iam::12345:root' } })]),
  ),
  'PutKeyPolicy.Policy.statement.principal.exists': policyBreak(
    'a user that does not exist',
    examplePolicy([exampleStatement(), exampleStatement({ Sid: 'Ghost', Principal: { AWS: `arn:aws:iam::${DEFAULT_ACCOUNT}:user/ghost` } })]),
  ),
  'PutKeyPolicy.Policy.statement.notPrincipal': policyBreak('NotPrincipal with Allow', examplePolicy([exampleStatement(), exampleStatement({ Sid: 'NP', Principal: undefined, NotPrincipal: { AWS: ROOT } })])),
  'PutKeyPolicy.Policy.statement.notPrincipal.deny': policyBreak(
    'NotPrincipal with Deny',
    examplePolicy([exampleStatement(), exampleStatement({ Sid: 'NP', Effect: 'Deny', Principal: undefined, NotPrincipal: { AWS: ROOT }, Action: 'kms:ScheduleKeyDeletion' })]),
  ),
  'PutKeyPolicy.Policy.statement.action.missing': {
    satisfies: [OK_PUT],
    breaks: [
      req('no Action (2025-06-05: accepted)', 'PutKeyPolicy', PUT({ Policy: NO_ACTION })),
      req('no Action (2017-02-15: rejected)', 'PutKeyPolicy', PUT({ Policy: NO_ACTION }), { version: '2017-02-15' }),
    ],
  },
  'PutKeyPolicy.Policy.statement.action.valid': policyBreak('Action a number', examplePolicy([exampleStatement(), exampleStatement({ Sid: 'Bad', Action: 5 })])),
  'PutKeyPolicy.Policy.statement.resource.missing': {
    satisfies: [OK_PUT],
    breaks: [
      req('no Resource (2025-06-05: accepted)', 'PutKeyPolicy', PUT({ Policy: NO_RESOURCE })),
      req('no Resource (2024-03-18: rejected)', 'PutKeyPolicy', PUT({ Policy: NO_RESOURCE }), { version: '2024-03-18' }),
    ],
  },
  'PutKeyPolicy.Policy.statement.resource.valid': policyBreak('Resource a number', examplePolicy([exampleStatement(), exampleStatement({ Sid: 'Bad', Resource: 5 })])),
  'PutKeyPolicy.Policy.statement.condition': policyBreak('Condition a string', examplePolicy([exampleStatement(), exampleStatement({ Sid: 'Bad', Condition: 'x' })])),
  'PutKeyPolicy.Policy.lockout': policyBreak('the caller may only describe the key', LOCKOUT_POLICY),
  'PutKeyPolicy.BypassPolicyLockoutSafetyCheck.skipsLockout': {
    satisfies: [req('a lockout policy without bypass', 'PutKeyPolicy', PUT({ Policy: LOCKOUT_POLICY }))],
    breaks: [req('a lockout policy with bypass', 'PutKeyPolicy', PUT({ Policy: LOCKOUT_POLICY, BypassPolicyLockoutSafetyCheck: true }))],
  },
  'Consistency.eventual': {
    satisfies: [req('a settled key', 'DescribeKey', validInput('DescribeKey'))],
    breaks: [req('one second after CreateKey', 'DescribeKey', validInput('DescribeKey'), { context: { msSinceKeyChange: 1000 } })],
  },
  'Operation.awsManagedKey': keyIdBreak('an AWS managed key', EXAMPLE_AWS_MANAGED_KEY_ID),
  'Authorization.keyPolicy': {
    satisfies: [OK_PUT, req('DescribeKey on the locked key (kms:Describe* allowed)', 'DescribeKey', { KeyId: EXAMPLE_LOCKED_KEY_ID })],
    breaks: [req('PutKeyPolicy on a key whose policy locks the caller out', 'PutKeyPolicy', PUT({ KeyId: EXAMPLE_LOCKED_KEY_ID }))],
  },
  'Authorization.iamPolicy': {
    satisfies: [req('an administrator creates a key', 'CreateKey', {})],
    breaks: [{ kind: 'request', label: 'a caller whose IAM policy allows only kms:Describe*', request: { operation: 'CreateKey', input: {} }, caller: { ...DEFAULT_CALLER, iam: { kind: 'known', actions: ['kms:Describe*'] } } }],
  },
  'ScheduleKeyDeletion.PendingWindowInDays.documented': {
    satisfies: [req('7 days', 'ScheduleKeyDeletion', validInput('ScheduleKeyDeletion'))],
    breaks: [req('31 days', 'ScheduleKeyDeletion', { KeyId: EXAMPLE_KEY_ID, PendingWindowInDays: 31 })],
  },
  'CreateKey.KeyUsage.required': {
    satisfies: [req('a symmetric key without KeyUsage', 'CreateKey', {}), req('an HMAC key with its usage', 'CreateKey', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })],
    breaks: [req('an HMAC key without KeyUsage', 'CreateKey', { KeySpec: 'HMAC_256' })],
  },
  'CreateKey.KeyUsage.compatible': {
    satisfies: [req('an RSA signing key', 'CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })],
    breaks: [req('an RSA key agreement key', 'CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'KEY_AGREEMENT' }), req('a symmetric signing key', 'CreateKey', { KeyUsage: 'SIGN_VERIFY' })],
  },
  'CreateKey.Tags.reservedPrefix': {
    satisfies: [req('a tag team=payments', 'CreateKey', { Tags: [{ TagKey: 'team', TagValue: 'payments' }] })],
    breaks: [req('a tag key aws:team', 'CreateKey', { Tags: [{ TagKey: 'aws:team', TagValue: 'payments' }] }), req('a tag key AWS:team', 'CreateKey', { Tags: [{ TagKey: 'AWS:team', TagValue: 'payments' }] })],
  },
  'CreateKey.Tags.max': {
    satisfies: [req('50 tags', 'CreateKey', { Tags: Array.from({ length: 50 }, (_, i) => ({ TagKey: `key${i}`, TagValue: 'v' })) })],
    breaks: [req('51 tags', 'CreateKey', { Tags: Array.from({ length: 51 }, (_, i) => ({ TagKey: `key${i}`, TagValue: 'v' })) })],
  },
  'CreateKey.scope': { satisfies: [req('a symmetric key', 'CreateKey', {})], breaks: [req('an RSA signing key', 'CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })] },
  ...ALIAS_EXAMPLES,
  ...LISTING_EXAMPLES,
};

function keyStateExamples(rule: Rule): RuleExamples | undefined {
  const m = /^KeyState\.(\w+)\.(\w+)$/.exec(rule.id);
  if (!m) return undefined;
  const op = m[1] as OperationName;
  const state = m[2] as KeyState;
  const other = KEY_STATES.find((s) => s !== state && keyStateCell(op, s)?.kind === 'ok') ?? KEY_STATES.find((s) => s !== state)!;
  return {
    satisfies: [req(`${op} on a ${other} key`, op, validInput(op, stateKeyId(other)))],
    breaks: [req(`${op} on a ${state} key`, op, validInput(op, stateKeyId(state)))],
  };
}

function throttlingExamples(rule: Rule): RuleExamples | undefined {
  const m = /^Throttling\.(\w+)$/.exec(rule.id);
  if (!m) return undefined;
  const op = m[1] as OperationName;
  return {
    satisfies: [req('1 request per second', op, validInput(op), { context: { requestsPerSecond: 1 } })],
    breaks: [req(`${REQUEST_QUOTAS[op] + 1} requests per second`, op, validInput(op), { context: { requestsPerSecond: REQUEST_QUOTAS[op] + 1 } })],
  };
}

/**
 * The worked examples of a rule, or `undefined` when the rule has none (the catalogue test fails
 * for such a rule, so new rules cannot slip in untested).
 */
export function examplesFor(rule: Rule): RuleExamples | undefined {
  return memberExamples(rule) ?? WIRE_EXAMPLES[rule.id] ?? AUTH_EXAMPLES[rule.id] ?? OUTPUT_EXAMPLES[rule.id] ?? TRANSITION_EXAMPLES[rule.id] ?? HAND_EXAMPLES[rule.id] ?? keyStateExamples(rule) ?? throttlingExamples(rule);
}
