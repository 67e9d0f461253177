/**
 * Required permissions (contract notes §2.1, §5.2, §6): every operation on a key needs the
 * operation's `kms:` action in the key policy in force; CreateKey, the alias operations and the
 * listings need it in the caller's IAM policy. Evaluated the way the lockout check evaluates a
 * policy (decision 0501).
 */
import { KEY_OPERATIONS, frameworkError, rule } from './outcomes.ts';
import type { OperationName, Rule, SourceRef } from '../types.ts';

/** Operations whose action the key policy in force must allow (B1/M1 "Required permissions … (key policy)"). */
export const KEY_POLICY_OPERATIONS: readonly OperationName[] = [...KEY_OPERATIONS, 'CreateAlias', 'DeleteAlias'];

/** Operations whose action the caller's IAM policy must allow (B1/M1 "Required permissions … (IAM policy)"). */
export const IAM_POLICY_OPERATIONS: readonly OperationName[] = ['CreateKey', 'CreateAlias', 'DeleteAlias', 'ListAliases', 'ListKeys'];

const ACCESS_DENIED = frameworkError('AccessDeniedException', [400, 403], 'CE-web: classic page 400, newer page 403 (moto 400)');

const ACCESS_DENIED_SOURCES: readonly SourceRef[] = [
  {
    tag: 'ISS',
    quote: 'because no resource-based policy allows the kms:GetKeyPolicy action',
    where: 'contract notes §5.2 (missing kms:GetKeyPolicy permission, AccessDeniedException)',
  },
  {
    tag: 'CE-web',
    quote: '| AccessDeniedException | 400 "You do not have sufficient access to perform this action." | 403',
    where: 'contract notes §6',
  },
];

/** The permission rules. */
export const AUTHORIZATION_RULES: readonly Rule[] = [
  rule({
    id: 'Authorization.keyPolicy',
    operations: KEY_POLICY_OPERATIONS,
    topic: 'operation',
    statement: 'An operation on a key fails with AccessDeniedException unless the key policy in force allows the caller its kms: action (kms:PutKeyPolicy, kms:GetKeyPolicy, …).',
    sources: [
      { tag: 'B1', quote: 'Required permissions: kms:PutKeyPolicy (key policy)', where: 'PutKeyPolicy; likewise kms:GetKeyPolicy, kms:ListKeyPolicies, kms:DescribeKey, kms:EnableKey, kms:DisableKey, kms:ScheduleKeyDeletion, kms:CancelKeyDeletion (key policy)' },
      { tag: 'M1', quote: 'kms:CreateAlias on the KMS key (key policy).', where: 'CreateAlias (the target key); likewise kms:DeleteAlias on the KMS key (key policy) for DeleteAlias (the alias\'s key)' },
      ...ACCESS_DENIED_SOURCES,
    ],
    outcomes: [ACCESS_DENIED],
    note:
      'The policy is evaluated like the lockout check (decision 0105): explicit Deny wins, the account principal delegates to the caller\'s IAM permissions, and conditions or unknown IAM permissions leave the answer unspecified. This is what makes a bypassed lockout stick: the next PutKeyPolicy is denied.',
    decision: 'decisions/0501-required-permissions.md',
  }),
  rule({
    id: 'Authorization.iamPolicy',
    operations: IAM_POLICY_OPERATIONS,
    topic: 'operation',
    statement: 'CreateKey, CreateAlias, DeleteAlias, ListAliases and ListKeys fail with AccessDeniedException unless the caller\'s IAM policy allows the operation\'s kms: action.',
    sources: [
      { tag: 'B1', quote: 'Required permissions: kms:CreateKey (IAM policy)', where: 'CreateKey' },
      { tag: 'M1', quote: 'kms:CreateAlias on the alias (IAM policy).', where: 'CreateAlias; likewise kms:DeleteAlias on the alias (IAM policy) for DeleteAlias' },
      { tag: 'M1', quote: 'Required permissions: kms:ListAliases (IAM policy)', where: 'ListAliases; likewise kms:ListKeys (IAM policy) for ListKeys' },
      ...ACCESS_DENIED_SOURCES.slice(1),
    ],
    outcomes: [ACCESS_DENIED],
    note: 'Unknown IAM permissions leave the answer unspecified.',
    decision: 'decisions/0501-required-permissions.md',
  }),
];
