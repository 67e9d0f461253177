/**
 * The writes and reads of the checked keys during a fuzz or soak run, and the check that the mock
 * behaves as one register per key under concurrent writers: every read returns a policy that was
 * written to that key (never a torn, foreign, failed or aborted one), no read returns a policy
 * that a completed later write had replaced before the read began, and afterwards each key holds
 * its last successful write (one not replaced by a write begun after it was answered).
 *
 * Every write carries a unique policy text: a base policy plus a tail of whitespace that encodes
 * the write's sequence number (JSON allows trailing whitespace; the contract stores the text as
 * sent), so a read names the write it returns without the ledger keeping the texts.
 */

/** What became of a write. `unknown`: no answer came, so it may or may not have been applied. */
export type WriteOutcome = 'ok' | 'failed' | 'aborted' | 'unknown';

interface Write {
  readonly seq: number;
  readonly key: number;
  readonly base: number;
  readonly sentAt: number;
  answeredAt: number;
  outcome: WriteOutcome;
}

interface Read {
  readonly key: number;
  /** The write it returned; -1 for the key's initial policy; -2 for a text no write produced. */
  readonly seq: number;
  readonly sentAt: number;
  readonly answeredAt: number;
  readonly sample: string;
}

/** A broken register property, keyed by `code`. */
export interface LedgerFinding {
  readonly code: 'read_unknown_policy' | 'read_other_key' | 'read_failed_write' | 'read_before_write' | 'read_stale' | 'final_unknown_policy' | 'final_failed_write' | 'final_stale';
  readonly keyId: string;
  readonly message: string;
}

const TAIL_BITS = 21;
/** Length of the tail every policy gets: a newline and 21 spaces or tabs. */
export const TAIL_LENGTH = TAIL_BITS + 1;
const MAX_SEQ = 2 ** TAIL_BITS - 1;

function tail(seq: number): string {
  let s = '\n';
  for (let bit = TAIL_BITS - 1; bit >= 0; bit--) s += (seq >>> bit) & 1 ? '\t' : ' ';
  return s;
}

function seqOf(text: string): number | undefined {
  if (text.length < TAIL_LENGTH || text[text.length - TAIL_LENGTH] !== '\n') return undefined;
  let seq = 0;
  for (let i = text.length - TAIL_BITS; i < text.length; i++) {
    const c = text[i];
    if (c !== ' ' && c !== '\t') return undefined;
    seq = seq * 2 + (c === '\t' ? 1 : 0);
  }
  return seq;
}

/** The ledger of a run. */
export class Ledger {
  readonly keyIds: readonly string[];
  private readonly bases: readonly string[];
  private readonly initial: readonly string[];
  private readonly writes: Write[] = [];
  private readonly reads: Read[] = [];

  private readonly now: () => number;

  /**
   * @param keyIds the checked keys; @param initial their policies before the run;
   * @param bases the policy texts writes are made from; @param now the clock (ms).
   */
  constructor(keyIds: readonly string[], initial: readonly string[], bases: readonly string[], now: () => number = () => performance.now()) {
    this.keyIds = keyIds;
    this.initial = initial;
    this.bases = bases;
    this.now = now;
  }

  /** Registers a write about to be sent and returns its unique policy text and handle. */
  begin(key: number, base: number): { readonly policy: string; readonly seq: number } {
    const seq = this.writes.length;
    if (seq > MAX_SEQ) throw new RangeError(`ledger: more than ${MAX_SEQ} writes; raise TAIL_BITS`);
    this.writes.push({ seq, key, base, sentAt: this.now(), answeredAt: Number.POSITIVE_INFINITY, outcome: 'unknown' });
    return { policy: `${this.bases[base] ?? ''}${tail(seq)}`, seq };
  }

  /** Records how a write ended. `ok` and `failed` need the answer's time. */
  settle(seq: number, outcome: WriteOutcome): void {
    const w = this.writes[seq];
    if (w === undefined) return;
    w.outcome = outcome;
    if (outcome === 'ok' || outcome === 'failed') w.answeredAt = this.now();
  }

  /** Records a GetKeyPolicy answer; `sentAt` is the clock's time when the read was sent. */
  read(key: number, text: string, sentAt: number): void {
    const seq = this.identify(key, text);
    this.reads.push({ key, seq, sentAt, answeredAt: this.now(), sample: seq === -2 ? text.slice(0, 80) : '' });
  }

