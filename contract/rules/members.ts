/**
 * Member rules, generated from the Smithy model subset (`contract/model.ts`): presence, JSON
 * type, length, pattern, range and enum of every input member of the thirteen operations. Numbers,
 * patterns and enum values come from `MODEL` only; the sources and notes below are hand-written.
 *
 * Ids: `<Op>.<Member>.required|type|length.min|length.max|pattern|range.min|range.max|enum`.
 */
import { MODEL, isRequired } from '../model.ts';
import type { ModelMember } from '../model.ts';
import { CONTRACT_VERSIONS, OPERATIONS } from '../types.ts';
import type { AcceptedOutcome, ContractVersionId, OperationName, Rule, SourceRef } from '../types.ts';
import { LIMIT_EXCEEDED, SERIALIZATION, VALIDATION } from './outcomes.ts';

/** The kinds of constraint a generated member rule checks. */
export type MemberConstraint = 'required' | 'type' | 'length.min' | 'length.max' | 'pattern' | 'range.min' | 'range.max' | 'enum';

/** Id of a generated member rule. */
export function memberRuleId(op: OperationName, member: string, constraint: MemberConstraint): string {
  return `${op}.${member}.${constraint}`;
}

const VALIDATION_GRAMMAR: SourceRef = {
  tag: 'LS',
  quote: "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
  where: 'test_generate_random_invalid_number_of_bytes (real AWS, 2023-04-13)',
};

const SERIALIZATION_SOURCE: SourceRef = {
  tag: 'ISS',
  quote: 'NUMBER_VALUE can not be converted to a String',
  where: 'contract notes §6 (awsJson framework errors of other services; not verified for KMS)',
};

/** Hand-written sources per `<Op>.<Member>` (documentation sentences that back the model). */
const MEMBER_DOCS: Readonly<Record<string, readonly SourceRef[]>> = {
  'PutKeyPolicy.KeyId': [{ tag: 'B1', quote: 'Specify the key ID or key ARN of the KMS key.' }],
  'PutKeyPolicy.Policy': [
    { tag: 'DG', quote: 'Key policy document size: 32 KB (32,768 bytes)', where: 'resource-limits.md' },
  ],
  'PutKeyPolicy.PolicyName': [
    { tag: 'S-CLI', quote: 'If no policy name is specified, the default value is default . The only valid value is default .' },
    { tag: 'S-BOTO3', quote: '[REQUIRED] The name of the key policy. The only valid value is default .' },
  ],
  'GetKeyPolicy.PolicyName': [
    { tag: 'B1', quote: 'If no policy name is specified, the default value is default. The only valid name is default.' },
  ],
  'ScheduleKeyDeletion.PendingWindowInDays': [
    { tag: 'B1', quote: 'If you include a value, it must be between 7 and 30, inclusive. If you do not include a value, it defaults to 30.' },
  ],
  'ListKeyPolicies.Limit': [{ tag: 'B1', quote: 'If you do not include a value, it defaults to 100. Only one policy can be attached to a key.' }],
};

/** Notes per generated rule id, where the sources disagree or are silent. */
const MEMBER_NOTES: Readonly<Record<string, { note?: string; disagreement?: string; outcomesByVersion?: Rule['outcomesByVersion'] }>> = {
  'PutKeyPolicy.Policy.length.max': {
    disagreement:
      'M1 puts the limit in the model (framework ValidationException); B1 since 2025-06-05 says "If the key policy exceeds the length constraint, KMS returns a LimitExceededException." Both are accepted under 2025-06-05.',
    outcomesByVersion: { '2025-06-05': [VALIDATION, LIMIT_EXCEEDED] },
  },
  'CreateKey.Policy.length.max': {
    disagreement:
      'M1 puts the limit in the model (framework ValidationException); B1 since 2025-06-05 says "If the key policy exceeds the length constraint, KMS returns a LimitExceededException." Both are accepted under 2025-06-05.',
    outcomesByVersion: { '2025-06-05': [VALIDATION, LIMIT_EXCEEDED] },
  },
  'PutKeyPolicy.PolicyName.pattern': {
    note: 'M1 anchors the pattern (^[\\w]+$); B1 writes [\\w]+ unanchored. The anchored, whole-string form is used (decisions/0203).',
  },
  'GetKeyPolicy.PolicyName.pattern': {
    note: 'M1 anchors the pattern (^[\\w]+$); B1 writes [\\w]+ unanchored. The anchored, whole-string form is used (decisions/0203).',
  },
  'PutKeyPolicy.Policy.pattern': {
    note: 'DEL (U+007F) and C1 controls (U+0080–U+009F) match the pattern but not the prose "printable"; see PutKeyPolicy.Policy.charset.printable.',
  },
  'ScheduleKeyDeletion.PendingWindowInDays.range.min': {
    note: 'The model allows 1..365; the documentation allows 7..30 (see ScheduleKeyDeletion.PendingWindowInDays.documented).',
  },
  'ScheduleKeyDeletion.PendingWindowInDays.range.max': {
    note: 'The model allows 1..365; the documentation allows 7..30 (see ScheduleKeyDeletion.PendingWindowInDays.documented).',
  },
};

