/**
 * The mock against real AWS: every response LocalStack recorded from real AWS KMS
 * (`shared/contract/sources/localstack-test_kms.snapshot.json`, LS) is read here and accounted for.
 * A response of one of the nine operations is replayed: its recorded request (from the LS test that
 * recorded it, `tests/aws/services/kms/test_kms.py`) is sent to the in-process model, and the answer
 * must carry the recorded status, `__type` and message (placeholders such as `<key-arn>` filled
 * with the values of this run), or for a success the recorded KeyMetadata values. A response the
 * mock cannot reproduce for a reason outside the contract is listed with that reason, and the
 * reason is asserted: the operation it needs is not one the mock has. Every other response belongs
 * to an operation outside the nine, and that is asserted too. A recording nobody accounted for
 * fails the test.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OPERATIONS, type OperationName } from '../contract/types.ts';
import { KmsModel, type ModelAnswer } from './model/kms-model.ts';

const SNAPSHOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'contract', 'sources', 'localstack-test_kms.snapshot.json');

/** The account LS's transformers leave in the recording, and the Regions it replaces with placeholders. */
const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const SECONDARY_REGION = 'us-west-2';

interface Recorded {
  /** Test name as LS writes it after `::`, e.g. `TestKMS::test_get_key_invalid_uuid`. */
  readonly test: string;
  readonly key: string;
  readonly content: unknown;
}

const RECORDED: readonly Recorded[] = (() => {
  const snapshot = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as Record<string, { 'recorded-content': Record<string, unknown> }>;
  return Object.entries(snapshot).flatMap(([id, t]) => {
    const test = id.split('::').slice(1).join('::');
    return Object.entries(t['recorded-content']).map(([key, content]) => ({ test, key, content }));
  });
})();

// ---------------------------------------------------------------------------------------------
// Replaying a recorded request
// ---------------------------------------------------------------------------------------------

type Values = Record<string, string>;

interface Replay {
  readonly kind: 'replay';
  readonly operation: OperationName;
  /** Runs the requests the recorded one followed (CreateKey, in their Regions) and returns the placeholder values. */
  readonly arrange?: (m: KmsModel) => Values;
  /** The recorded request and the Region of the client that sent it. */
  readonly request: (v: Values) => { readonly input: Record<string, unknown>; readonly region?: string };
  /** What the replay leaves out of the recorded sequence, and why that cannot change the answer. */
  readonly note?: string;
}
interface Unreproducible {
  readonly kind: 'unreproducible';
  readonly operation: OperationName;
  /** The operation outside the nine that the recorded state comes from. */
  readonly needs: string;
  readonly reason: string;
}
interface Other {
  readonly kind: 'other';
  /** The operation outside the nine that answered. */
  readonly operation: string;
}
type Plan = Replay | Unreproducible | Other;

function created(a: ModelAnswer): Record<string, unknown> {
  if (a.kind !== 'success') throw new Error(`[recorded-aws] setting up failed: ${a.code} ${a.message}`);
  return (a.output as { KeyMetadata: Record<string, unknown> }).KeyMetadata;
}

/** CreateKey through the model, as LS's `kms_create_key` fixture does (with its default Description). */
function createKey(m: KmsModel, input: Record<string, unknown>, region = REGION): Values {
  const md = created(m.handle('CreateKey', { Description: 'test description', ...input }, m.defaultCaller(), { region }));
  return { '<key-id:1>': String(md.KeyId), '<key-arn>': String(md.Arn) };
}

const replay = (operation: OperationName, request: Replay['request'], arrange?: Replay['arrange'], note?: string): Replay => ({
  kind: 'replay',
  operation,
  request,
  ...(arrange ? { arrange } : {}),
  ...(note ? { note } : {}),
});
/** CreateKey with `input`, answered directly (the fixture returns KeyMetadata). */
const createOnly = (input: Record<string, unknown>): Replay => replay('CreateKey', () => ({ input: { Description: 'test description', ...input } }));
/** CreateKey with `input`, then DescribeKey of the new key. */
const describeAfterCreate = (input: Record<string, unknown>, note?: string): Replay =>
  replay('DescribeKey', (v) => ({ input: { KeyId: v['<key-id:1>'] } }), (m) => createKey(m, input), note);
