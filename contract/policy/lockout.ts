/**
 * The key policy lockout safety check: "The key policy must allow the calling principal to make a
 * subsequent PutKeyPolicy request on the KMS key." (M1/B1, contract notes §8.3). KMS does not
 * document its algorithm (§11 item 16); this module evaluates the new policy the way IAM evaluates
 * a resource policy, in three-valued logic, and answers `unspecified` wherever the outcome depends
 * on something the contract cannot know (decision 0105).
 */
import { matchAction, matchWildcard } from './action.ts';
import { classifyPrincipal, type PrincipalClass } from './principal.ts';
import type { LockoutOptions, LockoutVerdict, PolicyDocument, PolicyStatement, PrincipalBlock } from './types.ts';

/** The action the check is about. */
export const PUT_KEY_POLICY_ACTION = 'kms:PutKeyPolicy';

/**
 * Three-valued truth with a reason for `no`/`maybe`. A `no` reason is written only when a verdict
 * quotes it (most statements of an allowed policy do not apply, and nobody reads why).
 */
type Tri = { readonly kind: 'yes' } | { readonly kind: 'no'; readonly why: () => string } | { readonly kind: 'maybe'; readonly why: string };

const YES: Tri = { kind: 'yes' };
/** A `no` whose reason nobody will read (not the first of its list). */
const NO: Tri = { kind: 'no', why: () => 'not the first reason' };
const no = (why: () => string): Tri => ({ kind: 'no', why });
const maybe = (why: string): Tri => ({ kind: 'maybe', why });

/** A human name for a statement: `statement 1 ("Allow admins")`. */
function describe(s: PolicyStatement): string {
  return s.Sid !== undefined && s.Sid !== '' ? `statement ${s.index} ("${s.Sid}")` : `statement ${s.index}`;
}

/**
 * Whether the caller is one of the principals of `block`.
 * - `"*"`, `{"AWS":"*"}`: everyone.
 * - the caller's exact ARN; for an STS assumed-role session, also its role's ARN (any path).
 * - the account principal (`arn:<p>:iam::<acct>:root` or bare `<acct>`) of the caller's account:
 *   for `Deny` (and for NotPrincipal lists) it covers every principal of the account; for `Allow`
 *   it delegates to IAM, so it covers the caller only if the caller's IAM permissions allow
 *   kms:PutKeyPolicy (unknown permissions → `maybe`).
 */
function principalMatches(block: PrincipalBlock, effect: 'Allow' | 'Deny' | 'NotPrincipal', options: LockoutOptions, callerClass: PrincipalClass): Tri {
  if (block.wildcard) return YES;
  const { caller } = options;
  // Logical OR over the values: the first `yes` decides at once; otherwise the first `maybe`, then
  // the first `no`. Only the first `no` can be quoted, so only its reason is kept.
  let firstMaybe: Tri | undefined;
  let firstNo: Tri | undefined;
  for (const value of block.AWS) {
    if (value === '*' || value === caller.arn) return YES;
    const t = principalValue(value, effect, options, callerClass, firstNo === undefined);
    if (t === YES) return YES;
    if (t.kind === 'maybe') firstMaybe ??= t;
    else if (t.kind === 'no') firstNo ??= t;
  }
  return firstMaybe ?? firstNo ?? no(() => `no principal of the statement is the caller ${caller.arn}`);
}

/** {@link principalMatches} for one value of the AWS block (not `"*"`, not the caller's ARN); a `no` carries its reason only when `withReason`. */
function principalValue(value: string, effect: 'Allow' | 'Deny' | 'NotPrincipal', options: LockoutOptions, callerClass: PrincipalClass, withReason: boolean): Tri {
  const { caller } = options;
  const c = classifyPrincipal(value);
  if (c.kind === 'role' && callerClass.kind === 'assumed-role') {
    if (c.accountId === callerClass.accountId && c.partition === callerClass.partition && c.name === callerClass.roleName) return YES;
    return withReason ? no(() => `${value} is not the caller's role`) : NO;
  }
  if (c.kind === 'account') {
    const sameAccount = c.accountId === caller.accountId && (c.partition === undefined || c.partition === options.partition);
    if (!sameAccount) return withReason ? no(() => `${value} is another account than the caller's (${caller.accountId})`) : NO;
    if (effect !== 'Allow') return YES;
    if (caller.iam.kind === 'unknown') {
      return maybe(`the account principal ${value} delegates to IAM, and the caller's IAM permissions are not known`);
    }
    const action = options.action ?? PUT_KEY_POLICY_ACTION;
    const actions = caller.iam.actions;
    if (actions.some((a) => matchAction(a, action))) return YES;
    return withReason ? no(() => `the account principal ${value} delegates to IAM, and the caller's IAM permissions (${actions.join(', ') || 'none'}) do not allow ${action}`) : NO;
  }
  return withReason ? no(() => `${value} is not the caller`) : NO;
}

function actionMatches(s: PolicyStatement, action: string): Tri {
  if (s.Action !== undefined) {
    const listed = s.Action;
    return listed.some((a) => matchAction(a, action)) ? YES : no(() => `its Action (${listed.join(', ')}) does not cover ${action}`);
  }
  if (s.NotAction !== undefined) {
    const listed = s.NotAction;
    return listed.some((a) => matchAction(a, action)) ? no(() => `its NotAction (${listed.join(', ')}) excludes ${action}`) : YES;
  }
  return no(() => 'it has no Action, so it has no effect');
}

