/**
 * Replay files: one JSON file per failing case under the report's `cases/`, holding everything
 * needed to send the case again: the case itself (request members or exact bytes, with its
 * set-up of keys and aliases, in the placeholder form the target rewrites), the transport, the
 * contract version and the world it was scored in, and what was expected and observed. Secrets
 * never go in: the recorded request has its `Authorization` redacted, and the case is re-signed
 * when it is sent again.
 */
import { readFile } from 'node:fs/promises';
import { caseFromJson, caseJson, type RunCase } from '../generators/cases.ts';
import { stepFromJson, type SequenceStep } from '../generators/sequence.ts';
import type { GeneratorContext } from '../generators/context.ts';
import type { ContractVersionId } from '../contract/types.ts';
import { resolveContractVersion } from '../contract/versions.ts';
import { TRANSPORTS, type CaseRecord, type TargetInfo, type Transport } from '../scoring/results.ts';
import { toolVersion } from './tool.ts';

/** Folder of replay files in a report directory. */
export const REPLAY_DIR = 'cases';
/** Format tag of a replay file. */
export const REPLAY_FORMAT = 'kms-conformance/case@1';

/** A replay file. */
export interface ReplayFile {
  readonly format: typeof REPLAY_FORMAT;
  readonly tool: string;
  readonly contract: ContractVersionId;
  readonly caseId: string;
  readonly runCaseId: string;
  readonly source: RunCase['source'] | 'sequence';
  readonly transport: Transport;
  readonly exampleOf?: string;
  readonly origin?: { readonly seed: number; readonly path: string };
  /** The run's seed (for the `generate` line). */
  readonly seed: number;
  readonly target: TargetInfo;
  readonly region: string;
  readonly world: { readonly accountId: string; readonly region: string; readonly partition: string; readonly callerArn: string; readonly principals: readonly { kind: string; id: string }[] };
  /**
   * The case, in the form `generate` prints plus kind and label; for a sequence
   * `{ kind: 'sequence', steps: [...] }`, the steps as generated (keys and aliases by number), sent
   * again one by one on fresh keys.
   */
  readonly case: Record<string, unknown>;
  /** A sequence's recorded steps (what each was scored on and what it got), for reading. */
  readonly sequence?: CaseRecord['sequence'];
  readonly ruleIds: readonly string[];
  readonly findings: CaseRecord['findings'];
  readonly expected: CaseRecord['expected'];
  readonly observed: CaseRecord['observed'];
  readonly exchanges: CaseRecord['exchanges'];
  readonly setup: CaseRecord['setup'];
  /** The command that re-sends it. */
  readonly replay: string;
}

/** A file name for a case id (`request:42:7/sdk` → `request-42-7-sdk.json`). */
export function replayFileName(id: string): string {
  const base = id.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return `${base.length > 180 ? `${base.slice(0, 150)}-${Buffer.from(id).toString('base64url').slice(-20)}` : base}.json`;
}

/** The run a replay file was saved in. */
export interface ReplayRun {
  readonly version: ContractVersionId;
  readonly seed: number;
  readonly context: GeneratorContext;
  readonly target: TargetInfo;
  readonly region: string;
}

/** The fields every replay file has: the tool, the run, the world, and the record's verdict. */
function commonFields(record: CaseRecord, run: ReplayRun): Omit<ReplayFile, 'runCaseId' | 'source' | 'case'> {
  return {
    format: REPLAY_FORMAT,
    tool: toolVersion(),
    contract: run.version,
    caseId: record.id,
    transport: record.transport,
    seed: run.seed,
    target: run.target,
    region: run.region,
    world: {
      accountId: run.context.accountId,
      region: run.context.region,
      partition: run.context.partition,
      callerArn: run.context.caller.arn,
      principals: run.context.principals.map((p) => ({ kind: p.kind, id: p.id })),
    },
    ruleIds: record.ruleIds,
    findings: record.findings,
    expected: record.expected,
    observed: record.observed,
    exchanges: record.exchanges,
    setup: record.setup,
    replay: `npx kms-conformance replay ${REPLAY_DIR}/${replayFileName(record.id)}${run.target.endpoint ? ` --endpoint ${run.target.endpoint}` : ''}`,
  };
}

