/**
 * Named mutations that turn a valid key policy into one that breaks exactly one contract rule
 * (or that the contract cannot decide). Each mutation carries the label it produces; the label is
 * re-checked with the contract's checker by the invalid generator.
 */
import { acceptsMissing, type GeneratorContext } from './context.ts';
import { JsonObject, RawJson, renderJson, type JsonValue, type TextStyle } from './json-text.ts';
import { invalid, POLICY_RULE, unspecified, type CaseLabel } from './labels.ts';
import { applyLockout, type Lockout } from './lockout.ts';
import { padTo, type PadTarget } from './policy-case.ts';
import { policyToJson, type PolicyModel } from './policy-model.ts';
import { POLICY_MAX_CHARS, POLICY_QUOTA_BYTES } from './sizes.ts';

/** What a mutation starts from: a valid model, its style, and seeded choices. */
export interface MutationInput {
  readonly model: PolicyModel;
  readonly style: TextStyle;
  /** A seeded number the mutation uses for its choices (which statement, which variant, where). */
  readonly pick: number;
  /** A lockout change, for the lockout mutations. */
  readonly lockout: Lockout;
  readonly ctx: GeneratorContext;
}

/** What a mutation produces: the policy text and the bypass flag it is meant with. */
export interface MutationOutput {
  readonly policy: string;
  readonly bypassPolicyLockoutSafetyCheck?: boolean;
}

/** A named mutation and the label of what it produces. */
export interface PolicyMutation {
  /** Stable name, e.g. `statement.principal.missing`; reported in labels and statistics. */
  readonly name: string;
  readonly label: (ctx: GeneratorContext) => CaseLabel;
  /** Whether the mutation means something under the context's contract version. */
  readonly applies?: (ctx: GeneratorContext) => boolean;
  readonly apply: (input: MutationInput) => MutationOutput | undefined;
}

// ---------------------------------------------------------------------------------------------
// Helpers on the ordered JSON model
// ---------------------------------------------------------------------------------------------

/** Replaces (or removes with `undefined`, or appends) the entry `key` of an object. */
function setEntry(obj: JsonObject, key: string, value: JsonValue | undefined, appendAt?: number): JsonObject {
  const has = obj.entries.some(([k]) => k === key);
  if (!has) {
    if (value === undefined) return obj;
    const entries = [...obj.entries];
    entries.splice(appendAt === undefined ? entries.length : appendAt % (entries.length + 1), 0, [key, value]);
    return new JsonObject(entries);
  }
  const entries: (readonly [string, JsonValue])[] = [];
  for (const [k, v] of obj.entries) {
    if (k !== key) entries.push([k, v]);
    else if (value !== undefined) entries.push([k, value]);
  }
  return new JsonObject(entries);
}

function entryOf(obj: JsonObject, key: string): JsonValue | undefined {
  return obj.entries.find(([k]) => k === key)?.[1];
}

function statementsOf(doc: JsonObject): JsonObject[] {
  const st = entryOf(doc, 'Statement');
  return Array.isArray(st) ? (st as JsonValue[]).filter((s): s is JsonObject => s instanceof JsonObject) : [];
}

/** Applies `f` to the statement at `pick % n` of the document. */
function onStatement(doc: JsonObject, pick: number, f: (s: JsonObject) => JsonObject): JsonObject {
  const stmts = statementsOf(doc);
  const at = pick % Math.max(1, stmts.length);
  return setEntry(doc, 'Statement', stmts.map((s, i) => (i === at ? f(s) : s)));
}

/** Appends a statement to the document. */
function addStatement(doc: JsonObject, s: JsonObject): JsonObject {
  return setEntry(doc, 'Statement', [...statementsOf(doc), s]);
}

const choose = <T>(xs: readonly T[], pick: number): T => xs[pick % xs.length] as T;

/** A mutation of the ordered JSON, rendered in the case's own style. */
function jsonMutation(name: string, label: (ctx: GeneratorContext) => CaseLabel, f: (doc: JsonObject, input: MutationInput) => JsonValue | undefined, applies?: (ctx: GeneratorContext) => boolean): PolicyMutation {
  return {
    name,
    label,
    ...(applies ? { applies } : {}),
    apply: (input) => {
      const out = f(policyToJson(input.model), input);
      return out === undefined ? undefined : { policy: renderJson(out, input.style) };
    },
  };
}

const rendered = (input: MutationInput): string => renderJson(policyToJson(input.model), input.style);

