import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { replayCase } from '../../generators/replay.ts';
import { caseToJson } from '../../generators/kinds.ts';
import { main } from '../main.ts';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d: Buffer) => (o += d.toString('utf8')));
  err.on('data', (d: Buffer) => (e += d.toString('utf8')));
  const code = await main(argv, { out, err });
  return { code, out: o, err: e };
}

describe('kms-conformance generate', () => {
  it('prints --count JSON lines with kind, label, value, identity, contract and origin', async () => {
    const r = await run('generate', '--kind', 'invalid-policy', '--count', '5', '--seed', '42');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(5);
    lines.forEach((l, i) => {
      expect(l.kind).toBe('invalid-policy');
      expect(typeof l.policy).toBe('string');
      expect(['invalid', 'unspecified']).toContain((l.label as { kind: string }).kind);
      expect(l.identity).toMatchObject({ accountId: '111122223333', caller: { arn: 'arn:aws:iam::111122223333:role/Admin' } });
      expect(l.contract).toBe('2025-06-05');
      expect(l.origin).toEqual({ seed: 42, path: String(i) });
    });
  });

  it('each line replays from its {seed, path}', async () => {
    const r = await run('generate', '--kind', 'request', '--count', '6', '--seed', '-17');
    for (const line of r.out.trim().split('\n')) {
      const l = JSON.parse(line) as { origin: { seed: number; path: string }; label: unknown } & Record<string, unknown>;
      const c = replayCase('request', l.origin);
      expect(c.value.label).toEqual(l.label);
      expect(JSON.parse(JSON.stringify(caseToJson(c)))).toEqual({ operation: l.operation, input: l.input, setup: l.setup, features: l.features });
    }
  });

  it('the same seed prints the same bytes', async () => {
    const a = await run('generate', '--kind', 'wire', '--count', '20', '--seed', '5');
    const b = await run('generate', '--kind', 'wire', '--count', '20', '--seed', '5');
    expect(a.out).toBe(b.out);
    expect(a.out.length).toBeGreaterThan(0);
  });

  it('labels hold in the contract version asked for', async () => {
    const r = await run('generate', '--kind', 'valid-policy', '--count', '3', '--seed', '1', '--contract', '2024-03');
    for (const line of r.out.trim().split('\n')) expect(JSON.parse(line)).toMatchObject({ contract: '2024-03-18', label: { kind: 'valid' } });
  });

  it('--stats prints the coverage table and exits 0 when everything is reached', async () => {
    const r = await run('generate', '--kind', 'wire', '--stats', '--seed', '1');
    expect(r.code).toBe(0);
    expect(r.out).toContain('kind wire: 1000 cases, seed 1');
    expect(r.out).toMatch(/every declared feature reached \(\d+\)/);
  });

  it('--stats with a --count below the kind\'s default names what was not reached, readably, and exits 0', async () => {
    const r = await run('generate', '--kind', 'request', '--stats', '--count', '100', '--seed', '1');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(400);
    expect(r.out).toMatch(/MISSING \d+: \S+, \S+, \S+, \S+, \S+ and \d+ more \(each marked MISSING above\)/);
    expect(lines.at(-1)).toMatch(/^\d+ of \d+ declared features are not reached in 100 cases; every one is reached at 10000 \(the default --count with --stats\)\.$/);
  });

  it.each([
    [['generate', '--count', '3'], /--kind is required\. Valid kinds: valid-policy, invalid-policy, request, wire/],
    [['generate', '--kind', 'policy'], /unknown --kind 'policy'\. Valid kinds:/],
    [['generate', '--kind', 'wire', '--count', 'ten'], /--count must be a whole number, got 'ten'/],
    [['generate', '--kind', 'wire', '--count', '0'], /--count must be between 1 and 100000, got 0/],
    [['generate', '--kind', 'wire', '--seed', '1.5'], /--seed must be an integer, got '1\.5'/],
    [['generate', '--kind', 'wire', '--seed', '99999999999'], /--seed must fit in a 32-bit signed integer/],
    [['generate', '--kind', 'wire', '--contract', '2019'], /unknown contract version '2019'/],
  ])('bad arguments %j exit 2 with a clear message and print no case', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });
});
