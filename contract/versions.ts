/**
 * Contract versions: the dates the documented contract of PutKeyPolicy changed (contract notes
 * §2.3), how to name them on the command line, and what each one means.
 */
import { KmsConformanceUserError } from './errors.ts';
import { CONTRACT_VERSIONS } from './types.ts';
import type { ContractVersionId } from './types.ts';

/** The version `latest` resolves to: the 2025-06-05 documentation. */
export const LATEST_VERSION: ContractVersionId = '2025-06-05';

/** One line per contract version: what changed and where it is documented. */
export const VERSION_DESCRIPTIONS: Readonly<Record<ContractVersionId, string>> = {
  '2017-02-15':
    'Model of 2017-02-15 … 2024-01-05 (botocore 9175cd843 … 5cc08b4e3, B0): PolicyName is required; key policy size error not named; every statement needs Effect, Principal, Action and Resource.',
  '2024-03-18':
    'Model of 2024-03-18 (botocore 1.34.65, f692c67d8; M1): PolicyName is optional and defaults to "default" for PutKeyPolicy and GetKeyPolicy.',
  '2025-06-05':
    'Documentation of 2025-06-05 (botocore d806c2105; B1): an oversize key policy gives LimitExceededException; a statement missing Action or Resource is accepted (and has no effect).',
};

/**
 * Thrown when a contract version name is not known. A {@link KmsConformanceUserError} naming the
 * option the name was given to (`contractVersion` for the library; the command line says
 * `--contract` and exits with 2).
 */
export class ContractVersionError extends KmsConformanceUserError {
  override name = 'ContractVersionError';
  /** The values the option accepts. */
  readonly validValues: readonly string[];
  constructor(input: string, option = 'contractVersion') {
    const valid = ['latest', ...CONTRACT_VERSIONS];
    super(option, `unknown contract version '${input}'. Valid values: ${valid.join(', ')} (or an unambiguous prefix such as '2017' or '2024-03').${beforeOldest(input)}`);
    this.validValues = valid;
  }
}

/**
 * For a date (or year, or year-month) before the oldest version: why there is no version for it
 * (decision 0608); empty otherwise.
 */
function beforeOldest(input: string): string {
  const v = input.trim();
  const oldest = CONTRACT_VERSIONS[0];
  if (!/^\d{4}(-\d{2}){0,2}$/.test(v) || v >= oldest) return '';
  return (
    ` ${v} is before ${oldest}, the oldest contract version: the sources hold no model of the 2015-04-27 … 2016-12-22 period` +
    ` (KeyId then at most 256 characters, contract notes §2.3); see decisions/0608-no-2015-contract-version.md.`
  );
}

/**
 * Resolves a user-supplied contract version name: `latest` (→ {@link LATEST_VERSION}), a full id
 * (`2024-03-18`) or an unambiguous prefix (`2024-03`, `2017`).
 *
 * @param option - the option the name was given to, for the error message. @defaultValue `'contractVersion'`
 * @throws ContractVersionError when nothing or more than one version matches.
 * @example resolveContractVersion('2024-03') // '2024-03-18'
 */
export function resolveContractVersion(input: string, option = 'contractVersion'): ContractVersionId {
  const v = input.trim();
  if (v === 'latest') return LATEST_VERSION;
  const exact = CONTRACT_VERSIONS.find((id) => id === v);
  if (exact) return exact;
  const matches = v.length >= 4 ? CONTRACT_VERSIONS.filter((id) => id.startsWith(v)) : [];
  const only = matches.length === 1 ? matches[0] : undefined;
  if (only) return only;
  throw new ContractVersionError(input, option);
}

/** Every contract version, oldest first. */
export const ALL_VERSIONS: readonly ContractVersionId[] = CONTRACT_VERSIONS;

/** Versions from `from` on (inclusive), oldest first. */
export function versionsFrom(from: ContractVersionId): readonly ContractVersionId[] {
  return CONTRACT_VERSIONS.filter((v) => v >= from);
}

/** Versions before `until` (exclusive), oldest first. */
export function versionsBefore(until: ContractVersionId): readonly ContractVersionId[] {
  return CONTRACT_VERSIONS.filter((v) => v < until);
}
