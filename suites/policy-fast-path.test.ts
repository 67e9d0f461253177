/**
 * The policy checker's fast path (`contract/policy/quick.ts`: JSON.parse, a key count, the grammar
 * over the plain value) must never change an answer: whenever it answers, the full checker gives
 * the same findings and document, byte for byte; otherwise it leaves the policy to the full
 * checker. Held here over the valid and invalid policy generators, with a directory that knows the
 * generated principals and one that knows none, and on the cases a key count or an object's key
 * order could get wrong.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPrincipalDirectory, inspectPolicy } from '../contract/policy/index.ts';
import { inspectFully } from '../contract/policy/check.ts';
import { inspectQuickly } from '../contract/policy/quick.ts';
import type { CheckOptions } from '../contract/policy/index.ts';
import { DEFAULT_GENERATOR_CONTEXT } from '../generators/context.ts';
import { invalidPolicyArb } from '../generators/invalid-policy.ts';
import { validPolicyArb } from '../generators/valid-policy.ts';

const ACCOUNT = DEFAULT_GENERATOR_CONTEXT.accountId;
const KNOWING: CheckOptions = { version: '2025-06-05', accountId: ACCOUNT, partition: 'aws', principals: createPrincipalDirectory({ accountId: ACCOUNT, principals: DEFAULT_GENERATOR_CONTEXT.principals }) };
const IGNORANT: CheckOptions = { ...KNOWING, principals: createPrincipalDirectory({ accountId: ACCOUNT, otherAccounts: 'missing' }) };
const OLD_VERSION: CheckOptions = { ...KNOWING, version: '2017-02-15' };

/** Checks one text under one set of options; says whether the fast path answered. */
function agree(text: string, options: CheckOptions): boolean {
  const quick = inspectQuickly(text, options);
  const full = inspectFully(text, options);
  expect(inspectPolicy(text, options)).toEqual(full);
  if (quick === undefined) return false;
  expect(full.document).toBeDefined();
  expect(JSON.stringify(quick)).toBe(JSON.stringify(full));
  expect(quick).toEqual(full);
  return true;
}

describe('the policy checker fast path answers as the full checker', () => {
  it('on generated valid policies, and it takes most of them', () => {
    let quick = 0;
    let total = 0;
    fc.assert(
      fc.property(validPolicyArb(), fc.constantFrom(KNOWING, IGNORANT), (c, o) => {
        total++;
        if (agree(c.policy, o) && o === KNOWING) quick++;
      }),
      { numRuns: 600, seed: 42 },
    );
    // Without this the test could pass with a fast path that never answers.
    expect(quick).toBeGreaterThan(total / 4);
  });

  it('on generated invalid policies (it must leave every one with a finding to the full checker)', () => {
    fc.assert(
      fc.property(invalidPolicyArb(), fc.constantFrom(KNOWING, IGNORANT), (c, o) => {
        agree(c.policy, o);
      }),
      { numRuns: 1500 },
    );
  });

  const statement = { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' };
  const good = { Version: '2012-10-17', Statement: [statement] };

  it('leaves a repeated key to the full checker, wherever it is', () => {
    const texts = [
      `{"Version":"2012-10-17","Version":"2012-10-17","Statement":${JSON.stringify([statement])}}`,
      `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::${ACCOUNT}:root"},"Action":"kms:*","Resource":"*"}]}`,
      `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::${ACCOUNT}:root","AWS":"arn:aws:iam::${ACCOUNT}:root"},"Action":"kms:*","Resource":"*"}]}`,
      `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true","aws:SecureTransport":"true"}}}]}`,
    ];
    for (const t of texts) {
      expect(inspectQuickly(t, KNOWING)).toBeUndefined();
      expect(inspectFully(t, KNOWING).findings.map((f) => f.code)).toContain('duplicate_key');
      agree(t, KNOWING);
    }
  });

  it('counts keys past escaped quotes, colons and backslashes in strings', () => {
    const tricky = { ...good, Id: 'a\\"b":"c\\\\', Statement: [{ ...statement, Sid: '"Sid": "x"' }] };
    expect(agree(JSON.stringify(tricky), KNOWING)).toBe(true);
    expect(agree(JSON.stringify(tricky, null, 2), KNOWING)).toBe(true);
  });

  it('reports a missing Action or Resource as the full checker does, under every contract version', () => {
    const t = JSON.stringify({ ...good, Statement: [statement, { ...statement, Action: undefined }, { ...statement, Resource: undefined, Action: undefined }] }, null, 2);
    for (const o of [KNOWING, OLD_VERSION]) {
      expect(agree(t, o)).toBe(true);
      expect(inspectQuickly(t, o)?.findings.map((f) => `${f.code} ${f.severity} ${f.position?.line}:${f.position?.column}`)).toEqual(
        o === KNOWING
          ? ['missing_action accepted 12:5', 'missing_action accepted 19:5', 'missing_resource accepted 19:5']
          : ['missing_action violation 12:5', 'missing_action violation 19:5', 'missing_resource violation 19:5'],
      );
    }
  });

  it('places a missing Action past braces in strings and an escaped Statement key', () => {
    const body = JSON.stringify([{ ...statement, Sid: '{[' }, { ...statement, Sid: '"Statement":[{', Action: undefined }]);
    for (const t of [`{"Id":"Statement","Version":"2012-10-17","Statem\\u0065nt":${body}}`, `{"Version":"2012-10-17","Id":"x","Statement":${body}}`]) {
      expect(agree(t, KNOWING)).toBe(true);
      expect(inspectQuickly(t, KNOWING)?.findings).toHaveLength(1);
    }
  });

  it('keeps the key order of the full checker, integer-like and __proto__ condition keys included', () => {
    const t = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"StringEquals":{"kms:b":"1","kms:2":"x","__proto__":"p","kms:1":["y",2,true]},"Bool":{"aws:SecureTransport":false}}}]}`;
    // "__proto__" has no service prefix: the full checker reports it, so the fast path steps aside.
    expect(agree(t, KNOWING)).toBe(false);
    const u = t.replace('"__proto__"', '"kms:__proto__"');
    expect(agree(u, KNOWING)).toBe(true);
  });

  it('steps aside for documented-but-reported forms and for principals the directory does not know', () => {
    const forms = [
      { ...good, Version: '2008-10-17' },
      { ...good, Statement: statement },
      { ...good, Statement: [{ ...statement, NotAction: 'kms:Decrypt' }] },
      { ...good, Statement: [{ ...statement, Resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/k` }] },
      { ...good, Statement: [{ ...statement, Principal: { AWS: [] } }] },
      { ...good, Statement: [{ ...statement, Principal: { AWS: 'arn:aws:iam::444455556666:role/Other' } }] },
      { ...good, Statement: [{ ...statement, Effect: 'allow' }] },
      { ...good, Statement: [{ ...statement, Effect: undefined }] },
      { ...good, Statement: [{ ...statement, Sid: 5 }] },
      { ...good, Id: 3 },
    ];
    for (const f of forms) {
      const t = JSON.stringify(f);
      expect(inspectQuickly(t, KNOWING)).toBeUndefined();
      expect(inspectFully(t, KNOWING).findings.length).toBeGreaterThan(0);
      agree(t, OLD_VERSION);
    }
    expect(agree(JSON.stringify(good), KNOWING)).toBe(true);
  });
});
