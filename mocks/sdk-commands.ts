/**
 * The `@aws-sdk/client-kms` command class of every operation the contract covers: the one table
 * the mock's tests, the suites' SDK transport and replay use to send an operation through the
 * real SDK.
 */
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  GetKeyPolicyCommand,
  ListAliasesCommand,
  ListKeyPoliciesCommand,
  ListKeysCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import type { OperationName } from '../contract/types.ts';

/** Operation → command class (`new SDK_COMMANDS.CreateKey({})` is a `CreateKeyCommand`). */
export const SDK_COMMANDS = {
  PutKeyPolicy: PutKeyPolicyCommand,
  GetKeyPolicy: GetKeyPolicyCommand,
  ListKeyPolicies: ListKeyPoliciesCommand,
  CreateKey: CreateKeyCommand,
  DescribeKey: DescribeKeyCommand,
  EnableKey: EnableKeyCommand,
  DisableKey: DisableKeyCommand,
  ScheduleKeyDeletion: ScheduleKeyDeletionCommand,
  CancelKeyDeletion: CancelKeyDeletionCommand,
  CreateAlias: CreateAliasCommand,
  DeleteAlias: DeleteAliasCommand,
  ListAliases: ListAliasesCommand,
  ListKeys: ListKeysCommand,
} as const satisfies Readonly<Record<OperationName, abstract new (input: never) => unknown>>;

/** The command class of one operation, typed by the operation. */
export type SdkCommandClass<Op extends OperationName> = (typeof SDK_COMMANDS)[Op];

/**
 * A command of `operation` for `input` of any shape (wrong member types included, as the suites
 * send them on purpose): the SDK does no client-side validation (contract notes §10.2).
 */
export function sdkCommand(operation: OperationName, input: Readonly<Record<string, unknown>>): InstanceType<SdkCommandClass<OperationName>> {
  const Ctor = SDK_COMMANDS[operation] as unknown as new (input: unknown) => InstanceType<SdkCommandClass<OperationName>>;
  return new Ctor(input);
}

/**
 * The operation a command object stands for, read from its class name (`CreateKeyCommand` →
 * `CreateKey`; older SDK builds name the class `_CreateKeyCommand`), so commands of any copy or
 * version of `@aws-sdk/client-kms` are recognised, not only instances of this package's copy.
 * `undefined` for a command outside the contract.
 */
export function operationOfCommand(command: unknown): OperationName | undefined {
  const name = (command as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  if (typeof name !== 'string' || !name.endsWith('Command')) return undefined;
  const op = name.replace(/^_+/, '').slice(0, -'Command'.length);
  return Object.hasOwn(SDK_COMMANDS, op) ? (op as OperationName) : undefined;
}
