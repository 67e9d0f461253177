/**
 * A small seeded pseudo-random generator (sfc32 seeded through splitmix32), so key ids, request
 * ids and fault draws are the same on every run with the same seed. Not for cryptography.
 */

/** A seeded source of random numbers. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An unsigned 32-bit integer. */
  uint32(): number;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * Creates a seeded generator. Different `stream` values give independent sequences for one seed
 * (key ids, request ids and faults each draw from their own stream, so one does not shift another).
 */
export function createRng(seed: number, stream = 0): Rng {
  const init = splitmix32((seed ^ Math.imul(stream + 1, 0x632be5ab)) >>> 0);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const uint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) uint32();
  return { uint32, next: () => uint32() / 2 ** 32 };
}

/** `n` lowercase hex digits. */
export function hex(rng: Rng, n: number): string {
  let out = '';
  while (out.length < n) out += rng.uint32().toString(16).padStart(8, '0');
  return out.slice(0, n);
}

/** A UUID version 4 string (8-4-4-4-12 lowercase hex), the form of a single-Region key id (contract notes §7). */
export function uuidV4(rng: Rng): string {
  const s = hex(rng, 32);
  // Digit 12 is the version (4); digit 16 the variant (8, 9, a or b, from the drawn digit's low bits).
  const variant = '89ab'[parseInt(s.charAt(16), 16) & 3] ?? '8';
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-${variant}${s.slice(17, 20)}-${s.slice(20)}`;
}

/** A multi-Region key id: `mrk-` and 32 lowercase hex digits (contract notes §7). */
export function multiRegionKeyId(rng: Rng): string {
  return `mrk-${hex(rng, 32)}`;
}