function resourceMatches(s: PolicyStatement, keyArn: string): Tri {
  const covers = (r: string): boolean => r === '*' || matchWildcard(r, keyArn, false);
  const listed = s.Resource;
  if (listed !== undefined) return listed.some(covers) ? YES : no(() => `its Resource (${listed.join(', ')}) does not cover ${keyArn}`);
  if (s.NotResource !== undefined) return s.NotResource.some(covers) ? no(() => `its NotResource excludes ${keyArn}`) : YES;
  return no(() => 'it has no Resource, so it has no effect');
}

function conditionHolds(s: PolicyStatement): Tri {
  const c = s.Condition;
  if (c === undefined) return YES;
  const used = Object.entries(c).filter(([, keys]) => Object.keys(keys).length > 0);
  if (used.length === 0) return YES;
  const what = used.map(([op, keys]) => `${op} ${Object.keys(keys).join(', ')}`).join('; ');
  return maybe(`${describe(s)} has a Condition (${what}) whose truth depends on the context of the request`);
}

/** Whether a statement applies to the caller's next PutKeyPolicy call on the key. */
function applies(s: PolicyStatement, effect: 'Allow' | 'Deny', options: LockoutOptions, callerClass: PrincipalClass): Tri {
  let principal: Tri;
  if (s.Principal !== undefined && s.NotPrincipal === undefined) {
    principal = principalMatches(s.Principal, effect, options, callerClass);
  } else if (s.NotPrincipal !== undefined && s.Principal === undefined && effect === 'Deny') {
    // NotPrincipal with Deny: everyone except the listed principals is denied.
    const listed = principalMatches(s.NotPrincipal, 'NotPrincipal', options, callerClass);
    principal = listed.kind === 'yes' ? no(() => 'the caller is listed in its NotPrincipal') : listed.kind === 'maybe' ? listed : YES;
  } else {
    // No principal, both Principal and NotPrincipal, or NotPrincipal with Allow: not valid grammar.
    return no(() => 'its principal element is not valid, so it grants or denies nothing');
  }
  // Logical AND in this order: the first `no` wins, then the first `maybe`. Parts after a `no`
  // cannot change the answer and are not evaluated.
  if (principal.kind === 'no') return principal;
  const action = actionMatches(s, options.action ?? PUT_KEY_POLICY_ACTION);
  if (action.kind === 'no') return action;
  const resource = resourceMatches(s, options.keyArn);
  if (resource.kind === 'no') return resource;
  const condition = conditionHolds(s);
  if (condition.kind === 'no') return condition;
  if (principal.kind === 'maybe') return principal;
  if (action.kind === 'maybe') return action;
  if (resource.kind === 'maybe') return resource;
  return condition;
}

/**
 * Would the caller still be allowed to call kms:PutKeyPolicy (or `options.action`) on the key
 * under `doc`?
 *
 * Explicit Deny wins; otherwise an Allow statement is needed. A statement applies when its
 * principal covers the caller, its Action/NotAction covers kms:PutKeyPolicy, its
 * Resource/NotResource covers the key, and its Condition (if any) holds. Conditions are treated as
 * unknowable (decision 0105) — `unspecified` unless an unconditional statement already decides.
 *
 * @returns `allowed` with the statement that allows (`by`), `locked-out` with the `reason`, or
 * `unspecified` with the `reason` the contract cannot decide.
 * @example
 * checkLockout(doc, { caller: DEFAULT_CALLER, accountId: '111122223333', partition: 'aws', keyArn })
 */
export function checkLockout(doc: PolicyDocument, options: LockoutOptions): LockoutVerdict {
  let allowedBy: PolicyStatement | undefined;
  const allowMaybe: string[] = [];
  const allowNo: (() => string)[] = [];
  const denyMaybe: string[] = [];
  const callerClass = classifyPrincipal(options.caller.arn);
  for (const s of doc.Statement) {
    if (s.Effect === undefined) continue;
    const r = applies(s, s.Effect, options, callerClass);
    if (s.Effect === 'Deny') {
      if (r.kind === 'yes') {
        return { kind: 'locked-out', reason: `${describe(s)} denies ${options.action ?? PUT_KEY_POLICY_ACTION} to ${options.caller.arn}; an explicit Deny overrides every Allow.` };
      }
      if (r.kind === 'maybe') denyMaybe.push(`${describe(s)} (Deny) may apply: ${r.why}`);
    } else if (r.kind === 'yes') allowedBy ??= s;
    else if (r.kind === 'maybe') allowMaybe.push(`${describe(s)} (Allow) may apply: ${r.why}`);
    else {
      const why = r.why;
      allowNo.push(() => `${describe(s)}: ${why()}`);
    }
  }
  if (allowedBy === undefined && allowMaybe.length === 0) {
    const details = allowNo.length === 0 ? 'the policy has no Allow statement' : allowNo.slice(0, 5).map((why) => why()).join('; ');
    return {
      kind: 'locked-out',
      reason: `No statement allows ${options.caller.arn} to call ${options.action ?? PUT_KEY_POLICY_ACTION} on ${options.keyArn} (${details}).`,
    };
  }
  if (denyMaybe.length > 0) return { kind: 'unspecified', reason: denyMaybe.join('; ') };
  if (allowedBy !== undefined) return { kind: 'allowed', by: describe(allowedBy) };
  return { kind: 'unspecified', reason: allowMaybe.join('; ') };
}
