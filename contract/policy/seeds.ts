/**
 * The key policies printed in the seed documents (contract notes §0.1, `seeds/`), verbatim, with
 * the principals each one names. They are valid examples under every contract version; the tests
 * and the generators use them as known-good documents.
 */
import type { KnownPrincipal } from '../types.ts';
import { DEFAULT_KEY_POLICY } from './default-policy.ts';

/** One seed policy: where it comes from, its exact text, and the principals it needs to exist. */
export interface SeedPolicy {
  readonly name: string;
  /** Source tag and place (contract notes §0.1). */
  readonly source: string;
  readonly text: string;
  /** Users and roles of account 111122223333 the policy names (the account principal is always known). */
  readonly principals: readonly KnownPrincipal[];
}

const user = (name: string): KnownPrincipal => ({ kind: 'user', id: `arn:aws:iam::111122223333:user/${name}` });
const role = (name: string): KnownPrincipal => ({ kind: 'role', id: `arn:aws:iam::111122223333:role/${name}` });

/** The seed policies, all for account `111122223333`. */
export const SEED_POLICIES: readonly SeedPolicy[] = [
  {
    name: 'boto3 put_key_policy example',
    source: 'S-BOTO3 (seeds/002), Request Syntax example',
    text: "{\n    \"Version\": \"2012-10-17\",\n    \"Id\": \"custom-policy-2016-12-07\",\n    \"Statement\": [\n        {\n            \"Sid\": \"Enable IAM User Permissions\",\n            \"Effect\": \"Allow\",\n            \"Principal\": {\n                \"AWS\": \"arn:aws:iam::111122223333:root\"\n            },\n            \"Action\": \"kms:*\",\n            \"Resource\": \"*\"\n        },\n        {\n            \"Sid\": \"Allow access for Key Administrators\",\n            \"Effect\": \"Allow\",\n            \"Principal\": {\n                \"AWS\": [\n                    \"arn:aws:iam::111122223333:user/ExampleAdminUser\",\n                    \"arn:aws:iam::111122223333:role/ExampleAdminRole\"\n                ]\n            },\n            \"Action\": [\n                \"kms:Create*\",\n                \"kms:Describe*\",\n                \"kms:Enable*\",\n                \"kms:List*\",\n                \"kms:Put*\",\n                \"kms:Update*\",\n                \"kms:Revoke*\",\n                \"kms:Disable*\",\n                \"kms:Get*\",\n                \"kms:Delete*\",\n                \"kms:ScheduleKeyDeletion\",\n                \"kms:CancelKeyDeletion\"\n            ],\n            \"Resource\": \"*\"\n        },\n        {\n            \"Sid\": \"Allow use of the key\",\n            \"Effect\": \"Allow\",\n            \"Principal\": {\n                \"AWS\": \"arn:aws:iam::111122223333:role/ExamplePowerUserRole\"\n            },\n            \"Action\": [\n                \"kms:Encrypt\",\n                \"kms:Decrypt\",\n                \"kms:ReEncrypt*\",\n                \"kms:GenerateDataKey*\",\n                \"kms:DescribeKey\"\n            ],\n            \"Resource\": \"*\"\n        },\n        {\n            \"Sid\": \"Allow attachment of persistent resources\",\n            \"Effect\": \"Allow\",\n            \"Principal\": {\n                \"AWS\": \"arn:aws:iam::111122223333:role/ExamplePowerUserRole\"\n            },\n            \"Action\": [\n                \"kms:CreateGrant\",\n                \"kms:ListGrants\",\n                \"kms:RevokeGrant\"\n            ],\n            \"Resource\": \"*\",\n            \"Condition\": {\n                \"Bool\": {\n                    \"kms:GrantIsForAWSResource\": \"true\"\n                }\n            }\n        }\n    ]\n}\n",
    principals: [user('ExampleAdminUser'), role('ExampleAdminRole'), role('ExamplePowerUserRole')],
  },
  {
    name: 'AWS CLI key_policy.json',
    source: 'S-CLI (seeds/000), "Contents of key_policy.json"',
    text: "{\n    \"Version\" : \"2012-10-17\",\n    \"Id\" : \"key-default-1\",\n    \"Statement\" : [\n        {\n            \"Sid\" : \"Enable IAM User Permissions\",\n            \"Effect\" : \"Allow\",\n            \"Principal\" : {\n                \"AWS\" : \"arn:aws:iam::111122223333:root\"\n            },\n            \"Action\" : \"kms:*\",\n            \"Resource\" : \"*\"\n        },\n        {\n            \"Sid\" : \"Allow Use of Key\",\n            \"Effect\" : \"Allow\",\n            \"Principal\" : {\n                \"AWS\" : \"arn:aws:iam::111122223333:user/test-user\"\n            },\n            \"Action\" : [\n                \"kms:DescribeKey\",\n                \"kms:ListKeys\"\n            ],\n            \"Resource\" : \"*\"\n        }\n    ]\n}\n",
    principals: [user('test-user')],
  },
  {
    name: 'AWS CLI get-key-policy output',
    source: 'S-CLI (seeds/000), get-key-policy "Output:"',
    text: "{\n    \"Version\" : \"2012-10-17\",\n    \"Id\" : \"key-default-1\",\n    \"Statement\" : [\n        {\n            \"Sid\" : \"Enable IAM User Permissions\",\n            \"Effect\" : \"Allow\",\n            \"Principal\" : {\n                \"AWS\" : \"arn:aws:iam::111122223333:root\"\n            },\n            \"Action\" : \"kms:*\",\n            \"Resource\" : \"*\"\n            },\n            {\n            \"Sid\" : \"Allow Use of Key\",\n            \"Effect\" : \"Allow\",\n            \"Principal\" : {\n                \"AWS\" : \"arn:aws:iam::111122223333:user/test-user\"\n            },\n            \"Action\" : [ \"kms:Describe\", \"kms:List\" ],\n            \"Resource\" : \"*\"\n        }\n    ]\n}\n",
    principals: [user('test-user')],
  },
  {
    name: 'QKMS example 1 (account principal)',
    source: 'S-QKMS (seeds/003), Example 1',
    text: "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}",
    principals: [],
  },
  {
    name: 'QKMS example 2 (user principal, bypass)',
    source: 'S-QKMS (seeds/003), Example 2',
    text: "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:user/username\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}",
    principals: [user('username')],
  },
  {
    name: 'default key policy',
    source: 'contract notes §8.7 (M1 GetKeyPolicy example)',
    text: DEFAULT_KEY_POLICY('111122223333'),
    principals: [],
  },
];
