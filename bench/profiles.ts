/**
 * The suite's mutation score (issue 9): every divergence profile of the bundled mock is switched on
 * in turn, the full default run goes against it, and the rules it fails are compared with the rules
 * the profile declares it breaks (`DIVERGENCE_BREAKS`). `npm run bench` prints the result;
 * `suites/divergence.test.ts` asserts it.
 */
import { DIVERGENCE_BREAKS, DIVERGENCES, type DivergenceName } from '../mocks/divergences.ts';
import { runConformance } from '../replay/runner.ts';

/** Options of {@link scoreProfiles}. */
export interface ScoreProfilesOptions {
  /** Seed of every run. @defaultValue 20240318 */
  readonly seed?: number;
  /** Generated cases per property in each run. @defaultValue 25 */
  readonly runs?: number;
  /** Profiles to score. @defaultValue every profile in `DIVERGENCES` */
  readonly profiles?: readonly DivergenceName[];
  /** The rules each profile declares it breaks. @defaultValue `DIVERGENCE_BREAKS` */
  readonly breaks?: Readonly<Partial<Record<DivergenceName, readonly string[]>>>;
  /** How long a read-after-write check waits (the mock in process has no lag). @defaultValue 1000 */
  readonly convergeTimeoutMs?: number;
  /** Called after each profile's run (progress for a long benchmark). */
  readonly onProfile?: (result: ProfileScore) => void;
}

/** One profile's run against the declaration. */
export interface ProfileScore {
  readonly profile: DivergenceName;
  /** Rules the profile declares it breaks. */
  readonly declared: readonly string[];
  /** Rules the run failed. */
  readonly failed: readonly string[];
  /** The run failed at least one declared rule. */
  readonly caught: boolean;
  /** The run failed exactly the declared rules. */
  readonly exact: boolean;
  /** Rules the run failed that the profile does not declare (false positives). */
  readonly extraRules: readonly string[];
  /** Declared rules the run passed. */
  readonly missedRules: readonly string[];
  /** Cases with status `error` (harness trouble; should be 0). */
  readonly errors: number;
  readonly millis: number;
}

/** The score over every profile. */
export interface ProfilesScore {
  /** Number of profiles scored. */
  readonly profiles: number;
  /** Profiles the run caught (failed at least one declared rule). */
  readonly caught: number;
  /** Profiles the run caught with exactly the declared rules. */
  readonly exact: number;
  readonly falsePositives: readonly { readonly profile: DivergenceName; readonly extraRules: readonly string[] }[];
  /** Profiles with declared rules the run did not fail. */
  readonly missed: readonly { readonly profile: DivergenceName; readonly missedRules: readonly string[] }[];
  readonly results: readonly ProfileScore[];
}

/**
 * Runs the full default suite in process against each profile and scores it.
 *
 * @example
 * ```ts
 * const s = await scoreProfiles();
 * console.log(`${s.caught}/${s.profiles} caught, ${s.falsePositives.length} with false positives`);
 * ```
 */
export async function scoreProfiles(options: ScoreProfilesOptions = {}): Promise<ProfilesScore> {
  const profiles = options.profiles ?? (Object.keys(DIVERGENCES) as DivergenceName[]);
  for (const p of profiles) {
    if (!Object.hasOwn(DIVERGENCES, p)) throw new TypeError(`scoreProfiles: unknown profile ${JSON.stringify(p)}; valid: ${Object.keys(DIVERGENCES).join(', ')}.`);
  }
  const results: ProfileScore[] = [];
  for (const profile of profiles) {
    const start = performance.now();
    const r = await runConformance({
      seed: options.seed ?? 20_240_318,
      runs: options.runs ?? 25,
      out: false,
      convergeTimeoutMs: options.convergeTimeoutMs ?? 1000,
      mock: { divergences: [profile] },
    });
    const declared = [...(options.breaks?.[profile] ?? DIVERGENCE_BREAKS[profile])].sort();
    const failed = r.rules.filter((x) => x.verdict === 'fail').map((x) => x.id).sort();
    const extraRules = failed.filter((id) => !declared.includes(id));
    const missedRules = declared.filter((id) => !failed.includes(id));
    const score: ProfileScore = {
      profile,
      declared,
      failed,
      caught: declared.length > missedRules.length,
      exact: extraRules.length === 0 && missedRules.length === 0,
      extraRules,
      missedRules,
      errors: r.counts.error,
      millis: performance.now() - start,
    };
    results.push(score);
    options.onProfile?.(score);
  }
  return {
    profiles: results.length,
    caught: results.filter((x) => x.caught).length,
    exact: results.filter((x) => x.exact).length,
    falsePositives: results.filter((x) => x.extraRules.length > 0).map((x) => ({ profile: x.profile, extraRules: x.extraRules })),
    missed: results.filter((x) => x.missedRules.length > 0).map((x) => ({ profile: x.profile, missedRules: x.missedRules })),
    results,
  };
}
