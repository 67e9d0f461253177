/**
 * Error messages as AWS words them (contract notes §5.1, §5.2, §8.5), and, where AWS's wording is
 * unknown, the wording the bundled mock uses. Message text is never scored; it is what a user of
 * the mock reads.
 */

/** One constraint failure inside a ValidationException. */
export interface ValidationItem {
  /** Member name as modelled (`KeyId`); printed in lowerCamelCase (`keyId`). */
  readonly member: string;
  /** The offending value; omitted from the message when `sensitive` or when the member is absent. */
  readonly value?: unknown;
  readonly sensitive?: boolean;
  /** The constraint text after "Member must ", e.g. `have length less than or equal to 2048`. */
  readonly constraint: string;
}

/**
 * `KeyId` → `keyId`; each segment of a nested path too: `Tags.1.member.TagValue` →
 * `tags.1.member.tagValue` (LS §5.1).
 */
export function lowerCamel(member: string): string {
  return member
    .split('.')
    .map((seg) => (seg.length === 0 ? seg : seg[0]!.toLowerCase() + seg.slice(1)))
    .join('.');
}

function printValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(printValue).join(', ')}]`;
  return JSON.stringify(v);
}

/** One item: `Value '<v>' at '<path>' failed to satisfy constraint: Member must <rule>`. */
export function validationItem(item: ValidationItem): string {
  const at = `at '${lowerCamel(item.member)}' failed to satisfy constraint: Member must ${item.constraint}`;
  if (item.value === undefined || item.value === null) return item.constraint === 'not be null' ? `Value null ${at}` : `Value ${at}`;
  if (item.sensitive) return `Value ${at}`;
  return `Value '${printValue(item.value)}' ${at}`;
}

/**
 * The ValidationException message: `N validation error(s) detected: <item>; <item>` (LS §5.1,
 * FL for the plural).
 *
 * @example validationMessage([{ member: 'NumberOfBytes', value: 0, constraint: 'have value greater than or equal to 1' }])
 * // "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1"
 */
export function validationMessage(items: readonly ValidationItem[]): string {
  const n = items.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${items.map(validationItem).join('; ')}`;
}

/** Constraint texts of the validation grammar (§5.1). */
export const CONSTRAINT_TEXT = {
  required: (): string => 'not be null',
  lengthMax: (n: number): string => `have length less than or equal to ${n}`,
  lengthMin: (n: number): string => `have length greater than or equal to ${n}`,
  rangeMax: (n: number): string => `have value less than or equal to ${n}`,
  rangeMin: (n: number): string => `have value greater than or equal to ${n}`,
  pattern: (p: string): string => `satisfy regular expression pattern: ${p}`,
  enumSet: (values: readonly string[]): string => `satisfy enum value set: [${values.join(', ')}]`,
} as const;

/**
 * Enum value lists as real AWS printed them in a recorded ValidationException, per
 * `<Operation>.<Member>`: order and values as recorded (LS, test_hmac_create_key_invalid_operations,
 * 2023-04-13). The message follows the recording; which values are valid still comes from the
 * model (decision 0607).
 */
export const RECORDED_ENUM_LISTS: Readonly<Record<string, readonly string[]>> = {
  'CreateKey.KeySpec': ['RSA_2048', 'ECC_NIST_P384', 'ECC_NIST_P256', 'ECC_NIST_P521', 'HMAC_384', 'RSA_3072', 'ECC_SECG_P256K1', 'RSA_4096', 'SYMMETRIC_DEFAULT', 'HMAC_256', 'HMAC_224', 'HMAC_512'],
  'CreateKey.KeyUsage': ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC'],
};

/** The enum list a ValidationException prints for `<op>.<member>`: the recorded one where there is one, else the model's. */
export function enumListFor(op: string, member: string, modelValues: readonly string[]): readonly string[] {
  return RECORDED_ENUM_LISTS[`${op}.${member}`] ?? modelValues;
}

/** CreateKey with a non-symmetric key spec and no KeyUsage (LS, real AWS 2023-04-13). */
export const KEY_USAGE_REQUIRED_MESSAGE = 'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.';

/** `KeyUsage <usage> is not compatible with KeySpec <spec>` (LS, real AWS 2024-12-25, for KEY_AGREEMENT and RSA_2048). */
export function keyUsageIncompatibleMessage(usage: string, spec: string): string {
  return `KeyUsage ${usage} is not compatible with KeySpec ${spec}`;
}

/** TagException for a tag key starting with `aws:` (LS, real AWS 2025-01-22). */
export const RESERVED_TAG_MESSAGE = 'Tags beginning with aws: are reserved';

/** TagException for more tags than allowed (LS, real AWS 2025-01-21). */
export const TOO_MANY_TAGS_MESSAGE = 'Too many tags';

/** `Key '<arn>' does not exist` (LS, DescribeKey on an absent key; the full ARN even for a bare id). */
export function keyNotFoundMessage(arn: string): string {
  return `Key '${arn}' does not exist`;
}

