import { describe, expect, it } from 'vitest';
import * as contract from './index.ts';

describe('the contract barrel', () => {
  it('exposes the catalogue, the oracle, versions, identities, key ids, messages, the wire layer and the policy checker', () => {
    const fns = [
      'expected',
      'expectedWire',
      'checkResponse',
      'accepts',
      'ruleById',
      'rulesFor',
      'outcomesFor',
      'resolveContractVersion',
      'accountPrincipalArn',
      'parseKeyIdentifier',
      'resolveKey',
      'validationMessage',
      'decodeWireRequest',
      'normaliseErrorType',
      'checkPolicy',
      'checkLockout',
      'parsePolicy',
      'createPrincipalDirectory',
      'DEFAULT_KEY_POLICY',
      'isRequired',
      'targetOf',
      'KmsConformanceUserError',
    ] as const;
    for (const name of fns) expect(typeof (contract as Record<string, unknown>)[name], name).toBe('function');
    expect(contract.RULES.length).toBeGreaterThan(200);
    expect(contract.LATEST_VERSION).toBe('2025-06-05');
    expect(contract.DEFAULT_CALLER).toEqual({ arn: 'arn:aws:iam::111122223333:role/Admin', accountId: '111122223333', iam: { kind: 'known', actions: ['*'] } });
    expect(contract.accountPrincipalArn('444455556666', 'aws-cn')).toBe('arn:aws-cn:iam::444455556666:root');
  });
});
