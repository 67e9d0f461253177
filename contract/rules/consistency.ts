/**
 * Eventual consistency (contract notes §8.4): right after a change, reads may not see it yet.
 */
import type { Rule } from '../types.ts';
import { INVALID_STATE, KEY_NAMING_OPERATIONS, NOT_FOUND, rule } from './outcomes.ts';

/**
 * How long after a change the oracle accepts stale answers. DG: "typically … less than a few
 * seconds … in some cases it can take several minutes"; five minutes is used (decisions/0211).
 */
export const CONSISTENCY_WINDOW_MS = 5 * 60 * 1000;

/** The eventual-consistency rule. */
export const CONSISTENCY_RULES: readonly Rule[] = [
  rule({
    id: 'Consistency.eventual',
    operations: KEY_NAMING_OPERATIONS,
    topic: 'consistency',
    statement: 'Shortly after a key is created or changed, NotFoundException or KMSInvalidStateException may be answered instead of the settled result.',
    sources: [
      {
        tag: 'DG-web',
        quote:
          'You might get unexpected errors, such as a NotFoundException or an InvalidStateException, during this time. For example, AWS KMS might return a NotFoundException if you call GetParametersForImport immediately after calling CreateKey.',
        where: 'programming-eventual-consistency.html',
      },
      { tag: 'B1', quote: 'Eventual consistency: The KMS API follows an eventual consistency model.' },
      { tag: 'S-QKMS', quote: 'Changes to the key policy take effect immediately.' },
    ],
    outcomes: [NOT_FOUND, INVALID_STATE],
    disagreement: 'S-QKMS (a vendor) claims changes take effect immediately; AWS documents eventual consistency. Both behaviours are accepted (stale answers are allowed, not required).',
    note: 'Applies only when the request context says the key changed within the consistency window (5 minutes).',
    decision: 'decisions/0211-consistency-throttling.md',
  }),
];
