import { describe, expect, it } from 'vitest';
import { createPrincipalDirectory } from './directory.ts';

const ACCT = '111122223333';

describe('createPrincipalDirectory', () => {
  it('knows the account principal, the default admin, common services and "*" by default', () => {
    const d = createPrincipalDirectory({ accountId: ACCT });
    expect(d.lookup(`arn:aws:iam::${ACCT}:root`, 'account')).toBe('exists');
    expect(d.lookup(ACCT, 'account')).toBe('exists');
    expect(d.lookup(`arn:aws:iam::${ACCT}:role/Admin`, 'role')).toBe('exists');
    expect(d.lookup(`arn:aws:sts::${ACCT}:assumed-role/Admin/s1`, 'assumed-role')).toBe('exists');
    expect(d.lookup('cloudtrail.amazonaws.com', 'service')).toBe('exists');
    expect(d.lookup('logs.eu-west-1.amazonaws.com', 'service')).toBe('exists');
    expect(d.lookup('*', 'account')).toBe('exists');
  });

  it('the own account is fully known: unlisted users and roles are missing', () => {
    const d = createPrincipalDirectory({ accountId: ACCT });
    expect(d.lookup(`arn:aws:iam::${ACCT}:user/ghost`, 'user')).toBe('missing');
    expect(d.lookup(`arn:aws:iam::${ACCT}:role/Ghost`, 'role')).toBe('missing');
    expect(d.lookup(`arn:aws:sts::${ACCT}:assumed-role/Ghost/s1`, 'assumed-role')).toBe('missing');
  });

  it('other accounts and unlisted services are unknown by default, missing when configured', () => {
    const d = createPrincipalDirectory({ accountId: ACCT });
    expect(d.lookup('arn:aws:iam::444455556666:root', 'account')).toBe('unknown');
    expect(d.lookup('444455556666', 'account')).toBe('unknown');
    expect(d.lookup('arn:aws:iam::444455556666:user/u', 'user')).toBe('unknown');
    expect(d.lookup(`arn:aws-cn:iam::${ACCT}:root`, 'account')).toBe('unknown');
    expect(d.lookup('quantum.amazonaws.com', 'service')).toBe('unknown');
    const strict = createPrincipalDirectory({ accountId: ACCT, otherAccounts: 'missing' });
    expect(strict.lookup('arn:aws:iam::444455556666:user/u', 'user')).toBe('missing');
  });

  it('add and remove change what exists; the account principal cannot be removed', () => {
    const d = createPrincipalDirectory({ accountId: ACCT, partition: 'aws' });
    const alice = { kind: 'user', id: `arn:aws:iam::${ACCT}:user/alice` } as const;
    d.add(alice);
    expect(d.lookup(alice.id, 'user')).toBe('exists');
    expect(d.remove(alice)).toBe(true);
    expect(d.lookup(alice.id, 'user')).toBe('missing');
    expect(d.remove({ kind: 'account', id: ACCT })).toBe(false);
    expect(d.lookup(ACCT, 'account')).toBe('exists');
    const other = { kind: 'role', id: 'arn:aws:iam::444455556666:role/Partner' } as const;
    d.add(other);
    expect(d.lookup(other.id, 'role')).toBe('exists');
    expect(d.list()).toContainEqual(other);
  });

  it('rejects a malformed account id with a message that says what to do', () => {
    expect(() => createPrincipalDirectory({ accountId: '1234' })).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: createPrincipalDirectory: accountId must be a 12-digit AWS account id, got '1234'. Example: '111122223333'.]`,
    );
  });
});
