/**
 * Alias rules for CreateAlias and DeleteAlias, as far as setting up and cleaning up keys needs
 * them (decision 0220): the `alias/` prefix, the reserved `alias/aws/` prefix, the characters the
 * prose allows, unique names, and deleting an alias that does not exist. Ids:
 * `CreateAlias.AliasName.*`, `DeleteAlias.AliasName.*`.
 */
import type { Rule, SourceRef } from '../types.ts';
import { ALREADY_EXISTS, NOT_FOUND, SUCCESS, VALIDATION, anyError, rule } from './outcomes.ts';

const DECISION = 'decisions/0220-alias-operations.md';

/** The message real AWS sent for a CreateAlias AliasName without the prefix (LS, 2023-04-13). */
export const ALIAS_PREFIX_MESSAGE = 'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html';

const PREFIX_RECORDING: SourceRef = { tag: 'LS', quote: ALIAS_PREFIX_MESSAGE, where: 'test_create_alias (real AWS, 2023-04-13, ValidationException 400)' };

/** The alias rules. */
export const ALIAS_RULES: readonly Rule[] = [
  rule({
    id: 'CreateAlias.AliasName.prefix',
    operations: ['CreateAlias'],
    topic: 'alias',
    statement: 'CreateAlias fails with ValidationException when AliasName does not begin with alias/ followed by a name.',
    sources: [PREFIX_RECORDING, { tag: 'M1', quote: 'This value must begin with alias/ followed by a name, such as alias/ExampleAlias.', where: 'CreateAliasRequest.AliasName' }],
    outcomes: [VALIDATION],
    note: 'Recorded for a name without the prefix. AliasName "alias/" alone (the prefix and no name) is not recorded: the oracle leaves it unspecified.',
    decision: DECISION,
  }),
  rule({
    id: 'CreateAlias.AliasName.reserved',
    operations: ['CreateAlias'],
    topic: 'alias',
    statement: 'CreateAlias fails when AliasName begins with alias/aws/, the prefix reserved for AWS managed keys.',
    sources: [
      { tag: 'M1', quote: 'The alias name cannot begin with alias/aws/. The alias/aws/ prefix is reserved for Amazon Web Services managed keys.', where: 'CreateAliasRequest.AliasName' },
      { tag: 'M1', quote: 'The request was rejected because the specified alias name is not valid.', where: 'InvalidAliasNameException' },
    ],
    outcomes: [anyError([400], 'the documentation says the name cannot begin with alias/aws/ but names no error')],
    note: 'No recording shows the error; InvalidAliasNameException is the modelled error for an invalid alias name and what the mock sends, but any client error is accepted.',
    decision: DECISION,
  }),
  rule({
    id: 'CreateAlias.AliasName.characters',
    operations: ['CreateAlias'],
    topic: 'alias',
    statement: 'An AliasName with a colon matches the model pattern ^[a-zA-Z0-9:/_-]+$ but not the prose, which allows only letters, digits, /, _ and -: success or a client error.',
    sources: [
      { tag: 'M1', quote: 'It can contain only alphanumeric characters, forward slashes (/), underscores (_), and dashes (-).', where: 'CreateAliasRequest.AliasName' },
      { tag: 'M1', quote: '"smithy.api#pattern": "^[a-zA-Z0-9:/_-]+$"', where: 'AliasNameType' },
    ],
    outcomes: [SUCCESS, anyError([400], 'the prose excludes the colon the model pattern allows, and names no error')],
    disagreement: 'The model pattern allows ":"; the documentation lists only letters, digits, /, _ and -. Both answers are accepted; the mock creates the alias.',
    decision: DECISION,
  }),
  rule({
    id: 'CreateAlias.AliasName.exists',
    operations: ['CreateAlias'],
    topic: 'alias',
    statement: 'CreateAlias fails with AlreadyExistsException when an alias of that name exists in the account and Region.',
    sources: [
      { tag: 'M1', quote: 'The alias must be unique in the account and Region, but you can have aliases with the same name in different Regions.', where: 'CreateAlias' },
      { tag: 'M1', quote: 'The request was rejected because it attempted to create a resource that already exists.', where: 'AlreadyExistsException' },
    ],
    outcomes: [ALREADY_EXISTS],
    note: 'AWS\'s message is not recorded; the mock says "An alias with the name <alias ARN> already exists".',
    decision: DECISION,
  }),
  rule({
    id: 'DeleteAlias.AliasName.prefix',
    operations: ['DeleteAlias'],
    topic: 'alias',
    statement: 'DeleteAlias with an AliasName that does not begin with alias/ fails with ValidationException or NotFoundException.',
    sources: [
      { tag: 'M1', quote: 'The alias name must begin with alias/ followed by the alias name, such as alias/ExampleAlias.', where: 'DeleteAliasRequest.AliasName' },
      PREFIX_RECORDING,
    ],
    outcomes: [VALIDATION, NOT_FOUND],
    disagreement: 'Only CreateAlias\'s answer is recorded (ValidationException); for DeleteAlias no alias of such a name can exist, so NotFoundException is as plausible. Both are accepted.',
    decision: DECISION,
  }),
  rule({
    id: 'DeleteAlias.AliasName.notFound',
    operations: ['DeleteAlias'],
    topic: 'alias',
    statement: 'DeleteAlias of an alias that does not exist in the account and Region fails with NotFoundException.',
    sources: [
      { tag: 'M1', quote: 'The request was rejected because the specified entity or resource could not be found.', where: 'NotFoundException, listed for DeleteAlias' },
      { tag: 'LS-impl', quote: 'AWS itself uses AliasArn instead of AliasName in this exception', where: 'the missing-alias message, contract notes §9.4' },
    ],
    outcomes: [NOT_FOUND],
    note: 'The mock answers "Alias <alias ARN> is not found.", the message the notes give for a missing alias (§9.4).',
    decision: DECISION,
  }),
];
