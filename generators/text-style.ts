/**
 * The seeded formatting choice of a rendered policy: which layout, indent, line end and escaping.
 */
import fc from 'fast-check';
import { COMPACT_STYLE, LAYOUTS, type TextStyle } from './json-text.ts';

/**
 * Arbitrary text styles. Compact text (what SDKs send) is the most frequent; pretty layouts with
 * 2/4 spaces or tabs, CRLF or CR line ends, the Jackson layout of KMS's own default policy
 * (contract notes §8.7), `\u00XX` and `\/` escapes and a trailing newline all appear.
 *
 * @example
 * ```ts
 * const [style] = fc.sample(textStyleArb(), { seed: 1, numRuns: 1 });
 * renderJson(value, style);
 * ```
 */
export function textStyleArb(): fc.Arbitrary<TextStyle> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(COMPACT_STYLE) },
    {
      weight: 7,
      arbitrary: fc.record({
        layout: fc.constantFrom(...LAYOUTS),
        indent: fc.constantFrom('  ', '    ', '\t'),
        newline: fc.constantFrom('\n', '\r\n', '\r'),
        escapeNonAscii: fc.boolean(),
        escapeSlash: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
        trailingNewline: fc.boolean(),
      }),
    },
  );
}
