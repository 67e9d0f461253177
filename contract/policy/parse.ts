/**
 * Parses a key policy document: strict JSON with positions and duplicate-key detection, then the
 * IAM/KMS policy grammar (contract notes §8.2). Normalises `Statement` (object or array), every
 * `Principal` form, string-or-list elements and `Condition` values (booleans and numbers kept as
 * written). Reports structural findings; principal *existence* is checked by `checkPolicy`.
 */
import { CONTRACT_VERSIONS, type ContractVersionId } from '../types.ts';
import { findingRuleId, findingSeverity } from './findings.ts';
import { positionsOf, readJson, toPlain, type JsonEntry, type JsonNode } from './json.ts';
import { classifyPrincipal, PRINCIPAL_BLOCK_NAMES, type PrincipalBlockName, type PrincipalClass } from './principal.ts';
import type {
  ConditionBlock,
  FindingVariant,
  ParseResult,
  PolicyDocument,
  PolicyFinding,
  PolicyFindingCode,
  PolicyStatement,
  PrincipalBlock,
  SourcePosition,
} from './types.ts';

/** Options of {@link parsePolicy}. */
export interface ParseOptions {
  /**
   * Contract version used for the findings' `severity`.
   * @defaultValue the newest version, `2025-06-05`
   */
  readonly version?: ContractVersionId;
}

/** One principal value as written, with where it is and what it is. Used by `checkPolicy`. */
export interface PrincipalReference {
  readonly statementIndex: number;
  readonly element: 'Principal' | 'NotPrincipal';
  readonly block: PrincipalBlockName;
  readonly value: string;
  readonly path: string;
  readonly at: number;
  readonly classified: PrincipalClass;
}

/** {@link ParseResult} plus what the checker needs to continue. */
export type DetailedParseResult = ParseResult & {
  readonly principals: readonly PrincipalReference[];
  /** Builds a finding in the same style (severity for the version, position from the text). */
  readonly finding: FindingFactory;
};

/** Builds a {@link PolicyFinding}. */
export type FindingFactory = (
  code: PolicyFindingCode,
  path: string,
  at: number | undefined,
  message: string,
  extra?: { readonly value?: unknown; readonly variant?: FindingVariant },
) => PolicyFinding;

/** Top-level elements of a policy document (IAM grammar). */
export const TOP_LEVEL_ELEMENTS: readonly string[] = ['Version', 'Id', 'Statement'];
/** Elements of a statement (IAM grammar; KMS DG "up to six elements" plus the Not* forms). */
export const STATEMENT_ELEMENTS: readonly string[] = [
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
];
/** Policy language versions IAM knows. KMS documents only `2012-10-17`. */
export const POLICY_VERSIONS: readonly string[] = ['2012-10-17', '2008-10-17'];

const BASE_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
];

/**
 * Whether `op` is an IAM condition operator: a base operator, optionally with the `IfExists`
 * suffix and a `ForAllValues:`/`ForAnyValue:` set prefix, or `Null`.
 */
export function isConditionOperator(op: string): boolean {
  if (op === 'Null') return true;
  let rest = op;
  if (rest.startsWith('ForAllValues:')) rest = rest.slice('ForAllValues:'.length);
  else if (rest.startsWith('ForAnyValue:')) rest = rest.slice('ForAnyValue:'.length);
  if (rest.endsWith('IfExists')) rest = rest.slice(0, -'IfExists'.length);
  return BASE_OPERATORS.includes(rest);
}

