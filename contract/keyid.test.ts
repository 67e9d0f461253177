import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseKeyIdentifier, resolveKey } from './keyid.ts';
import {
  ABSENT_KEY_ID,
  EXAMPLE_ALIAS,
  EXAMPLE_FOREIGN_KEY_ID,
  EXAMPLE_KEY_ID,
  EXAMPLE_MRK_ID,
  EXAMPLE_WEST_KEY_ID,
  EXAMPLE_WORLD,
  OTHER_ACCOUNT,
} from './rules/examples.ts';

const ARN = (id: string, region = 'us-east-1', account = '111122223333', partition = 'aws'): string => `arn:${partition}:kms:${region}:${account}:key/${id}`;

describe('parseKeyIdentifier', () => {
  it.each([
    [EXAMPLE_KEY_ID, 'key-id'],
    [EXAMPLE_MRK_ID, 'mrk-id'],
    [ARN(EXAMPLE_KEY_ID), 'key-arn'],
    [ARN(EXAMPLE_MRK_ID, 'us-west-2'), 'key-arn'],
    ['alias/my-key', 'alias-name'],
    ['arn:aws:kms:us-east-1:111122223333:alias/my-key', 'alias-arn'],
    ['fake-key-id', 'malformed'],
    ['134f2428cec14b25a1ae9048164dba47', 'malformed'],
    ['mrk-fake-key-id', 'malformed'],
    ['', 'malformed'],
    ['arn:aws:s3:::bucket', 'malformed'],
    ['arn:aws:kms:us-east-1:1111:key/' + EXAMPLE_KEY_ID, 'malformed'],
    ['arn:aws:kms:us-east-1:111122223333:key/nope', 'malformed'],
  ])('%j is %s', (value, kind) => {
    expect(parseKeyIdentifier(value).kind).toBe(kind);
  });

  it('any lower-case UUID is a key id, and its ARN round-trips (property)', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.constantFrom('us-east-1', 'eu-west-2', 'ap-southeast-1'), fc.stringMatching(/^\d{12}$/), (id, region, account) => {
        expect(parseKeyIdentifier(id)).toEqual({ kind: 'key-id', keyId: id });
        const arn = ARN(id, region, account);
        expect(parseKeyIdentifier(arn)).toEqual({ kind: 'key-arn', keyId: id, partition: 'aws', region, accountId: account, arn });
      }),
    );
  });

  it('values that are no identifier are malformed, never thrown on (property)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const p = parseKeyIdentifier(s);
        expect(['key-id', 'mrk-id', 'key-arn', 'alias-name', 'alias-arn', 'malformed']).toContain(p.kind);
        if (!s.startsWith('arn:') && !s.startsWith('alias/') && !/^[0-9a-f-]+$/.test(s) && !s.startsWith('mrk-')) expect(p.kind).toBe('malformed');
      }),
    );
  });
});

describe('resolveKey reproduces the LS recordings (§5.1)', () => {
  const arn = (id: string): string => ARN(id);

  it('absent key id, key ARN and mrk id: "Key \'<full ARN>\' does not exist"', () => {
    for (const v of [ABSENT_KEY_ID, arn(ABSENT_KEY_ID)]) {
      expect(resolveKey(v, EXAMPLE_WORLD, 'DescribeKey')).toEqual({ kind: 'violation', ruleId: 'KeyId.notFound', message: `Key '${arn(ABSENT_KEY_ID)}' does not exist` });
    }
    const mrk = 'mrk-d3b95762d3b95762d3b95762d3b95762';
    expect(resolveKey(mrk, EXAMPLE_WORLD, 'DescribeKey')).toEqual({ kind: 'violation', ruleId: 'KeyId.notFound', message: `Key '${arn(mrk)}' does not exist` });
  });

  it.each(['fake-key-id', '134f2428cec14b25a1ae9048164dba47', 'mrk-fake-key-id'])('"Invalid keyId \'%s\'"', (v) => {
    expect(resolveKey(v, EXAMPLE_WORLD, 'DescribeKey')).toMatchObject({ kind: 'violation', ruleId: 'KeyId.malformed', message: `Invalid keyId '${v}'` });
  });

  it("another Region's key by key id names the ARN in the caller's Region; by ARN: 'Invalid arn <region>'", () => {
    expect(resolveKey(EXAMPLE_WEST_KEY_ID, EXAMPLE_WORLD, 'DescribeKey')).toEqual({
      kind: 'violation',
      ruleId: 'KeyId.otherRegionKeyId',
      message: `Key '${arn(EXAMPLE_WEST_KEY_ID)}' does not exist`,
    });
    expect(resolveKey(ARN(EXAMPLE_WEST_KEY_ID, 'us-west-2'), EXAMPLE_WORLD, 'DescribeKey')).toEqual({ kind: 'violation', ruleId: 'KeyId.otherRegionArn', message: 'Invalid arn us-west-2' });
  });
});

