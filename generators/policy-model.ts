/**
 * The structured model of a key policy that the generators build before rendering text: typed
 * statements, element order, and which form each element takes (string or list, object or array).
 * Grammar features are read off this model ({@link policyFeatures}), so the coverage statistics
 * describe what was generated, not what a generator meant to generate.
 */
import { JsonObject, type JsonValue, type TextStyle } from './json-text.ts';

/** One principal type inside a `Principal` object, e.g. `"AWS": ["arn…", "111122223333"]`. */
export interface PrincipalEntry {
  readonly key: 'AWS' | 'Service';
  readonly values: readonly string[];
  /** Written as a JSON array even when there is one value. */
  readonly asList: boolean;
}

/** `Principal` as `"*"`, or as an object of principal types. */
export type PrincipalModel =
  | { readonly form: 'star' }
  | { readonly form: 'map'; readonly entries: readonly PrincipalEntry[] };

/** `Action` or `NotAction` with its values. */
export interface ActionModel {
  readonly element: 'Action' | 'NotAction';
  readonly values: readonly string[];
  readonly asList: boolean;
}

/** One condition key and its value: a string, a JSON boolean or number, or a list of strings. */
export interface ConditionEntry {
  readonly key: string;
  readonly value: string | boolean | number | readonly string[];
}

/** One condition operator block, e.g. `"StringEquals": {"kms:CallerAccount": "111122223333"}`. */
export interface ConditionClause {
  readonly operator: string;
  readonly entries: readonly ConditionEntry[];
}

/** Element names of a statement, in the order they may be written. */
export const STATEMENT_KEYS = ['Sid', 'Effect', 'Principal', 'Action', 'Resource', 'Condition'] as const;
/** One of {@link STATEMENT_KEYS}. */
export type StatementKey = (typeof STATEMENT_KEYS)[number];

/** Top-level element names, in the order they may be written. */
export const TOP_KEYS = ['Version', 'Id', 'Statement'] as const;
/** One of {@link TOP_KEYS}. */
export type TopKey = (typeof TOP_KEYS)[number];

/**
 * Why a statement is in the policy:
 * - `guard`: lets the caller call PutKeyPolicy again (Allow, caller covered, no condition);
 * - `grant`: an Allow for other principals or actions;
 * - `deny`: a Deny that never covers the caller's `kms:PutKeyPolicy`;
 * - `lockout`: a statement the lockout cases add to take the caller's access away.
 */
export type StatementRole = 'guard' | 'grant' | 'deny' | 'lockout';

/** One statement of the model. Absent optional fields are absent from the text. */
export interface StatementModel {
  readonly role: StatementRole;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly principal: PrincipalModel;
  readonly action?: ActionModel;
  /** `Resource` is always `"*"` in a key policy (contract notes §8.2); `asList` writes `["*"]`. */
  readonly resource?: { readonly asList: boolean };
  readonly condition?: readonly ConditionClause[];
  /** Order of the elements in the text (a permutation of {@link STATEMENT_KEYS}). */
  readonly keyOrder: readonly StatementKey[];
}

/** A key policy as the generators build it. */
export interface PolicyModel {
  readonly version: string;
  readonly id?: string;
  /** `Statement` written as a single object (only when there is one statement) or as an array. */
  readonly statementForm: 'array' | 'object';
  readonly statements: readonly StatementModel[];
  /** Order of the top-level elements in the text (a permutation of {@link TOP_KEYS}). */
  readonly keyOrder: readonly TopKey[];
}

function oneOrList(values: readonly string[], asList: boolean): JsonValue {
  return asList || values.length !== 1 ? [...values] : (values[0] as string);
}

/** The ordered JSON of a principal. */
export function principalToJson(p: PrincipalModel): JsonValue {
  if (p.form === 'star') return '*';
  return new JsonObject(p.entries.map((e) => [e.key, oneOrList(e.values, e.asList)] as const));
}

/** The ordered JSON of a condition block. */
export function conditionToJson(clauses: readonly ConditionClause[]): JsonObject {
  return new JsonObject(
    clauses.map(
      (c) =>
        [
          c.operator,
          new JsonObject(c.entries.map((e) => [e.key, typeof e.value === 'object' ? [...e.value] : e.value] as const)),
        ] as const,
    ),
  );
}

/** The ordered JSON of a statement. */
export function statementToJson(s: StatementModel): JsonObject {
  const entries: (readonly [string, JsonValue])[] = [];
  for (const k of s.keyOrder) {
    switch (k) {
      case 'Sid':
        if (s.sid !== undefined) entries.push(['Sid', s.sid]);
        break;
      case 'Effect':
        entries.push(['Effect', s.effect]);
        break;
      case 'Principal':
        entries.push(['Principal', principalToJson(s.principal)]);
        break;
      case 'Action':
        if (s.action) entries.push([s.action.element, oneOrList(s.action.values, s.action.asList)]);
        break;
      case 'Resource':
        if (s.resource) entries.push(['Resource', s.resource.asList ? ['*'] : '*']);
        break;
      case 'Condition':
        if (s.condition && s.condition.length > 0) entries.push(['Condition', conditionToJson(s.condition)]);
        break;
    }
  }
  return new JsonObject(entries);
}

