/**
 * The mock server's admin API, for users who reach the mock only over HTTP (boto3, the AWS CLI,
 * Go): health, reset, snapshot and restore, seeding keys (any state) and aliases, and switching
 * fault and divergence profiles. It lives under a path KMS never uses (KMS is `POST /` with
 * `X-Amz-Target`), as LocalStack's `/_localstack/` and moto's `/moto-api/` do, answers only
 * loopback clients, and speaks JSON both ways. Endpoints: see {@link ADMIN_ENDPOINTS} and
 * `mocks/README.md`.
 */
import { AWS_JSON_1_1, toWireJson } from '../contract/wire.ts';
import { OPERATIONS } from '../contract/types.ts';
import { DIVERGENCES } from './divergences.ts';
import type { DivergenceName } from './divergences.ts';
import { MockConfigError } from './errors.ts';
import type { MockHandler } from './handler.ts';
import type { KmsModel, SeedKeyInput } from './model/kms-model.ts';
import type { MockSnapshot, TagRecord } from './model/state.ts';
import type { FaultProfile } from './options.ts';

/** Every admin path starts with this; no KMS request does. */
export const ADMIN_PREFIX = '/_kms-conformance/';

/** The endpoints, `METHOD path` → what it does (also what a 404 lists). */
export const ADMIN_ENDPOINTS = {
  'GET health': 'is the mock up: {"status":"ok", contract version, Region, account, operations}',
  'POST reset': 'removes every key and alias; key ids, request ids and faults restart from the seed',
  'GET snapshot': 'the whole state as JSON (keep it to restore later)',
  'POST restore': 'replaces the state with a snapshot from GET snapshot (the body)',
  'POST keys': 'seeds a key in any state: {"state":"PendingImport","keyManager":"AWS",…} → {"KeyMetadata":…}',
  'POST aliases': 'creates or repoints an alias for set-up: {"aliasName":"alias/x","keyId":"…"}',
  'GET faults': 'the fault profile in force',
  'PUT faults': 'switches the fault profile: {"throttleRate":0.1,"serverErrorRate":0,"dropRate":0,"latencyMs":[5,50],"seed":7,"operations":[…]}',
  'GET divergences': 'the active divergence profiles and every available one with what it does',
  'PUT divergences': 'switches the divergence profiles: {"active":["skip-lockout-check"]} ({"active":[]} for none)',
} as const;

/** A request to the admin API, as the server hands it over. */
export interface AdminRequest {
  readonly method: string;
  /** The request path (a query string is ignored). */
  readonly path: string;
  /** The client's address (`req.socket.remoteAddress`). */
  readonly remoteAddress: string | undefined;
  readonly body: Uint8Array;
}

/** The answer: a status, headers and a JSON body; `code` names the error, for the request log. */
export interface AdminResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly code?: string;
}

/** Whether a request path is the admin API's (then the server hands it to {@link handleAdmin}). */
export function isAdminPath(path: string): boolean {
  return path === ADMIN_PREFIX.slice(0, -1) || path.startsWith(ADMIN_PREFIX);
}

