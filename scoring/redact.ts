/**
 * Redaction of credentials before anything is recorded or printed. The runner applies
 * {@link redactHeaders} to every recorded request and response and {@link redactText} to every
 * recorded body, path and message; the report writers print only what the records hold.
 *
 * What goes:
 * - the `Authorization` header: a SigV4 value keeps its scheme, credential scope and signed header
 *   list (they explain `Auth.*` findings) and loses its access key id and signature; any other
 *   scheme is replaced whole;
 * - `X-Amz-Security-Token` (and `Cookie`, `Proxy-Authorization`), whole;
 * - in any text: SigV4 `Credential=`/`Signature=` and their presigned-query forms
 *   (`X-Amz-Credential`, `X-Amz-Signature`, `X-Amz-Security-Token`), the value after a name that
 *   says secret key or session token (`"SecretAccessKey": "…"`, `AWS_SESSION_TOKEN=…`,
 *   `aws_secret_access_key = …`), strings that start the way STS session tokens do, and every
 *   occurrence of the secrets the caller names (`options.secrets`: the run's own credentials).
 *
 * A bare 40-character string is not taken for a secret key on its looks alone: generated policies
 * are full of random strings, and redacting one would change the recorded request a re-score
 * reads. Pass the run's credentials as `secrets` instead; they are removed wherever they appear.
 */

import type { CaseRecord, ExchangeRecord, Finding, Observation } from './results.ts';

/** What a redacted value is replaced with. */
export const REDACTED = '[REDACTED]';

/** Options of {@link redactText} and {@link redactHeaders}. */
export interface RedactOptions {
  /**
   * Exact secret values to remove wherever they appear (as is, URL-encoded and JSON-escaped):
   * the secret access key and session token the run signs with. Values shorter than
   * {@link MIN_SECRET_LENGTH} characters are ignored (removing `test` everywhere would wreck the
   * record without protecting anything).
   */
  readonly secrets?: readonly (string | undefined)[];
}

/** Shortest value of {@link RedactOptions.secrets} that is removed. */
export const MIN_SECRET_LENGTH = 8;

/** Header names whose whole value is a credential (lower case). */
const SECRET_HEADERS: ReadonlySet<string> = new Set(['x-amz-security-token', 'cookie', 'set-cookie', 'proxy-authorization']);

