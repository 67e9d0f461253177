/**
 * Principal rules of the key policy (contract notes §8.2, §5.2, §11.17): every statement names
 * principals, they are well formed, and they exist and are visible to KMS.
 */
import type { Rule, SourceRef } from '../types.ts';
import { INVALID_ARN, MALFORMED, POLICY_OPERATIONS, SUCCESS, rule } from './outcomes.ts';
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
  docPrincipal('statement.principal.valid', 'Principal is "*" or an object of AWS / Service (/ Federated / CanonicalUser) with a string or non-empty list of well-formed values (values written as ARNs: statement.principal.arn).', [
    { tag: 'DG', quote: 'You can specify AWS accounts, IAM users, IAM roles, and some AWS services as principals in a key policy. IAM user groups are not a valid principal in any policy type.' },
  ], { note: 'Message assumed to be the invalid-principals message (§5.2). Federated and CanonicalUser support is not documented.' }),
  rule({
    id: 'PutKeyPolicy.Policy.statement.principal.arn',
    operations: POLICY_OPERATIONS,
    topic: 'principal',
    statement: 'A principal written as an ARN is a well-formed IAM or STS principal ARN (partition, 12-digit account, no region, root, user/…, role/… or an STS session, no wildcard, not a group).',
    sources: [
      { tag: 'S-JS', quote: 'InvalidArnException | client | The request was rejected because a specified ARN, or an ARN in a key policy, is not valid. |' },
      { tag: 'B1', quote: 'The request was rejected because a specified ARN, or an ARN in a key policy, is not valid.', where: 'InvalidArnException' },
      { tag: 'DG', quote: 'IAM user groups are not a valid principal in any policy type.' },
      { tag: 'ISS', quote: 'MalformedPolicyDocumentException: Policy contains a statement with one or more invalid principals.', where: 'awslabs/minimum-viable-dataspace-on-aws#6 (a principal KMS could not see)' },
    ],
    outcomes: [MALFORMED, INVALID_ARN],
    disagreement:
      'The JS SDK seed and B1 document InvalidArnException for "an ARN in a key policy" that "is not valid"; real AWS answered MalformedPolicyDocumentException ("one or more invalid principals") for principals it could not see (§5.2). No recording of a malformed principal ARN exists, so both are accepted; the mock answers MalformedPolicyDocumentException.',
    note: 'Values not written as an ARN (a bare name, a number, an unknown principal key) are PutKeyPolicy.Policy.statement.principal.valid.',
    decision: 'decisions/0601-malformed-principal-arn.md',
  }),
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
    statement: 'NotPrincipal goes only with "Effect": "Deny" (IAM grammar); a statement with NotPrincipal and "Effect": "Allow" is rejected.',
    sources: [{ tag: 'IAM-web', quote: 'must be used with "Effect":"Deny"', where: 'reference_policies_elements_notprincipal.html' }, MALFORMED_DOC],
    outcomes: [MALFORMED],
    note: `KMS docs do not mention NotPrincipal (§8.2, §11.3); IAM rejects it with Allow in every policy type. ${MESSAGES_UNKNOWN} NotPrincipal with Deny is PutKeyPolicy.Policy.statement.notPrincipal.deny.`,
    decision: 'decisions/0600-not-principal-by-effect.md',
  }),
  rule({
    id: 'PutKeyPolicy.Policy.statement.notPrincipal.deny',
    operations: POLICY_OPERATIONS,
    topic: 'principal',
    statement: 'NotPrincipal with "Effect": "Deny" is IAM grammar ("supported in resource-based policies for some AWS services") that KMS does not document; whether KMS accepts it is open.',
    sources: [
      { tag: 'IAM-web', quote: 'supported in resource-based policies for some AWS services', where: 'contract notes §8.2' },
      { tag: 'IAM-web', quote: 'must be used with "Effect":"Deny"', where: 'reference_policies_elements_notprincipal.html' },
    ],
    outcomes: [MALFORMED, SUCCESS],
    note: 'KMS docs do not mention NotPrincipal (§8.2, §11.3): the oracle answers unspecified (the mock accepts the policy); next to a violation its MalformedPolicyDocumentException is accepted too (decision 0500).',
    decision: 'decisions/0600-not-principal-by-effect.md',
  }),
];
