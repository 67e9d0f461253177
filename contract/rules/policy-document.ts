/**
 * Key policy document rules (contract notes §8.2, §11.3): JSON, top-level elements, statements
 * and their elements. The policy checker (`contract/policy/`) maps its findings to these ids.
 */
import type { Rule, SourceRef } from '../types.ts';
import { versionsBefore } from '../versions.ts';
import { MALFORMED, POLICY_OPERATIONS, SUCCESS, rule } from './outcomes.ts';

/** The MalformedPolicyDocumentException description (B1). */
export const MALFORMED_DOC: SourceRef = {
  tag: 'B1',
  quote: 'The request was rejected because the specified policy is not syntactically or semantically correct.',
  where: 'MalformedPolicyDocumentException',
};
/** Note for rules whose message is not documented. */
export const MESSAGES_UNKNOWN = 'The exact message is not documented (§11.3).';
/** DG: the required statement elements. */
export const REQUIRED_ELEMENTS: SourceRef = {
  tag: 'DG',
  quote: 'Each key policy statement consists of up to six elements. The Effect, Principal, Action, and Resource elements are required.',
  where: 'key-policy-overview.md',
};
const MISSING_ACCEPTED: SourceRef = {
  tag: 'B1',
  quote:
    'If either of the required Resource or Action elements are missing from a key policy statement, the policy statement has no effect. When a key policy statement is missing one of these elements, the KMS console correctly reports an error, but the PutKeyPolicy API request succeeds, even though the policy statement is ineffective.',
  where: 'since botocore d806c2105 (2025-06-05)',
};

/** A MalformedPolicyDocumentException rule of the policy document (ids prefixed `PutKeyPolicy.Policy.`). */
export function doc(id: string, statement: string, sources: readonly SourceRef[], extra: Partial<Pick<Rule, 'note' | 'disagreement' | 'decision'>> = {}): Rule {
  return rule({
    id: `PutKeyPolicy.Policy.${id}`,
    operations: POLICY_OPERATIONS,
    topic: 'policy-document',
    statement,
    sources: [...sources, MALFORMED_DOC],
    outcomes: [MALFORMED],
    note: extra.note ?? MESSAGES_UNKNOWN,
    ...(extra.disagreement ? { disagreement: extra.disagreement } : {}),
    ...(extra.decision ? { decision: extra.decision } : {}),
  });
}

