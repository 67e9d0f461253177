/**
 * Output rules: what a successful answer of the companion operations contains (contract notes
 * §5, §8.7, §8.8, §9.1–§9.7). Checked on responses by `checkResponse` (`contract/output.ts`);
 * with the request and the world, the content is compared with the key (decision 0503).
 */
import type { Rule } from '../types.ts';
import { SUCCESS, rule } from './outcomes.ts';

const DECISION = 'decisions/0503-output-rules.md';

/** The output rules. */
export const OUTPUT_RULES: readonly Rule[] = [
  rule({
    id: 'GetKeyPolicy.output.policy',
    operations: ['GetKeyPolicy'],
    topic: 'operation',
    statement: 'GetKeyPolicy answers Policy, a JSON document equal (after JSON normalisation) to the policy in force: the last one put, or the default key policy.',
    sources: [
      { tag: 'LS', quote: 'GetKeyPolicy returns a policy equal after JSON normalisation to the one put', where: 'test_get_put_list_key_policies (real AWS, 2024-04-11), contract notes §5' },
      { tag: 'M1', quote: '"Version" : "2012-10-17", "Id" : "key-default-1"', where: 'GetKeyPolicy example output (the default key policy, contract notes §8.7)' },
    ],
    outcomes: [SUCCESS],
    note: 'Whether the text is returned byte for byte is open (§11.8: "AWS policy string has newlines littered in the response"), so only JSON equality is required.',
    decision: DECISION,
  }),
  rule({
    id: 'GetKeyPolicy.output.defaultPolicyText',
    operations: ['GetKeyPolicy'],
    topic: 'operation',
    statement: 'For a key whose policy is the default key policy, GetKeyPolicy answers that policy byte for byte in AWS\'s own layout (`"Version" : "2012-10-17"`, `[ {`, two-space indent, no trailing newline).',
    sources: [
      { tag: 'M1', quote: '"Statement" : [ {\n    \"Sid\" : \"Enable IAM User Permissions\"', where: 'GetKeyPolicy example output (smithy.api#examples)' },
      { tag: 'DEB', quote: 'Returned by GetKeyPolicy exactly like this (M1 GetKeyPolicy example; DEB examples-1.json)', where: 'contract notes §8.7' },
    ],
    outcomes: [SUCCESS],
    note: 'Only the default policy, which KMS writes itself, is decided byte for byte; for a policy the caller put, whether the text is kept is open (§11.8) and only JSON equality is required (GetKeyPolicy.output.policy).',
    decision: DECISION,
  }),
  rule({
    id: 'GetKeyPolicy.output.policyName',
    operations: ['GetKeyPolicy'],
    topic: 'operation',
    statement: 'GetKeyPolicy\'s PolicyName, when present, is "default".',
    sources: [{ tag: 'B1', quote: 'The name of the key policy. The only valid value is default.', where: 'GetKeyPolicyResponse.PolicyName, added 2024-03-18' }],
    versions: ['2024-03-18', '2025-06-05'],
    outcomes: [SUCCESS],
    note: 'Whether the response always includes PolicyName is open (§11.8); absence is accepted.',
    decision: DECISION,
  }),
  rule({
    id: 'ListKeyPolicies.output.policyNames',
    operations: ['ListKeyPolicies'],
    topic: 'operation',
    statement: 'ListKeyPolicies answers PolicyNames ["default"] and Truncated false (when present).',
    sources: [
      { tag: 'B1', quote: 'Only one policy can be attached to a key.', where: 'ListKeyPoliciesRequest.Limit' },
      { tag: 'LS', quote: 'ListKeyPolicies → PolicyNames == ["default"], Truncated is False', where: 'test_get_put_list_key_policies (real AWS), contract notes §5' },
    ],
    outcomes: [SUCCESS],
    decision: DECISION,
  }),
  rule({
    id: 'DescribeKey.output.keyMetadata',
    operations: ['DescribeKey'],
    topic: 'operation',
    statement: 'DescribeKey answers KeyMetadata with the key\'s KeyId and Arn, and its KeyState, Enabled and KeyManager as they are.',
    sources: [
      { tag: 'B1', quote: 'AWSAccountId, KeyId (required), Arn (ArnType 20..2048)', where: 'KeyMetadata members, contract notes §9.1' },
      { tag: 'LS', quote: 'DisableKey → Enabled: false, KeyState: Disabled; EnableKey → Enabled: true, KeyState: Enabled', where: 'contract notes §5.1 (asserted against real AWS)' },
    ],
    outcomes: [SUCCESS],
    note: 'Enabled is compared only for Enabled (true) and Disabled/PendingDeletion/PendingImport (false) keys, the states LS and the examples show.',
    decision: DECISION,
  }),
  rule({
    id: 'CreateKey.output.keyMetadata',
    operations: ['CreateKey'],
    topic: 'operation',
    statement: 'CreateKey answers KeyMetadata with KeyId and Arn, KeyManager CUSTOMER, and KeyState Enabled (Enabled true), or PendingImport (Enabled false) for Origin EXTERNAL.',
    sources: [
      { tag: 'DEB', quote: 'Enabled true, EncryptionAlgorithms ["SYMMETRIC_DEFAULT"], KeyId, KeyManager CUSTOMER, KeySpec', where: 'no-argument CreateKey example, contract notes §9.1' },
      { tag: 'DEB', quote: 'CreateKey `Origin: EXTERNAL` example shows `Enabled: false`, `KeyState: PendingImport`', where: 'contract notes §8.5' },
    ],
    outcomes: [SUCCESS],
    decision: DECISION,
  }),
  rule({
    id: 'ScheduleKeyDeletion.output.keyId',
    operations: ['ScheduleKeyDeletion'],
    topic: 'operation',
    statement: 'ScheduleKeyDeletion answers KeyId as the key ARN and, when present, KeyState PendingDeletion (or PendingReplicaDeletion).',
    sources: [
      { tag: 'B1', quote: 'The Amazon Resource Name (key ARN) of the KMS key whose deletion is scheduled.', where: 'ScheduleKeyDeletionResponse.KeyId' },
      { tag: 'LS', quote: 'Effect: state → PendingDeletion (or PendingReplicaDeletion for an MR primary with replicas)', where: 'contract notes §9.6' },
    ],
    outcomes: [SUCCESS],
    decision: DECISION,
  }),
  rule({
    id: 'CancelKeyDeletion.output.keyId',
    operations: ['CancelKeyDeletion'],
    topic: 'operation',
    statement: 'CancelKeyDeletion answers KeyId as the key ARN.',
    sources: [{ tag: 'M1', quote: '"KeyId": "arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"', where: 'CancelKeyDeletion example output, contract notes §9.7' }],
    outcomes: [SUCCESS],
    decision: DECISION,
  }),
];
