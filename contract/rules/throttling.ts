/**
 * Request quotas per operation (contract notes §9.8, DG requests-per-second.md, 2023; adjustable).
 * These are service quotas, not model constraints, so they are typed here from the DG table.
 */
import { OPERATIONS } from '../types.ts';
import type { OperationName, Rule } from '../types.ts';
import { THROTTLING, rule } from './outcomes.ts';

/** Default requests per second per operation (DG requests-per-second.md). */
export const REQUEST_QUOTAS: Readonly<Record<OperationName, number>> = {
  PutKeyPolicy: 15,
  GetKeyPolicy: 1000,
  ListKeyPolicies: 100,
  DescribeKey: 2000,
  CreateKey: 5,
  EnableKey: 5,
  DisableKey: 5,
  ScheduleKeyDeletion: 15,
  CancelKeyDeletion: 5,
};

/** Id of the throttling rule of an operation. */
export function throttlingRuleId(op: OperationName): string {
  return `Throttling.${op}`;
}

/** One throttling rule per operation. */
export const THROTTLING_RULES: readonly Rule[] = OPERATIONS.map((op) =>
  rule({
    id: throttlingRuleId(op),
    operations: [op],
    topic: 'throttling',
    statement: `Above ${REQUEST_QUOTAS[op]} ${op} requests per second (default quota), KMS may answer ThrottlingException.`,
    sources: [
      {
        tag: 'DG',
        quote: op === 'EnableKey' || op === 'DisableKey' ? '| EnableKey / DisableKey | 5 / 5 |' : `| ${op} | ${REQUEST_QUOTAS[op]} |`,
        where: 'requests-per-second.md (2023), contract notes §9.8',
      },
      { tag: 'DG', quote: 'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.', where: 'throttling.md' },
    ],
    outcomes: [THROTTLING],
    note: 'Quotas are adjustable per account and shared across operations in some groups; below the quota, throttling of a "hot key" is still possible, so ThrottlingException is allowed only above the quota and never required.',
    decision: 'decisions/0211-consistency-throttling.md',
  }),
);
