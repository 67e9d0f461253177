import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyArn } from '../contract/identities.ts';
import { checkLockout, checkPolicy, parsePolicy } from '../contract/policy/index.ts';
import { caseAgreement, describeAgreement } from './agreement.ts';
import { createGeneratorContext, DEFAULT_GENERATOR_CONTEXT, type GeneratorContext } from './context.ts';
import { utf8Length } from './json-text.ts';
import type { PolicyCase } from './policy-case.ts';
import { padTo } from './policy-case.ts';
import { POLICY_QUOTA_BYTES } from './sizes.ts';
import { textStyleArb } from './text-style.ts';
import { validModelArb, validPolicyArb } from './valid-policy.ts';
import { directoryFor, GENERATOR_KEY_ID } from './verify.ts';

/** The contract's own verdict, computed here without the generator's verify module. */
function contractVerdict(c: PolicyCase, ctx: GeneratorContext): { findings: string[]; lockout: string } {
  const findings = checkPolicy(c.policy, { version: ctx.version, accountId: ctx.accountId, partition: ctx.partition, principals: directoryFor(ctx) })
    .filter((f) => f.severity !== 'accepted')
    .map((f) => `${f.severity}:${f.ruleId}`);
  const parsed = parsePolicy(c.policy, { version: ctx.version });
  const lockout = parsed.ok
    ? checkLockout(parsed.document, { caller: ctx.caller, accountId: ctx.accountId, partition: ctx.partition, keyArn: keyArn(GENERATOR_KEY_ID, ctx.region, ctx.accountId, ctx.partition) }).kind
    : 'unparsed';
  return { findings, lockout };
}

function expectValid(c: PolicyCase, ctx: GeneratorContext): void {
  expect(c.label).toEqual({ kind: 'valid' });
  const v = contractVerdict(c, ctx);
  expect(v.findings).toEqual([]);
  if (c.bypassPolicyLockoutSafetyCheck === true) {
    expect(c.features).toContain('lockout.bypassed');
    expect(v.lockout).toBe('locked-out');
  } else {
    expect(v.lockout).toBe('allowed');
  }
  expect(utf8Length(c.policy)).toBeLessThanOrEqual(POLICY_QUOTA_BYTES);
}

describe('validPolicyArb', () => {
  it('produces policies the contract checker accepts and that keep the caller in (unless sent with bypass)', () => {
    fc.assert(fc.property(validPolicyArb(), (c) => expectValid(c, DEFAULT_GENERATOR_CONTEXT)), { numRuns: 300 });
  });

  it('agrees with the oracle: every valid case is answered with success only', () => {
    fc.assert(
      fc.property(validPolicyArb(), (c) => {
        expect(describeAgreement(caseAgreement({ kind: 'valid-policy', value: c }, DEFAULT_GENERATOR_CONTEXT))).toBe('agrees');
      }),
      { numRuns: 200 },
    );
  });

  it('stays valid at every shrinking step', () => {
    const seen: PolicyCase[] = [];
    // A property that fails for most policies, so fast-check shrinks; every value it tries is recorded.
    const result = fc.check(
      fc.property(validPolicyArb(), (c) => {
        seen.push(c);
        return c.policy.length < 120;
      }),
      { seed: 4242, numRuns: 100 },
    );
    expect(result.failed).toBe(true);
    expect(result.numShrinks).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(result.numRuns);
    for (const c of seen) expectValid(c, DEFAULT_GENERATOR_CONTEXT);
  });

  it('pads to exactly 32,768 UTF-8 bytes whatever the layout and pad unit, and stays valid', () => {
    fc.assert(
      fc.property(
        validModelArb(DEFAULT_GENERATOR_CONTEXT, 3),
        textStyleArb(),
        fc.constantFrom('id', 'sid', 'whitespace') as fc.Arbitrary<'id' | 'sid' | 'whitespace'>,
        fc.constantFrom('x', 'é', 'ÿ ', '\r\n'),
        (model, style, where, unit) => {
          const p = padTo(model, style, POLICY_QUOTA_BYTES, 'bytes', where, where === 'whitespace' ? (unit === '\r\n' ? unit : ' ') : unit.trim() || 'x');
          expect(p).toBeDefined();
          expect(utf8Length(p!.text)).toBe(POLICY_QUOTA_BYTES);
          expectValid({ policy: p!.text, label: { kind: 'valid' }, features: [] }, DEFAULT_GENERATOR_CONTEXT);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('only omits Action or Resource where the contract version accepts it (2025-06-05, decision 0102)', () => {
    const ctx = createGeneratorContext({ version: '2024-03-18' });
    const cases = fc.sample(validPolicyArb({ context: ctx }), { seed: 7, numRuns: 300 });
    for (const c of cases) {
      expect(c.features).not.toContain('action.absent');
      expect(c.features).not.toContain('resource.absent');
      expectValid(c, ctx);
    }
    const latest = fc.sample(validPolicyArb(), { seed: 7, numRuns: 300 });
    expect(latest.some((c) => c.features.includes('action.absent'))).toBe(true);
  });

  it('claims the formatting features its text shows, and only those', () => {
    const cases = fc.sample(validPolicyArb(), { seed: 1, numRuns: 600 });
    const shows: Record<string, (text: string) => boolean> = {
      'format.escapeSlash': (t) => /(?<!\\)(?:\\\\)*\\\//.test(t),
      'chars.latin1.escaped': (t) => /\\u00[89a-f][0-9a-f]/.test(t),
      'chars.latin1.raw': (t) => /[\u0080-\u00ff]/.test(t),
      'format.jackson': (t) => t.includes('" : '),
      'format.newline.crlf': (t) => t.includes('\r\n'),
      'statement.array': (t) => /"Statement"\s*:\s*\[/.test(t),
    };
    for (const [feature, show] of Object.entries(shows)) {
      const claimed = cases.filter((c) => c.features.includes(feature));
      expect(claimed.length, feature).toBeGreaterThan(0);
      for (const c of claimed) expect(show(c.policy), `${feature} in ${c.policy.slice(0, 300)}`).toBe(true);
    }
    // A slash escape is claimed whenever the text has one (the style alone does not make one).
    for (const c of cases) expect(c.features.includes('format.escapeSlash')).toBe(shows['format.escapeSlash']!(c.policy));
  });

  it('is valid for another account and caller when the context says so', () => {
    const ctx = createGeneratorContext({ accountId: '444455556666', region: 'eu-west-1' });
    fc.assert(
      fc.property(validPolicyArb({ context: ctx }), (c) => {
        expect(c.policy).not.toContain('111122223333');
        expectValid(c, ctx);
      }),
      { numRuns: 100 },
    );
  });
});
