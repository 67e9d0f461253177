/**
 * Principal rules of the key policy (contract notes §8.2, §5.2, §11.17): every statement names
 * principals, they are well formed, and they exist and are visible to KMS.
 */
import type { Rule, SourceRef } from '../types.ts';
import { MALFORMED, POLICY_OPERATIONS, SUCCESS, rule } from './outcomes.ts';
import { MALFORMED_DOC, MESSAGES_UNKNOWN } from './policy-document.ts';

function docPrincipal(id: string, statement: string, sources: readonly SourceRef[], extra: { note?: string } = {}): Rule {
  return rule({
    id: `PutKeyPolicy.Policy.${id}`,
    operations: POLICY_OPERATIONS,
    topic: 'principal',
    statement,
    sources: [...sources, MALFORMED_DOC],
    outcomes: [MALFORMED],
    note: extra.note ?? MESSAGES_UNKNOWN,
  });
}

/** The principal rules. */
export const PRINCIPAL_RULES: readonly Rule[] = [
  docPrincipal('statement.principal.required', 'Every statement has a Principal (or NotPrincipal).', [
    { tag: 'B1', quote: 'Each statement in the key policy must contain one or more principals.' },
    { tag: 'ISS', quote: 'Policy contains a statement with no principal', where: 'a third-party list (unverified)' },
  ]),
  docPrincipal('statement.principal.valid', 'Principal is "*" or an object of AWS / Service (/ Federated / CanonicalUser) with a string or non-empty list of well-formed values.', [
    { tag: 'DG', quote: 'You can specify AWS accounts, IAM users, IAM roles, and some AWS services as principals in a key policy. IAM user groups are not a valid principal in any policy type.' },
  ], { note: 'Message assumed to be the invalid-principals message (§5.2). Federated and CanonicalUser support is not documented.' }),
  rule({
    id: 'PutKeyPolicy.Policy.statement.principal.exists',
    operations: POLICY_OPERATIONS,
    topic: 'principal',
    statement: 'Every principal in the key policy exists and is visible to KMS; otherwise MalformedPolicyDocumentException "Policy contains a statement with one or more invalid principals."',
    sources: [
      { tag: 'B1', quote: 'The principals in the key policy must exist and be visible to KMS.' },
      { tag: 'ISS', quote: 'MalformedPolicyDocumentException: Policy contains a statement with one or more invalid principals.', where: 'awslabs/minimum-viable-dataspace-on-aws#6' },
    ],
    outcomes: [MALFORMED],
    note: 'Principals of other accounts cannot be checked locally; the oracle leaves them unspecified (§11.17).',
    decision: 'decisions/0208-principals.md',
  }),
  rule({
    id: 'PutKeyPolicy.Policy.statement.notPrincipal',
    operations: POLICY_OPERATIONS,
    topic: 'principal',
    statement: 'NotPrincipal is IAM grammar that must go with "Effect": "Deny"; KMS does not document it.',
    sources: [
      { tag: 'IAM-web', quote: 'must be used with "Effect":"Deny"', where: 'reference_policies_elements_notprincipal.html' },
    ],
    outcomes: [MALFORMED, SUCCESS],
    note: 'KMS docs do not mention NotPrincipal (§8.2, §11.3): NotPrincipal with Allow is rejected (IAM), NotPrincipal with Deny is unspecified.',
    decision: 'decisions/0207-policy-document-unspecified.md',
  }),
];
