/**
 * A configurable directory of the principals KMS can see, for the rule "The principals in the key
 * policy must exist and be visible to KMS." (M1/B1, contract notes §8.2). The key's own account is
 * fully known to the directory (it is the world the suite and the mock create); principals of other
 * accounts, unlisted services and identity providers are `unknown` unless configured (decision 0104).
 */
import { accountPrincipalArn, DEFAULT_PARTITION } from '../identities.ts';
import type { KnownPrincipal, PrincipalDirectory } from '../types.ts';
import { classifyPrincipal } from './principal.ts';

/**
 * Service principals the default directory knows to exist: services the KMS Developer Guide and
 * the AWS service docs show in key policies (CloudTrail, CloudWatch Logs, S3, log delivery, …).
 * Regional CloudWatch Logs principals (`logs.<region>.amazonaws.com`) are matched by
 * {@link REGIONAL_SERVICE_PRINCIPAL}.
 */
export const DEFAULT_SERVICE_PRINCIPALS: readonly string[] = [
  'cloudtrail.amazonaws.com',
  'logs.amazonaws.com',
  'delivery.logs.amazonaws.com',
  's3.amazonaws.com',
  'sns.amazonaws.com',
  'sqs.amazonaws.com',
  'events.amazonaws.com',
  'lambda.amazonaws.com',
  'ec2.amazonaws.com',
  'autoscaling.amazonaws.com',
  'elasticloadbalancing.amazonaws.com',
  'ses.amazonaws.com',
  'secretsmanager.amazonaws.com',
  'dynamodb.amazonaws.com',
  'rds.amazonaws.com',
  'backup.amazonaws.com',
  'config.amazonaws.com',
  'guardduty.amazonaws.com',
  'cloudwatch.amazonaws.com',
  'kms.amazonaws.com',
];

/** `logs.<region>.amazonaws.com` (e.g. `logs.us-east-1.amazonaws.com`), used in CloudWatch Logs key policies. */
export const REGIONAL_SERVICE_PRINCIPAL = /^logs\.[a-z]{2}(-[a-z]+)+-\d\.amazonaws\.com(\.cn)?$/;

/** Options of {@link createPrincipalDirectory}. */
export interface PrincipalDirectoryInit {
  /** The account that owns the key; its account principal always exists. */
  readonly accountId: string;
  /** @defaultValue `'aws'` */
  readonly partition?: string;
  /** Extra principals that exist (users, roles, services, principals of other accounts, …). */
  readonly principals?: readonly KnownPrincipal[];
  /**
   * What to answer for an unlisted principal of another account (or partition).
   * @defaultValue `'unknown'` — the contract cannot know other accounts' principals.
   */
  readonly otherAccounts?: 'unknown' | 'missing';
}

/** A {@link PrincipalDirectory} that can be changed (the mock creates and deletes principals). */
export interface MutablePrincipalDirectory extends PrincipalDirectory {
  readonly accountId: string;
  readonly partition: string;
  /** Makes a principal exist. */
  add(principal: KnownPrincipal): void;
  /** Makes a principal stop existing; returns whether it was listed. The account principal stays. */
  remove(principal: KnownPrincipal): boolean;
  /** The listed principals (defaults and additions), for reports and snapshots. */
  list(): readonly KnownPrincipal[];
}

const keyOf = (p: KnownPrincipal): string => `${p.kind}\u0000${p.id}`;

/**
 * Creates a principal directory. Default content: the account principal
 * (`arn:<partition>:iam::<account>:root` and the bare account id), the default administrator
 * role `arn:<partition>:iam::<account>:role/Admin`, {@link DEFAULT_SERVICE_PRINCIPALS},
 * regional CloudWatch Logs principals, and `"*"`.
 *
 * @example
 * const dir = createPrincipalDirectory({ accountId: '111122223333' });
 * dir.add({ kind: 'user', id: 'arn:aws:iam::111122223333:user/test-user' });
 * dir.lookup('arn:aws:iam::111122223333:user/ghost', 'user') // 'missing'
 * dir.lookup('arn:aws:iam::444455556666:role/R', 'role')      // 'unknown'
 */
export function createPrincipalDirectory(init: PrincipalDirectoryInit): MutablePrincipalDirectory {
  const accountId = init.accountId;
  const partition = init.partition ?? DEFAULT_PARTITION;
  const otherAccounts = init.otherAccounts ?? 'unknown';
  if (!/^\d{12}$/.test(accountId)) {
    throw new TypeError(`createPrincipalDirectory: accountId must be a 12-digit AWS account id, got '${accountId}'. Example: '111122223333'.`);
  }
  const accountArn = accountPrincipalArn(accountId, partition);
  const entries = new Map<string, KnownPrincipal>();
  // The ids of each kind, so a lookup builds no key (it runs for every principal of every policy).
  const idsByKind = new Map<KnownPrincipal['kind'], Set<string>>();
  const put = (p: KnownPrincipal): void => {
    entries.set(keyOf(p), p);
    let ids = idsByKind.get(p.kind);
    if (ids === undefined) idsByKind.set(p.kind, (ids = new Set()));
    ids.add(p.id);
  };
  put({ kind: 'account', id: accountArn });
  put({ kind: 'account', id: accountId });
  put({ kind: 'role', id: `arn:${partition}:iam::${accountId}:role/Admin` });
  for (const s of DEFAULT_SERVICE_PRINCIPALS) put({ kind: 'service', id: s });
  for (const p of init.principals ?? []) put(p);

  const has = (kind: KnownPrincipal['kind'], id: string): boolean => idsByKind.get(kind)?.has(id) === true;

  const lookup: PrincipalDirectory['lookup'] = (principal, kind) => {
    if (principal === '*') return 'exists';
    if (has(kind, principal)) return 'exists';
    const c = classifyPrincipal(
      principal,
      kind === 'service' ? 'Service' : kind === 'federated' ? 'Federated' : kind === 'canonical-user' ? 'CanonicalUser' : 'AWS',
    );
    switch (c.kind) {
      case 'everyone':
        return 'exists';
      case 'account': {
        const own = c.accountId === accountId && (c.partition === undefined || c.partition === partition);
        return own ? 'exists' : otherAccounts;
      }
      case 'user':
      case 'role':
        return c.accountId === accountId && c.partition === partition ? 'missing' : otherAccounts;
      case 'assumed-role': {
        // A session exists when its role does (sessions themselves are not listed anywhere).
        if (c.accountId !== accountId || c.partition !== partition) return otherAccounts;
        const prefix = `arn:${partition}:iam::${accountId}:role/`;
        for (const p of entries.values()) {
          if (p.kind === 'role' && p.id.startsWith(prefix) && p.id.slice(p.id.lastIndexOf('/') + 1) === c.roleName) return 'exists';
        }
        return 'missing';
      }
      case 'service':
        return REGIONAL_SERVICE_PRINCIPAL.test(c.name) ? 'exists' : 'unknown';
      case 'federated-user':
      case 'federated':
      case 'canonical-user':
        return 'unknown';
      case 'malformed':
        return 'missing';
    }
  };

  return {
    accountId,
    partition,
    lookup,
    add: put,
    remove(p) {
      if (p.kind === 'account' && (p.id === accountId || p.id === accountArn)) return false;
      idsByKind.get(p.kind)?.delete(p.id);
      return entries.delete(keyOf(p));
    },
    list: () => [...entries.values()],
  };
}
