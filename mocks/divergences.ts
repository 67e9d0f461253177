/**
 * Named divergence profiles: opt-in ways to make the mock misbehave like real emulators do, so the
 * conformance suite can be shown to catch them (ARCHITECTURE.md, "Mock model essentials"). None is
 * on by default; every one breaks the documented contract on purpose, and with none on the mock's
 * request path is exactly the faithful one.
 *
 * Where each acts:
 * - the expectation (`divergeExpectation`): checks skipped, answers changed before the model applies;
 * - the model (`kms-model.ts`): key resolution, stored and returned policies, key specs;
 * - the wire (`divergeResponse`, `handler.ts`): bodies, headers, statuses, dropped connections.
 */
import { MODEL, utf8Length } from '../contract/model.ts';
import { CONSTRAINT_TEXT, policySizeMessage, validationMessage } from '../contract/messages.ts';
import { parseKeyIdentifier, resolveKey } from '../contract/keyid.ts';
import { readErrorResponse } from '../contract/oracle.ts';
import { POLICY_OPERATIONS } from '../contract/rules/index.ts';
import type { WireResponse } from '../contract/wire.ts';
import type { Expectation, OperationName, OracleRequest, Violation, World } from '../contract/types.ts';

/** What each profile does, and which emulator behaviour it imitates (one line each: `serve --divergence list`). */
export const DIVERGENCES = {
  'skip-lockout-check': 'accepts policies that lock the caller out (no lockout safety check), as emulators without IAM evaluation do',
  'skip-principal-check': 'accepts principals that do not exist (no "principals must exist" check)',
  'skip-size-quota': 'accepts key policies over the 32 KB quota (only the model length is checked)',
  'policy-name-required': 'rejects PutKeyPolicy and GetKeyPolicy without PolicyName (ValidationException "Member must not be null"), as emulators built on the pre-2024-03 model do, although PolicyName has been optional since 2024-03-18',
  'reformat-policy': 'GetKeyPolicy returns the policy re-serialised as compact JSON instead of the text as sent',
  'omit-request-id': 'sends no x-amzn-RequestId header',
  'policy-name-any': 'accepts any PolicyName that matches the pattern (e.g. "foo") and treats it as "default", instead of failing',
  'no-policy-validation': 'stores any Policy string the model constraints admit: no JSON, grammar, principal, lockout, size or charset checks',
  'ignore-bypass': 'ignores BypassPolicyLockoutSafetyCheck: a lockout policy is rejected even with the flag true',
  'malformed-key-id-validation': 'answers a malformed KeyId with ValidationException (400) instead of NotFoundException "Invalid keyId"',
  'accept-other-region-arn': "accepts a key ARN of another Region of the caller's account and acts on that key",
  'resolve-aliases': 'resolves alias names and alias ARNs in PutKeyPolicy, GetKeyPolicy and the other key operations, not only in DescribeKey',
  'reject-pending-deletion': 'rejects PutKeyPolicy on a key pending deletion with KMSInvalidStateException',
  'reject-disabled': 'rejects PutKeyPolicy on a disabled key with KMSInvalidStateException',
  'enable-pending-import': 'lets EnableKey enable a key that is pending import (no key material)',
  'html-errors': 'answers requests the wire layer rejects (bad JSON, unknown or missing target, wrong content type, …) with an HTML page',
  'store-wrong-types': 'stores members of the wrong JSON type as they come (a number Policy as its text, "true" as a boolean) instead of SerializationException',
  'missing-error-type': 'sends error bodies without __type (only the message)',
  'null-success-body': 'answers a successful PutKeyPolicy, EnableKey, DisableKey (Unit outputs) with the body null',
  'get-policy-default': 'GetKeyPolicy always returns the default key policy, not the policy put (the write is stored, never read back)',
  'json-content-type': 'labels responses Content-Type application/json instead of application/x-amz-json-1.1',
  'state-lost-disable-enable': 'EnableKey on a disabled key resets its key policy to the default (the policy put before DisableKey is lost); only a sequence of requests shows it',
  'limit-exceeded-429': 'sends LimitExceededException (an oversize key policy) with HTTP 429 Too Many Requests instead of 400, as error mappers that treat every limit as rate limiting do',
  'policy-pattern-ascii': 'applies the Policy pattern with ASCII ranges only ([\\u0009\\u000A\\u000D\\u0020-\\u007E]+), refusing the characters U+0080 to U+00FF the pattern allows with ValidationException',
  'size-quota-32000': 'enforces the 32 KB key policy quota as 32,000 bytes instead of 32,768 (a KB read as 1,000 bytes): a policy of 32,001 to 32,768 bytes gets LimitExceededException',
} as const;

