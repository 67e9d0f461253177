/**
 * A generated request case (operation, input members, the keys and aliases it needs, its label)
 * and the {@link World} the oracle and the mock build from it.
 */
import { aliasArn, keyArn } from '../contract/identities.ts';
import { DEFAULT_KEY_POLICY } from '../contract/policy/index.ts';
import type { KeyState, OperationName, World } from '../contract/types.ts';
import type { GeneratorContext } from './context.ts';
import type { CaseLabel } from './labels.ts';
import { directoryFor } from './verify.ts';

/** A key a case needs before the request is sent. */
export interface KeySetup {
  /** Key id (`1234abcd-…` or `mrk-…`). */
  readonly keyId: string;
  readonly state: KeyState;
  readonly multiRegion: boolean;
  /** `AWS` for an AWS managed key. @defaultValue `'CUSTOMER'` */
  readonly keyManager?: 'CUSTOMER' | 'AWS';
  /** Region of the key when it is not the context's. */
  readonly region?: string;
  /** The key's policy when it is not the default key policy (e.g. one that locks the caller out). */
  readonly policy?: string;
}

/** An alias a case needs (`alias/<name>` → key id). */
export interface AliasSetup {
  readonly name: string;
  readonly targetKeyId: string;
}

/** What must exist before a case is sent. */
export interface RequestSetup {
  readonly keys: readonly KeySetup[];
  readonly aliases: readonly AliasSetup[];
}

/**
 * One generated request. `input` holds the members as they go on the wire: they may have wrong
 * JSON types or be `null` on purpose; an absent member is simply not there.
 */
export interface RequestCase {
  readonly operation: OperationName;
  readonly input: Readonly<Record<string, unknown>>;
  readonly setup: RequestSetup;
  readonly label: CaseLabel;
  /** What the case exercises: `keyId:…`, `state:…` or `member:…` (see `declaredFeatures('request')`). */
  readonly features: readonly string[];
}

/**
 * The world a case runs in: the context's account and region with the case's keys (policy: the
 * default key policy) and aliases, and the context's principal directory.
 *
 * @example
 * ```ts
 * const expectation = expected({ operation: c.operation, input: c.input }, worldFromSetup(c.setup, ctx), ctx.caller, ctx.version);
 * ```
 */
export function worldFromSetup(setup: RequestSetup, ctx: GeneratorContext): World {
  return {
    partition: ctx.partition,
    accountId: ctx.accountId,
    region: ctx.region,
    keys: setup.keys.map((k) => {
      const region = k.region ?? ctx.region;
      return {
        keyId: k.keyId,
        arn: keyArn(k.keyId, region, ctx.accountId, ctx.partition),
        accountId: ctx.accountId,
        region,
        state: k.state,
        keyManager: k.keyManager ?? 'CUSTOMER',
        multiRegion: k.multiRegion,
        policy: k.policy ?? DEFAULT_KEY_POLICY(ctx.accountId, ctx.partition),
      };
    }),
    aliases: setup.aliases.map((a) => ({ name: a.name, arn: aliasArn(a.name, ctx.region, ctx.accountId, ctx.partition), targetKeyId: a.targetKeyId })),
    principals: directoryFor(ctx),
  };
}
