/**
 * Wildcard matching as IAM does it for `Action`/`NotAction` and `Resource`/`NotResource`:
 * `*` matches any run of characters (also none), `?` matches exactly one character, everything
 * else matches itself. Linear-time, no regular expressions (no catastrophic backtracking).
 */

/**
 * Whether `value` matches the IAM wildcard `pattern` as a whole.
 *
 * @param caseInsensitive - compare letters without regard to case (actions: yes; ARNs: no).
 * @example
 * matchWildcard('arn:aws:kms:*:111122223333:key/*', keyArn, false)
 */
export function matchWildcard(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const v = caseInsensitive ? value.toLowerCase() : value;
  let pi = 0;
  let vi = 0;
  let starP = -1;
  let starV = 0;
  while (vi < v.length) {
    const pc = p[pi];
    if (pc === '*') {
      starP = pi++;
      starV = vi;
    } else if (pc !== undefined && (pc === '?' || pc === v[vi])) {
      pi++;
      vi++;
    } else if (starP >= 0) {
      pi = starP + 1;
      vi = ++starV;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

/**
 * Whether an IAM action pattern (`kms:*`, `kms:Put*`, `KMS:putkeypolicy`, `*`) covers `action`
 * (`kms:PutKeyPolicy`). IAM compares service prefixes and action names case-insensitively.
 *
 * @example
 * matchAction('kms:Put*', 'kms:PutKeyPolicy') // true
 * matchAction('kms:Get*', 'kms:PutKeyPolicy') // false
 */
export function matchAction(pattern: string, action: string): boolean {
  return matchWildcard(pattern, action, true);
}
