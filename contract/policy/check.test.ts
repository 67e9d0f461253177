import { describe, expect, it } from 'vitest';
import { CONTRACT_VERSIONS, type ContractVersionId } from '../types.ts';
import { checkPolicy, inspectPolicy } from './check.ts';
import { createPrincipalDirectory } from './directory.ts';
import { FINDING_CODES } from './findings.ts';
import { parsePolicy } from './parse.ts';
import { SEED_POLICIES } from './seeds.ts';
import type { CheckOptions, PolicyFindingCode } from './types.ts';

const ACCT = '111122223333';
const directory = createPrincipalDirectory({
  accountId: ACCT,
  principals: SEED_POLICIES.flatMap((s) => s.principals),
});
const opts = (version: ContractVersionId = '2025-06-05'): CheckOptions => ({ version, accountId: ACCT, partition: 'aws', principals: directory });

const ROOT = `arn:aws:iam::${ACCT}:root`;
const stmt = (over: Record<string, unknown> = {}, drop: readonly string[] = []): Record<string, unknown> => {
  const s: Record<string, unknown> = { Sid: 's', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*', ...over };
  for (const d of drop) delete s[d];
  return s;
};
const doc = (statements: unknown = [stmt()], over: Record<string, unknown> = {}): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements, ...over });
const codes = (text: string, version?: ContractVersionId): PolicyFindingCode[] => checkPolicy(text, opts(version)).map((f) => f.code);

describe('checkPolicy on the seed policies', () => {
  for (const seed of SEED_POLICIES) {
    for (const version of CONTRACT_VERSIONS) {
      it(`${seed.name} is clean under ${version}`, () => {
        expect(checkPolicy(seed.text, opts(version))).toEqual([]);
      });
    }
  }
});

