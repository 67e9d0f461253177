import { CreateKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { OPERATIONS } from '../contract/types.ts';
import { operationOfCommand, SDK_COMMANDS, sdkCommand } from './sdk-commands.ts';

describe('SDK_COMMANDS', () => {
  it('has the command class of every operation, named after it', () => {
    expect(Object.keys(SDK_COMMANDS).sort()).toEqual([...OPERATIONS].sort());
    for (const op of OPERATIONS) expect(SDK_COMMANDS[op].name, op).toBe(`${op}Command`);
  });

  it('builds commands with any input, and names the operation of a command by its class name', () => {
    const c = sdkCommand('ListAliases', { Limit: 'not a number' });
    expect(c).toBeInstanceOf(SDK_COMMANDS.ListAliases);
    expect(c.input).toEqual({ Limit: 'not a number' });
    expect(operationOfCommand(new CreateKeyCommand({}))).toBe('CreateKey');
    // A class of another copy of the SDK: only the name is the same.
    class CreateAliasCommand {}
    expect(operationOfCommand(new CreateAliasCommand())).toBe('CreateAlias');
    // SDK 3.600.0's bundles name their classes with a leading underscore.
    class _ListKeysCommand {}
    expect(operationOfCommand(new _ListKeysCommand())).toBe('ListKeys');
    expect(operationOfCommand(new EncryptCommand({ KeyId: 'k', Plaintext: new Uint8Array() }))).toBeUndefined();
    expect(operationOfCommand(null)).toBeUndefined();
    expect(operationOfCommand({})).toBeUndefined();
  });
});
