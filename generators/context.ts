/**
 * The world the generators assume: partition, account, region, the calling identity, the
 * principals that exist and the contract version. Every generated case is valid or invalid
 * *relative to* one context, and the `generate` command prints it with each case.
 */
import { accountPrincipalArn, DEFAULT_ACCOUNT, DEFAULT_CALLER, DEFAULT_PARTITION, DEFAULT_REGION } from '../contract/identities.ts';
import { findingSeverity } from '../contract/policy/index.ts';
import type { Caller, ContractVersionId, KnownPrincipal } from '../contract/types.ts';
import { LATEST_VERSION } from '../contract/versions.ts';

/** Everything a generated case is relative to. */
export interface GeneratorContext {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
  /** Who sends the request; valid policies keep this caller able to call PutKeyPolicy again. */
  readonly caller: Caller;
  /**
   * Principals that exist and are visible to KMS (besides the account principal, which always
   * exists). Valid policies only name these; the `statement.principal.nonexistent` mutation names
   * one that is not here.
   */
  readonly principals: readonly KnownPrincipal[];
  /** Contract version the labels hold in. */
  readonly version: ContractVersionId;
}

/** Account of the default context (contract notes use 111122223333 in every example). */
export const GENERATOR_ACCOUNT: string = DEFAULT_ACCOUNT;

/**
 * The default context: the contract's default world (account 111122223333 in us-east-1) and its
 * default caller, the account's admin role.
 */
export const DEFAULT_GENERATOR_CONTEXT: GeneratorContext = {
  partition: DEFAULT_PARTITION,
  accountId: GENERATOR_ACCOUNT,
  region: DEFAULT_REGION,
  caller: DEFAULT_CALLER,
  principals: [
    { kind: 'role', id: `arn:aws:iam::${GENERATOR_ACCOUNT}:role/Admin` },
    { kind: 'role', id: `arn:aws:iam::${GENERATOR_ACCOUNT}:role/KeyUser` },
    { kind: 'role', id: `arn:aws:iam::${GENERATOR_ACCOUNT}:role/service-role/Auditor` },
    { kind: 'user', id: `arn:aws:iam::${GENERATOR_ACCOUNT}:user/Alice` },
    { kind: 'user', id: `arn:aws:iam::${GENERATOR_ACCOUNT}:user/ops/Bob` },
    { kind: 'service', id: 'cloudtrail.amazonaws.com' },
    { kind: 'service', id: 'logs.us-east-1.amazonaws.com' },
    { kind: 'service', id: 'delivery.logs.amazonaws.com' },
    { kind: 'service', id: 's3.amazonaws.com' },
  ],
  version: LATEST_VERSION,
};

/**
 * Builds a context from the default with some fields replaced. When the account changes and no
 * caller or principals are given, they are moved to the new account.
 *
 * @example
 * ```ts
 * const ctx = createGeneratorContext({ accountId: '444455556666', version: '2024-03-18' });
 * ```
 */
export function createGeneratorContext(overrides: Partial<GeneratorContext> = {}): GeneratorContext {
  const accountId = overrides.accountId ?? DEFAULT_GENERATOR_CONTEXT.accountId;
  const partition = overrides.partition ?? DEFAULT_GENERATOR_CONTEXT.partition;
  const move = (s: string): string =>
    s.replace(`arn:aws:iam::${GENERATOR_ACCOUNT}:`, `arn:${partition}:iam::${accountId}:`);
  const caller: Caller = overrides.caller ?? {
    ...DEFAULT_GENERATOR_CONTEXT.caller,
    arn: move(DEFAULT_GENERATOR_CONTEXT.caller.arn),
    accountId,
  };
  const principals =
    overrides.principals ?? DEFAULT_GENERATOR_CONTEXT.principals.map((p) => ({ kind: p.kind, id: move(p.id) }));
  return {
    partition,
    accountId,
    region: overrides.region ?? DEFAULT_GENERATOR_CONTEXT.region,
    caller,
    principals,
    version: overrides.version ?? DEFAULT_GENERATOR_CONTEXT.version,
  };
}

/** The account principal ARN (`arn:<partition>:iam::<account>:root`). */
export function accountPrincipal(ctx: GeneratorContext): string {
  return accountPrincipalArn(ctx.accountId, ctx.partition);
}

/** Existing IAM users and roles of the context (ARNs), the caller's included. */
export function iamPrincipals(ctx: GeneratorContext): string[] {
  return ctx.principals.filter((p) => p.kind === 'user' || p.kind === 'role').map((p) => p.id);
}

/** Existing service principals of the context. */
export function servicePrincipals(ctx: GeneratorContext): string[] {
  return ctx.principals.filter((p) => p.kind === 'service').map((p) => p.id);
}

/**
 * Whether the context's contract version accepts a statement without `element` (decision 0102:
 * from 2025-06-05 "the PutKeyPolicy API request succeeds, even though the policy statement is
 * ineffective"), as the checker's severity table says.
 */
export function acceptsMissing(ctx: GeneratorContext, element: 'Action' | 'Resource'): boolean {
  return findingSeverity(element === 'Action' ? 'missing_action' : 'missing_resource', ctx.version) === 'accepted';
}