/** For every code: a policy that produces it, and a close policy that does not. */
const PAIRS: Record<PolicyFindingCode, { bad: string; good: string }> = {
  invalid_json: { bad: '{"Version":"2012-10-17","Statement":[', good: doc() },
  not_an_object: { bad: `[${doc()}]`, good: doc() },
  duplicate_key: {
    bad: '{"Version":"2012-10-17","Statement":[{"Sid":"a","Sid":"b","Effect":"Allow","Principal":{"AWS":"' + ROOT + '"},"Action":"kms:*","Resource":"*"}]}',
    good: '{"Version":"2012-10-17","Statement":[{"Sid":"b","Effect":"Allow","Principal":{"AWS":"' + ROOT + '"},"Action":"kms:*","Resource":"*"}]}',
  },
  unknown_top_level_element: { bad: doc(undefined, { Statements: [] }), good: doc(undefined, { Id: 'key-policy-1' }) },
  missing_version: { bad: JSON.stringify({ Statement: [stmt()] }), good: doc() },
  invalid_version: { bad: doc(undefined, { Version: '2012-10-18' }), good: doc(undefined, { Version: '2012-10-17' }) },
  invalid_id: { bad: doc(undefined, { Id: 5 }), good: doc(undefined, { Id: '5' }) },
  missing_statement: { bad: JSON.stringify({ Version: '2012-10-17' }), good: doc() },
  empty_statement: { bad: doc([]), good: doc([stmt()]) },
  invalid_statement: { bad: doc([stmt(), 'Allow everything']), good: doc([stmt(), stmt({ Sid: 't' })]) },
  unknown_statement_element: { bad: doc([stmt({ Comment: 'x' })]), good: doc([stmt({ Sid: 'x' })]) },
  invalid_sid: { bad: doc([stmt({ Sid: 1 })]), good: doc([stmt({ Sid: '1' })]) },
  missing_effect: { bad: doc([stmt({}, ['Effect'])]), good: doc([stmt({ Effect: 'Allow' })]) },
  invalid_effect: { bad: doc([stmt({ Effect: 'allow' })]), good: doc([stmt({ Effect: 'Allow' })]) },
  missing_principal: { bad: doc([stmt({ Principal: { AWS: [] } })]), good: doc([stmt({ Principal: { AWS: [ROOT] } })]) },
  principal_and_not_principal: {
    bad: doc([stmt(), stmt({ Sid: 'd', Effect: 'Deny', Action: 'kms:ScheduleKeyDeletion', NotPrincipal: { AWS: ROOT } })]),
    good: doc([stmt(), stmt({ Sid: 'd', Effect: 'Deny', Action: 'kms:ScheduleKeyDeletion' })]),
  },
  invalid_principal: {
    bad: doc([stmt({ Principal: { AWS: 'test-user' } })]),
    good: doc([stmt({ Principal: { AWS: `arn:aws:iam::${ACCT}:user/test-user` } })]),
  },
  invalid_principal_arn: {
    bad: doc([stmt({ Principal: { AWS: 'arn:aws:iam::12:user/test-user' } })]),
    good: doc([stmt({ Principal: { AWS: `arn:aws:iam::${ACCT}:user/test-user` } })]),
  },
  nonexistent_principal: {
    bad: doc([stmt({ Principal: { AWS: `arn:aws:iam::${ACCT}:user/ghost` } })]),
    good: doc([stmt({ Principal: { AWS: `arn:aws:iam::${ACCT}:user/test-user` } })]),
  },
  unverifiable_principal: {
    bad: doc([stmt({ Principal: { AWS: 'arn:aws:iam::444455556666:root' } })]),
    good: doc([stmt({ Principal: { AWS: ROOT } })]),
  },
  not_principal_with_allow: {
    bad: doc([stmt(), stmt({ Sid: 'n', NotPrincipal: { AWS: ROOT } }, ['Principal'])]),
    good: doc([stmt(), stmt({ Sid: 'n', Effect: 'Deny', NotPrincipal: { AWS: ROOT } }, ['Principal'])]),
  },
  not_principal: {
    bad: doc([stmt(), stmt({ Sid: 'n', Effect: 'Deny', NotPrincipal: { AWS: ROOT } }, ['Principal'])]),
    good: doc([stmt(), stmt({ Sid: 'n', Effect: 'Deny', Principal: { AWS: ROOT }, Action: 'kms:ScheduleKeyDeletion' })]),
  },
  missing_action: { bad: doc([stmt({}, ['Action'])]), good: doc([stmt({ Action: ['kms:*'] })]) },
  action_and_not_action: { bad: doc([stmt({ NotAction: 'kms:Decrypt' })]), good: doc([stmt({ Action: 'kms:*' })]) },
  invalid_action: { bad: doc([stmt({ Action: 'kms' })]), good: doc([stmt({ Action: 'kms:Get*' })]) },
  missing_resource: { bad: doc([stmt({}, ['Resource'])]), good: doc([stmt({ Resource: ['*'] })]) },
  resource_and_not_resource: { bad: doc([stmt({ NotResource: '*' })]), good: doc([stmt({ Resource: '*' })]) },
  invalid_resource: { bad: doc([stmt({ Resource: 'this key' })]), good: doc([stmt({ Resource: '*' })]) },
  invalid_condition: {
    bad: doc([stmt({ Condition: { StringEqualz: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } })]),
    good: doc([stmt({ Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } })]),
  },
};

describe('every finding code has a policy that produces it and a close one that does not', () => {
  it('covers every code', () => {
    expect(Object.keys(PAIRS).sort()).toEqual([...FINDING_CODES].sort());
  });
  for (const code of FINDING_CODES) {
    it(code, () => {
      const { bad, good } = PAIRS[code];
      expect(codes(bad)).toContain(code);
      expect(codes(good)).not.toContain(code);
    });
  }
});

