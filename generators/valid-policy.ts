/**
 * Valid key policies over the grammar KMS accepts (contract notes §8): Version, optional Id,
 * statements that Allow or Deny, every principal form that exists for the context, actions with
 * wildcards, Resource `"*"`, conditions with real operators and keys, statements without Action or
 * Resource where the contract version accepts them, any element order and text layout, sizes up to
 * exactly 32,768 bytes, and every printable character. Each case keeps the caller able to call
 * PutKeyPolicy again, except the lockout cases that are meant to be sent with the bypass flag.
 */
import fc from 'fast-check';
import { acceptsMissing, DEFAULT_GENERATOR_CONTEXT, type GeneratorContext } from './context.ts';
import { renderJson, type TextStyle } from './json-text.ts';
import { VALID } from './labels.ts';
import { applyLockout, lockoutArb, type Lockout } from './lockout.ts';
import { padTo, type PadTarget, type PolicyCase } from './policy-case.ts';
import { policyFeatures, policyToJson, type PolicyModel, type StatementModel } from './policy-model.ts';
import {
  anyActionArb,
  anyPrincipalArb,
  callerActionArb,
  callerPrincipalArb,
  conditionArb,
  nonPutActionArb,
  policyIdArb,
  sidArb,
  statementOrderArb,
  topOrderArb,
} from './policy-parts.ts';
import { POLICY_QUOTA_BYTES } from './sizes.ts';
import { textStyleArb } from './text-style.ts';
import { policyCaseHolds } from './verify.ts';

/** Options of {@link validPolicyArb} and the invalid generator that builds on it. */
export interface PolicyArbOptions {
  /** The world the policies are valid for. @defaultValue {@link DEFAULT_GENERATOR_CONTEXT} */
  readonly context?: GeneratorContext;
  /** Most statements besides the one that keeps the caller in. @defaultValue 5 */
  readonly maxExtraStatements?: number;
  /**
   * Re-check every case with the contract's checker and drop those whose label does not hold
   * (so shrinking keeps the label true). Turn off only to measure raw generation speed.
   * @defaultValue true
   */
  readonly verify?: boolean;
}

/** How big a case is made: as generated, padded to exactly the quota, or padded to a large size. */
export type SizeMode =
  | { readonly kind: 'natural' }
  | { readonly kind: 'exact'; readonly bytes: number; readonly where: PadTarget; readonly unit: string; readonly feature: string };

/** A valid policy before rendering: the model, the text style and the size mode. */
export interface ValidPolicyParts {
  readonly model: PolicyModel;
  readonly style: TextStyle;
  readonly size: SizeMode;
}

const opt = <T>(arb: fc.Arbitrary<T>, freq = 2): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined, freq });

function statement(
  base: Omit<StatementModel, 'sid' | 'action' | 'resource' | 'condition'>,
  parts: { sid: string | undefined; action: StatementModel['action']; resource: StatementModel['resource']; condition: StatementModel['condition'] },
): StatementModel {
  return {
    ...base,
    ...(parts.sid === undefined ? {} : { sid: parts.sid }),
    ...(parts.action === undefined ? {} : { action: parts.action }),
    ...(parts.resource === undefined ? {} : { resource: parts.resource }),
    ...(parts.condition === undefined ? {} : { condition: parts.condition }),
  };
}

/** A statement that lets the caller call PutKeyPolicy: Allow, caller covered, no condition. */
export function guardStatementArb(ctx: GeneratorContext): fc.Arbitrary<StatementModel> {
  return fc
    .record({ sid: opt(sidArb(), 3), principal: callerPrincipalArb(ctx), action: callerActionArb(), resourceAsList: fc.boolean(), keyOrder: statementOrderArb() })
    .map((r) =>
      statement(
        { role: 'guard', effect: 'Allow', principal: r.principal, keyOrder: r.keyOrder },
        { sid: r.sid, action: r.action, resource: { asList: r.resourceAsList }, condition: undefined },
      ),
    );
}

/** An Allow for any existing principals; without Action or Resource only where the version accepts that. */
export function grantStatementArb(ctx: GeneratorContext): fc.Arbitrary<StatementModel> {
  const resource = fc.record({ asList: fc.boolean() });
  return fc
    .record({
      sid: opt(sidArb(), 3),
      principal: anyPrincipalArb(ctx),
      action: acceptsMissing(ctx, 'Action') ? opt(anyActionArb(), 8) : anyActionArb(),
      resource: acceptsMissing(ctx, 'Resource') ? opt(resource, 8) : resource,
      condition: opt(conditionArb(ctx), 2),
      keyOrder: statementOrderArb(),
    })
    .map((r) => statement({ role: 'grant', effect: 'Allow', principal: r.principal, keyOrder: r.keyOrder }, r));
}

/** A Deny that never covers `kms:PutKeyPolicy`. */
export function denyStatementArb(ctx: GeneratorContext): fc.Arbitrary<StatementModel> {
  return fc
    .record({
      sid: opt(sidArb(), 3),
      principal: anyPrincipalArb(ctx),
      action: nonPutActionArb(),
      resource: fc.record({ asList: fc.boolean() }),
      condition: opt(conditionArb(ctx), 2),
      keyOrder: statementOrderArb(),
    })
    .map((r) => statement({ role: 'deny', effect: 'Deny', principal: r.principal, keyOrder: r.keyOrder }, r));
}

