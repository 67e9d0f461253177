import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_KEY_POLICY } from './default-policy.ts';
import { isConditionOperator, parsePolicy } from './parse.ts';
import type { PolicyDocument } from './types.ts';

const ROOT = 'arn:aws:iam::111122223333:root';

function parsed(text: string): PolicyDocument {
  const r = parsePolicy(text);
  if (!r.ok) throw new Error(`expected a document, got ${JSON.stringify(r.findings)}`);
  return r.document;
}

describe('parsePolicy normalisation', () => {
  it('Statement as an object or an array', () => {
    const s = { Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' };
    const asObject = parsed(JSON.stringify({ Version: '2012-10-17', Statement: s }));
    const asArray = parsed(JSON.stringify({ Version: '2012-10-17', Statement: [s] }));
    expect(asObject.statementForm).toBe('object');
    expect(asArray.statementForm).toBe('array');
    expect(asObject.Statement).toEqual(asArray.Statement);
  });

  it('principal forms normalise to lists', () => {
    const d = parsed(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' },
          { Effect: 'Allow', Principal: { AWS: ROOT, Service: ['s3.amazonaws.com', 'sns.amazonaws.com'] }, Action: ['kms:Get*'], Resource: '*' },
        ],
      }),
    );
    expect(d.Statement[0]?.Principal).toEqual({ wildcard: true, AWS: [], Service: [], Federated: [], CanonicalUser: [] });
    expect(d.Statement[1]?.Principal).toEqual({ wildcard: false, AWS: [ROOT], Service: ['s3.amazonaws.com', 'sns.amazonaws.com'], Federated: [], CanonicalUser: [] });
    expect(d.Statement[1]?.Action).toEqual(['kms:Get*']);
    expect(d.Statement[0]?.Action).toEqual(['kms:*']);
  });

  it('keeps condition values as written (string, boolean, number; scalar or list)', () => {
    const d = parsed(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 'kms:*',
            Resource: '*',
            Condition: { Bool: { 'kms:GrantIsForAWSResource': true, 'aws:SecureTransport': 'true' }, NumericLessThan: { 'kms:x': [1, 2.5] } },
          },
        ],
      }),
    );
    expect(d.Statement[0]?.Condition).toEqual({
      Bool: { 'kms:GrantIsForAWSResource': [true], 'aws:SecureTransport': ['true'] },
      NumericLessThan: { 'kms:x': [1, 2.5] },
    });
  });

  it('duplicate keys: the last one wins (like JSON.parse) and a finding names the key and its position', () => {
    const r = parsePolicy('{"Version":"2012-10-17",\n"Statement":[{"Effect":"Deny","Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}]}');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.document.Statement[0]?.Effect).toBe('Allow');
    expect(r.findings.map((f) => [f.code, f.path, f.position?.line, f.position?.column])).toEqual([['duplicate_key', '/Statement/0/Effect', 2, 31]]);
  });

  it('duplicate keys: nested and top-level paths escape ~ and / (RFC 6901), each duplicate reported once', () => {
    const text =
      '{"Id":"x","Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*",' +
      '"Condition":{"StringLike":{"a/b~c:x":"1","a/b~c:x":"2","a/b~c:x":"3"}}}],"Id":"y"}';
    const dups = parsePolicy(text).findings.filter((f) => f.code === 'duplicate_key');
    expect(dups.map((f) => f.path)).toEqual(['/Statement/0/Condition/StringLike/a~1b~0c:x', '/Statement/0/Condition/StringLike/a~1b~0c:x', '/Id']);
    expect(dups[0]?.message).toContain('in the object at /Statement/0/Condition/StringLike (again at');
    expect(dups[2]?.message).toContain('in the object at the top level');
  });

  it('a __proto__ key is data, not a prototype', () => {
    const r = parsePolicy('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"StringEquals":{"__proto__":"x"}}}]}');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const cond = r.document.Statement[0]?.Condition?.['StringEquals'];
    expect(cond === undefined ? [] : Object.keys(cond)).toEqual(['__proto__']);
    expect(r.findings.map((f) => f.variant)).toEqual(['condition-key']);
  });

  it('ok:false only for non-JSON and non-objects', () => {
    for (const t of ['', ' ', 'not a real policy statement', '{"a":1,}', '[1]', '"text"', '42', 'null']) {
      const r = parsePolicy(t);
      expect(r.ok, t).toBe(false);
      expect(r.findings.map((f) => f.code), t).toEqual([t.trim().startsWith('[') || /^("|\d|null)/.test(t) ? 'not_an_object' : 'invalid_json']);
    }
    expect(parsePolicy('{}').ok).toBe(true);
  });

  it('reads deeply nested input without overflowing the stack', () => {
    const deep = `{"Version":"2012-10-17","Statement":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}`;
    const r = parsePolicy(deep);
    expect(r.ok).toBe(true);
    expect(r.findings.map((f) => f.code)).toEqual(['invalid_statement']);
  });

  it('findings come in document order with line and column', () => {
    const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Permit", "Principal": "*", "Action": "kms:*", "Resource": "*", "Extra": 1 }\n  ]\n}';
    const r = parsePolicy(text);
    expect(r.findings.map((f) => [f.code, f.position?.line, f.position?.column])).toEqual([
      ['invalid_effect', 4, 17],
      ['unknown_statement_element', 4, 81],
    ]);
  });

  it('the default key policy parses to one account-principal statement', () => {
    const d = parsed(DEFAULT_KEY_POLICY('111122223333'));
    expect(d).toEqual({
      Version: '2012-10-17',
      Id: 'key-default-1',
      statementForm: 'array',
      Statement: [
        {
          index: 0,
          Sid: 'Enable IAM User Permissions',
          Effect: 'Allow',
          Principal: { wildcard: false, AWS: [ROOT], Service: [], Federated: [], CanonicalUser: [] },
          Action: ['kms:*'],
          Resource: ['*'],
        },
      ],
    });
  });
});

describe('condition operators', () => {
  it('knows IAM operators with IfExists and set prefixes', () => {
    for (const op of ['StringEquals', 'ArnLike', 'Bool', 'Null', 'StringLikeIfExists', 'ForAnyValue:StringEquals', 'ForAllValues:StringLikeIfExists']) {
      expect(isConditionOperator(op), op).toBe(true);
    }
    for (const op of ['stringequals', 'StringEqualz', 'NullIfExists', 'ForSomeValues:StringEquals', '']) expect(isConditionOperator(op), op).toBe(false);
  });
});

describe('DEFAULT_KEY_POLICY', () => {
  it('is exactly the M1 GetKeyPolicy example for account 111122223333 (contract notes §8.7)', () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const m1 = JSON.parse(readFileSync(resolve(here, '../../../shared/contract/sources/kms-2014-11-01.smithy.api-models-aws.json'), 'utf8')) as {
      shapes: Record<string, { traits?: Record<string, unknown> }>;
    };
    const examples = m1.shapes['com.amazonaws.kms#GetKeyPolicy']?.traits?.['smithy.api#examples'] as { output?: { Policy?: string } }[];
    const policies = examples.map((e) => e.output?.Policy).filter((p) => p !== undefined);
    expect(policies).toContain(DEFAULT_KEY_POLICY('111122223333'));
  });

  it('uses the partition and account given, with no trailing newline', () => {
    const text = DEFAULT_KEY_POLICY('444455556666', 'aws-cn');
    expect(text).toContain('"AWS" : "arn:aws-cn:iam::444455556666:root"');
    expect(text.endsWith('}')).toBe(true);
    expect(text.split('\n')[3]).toBe('  "Statement" : [ {');
  });
});