describe('severity per contract version', () => {
  const severityOf = (text: string, code: PolicyFindingCode, version: ContractVersionId) =>
    checkPolicy(text, opts(version)).find((f) => f.code === code)?.severity;

  it('missing Action/Resource: accepted from 2025-06-05, violation before (decision 0102)', () => {
    for (const [code, el] of [
      ['missing_action', 'Action'],
      ['missing_resource', 'Resource'],
    ] as const) {
      const text = doc([stmt({}, [el])]);
      expect(severityOf(text, code, '2025-06-05')).toBe('accepted');
      expect(severityOf(text, code, '2024-03-18')).toBe('violation');
      expect(severityOf(text, code, '2017-02-15')).toBe('violation');
    }
  });

  it('open points of the contract are unspecified in every version (decision 0101)', () => {
    const cases: [string, PolicyFindingCode][] = [
      [JSON.stringify({ Statement: [stmt()] }), 'missing_version'],
      [doc(undefined, { Version: '2008-10-17' }), 'invalid_version'],
      [JSON.stringify({ Version: '2012-10-17', Statement: stmt() }), 'invalid_statement'],
      [doc([stmt({ NotAction: 'kms:Decrypt' }, ['Action'])]), 'invalid_action'],
      [doc([stmt({ NotResource: 'arn:aws:kms:*:*:key/other' }, ['Resource'])]), 'invalid_resource'],
      [doc([stmt({ Action: ['kms:*', 's3:GetObject'] })]), 'invalid_action'],
      [doc([stmt({ Resource: `arn:aws:kms:us-east-1:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` })]), 'invalid_resource'],
      [doc([stmt({ Condition: { StringEquals: { ViaService: 'x' } } })]), 'invalid_condition'],
      ['{"Version":"2012-10-17","Version":"2012-10-17","Statement":[' + JSON.stringify(stmt()) + ']}', 'duplicate_key'],
    ];
    for (const version of CONTRACT_VERSIONS) {
      for (const [text, code] of cases) {
        const found = checkPolicy(text, opts(version)).filter((f) => f.code === code);
        expect(found.length, `${code} in ${text}`).toBeGreaterThan(0);
        expect(
          found.map((f) => f.severity),
          `${code} in ${text}`,
        ).toEqual(found.map(() => 'unspecified'));
      }
    }
  });

  it('structural errors are violations in every version', () => {
    for (const version of CONTRACT_VERSIONS) {
      expect(checkPolicy('nope', opts(version))[0]?.severity).toBe('violation');
      expect(severityOf(doc([stmt({ Effect: 'Permit' })]), 'invalid_effect', version)).toBe('violation');
      expect(severityOf(doc(undefined, { Version: 'latest' }), 'invalid_version', version)).toBe('violation');
    }
  });
});

describe('principal forms', () => {
  const principalCodes = (principal: unknown) => codes(doc([stmt({ Principal: principal })]));

  it('accepts every documented form that exists in the directory', () => {
    for (const p of [
      '*',
      { AWS: '*' },
      { AWS: ROOT },
      { AWS: ACCT },
      { AWS: [ROOT, `arn:aws:iam::${ACCT}:user/test-user`, `arn:aws:iam::${ACCT}:role/Admin`] },
      { AWS: `arn:aws:sts::${ACCT}:assumed-role/Admin/session-1` },
      { Service: 'cloudtrail.amazonaws.com' },
      { Service: ['logs.us-east-1.amazonaws.com', 'delivery.logs.amazonaws.com'] },
      { AWS: ROOT, Service: 's3.amazonaws.com' },
    ]) {
      expect(principalCodes(p), JSON.stringify(p)).toEqual([]);
    }
  });

  it('reports malformed forms as invalid_principal, and those written as ARNs as invalid_principal_arn (decision 0601)', () => {
    for (const p of [{ AWS: `arn:aws:iam::${ACCT}:group/Admins` }, { AWS: 'arn:aws:s3:::bucket' }, { AWS: `arn:aws:iam::${ACCT}:user/*` }, { Federated: 'arn:aws:iam::1:saml-provider/x' }]) {
      expect(principalCodes(p), JSON.stringify(p)).toEqual(['invalid_principal_arn']);
    }
    for (const p of [
      ROOT, // bare string other than "*"
      { AWS: [ROOT, 5] },
      { Group: 'Admins' },
      { Service: 'cloudtrail' },
      { CanonicalUser: 'not-hex' },
      { Federated: 'example.com' },
      42,
    ]) {
      expect(principalCodes(p), JSON.stringify(p)).toContain('invalid_principal');
    }
  });

  it('federated and canonical-user principals are unverifiable unless the directory knows them', () => {
    const canonical = 'a'.repeat(64);
    expect(principalCodes({ CanonicalUser: canonical })).toEqual(['unverifiable_principal']);
    expect(principalCodes({ Federated: 'cognito-identity.amazonaws.com' })).toEqual(['unverifiable_principal']);
    const d = createPrincipalDirectory({ accountId: ACCT, principals: [{ kind: 'canonical-user', id: canonical }] });
    expect(checkPolicy(doc([stmt({ Principal: { CanonicalUser: canonical } })]), { ...opts(), principals: d })).toEqual([]);
  });

  it('an assumed-role session of a role that does not exist is nonexistent', () => {
    expect(principalCodes({ AWS: `arn:aws:sts::${ACCT}:assumed-role/Nobody/session-1` })).toEqual(['nonexistent_principal']);
  });

  it("otherAccounts: 'missing' turns another account's principals into nonexistent ones", () => {
    const strict = createPrincipalDirectory({ accountId: ACCT, otherAccounts: 'missing' });
    const text = doc([stmt(), stmt({ Sid: 'x', Principal: { AWS: 'arn:aws:iam::444455556666:role/R' } })]);
    expect(checkPolicy(text, { ...opts(), principals: strict }).map((f) => f.code)).toEqual(['nonexistent_principal']);
  });
});

