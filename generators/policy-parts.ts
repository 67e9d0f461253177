/**
 * Building blocks of key policy statements: Sids, principals, actions and conditions, each an
 * arbitrary over the values the contract accepts for a context (contract notes §8.2).
 */
import fc from 'fast-check';
import { accountPrincipal, iamPrincipals, servicePrincipals, type GeneratorContext } from './context.ts';
import {
  STATEMENT_KEYS,
  TOP_KEYS,
  type ActionModel,
  type ConditionClause,
  type ConditionEntry,
  type PrincipalEntry,
  type PrincipalModel,
  type StatementKey,
  type TopKey,
} from './policy-model.ts';

/**
 * One character a valid policy may carry inside strings: printable ASCII (U+0020–U+007E) or
 * printable Latin-1 (U+00A0–U+00FF). DEL and the C1 controls (U+007F–U+009F) match the model's
 * pattern but not the documentation's "printable" (contract notes §2.1, open question 4), so valid
 * cases avoid them.
 */
export function printableCharArb(): fc.Arbitrary<string> {
  return fc
    .oneof(
      { weight: 3, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
      { weight: 1, arbitrary: fc.integer({ min: 0xa0, max: 0xff }) },
    )
    .map((c) => String.fromCharCode(c));
}

/** Free text over the printable range (may contain `"` and `\`, which JSON escapes). */
export function printableTextArb(minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: printableCharArb(), minLength, maxLength });
}

/** Sids seen in AWS documentation and real key policies (spaces allowed in KMS, contract notes §8.1). */
export const DOCUMENTED_SIDS: readonly string[] = [
  'Enable IAM User Permissions',
  'Allow access for Key Administrators',
  'Allow use of the key',
  'Allow attachment of persistent resources',
  'Allow CloudTrail to encrypt logs',
  'DenyKeyDeletion',
  'Stmt1700000000000',
];

/** A Sid: documented ones (so duplicates are common), Latin-1 text, or any printable text. */
export function sidArb(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...DOCUMENTED_SIDS) },
    { weight: 1, arbitrary: fc.constantFrom('Accès équipe sécurité', 'Schlüssel\u00a0Verwalter ÄÖÜß', 'ñandú ¿qué? ¡sí! ©®°±µ¶·¿×÷ÿ ~') },
    { weight: 2, arbitrary: printableTextArb(1, 24) },
  );
}

/** A policy `Id`: documented ones or printable text. */
export function policyIdArb(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('key-default-1', 'key-consolepolicy-3', 'custom-policy-2016-12-07') },
    { weight: 1, arbitrary: printableTextArb(1, 24) },
  );
}

/** Element order: mostly the documented order, sometimes any permutation. */
export function keyOrderArb<K extends string>(keys: readonly K[]): fc.Arbitrary<readonly K[]> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(keys) },
    { weight: 1, arbitrary: fc.shuffledSubarray([...keys], { minLength: keys.length, maxLength: keys.length }) },
  );
}

/** Statement element order. */
export const statementOrderArb = (): fc.Arbitrary<readonly StatementKey[]> => keyOrderArb(STATEMENT_KEYS);
/** Top-level element order. */
export const topOrderArb = (): fc.Arbitrary<readonly TopKey[]> => keyOrderArb(TOP_KEYS);

/** Ways to name a principal that covers the caller (directly or through the account). */
export const CALLER_COVER_FORMS = ['star', 'aws-star', 'account-arn', 'account-id', 'caller-arn'] as const;

function coverValue(ctx: GeneratorContext, form: (typeof CALLER_COVER_FORMS)[number]): string {
  switch (form) {
    case 'star':
    case 'aws-star':
      return '*';
    case 'account-arn':
      return accountPrincipal(ctx);
    case 'account-id':
      return ctx.accountId;
    case 'caller-arn':
      return ctx.caller.arn;
  }
}

/** Principals of the context that do not cover the caller (other users and roles). */
export function otherIamPrincipals(ctx: GeneratorContext): string[] {
  return iamPrincipals(ctx).filter((p) => p !== ctx.caller.arn);
}

function entries(aws: readonly string[], services: readonly string[], awsAsList: boolean, serviceAsList: boolean, serviceFirst: boolean): PrincipalEntry[] {
  const out: PrincipalEntry[] = [];
  if (aws.length > 0) out.push({ key: 'AWS', values: aws, asList: awsAsList });
  if (services.length > 0) out.push({ key: 'Service', values: services, asList: serviceAsList });
  return serviceFirst ? out.reverse() : out;
}

