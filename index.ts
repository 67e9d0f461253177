/**
 * kms-conformance — the package root: the contract (rules, oracle, key policy checker, wire
 * layer) and the fast-check generators. The mock is served from subpaths:
 * `kms-conformance/msw`, `kms-conformance/client-mock`, `kms-conformance/server`.
 *
 * @packageDocumentation
 */
export * from './contract/index.ts';
export * from './generators/index.ts';