/** `Invalid keyId '<value>'` (LS, a value that is not a key identifier). */
export function invalidKeyIdMessage(value: string): string {
  return `Invalid keyId '${value}'`;
}

/** `Invalid arn <region or value>` (LS, a key ARN of another Region gives the ARN's Region). */
export function invalidArnMessage(regionOrValue: string): string {
  return `Invalid arn ${regionOrValue}`;
}

/** `Key Aliases are not supported for this operation.` (ISS, InvalidArnException). */
export function aliasesNotSupportedMessage(): string {
  return 'Key Aliases are not supported for this operation.';
}

/** `Alias <alias ARN> is not found.` (LS-impl, MOTO: AWS names the alias ARN). */
export function aliasNotFoundMessage(aliasArn: string): string {
  return `Alias ${aliasArn} is not found.`;
}

/** The mock's text for CreateAlias with a name that exists (AWS's text is not recorded; decision 0220). */
export function aliasExistsMessage(aliasArn: string): string {
  return `An alias with the name ${aliasArn} already exists`;
}

/** The mock's text for CreateAlias with a reserved `alias/aws/` name (undocumented; decision 0220). */
export function reservedAliasMessage(aliasName: string): string {
  return `Alias ${aliasName} cannot be created: names that begin with alias/aws/ are reserved for AWS managed keys.`;
}

/** The mock's text for a ListKeys or ListAliases Marker it did not issue (undocumented; decision 0221). */
export function invalidMarkerMessage(marker: string): string {
  return `Invalid marker '${marker}': pass the NextMarker of the previous truncated response, unchanged.`;
}

/** Key-state messages: `<arn> is pending deletion.` etc. (DG footnotes, LS `<arn> is pending import.`). */
export function keyStateMessage(arn: string, suffix: string): string {
  return `${arn} ${suffix}`;
}

/** The lockout message (TF, ISS): real AWS text. */
export const LOCKOUT_MESSAGE = 'The new key policy will not allow you to update the key policy in the future.';

/** The invalid-principals message (ISS): real AWS text. */
export const INVALID_PRINCIPALS_MESSAGE = 'Policy contains a statement with one or more invalid principals.';

/** Message for a policy with no principal in a statement (unverified third-party text, §5.2). */
export const NO_PRINCIPAL_MESSAGE = 'Policy contains a statement with no principal';

/** The throttling message (DG throttling.md). */
export const THROTTLING_MESSAGE = 'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.';

/** The mock's text for an oversize key policy (AWS's text is undocumented, §11.2). */
export function policySizeMessage(bytes: number, quota: number): string {
  return `The key policy is ${bytes} bytes; the key policy document size quota is ${quota} bytes.`;
}

/** The mock's text for PolicyName other than `default` (AWS's text is undocumented, §11.1). */
export function onlyDefaultPolicyNameMessage(name: string): string {
  return `No such policy exists: '${name}'. The only valid value is default.`;
}

/**
 * AccessDeniedException text when no policy allows the action: the form quoted in contract notes
 * §6 ("User: <arn> is not authorized to perform: kms:PutKeyPolicy on resource: <key-arn> because no
 * resource-based policy allows the kms:PutKeyPolicy action"). For CreateKey (IAM policy) the
 * resource is the account's key space and the reason names the identity-based policy.
 */
export function accessDeniedMessage(callerArn: string, action: string, resourceArn: string, policy: 'resource-based' | 'identity-based' = 'resource-based'): string {
  return `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resourceArn} because no ${policy} policy allows the ${action} action`;
}

/** The mock's text for an AWS managed key (undocumented, §11.7). */
export function awsManagedKeyMessage(op: string, arn: string): string {
  return `User is not authorized to perform: kms:${op} on resource: ${arn} because ${arn} is an AWS managed key.`;
}

/** The mock's text for PendingWindowInDays outside 7..30 (LS-impl wording). */
export function pendingWindowMessage(days: number): string {
  return `PendingWindowInDays should be between 7 and 30, but it is ${days}`;
}

/**
 * The SerializationException text for a JSON value that cannot become a `target` (`String`,
 * `Integer`, `Boolean`, `List`, `Structure`, …), as Coral words it (contract notes §1 and §6, other
 * awsJson services): `Start of list found where not expected`, `Start of structure or map found
 * where not expected.`, `NUMBER_VALUE can not be converted to a String`. The one source of this
 * text for the wire layer and the oracle.
 *
 * @example serializationMessage(true, 'Integer') // "TRUE_VALUE can not be converted to an Integer"
 */
export function serializationMessage(value: unknown, target: string): string {
  if (Array.isArray(value)) return 'Start of list found where not expected';
  if (value !== null && typeof value === 'object') return 'Start of structure or map found where not expected.';
  const token = value === null ? 'VALUE_NULL' : value === true ? 'TRUE_VALUE' : value === false ? 'FALSE_VALUE' : typeof value === 'number' ? 'NUMBER_VALUE' : 'STRING_VALUE';
  return `${token} can not be converted to ${/^[AEIOU]/.test(target) ? 'an' : 'a'} ${target}`;
}
