/**
 * Key-state rules: the Developer Guide's key-state table (contract notes §8.5) as one rule per
 * operation and state, `KeyState.<Op>.<State>`.
 */
import { KEY_STATES } from '../types.ts';
import type { KeyState, OperationName, Rule, SourceRef } from '../types.ts';
import { INVALID_STATE, KEY_OPERATIONS, SUCCESS, rule } from './outcomes.ts';

/** One cell of the table: the operation succeeds, or fails with KMSInvalidStateException and this message suffix. */
export type KeyStateCell = { readonly kind: 'ok'; readonly footnote?: string } | { readonly kind: 'invalid'; readonly footnote: string; readonly suffix: string };

const OK: KeyStateCell = { kind: 'ok' };
const PENDING_DELETION: KeyStateCell = { kind: 'invalid', footnote: '[3]', suffix: 'is pending deletion.' };
const PENDING_REPLICA_DELETION: KeyStateCell = { kind: 'invalid', footnote: '[3]', suffix: 'is pending replica deletion.' };
const PENDING_IMPORT: KeyStateCell = { kind: 'invalid', footnote: '[5]', suffix: 'is pending import.' };
const CREATING: KeyStateCell = { kind: 'invalid', footnote: '[14]', suffix: 'is creating.' };
const UPDATING: KeyStateCell = { kind: 'invalid', footnote: '[15]', suffix: 'is updating.' };
const NOT_PENDING: KeyStateCell = { kind: 'invalid', footnote: '[4]', suffix: 'is not pending deletion.' };

const ALL_OK: Readonly<Record<KeyState, KeyStateCell>> = Object.fromEntries(KEY_STATES.map((s) => [s, OK])) as Record<KeyState, KeyStateCell>;

/** The table of §8.5 (DG key-state.md @ 2023-06-15). PendingReplicaDeletion shares the PendingDeletion column. */
export const KEY_STATE_TABLE: Readonly<Record<Exclude<OperationName, 'CreateKey'>, Readonly<Record<KeyState, KeyStateCell>>>> = {
  PutKeyPolicy: ALL_OK,
  GetKeyPolicy: ALL_OK,
  ListKeyPolicies: ALL_OK,
  DescribeKey: ALL_OK,
  DisableKey: {
    Enabled: OK,
    Disabled: OK,
    PendingDeletion: PENDING_DELETION,
    PendingReplicaDeletion: PENDING_REPLICA_DELETION,
    PendingImport: PENDING_IMPORT,
    Unavailable: { kind: 'ok', footnote: '[12]' },
    Creating: CREATING,
    Updating: UPDATING,
  },
  EnableKey: {
    Enabled: OK,
    Disabled: OK,
    PendingDeletion: PENDING_DELETION,
    PendingReplicaDeletion: PENDING_REPLICA_DELETION,
    PendingImport: PENDING_IMPORT,
    Unavailable: { kind: 'ok', footnote: '[12]' },
    Creating: CREATING,
    Updating: UPDATING,
  },
  ScheduleKeyDeletion: {
    Enabled: OK,
    Disabled: OK,
    PendingDeletion: PENDING_DELETION,
    PendingReplicaDeletion: PENDING_REPLICA_DELETION,
    PendingImport: OK,
    Unavailable: OK,
    Creating: OK,
    Updating: UPDATING,
  },
  CancelKeyDeletion: {
    Enabled: NOT_PENDING,
    Disabled: NOT_PENDING,
    PendingDeletion: OK,
    PendingReplicaDeletion: OK,
    PendingImport: NOT_PENDING,
    Unavailable: NOT_PENDING,
    Creating: NOT_PENDING,
    Updating: NOT_PENDING,
  },
};

const FOOTNOTES: Readonly<Record<string, string>> = {
  '[3]': 'KMSInvalidStateException: <key ARN> is pending deletion (or pending replica deletion).',
  '[4]': 'KMSInvalidStateException: <key ARN> is not pending deletion (or pending replica deletion).',
  '[5]': 'KMSInvalidStateException: <key ARN> is pending import.',
  '[12]': 'The operation succeeds, but the key state of the KMS key does not change until it becomes available.',
  '[14]': 'KMSInvalidStateException: <key ARN> is creating.',
  '[15]': 'KMSInvalidStateException: <key ARN> is updating.',
};

