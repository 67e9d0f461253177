/**
 * Re-checks generated policies with the contract's own checker, so a label is never just the
 * generator's opinion: every case is judged by `inspectPolicy` (syntax, structure, principals),
 * `checkLockout`, and the model's length, pattern and size rules, and kept only when the judgement
 * matches its label. The generators filter on this, so shrinking keeps labels true as well.
 */
import { keyArn } from '../contract/identities.ts';
import { checkLockout, createPrincipalDirectory, inspectPolicy } from '../contract/policy/index.ts';
import type { PrincipalDirectory } from '../contract/types.ts';
import type { GeneratorContext } from './context.ts';
import { scalarLength, utf8Length } from './json-text.ts';
import { POLICY_RULE, type CaseLabel } from './labels.ts';
import type { PolicyCase } from './policy-case.ts';
import { NON_PRINTABLE_ALLOWED_BY_PATTERN, POLICY_MAX_CHARS, POLICY_MIN_CHARS, POLICY_PATTERN, POLICY_QUOTA_BYTES } from './sizes.ts';

/** Key id the generated cases assume for the key whose policy is put (a documentation example). */
export const GENERATOR_KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';

/**
 * What the contract makes of a policy text.
 * - `triggered`: rules the text breaks (or, for rules whose outcomes include success such as
 *   `charset.printable`, triggers).
 * - `unspecified`: rules whose verdict the contract leaves open for this text.
 */
export interface PolicyJudgement {
  readonly triggered: readonly string[];
  readonly unspecified: readonly string[];
}

/**
 * Triggered rules after which the oracle still evaluates the lockout check: a policy failing only
 * its pattern or minimum length is still checked as a document (decision 0602).
 */
const LOCKOUT_STILL_CHECKED: ReadonlySet<string> = new Set([POLICY_RULE.principalExists, POLICY_RULE.sizeQuota, POLICY_RULE.printable, POLICY_RULE.pattern, POLICY_RULE.lengthMin]);

const directories = new WeakMap<GeneratorContext, PrincipalDirectory>();

/** The contract's principal directory for a context (its principals exist, others per decision 0104). */
export function directoryFor(ctx: GeneratorContext): PrincipalDirectory {
  let d = directories.get(ctx);
  if (!d) {
    d = createPrincipalDirectory({ accountId: ctx.accountId, partition: ctx.partition, principals: ctx.principals });
    directories.set(ctx, d);
  }
  return d;
}

/**
 * Judges a policy text as `PutKeyPolicy` would receive it, with the given bypass flag, for the
 * caller and account of `ctx`.
 */
export function judgePolicy(text: string, bypass: boolean | undefined, ctx: GeneratorContext): PolicyJudgement {
  const triggered = new Set<string>();
  const unspecified = new Set<string>();
  const chars = scalarLength(text);
  if (chars < POLICY_MIN_CHARS) triggered.add(POLICY_RULE.lengthMin);
  if (chars > POLICY_MAX_CHARS) triggered.add(POLICY_RULE.lengthMax);
  if (!POLICY_PATTERN.test(text)) triggered.add(POLICY_RULE.pattern);
  if (NON_PRINTABLE_ALLOWED_BY_PATTERN.test(text)) triggered.add(POLICY_RULE.printable);
  // Over the quota in bytes triggers the quota rule; at most 32,768 characters it is the rule's
  // documented disagreement (bytes or characters), whose outcomes include success (decision 0205).
  if (utf8Length(text) > POLICY_QUOTA_BYTES) triggered.add(POLICY_RULE.sizeQuota);

  const options = { version: ctx.version, accountId: ctx.accountId, partition: ctx.partition, principals: directoryFor(ctx) };
  const { findings, document } = inspectPolicy(text, options);
  for (const f of findings) {
    if (f.severity === 'violation') triggered.add(f.ruleId);
    else if (f.severity === 'unspecified') unspecified.add(f.ruleId);
  }
  // As the oracle does: the lockout check runs unless the document itself is broken (a missing
  // principal, the size quota, the printable-characters alternative and a pattern failure do not
  // stop it; a structural finding or more than the model's maximum length does).
  const stopsLockout = [...triggered].some((r) => !LOCKOUT_STILL_CHECKED.has(r));
  if (bypass !== true && !stopsLockout && document !== undefined) {
    const verdict = checkLockout(document, {
      caller: ctx.caller,
      accountId: ctx.accountId,
      partition: ctx.partition,
      keyArn: keyArn(GENERATOR_KEY_ID, ctx.region, ctx.accountId, ctx.partition),
    });
    if (verdict.kind === 'locked-out') triggered.add(POLICY_RULE.lockout);
    else if (verdict.kind === 'unspecified') unspecified.add(POLICY_RULE.lockout);
  }
  return { triggered: [...triggered].sort(), unspecified: [...unspecified].sort() };
}

/**
 * Whether a judgement bears a label out:
 * - `valid`: nothing triggered, nothing unspecified;
 * - `invalid` R: R triggered, and nothing triggered or unspecified outside R and its `also` rules;
 * - `unspecified` (rule R): only R unspecified (without R: something unspecified), nothing triggered.
 */
export function judgementMatches(label: CaseLabel, j: PolicyJudgement): boolean {
  switch (label.kind) {
    case 'valid':
      return j.triggered.length === 0 && j.unspecified.length === 0;
    case 'invalid': {
      const allowed = new Set([label.ruleId, ...(label.also ?? [])]);
      return j.triggered.includes(label.ruleId) && j.triggered.every((r) => allowed.has(r)) && j.unspecified.every((r) => allowed.has(r));
    }
    case 'unspecified':
      if (j.triggered.length > 0) return false;
      return label.ruleId === undefined ? j.unspecified.length > 0 : j.unspecified.length > 0 && j.unspecified.every((r) => r === label.ruleId);
  }
}

/** Whether a policy case's label holds under the contract's checker. */
export function policyCaseHolds(c: PolicyCase, ctx: GeneratorContext): boolean {
  return judgementMatches(c.label, judgePolicy(c.policy, c.bypassPolicyLockoutSafetyCheck, ctx));
}
