import { describe, expect, it } from 'vitest';
import { CONSTRAINT_TEXT, keyNotFoundMessage, lowerCamel, serializationMessage, validationMessage } from './messages.ts';

describe('ValidationException messages reproduce the LS recordings of real AWS (§5.1)', () => {
  it('GenerateRandom NumberOfBytes=0 and 1025', () => {
    expect(validationMessage([{ member: 'NumberOfBytes', value: 0, constraint: CONSTRAINT_TEXT.rangeMin(1) }])).toBe(
      "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    expect(validationMessage([{ member: 'NumberOfBytes', value: 1025, constraint: CONSTRAINT_TEXT.rangeMax(1024) }])).toBe(
      "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
    );
  });

  it('a sensitive member omits its value (Plaintext > 4096)', () => {
    expect(validationMessage([{ member: 'Plaintext', value: 'x'.repeat(4097), sensitive: true, constraint: CONSTRAINT_TEXT.lengthMax(4096) }])).toBe(
      "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096",
    );
  });

  it('a nested path is printed as given (tags.1.member.tagValue)', () => {
    expect(validationMessage([{ member: 'tags.1.member.tagValue', value: 'vvv', constraint: CONSTRAINT_TEXT.lengthMax(256) }])).toBe(
      "1 validation error detected: Value 'vvv' at 'tags.1.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256",
    );
  });

  it('an enum failure lists the value set (keySpec)', () => {
    expect(validationMessage([{ member: 'KeySpec', value: 'HMAC_random', constraint: CONSTRAINT_TEXT.enumSet(['RSA_2048', 'RSA_3072']) }])).toBe(
      "1 validation error detected: Value 'HMAC_random' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [RSA_2048, RSA_3072]",
    );
  });

  it('several failures: plural, joined by "; ", null for absent members', () => {
    expect(
      validationMessage([
        { member: 'KeyId', constraint: CONSTRAINT_TEXT.required() },
        { member: 'PolicyName', value: 'bad name!', constraint: CONSTRAINT_TEXT.pattern('^[\\w]+$') },
      ]),
    ).toBe(
      "2 validation errors detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null; Value 'bad name!' at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\w]+$",
    );
  });
});

describe('other messages', () => {
  it('lowerCamel', () => {
    expect(lowerCamel('BypassPolicyLockoutSafetyCheck')).toBe('bypassPolicyLockoutSafetyCheck');
    expect(lowerCamel('')).toBe('');
  });

  it('key not found names the ARN (LS)', () => {
    expect(keyNotFoundMessage('arn:aws:kms:us-east-1:111122223333:key/x')).toBe("Key 'arn:aws:kms:us-east-1:111122223333:key/x' does not exist");
  });

  it('serialization messages follow the Coral tokens (§6)', () => {
    expect(serializationMessage(5, 'String')).toBe('NUMBER_VALUE can not be converted to a String');
    expect(serializationMessage(true, 'String')).toBe('TRUE_VALUE can not be converted to a String');
    expect(serializationMessage(null, 'Integer')).toBe('VALUE_NULL can not be converted to an Integer');
    expect(serializationMessage({}, 'String')).toBe('Start of structure or map found where not expected.');
    expect(serializationMessage([], 'String')).toBe('Start of list found where not expected');
  });
});