/** Name of a divergence profile. */
export type DivergenceName = keyof typeof DIVERGENCES;

/**
 * The contract rules each profile breaks: a full run against the mock with the profile on must
 * fail exactly these rules and pass every other (`suites/divergence.test.ts`).
 */
export const DIVERGENCE_BREAKS: Readonly<Record<DivergenceName, readonly string[]>> = {
  'skip-lockout-check': ['PutKeyPolicy.Policy.lockout'],
  'skip-principal-check': ['PutKeyPolicy.Policy.statement.principal.exists'],
  'skip-size-quota': ['PutKeyPolicy.Policy.size.quota'],
  'policy-name-required': ['PutKeyPolicy.PolicyName.default', 'GetKeyPolicy.PolicyName.default'],
  'reformat-policy': ['GetKeyPolicy.output.defaultPolicyText'],
  'omit-request-id': ['Wire.success.requestId'],
  'policy-name-any': ['PutKeyPolicy.PolicyName.onlyDefault', 'GetKeyPolicy.PolicyName.onlyDefault'],
  // Every document check an emulator makes by reading the policy, each with a case that breaks only it.
  // (action.missing, resource.missing and notPrincipal.deny accept success under the latest contract;
  // duplicateKey accepts either answer; charset.printable's DEL is also accepted by the latest model.)
  'no-policy-validation': [
    'PutKeyPolicy.Policy.document.id',
    'PutKeyPolicy.Policy.document.json',
    'PutKeyPolicy.Policy.document.object',
    'PutKeyPolicy.Policy.document.statement',
    'PutKeyPolicy.Policy.document.unknownElement',
    'PutKeyPolicy.Policy.document.version',
    'PutKeyPolicy.Policy.lockout',
    'PutKeyPolicy.Policy.size.quota',
    'PutKeyPolicy.Policy.statement.action.valid',
    'PutKeyPolicy.Policy.statement.condition',
    'PutKeyPolicy.Policy.statement.effect',
    'PutKeyPolicy.Policy.statement.notPrincipal',
    'PutKeyPolicy.Policy.statement.principal.arn',
    'PutKeyPolicy.Policy.statement.principal.exists',
    'PutKeyPolicy.Policy.statement.principal.required',
    'PutKeyPolicy.Policy.statement.principal.valid',
    'PutKeyPolicy.Policy.statement.resource.valid',
    'PutKeyPolicy.Policy.statement.sid',
    'PutKeyPolicy.Policy.statement.unknownElement',
  ],
  'ignore-bypass': ['PutKeyPolicy.BypassPolicyLockoutSafetyCheck.skipsLockout'],
  'malformed-key-id-validation': ['KeyId.malformed'],
  'accept-other-region-arn': ['KeyId.otherRegionArn'],
  'resolve-aliases': ['KeyId.alias', 'KeyId.aliasArn'],
  'reject-pending-deletion': ['KeyState.PutKeyPolicy.PendingDeletion'],
  'reject-disabled': ['KeyState.PutKeyPolicy.Disabled'],
  'enable-pending-import': ['KeyState.EnableKey.PendingImport'],
  // The page is not an AWS JSON error, and it is labelled text/html.
  'html-errors': ['Wire.error.shape', 'Wire.response.contentType'],
  // Every member type rule whose coerced value the operation then accepts or answers with another
  // error than the type rules allow. Not here: enum members, AliasName (the coerced text fails the
  // enum or pattern check: ValidationException, which the type rules accept) and lists (not coerced).
  'store-wrong-types': [
    'Wire.member.type',
    // Members whose wrong type then fails another check with the right code (ValidationException)
    // but not the type error's quoted message: caught as wrong_message on the type rule.
    'CreateKey.KeyUsage.type',
    'CreateKey.CustomerMasterKeySpec.type',
    'CreateKey.KeySpec.type',
    'CreateKey.Origin.type',
    'CreateAlias.AliasName.type',
    'DeleteAlias.AliasName.type',
    'CancelKeyDeletion.KeyId.type',
    'CreateAlias.TargetKeyId.type',
    'CreateKey.BypassPolicyLockoutSafetyCheck.type',
    'CreateKey.CustomKeyStoreId.type',
    'CreateKey.Description.type',
    'CreateKey.MultiRegion.type',
    'CreateKey.Policy.type',
    'CreateKey.XksKeyId.type',
    'DescribeKey.KeyId.type',
    'DisableKey.KeyId.type',
    'EnableKey.KeyId.type',
    'GetKeyPolicy.KeyId.type',
    'GetKeyPolicy.PolicyName.type',
    'ListAliases.KeyId.type',
    'ListAliases.Limit.type',
    'ListAliases.Marker.type',
    'ListKeyPolicies.KeyId.type',
    'ListKeyPolicies.Limit.type',
    'ListKeyPolicies.Marker.type',
    'ListKeys.Limit.type',
    'ListKeys.Marker.type',
    'PutKeyPolicy.BypassPolicyLockoutSafetyCheck.type',
    'PutKeyPolicy.KeyId.type',
    'PutKeyPolicy.Policy.type',
    'PutKeyPolicy.PolicyName.type',
    'ScheduleKeyDeletion.KeyId.type',
    'ScheduleKeyDeletion.PendingWindowInDays.type',
  ],
  'missing-error-type': ['Wire.error.shape'],
  'null-success-body': ['Wire.success.emptyOutput'],
  // It breaks GetKeyPolicy.output.policy too, but a single request cannot see that: a key the run
  // sets up has the policy GetKeyPolicy answers unless a PutKeyPolicy changed it, which only the
  // read-after-write check (PutKeyPolicy.after.policy) follows.
  'get-policy-default': ['PutKeyPolicy.after.policy'],
  'json-content-type': ['Wire.response.contentType'],
  // Seen only by a sequence (PutKeyPolicy, DisableKey, EnableKey, then the policy read back): a
  // single request runs on a key whose policy the set-up chose, and no case reads it after EnableKey.
  'state-lost-disable-enable': ['KeyState.after.policy'],
  // The status is part of each rule's outcome: the quota rule's case fails, and so does the rule on
  // the statuses of client errors.
  'limit-exceeded-429': ['ErrorStatus.observed400', 'PutKeyPolicy.Policy.size.quota'],
  // Caught by the valid policies of exactly 32,768 bytes: refused with LimitExceededException,
  // they name the size quota among their candidates (scoring/verdict.ts, refusalCandidates).
  'size-quota-32000': ['PutKeyPolicy.Policy.size.quota'],
  // Caught by valid policies with Latin-1 characters: the ValidationException's message names the
  // member and the pattern constraint (scoring/verdict.ts, validationMessageRules).
  'policy-pattern-ascii': ['PutKeyPolicy.Policy.pattern'],
};

