/**
 * The cases a suite runs: generated cases of any kind (request, wire, valid and invalid policies)
 * with the id and origin that replay them, and the request and set-up each one stands for.
 */
import type { OperationName } from '../contract/types.ts';
import type { GeneratorContext } from '../generators/context.ts';
import { caseToJson, type GenerateKind, type GeneratedCase } from '../generators/kinds.ts';
import { generateCases, type CaseOrigin } from '../generators/replay.ts';
import type { RequestSetup } from '../generators/request-case.ts';
import { baseInput } from '../generators/request.ts';
import { GENERATOR_KEY_ID } from '../generators/verify.ts';

/**
 * One case of a suite run.
 * - `id`: unique within a run (`request:42:7` for generated cases).
 * - `origin`: where `replayCase(case.kind, origin, { context })` finds the case again; absent for
 *   fixed cases and cases drawn from a filtered arbitrary (their JSON is the replay).
 */
export interface SuiteCase {
  readonly id: string;
  readonly case: GeneratedCase;
  readonly origin?: CaseOrigin;
}

/**
 * The first `count` generated cases of a kind for a seed, in the context's contract version.
 *
 * @example
 * ```ts
 * const cases = suiteCases('request', 300, 42, createGeneratorContext({ version: '2024-03-18' }));
 * // cases[7].origin → { seed: 42, path: '7' }, the 8th line of `generate --kind request --seed 42`
 * ```
 */
export function suiteCases(kind: GenerateKind, count: number, seed: number, context: GeneratorContext): SuiteCase[] {
  return generateCases(kind, count, seed, { context }).map(({ value, origin }) => ({ id: `${kind}:${seed}:${origin.path}`, case: value, origin }));
}

/**
 * A case that was not drawn at a replayable `{seed, path}` (a fixed example, or a value from a
 * filtered arbitrary). Its JSON is what replays it.
 */
export function fixedCase(id: string, c: GeneratedCase): SuiteCase {
  return { id, case: c };
}

/** A request case as the oracle and the SDK see it: operation, members, and what must exist first. */
export interface CaseRequest {
  readonly operation: OperationName;
  readonly input: Readonly<Record<string, unknown>>;
  readonly setup: RequestSetup;
}

/** The set-up of a policy case: the key whose policy is put, enabled (what the policy labels assume). */
export const POLICY_CASE_SETUP: RequestSetup = { keys: [{ keyId: GENERATOR_KEY_ID, state: 'Enabled', multiRegion: false }], aliases: [] };

/**
 * The request a case stands for: a request case as it is; a policy case as `PutKeyPolicy` on
 * {@link GENERATOR_KEY_ID} with the policy and its bypass flag (the key its label was judged
 * against). `undefined` for wire cases, which are raw bytes.
 */
export function caseRequest(c: GeneratedCase, context: GeneratorContext): CaseRequest | undefined {
  switch (c.kind) {
    case 'request':
      return { operation: c.value.operation, input: c.value.input, setup: c.value.setup };
    case 'valid-policy':
    case 'invalid-policy': {
      const input: Record<string, unknown> = { ...baseInput('PutKeyPolicy', GENERATOR_KEY_ID, context), Policy: c.value.policy };
      if (c.value.bypassPolicyLockoutSafetyCheck !== undefined) input.BypassPolicyLockoutSafetyCheck = c.value.bypassPolicyLockoutSafetyCheck;
      return { operation: 'PutKeyPolicy', input, setup: POLICY_CASE_SETUP };
    }
    case 'wire':
      return undefined;
  }
}

/** The set-up (keys and aliases) any case needs. */
export function caseSetup(c: GeneratedCase): RequestSetup {
  return c.kind === 'request' || c.kind === 'wire' ? c.value.setup : POLICY_CASE_SETUP;
}

/** The operation a case is about (for wire cases: the one it was built for, before any mutation). */
export function caseOperation(c: GeneratedCase): OperationName {
  return c.kind === 'request' || c.kind === 'wire' ? c.value.operation : 'PutKeyPolicy';
}

/** The case as JSON (the `generate` form plus kind and label), the replay of last resort. */
export function caseJson(c: GeneratedCase): Record<string, unknown> {
  return { kind: c.kind, label: c.value.label, ...caseToJson(c) };
}
