/**
 * The key policy lockout safety check and its bypass (contract notes §8.3, §5.2).
 */
import type { Rule } from '../types.ts';
import { MALFORMED, POLICY_OPERATIONS, SUCCESS, rule } from './outcomes.ts';

/** The lockout rules. */
export const LOCKOUT_RULES: readonly Rule[] = [
  rule({
    id: 'PutKeyPolicy.Policy.lockout',
    operations: POLICY_OPERATIONS,
    topic: 'lockout',
    statement:
      'Unless BypassPolicyLockoutSafetyCheck is true, the new key policy allows the caller to call PutKeyPolicy on the key again; otherwise MalformedPolicyDocumentException "The new key policy will not allow you to update the key policy in the future."',
    sources: [
      { tag: 'B1', quote: 'The key policy must allow the calling principal to make a subsequent PutKeyPolicy request on the KMS key. This reduces the risk that the KMS key becomes unmanageable.' },
      { tag: 'TF', quote: 'The new key policy will not allow you to update the key policy in the future.', where: 'TestAccKMSKeyPolicy_bypass (ExpectError, real AWS)' },
      { tag: 'ISS', quote: 'https response error StatusCode: 400, RequestID: …, MalformedPolicyDocumentException: The new key policy will not allow you to update the key policy in the future.' },
    ],
    outcomes: [MALFORMED],
    note: 'The exact algorithm (conditions, Deny, NotPrincipal, IAM delegation) is not documented (§11.16); the checker answers unspecified where it cannot decide. For CreateKey the caller must be able to call PutKeyPolicy on the new key.',
    decision: 'decisions/0210-lockout.md',
  }),
  rule({
    id: 'PutKeyPolicy.BypassPolicyLockoutSafetyCheck.skipsLockout',
    operations: POLICY_OPERATIONS,
    topic: 'lockout',
    statement: 'With BypassPolicyLockoutSafetyCheck true, a policy that locks the caller out is accepted.',
    sources: [
      { tag: 'B1', quote: 'Skips ("bypasses") the key policy lockout safety check. The default value is false.' },
      { tag: 'TF', quote: 'the same policy with bypass_policy_lockout_safety_check = true succeeds', where: 'TestAccKMSKeyPolicy_bypass' },
      { tag: 'S-QKMS', quote: 'Example 2: Attach a key policy with safety check bypass' },
    ],
    outcomes: [SUCCESS],
  }),
];
