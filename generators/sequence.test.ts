import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expected } from '../contract/oracle.ts';
import { CONTRACT_VERSIONS } from '../contract/types.ts';
import { createGeneratorContext } from './context.ts';
import { worldFromSetup } from './request-case.ts';
import { describeStep, SEQUENCE_KEY_ID, SEQUENCE_POLICIES, SEQUENCE_SETUP, sequencePolicy, sequenceSeed, sequenceStepArbitraries, stepFromJson, stepRequest, type SequenceStep } from './sequence.ts';

describe('sequence steps', () => {
  it.each(CONTRACT_VERSIONS.map((v) => [v]))('every policy a PutKeyPolicy step puts is accepted on the set-up key (contract %s)', (version) => {
    const ctx = createGeneratorContext({ version });
    const world = worldFromSetup(SEQUENCE_SETUP, ctx);
    for (let n = 0; n < SEQUENCE_POLICIES; n++) {
      const req = stepRequest({ op: 'PutKeyPolicy', key: 0, policy: n }, [SEQUENCE_KEY_ID], ctx)!;
      const e = expected(req, world, ctx.caller, version);
      expect(e.kind === 'decided' ? e.outcomes : e, `policy ${n}`).toEqual([{ kind: 'success' }]);
    }
    expect(new Set(Array.from({ length: SEQUENCE_POLICIES }, (_, n) => sequencePolicy(ctx, n))).size).toBe(SEQUENCE_POLICIES);
  });

  it('names only keys the sequence has (a step on a key no CreateKey made has no request)', () => {
    const ctx = createGeneratorContext();
    expect(stepRequest({ op: 'DisableKey', key: 1 }, [SEQUENCE_KEY_ID], ctx)).toBeUndefined();
    expect(stepRequest({ op: 'DisableKey', key: 0 }, [SEQUENCE_KEY_ID], ctx)).toEqual({ operation: 'DisableKey', input: { KeyId: SEQUENCE_KEY_ID } });
    expect(stepRequest({ op: 'CreateAlias', alias: 1, key: 0 }, [SEQUENCE_KEY_ID], ctx, (n) => `alias/own-${n}`)).toEqual({ operation: 'CreateAlias', input: { AliasName: 'alias/own-1', TargetKeyId: SEQUENCE_KEY_ID } });
  });

  it('reads back what it writes, and says what is wrong with a step that is not one', () => {
    fc.assert(
      fc.property(fc.oneof(...sequenceStepArbitraries()), (s: SequenceStep) => {
        expect(stepFromJson(JSON.parse(JSON.stringify(s)))).toEqual(s);
        expect(describeStep(s)).toMatch(new RegExp(`^${s.op}\\(`));
      }),
      { numRuns: 200 },
    );
    expect(() => stepFromJson({ op: 'DeleteKey', key: 0 })).toThrow(/op one of PutKeyPolicy, .*ListAliases, got \{"op":"DeleteKey","key":0\}/);
    expect(() => stepFromJson({ op: 'PutKeyPolicy', key: 0, policy: 9 })).toThrow(/policy must be a whole number from 0 to 2/);
    expect(() => stepFromJson({ op: 'EnableKey' })).toThrow(/key must be a whole number/);
  });

  it('gives every sequence of a run its own seed, the same for the same run seed', () => {
    const seeds = Array.from({ length: 50 }, (_, i) => sequenceSeed(42, i));
    expect(new Set(seeds).size).toBe(50);
    expect(seeds).toEqual(Array.from({ length: 50 }, (_, i) => sequenceSeed(42, i)));
    expect(sequenceSeed(43, 0)).not.toBe(sequenceSeed(42, 0));
  });
});
