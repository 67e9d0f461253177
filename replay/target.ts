/**
 * What the runner needs from a target: the world it discovered, and per case a lease on the keys
 * and aliases the case needs, built behind this interface (seeded into the bundled mock in
 * process; created through the API itself on any endpoint). The runner never sees how.
 */
import type { KMSClient } from '@aws-sdk/client-kms';
import type { GeneratorContext } from '../generators/context.ts';
import type { RequestSetup } from '../generators/request-case.ts';
import type { CleanupInfo, SetupRecord, TargetInfo } from '../scoring/results.ts';
import type { RawSender } from './transports.ts';

/** What a case asks of its keys. */
export interface LeaseNeeds {
  /** The case may change a key's policy or state: it needs keys no other case uses meanwhile. */
  readonly mutates: boolean;
  /** The case may lock the caller out (bypass flag): it needs fresh keys, never reused. */
  readonly lockout: boolean;
  /** The case is a CreateKey that may create a key (it counts against the run's key budget). */
  readonly createsKey?: boolean;
  /** How many keys the case may create itself when `createsKey` (a sequence: several). @defaultValue 1 */
  readonly keysCreated?: number;
  /**
   * Alias names the case names that its set-up does not create (e.g. the alias a CreateAlias case
   * creates, or one that must not exist). On a shared target they get names of their own, so cases
   * never see each other's aliases, and any that exist after the case are deleted.
   */
  readonly aliasNames?: readonly string[];
}

/** The keys and aliases of one case, built and ready. */
export interface Lease {
  /** Pairs to rewrite the case with: the set-up's placeholder ids and alias names → the real ones. */
  readonly pairs: readonly (readonly [string, string])[];
  /** The set-up as built (real ids), what the oracle's world is made from. */
  readonly setup: RequestSetup;
  /** The set-up as recorded in the results (real ids and ARNs). */
  readonly record: SetupRecord;
  readonly sdk: KMSClient;
  readonly raw: RawSender;
  /** The body limit the target is known to have (the oracle's `maxBodyBytes`). */
  readonly maxBodyBytes: number;
  /** A key the case itself created (a successful CreateKey): cleaned up with the run's own keys. */
  adopt(key: { readonly keyId: string; readonly arn: string }): void;
  /**
   * Gives the keys back. `dirty`: the case may have changed them (the target then restores them
   * and checks the restore, or retires them). Never throws.
   */
  release(dirty: boolean): Promise<void>;
}

/** A lease the target cannot give, and why (the case becomes `skip` or `error`). */
export type LeaseRefusal = { readonly kind: 'skip' | 'error'; readonly reason: string };

/** A target, opened for one run. */
export interface OpenTarget {
  readonly info: TargetInfo;
  /** The world the cases are generated in and scored against (discovered on endpoints). */
  readonly context: GeneratorContext;
  /** How many cases may run at once. */
  readonly concurrency: number;
  /** Whether this target is a remote service (not loopback, not in process). */
  readonly remote: boolean;
  lease(setup: RequestSetup, needs: LeaseNeeds): Promise<Lease | LeaseRefusal>;
  /** Cleans up everything the run created and says what could not be cleaned. */
  close(): Promise<CleanupInfo>;
}

/** Whether a lease attempt was refused. */
export function isRefusal(x: Lease | LeaseRefusal): x is LeaseRefusal {
  return 'kind' in x && (x.kind === 'skip' || x.kind === 'error') && 'reason' in x && !('pairs' in x);
}
