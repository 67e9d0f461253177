/**
 * Secrets never reach a record, a report, a log or the console: the `Authorization` header (it
 * names the access key and carries a signature), `X-Amz-Security-Token`, and anything that looks
 * like a secret access key or session token inside other text.
 */

/** Header names whose values are never recorded. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set(['authorization', 'x-amz-security-token', 'x-amz-credential', 'x-amz-signature', 'cookie', 'proxy-authorization']);

/** What a redacted value reads as. */
export const REDACTED = '[redacted]';

/** The headers with secret values replaced (names lower-cased). */
export function redactHeaders(headers: Readonly<Record<string, string | readonly string[] | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    const name = k.toLowerCase();
    out[name] = SECRET_HEADERS.has(name) ? REDACTED : redactText(typeof v === 'string' ? v : v.join(', '));
  }
  return out;
}

/**
 * Text with credential-shaped values replaced: SigV4 `Credential=`/`Signature=` parts, query
 * parameters that carry credentials, and the given known secrets (the run's secret key and
 * session token) wherever they appear.
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text
    .replace(/(Credential=)[^,\s&"]+/g, `$1${REDACTED}`)
    .replace(/(Signature=)[0-9a-fA-F]+/g, `$1${REDACTED}`)
    .replace(/((?:X-Amz-Security-Token|X-Amz-Credential|X-Amz-Signature)=)[^&\s"]+/gi, `$1${REDACTED}`);
  for (const s of secrets) if (s.length >= 8) out = out.split(s).join(REDACTED);
  return out;
}
