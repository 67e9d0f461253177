import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, hex, multiRegionKeyId, uuidV4 } from './rng.ts';

describe('seeded ids', () => {
  it('property: UUID v4 and mrk ids have the key-id forms of contract notes §7', () => {
    fc.assert(
      fc.property(fc.integer(), fc.nat(10), (seed, stream) => {
        const rng = createRng(seed, stream);
        expect(uuidV4(rng)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(multiRegionKeyId(rng)).toMatch(/^mrk-[0-9a-f]{32}$/);
      }),
    );
  });

  it('property: a UUID is the next 32 hex digits of the stream with the version at digit 12 and the variant at digit 16 (ids stay the same for a seed)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.nat(10), fc.nat(5), (seed, stream, skip) => {
        const digits = createRng(seed, stream);
        const ids = createRng(seed, stream);
        for (let i = 0; i < skip; i++) {
          hex(digits, 32);
          uuidV4(ids);
        }
        const h = hex(digits, 32).split('');
        h[12] = '4';
        h[16] = '89ab'[parseInt(h[16]!, 16) & 3]!;
        expect(uuidV4(ids).replace(/-/g, '')).toBe(h.join(''));
      }),
    );
    expect(uuidV4(createRng(7, 2))).toMatchInlineSnapshot(`"d3ffe68f-55c1-413b-8beb-8ab35586d6af"`);
  });

  it('property: same seed and stream give the same sequence; another stream differs', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        expect(hex(createRng(seed, 1), 40)).toBe(hex(createRng(seed, 1), 40));
        expect(hex(createRng(seed, 1), 40)).not.toBe(hex(createRng(seed, 2), 40));
      }),
    );
  });

  it('next() stays in [0, 1) and spreads over the range', () => {
    const rng = createRng(5);
    const xs = Array.from({ length: 2000 }, () => rng.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const low = xs.filter((x) => x < 0.5).length;
    expect(low).toBeGreaterThan(900);
    expect(low).toBeLessThan(1100);
  });
});
