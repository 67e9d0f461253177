/**
 * The four kinds of generated cases (`valid-policy`, `invalid-policy`, `request`, `wire`), one
 * arbitrary per kind, and the JSON form each case takes in `generate` output and fixtures.
 */
import type fc from 'fast-check';
import { DEFAULT_GENERATOR_CONTEXT, type GeneratorContext } from './context.ts';
import { invalidPolicyArb } from './invalid-policy.ts';
import type { CaseLabel } from './labels.ts';
import type { PolicyCase } from './policy-case.ts';
import type { RequestCase } from './request-case.ts';
import { requestArb } from './request.ts';
import { validPolicyArb } from './valid-policy.ts';
import { wireArb, type WireCase } from './wire.ts';

/** Kinds the `generate` command and {@link caseArb} know. */
export const GENERATE_KINDS = ['valid-policy', 'invalid-policy', 'request', 'wire'] as const;
/** One of {@link GENERATE_KINDS}. */
export type GenerateKind = (typeof GENERATE_KINDS)[number];

/** A generated case of any kind, tagged with its kind. */
export type GeneratedCase =
  | { readonly kind: 'valid-policy' | 'invalid-policy'; readonly value: PolicyCase }
  | { readonly kind: 'request'; readonly value: RequestCase }
  | { readonly kind: 'wire'; readonly value: WireCase };

/** Options shared by every kind. */
export interface CaseArbOptions {
  readonly context?: GeneratorContext;
}

/** Whether `s` names a kind. */
export function isGenerateKind(s: string): s is GenerateKind {
  return (GENERATE_KINDS as readonly string[]).includes(s);
}

/**
 * The arbitrary of a kind, its values tagged with the kind.
 *
 * @example
 * ```ts
 * const [first] = fc.sample(caseArb('wire'), { seed: 1, numRuns: 1 });
 * ```
 */
export function caseArb(kind: GenerateKind, options: CaseArbOptions = {}): fc.Arbitrary<GeneratedCase> {
  const context = options.context ?? DEFAULT_GENERATOR_CONTEXT;
  switch (kind) {
    case 'valid-policy':
      return validPolicyArb({ context }).map((value): GeneratedCase => ({ kind, value }));
    case 'invalid-policy':
      return invalidPolicyArb({ context }).map((value): GeneratedCase => ({ kind, value }));
    case 'request':
      return requestArb({ context }).map((value): GeneratedCase => ({ kind, value }));
    case 'wire':
      return wireArb({ context }).map((value): GeneratedCase => ({ kind, value }));
  }
}

/** The label of any generated case. */
export function labelOf(c: GeneratedCase): CaseLabel {
  return c.value.label;
}

/** The features of any generated case. */
export function featuresOf(c: GeneratedCase): readonly string[] {
  return c.value.features;
}

/**
 * The JSON form of a case's value, as `generate` prints it: `policy` (+ the bypass flag) for
 * policies; `operation`, `input`, `setup` for requests; `operation`, `http` (method, path,
 * headers, body as base64) and `setup` for wire cases. Always `features`.
 */
export function caseToJson(c: GeneratedCase): Record<string, unknown> {
  switch (c.kind) {
    case 'valid-policy':
    case 'invalid-policy': {
      const v = c.value;
      return {
        policy: v.policy,
        ...(v.bypassPolicyLockoutSafetyCheck === undefined ? {} : { bypassPolicyLockoutSafetyCheck: v.bypassPolicyLockoutSafetyCheck }),
        features: v.features,
      };
    }
    case 'request':
      return { operation: c.value.operation, input: c.value.input, setup: c.value.setup, features: c.value.features };
    case 'wire': {
      const v = c.value;
      return {
        operation: v.operation,
        http: { method: v.method, path: v.path, headers: v.headers, bodyBase64: Buffer.from(v.body).toString('base64') },
        setup: v.setup,
        features: v.features,
      };
    }
  }
}