const needs = (operation: OperationName, needed: string, reason: string): Unreproducible => ({ kind: 'unreproducible', operation, needs: needed, reason });
const other = (operation: string): Other => ({ kind: 'other', operation });

const FAKE_KEY_ID = '134f2428-cec1-4b25-a1ae-9048164dba47';
const FAKE_MRK_ID = 'mrk-d3b95762d3b95762d3b95762d3b95762';
const arnIn = (keyId: string, region = REGION): string => `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId}`;
const tags = (entries: Readonly<Record<string, string>>): { TagKey: string; TagValue: string }[] => Object.entries(entries).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
const PARAMS_FIRST = 'The recorded DescribeKey follows GetParametersForImport, which returns import parameters and changes nothing DescribeKey shows (the key stays PendingImport).';

/** The recorded responses of the nine operations, by `<test>|<key>`. */
const NINE: Record<string, Plan> = {
  'TestKMS::test_create_key|describe-key': describeAfterCreate({ Description: 'test key 123', KeyUsage: 'ENCRYPT_DECRYPT' }),
  'TestKMS::test_get_key_in_different_region|describe-key-diff-region-with-id': replay(
    'DescribeKey',
    (v) => ({ input: { KeyId: v['<key-id:1>'] }, region: REGION }),
    (m) => createKey(m, { Description: 'test key 123' }, SECONDARY_REGION),
  ),
  'TestKMS::test_get_key_in_different_region|describe-key-diff-region-with-arn': replay(
    'DescribeKey',
    (v) => ({ input: { KeyId: v['<key-arn>'] }, region: REGION }),
    (m) => createKey(m, { Description: 'test key 123' }, SECONDARY_REGION),
  ),
  'TestKMS::test_get_key_in_different_region|describe-key-same-specific-region-with-id': replay(
    'DescribeKey',
    (v) => ({ input: { KeyId: v['<key-id:1>'] }, region: SECONDARY_REGION }),
    (m) => createKey(m, { Description: 'test key 123' }, SECONDARY_REGION),
  ),
  'TestKMS::test_get_key_in_different_region|describe-key-same-specific-region-with-arn': replay(
    'DescribeKey',
    (v) => ({ input: { KeyId: v['<key-arn>'] }, region: SECONDARY_REGION }),
    (m) => createKey(m, { Description: 'test key 123' }, SECONDARY_REGION),
  ),
  'TestKMS::test_get_key_does_not_exist|describe-nonexistent-key-with-id': replay(
    'DescribeKey',
    () => ({ input: { KeyId: FAKE_KEY_ID } }),
    (m) => ({ ...createKey(m, { Description: 'test key 123' }), '<key-arn>': arnIn(FAKE_KEY_ID) }),
  ),
  'TestKMS::test_get_key_does_not_exist|describe-nonexistent-with-arn': replay(
    'DescribeKey',
    () => ({ input: { KeyId: arnIn(FAKE_KEY_ID) } }),
    (m) => ({ ...createKey(m, { Description: 'test key 123' }), '<key-arn>': arnIn(FAKE_KEY_ID) }),
  ),
  'TestKMS::test_get_key_does_not_exist|describe-key-with-valid-id-mrk': replay('DescribeKey', () => ({ input: { KeyId: FAKE_MRK_ID } }), () => ({ '<mrk-key-arn>': arnIn(FAKE_MRK_ID) })),
  'TestKMS::test_get_key_invalid_uuid|describe-key-with-invalid-uuid': replay('DescribeKey', () => ({ input: { KeyId: 'fake-key-id' } })),
  'TestKMS::test_get_key_invalid_uuid|describe-key-with-invalid-uuid-2': replay('DescribeKey', () => ({ input: { KeyId: '134f2428cec14b25a1ae9048164dba47' } })),
  'TestKMS::test_get_key_invalid_uuid|describe-key-with-invalid-uuid-mrk': replay('DescribeKey', () => ({ input: { KeyId: 'mrk-fake-key-id' } })),
  'TestKMS::test_replicate_key|describe-key-from-different-region': replay(
    'DescribeKey',
    (v) => ({ input: { KeyId: v['<key-id:1>'] }, region: 'ap-southeast-1' }),
    (m) => createKey(m, { MultiRegion: true, Description: 'test replicated key' }),
  ),
  'TestKMS::test_replicate_key|describe-key-from-region': needs('DescribeKey', 'ReplicateKey', 'the primary key lists the replica that ReplicateKey made in ap-southeast-1'),
  'TestKMS::test_replicate_key|describe-replicated-key': needs('DescribeKey', 'ReplicateKey', 'the described key is the replica ReplicateKey made'),
  'TestKMS::test_hmac_create_key|create-hmac-key': createOnly({ Description: 'test key', KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }),
  'TestKMS::test_hmac_create_key|describe-key': describeAfterCreate({ Description: 'test key', KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }),
  'TestKMS::test_hmac_create_key_invalid_operations|create-hmac-key-without-key-usage': createOnly({ Description: 'test HMAC key without key usage', KeySpec: 'HMAC_256' }),
  'TestKMS::test_hmac_create_key_invalid_operations|create-hmac-key-invalid-spec': createOnly({ Description: 'test invalid HMAC spec', KeySpec: 'HMAC_random' }),
  'TestKMS::test_hmac_create_key_invalid_operations|create-hmac-key-invalid-key-usage': createOnly({ Description: 'test invalid HMAC spec', KeySpec: 'HMAC_256', KeyUsage: 'RANDOM' }),
  'TestKMS::test_import_key_symmetric|created-key': createOnly({ Origin: 'EXTERNAL' }),
  'TestKMS::test_import_key_symmetric|describe-key-before-import': describeAfterCreate({ Origin: 'EXTERNAL' }, PARAMS_FIRST),
  'TestKMS::test_import_key_symmetric|describe-key-after-import': needs('DescribeKey', 'ImportKeyMaterial', 'the key has the key material ImportKeyMaterial imported'),
  'TestKMS::test_import_key_symmetric|describe-key-after-deleted-import': needs('DescribeKey', 'DeleteImportedKeyMaterial', 'the key lost the material DeleteImportedKeyMaterial deleted'),
  'TestKMS::test_import_key_asymmetric|created-key': createOnly({ Origin: 'EXTERNAL', KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
  'TestKMS::test_import_key_asymmetric|describe-key-before-import': describeAfterCreate({ Origin: 'EXTERNAL', KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }, PARAMS_FIRST),
  'TestKMS::test_import_key_asymmetric|describe-key-after-import': needs('DescribeKey', 'ImportKeyMaterial', 'the key has the key material ImportKeyMaterial imported'),
  'TestKMS::test_import_key_asymmetric|describe-key-after-deleted-import': needs('DescribeKey', 'DeleteImportedKeyMaterial', 'the key lost the material DeleteImportedKeyMaterial deleted'),
  'TestKMS::test_create_multi_region_key|create_multi_region_key': createOnly({ MultiRegion: true, Description: 'test multi region key' }),
  'TestKMS::test_non_multi_region_keys_should_not_have_multi_region_properties|non_multi_region_keys_should_not_have_multi_region_properties': createOnly({
    MultiRegion: false,
    Description: 'test non multi region key',
  }),
  'TestKMS::test_create_key_with_too_many_tags_raises_error|invalid-tag-key': createOnly({
    Description: 'test key 123',
    KeyUsage: 'ENCRYPT_DECRYPT',
    Tags: tags(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`key${i}`, `value${i}`]))),
  }),
  'TestKMS::test_key_with_long_tag_value_raises_error|too-long-tag-value': createOnly({ Description: 'test key 123', KeyUsage: 'ENCRYPT_DECRYPT', Tags: tags({ tag1: 'v'.repeat(257) }) }),
  'TestKMS::test_create_key_with_invalid_tag_key[lowercase_prefix]|invalid-tag-key': createOnly({ Description: 'test key 123', KeyUsage: 'ENCRYPT_DECRYPT', Tags: tags({ 'aws:key1': 'value1' }) }),
  'TestKMS::test_create_key_with_invalid_tag_key[uppercase_prefix]|invalid-tag-key': createOnly({ Description: 'test key 123', KeyUsage: 'ENCRYPT_DECRYPT', Tags: tags({ 'AWS:key1': 'value1' }) }),
  'TestKMS::test_create_key_with_invalid_tag_key[too_long_key]|invalid-tag-key': createOnly({ Description: 'test key 123', KeyUsage: 'ENCRYPT_DECRYPT', Tags: tags({ ['a'.repeat(129)]: 'value1' }) }),
  'TestKMS::test_derive_shared_secret|response-invalid-key-spec': createOnly({ KeySpec: 'RSA_2048', KeyUsage: 'KEY_AGREEMENT' }),
  'TestKMS::test_describe_with_alias_arn|created-key': createOnly({ Description: 'test - description' }),
  'TestKMS::test_describe_with_alias_arn|describe-key': replay(
    'DescribeKey',
    (v) => ({ input: { KeyId: v['<alias-arn>'] } }),
    (m) => {
      const v = createKey(m, { Description: 'test - description' });
      // CreateAlias is not one of the nine operations; the model's test-author API makes the alias.
      return { ...v, '<alias-arn>': m.createAlias('alias/recorded-test-alias', v['<key-id:1>']!).arn };
    },
  ),
  'TestKMS::test_import_key_rsa_aes_wrap_sha256|describe-before-import': describeAfterCreate(
    { Origin: 'EXTERNAL', KeySpec: 'RSA_4096', KeyUsage: 'ENCRYPT_DECRYPT', Description: 'test-key' },
    PARAMS_FIRST,
  ),
  'TestKMS::test_import_key_rsa_aes_wrap_sha256|import-key-material-response': needs('DescribeKey', 'ImportKeyMaterial', 'the key has the key material ImportKeyMaterial imported'),
  'TestKMS::test_import_key_rsa_aes_wrap_sha256|describe-key-after-deleted-import': needs('DescribeKey', 'DeleteImportedKeyMaterial', 'the key lost the material DeleteImportedKeyMaterial deleted'),
  'TestKMS::test_rotate_key_on_demand_updates_current_key_material_for_external_keys|create-kms-external-key': createOnly({ Origin: 'EXTERNAL', KeyUsage: 'ENCRYPT_DECRYPT', Description: 'test-key' }),
  'TestKMS::test_rotate_key_on_demand_updates_current_key_material_for_external_keys|describe-empty-key-response': describeAfterCreate(
    { Origin: 'EXTERNAL', KeyUsage: 'ENCRYPT_DECRYPT', Description: 'test-key' },
    PARAMS_FIRST,
  ),
  'TestKMS::test_rotate_key_on_demand_updates_current_key_material_for_external_keys|describe-key-with-material-response': needs('DescribeKey', 'ImportKeyMaterial', 'the key has the key material ImportKeyMaterial imported'),
  'TestKMS::test_rotate_key_on_demand_updates_current_key_material_for_external_keys|describe-key-with-new-material-response': needs('DescribeKey', 'ImportKeyMaterial', 'the key has new key material ImportKeyMaterial imported'),
  'TestKMS::test_rotate_key_on_demand_updates_current_key_material_for_external_keys|describe-key-after-rotation': needs('DescribeKey', 'RotateKeyOnDemand', 'the key was rotated to new material by RotateKeyOnDemand'),
  'TestKMS::test_rotate_key_on_demand_for_external_keys_decrypts_with_previous_material|create-kms-external-key': createOnly({ Origin: 'EXTERNAL', KeyUsage: 'ENCRYPT_DECRYPT', Description: 'test-key' }),
  'TestKMS::test_key_rotation_updates_current_key_material_id_for_aws_symmetric_keys|describe-key-before-rotation': describeAfterCreate(
    { KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Description: 'test-key' },
    'The request is read off the recorded response (a symmetric key described "test-key"); the saved LS test source predates this test.',
  ),
  'TestKMS::test_key_rotation_updates_current_key_material_id_for_aws_symmetric_keys|describe-key-after-rotation': needs('DescribeKey', 'RotateKeyOnDemand', 'the key was rotated to new material by RotateKeyOnDemand'),
};
for (const spec of ['ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1']) {
  const t = `TestKMS::test_import_key_ecc_keys[${spec}]`;
  Object.assign(NINE, {
    [`${t}|describe-key-before-import`]: describeAfterCreate({ Origin: 'EXTERNAL', KeySpec: spec, KeyUsage: 'SIGN_VERIFY', Description: 'test ecc key import' }, PARAMS_FIRST),
    [`${t}|describe-key-after-import`]: needs('DescribeKey', 'ImportKeyMaterial', 'the key has the key material ImportKeyMaterial imported'),
    [`${t}|describe-key-after-deleted-import`]: needs('DescribeKey', 'DeleteImportedKeyMaterial', 'the key lost the material DeleteImportedKeyMaterial deleted'),
  });
}
for (const spec of ['HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512']) {
  const t = `TestKMS::test_import_key_hmac_keys[${spec}]`;
  Object.assign(NINE, {
    [`${t}|describe-key-before-import`]: describeAfterCreate({ Origin: 'EXTERNAL', KeySpec: spec, KeyUsage: 'GENERATE_VERIFY_MAC', Description: 'test import hmac key' }, PARAMS_FIRST),
    [`${t}|describe-key-after-import`]: needs('DescribeKey', 'ImportKeyMaterial', 'the key has the key material ImportKeyMaterial imported'),
    [`${t}|describe-key-after-deleted-import`]: needs('DescribeKey', 'DeleteImportedKeyMaterial', 'the key lost the material DeleteImportedKeyMaterial deleted'),
  });
}
for (const spec of ['SYMMETRIC_DEFAULT', 'RSA_4096']) {
  NINE[`TestKMS::test_rotate_key_on_demand_on_external_key_with_no_key_material[${spec}]|create-kms-external-key`] = createOnly({ Origin: 'EXTERNAL', KeyUsage: 'ENCRYPT_DECRYPT', Description: 'test-key' });
}