/** Client addresses that never leave the machine (IPv4 127/8, IPv6 ::1, and IPv4-mapped 127/8). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const a = address.toLowerCase().replace(/^::ffff:/, '');
  return a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

function json(status: number, value: unknown, extra: Readonly<Record<string, string>> = {}): AdminResponse {
  return { status, headers: { 'content-type': 'application/json', ...extra }, body: `${JSON.stringify(value)}\n` };
}

function failure(status: number, code: string, message: string, extra: Readonly<Record<string, string>> = {}): AdminResponse {
  return { ...json(status, { error: { code, message } }, extra), code };
}

class AdminInputError extends Error {}

function readJson(body: Uint8Array): unknown {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new AdminInputError(`the body is not JSON (${(e as Error).message}); send a JSON object, e.g. {"state":"Disabled"}.`);
  }
}

function objectOf(v: unknown, what: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new AdminInputError(`${what} must be a JSON object, got ${JSON.stringify(v)?.slice(0, 80)}.`);
  return v as Record<string, unknown>;
}

const SEED_FIELDS: Readonly<Record<string, 'string' | 'boolean' | 'number' | 'tags' | 'date'>> = {
  accountId: 'string',
  region: 'string',
  keyId: 'string',
  state: 'string',
  keySpec: 'string',
  keyUsage: 'string',
  origin: 'string',
  keyManager: 'string',
  multiRegion: 'boolean',
  description: 'string',
  policy: 'string',
  pendingWindowInDays: 'number',
  createdAt: 'date',
  tags: 'tags',
};

/** A {@link SeedKeyInput} from JSON: known fields of the right JSON types (the model checks the values). */
export function seedInputFromJson(v: unknown): SeedKeyInput {
  const o = objectOf(v, 'the key to seed');
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(o)) {
    const kind = SEED_FIELDS[name];
    if (kind === undefined) throw new AdminInputError(`unknown field ${JSON.stringify(name)}; the fields are ${Object.keys(SEED_FIELDS).join(', ')}.`);
    if (kind === 'date') {
      const d = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : undefined;
      if (d === undefined || Number.isNaN(d.getTime())) throw new AdminInputError(`createdAt must be an ISO 8601 date or epoch seconds, got ${JSON.stringify(value)}.`);
      out[name] = d;
    } else if (kind === 'tags') {
      const ok = Array.isArray(value) && value.every((t) => t !== null && typeof t === 'object' && typeof (t as TagRecord).TagKey === 'string' && typeof (t as TagRecord).TagValue === 'string');
      if (!ok) throw new AdminInputError(`tags must be a list of {"TagKey":"…","TagValue":"…"}, got ${JSON.stringify(value)?.slice(0, 80)}.`);
      out[name] = value;
    } else if (typeof value !== kind) {
      throw new AdminInputError(`${name} must be a JSON ${kind}, got ${JSON.stringify(value)?.slice(0, 80)}.`);
    } else {
      out[name] = value;
    }
  }
  return out as SeedKeyInput;
}

/** A snapshot from JSON, checked for the shape {@link KmsModel.restore} reads. */
function snapshotFromJson(v: unknown): MockSnapshot {
  const o = objectOf(v, 'the snapshot');
  if (o.format !== 'kms-conformance/mock-snapshot@1') throw new AdminInputError('the body is not a snapshot from GET /_kms-conformance/snapshot (format kms-conformance/mock-snapshot@1).');
  const regionsOk =
    Array.isArray(o.regions) &&
    o.regions.every((r: unknown) => {
      const x = r as Record<string, unknown> | null;
      return (
        x !== null &&
        typeof x === 'object' &&
        typeof x.accountId === 'string' &&
        typeof x.region === 'string' &&
        Array.isArray(x.aliases) &&
        Array.isArray(x.keys) &&
        x.keys.every((k: unknown) => Array.isArray(k) && typeof k[0] === 'string' && Array.isArray(k[1]) && k[1].every((ver: unknown) => ver !== null && typeof ver === 'object' && typeof (ver as { at?: unknown }).at === 'number'))
      );
    });
  if (!regionsOk || !Number.isSafeInteger(o.idDraws)) throw new AdminInputError('the snapshot is damaged: regions (accountId, region, keys, aliases) or idDraws are missing or of the wrong type.');
  return o as unknown as MockSnapshot;
}

function faultsFromJson(v: unknown): FaultProfile {
  const o = objectOf(v, 'the fault profile');
  const known = ['seed', 'serverErrorRate', 'throttleRate', 'dropRate', 'latencyMs', 'operations'];
  for (const k of Object.keys(o)) if (!known.includes(k)) throw new AdminInputError(`unknown field ${JSON.stringify(k)}; the fields are ${known.join(', ')}.`);
  return o as FaultProfile;
}

function divergencesFromJson(v: unknown): DivergenceName[] {
  const active = objectOf(v, 'the divergence profiles').active;
  if (!Array.isArray(active) || !active.every((x) => typeof x === 'string')) throw new AdminInputError('send {"active":[…names…]}; GET /_kms-conformance/divergences lists the names.');
  return active as DivergenceName[];
}

/** The fault profile in force, as JSON. */
function faultsJson(model: KmsModel): Record<string, unknown> {
  const f = model.options.faults;
  return { seed: f.seed, serverErrorRate: f.serverErrorRate, throttleRate: f.throttleRate, dropRate: f.dropRate, ...(f.latencyMs === undefined ? {} : { latencyMs: f.latencyMs }), operations: f.operations };
}

