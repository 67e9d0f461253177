/**
 * What each source tag a rule cites stands for (contract notes `shared/contract/README.md` §0.1),
 * so `kms-conformance rules` and the reference can explain the tags they print. A `Record` over
 * {@link SourceTag}: a tag added to the type without a description here fails the type check.
 */
import type { SourceTag } from './types.ts';

/** One line per source tag: what the source is and which revision the quotes come from. */
export const SOURCE_TAGS: Readonly<Record<SourceTag, string>> = {
  M1: 'KMS Smithy model (JSON AST), aws/api-models-aws @ 56c8953 (2025-04-02)',
  B1: 'botocore KMS model, newest (last KMS change 3830c65de, 2026-05-20)',
  B0: 'botocore KMS model before PolicyName became optional (5cc08b4e3, 2024-01-05)',
  'B-hist': 'history of the botocore KMS model file (63 commits, 2015-04 to 2026-05) and its CHANGELOG',
  DEB: 'Debian python3-botocore 1.29.27 data files (Dec 2022)',
  SDK: '@aws-sdk/client-kms 3.1164.0, inspected and probed against a local HTTP server',
  SP: 'Smithy specification of the AWS JSON protocols (smithy-lang/smithy @ 0f73231)',
  SPT: 'Smithy AWS protocol compliance tests for awsJson1_1 (errors, empty operation, content type)',
  SC: 'Smithy constraint-traits specification',
  LS: 'LocalStack KMS tests with snapshots recorded against real AWS (@markers.aws.validated)',
  'LS-impl': 'LocalStack KMS provider (emulator code, not AWS)',
  MOTO: 'moto KMS implementation and tests (emulator code, not AWS)',
  LK: 'local-kms (emulator code, not AWS)',
  FL: 'Floci KMS handler (emulator code, not AWS)',
  DG: 'AWS KMS Developer Guide, archived GitHub source (awsdocs/aws-kms-developer-guide @ 3447fd9)',
  'DG-web': 'current AWS KMS Developer Guide pages (2024-2026)',
  'IAM-web': 'IAM User Guide, policy element reference (Principal, NotPrincipal)',
  'CE-web': 'AWS "Common Errors" reference pages',
  TF: 'Terraform AWS provider acceptance tests, run against real AWS (hashicorp/terraform-provider-aws @ 0593466)',
  ISS: 'GitHub issues and third-party logs quoting real AWS errors',
  'S-CLI': 'seed document: AWS CLI put-key-policy reference',
  'S-JS': 'seed document: AWS SDK for JavaScript v3 PutKeyPolicyCommand reference',
  'S-BOTO3': 'seed document: boto3 KMS put_key_policy reference',
  'S-QKMS': "seed document: the PutKeyPolicy page of a KMS-compatible service's API docs",
  'S-APIREF': 'seed document: AWS KMS API Reference, PutKeyPolicy',
};

/** The legend for the tags that occur in `tags`, in the order of {@link SOURCE_TAGS}. */
export function sourceTagLegend(tags: Iterable<SourceTag>): string[] {
  const used = new Set(tags);
  return (Object.keys(SOURCE_TAGS) as SourceTag[]).filter((t) => used.has(t)).map((t) => `${t}: ${SOURCE_TAGS[t]}`);
}