describe('finding payloads (reviewable message changes)', () => {
  it('nonexistent principal', () => {
    const [f] = checkPolicy(doc([stmt({ Principal: { AWS: `arn:aws:iam::${ACCT}:user/ghost` } })]), opts());
    expect(f).toMatchInlineSnapshot(`
      {
        "code": "nonexistent_principal",
        "message": "Principal.AWS "arn:aws:iam::111122223333:user/ghost" in statement 0 does not exist or is not visible to KMS. Create the user first (new principals can take a moment to become visible), or fix the name.",
        "path": "/Statement/0/Principal/AWS",
        "position": {
          "column": 85,
          "line": 1,
          "offset": 84,
        },
        "ruleId": "PutKeyPolicy.Policy.statement.principal.exists",
        "severity": "violation",
        "value": "arn:aws:iam::111122223333:user/ghost",
      }
    `);
  });

  it('invalid JSON', () => {
    expect(checkPolicy('{\n  "Version": "2012-10-17",\n  "Statement": [ }\n', opts())).toMatchInlineSnapshot(`
      [
        {
          "code": "invalid_json",
          "message": "Policy is not valid JSON: unexpected '}', expected a JSON value at line 3, column 18. Send a JSON object such as {"Version":"2012-10-17","Statement":[…]}.",
          "path": "",
          "position": {
            "column": 18,
            "line": 3,
            "offset": 46,
          },
          "ruleId": "PutKeyPolicy.Policy.document.json",
          "severity": "violation",
          "value": "{
        "Version": "2012-10-17",
        "Statement": [ }
      ",
        },
      ]
    `);
  });

  it('invalid effect and missing action under 2024-03-18', () => {
    expect(checkPolicy(doc([stmt({ Effect: 'allow' }, ['Action'])]), opts('2024-03-18'))).toMatchInlineSnapshot(`
      [
        {
          "code": "missing_action",
          "message": "Statement 0 has no Action; the KMS Developer Guide lists Action as required, and since 2025-06 the API documents that such a statement is accepted but has no effect. Add "Action": [...].",
          "path": "/Statement/0/Action",
          "position": {
            "column": 38,
            "line": 1,
            "offset": 37,
          },
          "ruleId": "PutKeyPolicy.Policy.statement.action.missing",
          "severity": "violation",
        },
        {
          "code": "invalid_effect",
          "message": "Effect of statement 0 must be "Allow" or "Deny" (case-sensitive), got "allow".",
          "path": "/Statement/0/Effect",
          "position": {
            "column": 58,
            "line": 1,
            "offset": 57,
          },
          "ruleId": "PutKeyPolicy.Policy.statement.effect",
          "severity": "violation",
          "value": "allow",
        },
      ]
    `);
  });
});

describe('inspectPolicy', () => {
  it('answers the findings of checkPolicy and the document of parsePolicy from one parse', () => {
    const texts = [
      ...SEED_POLICIES.map((s) => s.text),
      ...Object.values(PAIRS).flatMap((p) => [p.bad, p.good]),
    ];
    for (const text of texts) {
      const parsed = parsePolicy(text, { version: '2025-06-05' });
      const inspection = inspectPolicy(text, opts());
      expect(inspection.findings, text).toEqual(checkPolicy(text, opts()));
      expect(inspection.document, text).toEqual(parsed.ok ? parsed.document : undefined);
    }
  });
});
