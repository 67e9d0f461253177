/**
 * Which rule a failure is about. One answer often cannot say: a target that rejects a valid
 * PutKeyPolicy without `PolicyName`, or answers ValidationException where the contract wants
 * MalformedPolicyDocumentException, involves several rules (the key identifier form, the key
 * state, the policy document, PolicyName's default), and only one of them is what the target gets
 * wrong. So a failing case names its *candidates*, and the run decides among them by what it saw
 * elsewhere (spectrum-based fault localisation): a rule involved in many passing cases is not the
 * one a failure is about; the candidates with the highest share of failing cases are blamed.
 * Findings that name one rule (a response-side rule, a read-after-write check) keep it.
 */
import type { CaseRecord, Finding, FindingCode } from './results.ts';

/** Finding codes whose rules are candidates to choose among (outcome findings). */
const LOCALISED: ReadonlySet<FindingCode> = new Set(['rejected_valid_input', 'accepted_invalid_input', 'unexpected_error_code', 'unexpected_status', 'no_response']);

/** The rules a failing record's blame chooses among: those of its outcome findings that name several. */
function candidatesOf(record: CaseRecord): string[] {
  return [...new Set((record.findings ?? []).flatMap((f) => (LOCALISED.has(f.code) && f.ruleIds.length > 1 ? f.ruleIds : [])))];
}

/** Failures with the same candidates, counted once: what settling blame needs of them. */
type CandidateGroups = Map<string, { readonly ids: readonly string[]; n: number }>;

function groupKey(ids: readonly string[]): string {
  return [...ids].sort().join('\n');
}

function addToGroups(groups: CandidateGroups, ids: readonly string[]): void {
  if (ids.length === 0) return;
  const k = groupKey(ids);
  const g = groups.get(k);
  if (g) g.n++;
  else groups.set(k, { ids, n: 1 });
}

/** A failing record with the chosen rule blamed in every outcome finding that names it among others. */
function blamed(r: CaseRecord, pick: string | undefined): CaseRecord {
  if (r.verdict !== 'fail' || r.findings === undefined) return r;
  const findings: Finding[] = r.findings.map((f) => (LOCALISED.has(f.code) && f.ruleIds.length > 1 && pick !== undefined && f.ruleIds.includes(pick) ? { ...f, ruleIds: [pick], candidates: f.ruleIds } : f));
  return { ...r, findings, ruleIds: [...new Set(findings.flatMap((f) => f.ruleIds))] };
}

/**
 * Counts a run keeps for blame: cases each rule passed in, failing cases each rule was a candidate
 * in, and the failing cases' candidate sets (one entry per distinct set, with how many failures
 * have it). All of it is bounded by the rules, not by the cases: a run settles the blame of any
 * number of failures without holding them ({@link BlameCounts.settlement}).
 */
export class BlameCounts {
  private readonly pass = new Map<string, number>();
  private readonly fail = new Map<string, number>();
  private readonly alone = new Map<string, number>();
  private readonly groups: CandidateGroups = new Map();
  private failures = 0;

  /** Notes a passing case's rules. */
  passed(ruleIds: readonly string[]): void {
    for (const id of new Set(ruleIds)) this.pass.set(id, (this.pass.get(id) ?? 0) + 1);
  }

  /** Notes a failing case: its candidate rules, and its candidate set for {@link BlameCounts.settlement}. */
  failed(record: CaseRecord): void {
    const ids = new Set((record.findings ?? []).flatMap((f) => (LOCALISED.has(f.code) ? f.ruleIds : [])));
    for (const id of ids) this.fail.set(id, (this.fail.get(id) ?? 0) + 1);
    const sole = new Set((record.findings ?? []).flatMap((f) => (LOCALISED.has(f.code) && f.ruleIds.length === 1 ? f.ruleIds : [])));
    for (const id of sole) this.alone.set(id, (this.alone.get(id) ?? 0) + 1);
    this.failures++;
    addToGroups(this.groups, candidatesOf(record));
  }

  /** Share of the cases a rule was in that failed (0..1). */
  suspicion(ruleId: string): number {
    const f = this.fail.get(ruleId) ?? 0;
    const p = this.pass.get(ruleId) ?? 0;
    return f + p === 0 ? 0 : f / (f + p);
  }

  /**
   * A failing record blamed with what the run has seen so far (for progress lines while it runs;
   * the final word is {@link BlameCounts.settle} over the whole run).
   */
  provisional(record: CaseRecord): CaseRecord {
    return this.settle([record])[0]!;
  }

  /**
   * Settles the blame of every failing record of a run (a greedy cover): the rule with the best
   * Ochiai score (the failures it is a candidate in, against every case it took part in, passing
   * or failing) is blamed for every failure it is a candidate in; the remaining failures are
   * settled the same way. A single fault then explains every failure it causes, instead of every
   * rule those failures happen to involve; a rule that passes in many cases is rarely blamed.
   */
  settle(records: readonly CaseRecord[]): CaseRecord[] {
    const groups: CandidateGroups = new Map();
    const keys = records.map((r) => {
      const c = candidatesOf(r);
      addToGroups(groups, c);
      return groupKey(c);
    });
    const picks = this.choose(groups, records.length);
    return records.map((r, i) => blamed(r, picks.get(keys[i]!)));
  }

  /**
   * The blame {@link BlameCounts.settle} would settle over every failure noted with
   * {@link BlameCounts.failed}, as a function of one of those failures: what a run applies to each
   * failing record as it reads them back, without ever holding them all.
   */
  settlement(): (record: CaseRecord) => CaseRecord {
    const picks = this.choose(this.groups, this.failures);
    return (r) => blamed(r, picks.get(groupKey(candidatesOf(r))));
  }

  /** The greedy cover over candidate sets (see {@link BlameCounts.settle}): the rule blamed, per candidate set. */
  private choose(groups: CandidateGroups, total: number): Map<string, string> {
    const open = new Set(groups.keys());
    const chosen = new Map<string, string>();
    // Ochiai: the failing cases a rule explains, against every case it was in. A rule explains
    // the open failures it is a candidate in and the failures that named it alone (those are
    // its own whatever is chosen); not the failures an already chosen rule took. Without the
    // lone ones, a rule sharing two failures with the real fault beat the fault once most of
    // the fault's failures had named it alone.
    const score = (id: string, n: number): number => {
      const ef = n + (this.alone.get(id) ?? 0);
      return ef / Math.sqrt(total * ((this.fail.get(id) ?? 0) + (this.pass.get(id) ?? 0)));
    };
    while (open.size > 0) {
      const count = new Map<string, number>();
      for (const k of open) {
        const g = groups.get(k)!;
        for (const id of g.ids) count.set(id, (count.get(id) ?? 0) + g.n);
      }
      let best: string | undefined;
      let bestScore = -1;
      for (const [id, n] of count) {
        const sc = score(id, n);
        if (best === undefined || sc > bestScore + 1e-12 || (Math.abs(sc - bestScore) <= 1e-12 && (n > count.get(best)! || (n === count.get(best)! && id < best)))) {
          best = id;
          bestScore = sc;
        }
      }
      for (const k of [...open]) {
        if (groups.get(k)!.ids.includes(best!)) {
          chosen.set(k, best!);
          open.delete(k);
        }
      }
    }
    return chosen;
  }
}
