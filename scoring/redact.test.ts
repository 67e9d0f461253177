import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_SECRET_LENGTH, REDACTED, redactCaseRecord, redactHeaders, redactText } from './redact.ts';

/** Canary credentials: if any of these survives redaction, the test names where. */
const CANARY_ACCESS_KEY = 'AKIACANARY7EXAMPLE42';
const CANARY_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYCANARYK3Y1';
const CANARY_TOKEN = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQCANARYTOKENxyz0123456789abcdefABCDEF+/=';
const CANARY_SIGNATURE = 'c4a7c1c0ffee5e1c7ed0d15ea5edbadc0de0123456789abcdef0123456789abcd';

const SIGV4 = `AWS4-HMAC-SHA256 Credential=${CANARY_ACCESS_KEY}/20250101/us-east-1/kms/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=${CANARY_SIGNATURE}`;

function assertNoCanary(text: string, where: string): void {
  for (const [name, canary] of Object.entries({ CANARY_SECRET, CANARY_TOKEN, CANARY_SIGNATURE, CANARY_ACCESS_KEY })) {
    expect(text.includes(canary), `${name} survived in ${where}: ${text}`).toBe(false);
  }
}

describe('redactHeaders', () => {
  it('keeps the SigV4 scheme, scope and signed headers and drops the access key id and signature', () => {
    const out = redactHeaders({ Authorization: SIGV4, 'X-Amz-Date': '20250101T000000Z' });
    expect(out).toMatchInlineSnapshot(`
      {
        "Authorization": "AWS4-HMAC-SHA256 Credential=[REDACTED]/20250101/us-east-1/kms/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=[REDACTED]",
        "X-Amz-Date": "20250101T000000Z",
      }
    `);
  });

  it('replaces the security token, cookies and non-SigV4 authorization whole, in any case of the name', () => {
    const out = redactHeaders({
      'x-amz-security-token': CANARY_TOKEN,
      'X-AMZ-SECURITY-TOKEN': 'short',
      authorization: `Bearer ${CANARY_SECRET}`,
      Cookie: `session=${CANARY_SECRET}`,
      'content-type': 'application/x-amz-json-1.1',
    });
    expect(out['x-amz-security-token']).toBe(REDACTED);
    expect(out['X-AMZ-SECURITY-TOKEN']).toBe(REDACTED);
    expect(out.authorization).toBe(REDACTED);
    expect(out.Cookie).toBe(REDACTED);
    expect(out['content-type']).toBe('application/x-amz-json-1.1');
    assertNoCanary(JSON.stringify(out), 'headers');
  });

  it('passes other header values through redactText (a secret echoed in a custom header goes too)', () => {
    const out = redactHeaders({ 'x-debug': `key=${CANARY_SECRET}` }, { secrets: [CANARY_SECRET] });
    expect(out['x-debug']).toBe(`key=${REDACTED}`);
  });

  it('does not change the input object', () => {
    const input = { authorization: SIGV4 };
    redactHeaders(input);
    expect(input.authorization).toBe(SIGV4);
  });
});

