import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inputMembers } from '../contract/model.ts';
import { ruleById } from '../contract/rules/index.ts';
import { CONTRACT_VERSIONS, KEY_STATES } from '../contract/types.ts';
import { caseAgreement, describeAgreement } from './agreement.ts';
import { createGeneratorContext, DEFAULT_GENERATOR_CONTEXT } from './context.ts';
import { labelRules } from './labels.ts';
import { worldFromSetup, type RequestCase } from './request-case.ts';
import { allMemberVariants, baseInput, keyIdCaseArb, keyStateCaseArb, memberVariants, requestArb, setupFor } from './request.ts';

const ctx = DEFAULT_GENERATOR_CONTEXT;

describe('requestArb', () => {
  it.each(CONTRACT_VERSIONS.map((v) => [v]))('agrees with the oracle on every label (contract %s)', (version) => {
    const vctx = createGeneratorContext({ version });
    fc.assert(
      fc.property(requestArb({ context: vctx }), (c) => {
        expect(describeAgreement(caseAgreement({ kind: 'request', value: c }, vctx))).toBe('agrees');
      }),
      { numRuns: 800 },
    );
  });

  it('keeps every label true while shrinking (labels are derived from the shrunk values)', () => {
    const seen: RequestCase[] = [];
    const result = fc.check(
      fc.property(requestArb(), (c) => {
        seen.push(c);
        return c.label.kind === 'valid';
      }),
      { seed: 11, numRuns: 200 },
    );
    expect(result.failed).toBe(true);
    expect(result.numShrinks).toBeGreaterThan(0);
    const shrunk = seen.slice(result.numRuns);
    expect(shrunk.length).toBeGreaterThan(0);
    for (const c of shrunk) expect(describeAgreement(caseAgreement({ kind: 'request', value: c }, ctx)), JSON.stringify(c.input).slice(0, 200)).toBe('agrees');
  });

  it('every member variant of the boundary table agrees with the oracle', () => {
    for (const version of CONTRACT_VERSIONS) {
      const vctx = createGeneratorContext({ version });
      const variants = allMemberVariants(vctx);
      fc.assert(
        fc.property(fc.constantFrom(...variants), fc.uuid({ version: 4 }), (v, uuid) => {
          // Built here from the operation's minimal input, not by memberCaseArb, so a slip in either shows.
          const input: Record<string, unknown> = baseInput(v.operation, uuid, vctx);
          if (v.writeAs === undefined) {
            if (v.value === undefined) delete input[v.member];
            else input[v.member] = v.value;
          } else {
            const original = input[v.member];
            delete input[v.member];
            input[v.writeAs] = original ?? v.value;
          }
          const setup = setupFor(v.operation, uuid);
          expect(describeAgreement(caseAgreement({ kind: 'request', value: { operation: v.operation, input, setup, label: v.label, features: [] } }, vctx)), `${v.operation}.${v.member}.${v.variant}`).toBe('agrees');
        }),
        { numRuns: 600 },
      );
    }
  });

  it('covers min−1, min, max and max+1 of every length and range the model declares', () => {
    for (const op of ['PutKeyPolicy', 'ListKeyPolicies', 'ScheduleKeyDeletion', 'CreateKey'] as const) {
      const variants = memberVariants(op, ctx).map((v) => `${v.member}.${v.variant}`);
      for (const [name, m] of Object.entries(inputMembers(op))) {
        if (m.type === 'string' && m.length?.max !== undefined) expect(variants).toContain(`${name}.length.max+1`);
        if (m.type === 'string' && (m.length?.min ?? 0) >= 1) expect(variants).toContain(`${name}.length.min-1`);
        if (m.type === 'integer' && m.range) {
          for (const b of ['range.min-1', 'range.min', 'range.max', 'range.max+1']) expect(variants).toContain(`${name}.${b}`);
        }
      }
    }
    const keyId = memberVariants('PutKeyPolicy', ctx).filter((v) => v.member === 'KeyId');
    expect(keyId.find((v) => v.variant === 'length.max')?.value).toHaveLength(inputMembers('PutKeyPolicy').KeyId!.length!.max!);
    expect(keyId.find((v) => v.variant === 'length.max+1')?.value).toHaveLength(inputMembers('PutKeyPolicy').KeyId!.length!.max! + 1);
  });

  it('names only rules that exist in the catalogue', () => {
    for (const version of CONTRACT_VERSIONS) {
      for (const v of allMemberVariants(createGeneratorContext({ version }))) for (const id of labelRules(v.label)) expect(ruleById(id), id).toBeDefined();
    }
    for (const c of fc.sample(fc.oneof(keyIdCaseArb(ctx), keyStateCaseArb(ctx)), { seed: 1, numRuns: 500 })) {
      for (const id of labelRules(c.label)) expect(ruleById(id), id).toBeDefined();
    }
  });

  it('puts keys in every state, multi-Region for the states only multi-Region keys have', () => {
    const states = new Set<string>();
    for (const c of fc.sample(keyStateCaseArb(ctx), { seed: 3, numRuns: 400 })) {
      const key = c.setup.keys[0]!;
      states.add(key.state);
      if (key.state === 'Creating' || key.state === 'Updating' || key.state === 'PendingReplicaDeletion') expect(key.multiRegion).toBe(true);
    }
    expect([...states].sort()).toEqual([...KEY_STATES].sort());
  });
});

describe('worldFromSetup', () => {
  it('builds keys with ARNs in their region, aliases and the context directory', () => {
    const world = worldFromSetup(
      {
        keys: [
          { keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', state: 'Disabled', multiRegion: false },
          { keyId: 'mrk-1234abcd12ab34cd56ef1234567890ab', state: 'Enabled', multiRegion: true, region: 'us-west-2' },
        ],
        aliases: [{ name: 'alias/app', targetKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' }],
      },
      ctx,
    );
    expect(world.keys.map((k) => [k.arn, k.state, k.keyManager])).toEqual([
      ['arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', 'Disabled', 'CUSTOMER'],
      ['arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab', 'Enabled', 'CUSTOMER'],
    ]);
    expect(world.aliases).toEqual([{ name: 'alias/app', arn: 'arn:aws:kms:us-east-1:111122223333:alias/app', targetKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' }]);
    expect(world.principals.lookup('arn:aws:iam::111122223333:user/Alice', 'user')).toBe('exists');
    expect(world.principals.lookup('arn:aws:iam::111122223333:user/Nobody', 'user')).toBe('missing');
  });
});
