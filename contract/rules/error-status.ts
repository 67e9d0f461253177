/**
 * HTTP statuses of errors: real KMS sends 400 for client errors whose model says 404 or 409
 * (contract notes §4).
 */
import { OPERATIONS } from '../types.ts';
import type { Rule } from '../types.ts';
import { INVALID_STATE, NOT_FOUND, rule } from './outcomes.ts';

/** The error-status rule. */
export const ERROR_STATUS_RULES: readonly Rule[] = [
  rule({
    id: 'ErrorStatus.observed400',
    operations: OPERATIONS,
    topic: 'error-status',
    statement: 'Client errors are sent with HTTP 400; the model\'s httpError (NotFoundException 404, KMSInvalidStateException 409) is accepted as the documented alternative.',
    sources: [
      { tag: 'LS', quote: 'HTTPStatusCode: 400', where: 'test_get_key_does_not_exist (NotFoundException, real AWS 2025-09-08); test_import_key_symmetric (KMSInvalidStateException, 2025-11-10)' },
      { tag: 'M1', quote: '"smithy.api#httpError": 404', where: 'NotFoundException' },
      { tag: 'M1', quote: '"smithy.api#httpError": 409', where: 'KMSInvalidStateException' },
    ],
    outcomes: [NOT_FOUND, INVALID_STATE],
    disagreement: 'The model gives 404/409; every recording of real KMS shows 400. Both are accepted; any other status breaks the rule.',
    decision: 'decisions/0200-error-statuses.md',
  }),
];
