import { describe, expect, it } from 'vitest';
import { KmsConformanceUserError } from './errors.ts';
import { ContractVersionError, LATEST_VERSION, VERSION_DESCRIPTIONS, resolveContractVersion, versionsBefore, versionsFrom } from './versions.ts';
import { CONTRACT_VERSIONS } from './types.ts';

describe('resolveContractVersion', () => {
  it.each([
    ['latest', '2025-06-05'],
    ['2017-02-15', '2017-02-15'],
    ['2017', '2017-02-15'],
    ['2024-03', '2024-03-18'],
    ['2024', '2024-03-18'],
    ['2025-06', '2025-06-05'],
    [' 2025-06-05 ', '2025-06-05'],
  ])('%s → %s', (input, id) => {
    expect(resolveContractVersion(input)).toBe(id);
  });

  it.each(['1999', '2026', '20', '', 'newest', '2024-03-19'])('rejects %j with the valid values listed', (input) => {
    let err: unknown;
    try {
      resolveContractVersion(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ContractVersionError);
    expect(err).toBeInstanceOf(KmsConformanceUserError);
    expect((err as KmsConformanceUserError).option).toBe('contractVersion');
    expect((err as Error).message).toContain(`'${input}'`);
    // A library caller reads the option's own name, never a command-line flag.
    expect((err as Error).message).toMatch(/^contractVersion: unknown contract version/);
    expect((err as Error).message).not.toContain('--contract');
    for (const v of ['latest', ...CONTRACT_VERSIONS]) expect((err as Error).message).toContain(v);
  });

  it('names the option it was given to', () => {
    expect(() => resolveContractVersion('nonsense', 'options.version')).toThrow(/^options\.version: unknown contract version 'nonsense'/);
  });

  it('makes latest the 2025-06-05 documentation and describes every version', () => {
    expect(LATEST_VERSION).toBe('2025-06-05');
    for (const v of CONTRACT_VERSIONS) expect(VERSION_DESCRIPTIONS[v].length).toBeGreaterThan(20);
  });

  it('slices versions by date', () => {
    expect(versionsFrom('2024-03-18')).toEqual(['2024-03-18', '2025-06-05']);
    expect(versionsBefore('2025-06-05')).toEqual(['2017-02-15', '2024-03-18']);
  });
});
