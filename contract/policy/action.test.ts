import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchAction, matchWildcard } from './action.ts';

/** Reference implementation: the IAM wildcard as a regular expression. */
function reference(pattern: string, value: string, flags: string): boolean {
  const body = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, `s${flags}`).test(value);
}

describe('matchAction', () => {
  it('matches the documented forms', () => {
    expect(matchAction('kms:*', 'kms:PutKeyPolicy')).toBe(true);
    expect(matchAction('kms:Put*', 'kms:PutKeyPolicy')).toBe(true);
    expect(matchAction('*', 'kms:PutKeyPolicy')).toBe(true);
    expect(matchAction('KMS:PUTKEYPOLICY', 'kms:PutKeyPolicy')).toBe(true);
    expect(matchAction('kms:PutKeyPolic?', 'kms:PutKeyPolicy')).toBe(true);
    expect(matchAction('kms:Get*', 'kms:PutKeyPolicy')).toBe(false);
    expect(matchAction('kms:Put', 'kms:PutKeyPolicy')).toBe(false);
    expect(matchAction('kms:PutKeyPolicy?', 'kms:PutKeyPolicy')).toBe(false);
    expect(matchAction('s3:*', 'kms:PutKeyPolicy')).toBe(false);
  });

  const alphabet = fc.constantFrom('k', 'm', 's', ':', 'P', 'p', 'u', 't', '*', '?', '.', '(');
  const word = fc.array(alphabet, { maxLength: 12 }).map((cs) => cs.join(''));

  it('agrees with a regular-expression reference (case-insensitive)', () => {
    fc.assert(
      fc.property(word, word, (pattern, value) => {
        expect(matchAction(pattern, value)).toBe(reference(pattern, value, 'i'));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with the reference on action names with wildcards cut out of them', () => {
    const action = fc.constantFrom('kms:PutKeyPolicy', 'kms:GetKeyPolicy', 'kms:Decrypt', 'kms:ListKeyPolicies');
    fc.assert(
      fc.property(action, fc.nat(20), fc.nat(20), fc.constantFrom('*', '?', ''), action, (a, from, len, wild, target) => {
        const pattern = a.slice(0, from) + wild + a.slice(from + len);
        expect(matchAction(pattern, target)).toBe(reference(pattern, target, 'i'));
      }),
    );
  });
});

describe('matchWildcard', () => {
  it('is case-sensitive unless asked', () => {
    expect(matchWildcard('arn:aws:kms:*:111122223333:key/*', 'arn:aws:kms:us-east-1:111122223333:key/abc', false)).toBe(true);
    expect(matchWildcard('ARN:aws:kms:*', 'arn:aws:kms:x', false)).toBe(false);
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), (p, v) => {
        expect(matchWildcard(p, v, false)).toBe(reference(p, v, ''));
      }),
      { numRuns: 1000 },
    );
  });
});