describe('resolveKey forms', () => {
  it('finds a key by id, mrk id and ARN', () => {
    expect(resolveKey(EXAMPLE_KEY_ID, EXAMPLE_WORLD, 'PutKeyPolicy')).toMatchObject({ kind: 'found', key: { keyId: EXAMPLE_KEY_ID }, ruleIds: ['KeyId.keyId'] });
    expect(resolveKey(EXAMPLE_MRK_ID, EXAMPLE_WORLD, 'PutKeyPolicy')).toMatchObject({ kind: 'found', ruleIds: ['KeyId.mrk'] });
    expect(resolveKey(ARN(EXAMPLE_MRK_ID), EXAMPLE_WORLD, 'PutKeyPolicy')).toMatchObject({ kind: 'found', ruleIds: ['KeyId.arn', 'KeyId.mrk'] });
  });

  it('aliases: DescribeKey resolves them, PutKeyPolicy rejects them ("Key Aliases are not supported")', () => {
    expect(resolveKey(EXAMPLE_ALIAS, EXAMPLE_WORLD, 'DescribeKey')).toMatchObject({ kind: 'found', key: { keyId: EXAMPLE_KEY_ID }, ruleIds: ['KeyId.alias'] });
    expect(resolveKey(EXAMPLE_ALIAS, EXAMPLE_WORLD, 'PutKeyPolicy')).toMatchObject({
      kind: 'violation',
      ruleId: 'KeyId.alias',
      message: 'Key Aliases are not supported for this operation.',
    });
    expect(resolveKey('alias/missing', EXAMPLE_WORLD, 'DescribeKey')).toEqual({
      kind: 'violation',
      ruleId: 'KeyId.aliasNotFound',
      message: 'Alias arn:aws:kms:us-east-1:111122223333:alias/missing is not found.',
    });
    expect(resolveKey('alias/aws/s3', EXAMPLE_WORLD, 'DescribeKey')).toMatchObject({ kind: 'unspecified', ruleId: 'KeyId.aliasNotFound' });
  });

  it('another account: a violation for PutKeyPolicy, unspecified for DescribeKey of an existing key', () => {
    const foreign = ARN(EXAMPLE_FOREIGN_KEY_ID, 'us-east-1', OTHER_ACCOUNT);
    expect(resolveKey(foreign, EXAMPLE_WORLD, 'PutKeyPolicy')).toMatchObject({ kind: 'violation', ruleId: 'KeyId.otherAccount' });
    expect(resolveKey(foreign, EXAMPLE_WORLD, 'DescribeKey')).toMatchObject({ kind: 'unspecified', ruleId: 'KeyId.otherAccount' });
    expect(resolveKey(ARN(ABSENT_KEY_ID, 'us-east-1', OTHER_ACCOUNT), EXAMPLE_WORLD, 'DescribeKey')).toMatchObject({ kind: 'violation', ruleId: 'KeyId.notFound' });
  });

  it('another partition and malformed ARNs', () => {
    expect(resolveKey(ARN(EXAMPLE_KEY_ID, 'us-east-1', '111122223333', 'aws-cn'), EXAMPLE_WORLD, 'PutKeyPolicy')).toMatchObject({ kind: 'violation', ruleId: 'KeyId.otherPartition' });
    expect(resolveKey('arn:aws:kms:us-east-1:111122223333:key/nope', EXAMPLE_WORLD, 'PutKeyPolicy')).toMatchObject({ kind: 'violation', ruleId: 'KeyId.malformedArn' });
  });
});