/** Profiles that only skip a check: the violations of these rules disappear. */
const IGNORED_RULES: Partial<Record<DivergenceName, (ruleId: string) => boolean>> = {
  'skip-lockout-check': (id) => id === 'PutKeyPolicy.Policy.lockout',
  'skip-principal-check': (id) => id === 'PutKeyPolicy.Policy.statement.principal.exists',
  'skip-size-quota': (id) => id === 'PutKeyPolicy.Policy.size.quota',
  // Everything an emulator checks only by reading the document; the model constraints (required,
  // type, length, pattern) stay: the framework checks those before any handler code runs.
  'no-policy-validation': (id) =>
    /^(PutKeyPolicy|CreateKey)\.Policy\./.test(id) && !/\.Policy\.(required|type|length\.min|length\.max|pattern)$/.test(id),
  'policy-name-any': (id) => id === 'PutKeyPolicy.PolicyName.onlyDefault' || id === 'GetKeyPolicy.PolicyName.onlyDefault',
  'enable-pending-import': (id) => id === 'KeyState.EnableKey.PendingImport',
};


const KEY_OPERATIONS: ReadonlySet<OperationName> = new Set(['PutKeyPolicy', 'GetKeyPolicy', 'ListKeyPolicies', 'EnableKey', 'DisableKey', 'ScheduleKeyDeletion', 'CancelKeyDeletion']);

function error(ruleId: string, code: string, status: number, message: string): Violation {
  return { ruleId, outcomes: [{ kind: 'error', code, statuses: [status] }], message, respondWith: { code, status } };
}

