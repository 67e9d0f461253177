/**
 * What the HTML and Markdown reports need of a run's cases, gathered one case at a time: counts
 * for every group and the few records they show. It holds the records shown and one short anchor
 * per failing case id, not the cases, so the reports of a run of any length are written in memory
 * that does not grow with its passing cases (the records come from `results.json` one at a time:
 * `writeReportsFromStream` in `reports/index.ts`).
 */
import type { CaseRecord, RuleScore } from '../scoring/results.ts';

/** How many failing cases per finding code, and how many errors, a report shows (the rest are counted). */
export const DEFAULT_SHOWN_PER_GROUP = 200;

/** A group of cases: how many, and the first few of them in the run's order. */
export interface ShownGroup {
  count: number;
  readonly shown: CaseRecord[];
}

/** What {@link CaseDigester} gathers. */
export interface CaseDigest {
  /** Failing cases grouped by their first finding's code, groups in the order first seen. */
  readonly failing: ReadonlyMap<string, ShownGroup>;
  /** The anchor (`case-<position in the run>`) of the first failing case of each case id. */
  readonly anchors: ReadonlyMap<string, string>;
  /** Harness and set-up errors. */
  readonly errors: ShownGroup;
  /** Skipped cases by reason (how many each). */
  readonly skipReasons: ReadonlyMap<string, number>;
  /** Unspecified cases by reason (how many each). */
  readonly unspecifiedReasons: ReadonlyMap<string, number>;
  /** The sequence cases that are some rule's first finding, by id (the last of an id wins). */
  readonly firstSequences: ReadonlyMap<string, CaseRecord>;
}

const NO_REASON = '(no reason recorded)';

/** Gathers a {@link CaseDigest} from cases given in the run's order. */
export class CaseDigester {
  private readonly failing = new Map<string, ShownGroup>();
  private readonly anchors = new Map<string, string>();
  private readonly errors: ShownGroup = { count: 0, shown: [] };
  private readonly skipReasons = new Map<string, number>();
  private readonly unspecifiedReasons = new Map<string, number>();
  private readonly firstSequences = new Map<string, CaseRecord>();
  private readonly firstFindings: ReadonlySet<string>;
  private position = 0;

  /** `rules` are the run's rule scores (their first findings name the cases Markdown replays). */
  constructor(
    rules: readonly Pick<RuleScore, 'firstFinding'>[],
    private readonly shownPerGroup = DEFAULT_SHOWN_PER_GROUP,
  ) {
    this.firstFindings = new Set(rules.flatMap((r) => (r.firstFinding === undefined ? [] : [r.firstFinding.caseId])));
  }

  /** Takes the next case of the run. */
  add(c: CaseRecord): void {
    const at = this.position++;
    if (c.sequence !== undefined && this.firstFindings.has(c.id)) this.firstSequences.set(c.id, c);
    switch (c.verdict) {
      case 'fail': {
        if (!this.anchors.has(c.id)) this.anchors.set(c.id, `case-${at}`);
        const code = c.findings?.[0]?.code ?? '(no finding)';
        let g = this.failing.get(code);
        if (g === undefined) this.failing.set(code, (g = { count: 0, shown: [] }));
        this.take(g, c);
        break;
      }
      case 'error':
        this.take(this.errors, c);
        break;
      case 'skip':
        this.skipReasons.set(c.reason ?? NO_REASON, (this.skipReasons.get(c.reason ?? NO_REASON) ?? 0) + 1);
        break;
      case 'unspecified':
        this.unspecifiedReasons.set(c.reason ?? NO_REASON, (this.unspecifiedReasons.get(c.reason ?? NO_REASON) ?? 0) + 1);
        break;
      case 'pass':
        break;
    }
  }

  private take(g: ShownGroup, c: CaseRecord): void {
    g.count++;
    if (g.shown.length < this.shownPerGroup) g.shown.push(c);
  }

  /** What was gathered so far. */
  get digest(): CaseDigest {
    return { failing: this.failing, anchors: this.anchors, errors: this.errors, skipReasons: this.skipReasons, unspecifiedReasons: this.unspecifiedReasons, firstSequences: this.firstSequences };
  }
}

/** The digest of cases held in memory. */
export function digestCases(cases: readonly CaseRecord[], rules: readonly Pick<RuleScore, 'firstFinding'>[], shownPerGroup = DEFAULT_SHOWN_PER_GROUP): CaseDigest {
  const d = new CaseDigester(rules, shownPerGroup);
  for (const c of cases) d.add(c);
  return d.digest;
}