/**
 * Up to `max` (at least `min`) of `xs`: a context may name fewer principals than a statement could
 * hold (a run against a real account knows only the caller and a few services).
 */
function subarrayUpTo<T>(xs: readonly T[], max: number, min = 0): fc.Arbitrary<T[]> {
  if (xs.length < min) return fc.constant([]);
  return fc.subarray([...xs], { minLength: min, maxLength: Math.min(max, xs.length) });
}

/** A principal that covers the caller: `"*"`, `{"AWS":"*"}`, the account (ARN or id) or the caller's ARN, possibly with others. */
export function callerPrincipalArb(ctx: GeneratorContext): fc.Arbitrary<PrincipalModel> {
  return fc
    .record({
      form: fc.constantFrom(...CALLER_COVER_FORMS),
      others: subarrayUpTo(otherIamPrincipals(ctx), 2),
      services: fc.oneof({ weight: 3, arbitrary: fc.constant([] as string[]) }, { weight: 1, arbitrary: subarrayUpTo(servicePrincipals(ctx), 2, 1) }),
      coverAt: fc.nat(),
      awsAsList: fc.boolean(),
      serviceAsList: fc.boolean(),
      serviceFirst: fc.boolean(),
    })
    .map((r): PrincipalModel => {
      if (r.form === 'star') return { form: 'star' };
      const aws = [...r.others];
      aws.splice(r.coverAt % (aws.length + 1), 0, coverValue(ctx, r.form));
      return { form: 'map', entries: entries(aws, r.services, r.awsAsList, r.serviceAsList, r.serviceFirst) };
    });
}

/**
 * STS sessions of the context's roles (`arn:<p>:sts::<account>:assumed-role/<role>/<session>`),
 * which exist when their role does.
 */
export function sessionPrincipals(ctx: GeneratorContext): string[] {
  return ctx.principals
    .filter((p) => p.kind === 'role')
    .map((p) => `arn:${ctx.partition}:sts::${ctx.accountId}:assumed-role/${p.id.slice(p.id.lastIndexOf('/') + 1)}/session-1`);
}

/** Any existing principal set (IAM principals of the account and their sessions, the account, `*`, services). */
export function anyPrincipalArb(ctx: GeneratorContext): fc.Arbitrary<PrincipalModel> {
  const awsPool = [accountPrincipal(ctx), ctx.accountId, '*', ...iamPrincipals(ctx), ...sessionPrincipals(ctx)];
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant<PrincipalModel>({ form: 'star' }) },
    {
      weight: 6,
      arbitrary: fc
        .record({
          aws: fc.subarray(awsPool, { maxLength: 3 }),
          services: subarrayUpTo(servicePrincipals(ctx), 2),
          awsAsList: fc.boolean(),
          serviceAsList: fc.boolean(),
          serviceFirst: fc.boolean(),
        })
        .filter((r) => r.aws.length + r.services.length > 0)
        .map((r): PrincipalModel => ({ form: 'map', entries: entries(r.aws, r.services, r.awsAsList, r.serviceAsList, r.serviceFirst) })),
    },
  );
}

/** Action patterns that cover `kms:PutKeyPolicy` (IAM matches actions case-insensitively). */
export const PUT_KEY_POLICY_PATTERNS: readonly string[] = [
  'kms:*',
  'kms:PutKeyPolicy',
  'kms:Put*',
  '*',
  'kms:*KeyPolicy',
  'kms:Put?eyPolicy',
  'KMS:putkeypolicy',
];

/** KMS actions other than PutKeyPolicy, and wildcards that never cover it. */
export const OTHER_KMS_ACTIONS: readonly string[] = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:DescribeKey',
  'kms:CreateGrant',
  'kms:ListGrants',
  'kms:RevokeGrant',
  'kms:GetKeyPolicy',
  'kms:ListKeyPolicies',
  'kms:Get*',
  'kms:List*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:Disable*',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:Sign',
  'kms:Verify',
  'kms:?ncrypt',
  'kms:decrypt',
];

/** `Action` covering `kms:PutKeyPolicy`, possibly with other actions. */
export function callerActionArb(): fc.Arbitrary<ActionModel> {
  return fc
    .record({
      cover: fc.constantFrom(...PUT_KEY_POLICY_PATTERNS),
      others: fc.subarray([...OTHER_KMS_ACTIONS], { maxLength: 3 }),
      at: fc.nat(),
      asList: fc.boolean(),
    })
    .map((r): ActionModel => {
      const values = [...r.others];
      values.splice(r.at % (values.length + 1), 0, r.cover);
      return { element: 'Action', values, asList: r.asList };
    });
}

