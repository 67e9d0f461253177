/**
 * CreateKey rules beyond the model's member constraints: the key usage a key spec needs and
 * allows (M1's KeyUsage documentation), and the tag rules real AWS answered with TagException
 * (LS recordings). Decisions 0605 and 0606.
 */
import type { Rule, SourceRef } from '../types.ts';
import { VALIDATION, modelError, rule } from './outcomes.ts';

/** Most tags one CreateKey request may carry (LS: 51 tags fail with "Too many tags"; decision 0605). */
export const MAX_CREATE_KEY_TAGS = 50;

/** Tag keys starting with this prefix, in any letter case, are reserved for AWS (LS: `aws:key1` and `AWS:key1`). */
export const RESERVED_TAG_PREFIX = 'aws:';

/**
 * The key usages each key spec of the model allows (M1, CreateKey KeyUsage documentation). A spec
 * without an entry has no documented usage list.
 */
export const KEY_USAGES_BY_SPEC: Readonly<Record<string, readonly string[]>> = {
  SYMMETRIC_DEFAULT: ['ENCRYPT_DECRYPT'],
  HMAC_224: ['GENERATE_VERIFY_MAC'],
  HMAC_256: ['GENERATE_VERIFY_MAC'],
  HMAC_384: ['GENERATE_VERIFY_MAC'],
  HMAC_512: ['GENERATE_VERIFY_MAC'],
  RSA_2048: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  RSA_3072: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  RSA_4096: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  ECC_NIST_P256: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  ECC_NIST_P384: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  ECC_NIST_P521: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  ECC_SECG_P256K1: ['SIGN_VERIFY'],
  SM2: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'KEY_AGREEMENT'],
};

const KEY_USAGE_DOC = (quote: string): SourceRef => ({ tag: 'M1', quote, where: 'CreateKeyRequest.KeyUsage documentation' });
const TAG_EXCEPTION_DOC: SourceRef = { tag: 'M1', quote: 'The request was rejected because one or more tags are not valid.', where: 'TagException' };

/** The CreateKey rules. */
export const CREATE_KEY_RULES: readonly Rule[] = [
  rule({
    id: 'CreateKey.KeyUsage.required',
    operations: ['CreateKey'],
    topic: 'operation',
    statement: 'CreateKey with a key spec other than SYMMETRIC_DEFAULT (KeySpec or CustomerMasterKeySpec) names a KeyUsage.',
    sources: [
      KEY_USAGE_DOC('This parameter is optional when you are creating a symmetric encryption KMS key; otherwise, it is required.'),
      {
        tag: 'LS',
        quote: 'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.',
        where: 'test_hmac_create_key_invalid_operations, CreateKey KeySpec HMAC_256 without KeyUsage (real AWS, 2023-04-13): ValidationException 400',
      },
    ],
    outcomes: [VALIDATION],
    note: 'Message as recorded from real AWS.',
    decision: 'decisions/0606-create-key-usage.md',
  }),
  rule({
    id: 'CreateKey.KeyUsage.compatible',
    operations: ['CreateKey'],
    topic: 'operation',
    statement: 'CreateKey KeyUsage is one its key spec supports: ENCRYPT_DECRYPT for SYMMETRIC_DEFAULT, GENERATE_VERIFY_MAC for HMAC, ENCRYPT_DECRYPT or SIGN_VERIFY for RSA, SIGN_VERIFY or KEY_AGREEMENT for NIST curves, SIGN_VERIFY for ECC_SECG_P256K1, any of the three for SM2.',
    sources: [
      KEY_USAGE_DOC('For symmetric encryption KMS keys, omit the parameter or specify ENCRYPT_DECRYPT.'),
      KEY_USAGE_DOC('For HMAC KMS keys (symmetric), specify GENERATE_VERIFY_MAC.'),
      KEY_USAGE_DOC('For asymmetric KMS keys with RSA key pairs, specify ENCRYPT_DECRYPT or SIGN_VERIFY.'),
      KEY_USAGE_DOC('For asymmetric KMS keys with NIST-recommended elliptic curve key pairs, specify SIGN_VERIFY or KEY_AGREEMENT.'),
      KEY_USAGE_DOC('For asymmetric KMS keys with ECC_SECG_P256K1 key pairs specify SIGN_VERIFY.'),
      KEY_USAGE_DOC('For asymmetric KMS keys with SM2 key pairs (China Regions only), specify ENCRYPT_DECRYPT, SIGN_VERIFY, or KEY_AGREEMENT.'),
      { tag: 'LS', quote: 'KeyUsage KEY_AGREEMENT is not compatible with KeySpec RSA_2048', where: 'test_derive_shared_secret, CreateKey RSA_2048 + KEY_AGREEMENT (real AWS, 2024-12-25): ValidationException 400' },
    ],
    outcomes: [VALIDATION],
    note: 'The message form is recorded for one pair; the mock uses it for every pair (decision 0606).',
    decision: 'decisions/0606-create-key-usage.md',
  }),
  rule({
    id: 'CreateKey.Tags.reservedPrefix',
    operations: ['CreateKey'],
    topic: 'operation',
    statement: 'No CreateKey tag key begins with "aws:" in any letter case; otherwise TagException "Tags beginning with aws: are reserved".',
    sources: [
      { tag: 'LS', quote: 'Tags beginning with aws: are reserved', where: 'test_create_key_with_invalid_tag_key[lowercase_prefix] and [uppercase_prefix]: TagKey aws:key1 / AWS:key1 (real AWS, 2025-01-22): TagException 400' },
      TAG_EXCEPTION_DOC,
    ],
    outcomes: [modelError('TagException')],
    note: 'Message as recorded from real AWS.',
    decision: 'decisions/0605-create-key-tags.md',
  }),
  rule({
    id: 'CreateKey.Tags.max',
    operations: ['CreateKey'],
    topic: 'operation',
    statement: `CreateKey carries at most ${MAX_CREATE_KEY_TAGS} tags; more give TagException "Too many tags".`,
    sources: [
      { tag: 'LS', quote: 'Too many tags', where: 'test_create_key_with_too_many_tags_raises_error: 51 tags, the test\'s max_tags = 50 plus one (real AWS, 2025-01-21): TagException 400' },
      TAG_EXCEPTION_DOC,
    ],
    outcomes: [modelError('TagException')],
    note: 'The model puts no length on TagList; the limit of 50 comes from the LS test that recorded the answer (decision 0605).',
    decision: 'decisions/0605-create-key-tags.md',
  }),
];
