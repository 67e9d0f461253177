/**
 * Baselines: known divergences a run should not fail on, each with a reason, an owner and an
 * expiry date. `--baseline FILE` waives the failures its entries match; an expired entry fails the
 * run and says which; an entry that matched nothing is reported as stale. `--write-baseline FILE`
 * writes one from a run's failures, with an expiry the user must give.
 *
 * The file is JSON:
 *
 * ```json
 * {
 *   "version": 1,
 *   "entries": [
 *     {
 *       "match": "PutKeyPolicy.PolicyName.pattern",
 *       "reason": "The emulator accepts any policy name; tracked in EMU-12",
 *       "owner": "emulator-team",
 *       "expires": "2025-12-31"
 *     }
 *   ]
 * }
 * ```
 *
 * - `match`: a rule id (waives failures of that rule) or a case id (`request:42:7/sdk`; without the
 *   `/sdk` or `/http` suffix it matches both transports).
 * - `expires`: the last day (UTC) the entry waives anything; from the day after, it fails the run.
 * - A failing case is waived when a live entry names the case, or live entries name every rule it
 *   breaks (a case that breaks a second, unlisted rule still fails).
 */
import { KmsConformanceUserError } from '../contract/errors.ts';
import { readFileSync } from 'node:fs';
import type { CaseRecord, RunSummary, Waiver } from './results.ts';

/** Version of the baseline file format. */
export const BASELINE_VERSION = 1;

/** One known divergence. */
export type BaselineEntry = Waiver;

/** A parsed baseline file. */
export interface Baseline {
  /** The file it came from (for messages and the report). */
  readonly file: string;
  readonly entries: readonly BaselineEntry[];
}

/**
 * A baseline file or flag the user must fix: the message names the file, the entry and field, the
 * value, and what to do. The command line maps it to exit code 2.
 */
export class BaselineError extends KmsConformanceUserError {
  override name = 'BaselineError';
  readonly exitCode = 2;
  constructor(message: string) {
    super('baseline', message, message);
  }
}

const ENTRY_FIELDS = ['match', 'reason', 'owner', 'expires'] as const;
const FORMAT_HINT = `A baseline is {"version": ${BASELINE_VERSION}, "entries": [{"match": "<rule id or case id>", "reason": "…", "owner": "…", "expires": "YYYY-MM-DD"}]}.`;