/** `Action` with any KMS actions and wildcards (may or may not cover PutKeyPolicy). */
export function anyActionArb(): fc.Arbitrary<ActionModel> {
  return fc
    .record({ values: fc.subarray([...OTHER_KMS_ACTIONS, ...PUT_KEY_POLICY_PATTERNS], { minLength: 1, maxLength: 4 }), asList: fc.boolean() })
    .map((r): ActionModel => ({ element: 'Action', values: r.values, asList: r.asList }));
}

/** `Action` that never covers `kms:PutKeyPolicy` (what a Deny statement of a valid policy uses). */
export function nonPutActionArb(): fc.Arbitrary<ActionModel> {
  return fc
    .record({ values: fc.subarray([...OTHER_KMS_ACTIONS], { minLength: 1, maxLength: 4 }), asList: fc.boolean() })
    .map((r): ActionModel => ({ element: 'Action', values: r.values, asList: r.asList }));
}

const conditionString = (): fc.Arbitrary<string> =>
  fc.oneof({ weight: 3, arbitrary: fc.constantFrom('Finance', 'ec2.us-east-1.amazonaws.com', 'Département Trésorerie', 'prod-*') }, { weight: 1, arbitrary: printableTextArb(1, 16) });

const stringValue = (): fc.Arbitrary<string | readonly string[]> =>
  fc.oneof({ weight: 2, arbitrary: conditionString() }, { weight: 1, arbitrary: fc.array(conditionString(), { minLength: 1, maxLength: 3 }) });

/** Condition operator families with real keys and value shapes (contract notes §8.2). */
function clauseArb(ctx: GeneratorContext): fc.Arbitrary<ConditionClause> {
  const entriesOf = (keys: readonly string[], value: fc.Arbitrary<ConditionEntry['value']>): fc.Arbitrary<ConditionEntry[]> =>
    fc.uniqueArray(fc.record({ key: fc.constantFrom(...keys), value }), { minLength: 1, maxLength: 2, selector: (e) => e.key });
  const clause = (operators: readonly string[], keys: readonly string[], value: fc.Arbitrary<ConditionEntry['value']>): fc.Arbitrary<ConditionClause> =>
    fc.record({ operator: fc.constantFrom(...operators), entries: entriesOf(keys, value) });
  return fc.oneof(
    clause(
      ['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike', 'StringEqualsIgnoreCase', 'StringEqualsIfExists'],
      ['kms:CallerAccount', 'kms:ViaService', 'aws:PrincipalTag/Team', 'kms:EncryptionContext:Department', 'aws:SourceAccount'],
      fc.oneof(stringValue(), fc.constant(ctx.accountId)),
    ),
    clause(['ForAnyValue:StringEquals', 'ForAllValues:StringLike'], ['kms:EncryptionContextKeys'], stringValue()),
    clause(['ArnLike', 'ArnEquals', 'ArnNotLike'], ['aws:PrincipalArn', 'aws:SourceArn'], fc.constantFrom(`arn:${ctx.partition}:iam::${ctx.accountId}:role/*`, ctx.caller.arn, [`arn:${ctx.partition}:cloudtrail:*:${ctx.accountId}:trail/*`])),
    clause(['Bool', 'BoolIfExists'], ['kms:GrantIsForAWSResource', 'aws:SecureTransport', 'aws:MultiFactorAuthPresent'], fc.constantFrom<ConditionEntry['value']>(true, false, 'true', 'false')),
    clause(['NumericLessThanEquals', 'NumericGreaterThan'], ['kms:ScheduleKeyDeletionPendingWindowInDays'], fc.constantFrom<ConditionEntry['value']>('7', '30', 7, 30)),
    clause(['DateGreaterThan', 'DateLessThan'], ['aws:CurrentTime'], fc.constantFrom('2026-01-01T00:00:00Z', '2030-12-31T23:59:59Z')),
    clause(['IpAddress', 'NotIpAddress'], ['aws:SourceIp'], fc.constantFrom<ConditionEntry['value']>('192.0.2.0/24', ['198.51.100.0/24', '203.0.113.7/32'])),
    clause(['Null'], ['aws:PrincipalTag/Team'], fc.constantFrom<ConditionEntry['value']>('true', false)),
  );
}

/** A condition block: one to three operators, each with one or two keys. */
export function conditionArb(ctx: GeneratorContext): fc.Arbitrary<readonly ConditionClause[]> {
  return fc.uniqueArray(clauseArb(ctx), { minLength: 1, maxLength: 3, selector: (c) => c.operator });
}