/** What JSON value a Smithy type takes on the awsJson1_1 wire. */
export function jsonTypeOf(m: ModelMember): 'string' | 'integer' | 'boolean' | 'array' | 'object' | 'number' {
  switch (m.type) {
    case 'string':
    case 'enum':
      return 'string';
    case 'integer':
    case 'long':
    case 'short':
    case 'byte':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'list':
    case 'set':
      return 'array';
    case 'structure':
    case 'map':
      return 'object';
    default:
      return 'number';
  }
}

/** A trait as M1 writes it (the JSON AST, one line: the file's indentation is layout only). */
function modelQuote(op: OperationName, member: string, m: ModelMember, trait: string, value: unknown): SourceRef {
  const text = JSON.stringify(value, null, 1).replace(/\s+/g, ' ');
  return { tag: 'M1', quote: `"smithy.api#${trait}": ${text}`, where: `${op}Request.${member} → ${m.shape}` };
}

/** botocore 2024-01-05 `required` lists of the requests whose PolicyName was required then (B0). */
const B0_REQUIRED: Readonly<Partial<Record<OperationName, readonly string[]>>> = {
  PutKeyPolicy: ['KeyId', 'PolicyName', 'Policy'],
  GetKeyPolicy: ['KeyId', 'PolicyName'],
};

function b0Required(op: OperationName): SourceRef {
  const list = B0_REQUIRED[op];
  if (list === undefined) throw new Error(`[kms-conformance] internal: no botocore 2024-01-05 required list for ${op}`);
  return { tag: 'B0', quote: `"${op}Request":{ "type":"structure", "required":[ ${list.map((n) => `"${n}"`).join(', ')} ]`, where: 'botocore 2024-01-05 service-2.json' };
}

function units(m: ModelMember): string {
  return jsonTypeOf(m) === 'array' ? 'items' : 'characters (Unicode scalar values, SC)';
}

function make(
  op: OperationName,
  member: string,
  constraint: MemberConstraint,
  statement: string,
  sources: readonly SourceRef[],
  outcomes: readonly AcceptedOutcome[],
  versions: readonly ContractVersionId[] = CONTRACT_VERSIONS,
): Rule {
  const id = memberRuleId(op, member, constraint);
  const extra = MEMBER_NOTES[id] ?? {};
  const docs = MEMBER_DOCS[`${op}.${member}`] ?? [];
  return {
    id,
    operations: [op],
    topic: 'member',
    statement,
    sources: [...sources, ...docs],
    versions,
    outcomes,
    ...(extra.outcomesByVersion ? { outcomesByVersion: extra.outcomesByVersion } : {}),
    ...(extra.disagreement ? { disagreement: extra.disagreement } : {}),
    ...(extra.note ? { note: extra.note } : {}),
    origin: 'model',
  };
}

