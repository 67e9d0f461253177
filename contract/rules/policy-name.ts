/**
 * PolicyName: optional with default `default` since the 2024-03-18 model, and `default` is its
 * only valid value (contract notes §2.2, §2.3, §11.1). Presence under 2017-02-15 is the generated
 * rule `<Op>.PolicyName.required`.
 */
import type { OperationName, Rule } from '../types.ts';
import { versionsFrom } from '../versions.ts';
import { SUCCESS, anyError, rule } from './outcomes.ts';

function rulesFor(op: OperationName): Rule[] {
  return [
    rule({
      id: `${op}.PolicyName.default`,
      operations: [op],
      topic: 'policy-name',
      statement: `${op} without PolicyName acts on the policy named "default".`,
      sources: [
        { tag: 'B-hist', quote: 'Adds the ability to use the default policy name by omitting the policyName parameter in calls to PutKeyPolicy and GetKeyPolicy', where: 'botocore 1.34.65 CHANGELOG (2024-03-18)' },
        { tag: 'S-CLI', quote: 'If no policy name is specified, the default value is default .' },
        { tag: 'S-JS', quote: 'The name of the key policy. If no policy name is specified, the default value is' },
      ],
      versions: versionsFrom('2024-03-18'),
      outcomes: [SUCCESS],
      disagreement:
        'S-BOTO3, S-QKMS and S-APIREF still mark PolicyName required (they were generated from a model before 2024-03-18); that reading is contract version 2017-02-15, where omitting PolicyName breaks ' +
        `${op}.PolicyName.required.`,
      decision: 'decisions/0201-policy-name-versions.md',
    }),
    rule({
      id: `${op}.PolicyName.onlyDefault`,
      operations: [op],
      topic: 'policy-name',
      statement: `${op} with a PolicyName that matches the pattern but is not "default" fails.`,
      sources: [
        { tag: 'B1', quote: 'The only valid value is default.' },
        { tag: 'S-QKMS', quote: 'The only valid policy name is "default".' },
      ],
      outcomes: [anyError([400, 404], 'the documentation says the value is invalid but names no error (§11.1)')],
      disagreement:
        'The error is undocumented (§11.1): moto sends NotFoundException "No such policy exists", LocalStack UnsupportedOperationException "Only default policy is supported", local-kms ValidationException. Any error is accepted.',
      decision: 'decisions/0202-policy-name-only-default.md',
    }),
  ];
}

/** PolicyName rules of PutKeyPolicy and GetKeyPolicy. */
export const POLICY_NAME_RULES: readonly Rule[] = [...rulesFor('PutKeyPolicy'), ...rulesFor('GetKeyPolicy')];