/** `service:Action` with IAM wildcards, or `*`. @internal */
export const ACTION_SYNTAX = /^(\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$/;
/** Condition keys are `prefix:name` (`aws:SourceArn`, `kms:EncryptionContext:Dept`, `aws:PrincipalTag/x`). @internal */
export const CONDITION_KEY = /^[A-Za-z0-9-]+:\S+$/;
/** `"*"`, or an ARN with IAM wildcards. */
const RESOURCE_SYNTAX = /^arn:[^:]*:[^:]*:[^:]*:[^:]*:.+$/;

/** Escapes one JSON-pointer segment (RFC 6901). */
const seg = (s: string | number): string => {
  const t = String(s);
  return t.includes('~') || t.includes('/') ? t.replace(/~/g, '~0').replace(/\//g, '~1') : t;
};

const kindName = (n: JsonNode): string =>
  n.kind === 'object' ? 'an object' : n.kind === 'array' ? 'an array' : n.kind === 'null' ? 'null' : `a ${n.kind}`;

const quote = (n: JsonNode): string => JSON.stringify(toPlain(n, 2)) ?? String(n.kind);

/** Sets an own property, also for keys such as `__proto__`. @internal */
export function setOwn<T>(o: Record<string, T>, key: string, value: T): void {
  // Assignment makes the same enumerable, writable, configurable own property for every key but
  // `__proto__`, whose assignment would set the prototype instead.
  if (key === '__proto__') Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

/** Objects with at most this many entries are checked for duplicate keys without a set. */
const SMALL_OBJECT = 16;

/** Whether the key of `entries[k]` occurs among the entries before it. */
function keyBefore(entries: readonly JsonEntry[], k: number): boolean {
  const key = (entries[k] as JsonEntry).key;
  for (let j = 0; j < k; j++) if ((entries[j] as JsonEntry).key === key) return true;
  return false;
}

/** The entries of an object node, last one winning for duplicate keys (as `JSON.parse`). */
function lastWins(entries: readonly JsonEntry[]): Map<string, JsonEntry> {
  const m = new Map<string, JsonEntry>();
  for (const e of entries) m.set(e.key, e);
  return m;
}

/** The message of a statement without `Action` or `Resource` (`missing_action`, `missing_resource`). @internal */
export function missingElementMessage(index: number, element: 'Action' | 'Resource'): string {
  const add = element === 'Action' ? '"Action": [...]' : '"Resource": "*"';
  return `Statement ${index} has no ${element}; the KMS Developer Guide lists ${element} as required, and since 2025-06 the API documents that such a statement is accepted but has no effect. Add ${add}.`;
}

/** A {@link PolicyFinding} with the severity of `code` under `version`. @internal */
export function buildFinding(
  version: ContractVersionId,
  code: PolicyFindingCode,
  path: string,
  position: SourcePosition | undefined,
  message: string,
  extra: { readonly value?: unknown; readonly variant?: FindingVariant } = {},
): PolicyFinding {
  const f: { -readonly [K in keyof PolicyFinding]: PolicyFinding[K] } = {
    code,
    ruleId: findingRuleId(code),
    path,
    message,
    severity: findingSeverity(code, version, extra.variant),
  };
  if (extra.value !== undefined) f.value = extra.value;
  if (position !== undefined) f.position = position;
  if (extra.variant !== undefined) f.variant = extra.variant;
  return f;
}

/**
 * Parses a key policy document and reports its structural findings.
 *
 * `ok: false` only when no document can be read at all (not JSON, or not a JSON object);
 * otherwise `document` holds everything that could be normalised and `findings` says what is
 * wrong with the rest.
 *
 * @example
 * const r = parsePolicy('{"Version":"2012-10-17","Statement":{"Effect":"Allow", …}}');
 * if (r.ok) r.document.statementForm // 'object'
 */
export function parsePolicy(text: string, options: ParseOptions = {}): ParseResult {
  const { principals: _p, finding: _f, ...result } = parsePolicyDetailed(text, options);
  return result;
}

/**
 * {@link parsePolicy} plus the principal references and the finding factory the checker uses.
 * @internal
 */
export function parsePolicyDetailed(text: string, options: ParseOptions = {}): DetailedParseResult {
  const version = options.version ?? CONTRACT_VERSIONS[CONTRACT_VERSIONS.length - 1] ?? '2025-06-05';
  const toPosition = positionsOf(text);
  const findings: PolicyFinding[] = [];
  const principals: PrincipalReference[] = [];

  const finding: FindingFactory = (code, path, at, message, extra = {}) => buildFinding(version, code, path, at === undefined ? undefined : toPosition(at), message, extra);
  const add = (...args: Parameters<FindingFactory>): void => void findings.push(finding(...args));
  const where = (at: number): string => {
    const p: SourcePosition = toPosition(at);
    return `line ${p.line}, column ${p.column}`;
  };

  const read = readJson(text);
  if (!read.ok) {
    add('invalid_json', '', read.at, `Policy is not valid JSON: ${read.message} at ${where(read.at)}. Send a JSON object such as {"Version":"2012-10-17","Statement":[…]}.`, {
      value: text.length > 200 ? `${text.slice(0, 200)}…` : text,
    });
    return { ok: false, findings, principals, finding };
  }
  const root = read.node;

  // Duplicate keys anywhere in the document (bounded walk with an explicit stack). A node's path
  // is only spelled out when a duplicate is reported there.
  interface Visit {
    readonly node: JsonNode;
    readonly parent: Visit | undefined;
    readonly step: string | number;
  }
  const pathOf = (v: Visit): string => {
    const steps: string[] = [];
    for (let at: Visit | undefined = v; at?.parent !== undefined; at = at.parent) steps.push(seg(at.step));
    return steps.length === 0 ? '' : `/${steps.reverse().join('/')}`;
  };
  const stack: Visit[] = [{ node: root, parent: undefined, step: '' }];
  while (stack.length > 0) {
    const visit = stack.pop() as Visit;
    const { node } = visit;
    if (node.kind === 'object') {
      // Small objects (nearly all of a policy's) compare keys pairwise; larger ones use a set.
      const entries = node.entries;
      const seen = entries.length > SMALL_OBJECT ? new Set<string>() : undefined;
      let objectPath: string | undefined;
      for (let k = 0; k < entries.length; k++) {
        const e = entries[k] as JsonEntry;
        if (seen === undefined ? keyBefore(entries, k) : seen.has(e.key)) {
          const path = (objectPath ??= pathOf(visit));
          add(
            'duplicate_key',
            `${path}/${seg(e.key)}`,
            e.keyAt,
            `Key "${e.key}" appears more than once in the object at ${path === '' ? 'the top level' : path} (again at ${where(e.keyAt)}). KMS does not document which one wins; this checker keeps the last, as JSON.parse does. Remove the duplicate.`,
            { value: e.key },
          );
        }
        seen?.add(e.key);
      }
      for (let k = node.entries.length - 1; k >= 0; k--) {
        const e = node.entries[k] as JsonEntry;
        if (e.value.kind === 'object' || e.value.kind === 'array') stack.push({ node: e.value, parent: visit, step: e.key });
      }
    } else if (node.kind === 'array') {
      for (let k = node.items.length - 1; k >= 0; k--) {
        const item = node.items[k] as JsonNode;
        if (item.kind === 'object' || item.kind === 'array') stack.push({ node: item, parent: visit, step: k });
      }
    }
  }

  if (root.kind !== 'object') {
    add('not_an_object', '', root.at, `Policy must be a JSON object ({"Version": …, "Statement": […]}), got ${kindName(root)}.`, { value: toPlain(root, 2) });
    return { ok: false, findings, principals, finding };
  }

  const top = lastWins(root.entries);
  for (const e of root.entries) {
    if (!TOP_LEVEL_ELEMENTS.includes(e.key)) {
      add(
        'unknown_top_level_element',
        `/${seg(e.key)}`,
        e.keyAt,
        `Unknown element "${e.key}" at the top level of the policy; a key policy has only ${TOP_LEVEL_ELEMENTS.join(', ')} (names are case-sensitive). Remove or rename it.`,
        { value: e.key },
      );
    }
  }

  // Version
  let docVersion: string | undefined;
  const v = top.get('Version');
  if (v === undefined) {
    add('missing_version', '/Version', root.at, `The policy has no Version element; the KMS Developer Guide says to set "Version": "2012-10-17".`);
  } else if (v.value.kind !== 'string' || !POLICY_VERSIONS.includes(v.value.value)) {
    add('invalid_version', '/Version', v.value.at, `Version must be "2012-10-17", got ${quote(v.value)}. Set "Version": "2012-10-17".`, { value: toPlain(v.value, 2) });
  } else {
    docVersion = v.value.value;
    if (docVersion === '2008-10-17') {
      add('invalid_version', '/Version', v.value.at, `Version "2008-10-17" is an older IAM policy language version; KMS documents only "2012-10-17". Set "Version": "2012-10-17".`, {
        value: docVersion,
        variant: 'version-2008',
      });
    }
  }

  // Id
  let docId: string | undefined;
  const id = top.get('Id');
  if (id !== undefined) {
    if (id.value.kind === 'string') docId = id.value.value;
    else add('invalid_id', '/Id', id.value.at, `Id must be a string, got ${kindName(id.value)} ${quote(id.value)}. Use a string such as "key-policy-1" or remove Id.`, { value: toPlain(id.value, 2) });
  }

  // Statement
  const statements: PolicyStatement[] = [];
  let statementForm: 'array' | 'object' = 'array';
  const st = top.get('Statement');
  if (st === undefined) {
    add('missing_statement', '/Statement', root.at, `The policy has no Statement element; a key policy must have at least one statement. Add "Statement": [{…}].`);
  } else if (st.value.kind === 'array') {
    if (st.value.items.length === 0) {
      add('empty_statement', '/Statement', st.value.at, `Statement is an empty list; a key policy must have at least one statement.`, { value: [] });
    }
    st.value.items.forEach((item, i) => {
      if (item.kind !== 'object') {
        add('invalid_statement', `/Statement/${i}`, item.at, `Statement ${i} must be a JSON object, got ${kindName(item)} ${quote(item)}.`, { value: toPlain(item, 2) });
      } else {
        statements.push(parseStatement(item, i, `/Statement/${i}`));
      }
    });
  } else if (st.value.kind === 'object') {
    statementForm = 'object';
    add(
      'invalid_statement',
      '/Statement',
      st.value.at,
      `Statement is a single object; IAM grammar allows that, but KMS documents and examples only show a list. Write "Statement": [{…}] to be safe.`,
      { variant: 'statement-object' },
    );
    statements.push(parseStatement(st.value, 0, '/Statement'));
  } else {
    add('invalid_statement', '/Statement', st.value.at, `Statement must be a list of statement objects, got ${kindName(st.value)} ${quote(st.value)}.`, { value: toPlain(st.value, 2) });
  }

  const document: PolicyDocument = {
    ...(docVersion !== undefined ? { Version: docVersion } : {}),
    ...(docId !== undefined ? { Id: docId } : {}),
    statementForm,
    Statement: statements,
  };
  // Findings in document order (stable: several findings at one place keep their check order).
  findings.sort((a, b) => (a.position?.offset ?? -1) - (b.position?.offset ?? -1));
  return { ok: true, document, findings, principals, finding };

  // ---- statement grammar -------------------------------------------------------------------

  function parseStatement(node: JsonNode & { kind: 'object' }, index: number, path: string): PolicyStatement {
    const s: { -readonly [K in keyof PolicyStatement]: PolicyStatement[K] } = { index };
    const el = lastWins(node.entries);
    for (const e of node.entries) {
      if (!STATEMENT_ELEMENTS.includes(e.key)) {
        add(
          'unknown_statement_element',
          `${path}/${seg(e.key)}`,
          e.keyAt,
          `Unknown element "${e.key}" in statement ${index}; a statement has only ${STATEMENT_ELEMENTS.join(', ')} (names are case-sensitive). Remove or rename it.`,
          { value: e.key },
        );
      }
    }

    const sid = el.get('Sid');
    if (sid !== undefined) {
      if (sid.value.kind === 'string') s.Sid = sid.value.value;
      else add('invalid_sid', `${path}/Sid`, sid.value.at, `Sid of statement ${index} must be a string, got ${kindName(sid.value)} ${quote(sid.value)}.`, { value: toPlain(sid.value, 2) });
    }

    const effect = el.get('Effect');
    if (effect === undefined) {
      add('missing_effect', `${path}/Effect`, node.at, `Statement ${index} has no Effect; add "Effect": "Allow" or "Effect": "Deny".`);
    } else if (effect.value.kind === 'string' && (effect.value.value === 'Allow' || effect.value.value === 'Deny')) {
      s.Effect = effect.value.value;
    } else {
      add('invalid_effect', `${path}/Effect`, effect.value.at, `Effect of statement ${index} must be "Allow" or "Deny" (case-sensitive), got ${quote(effect.value)}.`, {
        value: toPlain(effect.value, 2),
      });
    }

    const principal = el.get('Principal');
    const notPrincipal = el.get('NotPrincipal');
    if (principal === undefined && notPrincipal === undefined) {
      add('missing_principal', `${path}/Principal`, node.at, `Statement ${index} has no Principal; each statement in a key policy must contain one or more principals.`);
    }
    if (principal !== undefined && notPrincipal !== undefined) {
      add('principal_and_not_principal', `${path}/NotPrincipal`, notPrincipal.keyAt, `Statement ${index} has both Principal and NotPrincipal; use exactly one of them.`);
    }
    if (principal !== undefined) {
      const b = parsePrincipalBlock(principal.value, index, 'Principal', `${path}/Principal`);
      if (b !== undefined) s.Principal = b;
    }
    if (notPrincipal !== undefined) {
      const b = parsePrincipalBlock(notPrincipal.value, index, 'NotPrincipal', `${path}/NotPrincipal`);
      if (b !== undefined) s.NotPrincipal = b;
      if (s.Effect === 'Allow') {
        add('not_principal_with_allow', `${path}/NotPrincipal`, notPrincipal.keyAt, `Statement ${index} uses NotPrincipal with "Effect": "Allow"; IAM allows NotPrincipal only with "Effect": "Deny". Use Principal instead.`);
      } else {
        add(
          'not_principal',
          `${path}/NotPrincipal`,
          notPrincipal.keyAt,
          `Statement ${index} uses NotPrincipal; IAM allows it with "Effect": "Deny", but the KMS documentation never mentions NotPrincipal in key policies. Prefer Principal with conditions.`,
        );
      }
    }

    const list = (name: 'Action' | 'NotAction' | 'Resource' | 'NotResource', code: 'invalid_action' | 'invalid_resource'): string[] | undefined => {
      const e = el.get(name);
      if (e === undefined) return undefined;
      const p = `${path}/${name}`;
      const items: { value: string; at: number; path: string }[] = [];
      if (e.value.kind === 'string') items.push({ value: e.value.value, at: e.value.at, path: p });
      else if (e.value.kind === 'array' && e.value.items.length > 0 && e.value.items.every((x) => x.kind === 'string')) {
        e.value.items.forEach((x, k) => items.push({ value: (x as { value: string }).value, at: x.at, path: `${p}/${k}` }));
      } else {
        add(code, p, e.value.at, `${name} of statement ${index} must be a string or a non-empty list of strings, got ${kindName(e.value)} ${quote(e.value)}.`, {
          value: toPlain(e.value, 2),
        });
        return undefined;
      }
      for (const it of items) {
        if (code === 'invalid_action') checkAction(it.value, it.path, it.at, index, name);
        else checkResource(it.value, it.path, it.at, index, name);
      }
      return items.map((x) => x.value);
    };

    const hasAction = el.has('Action');
    const hasNotAction = el.has('NotAction');
    const action = list('Action', 'invalid_action');
    const notAction = list('NotAction', 'invalid_action');
    if (action !== undefined) s.Action = action;
    if (notAction !== undefined) s.NotAction = notAction;
    if (hasAction && hasNotAction) {
      add('action_and_not_action', `${path}/NotAction`, el.get('NotAction')?.keyAt, `Statement ${index} has both Action and NotAction; use exactly one of them.`);
    } else if (hasNotAction) {
      add(
        'invalid_action',
        `${path}/NotAction`,
        el.get('NotAction')?.keyAt,
        `Statement ${index} uses NotAction; IAM grammar allows it, but the KMS documentation never shows NotAction in key policies. Prefer an explicit Action list.`,
        { variant: 'not-action' },
      );
    } else if (!hasAction) {
      add(
        'missing_action',
        `${path}/Action`,
        node.at,
        missingElementMessage(index, 'Action'),
      );
    }

    const hasResource = el.has('Resource');
    const hasNotResource = el.has('NotResource');
    const resource = list('Resource', 'invalid_resource');
    const notResource = list('NotResource', 'invalid_resource');
    if (resource !== undefined) s.Resource = resource;
    if (notResource !== undefined) s.NotResource = notResource;
    if (hasResource && hasNotResource) {
      add('resource_and_not_resource', `${path}/NotResource`, el.get('NotResource')?.keyAt, `Statement ${index} has both Resource and NotResource; use exactly one of them.`);
    } else if (hasNotResource) {
      add(
        'invalid_resource',
        `${path}/NotResource`,
        el.get('NotResource')?.keyAt,
        `Statement ${index} uses NotResource; IAM grammar allows it, but in a key policy the Resource is "*" (this KMS key). Use "Resource": "*".`,
        { variant: 'not-resource' },
      );
    } else if (!hasResource) {
      add(
        'missing_resource',
        `${path}/Resource`,
        node.at,
        missingElementMessage(index, 'Resource'),
      );
    }

    const cond = el.get('Condition');
    if (cond !== undefined) {
      const c = parseCondition(cond.value, index, `${path}/Condition`);
      if (c !== undefined) s.Condition = c;
    }
    return s;
  }

  function checkAction(value: string, path: string, at: number, index: number, name: string): void {
    if (!ACTION_SYNTAX.test(value)) {
      add('invalid_action', path, at, `${name} "${value}" in statement ${index} is not an action; write service:ActionName, e.g. "kms:PutKeyPolicy", "kms:Get*" or "*".`, { value });
    } else if (value !== '*' && value.slice(0, value.indexOf(':')).toLowerCase() !== 'kms') {
      add('invalid_action', path, at, `${name} "${value}" in statement ${index} names another service than kms; a key policy controls only kms: actions. Use kms:… actions.`, {
        value,
        variant: 'foreign-service',
      });
    }
  }

  function checkResource(value: string, path: string, at: number, index: number, name: string): void {
    if (value === '*') return;
    if (!RESOURCE_SYNTAX.test(value)) {
      add('invalid_resource', path, at, `${name} "${value}" in statement ${index} is neither "*" nor an ARN. In a key policy use "Resource": "*" (this KMS key).`, { value });
    } else {
      add('invalid_resource', path, at, `${name} "${value}" in statement ${index} is an ARN; the KMS Developer Guide says the Resource of a key policy is "*" (this KMS key). Use "*".`, {
        value,
        variant: 'resource-not-star',
      });
    }
  }

  function parsePrincipalBlock(node: JsonNode, index: number, element: 'Principal' | 'NotPrincipal', path: string): PrincipalBlock | undefined {
    if (node.kind === 'string') {
      if (node.value === '*') return { wildcard: true, AWS: [], Service: [], Federated: [], CanonicalUser: [] };
      add(
        'invalid_principal',
        path,
        node.at,
        `${element} of statement ${index} is the string "${node.value}"; only "*" may be written bare. Write {"AWS": "${node.value}"} (or Service, Federated, CanonicalUser).`,
        { value: node.value },
      );
      return undefined;
    }
    if (node.kind !== 'object') {
      add('invalid_principal', path, node.at, `${element} of statement ${index} must be "*" or an object such as {"AWS": "..."}, got ${kindName(node)} ${quote(node)}.`, {
        value: toPlain(node, 2),
      });
      return undefined;
    }
    const lists: Record<PrincipalBlockName, string[]> = { AWS: [], Service: [], Federated: [], CanonicalUser: [] };
    const blocks = lastWins(node.entries);
    let invalid = 0;
    for (const e of node.entries) {
      if (!(PRINCIPAL_BLOCK_NAMES as readonly string[]).includes(e.key)) {
        invalid++;
        add(
          'invalid_principal',
          `${path}/${seg(e.key)}`,
          e.keyAt,
          `${element} of statement ${index} has the key "${e.key}"; principal keys are ${PRINCIPAL_BLOCK_NAMES.join(', ')}. IAM user groups are not a valid principal in any policy type.`,
          { value: e.key },
        );
      }
    }
    for (const name of PRINCIPAL_BLOCK_NAMES) {
      const e = blocks.get(name);
      if (e === undefined) continue;
      const p = `${path}/${name}`;
      const items: { value: string; at: number; path: string }[] = [];
      if (e.value.kind === 'string') items.push({ value: e.value.value, at: e.value.at, path: p });
      else if (e.value.kind === 'array' && e.value.items.every((x) => x.kind === 'string')) {
        e.value.items.forEach((x, k) => items.push({ value: (x as { value: string }).value, at: x.at, path: `${p}/${k}` }));
      } else {
        invalid++;
        add('invalid_principal', p, e.value.at, `${element}.${name} of statement ${index} must be a string or a list of strings, got ${kindName(e.value)} ${quote(e.value)}.`, {
          value: toPlain(e.value, 2),
        });
        continue;
      }
      for (const it of items) {
        const classified = classifyPrincipal(it.value, name);
        if (classified.kind === 'malformed') {
          invalid++;
          // A value written as an ARN is "an ARN in a key policy" that is not valid (decision 0601).
          add(it.value.startsWith('arn:') ? 'invalid_principal_arn' : 'invalid_principal', it.path, it.at, `${element}.${name} of statement ${index}: ${classified.detail}.`, { value: it.value });
        } else {
          lists[name].push(it.value);
          principals.push({ statementIndex: index, element, block: name, value: it.value, path: it.path, at: it.at, classified });
        }
      }
    }
    const count = lists.AWS.length + lists.Service.length + lists.Federated.length + lists.CanonicalUser.length;
    if (count === 0 && invalid === 0) {
      add('missing_principal', path, node.at, `${element} of statement ${index} names no principal; each statement in a key policy must contain one or more principals.`, {
        value: toPlain(node, 2),
      });
    }
    return { wildcard: false, ...lists };
  }

  function parseCondition(node: JsonNode, index: number, path: string): ConditionBlock | undefined {
    if (node.kind !== 'object') {
      add('invalid_condition', path, node.at, `Condition of statement ${index} must be an object {"<operator>": {"<key>": <value>}}, got ${kindName(node)} ${quote(node)}.`, {
        value: toPlain(node, 2),
      });
      return undefined;
    }
    const out: Record<string, Record<string, (string | boolean | number)[]>> = {};
    for (const [op, opEntry] of lastWins(node.entries)) {
      const opPath = `${path}/${seg(op)}`;
      if (!isConditionOperator(op)) {
        add('invalid_condition', opPath, opEntry.keyAt, `Condition operator "${op}" in statement ${index} is not an IAM condition operator (e.g. StringEquals, ArnLike, Bool, NumericLessThan, …IfExists, ForAnyValue:…).`, {
          value: op,
        });
        continue;
      }
      if (opEntry.value.kind !== 'object') {
        add('invalid_condition', opPath, opEntry.value.at, `Condition operator "${op}" in statement ${index} must map to an object {"<key>": <value>}, got ${kindName(opEntry.value)} ${quote(opEntry.value)}.`, {
          value: toPlain(opEntry.value, 2),
        });
        continue;
      }
      const keys: Record<string, (string | boolean | number)[]> = {};
      for (const [key, keyEntry] of lastWins(opEntry.value.entries)) {
        const keyPath = `${opPath}/${seg(key)}`;
        if (!CONDITION_KEY.test(key)) {
          add('invalid_condition', keyPath, keyEntry.keyAt, `Condition key "${key}" in statement ${index} has no service prefix; condition keys look like aws:SourceArn or kms:ViaService.`, {
            value: key,
            variant: 'condition-key',
          });
        }
        const val = keyEntry.value;
        const scalar = (x: JsonNode): x is JsonNode & { kind: 'string' | 'number' | 'boolean' } => x.kind === 'string' || x.kind === 'number' || x.kind === 'boolean';
        if (scalar(val)) {
          setOwn(keys, key, [val.value]);
        } else if (val.kind === 'array' && val.items.length > 0 && val.items.every(scalar)) {
          setOwn(
            keys,
            key,
            val.items.map((x) => (x as { value: string | number | boolean }).value),
          );
        } else {
          add(
            'invalid_condition',
            keyPath,
            val.at,
            `Condition value of ${op} "${key}" in statement ${index} must be a string, number, boolean or a non-empty list of them, got ${kindName(val)} ${quote(val)}.`,
            { value: toPlain(val, 2) },
          );
        }
      }
      setOwn(out, op, keys);
    }
    return out;
  }
}
