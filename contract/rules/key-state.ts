/**
 * Key-state rules: the Developer Guide's key-state table (contract notes §8.5) as one rule per
 * operation and state, `KeyState.<Op>.<State>`, and CreateAlias's row, which the notes' table
 * lacks (decision 0220).
 */
import { KEY_STATES } from '../types.ts';
import type { KeyState, OperationName, Rule, SourceRef } from '../types.ts';
import { INVALID_STATE, SUCCESS, rule } from './outcomes.ts';

/** One cell of the table: the operation succeeds, or fails with KMSInvalidStateException and this message suffix. */
export type KeyStateCell = { readonly kind: 'ok'; readonly footnote?: string } | { readonly kind: 'invalid'; readonly footnote: string; readonly suffix: string };

/** A cell of a row beyond the notes' table: as {@link KeyStateCell}, or `open` where no source says. */
export type AnyKeyStateCell = KeyStateCell | { readonly kind: 'open'; readonly reason: string };

/** The operations the §8.5 table has a row for. */
export type KeyStateTableOperation = 'PutKeyPolicy' | 'GetKeyPolicy' | 'ListKeyPolicies' | 'DescribeKey' | 'DisableKey' | 'EnableKey' | 'ScheduleKeyDeletion' | 'CancelKeyDeletion';

const OK: KeyStateCell = { kind: 'ok' };
const PENDING_DELETION: KeyStateCell = { kind: 'invalid', footnote: '[3]', suffix: 'is pending deletion.' };
const PENDING_REPLICA_DELETION: KeyStateCell = { kind: 'invalid', footnote: '[3]', suffix: 'is pending replica deletion.' };
const PENDING_IMPORT: KeyStateCell = { kind: 'invalid', footnote: '[5]', suffix: 'is pending import.' };
const CREATING: KeyStateCell = { kind: 'invalid', footnote: '[14]', suffix: 'is creating.' };
const UPDATING: KeyStateCell = { kind: 'invalid', footnote: '[15]', suffix: 'is updating.' };
const NOT_PENDING: KeyStateCell = { kind: 'invalid', footnote: '[4]', suffix: 'is not pending deletion.' };

const ALL_OK: Readonly<Record<KeyState, KeyStateCell>> = Object.fromEntries(KEY_STATES.map((s) => [s, OK])) as Record<KeyState, KeyStateCell>;

/** The table of §8.5 (DG key-state.md @ 2023-06-15). PendingReplicaDeletion shares the PendingDeletion column. */
export const KEY_STATE_TABLE: Readonly<Record<KeyStateTableOperation, Readonly<Record<KeyState, KeyStateCell>>>> = {
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
export const KEY_STATE_ROWS: Readonly<Record<KeyStateTableOperation, string>> = {
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

function stateRule(op: KeyStateTableOperation, state: KeyState): Rule {
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

// ---------------------------------------------------------------------------------------------
// CreateAlias (decision 0220)
// ---------------------------------------------------------------------------------------------

const CREATE_ALIAS_OPEN: AnyKeyStateCell = {
  kind: 'open',
  reason: 'No source gives CreateAlias in the Creating or Updating key state (the contract notes\' §8.5 table has no CreateAlias row; the archived table that has one predates these states).',
};

/**
 * CreateAlias by the state of its target key. The model says only "must be in a compatible key
 * state"; the cells follow the archived Developer Guide table that has a CreateAlias row (✓ for
 * Enabled, Disabled, PendingImport and Unavailable; X [3] for PendingDeletion), decision 0220.
 */
export const CREATE_ALIAS_KEY_STATES: Readonly<Record<KeyState, AnyKeyStateCell>> = {
  Enabled: OK,
  Disabled: OK,
  PendingDeletion: PENDING_DELETION,
  PendingReplicaDeletion: PENDING_REPLICA_DELETION,
  PendingImport: OK,
  Unavailable: OK,
  Creating: CREATE_ALIAS_OPEN,
  Updating: CREATE_ALIAS_OPEN,
};

const CREATE_ALIAS_SOURCE: SourceRef = {
  tag: 'M1',
  quote: 'The KMS key that you use for this operation must be in a compatible key state.',
  where: 'CreateAlias documentation; the state table is in decisions/0220',
};

function createAliasStateRule(state: KeyState): Rule {
  const cell = CREATE_ALIAS_KEY_STATES[state];
  const note =
    cell.kind === 'open'
      ? cell.reason
      : 'The contract notes\' §8.5 table has no CreateAlias row; this cell follows the archived Developer Guide table quoted in decisions/0220.';
  return rule({
    id: keyStateRuleId('CreateAlias', state),
    operations: ['CreateAlias'],
    topic: 'key-state',
    statement:
      cell.kind === 'ok'
        ? `CreateAlias for a target key in state ${state} succeeds (as far as the key state goes).`
        : cell.kind === 'invalid'
          ? `CreateAlias for a target key in state ${state} fails with KMSInvalidStateException "<key ARN> ${cell.suffix}"`
          : `CreateAlias for a target key in state ${state} is undocumented: success or KMSInvalidStateException.`,
    sources: [CREATE_ALIAS_SOURCE, ...(cell.kind === 'invalid' ? [{ tag: 'DG', quote: `${cell.footnote} ${FOOTNOTES[cell.footnote] ?? ''}`, where: 'key-state.md footnotes' } as const] : [])],
    outcomes: cell.kind === 'ok' ? [SUCCESS] : cell.kind === 'invalid' ? [INVALID_STATE] : [SUCCESS, INVALID_STATE],
    note,
    decision: 'decisions/0220-alias-operations.md',
  });
}

/**
 * The key-state cell of `op` for a key in `state`: the §8.5 table, CreateAlias's row, or
 * `undefined` for an operation the key state does not affect (CreateKey, DeleteAlias, ListAliases,
 * ListKeys: decision 0220).
 */
export function keyStateCell(op: OperationName, state: KeyState): AnyKeyStateCell | undefined {
  if (op === 'CreateAlias') return CREATE_ALIAS_KEY_STATES[state];
  return Object.hasOwn(KEY_STATE_TABLE, op) ? KEY_STATE_TABLE[op as KeyStateTableOperation][state] : undefined;
}

/** The rows of the §8.5 table, in catalogue order. */
const TABLE_OPERATIONS: readonly KeyStateTableOperation[] = ['PutKeyPolicy', 'GetKeyPolicy', 'ListKeyPolicies', 'DescribeKey', 'EnableKey', 'DisableKey', 'ScheduleKeyDeletion', 'CancelKeyDeletion'];

/** The operations that have key-state rules, in catalogue order. */
export const KEY_STATE_OPERATIONS: readonly OperationName[] = [...TABLE_OPERATIONS, 'CreateAlias'];

/** Every key-state rule, operation by operation. */
export const KEY_STATE_RULES: readonly Rule[] = [...TABLE_OPERATIONS.flatMap((op) => KEY_STATES.map((s) => stateRule(op, s))), ...KEY_STATES.map(createAliasStateRule)];
