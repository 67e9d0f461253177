import { describe, expect, it } from 'vitest';
import { parsePositiveInt, parseWholeNumber, UsageError } from './errors.ts';
import { runCli } from '../suites/helpers/cli.ts';

const run = runCli;

describe('kms-conformance exit codes', () => {
  it('--help and --version exit 0 on stdout', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: kms-conformance');
    const version = await run(['--version']);
    expect(version.code).toBe(0);
    expect(version.out).toMatch(/^\d+\.\d+\.\d+/);
    expect(version.out.trim()).toMatch(/ \(contract versions 2017-02-15, 2024-03-18, 2025-06-05; latest = 2025-06-05\)$/);
  });

  it('no command is bad usage: exit 2 with the help on stderr', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Usage: kms-conformance');
    expect(r.out).toBe('');
  });

  it('an unknown command exits 2 and names it', async () => {
    const r = await run(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown command 'frobnicate'");
  });

  it("every error line has one prefix, commander's included", async () => {
    for (const argv of [['frobnicate'], ['rules', '--nope'], ['generate', '--kind'], ['rules', '--topic', 'x']]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toMatch(/^kms-conformance: /);
      expect(r.err, argv.join(' ')).not.toMatch(/^error:/m);
      expect(r.err.match(/kms-conformance:/g), argv.join(' ')).toHaveLength(1);
    }
  });
});

describe('whole-number flags', () => {
  it('parse within the range and name the flag, the value and the range otherwise', () => {
    expect(parseWholeNumber('--port', ' 8080 ', 0, 65535)).toBe(8080);
    expect(parseWholeNumber('--port', '0', 0, 65535)).toBe(0);
    expect(() => parseWholeNumber('--port', '-1', 0, 65535)).toThrow(UsageError);
    expect(() => parseWholeNumber('--port', '1.5', 0, 65535)).toThrow("--port must be a whole number, got '1.5'. Example: --port 0");
    expect(() => parseWholeNumber('--port', '65536', 0, 65535)).toThrow('--port must be between 0 and 65535, got 65536.');
    expect(parsePositiveInt('--count', '3')).toBe(3);
    expect(() => parsePositiveInt('--count', '0', 10)).toThrow('--count must be between 1 and 10, got 0.');
    expect(() => parsePositiveInt('--count', 'x')).toThrow("Example: --count 100");
  });
});
