import { describe, expect, it } from 'vitest';
import { DEFAULT_CALLER } from '../contract/identities.ts';
import { accountPrincipal, createGeneratorContext, DEFAULT_GENERATOR_CONTEXT, iamPrincipals, servicePrincipals } from './context.ts';

describe('generator context', () => {
  it('defaults to the contract default caller, account and region', () => {
    expect(DEFAULT_GENERATOR_CONTEXT.caller).toEqual(DEFAULT_CALLER);
    expect(accountPrincipal(DEFAULT_GENERATOR_CONTEXT)).toBe('arn:aws:iam::111122223333:root');
    expect(iamPrincipals(DEFAULT_GENERATOR_CONTEXT)).toContain(DEFAULT_CALLER.arn);
    expect(servicePrincipals(DEFAULT_GENERATOR_CONTEXT)).toContain('cloudtrail.amazonaws.com');
  });

  it('moves the caller and the principals to another account and partition', () => {
    const ctx = createGeneratorContext({ accountId: '444455556666', partition: 'aws-cn' });
    expect(ctx.caller).toEqual({ arn: 'arn:aws-cn:iam::444455556666:role/Admin', accountId: '444455556666', iam: { kind: 'known', actions: ['*'] } });
    expect(iamPrincipals(ctx).every((p) => p.startsWith('arn:aws-cn:iam::444455556666:'))).toBe(true);
    expect(ctx.version).toBe('2025-06-05');
  });

  it('keeps a caller and principals given explicitly', () => {
    const caller = { arn: 'arn:aws:iam::111122223333:user/ops', accountId: '111122223333', iam: { kind: 'unknown' as const } };
    const ctx = createGeneratorContext({ caller, principals: [], version: '2017-02-15' });
    expect(ctx.caller).toBe(caller);
    expect(ctx.principals).toEqual([]);
    expect(ctx.version).toBe('2017-02-15');
  });
});