// CreateAlias is one of the mock's operations now (the set-up of a run over the wire needs it):
// an alias name without the `alias/` prefix (LocalStack's test sends one).
NINE['TestKMS::test_create_alias|create_alias'] = replay('CreateAlias', (v) => ({ input: { AliasName: 'test-alias', TargetKeyId: v['<key-id:1>'] } }), (m) => createKey(m, {}));

/** Responses of operations outside the nine: `[test, key, operation]`, first match wins. */
const OTHERS: readonly (readonly [RegExp, RegExp, string])[] = [
  [/test_encrypt_validate_plaintext_size_per_key_type|test_plaintext_size_for_encrypt/, /./, 'Encrypt'],
  [/test_generate_random/, /./, 'GenerateRandom'],
  [/test_sign_verify|test_import_key_ecc_keys|test_error_messaging_for_invalid_keys/, /^(signature|bad-digest|sign-result|sign-invalid-key-id)$/, 'Sign'],
  [/test_sign_verify|test_import_key_ecc_keys|test_error_messaging_for_invalid_keys/, /^(verification|bad-signature|verify-result|verify-invalid-key-id)$/, 'Verify'],
  [/test_generate_and_verify_mac|test_invalid_generate_mac|test_invalid_verify_mac|test_import_key_hmac_keys|test_error_messaging_for_invalid_keys/, /^generate-mac/, 'GenerateMac'],
  [/test_generate_and_verify_mac|test_invalid_verify_mac|test_import_key_hmac_keys/, /^verify-mac/, 'VerifyMac'],
  [/./, /^(encrypt|kms-encrypt-)/, 'Encrypt'],
  [/./, /^(decrypt|bad-ciphertext)/, 'Decrypt'],
  [/./, /^(import-expiring-key-without-valid-to|import-(initial|pending)-material-response|existing-pending-material-error)$/, 'ImportKeyMaterial'],
  [/test_rotate_key_on_demand_(updates|for_external)/, /^import-(new-)?key-material-response$/, 'ImportKeyMaterial'],
  [/test_generate_data_key_pair(_dry_run)?$|test_generate_data_key_pair_without_plaintext/, /^(generate-data-key-pair|dryrun_exception)/, 'GenerateDataKeyPair'],
  [/test_generate_data_key(_without_plaintext)?$/, /^generate-data-key/, 'GenerateDataKey'],
  [/test_get_parameters_for_import|test_rotate_key_on_demand_updates/, /^(response-error|get-import-parameters)/, 'GetParametersForImport'],
  [/test_derive_shared_secret/, /^(response|derived-shared-key-resp)/, 'DeriveSharedSecret'],
  [/tag/, /^list-resource-tags/, 'ListResourceTags'],
  [/test_tag_key_with_duplicate_tag_keys|test_tag_existing_key_with_invalid_tag_key/, /./, 'TagResource'],
  [/test_key_enable_rotation_status/, /./, 'GetKeyRotationStatus'],
  [/./, /^rotation-status-response/, 'GetKeyRotationStatus'],
  [/test_rotate|test_key_rotations_limits/, /^(rotate-|error-response)/, 'RotateKeyOnDemand'],
  [/test_re_encrypt/, /./, 'ReEncrypt'],
  [/test_replicate/, /^(replicate-key|fail-replicate-non-primary-key)$/, 'ReplicateKey'],
];