/** The replay file of a failing record. */
export function replayFileOf(record: CaseRecord, rc: RunCase, run: ReplayRun): ReplayFile {
  return {
    ...commonFields(record, run),
    runCaseId: rc.id,
    source: rc.source,
    ...(rc.exampleOf === undefined ? {} : { exampleOf: rc.exampleOf }),
    ...(rc.origin === undefined ? {} : { origin: rc.origin }),
    case: caseJson(rc.case),
  };
}

/** The replay file of a failing sequence record: the steps that ran, replayed in order. */
export function sequenceReplayFileOf(record: CaseRecord, run: ReplayRun): ReplayFile {
  return {
    ...commonFields(record, run),
    runCaseId: record.id.slice(0, record.id.lastIndexOf('/')),
    source: 'sequence',
    case: { kind: 'sequence', steps: (record.sequence?.steps ?? []).map((s) => s.step) },
    ...(record.sequence === undefined ? {} : { sequence: record.sequence }),
  };
}

/** What a replay file holds to send again: one case, or the steps of a sequence. */
export type ReplayContent = { readonly file: ReplayFile; readonly runCase: RunCase; readonly steps?: undefined } | { readonly file: ReplayFile; readonly steps: readonly SequenceStep[]; readonly runCase?: undefined };

/** Thrown for a file that is not a replay file (the message names the file and the problem). */
export class ReplayFileError extends Error {
  override readonly name = 'ReplayFileError';
}

/** Reads and checks a replay file. */
export async function readReplayFile(path: string): Promise<ReplayContent> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ReplayFileError(`cannot read ${path}: ${e instanceof Error ? e.message : String(e)}. Pass a file from a report's cases/ folder.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ReplayFileError(`${path} is not JSON (${e instanceof Error ? e.message : String(e)}); pass a file from a report's cases/ folder.`);
  }
  const f = json as Partial<ReplayFile>;
  if (f === null || typeof f !== 'object' || f.format !== REPLAY_FORMAT) throw new ReplayFileError(`${path} is not a kms-conformance replay file (format ${JSON.stringify(f?.format)}, expected ${REPLAY_FORMAT}).`);
  if (!TRANSPORTS.includes(f.transport as Transport)) throw new ReplayFileError(`${path}: transport must be sdk or http, got ${JSON.stringify(f.transport)}.`);
  try {
    resolveContractVersion(String(f.contract));
  } catch {
    throw new ReplayFileError(`${path}: contract version ${JSON.stringify(f.contract)} is not one this tool knows; use the kms-conformance version that wrote it (${f.tool}).`);
  }
  if (f.source === 'sequence') {
    const steps = (f.case as { steps?: unknown } | undefined)?.steps;
    if (!Array.isArray(steps) || steps.length === 0) throw new ReplayFileError(`${path}: a sequence's case must hold its steps ({ "kind": "sequence", "steps": [...] }), got ${JSON.stringify(f.case)?.slice(0, 200)}.`);
    try {
      return { file: f as ReplayFile, steps: steps.map(stepFromJson) };
    } catch (e) {
      throw new ReplayFileError(`${path}: ${e instanceof Error ? e.message : String(e)}.`);
    }
  }
  let value;
  try {
    value = caseFromJson(f.case);
  } catch (e) {
    throw new ReplayFileError(`${path}: the case cannot be read: ${e instanceof Error ? e.message : String(e)}.`);
  }
  const runCase: RunCase = { id: String(f.runCaseId), source: (f.source as RunCase['source'] | undefined) ?? value.kind, case: value, ...(f.exampleOf ? { exampleOf: f.exampleOf } : {}), ...(f.origin ? { origin: f.origin } : {}) };
  return { file: f as ReplayFile, runCase };
}
