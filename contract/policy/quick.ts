/**
 * The checker's fast path for the common case: a policy without a single finding. `JSON.parse`
 * reads the text natively, a count of the keys as written proves that no key repeats, and the
 * grammar is walked over the plain value, giving up at the first thing `parse.ts` would report. A
 * policy it accepts gets exactly the document and the empty findings the full checker gives (a
 * property test holds the two to that over the valid and invalid policy generators); anything
 * else, it leaves to the full checker, which knows positions and words the findings.
 */
import type { CheckOptions, ConditionBlock, PolicyDocument, PolicyStatement, PrincipalBlock } from './types.ts';
import { keysWritten } from './json.ts';
import { ACTION_SYNTAX, CONDITION_KEY, isConditionOperator, setOwn, STATEMENT_ELEMENTS, TOP_LEVEL_ELEMENTS } from './parse.ts';
import { classifyPrincipal, directoryKind, PRINCIPAL_BLOCK_NAMES } from './principal.ts';

type Plain = Record<string, unknown>;

const isObject = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Gives up on the policy (the full checker takes it). */
class NotQuick extends Error {}
const GIVE_UP = new NotQuick();

/**
 * The document of `text` when the full checker would find nothing at all in it (no finding of any
 * severity, every principal known to the directory); `undefined` otherwise.
 */
export function inspectQuickly(text: string, options: CheckOptions): { findings: readonly []; document: PolicyDocument } | undefined {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(root)) return undefined;
  let keys = 0;
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
    if (v.Principal === undefined || v.Action === undefined || v.Resource === undefined) throw GIVE_UP;
    const s: { -readonly [K in keyof PolicyStatement]: PolicyStatement[K] } = { index };
    if (typeof v.Sid === 'string') s.Sid = v.Sid;
    s.Effect = v.Effect as 'Allow' | 'Deny';
    s.Principal = principalBlock(v.Principal);
    const actions = stringList(v.Action, true);
    for (const a of actions) {
      if (!ACTION_SYNTAX.test(a) || (a !== '*' && a.slice(0, a.indexOf(':')).toLowerCase() !== 'kms')) throw GIVE_UP;
    }
    s.Action = actions;
    const resources = stringList(v.Resource, true);
    for (const r of resources) if (r !== '*') throw GIVE_UP;
    s.Resource = resources;
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
    return { findings: [], document };
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}