/** The rows of the §8.5 table as the notes print them (DG key-state.md @ 2023-06-15), verbatim. */
export const KEY_STATE_ROWS: Readonly<Record<Exclude<OperationName, 'CreateKey'>, string>> = {
  PutKeyPolicy: '| PutKeyPolicy | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ |',
  GetKeyPolicy: '| GetKeyPolicy | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ |',
  ListKeyPolicies: '| ListKeyPolicies | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ |',
  DescribeKey: '| DescribeKey | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ |',
  DisableKey: '| DisableKey | ✓ | ✓ | X [3] | X [5] | ✓ [12] | X [14] | X [15] |',
  EnableKey: '| EnableKey | ✓ | ✓ | X [3] | X [5] | ✓ [12] | X [14] | X [15] |',
  ScheduleKeyDeletion: '| ScheduleKeyDeletion | ✓ | ✓ | X [3] | ✓ | ✓ | ✓ | X [15] |',
  CancelKeyDeletion: '| CancelKeyDeletion | X [4] | X [4] | ✓ | X [4] | X [4], [13] | X [4] | X [4] |',
};

/** The table's column headers, in order; PendingReplicaDeletion shares the PendingDeletion column. */
export const KEY_STATE_COLUMNS: readonly (readonly KeyState[])[] = [
  ['Enabled'],
  ['Disabled'],
  ['PendingDeletion', 'PendingReplicaDeletion'],
  ['PendingImport'],
  ['Unavailable'],
  ['Creating'],
  ['Updating'],
];

/** Id of the key-state rule for an operation and state. */
export function keyStateRuleId(op: OperationName, state: KeyState): string {
  return `KeyState.${op}.${state}`;
}

function stateRule(op: Exclude<OperationName, 'CreateKey'>, state: KeyState): Rule {
  const cell = KEY_STATE_TABLE[op][state];
  const sources: SourceRef[] = [
    {
      tag: 'DG',
      quote: KEY_STATE_ROWS[op],
      where: `key-state.md @ 2023-06-15 (contract notes §8.5), column ${KEY_STATE_COLUMNS.find((c) => c.includes(state))!.join(' / ')}`,
    },
  ];
  if (cell.footnote) {
    const text = FOOTNOTES[cell.footnote];
    if (text) sources.push({ tag: 'DG', quote: `${cell.footnote} ${text}`, where: 'key-state.md footnotes' });
  }
  const notes: string[] = [];
  if (cell.kind === 'invalid' && (cell.footnote === '[3]' || cell.footnote === '[4]')) {
    notes.push('The footnote text "(or pending replica deletion)" is documentation shorthand; the message names the actual state (LS records "<arn> is pending import.").');
  }
  if (op === 'PutKeyPolicy' && state === 'PendingDeletion') {
    notes.push('local-kms returns KMSInvalidStateException "<arn> is pending deletion." here (§11.9); the 2023 table says ✓ and is followed.');
  }
  return rule({
    id: keyStateRuleId(op, state),
    operations: [op],
    topic: 'key-state',
    statement:
      cell.kind === 'ok'
        ? `${op} on a key in state ${state} succeeds (as far as the key state goes).`
        : `${op} on a key in state ${state} fails with KMSInvalidStateException "<key ARN> ${cell.suffix}"`,
    sources,
    outcomes: cell.kind === 'ok' ? [SUCCESS] : [INVALID_STATE],
    ...(notes.length > 0 ? { note: notes.join(' ') } : {}),
    ...(op === 'PutKeyPolicy' && state !== 'Enabled'
      ? { disagreement: 'PutKeyPolicy lists KMSInvalidStateException among its errors while the key-state table says it succeeds in every state; the table is followed (the listed error is generic, §4).' }
      : {}),
  });
}

/** Every key-state rule, operation by operation. */
export const KEY_STATE_RULES: readonly Rule[] = KEY_OPERATIONS.flatMap((op) =>
  op === 'CreateKey' ? [] : KEY_STATES.map((s) => stateRule(op, s)),
);
