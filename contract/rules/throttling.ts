/**
 * Request quotas per operation (contract notes §9.8, DG requests-per-second.md, 2023; adjustable).
 * These are service quotas, not model constraints, so they are typed here from the DG table. The
 * notes' table lacks the alias and listing operations; their quotas come from an archived revision
 * of the same page (decision 0222).
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
  CreateAlias: 5,
  DeleteAlias: 5,
  ListAliases: 100,
  ListKeys: 100,
};

/** The operations whose quota the contract notes' §9.8 table gives (the others: decision 0222). */
const NOTES_QUOTA_OPERATIONS: ReadonlySet<OperationName> = new Set(['PutKeyPolicy', 'GetKeyPolicy', 'ListKeyPolicies', 'DescribeKey', 'CreateKey', 'EnableKey', 'DisableKey', 'ScheduleKeyDeletion', 'CancelKeyDeletion']);

/** Id of the throttling rule of an operation. */
export function throttlingRuleId(op: OperationName): string {
  return `Throttling.${op}`;
}

/** DG via the contract notes: throttling below the quota, for a key whose state changes in bursts. */
const HOT_KEY = {
  tag: 'DG',
  quote: 'Throttling also happens for a "hot key" (bursts of state changes on one key), with `ThrottlingException` (DG throttling.md).',
  where: 'contract notes §9.8',
} as const;

/**
 * One throttling rule per operation. Its outcome is accepted for every request at any rate
 * (`accepts` in the oracle, decision 0603); the rule is listed among a request's rules when the
 * request's context names a rate above the default quota.
 */
export const THROTTLING_RULES: readonly Rule[] = OPERATIONS.map((op) =>
  rule({
    id: throttlingRuleId(op),
    operations: [op],
    topic: 'throttling',
    statement: `KMS may answer ${op} with ThrottlingException at any rate: above ${REQUEST_QUOTAS[op]} requests per second (default quota) and, for a hot key, below it; it never has to.`,
    sources: [
      ...(NOTES_QUOTA_OPERATIONS.has(op)
        ? [
            {
              tag: 'DG',
              quote: op === 'EnableKey' || op === 'DisableKey' ? '| EnableKey / DisableKey | 5 / 5 |' : `| ${op} | ${REQUEST_QUOTAS[op]} |`,
              where: 'requests-per-second.md (2023), contract notes §9.8',
            } as const,
          ]
        : []),
      HOT_KEY,
      { tag: 'DG', quote: 'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.', where: 'throttling.md' },
    ],
    outcomes: [THROTTLING],
    note:
      'Quotas are adjustable per account and shared across operations in some groups, and a hot key is throttled below them, so a ThrottlingException (HTTP 400) is accepted for every request whatever its rate, and never required; no other code is accepted in its place.' +
      (NOTES_QUOTA_OPERATIONS.has(op) ? '' : ` The quota of ${op} is not in the contract notes; ${REQUEST_QUOTAS[op]} comes from an archived revision of requests-per-second.md (decisions/0222).`),
    decision: 'decisions/0603-throttling-at-any-rate.md',
  }),
);
