/**
 * The mock's pagination markers for ListKeys and ListAliases (decision 0221): opaque to clients,
 * `base64url("<Op>:<last item listed>")`. A page continues after the last item in sort order, so a
 * marker stays valid while items are added or deleted.
 */
import type { ListingOperation } from '../../contract/rules/index.ts';

/** The marker that continues `op`'s listing after `lastItem`. */
export function encodeMarker(op: ListingOperation, lastItem: string): string {
  return Buffer.from(`${op}:${lastItem}`, 'utf8').toString('base64url');
}

/** The last item a marker of `op` continues after, or `undefined` when the mock did not issue it. */
export function decodeMarker(op: ListingOperation, marker: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(marker)) return undefined;
  const text = Buffer.from(marker, 'base64url').toString('utf8');
  const prefix = `${op}:`;
  if (!text.startsWith(prefix) || text.length === prefix.length) return undefined;
  // Only the canonical encoding of that text counts, so no two markers mean the same page.
  return encodeMarker(op, text.slice(prefix.length)) === marker ? text.slice(prefix.length) : undefined;
}

/**
 * One page of `items` (sorted by `keyOf`), after the item a marker named and at most `limit` long,
 * with the marker of the next page when more remain.
 */
export function page<T>(op: ListingOperation, items: readonly T[], keyOf: (item: T) => string, after: string | undefined, limit: number): { items: T[]; nextMarker: string | undefined } {
  const sorted = [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const rest = after === undefined ? sorted : sorted.filter((x) => keyOf(x) > after);
  const taken = rest.slice(0, limit);
  const last = taken.at(-1);
  return { items: taken, nextMarker: rest.length > limit && last !== undefined ? encodeMarker(op, keyOf(last)) : undefined };
}
