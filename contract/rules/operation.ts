/**
 * Operation-level rules that fit no other topic: AWS managed keys (contract notes §8.6) and the
 * documented deletion window (§9.6).
 */
import type { Rule } from '../types.ts';
import { SUCCESS, anyError, modelError, rule } from './outcomes.ts';

/** The operation-level rules. */
export const OPERATION_RULES: readonly Rule[] = [
  rule({
    id: 'Operation.awsManagedKey',
    operations: ['PutKeyPolicy', 'ScheduleKeyDeletion', 'EnableKey', 'DisableKey', 'CreateAlias'],
    topic: 'operation',
    statement: 'Changing the key policy, the key state, scheduling deletion of an AWS managed key (KeyManager AWS), or pointing a new alias at it, fails.',
    sources: [
      {
        tag: 'DG',
        quote: 'However, you cannot change any properties of AWS managed keys, rotate them, change their key policies, or schedule them for deletion.',
        where: 'concepts.md',
      },
      { tag: 'M1', quote: 'You can associate the alias with any customer managed key in the same Amazon Web Services Region.', where: 'CreateAlias' },
    ],
    outcomes: [anyError([400, 403], 'the documentation says the change is impossible but names no error (§11.7)')],
    note: 'The error is not documented (§11.7); AccessDeniedException is plausible (the managed policy grants no kms:PutKeyPolicy). Any client error is accepted.',
    decision: 'decisions/0212-aws-managed-keys.md',
  }),
  rule({
    id: 'ScheduleKeyDeletion.PendingWindowInDays.documented',
    operations: ['ScheduleKeyDeletion'],
    topic: 'operation',
    statement: 'PendingWindowInDays, when present, is between 7 and 30 inclusive (the model allows 1..365).',
    sources: [
      { tag: 'B1', quote: 'If you include a value, it must be between 7 and 30, inclusive. If you do not include a value, it defaults to 30.' },
      { tag: 'LS-impl', quote: 'PendingWindowInDays should be between 7 and 30, but it is <n>', where: 'emulator (ValidationException)' },
    ],
    outcomes: [anyError([400], 'the documentation says "must be" but names no error (§11.15)')],
    note: 'Values 1–6 and 31–365 pass the model; the error is not documented (§11.15). Any client error is accepted.',
    decision: 'decisions/0213-pending-window.md',
  }),
  rule({
    id: 'CreateKey.scope',
    operations: ['CreateKey'],
    topic: 'operation',
    statement:
      'CreateKey beyond a symmetric encryption key in KMS (another KeySpec, CustomerMasterKeySpec or KeyUsage, Origin AWS_CLOUDHSM or EXTERNAL_KEY_STORE, a custom or external key store) depends on rules outside these contract notes.',
    sources: [
      { tag: 'M1', quote: '"com.amazonaws.kms#KeySpec": { "type": "enum"', where: 'CreateKeyRequest.KeySpec (RSA_2048 … SM2)' },
      { tag: 'DEB', quote: 'CreateKey `Origin: EXTERNAL` example shows `Enabled: false`, `KeyState: PendingImport`', where: 'examples-1.json (contract notes §8.5)' },
    ],
    outcomes: [SUCCESS, modelError('UnsupportedOperationException'), modelError('CustomKeyStoreNotFoundException'), { kind: 'error', code: 'ValidationException', statuses: [400] }],
    note: 'Other key specs and key stores are not part of the PutKeyPolicy contract notes (§9.1 lists the members only); the oracle answers unspecified, the mock creates the key. Which KeyUsage a key spec needs and allows is decided by CreateKey.KeyUsage.required and CreateKey.KeyUsage.compatible (decision 0606).',
    decision: 'decisions/0214-check-order-and-fallbacks.md',
  }),
];
