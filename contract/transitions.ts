/**
 * What a successful request does to its key (contract notes §5.1, §8.5 [12], §9.5–§9.7): the key
 * state after DisableKey, EnableKey, ScheduleKeyDeletion and CancelKeyDeletion, and the policy in
 * force after PutKeyPolicy (decision 0505), and the policy kept by the state changes (decision 0702).
 */
import { jsonEqual } from './output.ts';
import type { KeyInfo, KeyState, OperationName } from './types.ts';

/** One broken transition rule. */
export interface TransitionFinding {
  readonly kind: 'violation';
  readonly ruleId: string;
  readonly message: string;
}

/** Id of the rule that a state change keeps the key policy in force (decision 0702). */
export const KEPT_POLICY_RULE = 'KeyState.after.policy';

/** Whether two policy texts are the same policy (equal after JSON normalisation, or the same text). */
export function samePolicyText(a: string, b: string): boolean {
  try {
    return jsonEqual(JSON.parse(a), JSON.parse(b));
  } catch {
    return a === b;
  }
}

/** Id of the key-state transition rule of `op`. */
export function transitionRuleId(op: 'DisableKey' | 'EnableKey' | 'ScheduleKeyDeletion' | 'CancelKeyDeletion'): string {
  return `KeyState.after.${op}`;
}

/**
 * The key states acceptable after a successful `op` on a key in `before`, or `undefined` when the
 * operation does not change the state.
 */
export function statesAfter(op: OperationName, before: KeyInfo): readonly KeyState[] | undefined {
  switch (op) {
    case 'DisableKey':
      // [12]: "The operation succeeds, but the key state of the KMS key does not change until it becomes available."
      return before.state === 'Unavailable' ? ['Unavailable'] : ['Disabled'];
    case 'EnableKey':
      return before.state === 'Unavailable' ? ['Unavailable'] : ['Enabled'];
    case 'ScheduleKeyDeletion':
      // PendingReplicaDeletion for a multi-Region primary with replicas (§9.6); the world does not model replicas.
      return before.multiRegion ? ['PendingDeletion', 'PendingReplicaDeletion'] : ['PendingDeletion'];
    case 'CancelKeyDeletion':
      return ['Disabled'];
    default:
      return undefined;
  }
}

/**
 * The transition rules a successful request breaks, given the key before and after it.
 * `input` is the request's input (PutKeyPolicy: the new policy).
 *
 * @example
 * checkTransition('DisableKey', {}, enabledKey, { ...enabledKey, state: 'Disabled' }) // []
 */
export function checkTransition(op: OperationName, input: Readonly<Record<string, unknown>>, before: KeyInfo, after: KeyInfo): TransitionFinding[] {
  const out: TransitionFinding[] = [];
  const states = statesAfter(op, before);
  if (states !== undefined && !states.includes(after.state)) {
    out.push({
      kind: 'violation',
      ruleId: transitionRuleId(op as Parameters<typeof transitionRuleId>[0]),
      message: `${op} on a ${before.state} key left it ${after.state}; expected ${states.join(' or ')}.`,
    });
  }
  if (states !== undefined && op !== 'PutKeyPolicy' && !samePolicyText(after.policy, before.policy)) {
    out.push({ kind: 'violation', ruleId: KEPT_POLICY_RULE, message: `${op} changed the key policy in force on ${after.arn}: it only changes the key state, so the policy before it must still be in force.` });
  }
  if (op === 'PutKeyPolicy' && typeof input.Policy === 'string') {
    if (!samePolicyText(after.policy, input.Policy)) out.push({ kind: 'violation', ruleId: 'PutKeyPolicy.after.policy', message: `After PutKeyPolicy the policy in force on ${after.arn} is not the one put.` });
  }
  return out;
}