/**
 * The policy with `ch` written raw (unescaped) inside the `Id` string. JSON encoders escape control
 * characters, so the character replaces a placeholder after rendering.
 */
function withRawChar(input: MutationInput, ch: string): MutationOutput {
  const placeholder = 'RAW-CHARACTER-HERE';
  const model: PolicyModel = { ...input.model, id: `key-policy ${placeholder}` };
  const text = renderJson(policyToJson(model), { ...input.style, escapeNonAscii: false });
  return { policy: text.replace(placeholder, ch) };
}

/**
 * The policy padded to exactly `target` characters with `unit`, in the Id, a Sid or trailing
 * whitespace. Non-ASCII is escaped, so characters and UTF-8 bytes agree and the case is over (or
 * under) both measures of the quota at once.
 */
function padded(input: MutationInput, target: number, unit: string): MutationOutput | undefined {
  const where = choose<PadTarget>(['id', 'sid', 'whitespace'], input.pick);
  const p = padTo(input.model, { ...input.style, escapeNonAscii: true }, target, 'chars', where, unit);
  return p && { policy: p.text };
}

const decided = (ruleId: string, mutation: string, also: readonly string[] = []) => (): CaseLabel => invalid(ruleId, mutation, also);
const open = (ruleId: string, mutation: string, reason: string) => (): CaseLabel => unspecified(mutation, reason, ruleId);

// ---------------------------------------------------------------------------------------------
// The mutations
// ---------------------------------------------------------------------------------------------