/** A valid policy model: one guard statement among up to `maxExtra` grant and deny statements. */
export function validModelArb(ctx: GeneratorContext, maxExtra = 5): fc.Arbitrary<PolicyModel> {
  return fc
    .record({
      guard: guardStatementArb(ctx),
      others: fc.array(fc.oneof({ weight: 3, arbitrary: grantStatementArb(ctx) }, { weight: 2, arbitrary: denyStatementArb(ctx) }), { maxLength: maxExtra }),
      at: fc.nat(),
      id: opt(policyIdArb(), 2),
      keyOrder: topOrderArb(),
    })
    .map((r): PolicyModel => {
      const statements = [...r.others];
      statements.splice(r.at % (statements.length + 1), 0, r.guard);
      return {
        version: '2012-10-17',
        ...(r.id === undefined ? {} : { id: r.id }),
        statementForm: 'array',
        statements,
        keyOrder: r.keyOrder,
      };
    });
}

/** Size modes: mostly natural; exactly the quota, or a large size under it, padded in the Id, a Sid or whitespace. */
export function sizeModeArb(): fc.Arbitrary<SizeMode> {
  const padded = (bytes: fc.Arbitrary<number>, feature: string): fc.Arbitrary<SizeMode> =>
    fc
      .record({
        bytes,
        where: fc.constantFrom<PadTarget>('id', 'sid', 'whitespace'),
        unit: fc.constantFrom('x', 'Key admin ', 'é', 'ÿ ', '\t', '\r\n'),
      })
      .map((r): SizeMode => ({ kind: 'exact', bytes: r.bytes, where: r.where, unit: r.unit, feature }));
  return fc.oneof(
    { weight: 92, arbitrary: fc.constant<SizeMode>({ kind: 'natural' }) },
    { weight: 5, arbitrary: padded(fc.constant(POLICY_QUOTA_BYTES), 'size.exactQuota') },
    { weight: 3, arbitrary: padded(fc.integer({ min: 4096, max: POLICY_QUOTA_BYTES - 1 }), 'size.large') },
  );
}

/**
 * Renders parts to text (padding as the size mode says); `undefined` when the size cannot be met.
 * Inside the Id or a Sid, control characters of the pad unit become `x` (padTo itself turns a
 * non-whitespace unit for trailing whitespace into spaces).
 */
function renderParts(parts: ValidPolicyParts): { model: PolicyModel; text: string; sizeFeature?: string } | undefined {
  if (parts.size.kind === 'natural') return { model: parts.model, text: renderJson(policyToJson(parts.model), parts.style) };
  const unit = parts.size.where === 'whitespace' ? parts.size.unit : parts.size.unit.replace(/[\t\r\n]/g, 'x');
  const padded = padTo(parts.model, parts.style, parts.size.bytes, 'bytes', parts.size.where, unit);
  return padded && { ...padded, sizeFeature: parts.size.feature };
}

/** A `\/` escape: a backslash after an even number of backslashes, then `/`. */
const ESCAPED_SLASH = /(?<!\\)(?:\\\\)*\\\//;

/**
 * Features only the raw text can show: the three control characters the pattern allows, the edges
 * of the printable ranges (U+007E, U+00A0, U+00FF; U+0020 is in every policy), and `\/` escapes
 * (`format.escapeSlash`: a style that escapes slashes shows only when some string has a `/`).
 */
export function textFeatures(text: string): string[] {
  const f: string[] = [];
  const has: readonly (readonly [string, string])[] = [
    ['\t', 'text.tab'],
    ['\n', 'text.lf'],
    ['\r', 'text.cr'],
    ['~', 'text.u007e'],
    ['\u00a0', 'text.u00a0'],
    ['\u00ff', 'text.u00ff'],
  ];
  for (const [ch, name] of has) if (text.includes(ch)) f.push(name);
  if (ESCAPED_SLASH.test(text)) f.push('format.escapeSlash');
  return f;
}

/** Builds the case of rendered parts. */
function toCase(ctx: GeneratorContext, rendered: { model: PolicyModel; text: string; sizeFeature?: string }, style: TextStyle, lockout: Lockout | undefined): PolicyCase {
  const features = [...policyFeatures(rendered.model, style, ctx.accountId, ctx.caller.arn), ...textFeatures(rendered.text)];
  if (rendered.sizeFeature) features.push(rendered.sizeFeature);
  if (lockout) features.push('lockout.bypassed');
  return {
    policy: rendered.text,
    label: VALID,
    ...(lockout ? { bypassPolicyLockoutSafetyCheck: true } : {}),
    features: features.sort(),
  };
}

/**
 * Valid key policies for a context. Each case's label is `valid`; cases that lock the caller out
 * carry `bypassPolicyLockoutSafetyCheck: true` (and the feature `lockout.bypassed`), all others
 * leave the caller able to call PutKeyPolicy again.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { validPolicyArb } from 'kms-conformance';
 * fc.assert(fc.asyncProperty(validPolicyArb(), async (c) => {
 *   await kms.send(new PutKeyPolicyCommand({ KeyId, Policy: c.policy,
 *     BypassPolicyLockoutSafetyCheck: c.bypassPolicyLockoutSafetyCheck }));
 * }), { numRuns: 50 });
 * ```
 */
export function validPolicyArb(options: PolicyArbOptions = {}): fc.Arbitrary<PolicyCase> {
  const ctx = options.context ?? DEFAULT_GENERATOR_CONTEXT;
  const arb = fc
    .record({
      model: validModelArb(ctx, options.maxExtraStatements ?? 5),
      style: textStyleArb(),
      size: sizeModeArb(),
      lockout: fc.oneof({ weight: 19, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: lockoutArb(ctx) }),
    })
    .map((r) => {
      const model = r.lockout ? applyLockout(r.model, r.lockout) : r.model;
      const rendered = renderParts({ model, style: r.style, size: r.size });
      return rendered && toCase(ctx, rendered, r.style, r.lockout);
    })
    .filter((c): c is PolicyCase => c !== undefined);
  return options.verify === false ? arb : arb.filter((c) => policyCaseHolds(c, ctx));
}
