import { describe, expect, it } from 'vitest';
import { classifyPrincipal } from './principal.ts';

describe('classifyPrincipal', () => {
  it('AWS forms', () => {
    expect(classifyPrincipal('*')).toEqual({ kind: 'everyone' });
    expect(classifyPrincipal('111122223333')).toEqual({ kind: 'account', accountId: '111122223333', form: 'id' });
    expect(classifyPrincipal('arn:aws:iam::111122223333:root')).toEqual({ kind: 'account', accountId: '111122223333', partition: 'aws', form: 'arn' });
    expect(classifyPrincipal('arn:aws:iam::111122223333:user/division/alice')).toEqual({
      kind: 'user',
      partition: 'aws',
      accountId: '111122223333',
      path: '/division/',
      name: 'alice',
      arn: 'arn:aws:iam::111122223333:user/division/alice',
    });
    expect(classifyPrincipal('arn:aws-us-gov:iam::111122223333:role/Admin')).toMatchObject({ kind: 'role', partition: 'aws-us-gov', path: '/', name: 'Admin' });
    expect(classifyPrincipal('arn:aws:sts::111122223333:assumed-role/Admin/session@example.com')).toMatchObject({
      kind: 'assumed-role',
      roleName: 'Admin',
      sessionName: 'session@example.com',
    });
    expect(classifyPrincipal('arn:aws:sts::111122223333:federated-user/bob')).toMatchObject({ kind: 'federated-user', name: 'bob' });
  });

  it('malformed AWS values, each with its reason', () => {
    const cases: [string, string][] = [
      ['arn:aws:iam::12:user/x', 'bad-account'],
      ['arn:aws:iam::1111222233334:root', 'bad-account'],
      ['arn:aws:s3:::bucket', 'not-an-iam-principal'],
      ['arn:aws:iam::111122223333:group/Admins', 'group'],
      ['arn:aws:iam::111122223333:user/*', 'wildcard-in-arn'],
      ['arn:aws:iam::*:root', 'wildcard-in-arn'],
      ['arn:aws:iam::111122223333:role/Adm?n', 'wildcard-in-arn'],
      ['arn:amazon:iam::111122223333:root', 'bad-partition'],
      ['arn:aws:iam:us-east-1:111122223333:root', 'bad-resource'],
      ['arn:aws:iam::111122223333:policy/P', 'bad-resource'],
      ['arn:aws:iam::111122223333:saml-provider/Okta', 'bad-resource'],
      ['arn:aws:sts::111122223333:assumed-role/OnlyRole', 'bad-resource'],
      ['arn:aws:iam::111122223333:user/bad name', 'bad-resource'],
      ['alice', 'not-an-arn'],
      ['11112222333', 'not-an-arn'],
      ['', 'empty'],
    ];
    for (const [value, reason] of cases) expect(classifyPrincipal(value), value).toMatchObject({ kind: 'malformed', reason });
  });

  it('Service, Federated and CanonicalUser blocks', () => {
    expect(classifyPrincipal('cloudtrail.amazonaws.com', 'Service')).toEqual({ kind: 'service', name: 'cloudtrail.amazonaws.com' });
    expect(classifyPrincipal('logs.cn-north-1.amazonaws.com.cn', 'Service')).toMatchObject({ kind: 'service' });
    expect(classifyPrincipal('cloudtrail', 'Service')).toMatchObject({ kind: 'malformed', reason: 'bad-service' });
    expect(classifyPrincipal('*', 'Service')).toMatchObject({ kind: 'malformed' });
    expect(classifyPrincipal('arn:aws:iam::111122223333:root', 'Service')).toMatchObject({ kind: 'malformed' });
    expect(classifyPrincipal('accounts.google.com', 'Federated')).toEqual({ kind: 'federated', provider: 'accounts.google.com' });
    expect(classifyPrincipal('arn:aws:iam::111122223333:saml-provider/Okta', 'Federated')).toMatchObject({ kind: 'federated', accountId: '111122223333' });
    expect(classifyPrincipal('arn:aws:iam::111122223333:role/R', 'Federated')).toMatchObject({ kind: 'malformed', reason: 'bad-federated' });
    expect(classifyPrincipal('79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be', 'CanonicalUser')).toMatchObject({ kind: 'canonical-user' });
    expect(classifyPrincipal('79A59DF9', 'CanonicalUser')).toMatchObject({ kind: 'malformed', reason: 'bad-canonical-user' });
  });
});
