/**
 * Transition rules: the key state after a successful state-changing request, and the policy in
 * force after PutKeyPolicy (decision 0505). Checked by `checkTransition` (`contract/transitions.ts`).
 */
import type { Rule } from '../types.ts';
import { SUCCESS, rule } from './outcomes.ts';

const DECISION = 'decisions/0505-transitions.md';
const LS_SEMANTICS = { tag: 'LS', quote: 'DisableKey → Enabled: false, KeyState: Disabled; EnableKey → Enabled: true, KeyState: Enabled', where: 'contract notes §5.1 (asserted against real AWS, 2024-04-11)' } as const;
const FOOTNOTE_12 = { tag: 'DG', quote: '[12] The operation succeeds, but the key state of the KMS key does not change until it becomes available.', where: 'key-state.md' } as const;

/** The transition rules. */
export const TRANSITION_RULES: readonly Rule[] = [
  rule({
    id: 'KeyState.after.DisableKey',
    operations: ['DisableKey'],
    topic: 'operation',
    statement: 'After a successful DisableKey the key is Disabled (an Unavailable key stays Unavailable).',
    sources: [{ tag: 'B1', quote: 'Sets the state of a KMS key to disabled.', where: 'DisableKey' }, LS_SEMANTICS, FOOTNOTE_12],
    outcomes: [SUCCESS],
    decision: DECISION,
  }),
  rule({
    id: 'KeyState.after.EnableKey',
    operations: ['EnableKey'],
    topic: 'operation',
    statement: 'After a successful EnableKey the key is Enabled (an Unavailable key stays Unavailable).',
    sources: [{ tag: 'B1', quote: 'Sets the key state of a KMS key to enabled.', where: 'EnableKey' }, LS_SEMANTICS, FOOTNOTE_12],
    outcomes: [SUCCESS],
    decision: DECISION,
  }),
  rule({
    id: 'KeyState.after.ScheduleKeyDeletion',
    operations: ['ScheduleKeyDeletion'],
    topic: 'operation',
    statement: 'After a successful ScheduleKeyDeletion the key is PendingDeletion (PendingReplicaDeletion for a multi-Region primary with replicas).',
    sources: [
      { tag: 'LS', quote: 'Effect: state → PendingDeletion (or PendingReplicaDeletion for an MR primary with replicas)', where: 'contract notes §9.6' },
      { tag: 'LS', quote: 'ScheduleKeyDeletion → DescribeKey Enabled: false, KeyState: PendingDeletion, DeletionDate set', where: 'contract notes §5.1' },
    ],
    outcomes: [SUCCESS],
    decision: DECISION,
  }),
  rule({
    id: 'KeyState.after.CancelKeyDeletion',
    operations: ['CancelKeyDeletion'],
    topic: 'operation',
    statement: 'After a successful CancelKeyDeletion the key is Disabled.',
    sources: [
      { tag: 'B1', quote: 'When this operation succeeds, the key state of the KMS key is Disabled. To enable the KMS key, use EnableKey.', where: 'CancelKeyDeletion' },
      { tag: 'LS', quote: 'CancelKeyDeletion → Enabled: false, KeyState: Disabled, no DeletionDate', where: 'contract notes §5.1' },
    ],
    outcomes: [SUCCESS],
    decision: DECISION,
  }),
  rule({
    id: 'PutKeyPolicy.after.policy',
    operations: ['PutKeyPolicy'],
    topic: 'operation',
    statement: 'After a successful PutKeyPolicy the key policy in force is the one put (equal after JSON normalisation).',
    sources: [
      { tag: 'LS', quote: 'GetKeyPolicy returns a policy equal after JSON normalisation to the one put', where: 'contract notes §5' },
      { tag: 'TF', quote: 'Wait for propagation since KMS is eventually consistent.', where: 'key.go; contract notes §5.2' },
    ],
    outcomes: [SUCCESS],
    note: 'Reads may lag (Consistency.eventual); the rule is about the settled state.',
    decision: DECISION,
  }),
  rule({
    id: 'KeyState.after.policy',
    operations: ['DisableKey', 'EnableKey', 'ScheduleKeyDeletion', 'CancelKeyDeletion'],
    topic: 'operation',
    statement: 'A successful DisableKey, EnableKey, ScheduleKeyDeletion or CancelKeyDeletion changes the key state only: the key policy in force afterwards is the one in force before (equal after JSON normalisation).',
    sources: [
      { tag: 'B1', quote: 'Sets the state of a KMS key to disabled. This change temporarily prevents use of the KMS key for cryptographic operations.', where: 'DisableKey' },
      { tag: 'B1', quote: 'Sets the key state of a KMS key to enabled. This allows you to use the KMS key for cryptographic operations.', where: 'EnableKey' },
      { tag: 'B1', quote: 'Attaches a key policy to the specified KMS key.', where: 'PutKeyPolicy (the one operation that changes the policy)' },
      { tag: 'LS', quote: 'GetKeyPolicy returns a policy equal after JSON normalisation to the one put', where: 'contract notes §5' },
    ],
    outcomes: [SUCCESS],
    note: 'Checked in stateful sequences, where the policy in force before the change is known (a single request runs on a key whose policy the set-up chose). Reads may lag (Consistency.eventual); the rule is about the settled state.',
    decision: 'decisions/0702-policy-kept-across-state-changes.md',
  }),
];