/** The constraint rules (length, pattern, range, enum) of one member at `path`. */
function constraintRules(op: OperationName, path: string, m: ModelMember, label: string): Rule[] {
  const out: Rule[] = [];
  if (m.length?.min !== undefined && m.length.min > 0) {
    out.push(make(op, path, 'length.min', `${op} ${label} has at least ${m.length.min} ${units(m)}.`, [modelQuote(op, path, m, 'length', m.length), VALIDATION_GRAMMAR], [VALIDATION]));
  }
  if (m.length?.max !== undefined) {
    out.push(make(op, path, 'length.max', `${op} ${label} has at most ${m.length.max} ${units(m)}.`, [modelQuote(op, path, m, 'length', m.length), VALIDATION_GRAMMAR], [VALIDATION]));
  }
  if (m.pattern !== undefined) {
    out.push(make(op, path, 'pattern', `${op} ${label} matches ${m.pattern} as a whole.`, [modelQuote(op, path, m, 'pattern', m.pattern), VALIDATION_GRAMMAR], [VALIDATION]));
  }
  if (m.range?.min !== undefined) {
    out.push(make(op, path, 'range.min', `${op} ${label} is at least ${m.range.min}.`, [modelQuote(op, path, m, 'range', m.range), VALIDATION_GRAMMAR], [VALIDATION]));
  }
  if (m.range?.max !== undefined) {
    out.push(make(op, path, 'range.max', `${op} ${label} is at most ${m.range.max}.`, [modelQuote(op, path, m, 'range', m.range), VALIDATION_GRAMMAR], [VALIDATION]));
  }
  if (m.enum !== undefined) {
    out.push(
      make(
        op,
        path,
        'enum',
        `${op} ${label} is one of ${m.enum.join(', ')}.`,
        [
          { tag: 'M1', quote: `"com.amazonaws.kms#${m.shape}": { "type": "enum"`, where: `${op}Request.${path}; values ${m.enum.join(', ')}` },
          {
            tag: 'LS',
            quote: "1 validation error detected: Value 'HMAC_random' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [RSA_2048, …]",
            where: 'test_hmac_create_key_invalid_operations (real AWS)',
          },
        ],
        [VALIDATION],
      ),
    );
  }
  return out;
}

const NESTED_SOURCE: SourceRef = {
  tag: 'LS',
  quote: "1 validation error detected: Value 'vvv…v' at 'tags.1.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256",
  where: 'test_key_with_long_tag_value_raises_error (real AWS, 2025-01-21)',
};

/** Rules of the items of a list member: `<Op>.<List>.member.<constraint>` or `<Op>.<List>.member.<Field>.<constraint>`. */
function itemRules(op: OperationName, name: string, item: ModelMember): Rule[] {
  const withNested = (r: Rule): Rule => ({ ...r, sources: [...r.sources, NESTED_SOURCE] });
  if (item.type !== 'structure') return constraintRules(op, `${name}.member`, item, `each ${name} item`).map(withNested);
  const out: Rule[] = [];
  for (const [field, fm] of Object.entries(item.members ?? {})) {
    const path = `${name}.member.${field}`;
    if (fm.required) {
      out.push(
        make(op, path, 'required', `${op} each ${name} item has ${field}.`, [{ tag: 'M1', quote: '"smithy.api#required": {}', where: `${item.shape}.${field}` }, NESTED_SOURCE], [VALIDATION]),
      );
    }
    out.push(...constraintRules(op, path, fm, `${field} of each ${name} item`).map(withNested));
  }
  return out;
}

/** Generates every member rule of one operation from the model. */
export function memberRulesOf(op: OperationName): Rule[] {
  const out: Rule[] = [];
  for (const [name, m] of Object.entries(MODEL.operations[op].input)) {
    const requiredIn = CONTRACT_VERSIONS.filter((v) => isRequired(op, name, v));
    if (requiredIn.length > 0) {
      const sources: SourceRef[] = [
        requiredIn.includes('2025-06-05') ? { tag: 'M1', quote: '"smithy.api#required": {}', where: `${op}Request.${name}` } : b0Required(op),
        VALIDATION_GRAMMAR,
      ];
      out.push({
        ...make(op, name, 'required', `${op} ${name} is present.`, sources, [VALIDATION], requiredIn),
        note: 'No recording of a missing member exists; the message form "Member must not be null" is the notes\' inferred validation grammar (§5.1).',
      });
    }
    const jt = jsonTypeOf(m);
    out.push(
      make(
        op,
        name,
        'type',
        `${op} ${name} is a JSON ${jt === 'integer' ? 'number with an integer value' : jt} (Smithy ${m.type} ${m.shape}).`,
        [{ tag: 'M1', quote: `"type": "${m.type}"`, where: `${op}Request.${name} → ${m.shape}` }, SERIALIZATION_SOURCE],
        [SERIALIZATION, VALIDATION],
      ),
    );
    out.push(...constraintRules(op, name, m, name));
    if (m.member !== undefined) out.push(...itemRules(op, name, m.member));
  }
  return out;
}

/** Every generated member rule, operation by operation in `OPERATIONS` order. */
export const MEMBER_RULES: readonly Rule[] = OPERATIONS.flatMap((op) => memberRulesOf(op));