/**
 * Whether a key identifier the contract rejects names a key the active profiles resolve anyway
 * (`accept-other-region-arn`, `resolve-aliases`).
 */
export function divergentKeyResolution(keyId: string, world: World, active: ReadonlySet<DivergenceName>): { keyId: string; region: string; accountId: string } | undefined {
  if (active.size === 0) return undefined;
  const parsed = parseKeyIdentifier(keyId);
  if ((parsed.kind === 'alias-name' || parsed.kind === 'alias-arn') && active.has('resolve-aliases')) {
    const r = resolveKey(keyId, world, 'DescribeKey');
    return r.kind === 'found' ? { keyId: r.key.keyId, region: r.key.region, accountId: r.key.accountId } : undefined;
  }
  if (parsed.kind !== 'key-arn' || parsed.partition !== world.partition) return undefined;
  const otherRegion = parsed.region !== world.region && parsed.accountId === world.accountId && active.has('accept-other-region-arn');
  if (!otherRegion) return undefined;
  const key = world.lookup?.key(parsed.keyId, parsed.region, parsed.accountId) ?? world.keys.find((k) => k.keyId === parsed.keyId && k.region === parsed.region && k.accountId === parsed.accountId);
  return key === undefined ? undefined : { keyId: key.keyId, region: key.region, accountId: key.accountId };
}

/**
 * Rewrites the oracle's expectation the way the active profiles misbehave: violations of ignored
 * rules disappear (and success is allowed when none is left); some profiles add a violation the
 * contract does not have (`policy-name-required`, `ignore-bypass`, `reject-*`) or answer one with
 * another error (`malformed-key-id-validation`). `world` is the one the oracle saw (needed by the
 * profiles that resolve identifiers the contract rejects).
 */
export function divergeExpectation(e: Expectation, active: ReadonlySet<DivergenceName>, request: OracleRequest, world?: World): Expectation {
  if (active.size === 0 || e.kind !== 'decided') return e;
  const ignores = [...active].flatMap((d) => IGNORED_RULES[d] ?? []);
  const keyId = typeof request.input.KeyId === 'string' ? request.input.KeyId : undefined;
  const resolvedAnyway = keyId !== undefined && world !== undefined && KEY_OPERATIONS.has(request.operation) && divergentKeyResolution(keyId, world, active) !== undefined;
  let violations: Violation[] = e.violations.filter((v) => {
    if (ignores.some((ignored) => ignored(v.ruleId))) return false;
    if (resolvedAnyway && ['KeyId.alias', 'KeyId.aliasArn', 'KeyId.otherRegionArn'].includes(v.ruleId)) return false;
    return true;
  });
  if (active.has('malformed-key-id-validation')) {
    violations = violations.map((v) =>
      v.ruleId === 'KeyId.malformed' ? error(v.ruleId, 'ValidationException', 400, `1 validation error detected: Value '${String(keyId)}' at 'keyId' failed to satisfy constraint: Member must be a key id or key ARN`) : v,
    );
  }
  const added: Violation[] = [];
  const policyNameOperation = request.operation === 'PutKeyPolicy' || request.operation === 'GetKeyPolicy';
  if (active.has('policy-name-required') && policyNameOperation && request.input.PolicyName === undefined) {
    added.push({
      ruleId: `${request.operation}.PolicyName.required`,
      outcomes: [{ kind: 'error', code: 'ValidationException', statuses: [400] }],
      message: validationMessage([{ member: 'PolicyName', value: null, constraint: CONSTRAINT_TEXT.required() }]),
      path: 'PolicyName',
      respondWith: { code: 'ValidationException', status: 400 },
    });
  }
  if (violations.length === 0) {
    // The contract accepts the request; some profiles still refuse it.
    const has = (id: string): boolean => e.rules.includes(id);
    if (active.has('ignore-bypass') && has('PutKeyPolicy.BypassPolicyLockoutSafetyCheck.skipsLockout')) {
      added.push(error('PutKeyPolicy.Policy.lockout', 'MalformedPolicyDocumentException', 400, 'The new key policy will not allow you to update the key policy in the future.'));
    }
    if (active.has('reject-pending-deletion') && has('KeyState.PutKeyPolicy.PendingDeletion')) {
      added.push(error('KeyState.PutKeyPolicy.PendingDeletion', 'KMSInvalidStateException', 400, `${String(keyId)} is pending deletion.`));
    }
    // The Policy member of the operations that carry a key policy.
    const policy = POLICY_OPERATIONS.includes(request.operation) && typeof request.input.Policy === 'string' ? request.input.Policy : undefined;
    if (active.has('policy-pattern-ascii') && policy !== undefined && /[\u0080-\u00ff]/.test(policy)) {
      const message = validationMessage([{ member: 'Policy', value: policy, constraint: CONSTRAINT_TEXT.pattern('[\\u0009\\u000A\\u000D\\u0020-\\u007E]+') }]);
      added.push(error(`${request.operation}.Policy.pattern`, 'ValidationException', 400, message));
    }
    if (active.has('size-quota-32000') && policy !== undefined) {
      const bytes = utf8Length(policy);
      if (bytes > 32_000) added.push(error('PutKeyPolicy.Policy.size.quota', 'LimitExceededException', 400, policySizeMessage(bytes, 32_000)));
    }
    if (active.has('reject-disabled') && has('KeyState.PutKeyPolicy.Disabled')) {
      added.push(error('KeyState.PutKeyPolicy.Disabled', 'KMSInvalidStateException', 400, `${String(keyId)} is disabled.`));
    }
  }
  violations = [...added, ...violations];
  if (violations.length === e.violations.length && violations.every((v, i) => v === e.violations[i])) return e;
  const outcomes = violations.length === 0 ? [{ kind: 'success' as const }] : violations[0] === e.violations[0] ? e.outcomes : violations[0]!.outcomes;
  return { ...e, outcomes, violations };
}

