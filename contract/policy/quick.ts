/**
 * The checker's fast path for the common case: a policy without a finding, or with only a
 * statement's missing `Action` or `Resource` (which the 2025-06 contract accepts). `JSON.parse`
 * reads the text natively, a count of the keys as written proves that no key repeats, and the
 * grammar is walked over the plain value, giving up at the first other thing `parse.ts` would
 * report. A policy it answers for gets exactly the document and findings the full checker gives (a
 * property test holds the two to that over the valid and invalid policy generators); anything
 * else, it leaves to the full checker.
 */
import type { CheckOptions, ConditionBlock, PolicyDocument, PolicyFinding, PolicyStatement, PrincipalBlock } from './types.ts';
import { closingQuote, isWs, keysWritten, positionsOf } from './json.ts';
import { ACTION_SYNTAX, buildFinding, CONDITION_KEY, isConditionOperator, missingElementMessage, setOwn, STATEMENT_ELEMENTS, TOP_LEVEL_ELEMENTS } from './parse.ts';
import { classifyPrincipal, directoryKind, PRINCIPAL_BLOCK_NAMES } from './principal.ts';

type Plain = Record<string, unknown>;

const isObject = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Gives up on the policy (the full checker takes it). */
class NotQuick extends Error {}
const GIVE_UP = new NotQuick();

/**
 * The document and findings of `text` when the full checker would find nothing in it but missing
 * `Action` or `Resource` elements (and every principal is known to the directory); `undefined`
 * otherwise.
 */
