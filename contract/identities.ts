/**
 * The default account, partition, region and caller the suite and the mock use when the user
 * configures none. The account id is the one AWS documentation uses in its examples.
 */
import type { Caller } from './types.ts';

/** AWS documentation's example account. */
export const DEFAULT_ACCOUNT = '111122223333';
/** Standard AWS partition. */
export const DEFAULT_PARTITION = 'aws';
/** Region of the default client and of the bundled mock. */
export const DEFAULT_REGION = 'us-east-1';

/** The account principal (`arn:<partition>:iam::<account>:root`), which delegates to IAM. */
export function accountPrincipalArn(accountId: string, partition: string = DEFAULT_PARTITION): string {
  return `arn:${partition}:iam::${accountId}:root`;
}

/** Key ARN for a key id in an account and region. */
export function keyArn(keyId: string, region: string, accountId: string, partition: string = DEFAULT_PARTITION): string {
  return `arn:${partition}:kms:${region}:${accountId}:key/${keyId}`;
}

/** Alias ARN for an alias name (`alias/<name>`) in an account and region. */
export function aliasArn(aliasName: string, region: string, accountId: string, partition: string = DEFAULT_PARTITION): string {
  return `arn:${partition}:kms:${region}:${accountId}:${aliasName}`;
}

/** The default caller: an administrator role of the default account, allowed everything by IAM. */
export const DEFAULT_CALLER: Caller = {
  arn: `arn:${DEFAULT_PARTITION}:iam::${DEFAULT_ACCOUNT}:role/Admin`,
  accountId: DEFAULT_ACCOUNT,
  iam: { kind: 'known', actions: ['*'] },
};
