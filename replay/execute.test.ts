import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordRequest } from './execute.ts';

/** The check recordRequest made before it asked isUtf8: decode leniently, keep the text only if it re-encodes to the same bytes. */
function asTextBefore(body: Uint8Array): string | undefined {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body);
  return Buffer.from(text, 'utf8').equals(Buffer.from(body)) ? text : undefined;
}

describe('recordRequest', () => {
  const bodies = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }).map((s) => new TextEncoder().encode(s)),
    fc.uint8Array({ maxLength: 40 }),
    fc.tuple(fc.constantFrom([0xef, 0xbb, 0xbf], [0xef, 0xbb], [0xc3], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]), fc.string({ maxLength: 8 })).map(([prefix, s]) => new Uint8Array([...prefix, ...new TextEncoder().encode(s)])),
  );

  it('records a body as text exactly when its bytes decode and re-encode unchanged, else as base64', () => {
    fc.assert(
      fc.property(bodies, (body) => {
        const r = recordRequest({ method: 'POST', path: '/', headers: {}, body }, []);
        const text = asTextBefore(body);
        if (text === undefined) expect(r).toMatchObject({ bodyBase64: Buffer.from(body).toString('base64') });
        else expect(r.body).toBe(text);
        expect(r.body === undefined).toBe(r.bodyBase64 !== undefined);
      }),
      { numRuns: 3000 },
    );
  });
});