/** Every policy mutation, in catalogue order. */
export const POLICY_MUTATIONS: readonly PolicyMutation[] = [
  {
    name: 'document.notJson.truncated',
    label: decided(POLICY_RULE.json, 'document.notJson.truncated'),
    apply: (input) => {
      const text = rendered(input);
      const end = text.lastIndexOf('}');
      return end < 2 ? undefined : { policy: text.slice(0, 1 + (input.pick % (end - 1))) };
    },
  },
  {
    name: 'document.notJson.text',
    label: decided(POLICY_RULE.json, 'document.notJson.text'),
    apply: (input) => {
      const text = rendered(input);
      const variants = [
        'not a real policy statement',
        `${text} }`,
        text.replace(/"/g, "'"),
        text.replace(/(\}\s*)$/, ',$1'),
        `${text.replace(/\]\s*\}\s*$/, '')},]}`,
      ];
      return { policy: choose(variants, input.pick) };
    },
  },
  {
    name: 'document.topLevel.notObject',
    label: decided(POLICY_RULE.object, 'document.topLevel.notObject'),
    apply: (input) => {
      const text = rendered(input);
      return { policy: choose([`[${text}]`, JSON.stringify(text), '42', 'null', 'true', '[]'], input.pick) };
    },
  },
  jsonMutation(
    'document.duplicateKey',
    open(POLICY_RULE.duplicateKey, 'document.duplicateKey', 'Duplicate keys: the contract does not say whether KMS rejects them or keeps one (decision 0101).'),
    (doc, { pick }) =>
      pick % 2 === 0
        ? new JsonObject([['Version', '2012-10-17'], ...doc.entries])
        : onStatement(doc, pick >> 1, (s) => new JsonObject([...s.entries, ...s.entries.filter(([k]) => k === 'Effect')])),
  ),
  jsonMutation('document.unknownElement', decided(POLICY_RULE.unknownElement, 'document.unknownElement'), (doc, { pick }) =>
    setEntry(doc, choose(['Metadata', 'version', 'Statements', 'Comment'], pick), choose<JsonValue>(['x', '2012-10-17', []], pick >> 2), pick >> 4),
  ),
  jsonMutation(
    'document.version.missing',
    open(POLICY_RULE.version, 'document.version.missing', 'Version is listed as required (DG) but no source says whether KMS rejects a policy without it (decision 0101).'),
    (doc) => setEntry(doc, 'Version', undefined),
  ),
  jsonMutation('document.version.invalid', decided(POLICY_RULE.version, 'document.version.invalid'), (doc, { pick }) =>
    setEntry(doc, 'Version', choose<JsonValue>(['2012-10-18', '2013-01-01', '', '2012-10-17 ', 20121017, null], pick)),
  ),
  jsonMutation(
    'document.version.2008',
    open(POLICY_RULE.version, 'document.version.2008', 'Version 2008-10-17 is valid IAM grammar but KMS documents only 2012-10-17 (decision 0101).'),
    (doc) => setEntry(doc, 'Version', '2008-10-17'),
  ),
  jsonMutation('document.id.invalid', decided(POLICY_RULE.id, 'document.id.invalid'), (doc, { pick }) =>
    setEntry(doc, 'Id', choose<JsonValue>([7, ['key-policy'], new JsonObject([]), true, null], pick), pick >> 3),
  ),
  jsonMutation('document.statement.missing', decided(POLICY_RULE.statement, 'document.statement.missing'), (doc) => setEntry(doc, 'Statement', undefined)),
  jsonMutation('document.statement.empty', decided(POLICY_RULE.statement, 'document.statement.empty'), (doc) => setEntry(doc, 'Statement', [])),
  jsonMutation('document.statement.notObject', decided(POLICY_RULE.statement, 'document.statement.notObject'), (doc, { pick }) => {
    const stmts = statementsOf(doc);
    return setEntry(doc, 'Statement', choose<JsonValue>(['Allow everything', 1, [...stmts, 'extra'], [...stmts, [stmts[0] ?? null]], [...stmts, null]], pick));
  }),
  {
    name: 'document.statement.object',
    label: open(POLICY_RULE.statement, 'document.statement.object', 'Statement as a single object is IAM grammar, but KMS documents and examples show only a list (decision 0101).'),
    apply: (input) => {
      const guard = input.model.statements.find((s) => s.role === 'guard');
      if (!guard) return undefined;
      return { policy: renderJson(policyToJson({ ...input.model, statementForm: 'object', statements: [guard] }), input.style) };
    },
  },
  jsonMutation('statement.unknownElement', decided(POLICY_RULE.statementUnknownElement, 'statement.unknownElement'), (doc, { pick }) =>
    onStatement(doc, pick >> 3, (s) => setEntry(s, choose(['Comment', 'effect', 'Principals', 'Description', 'Actions'], pick), 'x', pick >> 1)),
  ),
  jsonMutation('statement.sid.notString', decided(POLICY_RULE.sid, 'statement.sid.notString'), (doc, { pick }) =>
    onStatement(doc, pick >> 2, (s) => setEntry(s, 'Sid', choose<JsonValue>([1, ['Sid'], new JsonObject([]), false], pick), 0)),
  ),
  jsonMutation('statement.effect.missing', decided(POLICY_RULE.effect, 'statement.effect.missing'), (doc, { pick }) => onStatement(doc, pick, (s) => setEntry(s, 'Effect', undefined))),
  jsonMutation('statement.effect.invalid', decided(POLICY_RULE.effect, 'statement.effect.invalid'), (doc, { pick }) =>
    onStatement(doc, pick >> 3, (s) => setEntry(s, 'Effect', choose<JsonValue>(['allow', 'DENY', 'Permit', '', 'Allow ', true, ['Allow']], pick))),
  ),
  jsonMutation('statement.principal.missing', decided(POLICY_RULE.principalRequired, 'statement.principal.missing'), (doc, { pick }) =>
    onStatement(doc, pick, (s) => setEntry(s, 'Principal', undefined)),
  ),
  jsonMutation('statement.principal.malformed', decided(POLICY_RULE.principalValid, 'statement.principal.malformed'), (doc, { pick }) => {
    const bad = choose<JsonValue>([new JsonObject([['AWS', 'not-an-arn']]), new JsonObject([['AWS', 12]]), new JsonObject([['Everyone', '*']]), 'everyone', ['*']], pick);
    return onStatement(doc, pick >> 3, (s) => setEntry(s, 'Principal', bad));
  }),
  // A principal written as an ARN that is not a valid one: InvalidArnException is documented too (decision 0601).
  jsonMutation('statement.principal.malformedArn', decided(POLICY_RULE.principalArn, 'statement.principal.malformedArn'), (doc, { pick, ctx }) => {
    const bad = choose<string>(
      [
        `arn:${ctx.partition}:iam::${ctx.accountId}:group/Admins`,
        `arn:${ctx.partition}:iam::12345:root`,
        `arn:${ctx.partition}:iam::${ctx.accountId}:role/*`,
        `arn:${ctx.partition}:iam:${ctx.region}:${ctx.accountId}:root`,
        `arn:${ctx.partition}:s3:::bucket`,
      ],
      pick,
    );
    return onStatement(doc, pick >> 3, (s) => setEntry(s, 'Principal', new JsonObject([['AWS', pick % 2 === 0 ? bad : [bad]]])));
  }),
  jsonMutation('statement.principal.nonexistent', decided(POLICY_RULE.principalExists, 'statement.principal.nonexistent'), (doc, { pick, ctx }) => {
    const missing = choose(
      [`arn:${ctx.partition}:iam::${ctx.accountId}:role/DoesNotExist`, `arn:${ctx.partition}:iam::${ctx.accountId}:user/former-employee`],
      pick,
    );
    if (pick % 4 < 2) {
      return addStatement(
        doc,
        new JsonObject([
          ['Effect', 'Allow'],
          ['Principal', new JsonObject([['AWS', pick % 2 === 0 ? missing : [missing]]])],
          ['Action', ['kms:Encrypt', 'kms:Decrypt']],
          ['Resource', '*'],
        ]),
      );
    }
    // Add the missing principal next to those a statement already names.
    return onStatement(doc, pick >> 2, (s) => {
      const p = entryOf(s, 'Principal');
      if (!(p instanceof JsonObject)) return setEntry(s, 'Principal', new JsonObject([['AWS', ['*', missing]]]));
      const aws = entryOf(p, 'AWS');
      const list = aws === undefined ? [missing] : Array.isArray(aws) ? [...(aws as JsonValue[]), missing] : [aws, missing];
      return setEntry(s, 'Principal', setEntry(p, 'AWS', list));
    });
  }),
  jsonMutation(
    'statement.principal.otherAccount',
    open(POLICY_RULE.principalExists, 'statement.principal.otherAccount', "Another account's principals cannot be known to exist (decision 0104)."),
    (doc, { pick, ctx }) =>
      addStatement(
        doc,
        new JsonObject([
          ['Effect', 'Allow'],
          ['Principal', new JsonObject([['AWS', choose([`arn:${ctx.partition}:iam::444455556666:role/Partner`, `arn:${ctx.partition}:iam::444455556666:user/auditor`], pick)]])],
          ['Action', 'kms:Decrypt'],
          ['Resource', '*'],
        ]),
      ),
  ),
  jsonMutation('statement.notPrincipal.allow', decided(POLICY_RULE.notPrincipal, 'statement.notPrincipal.allow'), (doc, { ctx }) =>
    addStatement(
      doc,
      new JsonObject([
        ['Effect', 'Allow'],
        ['NotPrincipal', new JsonObject([['AWS', `arn:${ctx.partition}:iam::${ctx.accountId}:user/Alice`]])],
        ['Action', 'kms:Decrypt'],
        ['Resource', '*'],
      ]),
    ),
  ),
  jsonMutation(
    'statement.notPrincipal.deny',
    open(POLICY_RULE.notPrincipalDeny, 'statement.notPrincipal.deny', 'NotPrincipal with Deny is IAM grammar that KMS documentation never mentions (decision 0101).'),
    (doc, { ctx }) =>
      addStatement(
        doc,
        new JsonObject([
          ['Effect', 'Deny'],
          ['NotPrincipal', new JsonObject([['AWS', [ctx.caller.arn, `arn:${ctx.partition}:iam::${ctx.accountId}:root`]]])],
          ['Action', 'kms:ScheduleKeyDeletion'],
          ['Resource', '*'],
        ]),
      ),
  ),
  jsonMutation('statement.action.invalid', decided(POLICY_RULE.actionValid, 'statement.action.invalid'), (doc, { pick }) =>
    onStatement(doc, pick >> 3, (s) => setEntry(s, 'Action', choose<JsonValue>(['kms', 'PutKeyPolicy', '', 'kms PutKeyPolicy', 5, [], new JsonObject([])], pick), pick >> 1)),
  ),
  jsonMutation(
    'statement.action.otherService',
    open(POLICY_RULE.actionValid, 'statement.action.otherService', 'Actions of other services in a key policy: not documented either way (decision 0101).'),
    (doc, { pick }) =>
      addStatement(
        doc,
        new JsonObject([
          ['Effect', 'Allow'],
          ['Principal', new JsonObject([['Service', 'cloudtrail.amazonaws.com']])],
          ['Action', choose<JsonValue>(['s3:GetObject', 'iam:PassRole', ['kms:Decrypt', 'sqs:SendMessage']], pick)],
          ['Resource', '*'],
        ]),
      ),
  ),
  jsonMutation(
    'statement.action.notAction',
    open(POLICY_RULE.actionValid, 'statement.action.notAction', 'NotAction is IAM grammar that KMS documentation never mentions (decision 0101).'),
    (doc) =>
      addStatement(
        doc,
        new JsonObject([
          ['Effect', 'Allow'],
          ['Principal', new JsonObject([['Service', 'cloudtrail.amazonaws.com']])],
          ['NotAction', ['kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy']],
          ['Resource', '*'],
        ]),
      ),
  ),
  jsonMutation('statement.action.both', decided(POLICY_RULE.actionValid, 'statement.action.both'), (doc, { pick }) =>
    onStatement(doc, pick, (s) => setEntry(setEntry(s, 'Action', entryOf(s, 'Action') ?? 'kms:Encrypt'), 'NotAction', 'kms:Decrypt')),
  ),
  jsonMutation(
    'statement.action.removed',
    decided(POLICY_RULE.actionMissing, 'statement.action.removed'),
    (doc, { pick }) => onStatement(doc, pick, (s) => setEntry(s, 'Action', undefined)),
    (ctx) => !acceptsMissing(ctx, 'Action'),
  ),
  jsonMutation(
    'statement.resource.removed',
    decided(POLICY_RULE.resourceMissing, 'statement.resource.removed'),
    (doc, { pick }) => onStatement(doc, pick, (s) => setEntry(s, 'Resource', undefined)),
    (ctx) => !acceptsMissing(ctx, 'Resource'),
  ),
  jsonMutation('statement.resource.invalid', decided(POLICY_RULE.resourceValid, 'statement.resource.invalid'), (doc, { pick }) =>
    onStatement(doc, pick >> 3, (s) => setEntry(s, 'Resource', choose<JsonValue>(['this key', 'key/1234', '', 1, new JsonObject([]), [true]], pick))),
  ),
  jsonMutation(
    'statement.resource.keyArn',
    open(POLICY_RULE.resourceValid, 'statement.resource.keyArn', 'A Resource other than "*" (e.g. the key ARN): DG says "*" but no source says other values fail (decision 0101).'),
    (doc, { pick, ctx }) => onStatement(doc, pick, (s) => setEntry(s, 'Resource', `arn:${ctx.partition}:kms:${ctx.region}:${ctx.accountId}:key/*`)),
  ),
  jsonMutation(
    'statement.resource.notResource',
    open(POLICY_RULE.resourceValid, 'statement.resource.notResource', 'NotResource is IAM grammar that KMS documentation never mentions (decision 0101).'),
    (doc) =>
      addStatement(
        doc,
        new JsonObject([
          ['Effect', 'Deny'],
          ['Principal', new JsonObject([['Service', 's3.amazonaws.com']])],
          ['Action', 'kms:Decrypt'],
          ['NotResource', '*'],
        ]),
      ),
  ),
  jsonMutation('statement.condition.invalid', decided(POLICY_RULE.condition, 'statement.condition.invalid'), (doc, { pick }) =>
    onStatement(doc, pick >> 3, (s) =>
      setEntry(
        s,
        'Condition',
        choose<JsonValue>(
          [
            'aws:SecureTransport',
            new JsonObject([['StringEqualz', new JsonObject([['kms:CallerAccount', '111122223333']])]]),
            new JsonObject([['StringEquals', 'kms:CallerAccount']]),
            new JsonObject([['Bool', ['aws:SecureTransport']]]),
            [],
            new JsonObject([['IfExists', new JsonObject([['aws:SourceIp', '192.0.2.1']])]]),
          ],
          pick,
        ),
      ),
    ),
  ),
  jsonMutation(
    'statement.condition.keyWithoutPrefix',
    open(POLICY_RULE.condition, 'statement.condition.keyWithoutPrefix', 'A condition key without service prefix: IAM ignores unknown keys, KMS says nothing (decision 0101).'),
    (doc, { pick }) =>
      addStatement(
        doc,
        new JsonObject([
          ['Effect', 'Deny'],
          ['Principal', '*'],
          ['Action', 'kms:Decrypt'],
          ['Resource', '*'],
          ['Condition', new JsonObject([['StringEquals', new JsonObject([[choose(['CallerAccount', 'SourceIp', 'department'], pick), 'x']])]])],
        ]),
      ),
  ),
  {
    name: 'lockout.bypassFalse',
    label: decided(POLICY_RULE.lockout, 'lockout.bypassFalse'),
    apply: (input) => ({ policy: renderJson(policyToJson(applyLockout(input.model, input.lockout)), input.style), bypassPolicyLockoutSafetyCheck: false }),
  },
  {
    name: 'lockout.bypassAbsent',
    label: decided(POLICY_RULE.lockout, 'lockout.bypassAbsent'),
    apply: (input) => ({ policy: renderJson(policyToJson(applyLockout(input.model, input.lockout)), input.style) }),
  },
  {
    name: 'size.overQuotaByOne',
    label: decided(POLICY_RULE.sizeQuota, 'size.overQuotaByOne'),
    apply: (input) => padded(input, POLICY_QUOTA_BYTES + 1, choose(['x', 'Key admin ', ' '], input.pick >> 2)),
  },
  {
    name: 'size.farOverQuota',
    label: decided(POLICY_RULE.sizeQuota, 'size.farOverQuota'),
    apply: (input) => padded(input, POLICY_MAX_CHARS, choose(['x', 'Key admin ', ' '], input.pick >> 2)),
  },
  {
    name: 'size.overModelMaxByOne',
    label: decided(POLICY_RULE.lengthMax, 'size.overModelMaxByOne', [POLICY_RULE.sizeQuota]),
    apply: (input) => padded(input, POLICY_MAX_CHARS + 1, choose(['x', 'Key admin ', ' '], input.pick >> 2)),
  },
  {
    name: 'size.bytesOverCharsUnder',
    // Over 32,768 UTF-8 bytes but at most 32,768 characters: the quota rule's documented
    // disagreement (bytes or characters, contract notes §11.2); its outcomes include success.
    label: decided(POLICY_RULE.sizeQuota, 'size.bytesOverCharsUnder'),
    apply: (input) => {
      const style = { ...input.style, escapeNonAscii: false };
      const p = padTo(input.model, style, POLICY_QUOTA_BYTES + 1 + (input.pick % 64), 'bytes', input.pick % 2 === 0 ? 'id' : 'sid', 'é');
      return p && { policy: p.text };
    },
  },
  {
    name: 'charset.control',
    label: decided(POLICY_RULE.pattern, 'charset.control', [POLICY_RULE.json]),
    apply: (input) => withRawChar(input, String.fromCharCode(choose([0x00, 0x01, 0x07, 0x08, 0x0b, 0x0c, 0x1b, 0x1f], input.pick))),
  },
  {
    name: 'charset.aboveLatin1',
    label: decided(POLICY_RULE.pattern, 'charset.aboveLatin1'),
    apply: (input) => withRawChar(input, String.fromCharCode(choose([0x0100, 0x0152, 0x2013, 0x20ac, 0x4e2d, 0xfeff, 0xfffd], input.pick))),
  },
  {
    name: 'charset.astral',
    label: decided(POLICY_RULE.pattern, 'charset.astral'),
    apply: (input) => withRawChar(input, String.fromCodePoint(choose([0x1f511, 0x10000, 0x1d11e, 0x10ffff], input.pick))),
  },
  {
    name: 'charset.del',
    label: decided(POLICY_RULE.printable, 'charset.del'),
    apply: (input) => withRawChar(input, '\u007f'),
  },
  {
    name: 'charset.c1',
    label: decided(POLICY_RULE.printable, 'charset.c1'),
    apply: (input) => withRawChar(input, String.fromCharCode(0x80 + (input.pick % 32))),
  },
  {
    name: 'empty',
    label: decided(POLICY_RULE.lengthMin, 'empty', [POLICY_RULE.pattern, POLICY_RULE.json]),
    apply: () => ({ policy: '' }),
  },
  {
    name: 'whitespaceOnly',
    label: decided(POLICY_RULE.json, 'whitespaceOnly'),
    apply: (input) => ({ policy: choose([' ', '\n', '\r\n\t ', '   '], input.pick) }),
  },
  {
    name: 'document.numberSpelling',
    label: decided(POLICY_RULE.version, 'document.numberSpelling'),
    apply: (input) => ({ policy: renderJson(setEntry(policyToJson(input.model), 'Version', new RawJson(choose(['2012.1017', '2e3', '-0'], input.pick))), input.style) }),
  },
];

/** Names of every mutation (the statistics expect each to appear in the default run). */
export const POLICY_MUTATION_NAMES: readonly string[] = POLICY_MUTATIONS.map((m) => m.name);

/** Mutations that mean something under the context's contract version. */
export function mutationsFor(ctx: GeneratorContext): readonly PolicyMutation[] {
  return POLICY_MUTATIONS.filter((m) => m.applies === undefined || m.applies(ctx));
}
