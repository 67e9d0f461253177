/**
 * The oracle: what a conforming KMS may answer to a request, given the world it runs in (keys,
 * aliases, principals), the caller and the contract version.
 *
 * Check order (the bundled mock answers with the FIRST violation; scoring accepts the outcome of
 * ANY violated rule, because KMS documents no order — contract notes §11.14):
 * (authentication, when asked: decisions/0506) → member types → required →
 * length/pattern/range/enum (one ValidationException listing every failure) → PolicyName
 * only-default → alias name (decision 0220) → key identifier → key state → permissions of the key
 * policy in force (decisions/0501) → for CreateKey: key usage for the key spec, tags (decisions/0605,
 * 0606) → permissions of the caller's IAM policy → listing marker (decision 0221) → policy document
 * (also when the Policy failed only its pattern or minimum length, decisions/0602) → principals →
 * size quota → lockout (unless
 * BypassPolicyLockoutSafetyCheck is true; checked against the named key even when it does not
 * exist, decisions/0500).
 *
 * A ThrottlingException is accepted for every decided request at any rate (`accepts`,
 * decisions/0603).
 *
 * A wrong JSON type is exclusive: the body cannot be deserialised, so no later check runs
 * (decisions/0214). Next to a violation, an unspecified point adds its rule's errors to the
 * accepted outcomes (decisions/0500).
 */
import { isRequired, MODEL, patternOf, scalarLength, utf8Length } from './model.ts';
import type { ModelMember } from './model.ts';
import { aliasArn, keyArn } from './identities.ts';
import { findAlias, findKey, keyMemberOf, parseKeyIdentifier, resolveKey } from './keyid.ts';
import {
  CONSTRAINT_TEXT,
  aliasExistsMessage,
  aliasNotFoundMessage,
  invalidMarkerMessage,
  reservedAliasMessage,
  INVALID_PRINCIPALS_MESSAGE,
  KEY_USAGE_REQUIRED_MESSAGE,
  RESERVED_TAG_MESSAGE,
  TOO_MANY_TAGS_MESSAGE,
  enumListFor,
  keyUsageIncompatibleMessage,
  accessDeniedMessage,
  LOCKOUT_MESSAGE,
  awsManagedKeyMessage,
  keyStateMessage,
  onlyDefaultPolicyNameMessage,
  pendingWindowMessage,
  policySizeMessage,
  serializationMessage,
  validationMessage,
} from './messages.ts';
import type { ValidationItem } from './messages.ts';
import type { PolicyDocument } from './policy/index.ts';
import { checkLockout, inspectPolicy, parsePolicy } from './policy/index.ts';
import { matchAction } from './policy/action.ts';
import {
  ALIAS_PREFIX_MESSAGE,
  CONSISTENCY_WINDOW_MS,
  FRAMEWORK_ERROR_STATUSES,
  KEY_USAGES_BY_SPEC,
  MAX_CREATE_KEY_TAGS,
  RESERVED_TAG_PREFIX,
  IAM_POLICY_OPERATIONS,
  KEY_POLICY_OPERATIONS,
  LIST_ALIASES_DOCUMENTED_LIMIT,
  NON_PRINTABLE_ALLOWED_BY_PATTERN,
  POLICY_SIZE_QUOTA_BYTES,
  REQUEST_QUOTAS,
  SUCCESS,
  THROTTLING,
  jsonTypeOf,
  keyStateCell,
  keyStateRuleId,
  markerRuleId,
  memberRuleId,
  outcomesFor,
  requireRule,
  throttlingRuleId,
} from './rules/index.ts';
import type { MemberConstraint } from './rules/index.ts';
import type { AcceptedOutcome, Caller, ContractVersionId, Expectation, KeyInfo, OperationName, OracleRequest, Violation, World } from './types.ts';
import { checkAuthentication } from './auth.ts';
import type { AuthenticationOptions } from './auth.ts';
import { checkOutput } from './output.ts';
import type { OutputContext } from './output.ts';
import { AWS_JSON_1_1, WIRE_RULES, decodeWireRequest, headerValue, mediaTypeOf, normaliseErrorType } from './wire.ts';
import type { DecodeOptions, WireHeaderValue, WireRequest, WireResponse } from './wire.ts';

// ---------------------------------------------------------------------------------------------
// Items: what each check contributes
// ---------------------------------------------------------------------------------------------

/**
 * What one check found. Internal to the oracle, exported for tests and the mock.
 * - `violation`: the request must fail with one of the rule's outcomes.
 * - `alternative`: the rule allows its error outcomes in addition to the settled answer (e.g.
 *   throttling above the quota, DEL/C1 characters, a stale read).
 * - `accepted`: the rule is involved and documents acceptance (a key ARN, a disabled key for
 *   PutKeyPolicy, a missing Action under 2025-06-05).
 * - `covered`: the rule is broken too, but its failure is reported inside another violation (the
 *   one ValidationException that lists every member failure).
 * - `unspecified`: the contract is silent; `fallback` is what the mock answers.
 */
export type OracleItem =
  | { readonly kind: 'violation'; readonly violation: Violation }
  | { readonly kind: 'alternative'; readonly ruleId: string; readonly outcomes: readonly AcceptedOutcome[] }
  | { readonly kind: 'accepted'; readonly ruleId: string }
  | { readonly kind: 'covered'; readonly ruleId: string }
  | {
      readonly kind: 'unspecified';
      readonly ruleId: string;
      readonly reason: string;
      readonly fallback: { readonly outcome: AcceptedOutcome; readonly message: string };
      /**
       * The rule's error outcomes under the version. When another check finds a violation, the
       * request fails, and these errors are accepted too: KMS documents no check order, so the
       * open point may be what it answers (decision 0500).
       */
      readonly errors?: readonly AcceptedOutcome[];
    };

function violation(ruleId: string, version: ContractVersionId, message: string, extra: { path?: string; respondWith?: { code: string; status: number } } = {}): OracleItem {
  return {
    kind: 'violation',
    violation: {
      ruleId,
      outcomes: outcomesFor(ruleId, version),
      message,
      ...(extra.path !== undefined ? { path: extra.path } : {}),
      ...(extra.respondWith !== undefined ? { respondWith: extra.respondWith } : {}),
    },
  };
}