describe('parsePolicy properties', () => {
  it('never throws, on any string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v) ?? '')), (text) => {
        const r = parsePolicy(text);
        expect(Array.isArray(r.findings)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  const arbPrincipal = fc.oneof(
    fc.constant('*' as unknown),
    fc.record({ AWS: fc.oneof(fc.constantFrom(ROOT, '111122223333'), fc.array(fc.constantFrom(ROOT, 'arn:aws:iam::111122223333:role/R'), { minLength: 1 })) }),
    fc.record({ Service: fc.constantFrom('cloudtrail.amazonaws.com', 'logs.us-east-1.amazonaws.com') }),
  );
  const arbStrings = (values: string[]) => fc.oneof(fc.constantFrom(...values), fc.array(fc.constantFrom(...values), { minLength: 1, maxLength: 4 }));
  const arbStatement = fc.record(
    {
      Sid: fc.string({ maxLength: 20 }),
      Effect: fc.constantFrom('Allow', 'Deny'),
      Principal: arbPrincipal,
      Action: arbStrings(['kms:*', 'kms:Get*', 'kms:PutKeyPolicy', 'kms:Describe?ey', '*']),
      Resource: arbStrings(['*']),
      Condition: fc.record({ StringEquals: fc.dictionary(fc.constantFrom('aws:SourceVpc', 'kms:ViaService', 'kms:CallerAccount'), fc.oneof(fc.string(), fc.boolean(), fc.integer())) }),
    },
    { requiredKeys: ['Effect', 'Principal', 'Action', 'Resource'] },
  );

  it('stringify → parse keeps every statement and its elements', () => {
    fc.assert(
      fc.property(fc.array(arbStatement, { minLength: 1, maxLength: 8 }), fc.boolean(), fc.option(fc.string(), { nil: undefined }), (statements, asObject, id) => {
        const input = { Version: '2012-10-17', ...(id !== undefined ? { Id: id } : {}), Statement: asObject ? statements[0] : statements };
        const r = parsePolicy(JSON.stringify(input, null, asObject ? 2 : 0));
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.document.Statement).toHaveLength(asObject ? 1 : statements.length);
        expect(r.document.Id).toBe(id);
        r.document.Statement.forEach((s, i) => {
          const src = statements[i] as (typeof statements)[number];
          expect(s.Effect).toBe(src.Effect);
          expect(s.Action).toEqual(typeof src.Action === 'string' ? [src.Action] : src.Action);
        });
        expect(r.findings.filter((f) => f.severity === 'violation')).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('duplicate keys in objects of every size', () => {
  it('property: one duplicate_key finding per repeated key, at the repetition, below and above the pairwise-comparison size', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', '__proto__'), { maxLength: 40 }), (keys) => {
        const text = `{"Version":"2012-10-17","Statement":[],"Id":{${keys.map((k, i) => `"${k}":${i}`).join(',')}}}`;
        const found = parsePolicy(text).findings.filter((f) => f.code === 'duplicate_key').map((f) => f.path);
        const expected: string[] = [];
        const seen = new Set<string>();
        for (const k of keys) {
          if (seen.has(k)) expected.push(`/Id/${k}`);
          seen.add(k);
        }
        expect(found).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
