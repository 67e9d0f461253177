/**
 * Options of the bundled mock (shared by the model, the MSW handlers, the client-mock adapter and
 * the server), their defaults, and their validation. Validation happens once, when a model is
 * created, and names the option, the value and what to do.
 */
import { DEFAULT_ACCOUNT, DEFAULT_REGION } from '../contract/identities.ts';
import { KmsConformanceUserError } from '../contract/errors.ts';
import { resolveContractVersion } from '../contract/versions.ts';
import { DEFAULT_MAX_BODY_BYTES } from '../contract/wire.ts';
import { OPERATIONS } from '../contract/types.ts';
import type { Caller, ContractVersionId, KnownPrincipal, OperationName } from '../contract/types.ts';
import { DIVERGENCES } from './divergences.ts';
import type { DivergenceName } from './divergences.ts';
import { MockConfigError } from './errors.ts';

/**
 * A seeded fault profile. Each request draws once from the profile's own random stream: first
 * whether the connection is dropped, then throttled, then answered with a server error; latency is
 * added to every request that is not dropped.
 */
export interface FaultProfile {
  /** Seed of the fault stream. @defaultValue the mock's `seed` */
  readonly seed?: number;
  /** Share of requests answered `KMSInternalException` (HTTP 500), 0…1. @defaultValue 0 */
  readonly serverErrorRate?: number;
  /** Share of requests answered `ThrottlingException` (HTTP 400, contract notes §5.2), 0…1. @defaultValue 0 */
  readonly throttleRate?: number;
  /** Share of requests whose connection is dropped without an answer, 0…1. @defaultValue 0 */
  readonly dropRate?: number;
  /** Extra latency per request, drawn uniformly from `[min, max]` milliseconds. @defaultValue no latency */
  readonly latencyMs?: readonly [number, number];
  /** Operations the profile applies to. @defaultValue all thirteen */
  readonly operations?: readonly OperationName[];
}

/** Simulated eventual consistency: reads see the state as it was `ms` milliseconds ago. */
export interface ReadLag {
  readonly ms: number;
  /** Operations that read lagged state. @defaultValue `GetKeyPolicy`, `ListKeyPolicies`, `DescribeKey` */
  readonly operations?: readonly OperationName[];
}

/** Who an access key id stands for, and (for signature checks) its secret. */
export interface MockIdentity {
  readonly caller: Caller;
  /** Needed only with `verifySignatures: true`. */
  readonly secretAccessKey?: string;
}

/** Options of the bundled KMS mock. Every field is optional. */
export interface MockOptions {
  /** Region used when a request does not name one (its SigV4 scope does). @defaultValue `'us-east-1'` */
  readonly region?: string;
  /** Account of the default identity. @defaultValue `'111122223333'` */
  readonly accountId?: string;
  /** Contract version the rules are applied under: `latest`, a version id or a prefix. @defaultValue `'latest'` */
  readonly contractVersion?: string;
  /** Seed of key ids, request ids and (unless `faults.seed`) faults. @defaultValue 1 */
  readonly seed?: number;
  /** Fault injection. @defaultValue none */
  readonly faults?: FaultProfile;
  /** Shorthand for `readLag: { ms }`. */
  readonly readLagMs?: number;
  /** Simulated eventual consistency for reads. @defaultValue none */
  readonly readLag?: ReadLag;
  /**
   * Access key id → identity. Access key ids not listed act as the default administrator
   * (`arn:aws:iam::<accountId>:role/Admin`, IAM allows `*`) unless `verifySignatures` is on, when
   * they are rejected with `UnrecognizedClientException`.
   */
  readonly identities?: Readonly<Record<string, MockIdentity>>;
  /** Principals that exist besides the defaults (see `createPrincipalDirectory`). */
  readonly principals?: readonly KnownPrincipal[];
  /** Verify SigV4 signatures with the secrets in `identities`. @defaultValue false */
  readonly verifySignatures?: boolean;
  /** Request body limit in bytes. @defaultValue 1 MiB */
  readonly maxBodyBytes?: number;
  /** Current time in epoch milliseconds (inject a fake clock in tests). @defaultValue `Date.now` */
  readonly clock?: () => number;
  /** Named ways to break the contract on purpose (see `DIVERGENCES`), to show the suite catches them. @defaultValue none */
  readonly divergences?: readonly DivergenceName[];
}

/** Options after defaults and validation. */
export interface ResolvedMockOptions {
  readonly region: string;
  readonly accountId: string;
  readonly contractVersion: ContractVersionId;
  readonly seed: number;
  readonly faults: Required<Omit<FaultProfile, 'latencyMs'>> & { readonly latencyMs: readonly [number, number] | undefined };
  readonly readLag: { readonly ms: number; readonly operations: ReadonlySet<OperationName> };
  readonly identities: ReadonlyMap<string, MockIdentity>;
  readonly principals: readonly KnownPrincipal[];
  readonly verifySignatures: boolean;
  readonly maxBodyBytes: number;
  readonly clock: () => number;
  readonly divergences: ReadonlySet<DivergenceName>;
}

const READ_OPERATIONS: readonly OperationName[] = ['GetKeyPolicy', 'ListKeyPolicies', 'DescribeKey'];
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ACCOUNT = /^\d{12}$/;

function rate(name: string, v: number | undefined): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) {
    throw new MockConfigError(name, `must be a number from 0 to 1 (a share of requests), got ${JSON.stringify(v)}. Example: 0.1`);
  }
  return v;
}

