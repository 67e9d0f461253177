/**
 * Listing rules for ListKeys and ListAliases (decision 0221): what a page holds (`Limit`,
 * `Truncated`, `NextMarker`), the `Marker` that continues a listing, and ListAliases's documented
 * `Limit` range. Ids: `<Op>.Marker.*`, `<Op>.output.*`, `ListAliases.Limit.documented`.
 */
import type { OperationName, Rule, SourceRef } from '../types.ts';
import { INVALID_MARKER, SUCCESS, anyError, rule } from './outcomes.ts';

const DECISION = 'decisions/0221-listing-and-markers.md';

/** The paginated listing operations. */
export const LISTING_OPERATIONS = ['ListKeys', 'ListAliases'] as const satisfies readonly OperationName[];
/** One of {@link LISTING_OPERATIONS}. */
export type ListingOperation = (typeof LISTING_OPERATIONS)[number];

/** Items a page holds when the request has no `Limit` (M1 documentation of each `Limit`). */
export const DEFAULT_PAGE_SIZE: Readonly<Record<ListingOperation, number>> = { ListKeys: 100, ListAliases: 50 };

/** The largest `Limit` ListAliases's documentation allows (the model allows 1000). */
export const LIST_ALIASES_DOCUMENTED_LIMIT = 100;

/** Id of the marker rule of a listing operation. */
export function markerRuleId(op: ListingOperation): string {
  return `${op}.Marker.issued`;
}

/** Id of the output rule of a listing operation. */
export function listingOutputRuleId(op: ListingOperation): string {
  return op === 'ListKeys' ? 'ListKeys.output.keys' : 'ListAliases.output.aliases';
}

const MARKER_DOC: SourceRef = {
  tag: 'M1',
  quote: 'Set it to the value of NextMarker from the truncated response you just received.',
  where: 'ListKeysRequest.Marker, ListAliasesRequest.Marker',
};
const NEXT_MARKER_DOC: SourceRef = {
  tag: 'M1',
  quote: 'When Truncated is true, this element is present and contains the value to use for the Marker parameter in a subsequent request.',
  where: 'ListKeysResponse.NextMarker, ListAliasesResponse.NextMarker',
};
const LIMIT_DOC: SourceRef = {
  tag: 'M1',
  quote: 'When this value is present, KMS does not return more than the specified number of items, but it might return fewer.',
  where: 'ListKeysRequest.Limit, ListAliasesRequest.Limit',
};

function markerRule(op: ListingOperation): Rule {
  return rule({
    id: markerRuleId(op),
    operations: [op],
    topic: 'pagination',
    statement: `${op} continues a listing from a Marker that is a NextMarker it returned; any other Marker fails with InvalidMarkerException.`,
    sources: [MARKER_DOC, { tag: 'M1', quote: 'The request was rejected because the marker that specifies where pagination should next begin is not valid.', where: 'InvalidMarkerException' }],
    outcomes: [INVALID_MARKER],
    note: 'Markers are opaque: only whoever sent the request knows whether the target issued it (request context `markerIssued`). Without that, a request with a Marker is unspecified.',
    decision: DECISION,
  });
}

/** The listing rules. */
export const PAGINATION_RULES: readonly Rule[] = [
  markerRule('ListKeys'),
  markerRule('ListAliases'),
  rule({
    id: 'ListAliases.Limit.documented',
    operations: ['ListAliases'],
    topic: 'pagination',
    statement: 'ListAliases Limit, when present, is between 1 and 100 inclusive (the model allows 1..1000): above 100, success or a client error.',
    sources: [
      { tag: 'M1', quote: 'If you include a value, it must be between 1 and 100, inclusive. If you do not include a value, it defaults to 50.', where: 'ListAliasesRequest.Limit' },
      { tag: 'M1', quote: '"smithy.api#range": { "min": 1, "max": 1000 }', where: 'LimitType, shared by ListKeys and ListAliases' },
    ],
    outcomes: [SUCCESS, anyError([400], 'the documentation says "must be" but names no error, while the model accepts the value')],
    disagreement: 'The model (LimitType, 1..1000) accepts 101..1000; the documentation says at most 100. Both answers are accepted; the mock lists up to the Limit.',
    decision: DECISION,
  }),
  rule({
    id: 'ListKeys.output.keys',
    operations: ['ListKeys'],
    topic: 'pagination',
    statement:
      'ListKeys answers Keys of {KeyId, KeyArn} (KeyArn the key ARN of KeyId), at most Limit (default 100) of them, NextMarker when Truncated is true, and, on a first page that is not truncated, every key of the account and Region.',
    sources: [
      { tag: 'M1', quote: 'Gets a list of all KMS keys in the caller\'s Amazon Web Services account and Region.', where: 'ListKeys' },
      { tag: 'M1', quote: 'If you include a value, it must be between 1 and 1000, inclusive. If you do not include a value, it defaults to 100.', where: 'ListKeysRequest.Limit' },
      LIMIT_DOC,
      NEXT_MARKER_DOC,
    ],
    outcomes: [SUCCESS],
    note: 'Keys the world does not know (e.g. AWS managed keys created on first use) may be listed too; only missing keys and malformed entries break the rule.',
    decision: DECISION,
  }),
  rule({
    id: 'ListAliases.output.aliases',
    operations: ['ListAliases'],
    topic: 'pagination',
    statement:
      'ListAliases answers Aliases with AliasName (alias/…) and its AliasArn, at most Limit (default 50), only the key\'s aliases when KeyId is given, NextMarker when Truncated is true, and, on a first page that is not truncated, every alias of the account and Region (of the key).',
    sources: [
      { tag: 'M1', quote: 'By default, the ListAliases operation returns all aliases in the account and region. To get only the aliases associated with a particular KMS key, use the KeyId parameter.', where: 'ListAliases' },
      { tag: 'M1', quote: 'If you include a value, it must be between 1 and 100, inclusive. If you do not include a value, it defaults to 50.', where: 'ListAliasesRequest.Limit' },
      LIMIT_DOC,
      NEXT_MARKER_DOC,
    ],
    outcomes: [SUCCESS],
    note: 'Aliases AWS creates (alias/aws/<service>, some without TargetKeyId) may be listed too; only missing aliases and malformed entries break the rule.',
    decision: DECISION,
  }),
];
