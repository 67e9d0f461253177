/**
 * The Smithy awsJson1_1 error-parsing vectors (SPT, `shared/contract/sources`) replayed through the
 * real SDK: (1) each vector's response as written resolves to the documented error, and
 * `normaliseErrorType` agrees; (2) the wire layer's own encoding of that error resolves to the
 * same name and keeps the message.
 */
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encodeError, normaliseErrorType } from '../contract/wire.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const VECTORS_FILE = resolve(repoRoot, '../shared/contract/sources/smithy-aws-protocol-tests.awsJson1_1.errors.smithy');

interface Vector {
  readonly id: string;
  readonly errorShape: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly message: string | undefined;
}

/** Reads the `apply <Shape> @httpResponseTests([...])` blocks of the Smithy file. */
function parseVectors(text: string): Vector[] {
  const out: Vector[] = [];
  const applyRe = /apply\s+(\w+)\s+@httpResponseTests\(\[([\s\S]*?)\n\]\)/g;
  for (const block of text.matchAll(applyRe)) {
    const shape = block[1] ?? '';
    const entries = (block[2] ?? '').split(/\n\s{4}\{\s*\n/).filter((e) => /\bid:\s*"/.test(e));
    for (const e of entries) {
      const id = /\bid:\s*"([^"]+)"/.exec(e)?.[1] ?? '';
      const status = Number(/\bcode:\s*(\d+)/.exec(e)?.[1]);
      const headers: Record<string, string> = {};
      const h = /\bheaders:\s*\{([^}]*)\}/.exec(e)?.[1] ?? '';
      for (const m of h.matchAll(/"([^"]+)"\s*:\s*"([^"]*)"/g)) headers[(m[1] ?? '').toLowerCase()] = m[2] ?? '';
      const body = /\bbody:\s*"""([\s\S]*?)"""/.exec(e)?.[1]?.trim() ?? '';
      const message = /params:\s*\{\s*Message:\s*"([^"]*)"/.exec(e)?.[1];
      out.push({ id, errorShape: shape, status, headers, body, message });
    }
  }
  return out;
}

/** An SDK request handler that answers every request with one canned response. */
function canned(status: number, headers: Record<string, string>, body: string) {
  return {
    async handle() {
      return { response: { statusCode: status, headers, body: new TextEncoder().encode(body) } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
}

async function sdkErrorFor(status: number, headers: Record<string, string>, body: string): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  const client = new KMSClient({
    region: 'us-east-1',
    endpoint: 'http://kms.vectors.invalid',
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' },
    requestHandler: canned(status, headers, body),
  });
  try {
    await client.send(new DescribeKeyCommand({ KeyId: 'k' }));
  } catch (e) {
    return e as Error;
  }
  throw new Error(`the SDK accepted the error response ${status} ${body}`);
}

const vectors = parseVectors(readFileSync(VECTORS_FILE, 'utf8'));

describe('Smithy awsJson1_1 error vectors', () => {
  it('are all read from the file (14 vectors, 3 shapes)', () => {
    expect(vectors).toHaveLength(14);
    expect(new Set(vectors.map((v) => v.id)).size).toBe(14);
    expect(new Set(vectors.map((v) => v.errorShape))).toEqual(new Set(['InvalidGreeting', 'ComplexError', 'FooError']));
    expect(vectors.every((v) => v.status >= 400)).toBe(true);
  });

  it.each(vectors.map((v) => [v.id, v] as const))('%s: the SDK resolves the documented error, and normaliseErrorType agrees', async (_id, v) => {
    const err = await sdkErrorFor(v.status, v.headers, v.body);
    expect(err.name).toBe(v.errorShape);
    expect(err.$metadata?.httpStatusCode).toBe(v.status);
    if (v.message !== undefined) expect(err.message).toBe(v.message);
    const raw = v.body === '' ? v.headers['x-amzn-errortype'] : ((JSON.parse(v.body) as Record<string, string>).__type ?? (JSON.parse(v.body) as Record<string, string>).code);
    expect(raw).toBeDefined();
    expect(normaliseErrorType(raw ?? '')).toBe(v.errorShape);
  });

  it.each(vectors.map((v) => [v.id, v] as const))('%s: the wire layer encodes the same error so the SDK reads it back', async (_id, v) => {
    const r = encodeError(v.errorShape, `message of ${v.id}`, v.status, 'req-1');
    const err = await sdkErrorFor(r.status, { ...r.headers }, r.body);
    expect(err.name).toBe(v.errorShape);
    expect(err.message).toBe(`message of ${v.id}`);
    expect(err.$metadata?.httpStatusCode).toBe(v.status);
  });
});
