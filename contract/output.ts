/**
 * Checks of successful answers against the output rules (`contract/rules/output.ts`, decision
 * 0503). Without context only the form is checked; with the request and the world the content is
 * compared with the key the request names.
 */
import { aliasArn } from './identities.ts';
import { resolveKey } from './keyid.ts';
import { DEFAULT_KEY_POLICY } from './policy/default-policy.ts';
import { DEFAULT_PAGE_SIZE, listingOutputRuleId } from './rules/pagination.ts';
import type { KeyInfo, OperationName, OracleRequest, World } from './types.ts';

/** What the output checks may know besides the body: the request and the world it ran in (before the request). */
export interface OutputContext {
  readonly request: OracleRequest;
  readonly world: World;
}

/** One broken output rule. */
export interface OutputFinding {
  readonly kind: 'violation';
  readonly ruleId: string;
  readonly message: string;
}

const KEY_ARN = /^arn:[a-z0-9-]+:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-zA-Z-]+$/;

/** Parses a JSON document, `undefined` when it is not JSON. */
function json(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Deep equality of parsed JSON values (object member order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function keyOf(ctx: OutputContext | undefined, op: OperationName): KeyInfo | undefined {
  const id = ctx?.request.input.KeyId;
  if (ctx === undefined || typeof id !== 'string') return undefined;
  const r = resolveKey(id, ctx.world, op);
  return r.kind === 'found' ? r.key : undefined;
}

const ENABLED_OF: Readonly<Partial<Record<KeyInfo['state'], boolean>>> = { Enabled: true, Disabled: false, PendingDeletion: false, PendingImport: false };

/**
 * The output rules a 2xx answer of `op` breaks.
 *
 * @example
 * checkOutput('ListKeyPolicies', '{"PolicyNames":["default"],"Truncated":false}') // []
 */
export function checkOutput(op: OperationName, body: string, ctx?: OutputContext): OutputFinding[] {
  const out: OutputFinding[] = [];
  const broken = (ruleId: string, message: string): void => void out.push({ kind: 'violation', ruleId, message });
  const parsed = json(body.trim() === '' ? '{}' : body);
  const o: Readonly<Record<string, unknown>> = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  const key = keyOf(ctx, op);
  switch (op) {
    case 'GetKeyPolicy': {
      const doc = typeof o.Policy === 'string' ? json(o.Policy) : undefined;
      if (doc === undefined || doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
        broken('GetKeyPolicy.output.policy', `GetKeyPolicy answered no Policy holding a JSON document (Policy: ${JSON.stringify(o.Policy)?.slice(0, 80)}).`);
      } else if (key !== undefined && !jsonEqual(doc, json(key.policy))) {
        broken('GetKeyPolicy.output.policy', `GetKeyPolicy answered a policy that differs from the one in force on ${key.arn}.`);
      } else if (key !== undefined && key.policy === DEFAULT_KEY_POLICY(key.accountId, key.arn.split(':')[1]) && o.Policy !== key.policy) {
        broken('GetKeyPolicy.output.defaultPolicyText', `GetKeyPolicy answered the default key policy of ${key.arn} re-formatted; AWS returns it byte for byte in its own layout ("Version" : "2012-10-17", [ {, two-space indent, no trailing newline).`);
      }
      if (o.PolicyName !== undefined && o.PolicyName !== 'default') {
        broken('GetKeyPolicy.output.policyName', `GetKeyPolicy answered PolicyName ${JSON.stringify(o.PolicyName)}; the only valid value is default.`);
      }
      break;
    }
    case 'ListKeyPolicies':
      if (!jsonEqual(o.PolicyNames, ['default']) || (o.Truncated !== undefined && o.Truncated !== false)) {
        broken('ListKeyPolicies.output.policyNames', `ListKeyPolicies answered PolicyNames ${JSON.stringify(o.PolicyNames)}, Truncated ${JSON.stringify(o.Truncated)}; expected ["default"] and false.`);
      }
      break;
    case 'DescribeKey':
    case 'CreateKey': {
      const ruleId = `${op}.output.keyMetadata`;
      const m = o.KeyMetadata;
      if (m === null || typeof m !== 'object' || Array.isArray(m) || typeof (m as Record<string, unknown>).KeyId !== 'string') {
        broken(ruleId, `${op} answered no KeyMetadata with a KeyId.`);
        break;
      }
      const md = m as Record<string, unknown>;
      if (md.Arn !== undefined && (typeof md.Arn !== 'string' || !KEY_ARN.test(md.Arn) || !md.Arn.endsWith(`key/${String(md.KeyId)}`))) {
        broken(ruleId, `KeyMetadata.Arn ${JSON.stringify(md.Arn)} is not the key ARN of ${String(md.KeyId)}.`);
      }
      if (op === 'DescribeKey' && key !== undefined) {
        if (md.KeyId !== key.keyId || md.Arn !== key.arn) broken(ruleId, `DescribeKey answered KeyId ${String(md.KeyId)} / Arn ${String(md.Arn)}; the key is ${key.arn}.`);
        if (md.KeyState !== key.state) broken(ruleId, `DescribeKey answered KeyState ${String(md.KeyState)}; the key is ${key.state}.`);
        if (md.KeyManager !== undefined && md.KeyManager !== key.keyManager) broken(ruleId, `DescribeKey answered KeyManager ${String(md.KeyManager)}; the key is ${key.keyManager}-managed.`);
        const enabled = ENABLED_OF[key.state];
        if (enabled !== undefined && md.Enabled !== undefined && md.Enabled !== enabled) broken(ruleId, `DescribeKey answered Enabled ${String(md.Enabled)} for a ${key.state} key.`);
      }
      if (op === 'CreateKey') {
        const external = ctx?.request.input.Origin === 'EXTERNAL';
        const state = external ? 'PendingImport' : 'Enabled';
        if (ctx !== undefined && md.KeyState !== state) broken(ruleId, `CreateKey answered KeyState ${String(md.KeyState)}; a new ${external ? 'EXTERNAL' : 'AWS_KMS'} key is ${state}.`);
        if (ctx !== undefined && md.Enabled !== undefined && md.Enabled !== !external) broken(ruleId, `CreateKey answered Enabled ${String(md.Enabled)}; a new ${state} key has Enabled ${String(!external)}.`);
        if (md.KeyManager !== undefined && md.KeyManager !== 'CUSTOMER') broken(ruleId, `CreateKey answered KeyManager ${String(md.KeyManager)}; keys you create are CUSTOMER managed.`);
      }
      break;
    }
    case 'ScheduleKeyDeletion':
    case 'CancelKeyDeletion': {
      const ruleId = `${op}.output.keyId`;
      if (typeof o.KeyId !== 'string' || !KEY_ARN.test(o.KeyId)) broken(ruleId, `${op} answered KeyId ${JSON.stringify(o.KeyId)}; it is the key ARN.`);
      else if (key !== undefined && o.KeyId !== key.arn) broken(ruleId, `${op} answered KeyId ${o.KeyId}; the key ARN is ${key.arn}.`);
      if (op === 'ScheduleKeyDeletion' && o.KeyState !== undefined && o.KeyState !== 'PendingDeletion' && o.KeyState !== 'PendingReplicaDeletion') {
        broken(ruleId, `ScheduleKeyDeletion answered KeyState ${JSON.stringify(o.KeyState)}; expected PendingDeletion (or PendingReplicaDeletion).`);
      }
      break;
    }
    case 'ListKeys':
    case 'ListAliases':
      out.push(...listingFindings(op, o, ctx, key));
      break;
    default:
      break;
  }
  return out;
}

const ALIAS_ARN = /^arn:[a-z0-9-]+:kms:[a-z0-9-]+:\d{12}:alias\/.+$/;

/**
 * The listing rules (decision 0221): well-formed entries, at most `Limit` of them, a `NextMarker`
 * when truncated, and, on a complete first page, every key (alias) of the world's account and
 * Region. Entries the world does not know are allowed (AWS creates keys and aliases of its own).
 */
function listingFindings(op: 'ListKeys' | 'ListAliases', o: Readonly<Record<string, unknown>>, ctx: OutputContext | undefined, key: KeyInfo | undefined): OutputFinding[] {
  const ruleId = listingOutputRuleId(op);
  const out: OutputFinding[] = [];
  const broken = (message: string): void => void out.push({ kind: 'violation', ruleId, message });
  const member = op === 'ListKeys' ? 'Keys' : 'Aliases';
  const list = o[member];
  if (!Array.isArray(list)) {
    broken(`${op} answered no ${member} list (${member}: ${JSON.stringify(list)?.slice(0, 80)}).`);
    return out;
  }
  const input = ctx?.request.input ?? {};
  const world = ctx?.world;
  const names: string[] = [];
  for (const [i, e] of list.entries()) {
    const entry = (e !== null && typeof e === 'object' && !Array.isArray(e) ? e : {}) as Record<string, unknown>;
    if (op === 'ListKeys') {
      const id = entry.KeyId;
      if (typeof id !== 'string' || typeof entry.KeyArn !== 'string' || !KEY_ARN.test(entry.KeyArn) || !entry.KeyArn.endsWith(`key/${id}`)) {
        broken(`Keys[${i}] is ${JSON.stringify(e)?.slice(0, 120)}; each entry has KeyId and KeyArn, the key ARN of KeyId.`);
      } else names.push(id);
      continue;
    }
    const name = entry.AliasName;
    const expectedArn = typeof name === 'string' && world !== undefined ? aliasArn(name, world.region, world.accountId, world.partition) : undefined;
    const arnOk = typeof entry.AliasArn === 'string' && ALIAS_ARN.test(entry.AliasArn) && (expectedArn === undefined ? typeof name === 'string' && entry.AliasArn.endsWith(`:${name}`) : entry.AliasArn === expectedArn);
    if (typeof name !== 'string' || !name.startsWith('alias/') || !arnOk) {
      broken(`Aliases[${i}] is ${JSON.stringify(e)?.slice(0, 120)}; each entry has AliasName (alias/…) and its AliasArn${expectedArn === undefined ? '' : ` (${String(expectedArn)})`}.`);
      continue;
    }
    if (key !== undefined && entry.TargetKeyId !== key.keyId) broken(`Aliases[${i}] (${name}) targets ${String(entry.TargetKeyId)}; the request asked only for the aliases of ${key.keyId}.`);
    names.push(name);
  }
  const limit = typeof input.Limit === 'number' ? input.Limit : DEFAULT_PAGE_SIZE[op];
  if (list.length > limit) broken(`${op} answered ${list.length} ${member.toLowerCase()} for Limit ${limit}${typeof input.Limit === 'number' ? '' : ' (the default)'}.`);
  if (o.Truncated === true && (typeof o.NextMarker !== 'string' || o.NextMarker === '')) broken(`${op} answered Truncated true without a NextMarker to continue from.`);
  if (world === undefined || input.Marker !== undefined || o.Truncated === true) return out;
  // A complete first page: every key (alias) of the account and Region is listed.
  const listed = new Set(names);
  const expected =
    op === 'ListKeys'
      ? world.keys.filter((k) => k.accountId === world.accountId && k.region === world.region).map((k) => k.keyId)
      : world.aliases.filter((a) => input.KeyId === undefined || a.targetKeyId === key?.keyId).map((a) => a.name);
  const missing = expected.filter((x) => !listed.has(x));
  if (missing.length > 0) broken(`${op} answered a complete listing (Truncated not true) without ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}.`);
  return out;
}
