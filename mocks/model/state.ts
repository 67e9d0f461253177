/**
 * The data the mock keeps: key records (immutable versions, so reads can lag behind writes),
 * aliases, per account and Region, and the snapshot format.
 */
import type { KeyState } from '../../contract/types.ts';

/** Tags as CreateKey takes them. */
export interface TagRecord {
  readonly TagKey: string;
  readonly TagValue: string;
}

/** One version of a key. Dates are epoch milliseconds. Never mutated: a change writes a new version. */
export interface KeyRecord {
  readonly keyId: string;
  readonly arn: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly createdAt: number;
  readonly description: string;
  readonly keySpec: string;
  readonly keyUsage: string;
  readonly origin: string;
  readonly keyManager: 'CUSTOMER' | 'AWS';
  readonly multiRegion: boolean;
  readonly state: KeyState;
  /** Set while the key is pending deletion. */
  readonly deletionDate?: number;
  readonly pendingWindowInDays?: number;
  /** The key policy text exactly as sent (or the default policy). */
  readonly policy: string;
  /** Present for keys with AWS_KMS key material. */
  readonly currentKeyMaterialId?: string;
  readonly tags: readonly TagRecord[];
}

/** A version of a key at a point in time; `key: null` means the key was deleted then. */
export interface KeyVersion {
  readonly at: number;
  readonly key: KeyRecord | null;
}

/** An alias (`alias/<name>`) pointing to a key id. */
export interface AliasRecord {
  readonly name: string;
  readonly arn: string;
  readonly targetKeyId: string;
  readonly createdAt: number;
  /** When the alias was last pointed at a key, if not at creation. */
  readonly updatedAt?: number;
}

/** State of one account in one Region. */
export interface RegionState {
  /** Key id → versions, oldest first. */
  readonly keys: Map<string, KeyVersion[]>;
  /** Alias name → alias. */
  readonly aliases: Map<string, AliasRecord>;
}

/**
 * A snapshot of the whole model (from `KmsModel.snapshot()`), plain data that `structuredClone`
 * and `JSON.stringify` handle. Restore it with `KmsModel.restore()`.
 */
export interface MockSnapshot {
  readonly format: 'kms-conformance/mock-snapshot@1';
  readonly regions: readonly {
    readonly accountId: string;
    readonly region: string;
    readonly keys: readonly (readonly [string, readonly KeyVersion[]])[];
    readonly aliases: readonly AliasRecord[];
  }[];
  /** Access count of the key-id stream, so ids after a restore continue deterministically. */
  readonly idDraws: number;
}
