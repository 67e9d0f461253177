/**
 * A generated key policy case (the text, its label, the lockout flag it is meant to be sent with,
 * and the features it exercises) and the exact-size padding both policy generators use.
 */
import { renderJson, scalarLength, utf8Length, type TextStyle } from './json-text.ts';
import type { CaseLabel } from './labels.ts';
import { policyToJson, type PolicyModel } from './policy-model.ts';

/** One generated key policy. */
export interface PolicyCase {
  /** The policy text, exactly as it goes into the `Policy` member. */
  readonly policy: string;
  readonly label: CaseLabel;
  /** The `BypassPolicyLockoutSafetyCheck` value the case is meant to be sent with (absent: not sent). */
  readonly bypassPolicyLockoutSafetyCheck?: boolean;
  /**
   * What the case exercises: for valid cases grammar, formatting and size features (names of
   * `VALID_POLICY_FEATURES`); for invalid ones `mutation:<name>` and, for lockout mutations,
   * `lockout.<strategy>` (see `declaredFeatures`).
   */
  readonly features: readonly string[];
}

/** Where padding goes to reach an exact size: into the `Id`, the first `Sid`, or trailing whitespace. */
export type PadTarget = 'id' | 'sid' | 'whitespace';

/** What to count when padding: UTF-8 bytes (the 32 KB quota) or Unicode scalar values (the model length). */
export type PadMeasure = 'bytes' | 'chars';

/** A padded model and its text. */
export interface Padded {
  readonly model: PolicyModel;
  readonly text: string;
}

function withPad(model: PolicyModel, where: PadTarget, pad: string): PolicyModel {
  if (where === 'id') return { ...model, id: `${model.id ?? 'key-policy'}${pad}` };
  if (where === 'sid') {
    const [first, ...rest] = model.statements;
    if (!first) return model;
    return { ...model, statements: [{ ...first, sid: `${first.sid ?? 'Padding'}${pad}` }, ...rest] };
  }
  return model;
}

/**
 * Renders `model` padded so that the text is exactly `target` bytes or characters long. The pad is
 * `unit` repeated (e.g. `é`, two bytes raw, six escaped) and topped up with one-byte filler, so the
 * size is exact whatever the style. Returns `undefined` when the unpadded text is already larger.
 */
export function padTo(model: PolicyModel, style: TextStyle, target: number, measure: PadMeasure, where: PadTarget, unit: string): Padded | undefined {
  const size = measure === 'bytes' ? utf8Length : scalarLength;
  const render = (pad: string): { model: PolicyModel; text: string } => {
    const m = withPad(model, where, where === 'whitespace' ? '' : pad);
    const text = renderJson(policyToJson(m), style);
    return { model: m, text: where === 'whitespace' ? `${text}${pad}` : text };
  };
  const wsUnit = where === 'whitespace' ? (/^[ \t\r\n]+$/.test(unit) ? unit : ' ') : unit;
  const filler = where === 'whitespace' ? ' ' : 'x';
  const base = size(render('').text);
  if (base > target) return undefined;
  const unitSize = size(render(wsUnit).text) - base;
  const k = unitSize > 0 ? Math.floor((target - base) / unitSize) : 0;
  const out = render(wsUnit.repeat(k) + filler.repeat(target - base - k * unitSize));
  return size(out.text) === target ? out : undefined;
}
