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
/** A `no` whose reason nobody will read (not the first of its list, or nothing quotes it). */
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
function principalMatches(block: PrincipalBlock, effect: 'Allow' | 'Deny' | 'NotPrincipal', options: LockoutOptions, callerClass: PrincipalClass, explain: boolean): Tri {
  if (block.wildcard) return YES;
  const { caller } = options;
  // Logical OR over the values: the first `yes` decides at once; otherwise the first `maybe`, then
  // the first `no`. Only the first `no` can be quoted, so only its reason is kept.
  let firstMaybe: Tri | undefined;
  let firstNo: Tri | undefined;
  for (const value of block.AWS) {
    if (value === '*' || value === caller.arn) return YES;
    const t = principalValue(value, effect, options, callerClass, explain && firstNo === undefined);
    if (t === YES) return YES;
    if (t.kind === 'maybe') firstMaybe ??= t;
    else if (t.kind === 'no') firstNo ??= t;
  }
  return firstMaybe ?? firstNo ?? (explain ? no(() => `no principal of the statement is the caller ${caller.arn}`) : NO);
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

/** Whether one of `patterns` names `action`. */
function anyAction(patterns: readonly string[], action: string): boolean {
  for (const a of patterns) if (matchAction(a, action)) return true;
  return false;
}

/** Whether one of `resources` (`*` or ARN patterns) covers `keyArn`. */
function anyResource(resources: readonly string[], keyArn: string): boolean {
  for (const r of resources) if (r === '*' || matchWildcard(r, keyArn, false)) return true;
  return false;
}

function actionMatches(s: PolicyStatement, action: string, explain: boolean): Tri {
  if (s.Action !== undefined) {
    const listed = s.Action;
    if (anyAction(listed, action)) return YES;
    return explain ? no(() => `its Action (${listed.join(', ')}) does not cover ${action}`) : NO;
  }
  if (s.NotAction !== undefined) {
    const listed = s.NotAction;
    if (!anyAction(listed, action)) return YES;
    return explain ? no(() => `its NotAction (${listed.join(', ')}) excludes ${action}`) : NO;
  }
  return explain ? no(() => 'it has no Action, so it has no effect') : NO;
}

function resourceMatches(s: PolicyStatement, keyArn: string, explain: boolean): Tri {
  const listed = s.Resource;
  if (listed !== undefined) {
    if (anyResource(listed, keyArn)) return YES;
    return explain ? no(() => `its Resource (${listed.join(', ')}) does not cover ${keyArn}`) : NO;
  }
  if (s.NotResource !== undefined) {
    if (!anyResource(s.NotResource, keyArn)) return YES;
    return explain ? no(() => `its NotResource excludes ${keyArn}`) : NO;
  }
  return explain ? no(() => 'it has no Resource, so it has no effect') : NO;
}

function conditionHolds(s: PolicyStatement): Tri {
  const c = s.Condition;
  if (c === undefined) return YES;
  const used = Object.entries(c).filter(([, keys]) => Object.keys(keys).length > 0);
  if (used.length === 0) return YES;
  const what = used.map(([op, keys]) => `${op} ${Object.keys(keys).join(', ')}`).join('; ');
  return maybe(`${describe(s)} has a Condition (${what}) whose truth depends on the context of the request`);
}

/**
 * Whether a statement applies to the caller's next PutKeyPolicy call on the key. A `no` carries
 * its reason only with `explain` (a verdict quotes reasons only when nothing allows the caller).
 */
function applies(s: PolicyStatement, effect: 'Allow' | 'Deny', options: LockoutOptions, callerClass: PrincipalClass, explain: boolean): Tri {
  let principal: Tri;
  if (s.Principal !== undefined && s.NotPrincipal === undefined) {
    principal = principalMatches(s.Principal, effect, options, callerClass, explain);
  } else if (s.NotPrincipal !== undefined && s.Principal === undefined && effect === 'Deny') {
    // NotPrincipal with Deny: everyone except the listed principals is denied.
    const listed = principalMatches(s.NotPrincipal, 'NotPrincipal', options, callerClass, explain);
    principal = listed.kind === 'yes' ? (explain ? no(() => 'the caller is listed in its NotPrincipal') : NO) : listed.kind === 'maybe' ? listed : YES;
  } else {
    // No principal, both Principal and NotPrincipal, or NotPrincipal with Allow: not valid grammar.
    return explain ? no(() => 'its principal element is not valid, so it grants or denies nothing') : NO;
  }
  // Logical AND in this order: the first `no` wins, then the first `maybe`. Parts after a `no`
  // cannot change the answer and are not evaluated.
  if (principal.kind === 'no') return principal;
  const action = actionMatches(s, options.action ?? PUT_KEY_POLICY_ACTION, explain);
  if (action.kind === 'no') return action;
  const resource = resourceMatches(s, options.keyArn, explain);
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
  const allowNo: PolicyStatement[] = [];
  const denyMaybe: string[] = [];
  const callerClass = classifyPrincipal(options.caller.arn);
  for (const s of doc.Statement) {
    if (s.Effect === undefined) continue;
    const r = applies(s, s.Effect, options, callerClass, false);
    if (s.Effect === 'Deny') {
      if (r.kind === 'yes') {
        return { kind: 'locked-out', reason: `${describe(s)} denies ${options.action ?? PUT_KEY_POLICY_ACTION} to ${options.caller.arn}; an explicit Deny overrides every Allow.` };
      }
      if (r.kind === 'maybe') denyMaybe.push(`${describe(s)} (Deny) may apply: ${r.why}`);
    } else if (r.kind === 'yes') allowedBy ??= s;
    else if (r.kind === 'maybe') allowMaybe.push(`${describe(s)} (Allow) may apply: ${r.why}`);
    else allowNo.push(s);
  }
  if (allowedBy === undefined && allowMaybe.length === 0) {
    // The first five reasons, worked out again now that they are quoted.
    const reason = (s: PolicyStatement): string => {
      const r = applies(s, 'Allow', options, callerClass, true);
      return `${describe(s)}: ${r.kind === 'no' ? r.why() : 'internal: the statement applies when explained'}`;
    };
    const details = allowNo.length === 0 ? 'the policy has no Allow statement' : allowNo.slice(0, 5).map(reason).join('; ');
    return {
      kind: 'locked-out',
      reason: `No statement allows ${options.caller.arn} to call ${options.action ?? PUT_KEY_POLICY_ACTION} on ${options.keyArn} (${details}).`,
    };
  }
  if (denyMaybe.length > 0) return { kind: 'unspecified', reason: denyMaybe.join('; ') };
  if (allowedBy !== undefined) return { kind: 'allowed', by: describe(allowedBy) };
  return { kind: 'unspecified', reason: allowMaybe.join('; ') };
}
