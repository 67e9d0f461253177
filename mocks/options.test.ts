import { describe, expect, it } from 'vitest';
import { DEFAULT_CALLER } from '../contract/identities.ts';
import { KmsConformanceUserError } from '../contract/errors.ts';
import { MockConfigError } from './errors.ts';
import { KmsModel } from './model/kms-model.ts';
import { resolveMockOptions } from './options.ts';

describe('resolveMockOptions', () => {
  it('fills the documented defaults', () => {
    const o = resolveMockOptions();
    expect(o).toMatchObject({ region: 'us-east-1', accountId: '111122223333', contractVersion: '2025-06-05', seed: 1, verifySignatures: false, maxBodyBytes: 1_048_576 });
    expect(o.readLag.ms).toBe(0);
    expect([...o.readLag.operations].sort()).toEqual(['DescribeKey', 'GetKeyPolicy', 'ListKeyPolicies']);
    expect(o.faults).toMatchObject({ seed: 1, serverErrorRate: 0, throttleRate: 0, dropRate: 0, latencyMs: undefined });
  });

  it('resolves contract version prefixes', () => {
    expect(resolveMockOptions({ contractVersion: '2024-03' }).contractVersion).toBe('2024-03-18');
  });

  it.each([
    [{ region: 'Mars' }, 'region', 'Mars'],
    [{ accountId: '123' }, 'accountId', '123'],
    [{ contractVersion: '1999' }, 'contractVersion', '1999'],
    [{ seed: 1.5 }, 'seed', '1.5'],
    [{ faults: { throttleRate: 2 } }, 'faults.throttleRate', '2'],
    [{ faults: { throttleRate: 0.6, serverErrorRate: 0.6 } }, 'faults', '1.2'],
    [{ faults: { latencyMs: [10, 5] as [number, number] } }, 'faults.latencyMs', '[10,5]'],
    [{ faults: { operations: ['Encrypt' as never] } }, 'faults.operations', 'Encrypt'],
    [{ readLagMs: -1 }, 'readLagMs', '-1'],
    [{ readLagMs: 1, readLag: { ms: 1 } }, 'readLagMs', 'either'],
    [{ maxBodyBytes: 10 }, 'maxBodyBytes', '10'],
    [{ identities: { 'bad key': { caller: DEFAULT_CALLER } } }, 'identities.bad key', 'AKIDEXAMPLE'],
    [{ verifySignatures: true, identities: { AKID1: { caller: DEFAULT_CALLER } } }, 'identities.AKID1.secretAccessKey', 'verifySignatures'],
  ])('rejects %j naming the option and the value', (options, option, value) => {
    let err: unknown;
    try {
      resolveMockOptions(options);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MockConfigError);
    expect((err as MockConfigError).option).toBe(option);
    expect((err as Error).message).toContain(value);
    expect((err as Error).message).toMatch(/^\[kms-conformance mock\]/);
  });

  it('names the library option, not a command-line flag, for a bad contract version', () => {
    let err: unknown;
    try {
      new KmsModel({ contractVersion: 'nonsense' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KmsConformanceUserError);
    expect((err as KmsConformanceUserError).option).toBe('contractVersion');
    expect((err as Error).message).toContain("contractVersion: unknown contract version 'nonsense'");
    expect((err as Error).message).not.toContain('--contract');
    expect((err as Error).message.match(/contractVersion/g)).toHaveLength(1);
  });
});
