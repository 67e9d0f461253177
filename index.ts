/**
 * kms-conformance: the contract of AWS KMS PutKeyPolicy and its companions as data, with the
 * oracle that decides any request, the generators of cases, and the conformance runner.
 *
 * @packageDocumentation
 */
export * from './contract/index.ts';
export * from './generators/index.ts';
export { runConformance, planRun, resolveRunOptions, RunConfigError, TargetUnavailableError } from './replay/runner.ts';
export type { RunOptions, RunProgress, ConformanceResult, RunPlan } from './replay/runner.ts';
export { replayFiles } from './replay/replay.ts';
export type { ReplayOptions, ReplayOutcome } from './replay/replay.ts';
export * from './scoring/results.ts';
export { formatRatio, computeScore } from './scoring/aggregate.ts';
export { mergeShards, checkShards, MergeError } from './scoring/merge.ts';
export type { ShardInput, MergeOptions, MergedRun } from './scoring/merge.ts';
export { parseShard } from './replay/shard.ts';
export type { Shard } from './replay/shard.ts';
