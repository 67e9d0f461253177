import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseArb, caseToJson, GENERATE_KINDS } from './kinds.ts';
import { generateCases, replayCase, ReplayError } from './replay.ts';
import { requestArb } from './request.ts';
import { validPolicyArb } from './valid-policy.ts';

const bytesOf = (kind: (typeof GENERATE_KINDS)[number], seed: number, n: number): string =>
  generateCases(kind, n, seed)
    .map(({ value }) => JSON.stringify({ label: value.value.label, ...caseToJson(value) }))
    .join('\n');
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('determinism', () => {
  it.each(GENERATE_KINDS.map((k) => [k]))('%s: the same seed gives the same bytes; another seed gives others', (kind) => {
    const first = sha(bytesOf(kind, 20261124, 40));
    expect(sha(bytesOf(kind, 20261124, 40))).toBe(first);
    expect(sha(bytesOf(kind, 20261125, 40))).not.toBe(first);
  });

  it.each(GENERATE_KINDS.map((k) => [k]))('%s: replayCase({seed, path: "i"}) gives the i-th generated case', (kind) => {
    const cases = generateCases(kind, 25, 77);
    for (const i of [0, 7, 24]) {
      const replayed = replayCase(kind, { seed: 77, path: String(i) });
      expect(JSON.stringify(caseToJson(replayed))).toBe(JSON.stringify(caseToJson(cases[i]!.value)));
      expect(replayed.value.label).toEqual(cases[i]!.value.value.label);
    }
  });

  it('replays a shrunk counterexample from the path fast-check reports', () => {
    const result = fc.check(
      fc.property(caseArb('invalid-policy'), (c) => c.kind === 'invalid-policy' && c.value.policy.length < 60),
      { seed: 31, numRuns: 50 },
    );
    expect(result.failed).toBe(true);
    expect(result.counterexamplePath).toMatch(/^\d+(:\d+)+$/);
    const replayed = replayCase('invalid-policy', { seed: 31, path: result.counterexamplePath! });
    expect(replayed).toEqual(result.counterexample?.[0]);
  });

  it('a generate line replays with the public arbitrary too: fc.assert(prop, {seed, path})', () => {
    const line = replayCase('valid-policy', { seed: 123, path: '3' });
    let seen: unknown;
    fc.assert(
      fc.property(validPolicyArb(), (c) => {
        seen ??= c; // the first run under {seed, path} is the case of that path
      }),
      { seed: 123, path: '3', numRuns: 1 },
    );
    expect(seen).toEqual(line.value);
    const [request] = fc.sample(requestArb(), { seed: 123, path: '3', numRuns: 1 });
    expect(request).toEqual(replayCase('request', { seed: 123, path: '3' }).value);
  });

  it('pins the first wire case of seed 1', () => {
    const [first] = generateCases('wire', 1, 1);
    expect({ label: first!.value.value.label, ...caseToJson(first!.value) }).toMatchInlineSnapshot(`
      {
        "features": [
          "wire:body.duplicateKey",
        ],
        "http": {
          "bodyBase64": "eyJLZXlJZCI6IjEyMzRhYmNkLTEyYWItMzRjZC01NmVmLTAwMDAwMDAwMDAwMCIsIktleUlkIjoiN2JmZjMzNjQtZmZlYi00ZmZmLTgwMDAtMDAwZGRiYzkwMjg1In0=",
          "headers": {
            "content-type": "application/x-amz-json-1.1",
            "x-amz-target": "TrentService.DescribeKey",
          },
          "method": "POST",
          "path": "/",
        },
        "label": {
          "kind": "invalid",
          "mutation": "body.duplicateKey",
          "ruleId": "Wire.body.duplicateKey",
        },
        "operation": "DescribeKey",
        "setup": {
          "aliases": [],
          "keys": [
            {
              "keyId": "7bff3364-ffeb-4fff-8000-000ddbc90285",
              "multiRegion": false,
              "state": "Enabled",
            },
          ],
        },
      }
    `);
  });

  it('rejects seeds and paths fast-check cannot replay, saying what to use', () => {
    expect(() => replayCase('wire', { seed: 2 ** 40, path: '0' })).toThrow(ReplayError);
    expect(() => replayCase('wire', { seed: 1, path: 'seven' })).toThrow(/path must look like "7" or "7:2:0", got "seven"/);
  });
});
