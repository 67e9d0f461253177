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

/** Counts a run keeps for blame: cases each rule passed in, failing cases each rule was a candidate in. */
export class BlameCounts {
  private readonly pass = new Map<string, number>();
  private readonly fail = new Map<string, number>();
  private readonly alone = new Map<string, number>();

  /** Notes a passing case's rules. */
  passed(ruleIds: readonly string[]): void {
    for (const id of new Set(ruleIds)) this.pass.set(id, (this.pass.get(id) ?? 0) + 1);
  }

  /** Notes a failing case's candidate rules. */
  failed(record: CaseRecord): void {
    const ids = new Set((record.findings ?? []).flatMap((f) => (LOCALISED.has(f.code) ? f.ruleIds : [])));
    for (const id of ids) this.fail.set(id, (this.fail.get(id) ?? 0) + 1);
    const sole = new Set((record.findings ?? []).flatMap((f) => (LOCALISED.has(f.code) && f.ruleIds.length === 1 ? f.ruleIds : [])));
    for (const id of sole) this.alone.set(id, (this.alone.get(id) ?? 0) + 1);
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
    const open = new Set<number>();
    const cands = records.map((r, i) => {
      const c = new Set((r.findings ?? []).flatMap((f) => (LOCALISED.has(f.code) && f.ruleIds.length > 1 ? f.ruleIds : [])));
      if (c.size > 0) open.add(i);
      return c;
    });
    const chosen = new Map<number, string>();
    while (open.size > 0) {
      const count = new Map<string, number>();
      for (const i of open) for (const id of cands[i]!) count.set(id, (count.get(id) ?? 0) + 1);
      // Ochiai: the failing cases a rule explains, against every case it was in. A rule explains
      // the open failures it is a candidate in and the failures that named it alone (those are
      // its own whatever is chosen); not the failures an already chosen rule took. Without the
      // lone ones, a rule sharing two failures with the real fault beat the fault once most of
      // the fault's failures had named it alone.
      const total = records.length;
      const score = (id: string, n: number): number => {
        const ef = n + (this.alone.get(id) ?? 0);
        return ef / Math.sqrt(total * ((this.fail.get(id) ?? 0) + (this.pass.get(id) ?? 0)));
      };
      let best: string | undefined;
      let bestScore = -1;
      for (const [id, n] of count) {
        const sc = score(id, n);
        if (best === undefined || sc > bestScore + 1e-12 || (Math.abs(sc - bestScore) <= 1e-12 && (n > count.get(best)! || (n === count.get(best)! && id < best)))) {
          best = id;
          bestScore = sc;
        }
      }
      for (const i of [...open]) {
        if (cands[i]!.has(best!)) {
          chosen.set(i, best!);
          open.delete(i);
        }
      }
    }
    return records.map((r, i) => {
      if (r.verdict !== 'fail' || r.findings === undefined) return r;
      const pick = chosen.get(i);
      const findings: Finding[] = r.findings.map((f) =>
        LOCALISED.has(f.code) && f.ruleIds.length > 1 && pick !== undefined && f.ruleIds.includes(pick) ? { ...f, ruleIds: [pick], candidates: f.ruleIds } : f,
      );
      return { ...r, findings, ruleIds: [...new Set(findings.flatMap((f) => f.ruleIds))] };
    });
  }
}