describe('redactText', () => {
  it('removes canary credentials from every form they take in recorded text', () => {
    const samples: Record<string, string> = {
      'SigV4 header line': `authorization: ${SIGV4}`,
      'presigned query': `/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${CANARY_ACCESS_KEY}%2F20250101%2Fus-east-1%2Fkms%2Faws4_request&X-Amz-Security-Token=${encodeURIComponent(CANARY_TOKEN)}&X-Amz-Signature=${CANARY_SIGNATURE}`,
      'JSON body': JSON.stringify({ Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: CANARY_SECRET, SessionToken: CANARY_TOKEN } }),
      'JSON inside a JSON string': JSON.stringify({ Policy: JSON.stringify({ SecretAccessKey: CANARY_SECRET, SessionToken: CANARY_TOKEN }) }),
      'env file': `AWS_ACCESS_KEY_ID=x\nAWS_SECRET_ACCESS_KEY=${CANARY_SECRET}\nAWS_SESSION_TOKEN=${CANARY_TOKEN}\n`,
      'ini file': `[default]\naws_secret_access_key = ${CANARY_SECRET}\naws_session_token = ${CANARY_TOKEN}\n`,
      'SDK error text': `CredentialsProviderError: token ${CANARY_TOKEN} expired; secretKey: '${CANARY_SECRET}'`,
      'bare session token': `sent with ${CANARY_TOKEN} attached`,
    };
    for (const [where, text] of Object.entries(samples)) {
      const out = redactText(text);
      expect(out, where).toContain(REDACTED);
      for (const canary of [CANARY_SECRET, CANARY_TOKEN, CANARY_SIGNATURE]) expect(out.includes(canary), `${where}: ${out}`).toBe(false);
    }
    expect(redactText(samples['presigned query']!)).toMatchInlineSnapshot(
      `"/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=[REDACTED]%2F20250101%2Fus-east-1%2Fkms%2Faws4_request&X-Amz-Security-Token=[REDACTED]&X-Amz-Signature=[REDACTED]"`,
    );
    expect(redactText(samples['env file']!)).toMatchInlineSnapshot(`
      "AWS_ACCESS_KEY_ID=x
      AWS_SECRET_ACCESS_KEY=[REDACTED]
      AWS_SESSION_TOKEN=[REDACTED]
      "
    `);
  });

  it('removes the secrets the caller names wherever they appear, raw, URL-encoded or JSON-escaped', () => {
    const secrets = [CANARY_SECRET, CANARY_TOKEN];
    const texts = [
      `a bare ${CANARY_SECRET} in prose`,
      `q=${encodeURIComponent(CANARY_SECRET)}`,
      JSON.stringify({ x: `${CANARY_SECRET}/${CANARY_TOKEN}` }),
      JSON.stringify(JSON.stringify({ y: CANARY_SECRET })),
    ];
    for (const t of texts) {
      const out = redactText(t, { secrets });
      assertNoCanary(out, t);
      expect(out).toContain(REDACTED);
    }
  });

  it('ignores named secrets too short to be real (they would wreck the record) and undefined ones', () => {
    const short = 'x'.repeat(MIN_SECRET_LENGTH - 1);
    expect(redactText(`value ${short} stays`, { secrets: [short, undefined] })).toBe(`value ${short} stays`);
  });

  it('leaves text without credentials alone: policies, AWS error messages, a bare 40-character string', () => {
    const untouched = [
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCd', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }] }),
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      'The security token included in the request is invalid.',
      'The security token included in the request is expired',
      '{"__type":"MalformedPolicyDocumentException","message":"Policy contains a statement with one or more invalid principals."}',
    ];
    for (const t of untouched) expect(redactText(t)).toBe(t);
  });

  it('is idempotent', () => {
    const once = redactText(`authorization: ${SIGV4}\nAWS_SESSION_TOKEN=${CANARY_TOKEN}`, { secrets: [CANARY_SECRET] });
    expect(redactText(once, { secrets: [CANARY_SECRET] })).toBe(once);
  });
});