function planOf(r: Recorded): Plan | undefined {
  const nine = NINE[`${r.test}|${r.key}`];
  if (nine !== undefined) return nine;
  const match = OTHERS.find(([t, k]) => t.test(r.test) && k.test(r.key));
  return match === undefined ? undefined : other(match[2]);
}

// ---------------------------------------------------------------------------------------------
// Comparing
// ---------------------------------------------------------------------------------------------

/** Fills LS's placeholders with this run's values; an unknown placeholder is a bug in the plan. */
function expand(text: string, values: Values): string {
  const all: Values = { '<partition>': 'aws', '<region>': REGION, '<secondary-region>': SECONDARY_REGION, ...values };
  return text.replace(/<[a-z-]+(?::\d+)?>/g, (p) => {
    const v = all[p];
    if (v === undefined) throw new Error(`[recorded-aws] no value for placeholder ${p} in "${text}"`);
    return v;
  });
}

/** KeyMetadata members compared with the recording (identifiers and dates differ by run; LS hides them). */
const COMPARED = [
  'AWSAccountId',
  'Description',
  'Enabled',
  'KeyState',
  'KeyUsage',
  'KeySpec',
  'CustomerMasterKeySpec',
  'Origin',
  'KeyManager',
  'MultiRegion',
  'EncryptionAlgorithms',
  'SigningAlgorithms',
  'MacAlgorithms',
  'KeyAgreementAlgorithms',
] as const;

