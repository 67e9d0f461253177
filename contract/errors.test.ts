import { describe, expect, it } from 'vitest';
import { KmsConformanceUserError, parseSeedOption, parseWholeNumberOption } from './errors.ts';

describe('KmsConformanceUserError', () => {
  it('carries the option, the problem and a message naming both', () => {
    const e = new KmsConformanceUserError('faults.throttleRate', 'must be from 0 to 1, got 2.');
    expect(e).toBeInstanceOf(Error);
    expect(e.option).toBe('faults.throttleRate');
    expect(e.problem).toBe('must be from 0 to 1, got 2.');
    expect(e.message).toBe('faults.throttleRate: must be from 0 to 1, got 2.');
    expect(new KmsConformanceUserError('', 'nothing to run.').message).toBe('nothing to run.');
    expect(new KmsConformanceUserError('seed', 'p', 'custom text').message).toBe('custom text');
  });
});

describe('option parsers', () => {
  it('parse whole numbers in range and name the option, the value and the range otherwise', () => {
    expect(parseWholeNumberOption('port', ' 80 ', 0, 65535)).toBe(80);
    expect(() => parseWholeNumberOption('port', '1.5', 0, 65535)).toThrow("port: must be a whole number, got '1.5'.");
    expect(() => parseWholeNumberOption('port', '65536', 0, 65535)).toThrow('port: must be between 0 and 65535, got 65536.');
  });

  it('parse 32-bit seeds and name the option otherwise', () => {
    expect(parseSeedOption('KMS_CONFORMANCE_SEED', '-7')).toBe(-7);
    expect(() => parseSeedOption('KMS_CONFORMANCE_SEED', 'x')).toThrow(KmsConformanceUserError);
    expect(() => parseSeedOption('KMS_CONFORMANCE_SEED', '2147483648')).toThrow('KMS_CONFORMANCE_SEED: must fit in a 32-bit signed integer, got 2147483648.');
  });
});