describe('redactText, the quick path', () => {
  /**
   * The redaction as it was before the quick path (a fresh RegExp per spelling, all four patterns
   * run on every text): the quick path must give exactly its output.
   */
  function reference(text: string, secrets: readonly string[]): string {
    const escape = (x: string): string => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    let out = text;
    for (const s of secrets.filter((x) => x.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length)) {
      const json = JSON.stringify(s).slice(1, -1);
      for (const spelling of new Set([s, encodeURIComponent(s), json, json.replace(/\//g, '\\/')])) out = out.replace(new RegExp(escape(spelling), 'g'), REDACTED);
    }
    out = out.replace(/(\bCredential=|\bX-Amz-Credential=)([^/,\s&"']+?)(\/|%2F|(?=[,\s&"']|$))/gi, (_m, name: string, _key: string, sep: string) => `${name}${REDACTED}${sep}`);
    out = out.replace(/(\bSignature=|\bX-Amz-Signature=)([0-9a-fA-F]+)/gi, (_m, name: string) => `${name}${REDACTED}`);
    out = out.replace(
      /((?:aws[\s_-]?)?(?:secret[\s_-]?(?:access[\s_-]?)?key|session[\s_-]?token|security[\s_-]?token|x-amz-security-token)\\*["']?\s*(?::|=>|=)\s*\\*["']?)([^\s"'&,;}<>\\]+)/gi,
      (m, head: string, value: string) => (value === REDACTED || value.startsWith(REDACTED) ? m : `${head}${REDACTED}`),
    );
    return out.replace(/\b(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdz|FQoGZXIvYXdz|AQoDYXdz|AQoEXAMPLEH4aoAH0gNCAPy)[A-Za-z0-9/+=%]{16,}/g, REDACTED);
  }

  // Texts built from the pieces the patterns look for, in any case, among policy-like filler.
  const piece = fc.oneof(
    fc.constantFrom('Credential=', 'X-Amz-Credential=', 'Signature=', 'x-amz-signature=', 'SecretAccessKey', 'aws_secret_access_key', 'SESSION_TOKEN', 'security-token', 'X-Amz-Security-Token', ' = ', '":"', '\\"', ': ', '/', '%2F', ', ', '&'),
    fc.constantFrom(CANARY_SECRET, CANARY_TOKEN, CANARY_SIGNATURE, CANARY_ACCESS_KEY, encodeURIComponent(CANARY_SECRET), JSON.stringify(CANARY_SECRET), 'FwoGZXIvYXdzEXAMPLEtokenABCDEFGH1234', 'kms:PutKeyPolicy', '{"Version":"2012-10-17"}'),
    fc.string({ maxLength: 12 }),
  );
  const text = fc.array(fc.tuple(piece, fc.boolean()), { maxLength: 12 }).map((parts) => parts.map(([p, upper]) => (upper ? p.toUpperCase() : p)).join(''));

  it('gives exactly what the full redaction gives, with and without the run\'s secrets', () => {
    fc.assert(
      fc.property(text, fc.constantFrom<string[]>([], [CANARY_SECRET], [CANARY_SECRET, CANARY_TOKEN], ['short', CANARY_TOKEN]), (t, secrets) => {
        expect(redactText(t, { secrets })).toBe(reference(t, secrets));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves a policy without credentials as it is, and still finds one hidden in a long policy', () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'x'.repeat(20_000), Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }] });
    expect(redactText(policy, { secrets: [CANARY_SECRET] })).toBe(policy);
    const hiding = policy.replace('kms:*', `kms:* aws_secret_access_key=${'k'.repeat(20)}`);
    expect(redactText(hiding)).toBe(policy.replace('kms:*', `kms:* aws_secret_access_key=${REDACTED}`));
  });
});

describe('redactCaseRecord', () => {
  it('redacts the answers a sequence step recorded (messages and findings), not only the case', () => {
    const step = {
      step: { op: 'EnableKey', key: 0 },
      call: 'EnableKey(key 0)',
      operation: 'EnableKey',
      input: { KeyId: 'k' },
      before: { keys: [], aliases: [] },
      verdict: 'fail' as const,
      ruleIds: ['KeyState.after.policy'],
      observed: { kind: 'response' as const, status: 400, code: 'X', message: `bad secret ${CANARY_SECRET}` },
      findings: [{ code: 'state_mismatch' as const, caseId: 'c', ruleIds: ['KeyState.after.policy'], expected: 'e', observed: `seen ${CANARY_SECRET}`, message: `m ${CANARY_SECRET}` }],
      exchanges: [],
    };
    const out = redactCaseRecord(
      { id: 'sequence:1:0/sdk', source: 'sequence', transport: 'sdk', operation: 'EnableKey', verdict: 'fail', ruleIds: [], exchanges: [], ms: 1, sequence: { seed: 1, index: 0, steps: [step], failingStep: 0 } },
      { secrets: [CANARY_SECRET] },
    );
    assertNoCanary(JSON.stringify(out), 'a sequence step');
    expect(out.sequence!.steps[0]!.observed).toEqual({ kind: 'response', status: 400, code: 'X', message: `bad secret ${REDACTED}` });
  });
});
