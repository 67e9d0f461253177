/**
 * Key policy size quota and character set (contract notes §8.1, §11.2, §11.4). The model's
 * length and pattern are the generated `<Op>.Policy.length.*` and `<Op>.Policy.pattern` rules.
 */
import type { Rule } from '../types.ts';
import { LIMIT_EXCEEDED, MALFORMED, POLICY_OPERATIONS, SUCCESS, VALIDATION, anyError, rule } from './outcomes.ts';

/** The key policy document size quota in bytes (DG resource-limits.md; not adjustable). */
export const POLICY_SIZE_QUOTA_BYTES = 32_768;

/**
 * Characters the model pattern allows but the prose's "printable" does not: DEL (U+007F) and the
 * C1 controls (U+0080–U+009F). Rule `PutKeyPolicy.Policy.charset.printable`.
 */
export const NON_PRINTABLE_ALLOWED_BY_PATTERN = /[\u007F-\u009F]/u;

/** The size and character-set rules. */
export const POLICY_SIZE_RULES: readonly Rule[] = [
  rule({
    id: 'PutKeyPolicy.Policy.size.quota',
    operations: POLICY_OPERATIONS,
    topic: 'policy-size',
    statement: `A key policy larger than ${POLICY_SIZE_QUOTA_BYTES} bytes (UTF-8) is rejected.`,
    sources: [
      { tag: 'DG', quote: 'Key policy document size: 32 KB (32,768 bytes)', where: 'resource-limits.md' },
      { tag: 'DG', quote: 'If you use a larger policy document to create or update the key policy for a KMS key, the operation fails.', where: 'key-policy-overview.md' },
      { tag: 'B1', quote: 'If the key policy exceeds the length constraint, KMS returns a LimitExceededException.', where: 'since botocore d806c2105 (2025-06-05)' },
      { tag: 'S-QKMS', quote: 'The key policy size limit is 32 kilobytes (32768 bytes).' },
    ],
    outcomes: [anyError([400], 'DG: "the operation fails", no error named')],
    outcomesByVersion: { '2025-06-05': [LIMIT_EXCEEDED] },
    disagreement:
      'Bytes or characters is not documented (§11.2). DG states bytes, Smithy length counts characters. A policy over 32,768 UTF-8 bytes but at most 32,768 characters (possible with U+0080–U+00FF) may succeed or fail: both are accepted. Over 32,768 characters it must fail.',
    note: 'Before 2025-06-05 no error is named: any client error is accepted. Whether the quota is checked before or after the policy document is not documented.',
    decision: 'decisions/0205-policy-size-bytes.md',
  }),
  rule({
    id: 'PutKeyPolicy.Policy.charset.printable',
    operations: POLICY_OPERATIONS,
    topic: 'policy-charset',
    statement: 'A key policy containing DEL (U+007F) or C1 controls (U+0080–U+009F) is accepted by the model pattern but not "printable" by the prose: success or rejection are both accepted.',
    sources: [
      { tag: 'M1', quote: '"smithy.api#pattern": "^[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+$"', where: 'PolicyType' },
      { tag: 'S-CLI', quote: 'Printable characters in the Basic Latin and Latin-1 Supplement character set (through \\u00FF ).' },
    ],
    outcomes: [SUCCESS, VALIDATION, MALFORMED],
    disagreement: 'The model pattern allows U+007F–U+009F; the documentation says "printable" (§11.4). Success, ValidationException and MalformedPolicyDocumentException are accepted.',
    decision: 'decisions/0206-policy-charset.md',
  }),
];