/** Whether `s` is a real calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Today's date in UTC as `YYYY-MM-DD` (what `today` means everywhere in this module). */
export function utcDay(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

function closest(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (lower.startsWith('expir') || lower === 'until' || lower === 'date') return 'expires';
  if (lower === 'rule' || lower === 'ruleid' || lower === 'case' || lower === 'caseid' || lower === 'id') return 'match';
  if (lower === 'why' || lower === 'note' || lower === 'comment') return 'reason';
  if (lower === 'team' || lower === 'contact' || lower === 'assignee') return 'owner';
  return undefined;
}

/**
 * Parses and validates baseline text. Throws a {@link BaselineError} naming `file`, the entry
 * index, the field and the value for the first problem found.
 */
export function parseBaseline(text: string, file: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`${file}: not valid JSON (${(e as Error).message}). Fix the syntax. ${FORMAT_HINT}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new BaselineError(`${file}: the top level must be an object with "version" and "entries", got ${Array.isArray(data) ? 'an array' : show(data)}. ${FORMAT_HINT}`);
  }
  const top = data as Record<string, unknown>;
  for (const k of Object.keys(top)) {
    if (k !== 'version' && k !== 'entries') throw new BaselineError(`${file}: unknown top-level field "${k}". Only "version" and "entries" are allowed. ${FORMAT_HINT}`);
  }
  if (top.version !== BASELINE_VERSION) {
    throw new BaselineError(`${file}: "version" must be ${BASELINE_VERSION}, got ${show(top.version)}. This kms-conformance reads baseline version ${BASELINE_VERSION}.`);
  }
  if (!Array.isArray(top.entries)) throw new BaselineError(`${file}: "entries" must be an array, got ${show(top.entries)}. ${FORMAT_HINT}`);
  const entries: BaselineEntry[] = [];
  const seen = new Map<string, number>();
  top.entries.forEach((raw: unknown, i: number) => {
    const at = `${file}: entries[${i}]`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new BaselineError(`${at} must be an object with match, reason, owner and expires, got ${show(raw)}.`);
    const e = raw as Record<string, unknown>;
    for (const k of Object.keys(e)) {
      if (!(ENTRY_FIELDS as readonly string[]).includes(k)) {
        const hint = closest(k);
        throw new BaselineError(`${at}: unknown field "${k}"${hint ? ` (did you mean "${hint}"?)` : ''}. An entry has exactly match, reason, owner and expires.`);
      }
    }
    for (const k of ENTRY_FIELDS) {
      const v = e[k];
      if (typeof v !== 'string' || v.trim() === '') {
        const what = k === 'expires' ? 'the last day it waives anything, as YYYY-MM-DD (there is no "forever")' : k === 'match' ? 'a rule id (see `kms-conformance rules`) or a case id from a report' : k === 'owner' ? 'who answers for the divergence' : 'why the divergence is accepted';
        throw new BaselineError(`${at}.${k}: ${v === undefined ? 'missing' : `must be a non-empty string, got ${show(v)}`}. Give ${what}.`);
      }
    }
    const match = (e.match as string).trim();
    if (/\s/.test(match)) throw new BaselineError(`${at}.match: ${show(e.match)} contains white space; rule ids and case ids never do. Copy the id from the report.`);
    const expires = e.expires as string;
    if (!isCalendarDate(expires)) throw new BaselineError(`${at}.expires: ${show(expires)} is not a date written YYYY-MM-DD. Write it like 2025-12-31.`);
    const before = seen.get(match);
    if (before !== undefined) throw new BaselineError(`${at}.match: ${show(match)} is already listed in entries[${before}]. Keep one entry per rule or case.`);
    seen.set(match, i);
    entries.push({ match, reason: (e.reason as string).trim(), owner: (e.owner as string).trim(), expires });
  });
  return { file, entries };
}

/** Reads and validates a baseline file; a missing or unreadable file is a {@link BaselineError}. */
export function readBaseline(file: string): Baseline {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BaselineError(code === 'ENOENT' ? `--baseline ${file}: no such file. Give the path of an existing baseline, or write one with --write-baseline.` : `--baseline ${file}: cannot be read (${(e as Error).message}).`);
  }
  return parseBaseline(text, file);
}

/** Whether an entry is past its expiry on `today` (`YYYY-MM-DD`, UTC). */
export function isExpired(entry: BaselineEntry, today: string): boolean {
  return entry.expires < today;
}

/** The case id without its transport suffix (`request:42:7/sdk` → `request:42:7`). */
function caseStem(id: string): string {
  return id.replace(/\/(?:sdk|http)$/, '');
}

/** Entries that name the case itself. */
function caseEntries(record: Pick<CaseRecord, 'id'>, baseline: Baseline): BaselineEntry[] {
  const stem = caseStem(record.id);
  return baseline.entries.filter((e) => e.match === record.id || e.match === stem);
}

/** Every entry that names the record (its case id, or one of its rule ids), expired or not. */
export function matchingEntries(record: Pick<CaseRecord, 'id' | 'ruleIds'>, baseline: Baseline): BaselineEntry[] {
  return baseline.entries.filter((e) => e.match === record.id || e.match === caseStem(record.id) || record.ruleIds.includes(e.match));
}

/**
 * The record as scored with the baseline: a failing record that a live entry covers gets
 * `waived` (the entry naming the case, else the entry of its first rule); anything else comes back
 * unchanged. Expired entries never waive.
 */
export function applyBaseline(record: CaseRecord, baseline: Baseline, today: string): CaseRecord {
  if (record.verdict !== 'fail' || record.waived !== undefined) return record;
  const live = (e: BaselineEntry): boolean => !isExpired(e, today);
  const byCase = caseEntries(record, baseline).find(live);
  if (byCase) return { ...record, waived: byCase };
  if (record.ruleIds.length === 0) return record;
  const byRule = record.ruleIds.map((id) => baseline.entries.find((e) => e.match === id && live(e)));
  if (byRule.some((e) => e === undefined)) return record;
  return { ...record, waived: byRule[0]! };
}

/** What a baseline did over a run, as `RunSummary.baseline` holds it. */
export type BaselineReport = NonNullable<RunSummary['baseline']>;

/**
 * Applies a baseline to every record of a run and keeps the run-level account: how many failures
 * were waived, which entries matched no failure (stale) and which are past their expiry (expired:
 * any fails the run).
 */
export class BaselineTracker {
  private readonly used = new Set<BaselineEntry>();
  private waivedCount = 0;

  constructor(
    readonly baseline: Baseline,
    readonly today: string = utcDay(),
  ) {
    if (!isCalendarDate(today)) throw new BaselineError(`today must be a date written YYYY-MM-DD, got ${show(today)}.`);
  }

  /** {@link applyBaseline}, remembering which entries matched a failure. */
  apply(record: CaseRecord): CaseRecord {
    if (record.verdict !== 'fail') return record;
    for (const e of matchingEntries(record, this.baseline)) this.used.add(e);
    const out = applyBaseline(record, this.baseline, this.today);
    if (out.waived !== undefined) this.waivedCount++;
    return out;
  }

  /** Entries past their expiry (each fails the run). */
  expired(): BaselineEntry[] {
    return this.baseline.entries.filter((e) => isExpired(e, this.today));
  }

  /** Entries that matched no failing case so far. */
  stale(): BaselineEntry[] {
    return this.baseline.entries.filter((e) => !this.used.has(e));
  }

  /** Whether the baseline itself fails the run (an expired entry). */
  failsRun(): boolean {
    return this.expired().length > 0;
  }

  /** The run-level account for `results.json`. */
  report(): BaselineReport {
    return { file: this.baseline.file, waived: this.waivedCount, stale: this.stale().map((e) => e.match), expired: this.expired().map((e) => e.match) };
  }

  /** One line per expired entry, for the console and the exit message. */
  expiredMessages(): string[] {
    return this.expired().map((e) => `${this.baseline.file}: the entry for ${e.match} (owner ${e.owner}) expired on ${e.expires}; renew its date if the divergence is still accepted, or remove it.`);
  }
}

/** Options of {@link writeBaseline}. */
export interface WriteBaselineOptions {
  /** Owner written into every entry. @defaultValue 'unassigned' */
  readonly owner?: string;
  /** Today (`YYYY-MM-DD`, UTC); the expiry must come after it. @defaultValue the current UTC date */
  readonly today?: string;
  /** The file name for messages. @defaultValue '--write-baseline' */
  readonly file?: string;
}

/**
 * A baseline (as file text) with one entry per rule the failures break, in first-seen order, each
 * with the first finding's message as its reason. `expires` is required and must be a date after
 * today: a baseline never waives forever.
 */
export function writeBaseline(failures: readonly Pick<CaseRecord, 'verdict' | 'ruleIds' | 'findings'>[], expires: string, options: WriteBaselineOptions = {}): string {
  const file = options.file ?? '--write-baseline';
  const today = options.today ?? utcDay();
  if (!isCalendarDate(expires)) throw new BaselineError(`${file}: the expiry ${show(expires)} is not a date written YYYY-MM-DD. Give the last day the entries may waive failures, e.g. ${Number(today.slice(0, 4)) + 1}${today.slice(4)}.`);
  if (expires <= today) throw new BaselineError(`${file}: the expiry ${expires} is not after today (${today}); entries would fail the run at once. Give a later date.`);
  const owner = options.owner ?? 'unassigned';
  const entries = new Map<string, BaselineEntry>();
  for (const r of failures) {
    if (r.verdict !== 'fail') continue;
    for (const id of r.ruleIds) {
      if (entries.has(id)) continue;
      const f = r.findings?.find((x) => x.ruleIds.includes(id)) ?? r.findings?.[0];
      const reason = f ? `known divergence (${f.code}): ${f.message}` : 'known divergence';
      entries.set(id, { match: id, reason: reason.length > 300 ? `${reason.slice(0, 299)}…` : reason, owner, expires });
    }
  }
  return `${JSON.stringify({ version: BASELINE_VERSION, entries: [...entries.values()] }, null, 2)}\n`;
}