export function inspectQuickly(text: string, options: CheckOptions): { findings: readonly PolicyFinding[]; document: PolicyDocument } | undefined {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(root)) return undefined;
  let keys = 0;
  /** Statements without Action or Resource, in document order (the only findings this path reports). */
  const missing: { index: number; element: 'Action' | 'Resource' }[] = [];
  /** The keys of an object the grammar allows, all of them in `allowed`; counted for the duplicate check. */
  const keysOf = (o: Plain, allowed: readonly string[]): string[] => {
    const ks = Object.keys(o);
    keys += ks.length;
    for (const k of ks) if (!allowed.includes(k)) throw GIVE_UP;
    return ks;
  };
  const stringList = (v: unknown, nonEmpty: boolean): string[] => {
    if (typeof v === 'string') return [v];
    if (!Array.isArray(v) || (nonEmpty && v.length === 0)) throw GIVE_UP;
    for (const x of v) if (typeof x !== 'string') throw GIVE_UP;
    return v.slice() as string[];
  };

  const principalBlock = (v: unknown): PrincipalBlock => {
    if (v === '*') return { wildcard: true, AWS: [], Service: [], Federated: [], CanonicalUser: [] };
    if (!isObject(v)) throw GIVE_UP;
    keysOf(v, PRINCIPAL_BLOCK_NAMES);
    const lists: Record<(typeof PRINCIPAL_BLOCK_NAMES)[number], string[]> = { AWS: [], Service: [], Federated: [], CanonicalUser: [] };
    let count = 0;
    for (const name of PRINCIPAL_BLOCK_NAMES) {
      if (!Object.prototype.hasOwnProperty.call(v, name)) continue;
      for (const value of stringList(v[name], false)) {
        const classified = classifyPrincipal(value, name);
        if (classified.kind === 'malformed') throw GIVE_UP;
        const kind = directoryKind(classified);
        if (kind !== undefined && options.principals.lookup(value, kind) !== 'exists') throw GIVE_UP;
        lists[name].push(value);
        count++;
      }
    }
    if (count === 0) throw GIVE_UP;
    return { wildcard: false, ...lists };
  };

  const condition = (v: unknown): ConditionBlock => {
    if (!isObject(v)) throw GIVE_UP;
    const out: Record<string, Record<string, (string | boolean | number)[]>> = {};
    const ops = Object.keys(v);
    keys += ops.length;
    for (const op of ops) {
      const inner = v[op];
      if (!isConditionOperator(op) || !isObject(inner)) throw GIVE_UP;
      const block: Record<string, (string | boolean | number)[]> = {};
      const names = Object.keys(inner);
      keys += names.length;
      for (const key of names) {
        if (!CONDITION_KEY.test(key)) throw GIVE_UP;
        const val = inner[key];
        if (typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean') setOwn(block, key, [val]);
        else if (Array.isArray(val) && val.length > 0 && val.every((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')) setOwn(block, key, val.slice() as (string | boolean | number)[]);
        else throw GIVE_UP;
      }
      setOwn(out, op, block);
    }
    return out;
  };

  const statement = (v: unknown, index: number): PolicyStatement => {
    if (!isObject(v)) throw GIVE_UP;
    keysOf(v, STATEMENT_ELEMENTS);
    // Everything a statement without findings has, and nothing that always draws one.
    if (v.NotPrincipal !== undefined || v.NotAction !== undefined || v.NotResource !== undefined) throw GIVE_UP;
    if (v.Effect !== 'Allow' && v.Effect !== 'Deny') throw GIVE_UP;
    if (v.Sid !== undefined && typeof v.Sid !== 'string') throw GIVE_UP;
    if (v.Principal === undefined) throw GIVE_UP;
    const s: { -readonly [K in keyof PolicyStatement]: PolicyStatement[K] } = { index };
    if (typeof v.Sid === 'string') s.Sid = v.Sid;
    s.Effect = v.Effect as 'Allow' | 'Deny';
    s.Principal = principalBlock(v.Principal);
    if (v.Action === undefined) missing.push({ index, element: 'Action' });
    else {
      const actions = stringList(v.Action, true);
      for (const a of actions) {
        if (!ACTION_SYNTAX.test(a) || (a !== '*' && a.slice(0, a.indexOf(':')).toLowerCase() !== 'kms')) throw GIVE_UP;
      }
      s.Action = actions;
    }
    if (v.Resource === undefined) missing.push({ index, element: 'Resource' });
    else {
      const resources = stringList(v.Resource, true);
      for (const r of resources) if (r !== '*') throw GIVE_UP;
      s.Resource = resources;
    }
    if (v.Condition !== undefined) s.Condition = condition(v.Condition);
    return s;
  };

  try {
    keysOf(root, TOP_LEVEL_ELEMENTS);
    if (root.Version !== '2012-10-17') throw GIVE_UP;
    if (root.Id !== undefined && typeof root.Id !== 'string') throw GIVE_UP;
    const list = root.Statement;
    if (!Array.isArray(list) || list.length === 0) throw GIVE_UP;
    const statements = list.map((item, i) => statement(item, i));
    if (keys !== keysWritten(text)) return undefined; // a key repeats somewhere
    const document: PolicyDocument = { Version: '2012-10-17', ...(root.Id !== undefined ? { Id: root.Id as string } : {}), statementForm: 'array', Statement: statements };
    return { findings: missing.length === 0 ? [] : missingFindings(text, missing, options), document };
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

/**
 * The `missing_action` and `missing_resource` findings, worded and placed as the full checker
 * does: at the statement object's opening brace.
 */
function missingFindings(text: string, missing: readonly { index: number; element: 'Action' | 'Resource' }[], options: CheckOptions): PolicyFinding[] {
  const offsets = statementOffsets(text);
  const toPosition = positionsOf(text);
  return missing.map(({ index, element }) => {
    const at = offsets[index];
    if (at === undefined) throw new Error(`internal: statement ${index} not found in the policy text`);
    return buildFinding(options.version, element === 'Action' ? 'missing_action' : 'missing_resource', `/Statement/${index}/${element}`, toPosition(at), missingElementMessage(index, element));
  });
}

/**
 * Where each statement object of the top-level `Statement` list opens, in a text JSON.parse read
 * as a policy object without repeated keys (so there is one `Statement` key, and its items are
 * objects). Strings are skipped from quote to unescaped quote; only braces and brackets count.
 */
function statementOffsets(text: string): number[] {
  const out: number[] = [];
  let depth = 0;
  let nextIsStatement = false;
  let inList = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = closingQuote(text, i);
      if (end < 0) break; // not JSON after all (callers pass text JSON.parse read)
      if (depth === 1) {
        let j = end + 1;
        while (isWs(text.charCodeAt(j))) j++;
        if (text.charCodeAt(j) === 0x3a) {
          const raw = text.slice(i, end + 1);
          nextIsStatement = (raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1)) === 'Statement';
        }
      }
      i = end;
    } else if (c === 0x7b || c === 0x5b) {
      if (c === 0x7b && inList && depth === 2) out.push(i);
      if (c === 0x5b && nextIsStatement && depth === 1) inList = true;
      nextIsStatement = false;
      depth++;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 1) inList = false;
    }
  }
  return out;
}
