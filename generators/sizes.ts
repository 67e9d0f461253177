/**
 * Size and character limits of the `Policy` member, taken from the model and the rule catalogue
 * (never retyped): the 32 KB quota in bytes, the model's length in characters, and its pattern.
 */
import { inputMembers, patternOf } from '../contract/model.ts';
import { POLICY_SIZE_QUOTA_BYTES } from '../contract/rules/index.ts';

function must<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`[kms-conformance] internal error: the model has no ${what}; regenerate contract/model/kms-model.json.`);
  return v;
}

const policyMember = must(inputMembers('PutKeyPolicy')['Policy'], 'PutKeyPolicy.Policy member');

/** Key policy size quota in UTF-8 bytes (DG resource-limits.md; `PutKeyPolicy.Policy.size.quota`). */
export const POLICY_QUOTA_BYTES: number = POLICY_SIZE_QUOTA_BYTES;

/** Smallest `Policy` length in characters (model `length.min`). */
export const POLICY_MIN_CHARS: number = must(policyMember.length?.min, 'Policy length.min');

/** Largest `Policy` length in characters (model `length.max`, 131,072). */
export const POLICY_MAX_CHARS: number = must(policyMember.length?.max, 'Policy length.max');

/** The model's `Policy` pattern as a Unicode regular expression (whole-string match, contract notes §2.1). */
export const POLICY_PATTERN: RegExp = must(patternOf(policyMember), 'Policy pattern');

/** Characters the model pattern allows but the documentation's "printable" does not (DEL, C1 controls): the contract's set. */
export { NON_PRINTABLE_ALLOWED_BY_PATTERN } from '../contract/rules/policy-size.ts';