function alternative(ruleId: string, version: ContractVersionId): OracleItem {
  return { kind: 'alternative', ruleId, outcomes: outcomesFor(ruleId, version).filter((o) => o.kind === 'error') };
}

function unspecified(ruleId: string, version: ContractVersionId, reason: string, fallback: { code?: string; status?: number; message: string }): OracleItem {
  const outcome: AcceptedOutcome = fallback.code === undefined ? SUCCESS : { kind: 'error', code: fallback.code, statuses: [fallback.status ?? 400] };
  const errors = outcomesFor(ruleId, version).filter((o) => o.kind === 'error');
  return { kind: 'unspecified', ruleId, reason, fallback: { outcome, message: fallback.message }, ...(errors.length > 0 ? { errors } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Outcome sets
// ---------------------------------------------------------------------------------------------

/** Merges outcome lists: one entry per code (statuses unioned), success once. */
export function mergeOutcomes(lists: readonly (readonly AcceptedOutcome[])[]): AcceptedOutcome[] {
  const out: AcceptedOutcome[] = [];
  for (const list of lists) {
    for (const o of list) {
      if (o.kind === 'success') {
        if (!out.some((x) => x.kind === 'success')) out.push(o);
        continue;
      }
      const i = out.findIndex((x) => x.kind === 'error' && x.code === o.code);
      const prev = out[i];
      if (prev === undefined || prev.kind !== 'error') {
        out.push(o);
        continue;
      }
      const statuses = [...new Set([...prev.statuses, ...o.statuses])].sort((a, b) => a - b);
      const basis = prev.basis === o.basis || o.basis === undefined ? prev.basis : prev.basis === undefined ? o.basis : `${prev.basis}; ${o.basis}`;
      out[i] = { kind: 'error', code: o.code, statuses, ...(basis !== undefined ? { basis } : {}) };
    }
  }
  return out;
}

/** What a target answered, as far as scoring needs it. */
export type ObservedOutcome = { readonly kind: 'success'; readonly status: number } | { readonly kind: 'error'; readonly status: number; readonly code: string };

/** Does `observed` satisfy `outcome`? Error codes compare after `__type` normalisation. */
export function outcomeMatches(outcome: AcceptedOutcome, observed: ObservedOutcome): boolean {
  if (outcome.kind === 'success') return observed.kind === 'success' && observed.status >= 200 && observed.status < 300;
  if (observed.kind !== 'error') return false;
  const codeOk = outcome.code === '*' || outcome.code === normaliseErrorType(observed.code);
  return codeOk && outcome.statuses.includes(observed.status);
}

/**
 * Does `observed` conform to a decided expectation? `undefined` for an unspecified one (it is
 * neither a pass nor a fail). Besides the expectation's outcomes, a ThrottlingException with HTTP
 * 400 is accepted for every request: KMS throttles above the request quotas and, for a hot key,
 * below them (§9.8, `Throttling.<Op>`, decision 0603). Only that code and status: a throttle is
 * never a pass for another code.
 */
export function accepts(expectation: Expectation, observed: ObservedOutcome): boolean | undefined {
  if (expectation.kind === 'unspecified') return undefined;
  return expectation.outcomes.some((o) => outcomeMatches(o, observed)) || outcomeMatches(THROTTLING, observed);
}

// ---------------------------------------------------------------------------------------------
// Member checks
// ---------------------------------------------------------------------------------------------

/** The Coral name of the type a member takes (`String`, `Integer`, …), for the SerializationException text. */
function typeName(m: ModelMember): string {
  switch (jsonTypeOf(m)) {
    case 'string':
      return 'String';
    case 'integer':
      return 'Integer';
    case 'boolean':
      return 'Boolean';
    case 'array':
      return 'List';
    case 'object':
      return 'Structure';
    default:
      return 'Number';
  }
}

function hasJsonType(m: ModelMember, v: unknown): boolean {
  switch (jsonTypeOf(m)) {
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'array':
      return Array.isArray(v) && (m.member === undefined || v.every((x) => x !== null && hasJsonType(m.member!, x)));
    case 'object':
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
      return Object.entries(m.members ?? {}).every(([k, mm]) => {
        const x = (v as Record<string, unknown>)[k];
        return x === undefined || x === null || hasJsonType(mm, x);
      });
    default:
      return typeof v === 'number';
  }
}

/** Length in Smithy terms: Unicode scalar values for strings, items for lists. */
function lengthOf(v: unknown): number | undefined {
  if (typeof v === 'string') return scalarLength(v);
  if (Array.isArray(v)) return v.length;
  return undefined;
}

/** Whether every string of `utf16Length` UTF-16 code units has a scalar length within `limits`. */
function lengthWithin(utf16Length: number, limits: NonNullable<ModelMember['length']>): boolean {
  const fewest = Math.ceil(utf16Length / 2);
  return (limits.min === undefined || limits.min <= 0 || fewest >= limits.min) && (limits.max === undefined || utf16Length <= limits.max);
}

interface MemberFailure {
  readonly ruleId: string;
  readonly item: ValidationItem;
}

function memberFailures(op: OperationName, name: string, m: ModelMember, v: unknown): MemberFailure[] {
  const f = (c: MemberConstraint, constraint: string): MemberFailure => ({
    ruleId: memberRuleId(op, name, c),
    item: { member: name, value: v, constraint, ...(m.sensitive ? { sensitive: true } : {}) },
  });
  const out: MemberFailure[] = [];
  // A string's length in scalar values lies between half its UTF-16 length and its UTF-16
  // length; it is counted only when those bounds do not already settle both limits.
  const len = m.length === undefined || (typeof v === 'string' && lengthWithin(v.length, m.length)) ? undefined : lengthOf(v);
  if (len !== undefined && m.length) {
    if (m.length.min !== undefined && m.length.min > 0 && len < m.length.min) out.push(f('length.min', CONSTRAINT_TEXT.lengthMin(m.length.min)));
    if (m.length.max !== undefined && len > m.length.max) out.push(f('length.max', CONSTRAINT_TEXT.lengthMax(m.length.max)));
  }
  const pattern = patternOf(m);
  if (typeof v === 'string' && m.pattern !== undefined && pattern !== undefined && v.length > 0 && !pattern.test(v)) {
    out.push(f('pattern', CONSTRAINT_TEXT.pattern(m.pattern)));
  }
  if (typeof v === 'number' && m.range) {
    if (m.range.min !== undefined && v < m.range.min) out.push(f('range.min', CONSTRAINT_TEXT.rangeMin(m.range.min)));
    if (m.range.max !== undefined && v > m.range.max) out.push(f('range.max', CONSTRAINT_TEXT.rangeMax(m.range.max)));
  }
  if (typeof v === 'string' && m.enum !== undefined && !m.enum.includes(v)) out.push(f('enum', CONSTRAINT_TEXT.enumSet(enumListFor(op, name, m.enum))));
  if (Array.isArray(v) && m.member !== undefined) out.push(...itemFailures(op, name, m.member, v));
  return out;
}

/** Failures of list items, with AWS's 1-based item paths (`tags.1.member.tagValue`). */
function itemFailures(op: OperationName, name: string, item: ModelMember, values: readonly unknown[]): MemberFailure[] {
  const out: MemberFailure[] = [];
  values.forEach((v, i) => {
    const at = `${name}.${i + 1}.member`;
    if (item.type !== 'structure') {
      for (const f of memberFailures(op, `${name}.member`, item, v)) out.push({ ruleId: f.ruleId, item: { ...f.item, member: at } });
      return;
    }
    const obj = (v ?? {}) as Record<string, unknown>;
    for (const [field, fm] of Object.entries(item.members ?? {})) {
      const x = obj[field];
      if (x === undefined || x === null) {
        if (fm.required) out.push({ ruleId: memberRuleId(op, `${name}.member.${field}`, 'required'), item: { member: `${at}.${field}`, constraint: CONSTRAINT_TEXT.required() } });
        continue;
      }
      for (const f of memberFailures(op, `${name}.member.${field}`, fm, x)) out.push({ ruleId: f.ruleId, item: { ...f.item, member: `${at}.${field}` } });
    }
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// The oracle
// ---------------------------------------------------------------------------------------------

/**
 * The accepted outcomes of `request` in `world`, called by `caller`, under contract `version`.
 *
 * @returns `decided` with the accepted outcomes, every rule involved and the violations in check
 * order; or `unspecified` with the reason and the mock's fallback.
 * @example
 * expected({ operation: 'PutKeyPolicy', input: { KeyId: 'fake-key-id', Policy: '{}' } }, world, DEFAULT_CALLER, '2025-06-05')
 * // decided; violations[0].ruleId === 'KeyId.malformed', message "Invalid keyId 'fake-key-id'"
 */
export function expected(request: OracleRequest, world: World, caller: Caller, version: ContractVersionId): Expectation {
  return assemble(oracleItems(request, world, caller, version));
}

/** Turns check items into an {@link Expectation}. */
export function assemble(items: readonly OracleItem[]): Expectation {
  const rules = [...new Set(items.map((i) => (i.kind === 'violation' ? i.violation.ruleId : i.ruleId)))];
  const violations = items.flatMap((i) => (i.kind === 'violation' ? [i.violation] : []));
  const alternatives = items.flatMap((i) => (i.kind === 'alternative' ? [i.outcomes] : []));
  if (violations.length > 0) {
    // The request fails; an open point's errors are as acceptable as the violations' (decision 0500).
    const openErrors = items.flatMap((i) => (i.kind === 'unspecified' && i.errors !== undefined ? [i.errors] : []));
    return { kind: 'decided', outcomes: mergeOutcomes([...violations.map((v) => v.outcomes), ...alternatives, ...openErrors]), rules, violations };
  }
  const open = items.flatMap((i) => (i.kind === 'unspecified' ? [i] : []));
  const first = open[0];
  if (first) return { kind: 'unspecified', reason: open.map((o) => o.reason).join(' '), rules, violations, fallback: first.fallback };
  return { kind: 'decided', outcomes: mergeOutcomes([[SUCCESS], ...alternatives]), rules, violations };
}

/**
 * The checks behind {@link expected}, as items in check order. The bundled mock uses them to
 * answer; tests use them to see every rule involved.
 */
export function oracleItems(request: OracleRequest, world: World, caller: Caller, version: ContractVersionId): OracleItem[] {
  const op = request.operation;
  const model = MODEL.operations[op].input;
  const items: OracleItem[] = [];
  const input: Record<string, unknown> = {};

  // Unknown and null members (wire-level acceptances).
  for (const name of Object.keys(request.input)) {
    const v = request.input[name];
    if (v === undefined) continue;
    if (!(name in model)) {
      items.push(alternative(WIRE_RULES.memberUnknown, version));
      continue;
    }
    if (v === null) {
      items.push(alternative(WIRE_RULES.memberNull, version));
      continue;
    }
    input[name] = v;
  }

  // 1. Member types: exclusive.
  const typeErrors: OracleItem[] = [];
  for (const name of Object.keys(input)) {
    const v = input[name];
    const m = model[name]!;
    if (!hasJsonType(m, v)) {
      typeErrors.push(
        violation(memberRuleId(op, name, 'type'), version, serializationMessage(v, typeName(m)), {
          path: name,
          respondWith: { code: 'SerializationException', status: 400 },
        }),
      );
    }
  }
  if (typeErrors.length > 0) return typeErrors;

  // 2–3. Required, then length/pattern/range/enum: one ValidationException for all of them.
  const failures: MemberFailure[] = [];
  for (const name of Object.keys(model)) {
    if (input[name] === undefined && isRequired(op, name, version)) {
      failures.push({ ruleId: memberRuleId(op, name, 'required'), item: { member: name, constraint: CONSTRAINT_TEXT.required() } });
    }
  }
  const invalid = new Set<string>();
  for (const name of Object.keys(input)) {
    const fs = memberFailures(op, name, model[name]!, input[name]);
    if (fs.length > 0) invalid.add(name);
    failures.push(...fs);
  }
  if (failures.length > 0) {
    const message = validationMessage(failures.map((f) => f.item));
    const first = failures[0]!;
    items.push({
      kind: 'violation',
      violation: {
        ruleId: first.ruleId,
        outcomes: mergeOutcomes(failures.map((f) => outcomesFor(f.ruleId, version))),
        message,
        path: [...new Set(failures.map((f) => f.item.member))].join(','),
        respondWith: { code: 'ValidationException', status: 400 },
      },
    });
    for (const f of failures.slice(1)) items.push({ kind: 'covered', ruleId: f.ruleId });
  }
  const usable = (name: string): unknown => (invalid.has(name) ? undefined : input[name]);

  // Charset: DEL and C1 controls match the pattern but are not "printable".
  const policyText = usable('Policy');
  if (typeof policyText === 'string' && NON_PRINTABLE_ALLOWED_BY_PATTERN.test(policyText)) items.push(alternative('PutKeyPolicy.Policy.charset.printable', version));

  // 4. PolicyName.
  if (op === 'PutKeyPolicy' || op === 'GetKeyPolicy') {
    const name = usable('PolicyName');
    if (input.PolicyName === undefined && !isRequired(op, 'PolicyName', version)) items.push({ kind: 'accepted', ruleId: `${op}.PolicyName.default` });
    if (typeof name === 'string' && name !== 'default') {
      items.push(violation(`${op}.PolicyName.onlyDefault`, version, onlyDefaultPolicyNameMessage(name), { path: 'PolicyName', respondWith: { code: 'NotFoundException', status: 400 } }));
    }
  }

  // 5. Alias names (CreateAlias, DeleteAlias); DeleteAlias's alias names its key.
  let key: KeyInfo | undefined;
  const aliasName = usable('AliasName');
  if ((op === 'CreateAlias' || op === 'DeleteAlias') && typeof aliasName === 'string') {
    const r = aliasItems(op, aliasName, world, version);
    items.push(...r.items);
    key = r.key;
  }

  // 6. Key identifier and key state.
  const keyMember = keyMemberOf(op);
  const keyIdValue = keyMember === undefined ? undefined : usable(keyMember);
  if (typeof keyIdValue === 'string') {
    const r = resolveKey(keyIdValue, world, op);
    if (r.kind === 'found') {
      key = r.key;
      for (const id of r.ruleIds) items.push({ kind: 'accepted', ruleId: id });
    } else if (r.kind === 'violation') {
      items.push(violation(r.ruleId, version, r.message, { path: keyMember ?? 'KeyId', ...(r.respondWith ? { respondWith: r.respondWith } : {}) }));
    } else {
      items.push(unspecified(r.ruleId, version, r.reason, r.fallback));
    }
  }
  if (key !== undefined) {
    const cell = keyStateCell(op, key.state);
    const ruleId = keyStateRuleId(op, key.state);
    if (cell?.kind === 'ok') items.push({ kind: 'accepted', ruleId });
    else if (cell?.kind === 'invalid') items.push(violation(ruleId, version, keyStateMessage(key.arn, cell.suffix), { path: keyMember ?? 'AliasName' }));
    else if (cell?.kind === 'open') items.push(unspecified(ruleId, version, cell.reason, { message: '' }));
    if (key.keyManager === 'AWS' && requireRule('Operation.awsManagedKey').operations.includes(op)) {
      items.push(violation('Operation.awsManagedKey', version, awsManagedKeyMessage(op, key.arn), { path: keyMember ?? 'AliasName', respondWith: { code: 'AccessDeniedException', status: 400 } }));
    }
    if (KEY_POLICY_OPERATIONS.includes(op)) items.push(...permissionItems(op as Exclude<OperationName, 'CreateKey'>, key, world, caller, version));
  }
  if (op === 'ScheduleKeyDeletion') {
    const days = usable('PendingWindowInDays');
    if (typeof days === 'number' && (days < 7 || days > 30)) {
      items.push(
        violation('ScheduleKeyDeletion.PendingWindowInDays.documented', version, pendingWindowMessage(days), {
          path: 'PendingWindowInDays',
          respondWith: { code: 'ValidationException', status: 400 },
        }),
      );
    }
  }

  let keyUsageDecided = false;
  if (op === 'CreateKey') {
    // Input the service checks before it creates anything: key usage for the key spec, tags (decisions 0605, 0606).
    const specMember = input.KeySpec !== undefined ? 'KeySpec' : 'CustomerMasterKeySpec';
    // A key spec or key usage the member checks rejected (wrong type, not in the enum) decides nothing here.
    const settled = !invalid.has(specMember) && !invalid.has('KeyUsage');
    const usageItems = settled ? keyUsageItems(input[specMember], input.KeyUsage, version) : [];
    keyUsageDecided = usageItems.length > 0;
    items.push(...usageItems, ...tagItems(usable('Tags'), version));
  }

  // Permissions of the caller's IAM policy (CreateKey, the alias operations, the listings).
  if (IAM_POLICY_OPERATIONS.includes(op)) items.push(...iamItems(op, typeof aliasName === 'string' ? aliasName : undefined, world, caller, version));
  if (op === 'CreateKey') {
    const scope = createKeyScope(input, keyUsageDecided);
    if (scope !== undefined) items.push(unspecified('CreateKey.scope', version, scope, { message: '' }));
  }

  // Listings: a Marker continues a listing only if the target issued it (decision 0221).
  if (op === 'ListKeys' || op === 'ListAliases') {
    const marker = usable('Marker');
    if (typeof marker === 'string') {
      const issued = request.context?.markerIssued;
      const ruleId = markerRuleId(op);
      if (issued === true) items.push({ kind: 'accepted', ruleId });
      else if (issued === false) items.push(violation(ruleId, version, invalidMarkerMessage(marker), { path: 'Marker', respondWith: { code: 'InvalidMarkerException', status: 400 } }));
      else {
        items.push(
          unspecified(ruleId, version, `${op} with Marker ${JSON.stringify(marker.slice(0, 40))}: markers are opaque, and the request does not say whether the target issued this one.`, {
            code: 'InvalidMarkerException',
            message: invalidMarkerMessage(marker),
          }),
        );
      }
    }
    const limit = usable('Limit');
    if (op === 'ListAliases' && typeof limit === 'number' && limit > LIST_ALIASES_DOCUMENTED_LIMIT) items.push(alternative('ListAliases.Limit.documented', version));
  }

  // 7–10. Policy document, principals, size quota, lockout. A Policy that fails only its pattern
  // or minimum length (a raw control character, an empty string) is checked as a document too: KMS
  // documents no check order, so its document errors are as acceptable as the ValidationException
  // (§11.14, decision 0602). Over the model's maximum length only the size quota is checked.
  const tooLong = failures.some((f) => f.ruleId === memberRuleId(op, 'Policy', 'length.max'));
  if ((op === 'PutKeyPolicy' || op === 'CreateKey') && typeof input.Policy === 'string' && !tooLong) {
    const named = key?.arn ?? (typeof keyIdValue === 'string' ? namedKeyArn(keyIdValue, world) : undefined);
    items.push(...policyItems(op, input.Policy, request.input.BypassPolicyLockoutSafetyCheck === true, named, world, caller, version));
  } else if ((op === 'PutKeyPolicy' || op === 'CreateKey') && typeof input.Policy === 'string') {
    // More than 131,072 characters: the document is not checked, but the size quota is broken too
    // and its outcome is just as acceptable.
    items.push(...sizeItems(input.Policy, version));
  }

  // Transient conditions.
  const ctx = request.context;
  if (ctx?.requestsPerSecond !== undefined && ctx.requestsPerSecond > REQUEST_QUOTAS[op]) items.push(alternative(throttlingRuleId(op), version));
  if (requireRule('Consistency.eventual').operations.includes(op) && ctx?.msSinceKeyChange !== undefined && ctx.msSinceKeyChange >= 0 && ctx.msSinceKeyChange < CONSISTENCY_WINDOW_MS) {
    items.push(alternative('Consistency.eventual', version));
  }
  return items;
}

/**
 * Required permissions (decision 0501): the key policy in force must allow the caller the
 * operation's action, evaluated as the lockout check evaluates a policy.
 */
function permissionItems(op: Exclude<OperationName, 'CreateKey'>, key: KeyInfo, world: World, caller: Caller, version: ContractVersionId): OracleItem[] {
  const document = keyPolicyDocument(key.policy);
  if (document === undefined) return [];
  const action = `kms:${op}`;
  const verdict = checkLockout(document, { caller, accountId: world.accountId, partition: world.partition, keyArn: key.arn, action });
  switch (verdict.kind) {
    case 'allowed':
      return [];
    case 'locked-out':
      return [violation('Authorization.keyPolicy', version, accessDeniedMessage(caller.arn, action, key.arn), { path: 'KeyId', respondWith: { code: 'AccessDeniedException', status: 400 } })];
    case 'unspecified':
      return [unspecified('Authorization.keyPolicy', version, `Whether the key policy of ${key.arn} allows ${caller.arn} ${action} is undecidable: ${verdict.reason}`, { message: '' })];
  }
}

/**
 * CreateAlias's and DeleteAlias's checks of `AliasName` (decision 0220), and for DeleteAlias the
 * key its alias names (whose key policy must allow kms:DeleteAlias).
 */
function aliasItems(op: 'CreateAlias' | 'DeleteAlias', name: string, world: World, version: ContractVersionId): { items: OracleItem[]; key?: KeyInfo } {
  const arn = (n: string): string => aliasArn(n, world.region, world.accountId, world.partition);
  const existing = findAlias(world, name);
  if (op === 'DeleteAlias') {
    if (!name.startsWith('alias/')) {
      return { items: [violation('DeleteAlias.AliasName.prefix', version, ALIAS_PREFIX_MESSAGE, { path: 'AliasName', respondWith: { code: 'ValidationException', status: 400 } })] };
    }
    if (existing === undefined) return { items: [violation('DeleteAlias.AliasName.notFound', version, aliasNotFoundMessage(arn(name)), { path: 'AliasName' })] };
    const key = findKey(world, existing.targetKeyId, world.region, world.accountId);
    return { items: [], ...(key === undefined ? {} : { key }) };
  }
  if (!name.startsWith('alias/')) {
    return { items: [violation('CreateAlias.AliasName.prefix', version, ALIAS_PREFIX_MESSAGE, { path: 'AliasName', respondWith: { code: 'ValidationException', status: 400 } })] };
  }
  if (name === 'alias/') {
    return {
      items: [unspecified('CreateAlias.AliasName.prefix', version, 'AliasName "alias/" has the prefix but no name; no source records the answer.', { code: 'ValidationException', message: ALIAS_PREFIX_MESSAGE })],
    };
  }
  if (name.startsWith('alias/aws/')) {
    return { items: [violation('CreateAlias.AliasName.reserved', version, reservedAliasMessage(name), { path: 'AliasName', respondWith: { code: 'InvalidAliasNameException', status: 400 } })] };
  }
  const items: OracleItem[] = [];
  if (name.includes(':')) items.push(alternative('CreateAlias.AliasName.characters', version));
  if (existing !== undefined) items.push(violation('CreateAlias.AliasName.exists', version, aliasExistsMessage(arn(name)), { path: 'AliasName', respondWith: { code: 'AlreadyExistsException', status: 400 } }));
  return { items };
}

/** The resource an IAM-only permission is checked on, for the AccessDeniedException text. */
function iamResource(op: OperationName, aliasName: string | undefined, world: World): string {
  const base = `arn:${world.partition}:kms:${world.region}:${world.accountId}`;
  if ((op === 'CreateAlias' || op === 'DeleteAlias') && aliasName !== undefined) return `${base}:${aliasName}`;
  return op === 'ListAliases' ? `${base}:alias/*` : `${base}:key/*`;
}

/** Required permissions of the caller's IAM policy (decision 0501): `kms:<Op>` for the IAM-only part. */
function iamItems(op: OperationName, aliasName: string | undefined, world: World, caller: Caller, version: ContractVersionId): OracleItem[] {
  const action = `kms:${op}`;
  if (caller.iam.kind === 'unknown') {
    return [unspecified('Authorization.iamPolicy', version, `${op} needs ${action} in the caller's IAM policy, and the caller's IAM permissions are not known.`, { message: '' })];
  }
  if (caller.iam.actions.some((a) => matchAction(a, action))) return [];
  return [
    violation('Authorization.iamPolicy', version, accessDeniedMessage(caller.arn, action, iamResource(op, aliasName, world), 'identity-based'), {
      respondWith: { code: 'AccessDeniedException', status: 400 },
    }),
  ];
}

/**
 * Documents of key policies (`null`: the text is not a JSON object), the last
 * {@link KEY_POLICIES_KEPT} texts remembered. Every request to a key reads the policy in force, and
 * that text was checked by the PutKeyPolicy or CreateKey that wrote it: {@link policyItems} leaves
 * the document it built here, so the policy in force is not parsed a second time. Keyed on the
 * whole text (a document is a function of the text alone; the contract version changes only
 * findings' severities), so a new text is always parsed.
 *
 * Two fixed arrays used as a ring, not a `Map` kept in recency order: the `Map`'s delete and
 * re-insert on every request made each young-generation collection of the mock server copy about
 * 3 MB and take 11–14 ms instead of 2–3 ms, and the handler about 80 µs per PutKeyPolicy instead of
 * about 57 µs (measured with `node --trace-gc` on the compiled handler, rotating 1,000 policies).
 */
const KEY_POLICIES_KEPT = 64;
const KEY_POLICY_TEXTS: (string | undefined)[] = new Array<string | undefined>(KEY_POLICIES_KEPT).fill(undefined);
const KEY_POLICY_DOCUMENTS: (PolicyDocument | null)[] = new Array<PolicyDocument | null>(KEY_POLICIES_KEPT).fill(null);
/** The slot the next new text takes (the oldest). */
let keyPolicyNext = 0;

/** The slot holding `text`, or -1. */
function keyPolicySlot(text: string): number {
  for (let i = 0; i < KEY_POLICIES_KEPT; i++) if (KEY_POLICY_TEXTS[i] === text) return i;
  return -1;
}

/** Keeps `document` as the parsed form of `text`, a text not kept, in place of the oldest text kept. */
function keepNewKeyPolicy(text: string, document: PolicyDocument | null): void {
  const slot = keyPolicyNext;
  keyPolicyNext = (keyPolicyNext + 1) % KEY_POLICIES_KEPT;
  KEY_POLICY_TEXTS[slot] = text;
  KEY_POLICY_DOCUMENTS[slot] = document;
}

/** Keeps `document` as the parsed form of `text`, in place of the oldest text kept when `text` is new. */
function rememberKeyPolicy(text: string, document: PolicyDocument | null): void {
  const slot = keyPolicySlot(text);
  if (slot === -1) keepNewKeyPolicy(text, document);
  else KEY_POLICY_DOCUMENTS[slot] = document;
}

/** The document of a key's policy in force ({@link parsePolicy}), or `undefined` when it is not a JSON object. */
function keyPolicyDocument(text: string): PolicyDocument | undefined {
  const slot = keyPolicySlot(text);
  if (slot !== -1) return KEY_POLICY_DOCUMENTS[slot] ?? undefined;
  const parsed = parsePolicy(text);
  const document = parsed.ok ? parsed.document : null;
  keepNewKeyPolicy(text, document); // just looked up: not kept, so no second search of the ring
  return document ?? undefined;
}

/** The size quota (decisions/0205): over 32,768 characters a violation, over 32,768 bytes only an alternative. */
function sizeItems(text: string, version: ContractVersionId): OracleItem[] {
  const bytes = utf8Length(text);
  if (bytes <= POLICY_SIZE_QUOTA_BYTES) return [];
  if (scalarLength(text) > POLICY_SIZE_QUOTA_BYTES) {
    return [violation('PutKeyPolicy.Policy.size.quota', version, policySizeMessage(bytes, POLICY_SIZE_QUOTA_BYTES), { path: 'Policy', respondWith: { code: 'LimitExceededException', status: 400 } })];
  }
  return [{ kind: 'alternative', ruleId: 'PutKeyPolicy.Policy.size.quota', outcomes: outcomesFor('PutKeyPolicy.Policy.size.quota', version) }];
}

/**
 * The key usage rules of CreateKey (decision 0606): a key spec other than SYMMETRIC_DEFAULT needs a
 * KeyUsage, and the KeyUsage must be one the spec supports. Empty when neither is broken. Called
 * only with members that passed the member checks (or are absent).
 */
function keyUsageItems(spec: unknown, usage: unknown, version: ContractVersionId): OracleItem[] {
  const keySpec = typeof spec === 'string' ? spec : 'SYMMETRIC_DEFAULT';
  if (usage === undefined) {
    return keySpec === 'SYMMETRIC_DEFAULT' ? [] : [violation('CreateKey.KeyUsage.required', version, KEY_USAGE_REQUIRED_MESSAGE, { path: 'KeyUsage', respondWith: { code: 'ValidationException', status: 400 } })];
  }
  const allowed = KEY_USAGES_BY_SPEC[keySpec];
  if (typeof usage !== 'string' || allowed === undefined || allowed.includes(usage)) return [];
  return [violation('CreateKey.KeyUsage.compatible', version, keyUsageIncompatibleMessage(usage, keySpec), { path: 'KeyUsage', respondWith: { code: 'ValidationException', status: 400 } })];
}

/** The tag rules of CreateKey (decision 0605): at most {@link MAX_CREATE_KEY_TAGS} tags, no tag key starting with `aws:`. */
function tagItems(tags: unknown, version: ContractVersionId): OracleItem[] {
  if (!Array.isArray(tags)) return [];
  const items: OracleItem[] = [];
  if (tags.length > MAX_CREATE_KEY_TAGS) items.push(violation('CreateKey.Tags.max', version, TOO_MANY_TAGS_MESSAGE, { path: 'Tags' }));
  const reserved = tags.findIndex((t) => {
    const key = (t as { TagKey?: unknown } | null)?.TagKey;
    return typeof key === 'string' && key.toLowerCase().startsWith(RESERVED_TAG_PREFIX);
  });
  if (reserved >= 0) items.push(violation('CreateKey.Tags.reservedPrefix', version, RESERVED_TAG_MESSAGE, { path: `Tags.${reserved + 1}.TagKey` }));
  return items;
}

/**
 * Why a CreateKey request is outside the contract notes' symmetric-key scope, or `undefined`.
 * With `keyUsageDecided` (a key usage rule was broken) the spec and usage are not an open point.
 */
function createKeyScope(input: Readonly<Record<string, unknown>>, keyUsageDecided: boolean): string | undefined {
  const spec = input.KeySpec ?? input.CustomerMasterKeySpec;
  if (!keyUsageDecided && spec !== undefined && spec !== 'SYMMETRIC_DEFAULT') return `CreateKey with key spec ${String(spec)}: rules beyond the key usage are outside the contract notes.`;
  if (!keyUsageDecided && input.KeyUsage !== undefined && input.KeyUsage !== 'ENCRYPT_DECRYPT') return `CreateKey with KeyUsage ${String(input.KeyUsage)} for a symmetric key: outside the contract notes.`;
  if (input.Origin === 'AWS_CLOUDHSM' || input.Origin === 'EXTERNAL_KEY_STORE') return `CreateKey with Origin ${String(input.Origin)}: custom key stores are outside the contract notes.`;
  if (input.CustomKeyStoreId !== undefined || input.XksKeyId !== undefined) return 'CreateKey in a custom or external key store: outside the contract notes.';
  return undefined;
}

/**
 * The key ARN a `KeyId` names when it is a key id or key ARN, whether or not the key exists: the
 * lockout check is about the policy and the caller, so it is evaluated even when the key lookup
 * fails, and both failures are recorded (decision 0500).
 */
function namedKeyArn(value: string, world: World): string | undefined {
  const parsed = parseKeyIdentifier(value);
  if (parsed.kind === 'key-id' || parsed.kind === 'mrk-id') return keyArn(parsed.keyId, world.region, world.accountId, world.partition);
  if (parsed.kind === 'key-arn') return parsed.arn;
  return undefined;
}

/** Placeholder key id for the key a CreateKey request would create (for the lockout check). */
const NEW_KEY_ID = '00000000-0000-4000-8000-000000000000';

function policyItems(
  op: 'PutKeyPolicy' | 'CreateKey',
  text: string,
  bypass: boolean,
  namedArn: string | undefined,
  world: World,
  caller: Caller,
  version: ContractVersionId,
): OracleItem[] {
  const items: OracleItem[] = [];
  const { findings, document } = inspectPolicy(text, { version, accountId: world.accountId, partition: world.partition, principals: world.principals });
  rememberKeyPolicy(text, document ?? null);
  const seen = new Set<string>();
  let structural = false;
  for (const f of findings) {
    if (seen.has(f.ruleId)) continue;
    seen.add(f.ruleId);
    if (f.severity === 'accepted') items.push({ kind: 'accepted', ruleId: f.ruleId });
    else if (f.severity === 'unspecified') {
      items.push(unspecified(f.ruleId, version, `${f.message} (${f.path || '/'}): the contract does not say whether KMS accepts this.`, { message: '' }));
    } else {
      if (f.ruleId !== 'PutKeyPolicy.Policy.statement.principal.exists') structural = true;
      const principalRule = f.ruleId.startsWith('PutKeyPolicy.Policy.statement.principal.');
      items.push(violation(f.ruleId, version, principalRule ? INVALID_PRINCIPALS_MESSAGE : f.message, { path: `Policy${f.path}` }));
    }
  }

  items.push(...sizeItems(text, version));

  if (structural || document === undefined) return items;
  const arn = namedArn ?? (op === 'CreateKey' ? keyArn(NEW_KEY_ID, world.region, world.accountId, world.partition) : undefined);
  if (arn === undefined) return items;
  const verdict = checkLockout(document, { caller, accountId: world.accountId, partition: world.partition, keyArn: arn });
  if (verdict.kind === 'allowed') return items;
  if (bypass) {
    items.push({ kind: 'accepted', ruleId: 'PutKeyPolicy.BypassPolicyLockoutSafetyCheck.skipsLockout' });
    return items;
  }
  if (verdict.kind === 'locked-out') items.push(violation('PutKeyPolicy.Policy.lockout', version, LOCKOUT_MESSAGE, { path: 'Policy' }));
  else items.push(unspecified('PutKeyPolicy.Policy.lockout', version, `Lockout check undecidable: ${verdict.reason}`, { message: '' }));
  return items;
}

// ---------------------------------------------------------------------------------------------
// Raw HTTP requests and responses
// ---------------------------------------------------------------------------------------------

/** Wire rules whose reported acceptance still allows their error outcomes. */
const WIRE_ALTERNATIVES: ReadonlySet<string> = new Set([WIRE_RULES.memberUnknown, WIRE_RULES.memberNull, WIRE_RULES.bodyDuplicateKey]);

/**
 * The expectation for a raw HTTP request: wire-level checks (`contract/wire.ts`), then
 * {@link expected} on the decoded members.
 */
export function expectedWire(
  request: WireRequest,
  world: World,
  caller: Caller,
  version: ContractVersionId,
  options: DecodeOptions & { readonly context?: OracleRequest['context']; readonly authentication?: AuthenticationOptions } = {},
): Expectation {
  if (options.authentication !== undefined) {
    // Decision 0506: authentication is judged only when asked; a failure ends the request.
    const auth = checkAuthentication(request, options.authentication);
    if (auth.length > 0) return assemble(auth.map((f) => violation(f.ruleId, version, f.message, { respondWith: f.respondWith })));
  }
  const decoded = decodeWireRequest(request, options);
  if (decoded.kind === 'error') {
    return assemble([
      violation(decoded.ruleId, version, decoded.message, { ...(decoded.path !== undefined ? { path: decoded.path } : {}), respondWith: { code: decoded.code, status: decoded.status } }),
    ]);
  }
  const wireItems: OracleItem[] = decoded.rules.map((r) => (WIRE_ALTERNATIVES.has(r) ? alternative(r, version) : { kind: 'accepted', ruleId: r }));
  const inner = oracleItems({ operation: decoded.operation, input: decoded.input, ...(options.context ? { context: options.context } : {}) }, world, caller, version);
  return assemble([...wireItems, ...inner]);
}

/**
 * What the response checks found.
 * - `violation`: the response breaks `ruleId`.
 * - `noted`: the response takes a documented alternative (a namespaced `__type`, the model's 404).
 */
export type ResponseFinding =
  | { readonly kind: 'violation'; readonly ruleId: string; readonly message: string }
  | { readonly kind: 'noted'; readonly ruleId: string; readonly message: string };

/** The error an error response carries, read the way the JS SDK reads it (§10.3), or why it cannot be read. */
export type ErrorRead =
  | { readonly kind: 'error'; readonly code: string; readonly rawType: string; readonly message: string | undefined }
  | { readonly kind: 'unreadable'; readonly reason: string };

/** Reads `__type` (then `code`, then `X-Amzn-Errortype`) and `message`/`Message` of an error response. */
export function readErrorResponse(response: WireResponse<WireHeaderValue>): ErrorRead {
  let body: unknown;
  try {
    body = response.body.trim() === '' ? {} : JSON.parse(response.body);
  } catch {
    return { kind: 'unreadable', reason: `the body is not JSON: ${JSON.stringify(response.body.slice(0, 80))}` };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { kind: 'unreadable', reason: 'the body is not a JSON object' };
  const o = body as Record<string, unknown>;
  const codeKey = Object.keys(o).find((k) => k.toLowerCase() === 'code');
  const raw = [o.__type, codeKey !== undefined ? o[codeKey] : undefined, headerValue(response.headers, 'x-amzn-errortype')].find((x): x is string => typeof x === 'string' && x !== '');
  if (raw === undefined) return { kind: 'unreadable', reason: 'no error type in __type, code or X-Amzn-Errortype' };
  const message = typeof o.message === 'string' ? o.message : typeof o.Message === 'string' ? o.Message : undefined;
  return { kind: 'error', code: normaliseErrorType(raw), rawType: raw, message };
}

/**
 * Checks the response-side rules: `Wire.response.contentType`, `Wire.success.requestId`, `Wire.success.emptyOutput`,
 * `Wire.error.shape`, `Wire.error.typeNormalisation`, `ErrorStatus.observed400`,
 * `ErrorStatus.serverFault`, `ErrorStatus.framework`, and on a 2xx answer the output rules
 * (`contract/output.ts`; with `context`, the content is compared with the key the request names).
 */
export function checkResponse(op: OperationName, response: WireResponse<WireHeaderValue>, context?: OutputContext): ResponseFinding[] {
  const out: ResponseFinding[] = [];
  const contentType = headerValue(response.headers, 'content-type');
  if (contentType !== undefined && response.body.trim() !== '' && mediaTypeOf(contentType) !== AWS_JSON_1_1) {
    out.push({ kind: 'violation', ruleId: WIRE_RULES.responseContentType, message: `The response body is labelled ${JSON.stringify(contentType)}; awsJson1_1 answers use ${AWS_JSON_1_1}.` });
  }
  if (!headerValue(response.headers, 'x-amzn-requestid')) {
    out.push({ kind: 'violation', ruleId: WIRE_RULES.successRequestId, message: 'The response has no x-amzn-RequestId header.' });
  }
  if (response.status >= 200 && response.status < 300) {
    if (MODEL.operations[op].output === null && response.body.trim() !== '' && response.body.replace(/\s/g, '') !== '{}') {
      out.push({ kind: 'violation', ruleId: WIRE_RULES.successEmptyOutput, message: `${op} has no output, but the body was ${JSON.stringify(response.body.slice(0, 80))}.` });
    }
    out.push(...checkOutput(op, response.body, context));
    return out;
  }
  const read = readErrorResponse(response);
  if (read.kind === 'unreadable') {
    out.push({ kind: 'violation', ruleId: WIRE_RULES.errorShape, message: `Error response of status ${response.status} cannot be read: ${read.reason}.` });
    return out;
  }
  if (read.rawType !== read.code) out.push({ kind: 'noted', ruleId: WIRE_RULES.errorTypeNormalisation, message: `__type ${JSON.stringify(read.rawType)} normalises to ${read.code}.` });
  const header = headerValue(response.headers, 'x-amzn-errortype');
  if (header !== undefined && normaliseErrorType(header) !== read.code) {
    out.push({ kind: 'violation', ruleId: WIRE_RULES.errorTypeNormalisation, message: `X-Amzn-Errortype ${JSON.stringify(header)} disagrees with the body's error type ${read.code}.` });
  }
  const modelled = MODEL.errors[read.code];
  if (modelled && modelled.fault === 'server') {
    if (response.status < 500 || response.status > 599) {
      out.push({ kind: 'violation', ruleId: 'ErrorStatus.serverFault', message: `${read.code} is a server fault but was sent with status ${response.status}; the model gives ${modelled.httpError}.` });
    } else if (response.status !== modelled.httpError) {
      out.push({ kind: 'noted', ruleId: 'ErrorStatus.serverFault', message: `${read.code} was sent with ${response.status}; the model gives ${modelled.httpError}.` });
    }
  }
  const framework = modelled || !Object.hasOwn(FRAMEWORK_ERROR_STATUSES, read.code) ? undefined : FRAMEWORK_ERROR_STATUSES[read.code];
  if (framework !== undefined && !framework.includes(response.status)) {
    out.push({ kind: 'violation', ruleId: 'ErrorStatus.framework', message: `${read.code} was sent with status ${response.status}; the Common Errors pages give ${framework.join(' or ')} (contract notes §6).` });
  }
  if (modelled && modelled.fault === 'client') {
    if (response.status !== 400 && response.status !== modelled.httpError) {
      out.push({ kind: 'violation', ruleId: 'ErrorStatus.observed400', message: `${read.code} was sent with status ${response.status}; accepted are 400 (observed) and ${modelled.httpError} (model).` });
    } else if (response.status !== 400) {
      out.push({ kind: 'noted', ruleId: 'ErrorStatus.observed400', message: `${read.code} was sent with the model's status ${response.status}; real KMS sends 400.` });
    }
  }
  return out;
}