function operations(name: string, v: readonly OperationName[] | undefined, fallback: readonly OperationName[]): ReadonlySet<OperationName> {
  if (v === undefined) return new Set(fallback);
  for (const op of v) {
    if (!(OPERATIONS as readonly string[]).includes(op)) {
      throw new MockConfigError(name, `unknown operation ${JSON.stringify(op)}; valid: ${OPERATIONS.join(', ')}.`);
    }
  }
  return new Set(v);
}

/** Applies defaults and validates; throws {@link MockConfigError} naming the bad option. */
export function resolveMockOptions(options: MockOptions = {}): ResolvedMockOptions {
  const region = options.region ?? DEFAULT_REGION;
  if (!REGION.test(region)) throw new MockConfigError('region', `${JSON.stringify(region)} is not a Region name. Example: us-east-1`);
  const accountId = options.accountId ?? DEFAULT_ACCOUNT;
  if (!ACCOUNT.test(accountId)) throw new MockConfigError('accountId', `${JSON.stringify(accountId)} is not a 12-digit AWS account id. Example: 111122223333`);
  let contractVersion: ContractVersionId;
  try {
    contractVersion = resolveContractVersion(options.contractVersion ?? 'latest');
  } catch (e) {
    throw new MockConfigError('contractVersion', e instanceof KmsConformanceUserError ? e.problem : String(e));
  }
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new MockConfigError('seed', `must be an integer, got ${JSON.stringify(seed)}. Example: 42`);

  const f = options.faults ?? {};
  const faultSeed = f.seed ?? seed;
  if (!Number.isSafeInteger(faultSeed)) throw new MockConfigError('faults.seed', `must be an integer, got ${JSON.stringify(faultSeed)}.`);
  const serverErrorRate = rate('faults.serverErrorRate', f.serverErrorRate);
  const throttleRate = rate('faults.throttleRate', f.throttleRate);
  const dropRate = rate('faults.dropRate', f.dropRate);
  if (serverErrorRate + throttleRate + dropRate > 1) {
    throw new MockConfigError('faults', `serverErrorRate + throttleRate + dropRate must not exceed 1, got ${serverErrorRate + throttleRate + dropRate}.`);
  }
  let latencyMs: readonly [number, number] | undefined;
  if (f.latencyMs !== undefined) {
    const [min, max] = f.latencyMs;
    if (!Number.isFinite(min) || !Number.isFinite(max) || min < 0 || max < min || max > 60_000) {
      throw new MockConfigError('faults.latencyMs', `must be [min, max] with 0 <= min <= max <= 60000 milliseconds, got ${JSON.stringify(f.latencyMs)}. Example: [5, 50]`);
    }
    latencyMs = [min, max];
  }

  const lagMs = options.readLag?.ms ?? options.readLagMs ?? 0;
  if (options.readLag !== undefined && options.readLagMs !== undefined) {
    throw new MockConfigError('readLagMs', 'give either readLagMs or readLag, not both.');
  }
  if (!Number.isFinite(lagMs) || lagMs < 0 || lagMs > 3_600_000) {
    throw new MockConfigError(options.readLag ? 'readLag.ms' : 'readLagMs', `must be from 0 to 3600000 milliseconds, got ${JSON.stringify(lagMs)}.`);
  }

  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1024) {
    throw new MockConfigError('maxBodyBytes', `must be a whole number of bytes, at least 1024, got ${JSON.stringify(maxBodyBytes)}.`);
  }

  const identities = new Map<string, MockIdentity>();
  for (const [akid, identity] of Object.entries(options.identities ?? {})) {
    if (!/^[A-Z0-9]{4,128}$/.test(akid)) {
      throw new MockConfigError(`identities.${akid}`, 'an access key id is 4 to 128 upper-case letters and digits. Example: AKIDEXAMPLE');
    }
    if (!identity || typeof identity.caller?.arn !== 'string' || !ACCOUNT.test(identity.caller.accountId)) {
      throw new MockConfigError(`identities.${akid}`, 'needs a caller with an arn and a 12-digit accountId.');
    }
    identities.set(akid, identity);
  }
  const verifySignatures = options.verifySignatures ?? false;
  if (verifySignatures) {
    for (const [akid, identity] of identities) {
      if (identity.secretAccessKey === undefined) {
        throw new MockConfigError(`identities.${akid}.secretAccessKey`, 'is required when verifySignatures is true.');
      }
    }
  }

  for (const d of options.divergences ?? []) {
    if (!Object.hasOwn(DIVERGENCES, d)) {
      throw new MockConfigError('divergences', `unknown profile ${JSON.stringify(d)}; valid: ${Object.keys(DIVERGENCES).join(', ')}.`);
    }
  }

  return {
    region,
    accountId,
    contractVersion,
    seed,
    faults: {
      seed: faultSeed,
      serverErrorRate,
      throttleRate,
      dropRate,
      latencyMs,
      operations: [...operations('faults.operations', f.operations, OPERATIONS)],
    },
    readLag: { ms: lagMs, operations: operations('readLag.operations', options.readLag?.operations, READ_OPERATIONS) },
    identities,
    principals: options.principals ?? [],
    verifySignatures,
    maxBodyBytes,
    clock: options.clock ?? Date.now,
    divergences: new Set(options.divergences ?? []),
  };
}