/** SigV4 access key id in a credential (header form, or URL-encoded in a presigned query). */
const SIGV4_CREDENTIAL = /(\bCredential=|\bX-Amz-Credential=)([^/,\s&"']+?)(\/|%2F|(?=[,\s&"']|$))/gi;
/** SigV4 signature (header or query form). */
const SIGV4_SIGNATURE = /(\bSignature=|\bX-Amz-Signature=)([0-9a-fA-F]+)/gi;
/**
 * A value after a name that says it is a secret key or a session token, in JSON, env, INI,
 * header-line or query form, also inside a JSON string (`\"SessionToken\":\"…\"`): the name, an
 * optional closing quote, a separator (`:`, `=`, `=>`), an optional opening quote, then the value.
 */
const NAMED_SECRET =
  /((?:aws[\s_-]?)?(?:secret[\s_-]?(?:access[\s_-]?)?key|session[\s_-]?token|security[\s_-]?token|x-amz-security-token)\\*["']?\s*(?::|=>|=)\s*\\*["']?)([^\s"'&,;}<>\\]+)/gi;
/**
 * Session tokens STS hands out start with a base64-encoded serialisation header; these are the
 * prefixes of the token generations seen in AWS documentation and SDK test fixtures.
 */
const SESSION_TOKEN_LOOK = /\b(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdz|FQoGZXIvYXdz|AQoDYXdz|AQoEXAMPLEH4aoAH0gNCAPy)[A-Za-z0-9/+=%]{16,}/g;

/**
 * A text none of the four patterns above can match lacks all of these (case aside): `Credential=`,
 * `Signature=`, and the `secret`/`session`/`security` every name {@link NAMED_SECRET} knows
 * contains; the session-token prefixes are listed as they are. Most recorded bodies (policies)
 * hold none, and one scan for them is cheaper than four replacements that find nothing.
 */
const MAY_HOLD_CREDENTIALS = /credential=|signature=|secret|session|security|IQoJb3JpZ2luX2Vj|FwoGZXIvYXdz|FQoGZXIvYXdz|AQoDYXdz|AQoEXAMPLEH4aoAH0gNCAPy/i;

/** Every spelling of a secret that may appear in recorded text. */
function spellingsOf(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  return [...new Set([secret, encodeURIComponent(secret), json, json.replace(/\//g, '\\/')])];
}

/** The spellings of each secret list redactText was given, longest secret first (a run passes the same few lists every time). */
const spellingsCache = new Map<string, readonly string[]>();

function secretSpellings(given: readonly (string | undefined)[]): readonly string[] {
  const secrets = given.filter((s): s is string => s !== undefined && s.length >= MIN_SECRET_LENGTH);
  if (secrets.length === 0) return [];
  const key = JSON.stringify(secrets);
  let found = spellingsCache.get(key);
  if (found === undefined) {
    // Longest first, so a secret that contains another is removed whole.
    found = [...secrets].sort((a, b) => b.length - a.length).flatMap(spellingsOf);
    if (spellingsCache.size >= 16) spellingsCache.clear();
    spellingsCache.set(key, found);
  }
  return found;
}

/**
 * Removes credentials from a piece of text (a body, a path with its query, a message). Returns
 * the text unchanged when it holds none.
 *
 * @example
 * redactText('AWS_SECRET_ACCESS_KEY=abc123def456ghi789') // 'AWS_SECRET_ACCESS_KEY=[REDACTED]'
 */
export function redactText(text: string, options: RedactOptions = {}): string {
  return scrub(text, secretSpellings(options.secrets ?? []));
}

/** {@link redactText} with the secrets' spellings already worked out. */
function scrub(text: string, spellings: readonly string[]): string {
  let out = text;
  for (const spelling of spellings) if (out.includes(spelling)) out = out.replaceAll(spelling, REDACTED);
  if (!MAY_HOLD_CREDENTIALS.test(out)) return out;
  out = out.replace(SIGV4_CREDENTIAL, (_m, name: string, _key: string, sep: string) => `${name}${REDACTED}${sep}`);
  out = out.replace(SIGV4_SIGNATURE, (_m, name: string) => `${name}${REDACTED}`);
  out = out.replace(NAMED_SECRET, (m, head: string, value: string) => (value === REDACTED || value.startsWith(REDACTED) ? m : `${head}${REDACTED}`));
  out = out.replace(SESSION_TOKEN_LOOK, REDACTED);
  return out;
}

/** The `Authorization` header as it may be recorded. */
function redactAuthorization(value: string, spellings: readonly string[]): string {
  if (/^\s*AWS4-HMAC-SHA256\s/i.test(value)) return scrub(value, spellings);
  return REDACTED;
}

/**
 * Removes credentials from a set of headers (any case of the names): `Authorization` keeps only
 * what explains an authentication finding, `X-Amz-Security-Token`, `Cookie` and
 * `Proxy-Authorization` are replaced whole, and every other value goes through
 * {@link redactText}. Returns a new object; names keep their spelling.
 *
 * @example
 * redactHeaders({ 'X-Amz-Security-Token': 'IQoJb3JpZ2luX2Vj…' }) // { 'X-Amz-Security-Token': '[REDACTED]' }
 */
export function redactHeaders(headers: Readonly<Record<string, string>>, options: RedactOptions = {}): Record<string, string> {
  return scrubHeaders(headers, secretSpellings(options.secrets ?? []));
}

function scrubHeaders(headers: Readonly<Record<string, string>>, spellings: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'authorization') out[name] = redactAuthorization(value, spellings);
    else if (SECRET_HEADERS.has(lower)) out[name] = REDACTED;
    else out[name] = scrub(value, spellings);
  }
  return out;
}

/** An exchange with its headers, path, bodies, failure and SDK error redacted. */
export function redactExchange(e: ExchangeRecord, options: RedactOptions = {}): ExchangeRecord {
  return scrubExchange(e, secretSpellings(options.secrets ?? []));
}

function scrubExchange(e: ExchangeRecord, spellings: readonly string[]): ExchangeRecord {
  const t = (s: string): string => scrub(s, spellings);
  return {
    ...e,
    ...(e.request === undefined
      ? {}
      : {
          request: {
            ...e.request,
            path: t(e.request.path),
            headers: scrubHeaders(e.request.headers, spellings),
            ...(e.request.body === undefined ? {} : { body: t(e.request.body) }),
          },
        }),
    ...(e.response === undefined ? {} : { response: { ...e.response, headers: scrubHeaders(e.response.headers, spellings), body: t(e.response.body) } }),
    ...(e.failure === undefined ? {} : { failure: t(e.failure) }),
    ...(e.sdkError === undefined ? {} : { sdkError: t(e.sdkError) }),
  };
}

/**
 * A case record with every text that came from the wire or the SDK redacted: its exchanges, the
 * observation's message and SDK error, the findings' observed text and message, and the reason.
 * (A body recorded as base64 is not inspected: the transports record UTF-8 bodies as text.)
 */
export function redactCaseRecord(r: CaseRecord, options: RedactOptions = {}): CaseRecord {
  const spellings = secretSpellings(options.secrets ?? []);
  const t = (s: string): string => scrub(s, spellings);
  const observed = (o: Observation): Observation =>
    o.kind === 'no-response' ? { ...o, reason: t(o.reason) } : { ...o, ...(o.message === undefined ? {} : { message: t(o.message) }), ...(o.sdkError === undefined ? {} : { sdkError: t(o.sdkError) }) };
  const findings = (fs: readonly Finding[]): Finding[] => fs.map((f) => ({ ...f, observed: t(f.observed), message: t(f.message) }));
  return {
    ...r,
    exchanges: r.exchanges.map((e) => scrubExchange(e, spellings)),
    ...(r.observed === undefined ? {} : { observed: observed(r.observed) }),
    ...(r.findings === undefined ? {} : { findings: findings(r.findings) }),
    ...(r.reason === undefined ? {} : { reason: t(r.reason) }),
    // A sequence's steps carry answers too (messages, findings).
    ...(r.sequence === undefined
      ? {}
      : { sequence: { ...r.sequence, steps: r.sequence.steps.map((st) => ({ ...st, ...(st.observed === undefined ? {} : { observed: observed(st.observed) }), ...(st.findings === undefined ? {} : { findings: findings(st.findings) }) })) } }),
  };
}
