/**
 * Checks a key policy against the contract: every structural finding of `parsePolicy` plus the
 * principal-existence rule ("The principals in the key policy must exist and be visible to KMS.",
 * M1/B1, contract notes §8.2), with each finding's severity for the chosen contract version.
 */
import { parsePolicyDetailed } from './parse.ts';
import { directoryKind } from './principal.ts';
import { inspectQuickly } from './quick.ts';
import type { CheckOptions, PolicyDocument, PolicyFinding } from './types.ts';

/** What {@link inspectPolicy} answers: the findings of {@link checkPolicy} and the parsed document. */
export interface PolicyInspection {
  readonly findings: readonly PolicyFinding[];
  /** The normalised document, or `undefined` when the text is not JSON or not a JSON object. */
  readonly document: PolicyDocument | undefined;
}

/**
 * All findings for `text` under `options.version`: parse and structure findings, then one
 * `nonexistent_principal` (violation) or `unverifiable_principal` (unspecified) per principal the
 * directory answers `missing` or `unknown` for. An empty result means the contract accepts the
 * document as far as syntax and principals go (the lockout check is separate: {@link checkLockout}).
 *
 * @example
 * checkPolicy(DEFAULT_KEY_POLICY('111122223333'), {
 *   version: '2025-06-05', accountId: '111122223333', partition: 'aws',
 *   principals: createPrincipalDirectory({ accountId: '111122223333' }),
 * }) // []
 */
export function checkPolicy(text: string, options: CheckOptions): readonly PolicyFinding[] {
  return inspectPolicy(text, options).findings;
}

/**
 * {@link checkPolicy} and {@link parsePolicy} from one parse: the findings, and the document the
 * lockout check ({@link checkLockout}) needs. Callers that check a policy and then evaluate it
 * (the oracle, the generators' label check) read the text once instead of twice.
 *
 * @example
 * const { findings, document } = inspectPolicy(text, options);
 * if (document && !findings.some((f) => f.severity === 'violation')) checkLockout(document, lockoutOptions);
 */
export function inspectPolicy(text: string, options: CheckOptions): PolicyInspection {
  return inspectQuickly(text, options) ?? inspectFully(text, options);
}

/**
 * {@link inspectPolicy} by the full checker alone (positions, every finding); what the fast path
 * (`quick.ts`) is held to.
 * @internal
 */
export function inspectFully(text: string, options: CheckOptions): PolicyInspection {
  const parsed = parsePolicyDetailed(text, { version: options.version });
  const findings = [...parsed.findings];
  if (!parsed.ok) return { findings, document: undefined };
  for (const ref of parsed.principals) {
    const kind = directoryKind(ref.classified);
    if (kind === undefined) continue;
    const answer = options.principals.lookup(ref.value, kind);
    if (answer === 'missing') {
      findings.push(
        parsed.finding(
          'nonexistent_principal',
          ref.path,
          ref.at,
          `${ref.element}.${ref.block} "${ref.value}" in statement ${ref.statementIndex} does not exist or is not visible to KMS. Create the ${kind} first (new principals can take a moment to become visible), or fix the name.`,
          { value: ref.value },
        ),
      );
    } else if (answer === 'unknown') {
      findings.push(
        parsed.finding(
          'unverifiable_principal',
          ref.path,
          ref.at,
          `${ref.element}.${ref.block} "${ref.value}" in statement ${ref.statementIndex} cannot be verified: the principal directory does not know ${kind === 'account' ? 'that account' : `this ${kind}`}. Register it in the directory if it exists.`,
          { value: ref.value },
        ),
      );
    }
  }
  findings.sort((a, b) => (a.position?.offset ?? -1) - (b.position?.offset ?? -1));
  return { findings, document: parsed.document };
}