interface RecordedError {
  readonly Error: { readonly Code: string; readonly Message: string };
  readonly ResponseMetadata: { readonly HTTPStatusCode: number };
}
const isError = (c: unknown): c is RecordedError => typeof c === 'object' && c !== null && 'Error' in c;

/** The recorded KeyMetadata of a success: the fixture's bare KeyMetadata, or DescribeKey's response. */
function recordedMetadata(c: unknown): { status: number; metadata: Record<string, unknown> } {
  const o = c as { KeyMetadata?: Record<string, unknown>; ResponseMetadata?: { HTTPStatusCode: number } };
  return o.KeyMetadata !== undefined ? { status: o.ResponseMetadata?.HTTPStatusCode ?? 200, metadata: o.KeyMetadata } : { status: 200, metadata: c as Record<string, unknown> };
}

function run(plan: Replay): { answer: ModelAnswer; values: Values } {
  const m = new KmsModel({ accountId: ACCOUNT, region: REGION, seed: 11 });
  const values = plan.arrange?.(m) ?? {};
  const { input, region } = plan.request(values);
  return { answer: m.handle(plan.operation, input, m.defaultCaller(), { region: region ?? REGION }), values };
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

const planned = RECORDED.map((r) => ({ r, plan: planOf(r) }));
const replays = planned.flatMap(({ r, plan }) => (plan?.kind === 'replay' ? [{ r, plan }] : []));

describe('the recording of real AWS (LS snapshot)', () => {
  it('is read, and every recorded response is accounted for', () => {
    expect(RECORDED.length).toBeGreaterThan(200);
    const unaccounted = planned.filter((p) => p.plan === undefined).map(({ r }) => `${r.test} | ${r.key}`);
    expect(unaccounted).toEqual([]);
    // Every plan of the nine operations names a recording that exists (no stale entries).
    const keys = new Set(RECORDED.map((r) => `${r.test}|${r.key}`));
    expect(Object.keys(NINE).filter((k) => !keys.has(k))).toEqual([]);
  });

  it('answers "another operation" only for operations outside the nine', () => {
    const others = planned.flatMap(({ r, plan }) => (plan?.kind === 'other' ? [`${plan.operation} (${r.test} | ${r.key})`] : []));
    expect(others.length).toBeGreaterThan(100);
    expect(others.filter((o) => (OPERATIONS as readonly string[]).includes(o.split(' ')[0]!))).toEqual([]);
  });

  it('lists what cannot be reproduced, and why: each needs an operation the mock does not have', () => {
    const listed = planned.flatMap(({ r, plan }) => (plan?.kind === 'unreproducible' ? [{ at: `${r.test} | ${r.key}`, plan }] : []));
    expect(listed.map((l) => `${l.at}: needs ${l.plan.needs} (${l.plan.reason})`)).toMatchSnapshot();
    for (const { at, plan } of listed) {
      expect((OPERATIONS as readonly string[]).includes(plan.operation), at).toBe(true);
      expect((OPERATIONS as readonly string[]).includes(plan.needs), `${at}: the mock has ${plan.needs} now; replay this recording instead`).toBe(false);
    }
  });

  it('replays the error responses of the nine operations (not vacuous)', () => {
    expect(replays.filter(({ r }) => isError(r.content)).length).toBeGreaterThanOrEqual(17);
    expect(replays.filter(({ r }) => !isError(r.content)).length).toBeGreaterThanOrEqual(20);
  });
});

describe.each(replays.map(({ r, plan }) => [`${r.test} | ${r.key}`, r, plan] as const))('recorded %s', (_name, r, plan) => {
  if (isError(r.content)) {
    const rec = r.content;
    it(`is reproduced: ${rec.ResponseMetadata.HTTPStatusCode} ${rec.Error.Code}`, () => {
      const { answer, values } = run(plan);
      expect(answer.kind, JSON.stringify(answer)).toBe('error');
      if (answer.kind !== 'error') return;
      expect({ status: answer.status, code: answer.code, message: answer.message }).toEqual({
        status: rec.ResponseMetadata.HTTPStatusCode,
        code: rec.Error.Code,
        message: expand(rec.Error.Message, values),
      });
    });
    return;
  }
  it('is reproduced: 200 with the recorded KeyMetadata values', () => {
    const rec = recordedMetadata(r.content);
    const { answer } = run(plan);
    expect(answer.kind, JSON.stringify(answer)).toBe('success');
    expect(rec.status).toBe(200);
    if (answer.kind !== 'success') return;
    const md = (answer.output as { KeyMetadata: Record<string, unknown> }).KeyMetadata;
    const want: Record<string, unknown> = {};
    const got: Record<string, unknown> = {};
    for (const k of COMPARED) {
      const v = rec.metadata[k];
      if (v === undefined || (typeof v === 'string' && /^<[a-z-]+(:\d+)?>$/.test(v))) continue;
      want[k] = v;
      got[k] = md[k];
    }
    expect(Object.keys(want).length).toBeGreaterThan(8);
    expect(got).toEqual(want);
    // The same members, no more and no fewer (their values differ by run where LS hides them).
    expect(Object.keys(md).sort()).toEqual(Object.keys(rec.metadata).sort());
    const type = (rec.metadata.MultiRegionConfiguration as { MultiRegionKeyType?: string } | undefined)?.MultiRegionKeyType;
    expect((md.MultiRegionConfiguration as { MultiRegionKeyType?: string } | undefined)?.MultiRegionKeyType).toBe(type);
  });
});
