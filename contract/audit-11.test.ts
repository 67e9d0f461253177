/**
 * Issue 11, the contract part (decisions 0600–0608): verdicts the contract got wrong for a user,
 * each pinned by a test that failed before its fix. How the mock and the generators follow each
 * changed rule in every contract version is checked in `suites/audit-11.test.ts`; the recorded AWS
 * responses themselves in `mocks/recorded-aws.test.ts`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CALLER } from './identities.ts';
import { accepts, expected } from './oracle.ts';
import { EXAMPLE_KEY_ID, EXAMPLE_WORLD, examplePolicy, exampleStatement } from './rules/examples.ts';
import { RULES, outcomesFor, ruleById } from './rules/index.ts';
import { CONTRACT_VERSIONS } from './types.ts';
import { ContractVersionError, resolveContractVersion } from './versions.ts';
import type { ContractVersionId, Expectation, OracleRequest } from './types.ts';

const ROOT = 'arn:aws:iam::111122223333:root';
const put = (Policy: string, version: ContractVersionId): OracleRequest => ({
  operation: 'PutKeyPolicy',
  input: { KeyId: EXAMPLE_KEY_ID, Policy, ...(version === '2017-02-15' ? { PolicyName: 'default' } : {}) },
});
const codes = (e: Expectation): string[] => (e.kind === 'decided' ? e.outcomes.map((o) => (o.kind === 'success' ? 'success' : o.code)) : ['unspecified']);
const run = (r: OracleRequest, v: ContractVersionId): Expectation => expected(r, EXAMPLE_WORLD, DEFAULT_CALLER, v);

describe('1. NotPrincipal: Allow is a violation, Deny is open (decision 0600)', () => {
  const allow = examplePolicy([exampleStatement(), exampleStatement({ Sid: 'NP', Principal: undefined, NotPrincipal: { AWS: ROOT } })]);
  const deny = examplePolicy([exampleStatement(), exampleStatement({ Sid: 'NP', Effect: 'Deny', Principal: undefined, NotPrincipal: { AWS: ROOT }, Action: 'kms:ScheduleKeyDeletion' })]);

  it.each(CONTRACT_VERSIONS)('%s: NotPrincipal with Allow accepts only MalformedPolicyDocumentException, never success', (v) => {
    const e = run(put(allow, v), v);
    expect(e.kind).toBe('decided');
    expect(codes(e)).toEqual(['MalformedPolicyDocumentException']);
    expect(e.violations.map((x) => x.ruleId)).toEqual(['PutKeyPolicy.Policy.statement.notPrincipal']);
    expect(accepts(e, { kind: 'success', status: 200 })).toBe(false);
  });

  it.each(CONTRACT_VERSIONS)('%s: NotPrincipal with Deny stays open, under its own rule', (v) => {
    const e = run(put(deny, v), v);
    expect(e.kind).toBe('unspecified');
    expect(e.rules).toContain('PutKeyPolicy.Policy.statement.notPrincipal.deny');
    expect(e.rules).not.toContain('PutKeyPolicy.Policy.statement.notPrincipal');
  });

  it('gives each case its own outcomes in the catalogue', () => {
    expect(outcomesFor('PutKeyPolicy.Policy.statement.notPrincipal', '2025-06-05').map((o) => o.kind)).toEqual(['error']);
    expect(outcomesFor('PutKeyPolicy.Policy.statement.notPrincipal.deny', '2025-06-05').map((o) => (o.kind === 'success' ? 'success' : o.code))).toEqual([
      'MalformedPolicyDocumentException',
      'success',
    ]);
  });
});

describe('4. a malformed principal ARN: MalformedPolicyDocumentException or InvalidArnException (decision 0601)', () => {
  const withPrincipal = (aws: unknown): string => examplePolicy([exampleStatement(), exampleStatement({ Sid: 'Bad', Principal: { AWS: aws } })]);

  it.each(CONTRACT_VERSIONS)('%s: arn:aws:iam::12345:root accepts both codes, and not success', (v) => {
    const e = run(put(withPrincipal('arn:aws:iam::12345:root'), v), v);
    expect(codes(e)).toEqual(['MalformedPolicyDocumentException', 'InvalidArnException']);
    expect(e.violations.map((x) => x.ruleId)).toEqual(['PutKeyPolicy.Policy.statement.principal.arn']);
    expect(accepts(e, { kind: 'error', status: 400, code: 'InvalidArnException' })).toBe(true);
    expect(accepts(e, { kind: 'error', status: 400, code: 'MalformedPolicyDocumentException' })).toBe(true);
    expect(accepts(e, { kind: 'success', status: 200 })).toBe(false);
  });

  it.each([
    ['a wildcard inside the ARN', 'arn:aws:iam::111122223333:role/*'],
    ['an IAM group ARN', 'arn:aws:iam::111122223333:group/Admins'],
    ['a bad partition', 'arn:aw$:iam::111122223333:root'],
    ['too few ARN parts', 'arn:aws:iam::111122223333'],
  ])('%s is an ARN in a key policy that is not valid', (_label, value) => {
    const e = run(put(withPrincipal(value), '2025-06-05'), '2025-06-05');
    expect(e.violations.map((x) => x.ruleId)).toEqual(['PutKeyPolicy.Policy.statement.principal.arn']);
  });

  it('a principal that is not written as an ARN stays principal.valid (MalformedPolicyDocumentException only)', () => {
    for (const value of ['not-an-arn', 12, '']) {
      const e = run(put(withPrincipal(value), '2025-06-05'), '2025-06-05');
      expect(e.violations.map((x) => x.ruleId), JSON.stringify(value)).toEqual(['PutKeyPolicy.Policy.statement.principal.valid']);
      expect(codes(e)).toEqual(['MalformedPolicyDocumentException']);
    }
  });

  it('records the disagreement: the JS SDK seed and B1 name InvalidArnException for an ARN in a key policy', () => {
    const r = ruleById('PutKeyPolicy.Policy.statement.principal.arn');
    expect(r?.disagreement).toMatch(/InvalidArnException/);
    expect(r?.sources.map((s) => s.tag)).toEqual(expect.arrayContaining(['S-JS', 'B1']));
  });
});

describe('5. a Policy failing its pattern keeps its document error (§11.14, decision 0602)', () => {
  const raw = `${examplePolicy()}`.replace('{', '{\u0001');

  it.each(CONTRACT_VERSIONS)('%s: a raw U+0001 accepts ValidationException and MalformedPolicyDocumentException', (v) => {
    const e = run(put(raw, v), v);
    expect(e.kind).toBe('decided');
    expect(codes(e)).toEqual(['ValidationException', 'MalformedPolicyDocumentException']);
    expect(e.violations.map((x) => x.ruleId)).toEqual(['PutKeyPolicy.Policy.pattern', 'PutKeyPolicy.Policy.document.json']);
    // The mock still answers the first check: the ValidationException.
    expect(e.violations[0]!.respondWith).toEqual({ code: 'ValidationException', status: 400 });
  });

  it('an empty Policy (length and pattern) is not JSON either', () => {
    const e = run(put('', '2025-06-05'), '2025-06-05');
    expect(codes(e)).toEqual(['ValidationException', 'MalformedPolicyDocumentException']);
  });

  it('a pattern failure inside a string of a sound document adds no document error', () => {
    const e = run(put(examplePolicy([exampleStatement({ Sid: 'caf\u0100' })]), '2025-06-05'), '2025-06-05');
    expect(codes(e)).toEqual(['ValidationException']);
  });
});

describe('6. ThrottlingException is the throttling outcome at any rate (§9.8 hot key, decision 0603)', () => {
  const throttle = { kind: 'error' as const, status: 400, code: 'ThrottlingException' };

  it.each(CONTRACT_VERSIONS)('%s: a throttle below the quota (or with no rate known) is accepted, for a success case and for an error case', (v) => {
    const ok = run({ ...put(examplePolicy(), v), context: { requestsPerSecond: 1 } }, v);
    expect(codes(ok)).toEqual(['success']);
    expect(accepts(ok, throttle)).toBe(true);
    const notFound = run({ operation: 'DescribeKey', input: { KeyId: '99999999-9999-4999-8999-999999999999' } }, v);
    expect(accepts(notFound, throttle)).toBe(true);
    expect(accepts(notFound, { kind: 'error', status: 400, code: 'com.amazon.coral.availability#ThrottlingException' })).toBe(true);
  });

  it('never a pass for a wrong code: other codes, another status or a success stay wrong', () => {
    const notFound = run({ operation: 'DescribeKey', input: { KeyId: '99999999-9999-4999-8999-999999999999' } }, '2025-06-05');
    expect(accepts(notFound, { kind: 'error', status: 500, code: 'ThrottlingException' })).toBe(false);
    expect(accepts(notFound, { kind: 'error', status: 400, code: 'Throttling' })).toBe(false);
    expect(accepts(notFound, { kind: 'error', status: 400, code: 'LimitExceededException' })).toBe(false);
    expect(accepts(notFound, { kind: 'success', status: 200 })).toBe(false);
  });

  it('an open case stays open (neither pass nor fail) when throttled', () => {
    const open = run(put(examplePolicy([exampleStatement(), exampleStatement({ Sid: 'P', Principal: { AWS: 'arn:aws:iam::444455556666:root' } })]), '2025-06-05'), '2025-06-05');
    expect(open.kind).toBe('unspecified');
    expect(accepts(open, throttle)).toBeUndefined();
  });

  it('says so in the throttling rules', () => {
    for (const id of ['Throttling.PutKeyPolicy', 'Throttling.GetKeyPolicy']) {
      expect(ruleById(id)?.statement).toMatch(/at any rate/);
      expect(ruleById(id)?.sources.map((s) => s.quote).join(' ')).toMatch(/hot key/);
    }
  });
});

describe('7. each outcome basis says what was observed where (decision 0604)', () => {
  const recorded: ReadonlyMap<string, ReadonlySet<number>> = (() => {
    const file = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'contract', 'sources', 'localstack-test_kms.snapshot.json');
    const snapshot = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { 'recorded-content': Record<string, unknown> }>;
    const m = new Map<string, Set<number>>();
    for (const t of Object.values(snapshot)) {
      for (const r of Object.values(t['recorded-content'])) {
        const e = r as { Error?: { Code: string }; ResponseMetadata?: { HTTPStatusCode: number } };
        if (e?.Error && e.ResponseMetadata) m.set(e.Error.Code, (m.get(e.Error.Code) ?? new Set()).add(e.ResponseMetadata.HTTPStatusCode));
      }
    }
    return m;
  })();
  const allOutcomes = RULES.flatMap((r) => CONTRACT_VERSIONS.flatMap((v) => (r.versions.includes(v) ? outcomesFor(r.id, v) : []))).flatMap((o) => (o.kind === 'error' ? [o] : []));

  it('reads the recording (not vacuous)', () => {
    expect(recorded.get('NotFoundException')).toEqual(new Set([400]));
    expect(allOutcomes.length).toBeGreaterThan(100);
  });

  it('claims a LocalStack observation only for codes the LocalStack recording of real AWS holds, with that status', () => {
    const wrong = allOutcomes.filter((o) => /observed 400 \(LS/.test(o.basis ?? '') && !(recorded.get(o.code)?.has(400) ?? false)).map((o) => `${o.code}: ${o.basis}`);
    expect([...new Set(wrong)]).toEqual([]);
  });

  it('InvalidArnException: not observed for KMS (§4); MalformedPolicyDocumentException: seen only in issue logs (§4, §5)', () => {
    const basisOf = (code: string): string[] => [...new Set(allOutcomes.filter((o) => o.code === code).map((o) => o.basis ?? ''))];
    expect(basisOf('InvalidArnException')).toEqual(['not observed for KMS (§4); model httpError 400 (M1)']);
    const malformed = basisOf('MalformedPolicyDocumentException');
    expect(malformed).toHaveLength(1);
    expect(malformed[0]).toMatch(/^observed 400 in issue logs \(ISS/);
    expect(malformed[0]).toMatch(/LocalStack recorded no key-policy error/);
    expect(basisOf('NotFoundException')[0]).toMatch(/^observed 400 \(LS: DescribeKey/);
  });
});

describe('2. CreateKey tags: an aws: tag key and more than 50 tags fail with TagException (decision 0605)', () => {
  const create = (input: Record<string, unknown>, v: ContractVersionId = '2025-06-05'): Expectation => run({ operation: 'CreateKey', input: { Description: 'test key 123', KeyUsage: 'ENCRYPT_DECRYPT', ...input } }, v);
  const tags = (n: number): { TagKey: string; TagValue: string }[] => Array.from({ length: n }, (_, i) => ({ TagKey: `key${i}`, TagValue: `value${i}` }));

  it.each(CONTRACT_VERSIONS)('%s: aws: and AWS: tag keys → TagException "Tags beginning with aws: are reserved"', (v) => {
    for (const key of ['aws:key1', 'AWS:key1', 'Aws:team']) {
      const e = create({ Tags: [{ TagKey: key, TagValue: 'value1' }] }, v);
      expect(codes(e), key).toEqual(['TagException']);
      expect(e.violations.map((x) => x.ruleId)).toEqual(['CreateKey.Tags.reservedPrefix']);
      expect(e.violations[0]!.message).toBe('Tags beginning with aws: are reserved');
      expect(accepts(e, { kind: 'success', status: 200 })).toBe(false);
    }
  });

  it.each(CONTRACT_VERSIONS)('%s: 51 tags → TagException "Too many tags"; 50 tags succeed', (v) => {
    const e = create({ Tags: tags(51) }, v);
    expect(codes(e)).toEqual(['TagException']);
    expect(e.violations.map((x) => x.ruleId)).toEqual(['CreateKey.Tags.max']);
    expect(e.violations[0]!.message).toBe('Too many tags');
    expect(codes(create({ Tags: tags(50) }, v))).toEqual(['success']);
  });

  it('a tag key merely containing aws: elsewhere is fine; a too-long key is the member rule (ValidationException)', () => {
    expect(codes(create({ Tags: [{ TagKey: 'team:aws:x', TagValue: 'v' }] }))).toEqual(['success']);
    const long = create({ Tags: [{ TagKey: 'a'.repeat(129), TagValue: 'value1' }] });
    expect(codes(long)).toEqual(['ValidationException']);
  });
});

describe('3. CreateKey with a non-symmetric key spec and no KeyUsage: ValidationException (decision 0606)', () => {
  it.each(CONTRACT_VERSIONS)('%s: HMAC_256 without KeyUsage → the recorded message', (v) => {
    const e = run({ operation: 'CreateKey', input: { Description: 'test HMAC key without key usage', KeySpec: 'HMAC_256' } }, v);
    expect(e.kind).toBe('decided');
    expect(codes(e)).toEqual(['ValidationException']);
    expect(e.violations.map((x) => x.ruleId)).toEqual(['CreateKey.KeyUsage.required']);
    expect(e.violations[0]!.message).toBe('You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.');
  });

  it('the same for CustomerMasterKeySpec and every asymmetric spec; SYMMETRIC_DEFAULT needs none', () => {
    for (const input of [{ CustomerMasterKeySpec: 'RSA_2048' }, { KeySpec: 'ECC_NIST_P256' }, { KeySpec: 'SM2' }]) {
      expect(run({ operation: 'CreateKey', input }, '2025-06-05').violations.map((x) => x.ruleId), JSON.stringify(input)).toEqual(['CreateKey.KeyUsage.required']);
    }
    expect(codes(run({ operation: 'CreateKey', input: { KeySpec: 'SYMMETRIC_DEFAULT' } }, '2025-06-05'))).toEqual(['success']);
  });

  it('a KeyUsage the key spec does not support → "KeyUsage <usage> is not compatible with KeySpec <spec>"', () => {
    const e = run({ operation: 'CreateKey', input: { KeySpec: 'RSA_2048', KeyUsage: 'KEY_AGREEMENT' } }, '2025-06-05');
    expect(codes(e)).toEqual(['ValidationException']);
    expect(e.violations.map((x) => [x.ruleId, x.message])).toEqual([['CreateKey.KeyUsage.compatible', 'KeyUsage KEY_AGREEMENT is not compatible with KeySpec RSA_2048']]);
    expect(run({ operation: 'CreateKey', input: { KeyUsage: 'SIGN_VERIFY' } }, '2025-06-05').violations.map((x) => x.ruleId)).toEqual(['CreateKey.KeyUsage.compatible']);
    // A supported pair is still outside the notes' symmetric-key scope: open, as before.
    expect(run({ operation: 'CreateKey', input: { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' } }, '2025-06-05').kind).toBe('unspecified');
  });
});

describe('9. KeySpec and KeyUsage enum messages follow the recorded AWS messages (decision 0607)', () => {
  it('KeySpec HMAC_random lists the values in the recorded order, without values the recording lacks', () => {
    const e = run({ operation: 'CreateKey', input: { Description: 'test invalid HMAC spec', KeySpec: 'HMAC_random' } }, '2025-06-05');
    expect(e.violations[0]!.message).toBe(
      "1 validation error detected: Value 'HMAC_random' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [RSA_2048, ECC_NIST_P384, ECC_NIST_P256, ECC_NIST_P521, HMAC_384, RSA_3072, ECC_SECG_P256K1, RSA_4096, SYMMETRIC_DEFAULT, HMAC_256, HMAC_224, HMAC_512]",
    );
  });

  it('KeyUsage RANDOM lists [ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC]', () => {
    const e = run({ operation: 'CreateKey', input: { Description: 'test invalid HMAC spec', KeySpec: 'HMAC_256', KeyUsage: 'RANDOM' } }, '2025-06-05');
    expect(e.violations[0]!.message).toBe(
      "1 validation error detected: Value 'RANDOM' at 'keyUsage' failed to satisfy constraint: Member must satisfy enum value set: [ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC]",
    );
  });

  it('a key spec or usage outside its enum is only the enum failure, not also a key usage rule', () => {
    for (const input of [
      { KeySpec: 'HMAC_random', KeyUsage: 'GENERATE_VERIFY_MAC' },
      { KeySpec: 'HMAC_256', KeyUsage: 'RANDOM' },
      { CustomerMasterKeySpec: 'rsa_2048' },
    ]) {
      const e = run({ operation: 'CreateKey', input }, '2025-06-05');
      expect(e.violations.map((x) => x.ruleId), JSON.stringify(input)).toHaveLength(1);
      expect(e.rules.filter((r) => r === 'CreateKey.KeyUsage.required' || r === 'CreateKey.KeyUsage.compatible'), JSON.stringify(input)).toEqual([]);
    }
  });

  it('which values are valid still comes from the model (SM2 and KEY_AGREEMENT are accepted)', () => {
    expect(run({ operation: 'CreateKey', input: { KeySpec: 'SM2', KeyUsage: 'KEY_AGREEMENT' } }, '2025-06-05').violations).toEqual([]);
  });
});

describe('8. the 2015-04-27 period has no contract version, and a user asking for it is told why (decision 0608)', () => {
  it.each(['2015-04-27', '2015', '2016-12-22', '2017-01'])('%s names the oldest version and the decision', (input) => {
    expect(() => resolveContractVersion(input)).toThrow(ContractVersionError);
    expect(() => resolveContractVersion(input)).toThrow(/is before 2017-02-15, the oldest contract version/);
    expect(() => resolveContractVersion(input)).toThrow(/decisions\/0608-no-2015-contract-version\.md/);
  });

  it('a later unknown date gets no such note', () => {
    expect(() => resolveContractVersion('2026')).toThrow(ContractVersionError);
    expect(() => resolveContractVersion('2026')).not.toThrow(/oldest/);
  });

  it('the note exists and quotes the §2.3 row it is about', () => {
    const note = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'decisions', '0608-no-2015-contract-version.md'), 'utf8');
    expect(note).toContain('| 2015-04-27 … 2016-12-22 | KeyId, PolicyName, Policy | KeyId, PolicyName | **256** | 131072 |');
  });
});
