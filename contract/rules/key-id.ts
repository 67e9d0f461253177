/**
 * Key identifier rules: which forms of `KeyId` each operation accepts and what AWS answers for
 * absent, malformed, foreign and alias identifiers (contract notes §5.1, §7, §9.4). CreateAlias's
 * `TargetKeyId` and ListAliases's `KeyId` take a key id or key ARN too (M1), so the rules cover them.
 */
import type { OperationName, Rule } from '../types.ts';
import { INVALID_ARN, KEY_NAMING_OPERATIONS, NOT_FOUND, SUCCESS, anyError, rule } from './outcomes.ts';

/** Operations that accept only a key id or key ARN (not aliases). */
export const KEY_ID_ONLY_OPERATIONS: readonly OperationName[] = KEY_NAMING_OPERATIONS.filter((o) => o !== 'DescribeKey');

const DG_FORMS = { tag: 'DG', quote: 'Key ID (single-Region) | `1234abcd-12ab-34cd-56ef-1234567890ab` (UUID, 8-4-4-4-12 hex)', where: 'concepts.md (contract notes §7 table)' } as const;

/** The key identifier rules. */
export const KEY_ID_RULES: readonly Rule[] = [
  rule({
    id: 'KeyId.keyId',
    operations: KEY_NAMING_OPERATIONS,
    topic: 'key-id',
    statement: 'A key id (UUID 8-4-4-4-12 hex) of a key in the caller\'s account and Region identifies it.',
    sources: [{ tag: 'B1', quote: 'Key ID: 1234abcd-12ab-34cd-56ef-1234567890ab' }, DG_FORMS],
    outcomes: [SUCCESS],
  }),
  rule({
    id: 'KeyId.mrk',
    operations: KEY_NAMING_OPERATIONS,
    topic: 'key-id',
    statement: 'A multi-Region key id (mrk- followed by 32 hex digits) identifies the key.',
    sources: [{ tag: 'DG', quote: 'mrk-1234abcd12ab34cd56ef1234567890ab', where: 'concepts.md' }],
    outcomes: [SUCCESS],
  }),
  rule({
    id: 'KeyId.arn',
    operations: KEY_NAMING_OPERATIONS,
    topic: 'key-id',
    statement: 'A key ARN (arn:<partition>:kms:<region>:<account>:key/<key-id>) identifies the key.',
    sources: [{ tag: 'B1', quote: 'Key ARN: arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' }],
    outcomes: [SUCCESS],
  }),
  rule({
    id: 'KeyId.notFound',
    operations: KEY_NAMING_OPERATIONS,
    topic: 'key-id',
    statement: "A well-formed key id or key ARN naming no key fails with NotFoundException \"Key '<key ARN>' does not exist\".",
    sources: [{ tag: 'LS', quote: "Key '<key-arn>' does not exist", where: 'test_get_key_does_not_exist (real AWS, 2025-09-08)' }],
    outcomes: [NOT_FOUND],
    note: 'Recorded for DescribeKey; assumed for the other operations (contract notes §7, inferred).',
  }),
  rule({
    id: 'KeyId.malformed',
    operations: KEY_NAMING_OPERATIONS,
    topic: 'key-id',
    statement: "A KeyId that is no key id, mrk id, ARN or alias fails with NotFoundException \"Invalid keyId '<value>'\".",
    sources: [{ tag: 'LS', quote: "Invalid keyId 'fake-key-id'", where: 'test_get_key_invalid_uuid (real AWS, 2023-11-07)' }],
    outcomes: [NOT_FOUND],
    note: 'Recorded for DescribeKey; assumed for the other operations (contract notes §7, inferred).',
  }),
  rule({
    id: 'KeyId.malformedArn',
    operations: KEY_NAMING_OPERATIONS,
    topic: 'key-id',
    statement: 'A KeyId that starts with arn: but is not a KMS key or alias ARN fails with NotFoundException or InvalidArnException.',
    sources: [
      { tag: 'B1', quote: 'The request was rejected because a specified ARN, or an ARN in a key policy, is not valid.', where: 'InvalidArnException' },
      { tag: 'LS', quote: 'Invalid arn <secondary-region>', where: 'test_get_key_in_different_region' },
    ],
    outcomes: [NOT_FOUND, INVALID_ARN],
    note: 'No recording of a malformed ARN exists; both codes the model and the recordings suggest are accepted.',
  }),
  rule({
    id: 'KeyId.alias',
    operations: KEY_NAMING_OPERATIONS,
    topic: 'key-id',
    statement: 'An alias name (alias/<name>) is accepted by DescribeKey only; the other operations reject it with InvalidArnException or NotFoundException.',
    sources: [
      { tag: 'B1', quote: 'To specify a KMS key, use its key ID, key ARN, alias name, or alias ARN.', where: 'DescribeKey KeyId' },
      { tag: 'B1', quote: 'Specify the key ID or key ARN of the KMS key.', where: 'PutKeyPolicy KeyId' },
      { tag: 'ISS', quote: 'InvalidArnException KMS Message: Key Aliases are not supported for this operation.' },
      { tag: 'MOTO', quote: 'NotFoundException `Invalid keyId alias/my-alias`', where: 'emulator (contract notes §7)' },
    ],
    outcomes: [INVALID_ARN, NOT_FOUND],
    disagreement: 'Real AWS (CreateGrant, GetKeyPolicy reports) sends InvalidArnException "Key Aliases are not supported for this operation."; moto sends NotFoundException "Invalid keyId alias/…". Both accepted (§11.5). For DescribeKey the alias resolves to its key.',
    decision: 'decisions/0204-key-identifiers.md',
  }),
  rule({
    id: 'KeyId.aliasArn',
    operations: KEY_NAMING_OPERATIONS,
    topic: 'key-id',
    statement: 'An alias ARN is accepted by DescribeKey only; the other operations reject it with InvalidArnException or NotFoundException.',
    sources: [
      { tag: 'B1', quote: 'To specify a KMS key in a different Amazon Web Services account, you must use the key ARN or alias ARN.', where: 'DescribeKey KeyId' },
      { tag: 'ISS', quote: 'Key Aliases are not supported for this operation.' },
    ],
    outcomes: [INVALID_ARN, NOT_FOUND],
    disagreement: 'As KeyId.alias (§11.5).',
    decision: 'decisions/0204-key-identifiers.md',
  }),
  rule({
    id: 'KeyId.aliasNotFound',
    operations: ['DescribeKey'],
    topic: 'key-id',
    statement: 'DescribeKey with an alias that does not exist fails with NotFoundException "Alias <alias ARN> is not found."',
    sources: [
      { tag: 'LS-impl', quote: 'AWS itself uses AliasArn instead of AliasName in this exception' },
      { tag: 'MOTO', quote: 'Alias arn:aws:kms:<region>:<acct>:alias/<name> is not found.' },
    ],
    outcomes: [NOT_FOUND],
    note: 'Predefined AWS aliases (alias/aws/<service>) without a key make KMS create the AWS managed key; the oracle leaves those unspecified.',
  }),
  rule({
    id: 'KeyId.otherRegionArn',
    operations: KEY_NAMING_OPERATIONS,
    topic: 'key-id',
    statement: 'A key ARN of another Region fails with NotFoundException "Invalid arn <that region>".',
    sources: [{ tag: 'LS', quote: 'Invalid arn <secondary-region>', where: 'test_get_key_in_different_region (real AWS, 2025-11-10)' }],
    outcomes: [NOT_FOUND],
  }),
  rule({
    id: 'KeyId.otherRegionKeyId',
    operations: KEY_NAMING_OPERATIONS,
    topic: 'key-id',
    statement: "A key id of a key that exists only in another Region fails with NotFoundException \"Key '<ARN in the caller's Region>' does not exist\".",
    sources: [{ tag: 'LS', quote: "Key 'arn:<partition>:kms:<region>:111111111111:key/<key-id:1>' does not exist", where: 'test_get_key_in_different_region (real AWS, 2025-11-10)' }],
    outcomes: [NOT_FOUND],
  }),
  rule({
    id: 'KeyId.otherAccount',
    operations: KEY_NAMING_OPERATIONS,
    topic: 'key-id',
    statement: 'A key ARN of another account fails for every operation but DescribeKey ("Cross-account use: No").',
    sources: [{ tag: 'B1', quote: 'Cross-account use: No. You cannot perform this operation on a KMS key in a different Amazon Web Services account.' }],
    outcomes: [anyError([400, 403, 404], 'the documentation says the operation is not possible but names no error (§11.6)')],
    note: 'The error code is not documented (§11.6). DescribeKey is cross-account "Yes": its answer depends on the other account\'s key policy, so the oracle leaves an existing foreign key unspecified.',
    decision: 'decisions/0204-key-identifiers.md',
  }),
  rule({
    id: 'KeyId.otherPartition',
    operations: KEY_NAMING_OPERATIONS,
    topic: 'key-id',
    statement: "A key ARN of another partition (e.g. aws-cn when calling aws) fails.",
    sources: [{ tag: 'DG', quote: 'arn:<partition>:kms:<region>:<account-id>:key/<key-id>', where: 'concepts.md' }],
    outcomes: [anyError([400, 403, 404], 'no source names the error (§11.6)')],
    note: 'No source covers another partition; any error is accepted.',
    decision: 'decisions/0204-key-identifiers.md',
  }),
];