/** The ordered JSON of a policy. */
export function policyToJson(m: PolicyModel): JsonObject {
  const entries: (readonly [string, JsonValue])[] = [];
  for (const k of m.keyOrder) {
    if (k === 'Version') entries.push(['Version', m.version]);
    else if (k === 'Id') {
      if (m.id !== undefined) entries.push(['Id', m.id]);
    } else {
      const stmts = m.statements.map(statementToJson);
      entries.push(['Statement', m.statementForm === 'object' && stmts.length === 1 ? (stmts[0] as JsonObject) : stmts]);
    }
  }
  return new JsonObject(entries);
}

const LATIN1 = /[\u0080-\u00ff]/;

/**
 * Grammar and formatting features of a rendered model (names of `VALID_POLICY_FEATURES`). Features
 * only the text can show, such as `\/` escapes, are read off the text by `textFeatures`.
 */
export function policyFeatures(m: PolicyModel, style: TextStyle, accountId: string, callerArn: string): string[] {
  const f = new Set<string>();
  f.add(m.id === undefined ? 'id.absent' : 'id.present');
  f.add(m.statementForm === 'object' ? 'statement.object' : 'statement.array');
  if (m.statements.length > 1) f.add('statement.multiple');
  if (m.keyOrder.join() !== TOP_KEYS.join()) f.add('order.top.permuted');
  const sids = new Map<string, number>();
  const strings: string[] = [m.version, ...(m.id === undefined ? [] : [m.id])];
  for (const s of m.statements) {
    if (s.keyOrder.join() !== STATEMENT_KEYS.join()) f.add('order.statement.permuted');
    f.add(s.effect === 'Allow' ? 'effect.allow' : 'effect.deny');
    if (s.sid === undefined) f.add('sid.absent');
    else {
      f.add('sid.present');
      strings.push(s.sid);
      if (s.sid.includes(' ')) f.add('sid.spaces');
      sids.set(s.sid, (sids.get(s.sid) ?? 0) + 1);
    }
    if (s.principal.form === 'star') f.add('principal.star');
    else {
      if (s.principal.entries.length > 1) f.add('principal.multipleTypes');
      for (const e of s.principal.entries) {
        if (e.values.length > 1) f.add('principal.list');
        else if (e.asList) f.add('principal.singletonList');
        for (const v of e.values) {
          strings.push(v);
          if (e.key === 'Service') f.add('principal.service');
          else if (v === '*') f.add('principal.aws.star');
          else if (v === accountId) f.add('principal.account.id');
          else if (v.endsWith(':root')) f.add('principal.account.arn');
          else if (v === callerArn) f.add('principal.caller');
          else if (v.includes(':assumed-role/')) f.add('principal.assumedRole');
          else if (v.includes(':user/')) f.add('principal.user');
          else if (v.includes(':role/')) f.add('principal.role');
        }
      }
    }
    if (!s.action) f.add('action.absent');
    else {
      f.add('action.present');
      f.add(s.action.values.length === 1 && !s.action.asList ? 'action.string' : 'action.list');
      for (const a of s.action.values) {
        strings.push(a);
        if (a === '*') f.add('action.star');
        else if (a.includes('*') || a.includes('?')) f.add('action.wildcard');
        else f.add('action.exact');
        if (/^KMS:|^kms:[a-z]/.test(a)) f.add('action.case');
      }
    }
    if (!s.resource) f.add('resource.absent');
    else f.add(s.resource.asList ? 'resource.list' : 'resource.string');
    if (s.condition && s.condition.length > 0) {
      f.add('condition.present');
      if (s.condition.length > 1) f.add('condition.multipleOperators');
      for (const c of s.condition) {
        if (c.operator.endsWith('IfExists')) f.add('condition.ifExists');
        if (c.operator.startsWith('ForAnyValue:') || c.operator.startsWith('ForAllValues:')) f.add('condition.setOperator');
        if (c.operator.startsWith('Arn')) f.add('condition.arn');
        if (c.operator.startsWith('Numeric') || c.operator.startsWith('Date') || c.operator === 'IpAddress') f.add('condition.otherType');
        if (c.entries.length > 1) f.add('condition.multipleKeys');
        for (const e of c.entries) {
          if (typeof e.value === 'boolean') f.add('condition.boolean');
          else if (typeof e.value === 'number') f.add('condition.number');
          else if (typeof e.value === 'string') {
            f.add('condition.string');
            strings.push(e.value);
          } else {
            f.add('condition.list');
            strings.push(...e.value);
          }
        }
      }
    }
  }
  if ([...sids.values()].some((n) => n > 1)) f.add('sid.duplicate');
  if (strings.some((s) => LATIN1.test(s))) f.add(style.escapeNonAscii ? 'chars.latin1.escaped' : 'chars.latin1.raw');
  if (strings.some((s) => /["\\]/.test(s))) f.add('chars.jsonEscape');
  f.add(`format.${style.layout}`);
  if (style.layout === 'pretty') f.add(style.indent === '\t' ? 'format.indent.tab' : style.indent === '    ' ? 'format.indent.4' : 'format.indent.2');
  if (style.layout === 'pretty' || style.layout === 'jackson') {
    f.add(style.newline === '\r\n' ? 'format.newline.crlf' : style.newline === '\r' ? 'format.newline.cr' : 'format.newline.lf');
  }
  if (style.trailingNewline) f.add('format.trailingNewline');
  return [...f].sort();
}