  /** Numbers of writes by outcome, and of reads. */
  counts(): { readonly writes: Readonly<Record<WriteOutcome, number>>; readonly reads: number } {
    const writes: Record<WriteOutcome, number> = { ok: 0, failed: 0, aborted: 0, unknown: 0 };
    for (const w of this.writes) writes[w.outcome]++;
    return { writes, reads: this.reads.length };
  }

  private identify(key: number, text: string): number {
    const seq = seqOf(text);
    if (seq !== undefined) {
      const w = this.writes[seq];
      if (w !== undefined && text === `${this.bases[w.base] ?? ''}${tail(seq)}`) return seq;
    }
    return text === this.initial[key] ? -1 : -2;
  }

  /** Checks every read, and `finals` (each key's policy read after the run, in `keyIds` order). */
  verify(finals: readonly string[]): LedgerFinding[] {
    const out: LedgerFinding[] = [];
    const latestStart = this.keyIds.map((_, k) => latestStartBefore(this.writes.filter((w) => w.key === k && w.outcome === 'ok')));
    const check = (r: Read, final: boolean): void => {
      const keyId = this.keyIds[r.key] ?? '?';
      const at = final ? 'after the run' : `read at ${r.answeredAt.toFixed(1)} ms`;
      if (r.seq === -2) {
        out.push({ code: final ? 'final_unknown_policy' : 'read_unknown_policy', keyId, message: `${at}: a policy no write produced: ${JSON.stringify(r.sample)}` });
        return;
      }
      const w = r.seq >= 0 ? this.writes[r.seq] : undefined;
      if (w !== undefined && w.key !== r.key) {
        out.push({ code: 'read_other_key', keyId, message: `${at}: the policy of write ${w.seq}, sent to ${this.keyIds[w.key]}` });
        return;
      }
      if (w !== undefined && (w.outcome === 'failed' || w.outcome === 'aborted')) {
        out.push({ code: final ? 'final_failed_write' : 'read_failed_write', keyId, message: `${at}: the policy of write ${w.seq}, which ${w.outcome === 'failed' ? 'was answered with an error' : 'was closed mid-body'}` });
        return;
      }
      if (w !== undefined && w.sentAt > r.answeredAt) {
        out.push({ code: 'read_before_write', keyId, message: `${at}: the policy of write ${w.seq}, sent after the read was answered` });
        return;
      }
      const replacedAt = w === undefined ? Number.NEGATIVE_INFINITY : w.answeredAt;
      const newer = latestStart[r.key]?.(final ? Number.POSITIVE_INFINITY : r.sentAt) ?? Number.NEGATIVE_INFINITY;
      if (newer > replacedAt) {
        out.push({
          code: final ? 'final_stale' : 'read_stale',
          keyId,
          message: `${at}: ${w === undefined ? 'the initial policy' : `write ${w.seq} (answered at ${w.answeredAt.toFixed(1)} ms)`}, but a successful write sent at ${newer.toFixed(1)} ms had been answered before the read began`,
        });
      }
    };
    for (const r of this.reads) check(r, false);
    finals.forEach((text, key) => check({ key, seq: this.identify(key, text), sentAt: Number.POSITIVE_INFINITY, answeredAt: Number.POSITIVE_INFINITY, sample: text.slice(0, 80) }, true));
    return out;
  }
}

/**
 * For a key's successful writes: a function giving the latest send time among writes answered
 * before `t` (−∞ if none). A read begun at `t` may not return a write answered before that send.
 */
function latestStartBefore(ok: readonly Write[]): (t: number) => number {
  const sorted = [...ok].sort((a, b) => a.answeredAt - b.answeredAt);
  const answered = sorted.map((w) => w.answeredAt);
  const prefixMax: number[] = [];
  let max = Number.NEGATIVE_INFINITY;
  for (const w of sorted) {
    max = Math.max(max, w.sentAt);
    prefixMax.push(max);
  }
  return (t) => {
    let lo = 0;
    let hi = answered.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((answered[mid] ?? 0) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? Number.NEGATIVE_INFINITY : (prefixMax[lo - 1] ?? Number.NEGATIVE_INFINITY);
  };
}