/** The document and statement rules. */
export const POLICY_DOCUMENT_RULES: readonly Rule[] = [
  doc('document.json', 'The key policy is valid JSON.', [{ tag: 'ISS', quote: 'an empty string is returned as the error message', where: 'aws/aws-sdk-ruby#1784 (CreateKey with "not a real policy statement", 2018)' }], {
    note: 'Real AWS answered with an empty message in 2018 (§5.2).',
  }),
  doc('document.object', 'The key policy is a JSON object.', [{ tag: 'DG', quote: 'A key policy document must have the following elements', where: 'key-policy-overview.md' }]),
  rule({
    id: 'PutKeyPolicy.Policy.document.duplicateKey',
    operations: POLICY_OPERATIONS,
    topic: 'policy-document',
    statement: 'A key policy with a duplicated JSON member name is either rejected or read with one of the values.',
    sources: [{ tag: 'SP', quote: '`Policy` is a JSON **string** whose content is a JSON document', where: 'contract notes §1; JSON objects with duplicate names are not covered by any source' }],
    outcomes: [MALFORMED, SUCCESS],
    note: 'No source covers duplicate names; the checker reports them as unspecified.',
    decision: 'decisions/0207-policy-document-unspecified.md',
  }),
  doc('document.unknownElement', 'The key policy has no top-level elements besides Version, Id and Statement.', [
    { tag: 'DG', quote: 'A key policy document must have the following elements', where: 'key-policy-overview.md (contract notes §8.2: Version, Id, Statement)' },
  ]),
  doc('document.version', 'The key policy has Version "2012-10-17".', [
    { tag: 'DG', quote: 'Specifies the key policy document version. Set the version to 2012-10-17 (the latest version).', where: 'key-policy-overview.md' },
  ], { note: 'IAM also knows 2008-10-17; whether KMS accepts it is not documented (the checker reports it as unspecified). ' + MESSAGES_UNKNOWN, decision: 'decisions/0207-policy-document-unspecified.md' }),
  doc('document.id', 'Id, when present, is a string.', [{ tag: 'DG', quote: '"Id": "key-default-1"', where: 'key-policy-default.md' }]),
  doc('document.statement', 'The key policy has a Statement with at least one statement object.', [
    { tag: 'DG', quote: 'Encloses the policy statements. A key policy document must have at least one statement.', where: 'key-policy-overview.md' },
  ], { note: 'A single statement object instead of an array is valid IAM grammar and not stated for KMS. ' + MESSAGES_UNKNOWN }),
  doc('statement.unknownElement', 'A statement has no elements besides Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource, NotResource and Condition.', [REQUIRED_ELEMENTS]),
  doc('statement.sid', 'Sid, when present, is a string (spaces allowed, duplicates accepted).', [
    { tag: 'DG', quote: '| Sid | may contain spaces (unlike IAM) | DG |', where: 'contract notes §8.1' },
    { tag: 'TF', quote: 'Two statements with the same Sid ("Enable IAM User Permissions") are accepted', where: 'key_policy_test.go' },
  ]),
  doc('statement.effect', 'Every statement has Effect "Allow" or "Deny".', [REQUIRED_ELEMENTS]),
  rule({
    id: 'PutKeyPolicy.Policy.statement.action.missing',
    operations: POLICY_OPERATIONS,
    topic: 'policy-document',
    statement: 'A statement without Action (or NotAction) is rejected before 2025-06-05 and accepted (without effect) from 2025-06-05.',
    sources: [REQUIRED_ELEMENTS, MISSING_ACCEPTED],
    outcomes: [MALFORMED],
    outcomesByVersion: { '2025-06-05': [SUCCESS] },
    disagreement: 'DG says Action is required; B1 (2025-06-05) says the API request succeeds and only the console reports an error. Modelled as contract versions.',
    decision: 'decisions/0209-missing-action-resource.md',
  }),
  doc('statement.action.valid', 'Action is a string or a non-empty list of strings (e.g. kms:DescribeKey, kms:*, kms:Put*).', [
    { tag: 'DG', quote: '| `Action` | required; e.g. `kms:DescribeKey`, wildcards `kms:*`, `kms:Put*`; string or list |', where: 'contract notes §8.2' },
  ]),
  rule({
    id: 'PutKeyPolicy.Policy.statement.resource.missing',
    operations: POLICY_OPERATIONS,
    topic: 'policy-document',
    statement: 'A statement without Resource (or NotResource) is rejected before 2025-06-05 and accepted (without effect) from 2025-06-05.',
    sources: [REQUIRED_ELEMENTS, MISSING_ACCEPTED],
    outcomes: [MALFORMED],
    outcomesByVersion: { '2025-06-05': [SUCCESS] },
    disagreement: 'DG says Resource is required; B1 (2025-06-05) says the API request succeeds and only the console reports an error. Modelled as contract versions.',
    decision: 'decisions/0209-missing-action-resource.md',
  }),
  doc('statement.resource.valid', 'Resource is a string or a non-empty list of strings ("*" means this KMS key).', [
    { tag: 'DG', quote: 'In a key policy, the value of the Resource element is "*", which means "this KMS key."' },
  ]),
  doc('statement.condition', 'Condition, when present, maps operators to objects of condition keys and values (strings, booleans, numbers or lists of them).', [
    { tag: 'TF', quote: 'A JSON boolean condition value ("Bool": {"kms:GrantIsForAWSResource": true}) is accepted', where: 'key_policy_test.go' },
  ]),
];

/** Versions where a missing Action/Resource is a violation (before the 2025-06-05 documentation). */
export const MISSING_ELEMENT_VIOLATION_VERSIONS = versionsBefore('2025-06-05');