/**
 * Answers one admin request. Never throws for anything a client sends: bad input is a 400 naming
 * what was wrong, a non-loopback client a 403, an unknown path a 404 listing the endpoints.
 */
export function handleAdmin(target: { readonly model: KmsModel; readonly handler: MockHandler }, request: AdminRequest): AdminResponse {
  const { model, handler } = target;
  if (!isLoopbackAddress(request.remoteAddress)) {
    return failure(403, 'Forbidden', `the admin API answers loopback clients only; ${String(request.remoteAddress)} is not one. Call it on the machine the mock runs on.`);
  }
  const path = request.path.split('?')[0] ?? '';
  const name = path.startsWith(ADMIN_PREFIX) ? path.slice(ADMIN_PREFIX.length).replace(/\/+$/, '') : '';
  const methods = Object.keys(ADMIN_ENDPOINTS)
    .filter((k) => k.endsWith(` ${name}`))
    .map((k) => k.split(' ')[0] ?? '');
  if (methods.length === 0) {
    return failure(404, 'NotFound', `no admin endpoint ${JSON.stringify(path)}; the endpoints are ${Object.keys(ADMIN_ENDPOINTS).map((k) => k.replace(' ', ` ${ADMIN_PREFIX}`)).join(', ')}.`);
  }
  if (!methods.includes(request.method)) {
    return failure(405, 'MethodNotAllowed', `${request.method} ${path} is not allowed; use ${methods.join(' or ')}.`, { allow: methods.join(', ') });
  }
  try {
    switch (`${request.method} ${name}`) {
      case 'GET health':
        return json(200, { status: 'ok', service: 'kms-conformance mock', contractVersion: model.options.contractVersion, region: model.options.region, accountId: model.options.accountId, operations: OPERATIONS, contentType: AWS_JSON_1_1 });
      case 'POST reset':
        model.reset();
        handler.resetStreams();
        return json(200, { reset: true });
      case 'GET snapshot':
        return json(200, model.snapshot());
      case 'POST restore': {
        const snapshot = snapshotFromJson(readJson(request.body));
        model.restore(snapshot);
        return json(200, { restored: true, keys: snapshot.regions.reduce((n, r) => n + r.keys.length, 0) });
      }
      case 'POST keys':
        return json(200, { KeyMetadata: toWireJson(model.seedKey(seedInputFromJson(readJson(request.body)))) });
      case 'POST aliases': {
        const o = objectOf(readJson(request.body), 'the alias');
        for (const k of Object.keys(o)) if (!['aliasName', 'keyId', 'accountId', 'region'].includes(k)) throw new AdminInputError(`unknown field ${JSON.stringify(k)}; the fields are aliasName, keyId, accountId, region.`);
        if (typeof o.aliasName !== 'string' || typeof o.keyId !== 'string') throw new AdminInputError('send {"aliasName":"alias/<name>","keyId":"<key id or ARN>"}.');
        const where = { ...(typeof o.accountId === 'string' ? { accountId: o.accountId } : {}), ...(typeof o.region === 'string' ? { region: o.region } : {}) };
        return json(200, { alias: model.createAlias(o.aliasName, o.keyId, where) });
      }
      case 'GET faults':
        return json(200, faultsJson(model));
      case 'PUT faults':
        model.reconfigure({ faults: faultsFromJson(readJson(request.body)) });
        return json(200, faultsJson(model));
      case 'GET divergences':
        return json(200, { active: [...model.options.divergences], available: DIVERGENCES });
      case 'PUT divergences':
        model.reconfigure({ divergences: divergencesFromJson(readJson(request.body)) });
        return json(200, { active: [...model.options.divergences] });
      default:
        return failure(404, 'NotFound', `no admin endpoint ${request.method} ${path}.`);
    }
  } catch (e) {
    if (e instanceof AdminInputError) return failure(400, 'BadRequest', e.message);
    if (e instanceof MockConfigError) return failure(400, 'BadRequest', `${e.option}: ${e.problem}`);
    throw e;
  }
}
