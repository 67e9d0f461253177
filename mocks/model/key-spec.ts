/**
 * What KeyMetadata lists for each key spec and key usage: the algorithm members
 * (EncryptionAlgorithms, SigningAlgorithms, MacAlgorithms, KeyAgreementAlgorithms). Values are the
 * `@aws-sdk/client-kms` enum values as the KMS Developer Guide pairs them with key specs.
 */

/** The algorithm members of KeyMetadata for one key. Members that do not apply are absent. */
export interface KeyAlgorithms {
  readonly EncryptionAlgorithms?: readonly string[];
  readonly SigningAlgorithms?: readonly string[];
  readonly MacAlgorithms?: readonly string[];
  readonly KeyAgreementAlgorithms?: readonly string[];
}

const RSA_ENCRYPT = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'];
const RSA_SIGN = [
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
];
const ECDSA: Readonly<Record<string, string>> = {
  ECC_NIST_P256: 'ECDSA_SHA_256',
  ECC_NIST_P384: 'ECDSA_SHA_384',
  ECC_NIST_P521: 'ECDSA_SHA_512',
  ECC_SECG_P256K1: 'ECDSA_SHA_256',
};

/**
 * The algorithms KeyMetadata reports for a key spec and usage. A combination KMS does not offer
 * gets no algorithm member (the contract's rules decide whether CreateKey accepts it at all).
 */
export function algorithmsFor(keySpec: string, keyUsage: string): KeyAlgorithms {
  if (keySpec === 'SYMMETRIC_DEFAULT') return keyUsage === 'ENCRYPT_DECRYPT' ? { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] } : {};
  if (keySpec.startsWith('RSA_')) {
    if (keyUsage === 'ENCRYPT_DECRYPT') return { EncryptionAlgorithms: RSA_ENCRYPT };
    if (keyUsage === 'SIGN_VERIFY') return { SigningAlgorithms: RSA_SIGN };
    return {};
  }
  if (keySpec.startsWith('HMAC_')) {
    return keyUsage === 'GENERATE_VERIFY_MAC' ? { MacAlgorithms: [`HMAC_SHA_${keySpec.slice('HMAC_'.length)}`] } : {};
  }
  if (keySpec === 'SM2') {
    if (keyUsage === 'ENCRYPT_DECRYPT') return { EncryptionAlgorithms: ['SM2PKE'] };
    if (keyUsage === 'SIGN_VERIFY') return { SigningAlgorithms: ['SM2DSA'] };
    if (keyUsage === 'KEY_AGREEMENT') return { KeyAgreementAlgorithms: ['ECDH'] };
    return {};
  }
  const ecdsa = ECDSA[keySpec];
  if (ecdsa !== undefined) {
    if (keyUsage === 'SIGN_VERIFY') return { SigningAlgorithms: [ecdsa] };
    if (keyUsage === 'KEY_AGREEMENT' && keySpec !== 'ECC_SECG_P256K1') return { KeyAgreementAlgorithms: ['ECDH'] };
  }
  return {};
}

/** The partition of a Region name (`cn-north-1` → `aws-cn`, `us-gov-west-1` → `aws-us-gov`, else `aws`). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}