/** Re-serialises a policy as compact JSON (the `reformat-policy` profile); text that is not JSON stays as it is. */
export function reformatPolicy(policy: string): string {
  try {
    return JSON.stringify(JSON.parse(policy));
  } catch {
    return policy;
  }
}


/**
 * The members of a JSON body coerced to the types the operation models, as an emulator that
 * stores what it gets would read them (`store-wrong-types`): strings from numbers, booleans and
 * objects; booleans from `"true"`/`"false"`; integers from numeric strings. `undefined` when the
 * body is not a JSON object.
 */
export function coerceMembers(operation: OperationName, body: Uint8Array): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const members = MODEL.operations[operation].input;
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    const type = members[name]?.type;
    if (type === undefined || v === null) continue;
    if ((type === 'string' || type === 'enum') && typeof v !== 'string') out[name] = typeof v === 'object' ? JSON.stringify(v) : String(v);
    else if (type === 'boolean' && typeof v !== 'boolean') out[name] = v === 'true' || v === 1;
    else if (type === 'integer' && typeof v !== 'number') out[name] = Number(v);
    else out[name] = v;
  }
  return out;
}

const HTML_PAGE = '<!doctype html><html><head><title>400 Bad Request</title></head><body><h1>Bad Request</h1></body></html>';

/**
 * Rewrites a response the way the wire-level profiles misbehave. `wireError` says the request
 * failed in the wire layer (before routing to an operation).
 */
export function divergeResponse(response: WireResponse, active: ReadonlySet<DivergenceName>, wireError: boolean): WireResponse {
  if (active.size === 0) return response;
  const { status } = response;
  let { body } = response;
  let headers: Record<string, string> = { ...response.headers };
  const isError = status >= 300;
  if (isError && wireError && active.has('html-errors')) {
    body = HTML_PAGE;
    headers['content-type'] = 'text/html; charset=utf-8';
  } else if (isError && active.has('missing-error-type')) {
    const { __type: _type, ...rest } = JSON.parse(body) as Record<string, unknown>;
    body = JSON.stringify(rest);
  }
  if (!isError && body === '' && active.has('null-success-body')) body = 'null';
  // Read from the answer as the mock made it: another profile may have taken `__type` out.
  const read = isError && active.has('limit-exceeded-429') ? readErrorResponse(response) : undefined;
  const sent = read?.kind === 'error' && read.code === 'LimitExceededException' ? 429 : status;
  if (active.has('json-content-type') && headers['content-type'] !== undefined && headers['content-type'].startsWith('application/x-amz-json-1.1')) {
    headers['content-type'] = 'application/json';
  }
  if (active.has('omit-request-id')) {
    const { 'x-amzn-requestid': _omitted, ...rest } = headers;
    headers = rest;
  }
  if (body !== response.body) headers['content-length'] = String(new TextEncoder().encode(body).byteLength);
  return { status: sent, headers, body };
}
