/**
 * `replay`: sends saved failing cases again. The set-up (keys, states, aliases) is rebuilt on the
 * target exactly as a run builds it, the case goes out through the transport it failed on, and
 * the answer is scored with the current contract: FIXED (it passes now), STILL FAILING (with the
 * findings), or ERROR (it could not be sent, or the set-up failed).
 */
import { isLoopbackHost } from '../mocks/server.ts';
import type { CaseRecord } from '../scoring/results.ts';
import { openEndpoint } from './endpoint.ts';
import { RunConfigError } from './errors.ts';
import { executeCase } from './execute.ts';
import { openInProcess } from './in-process.ts';
import { readReplayFile } from './replay-file.ts';
import { runSteps, sequenceRecord } from './sequence.ts';
import { runContext } from './runner.ts';
import type { OpenTarget } from './target.ts';
import { LOOPBACK_CREDENTIALS, type RunCredentials } from './transports.ts';
import type { MockOptions } from '../mocks/options.ts';
import type { KnownPrincipal } from '../contract/types.ts';
import { resolveContractVersion } from '../contract/versions.ts';

/** What a replay says about one file. */
export type ReplayOutcome =
  | { readonly file: string; readonly status: 'FIXED'; readonly record: CaseRecord }
  | { readonly file: string; readonly status: 'STILL FAILING'; readonly record: CaseRecord }
  | { readonly file: string; readonly status: 'ERROR'; readonly reason: string; readonly record?: CaseRecord };

/** Options of {@link replayFiles}. */
export interface ReplayOptions {
  /** Where to send; the endpoint recorded in the file when absent, else the bundled mock in process. */
  readonly endpoint?: string;
  readonly allowRemote?: boolean;
  readonly allowLockout?: boolean;
  readonly credentials?: RunCredentials;
  readonly convergeTimeoutMs?: number;
  /** Bundled mock only. */
  readonly mock?: MockOptions;
}

/** Replays each file in turn. Throws {@link RunConfigError} for a remote endpoint without `allowRemote` (nothing sent). */
export async function replayFiles(files: readonly string[], o: ReplayOptions = {}): Promise<ReplayOutcome[]> {
  const out: ReplayOutcome[] = [];
  for (const path of files) {
    let parsed;
    try {
      parsed = await readReplayFile(path);
    } catch (e) {
      out.push({ file: path, status: 'ERROR', reason: e instanceof Error ? e.message : String(e) });
      continue;
    }
    const { file } = parsed;
    const endpoint = o.endpoint ?? file.target.endpoint;
    if (endpoint !== undefined) {
      let host: string;
      try {
        host = new URL(endpoint).hostname;
      } catch {
        throw new RunConfigError('endpoint', `must be a URL such as http://127.0.0.1:4566, got ${JSON.stringify(endpoint)}.`);
      }
      if (!isLoopbackHost(host) && o.allowRemote !== true) throw new RunConfigError('endpoint', `${host} is not a loopback address; set allowRemote: true to replay against a remote service. Nothing was sent.`);
    }
    const version = resolveContractVersion(file.contract);
    // The recorded principals include the caller and the services every run assumes: repeating them is harmless.
    const runOpts = { callerArn: file.world.callerArn, principals: file.world.principals as readonly KnownPrincipal[] };
    let target: OpenTarget;
    try {
      target =
        endpoint === undefined
          ? openInProcess(runContext({ accountId: file.world.accountId, region: file.world.region, partition: file.world.partition }, version, runOpts), o.mock)
          : await openEndpoint({
              endpoint,
              region: file.region,
              credentials: o.credentials ?? LOOPBACK_CREDENTIALS,
              runId: `replay-${Date.now().toString(36)}`,
              maxKeys: 20,
              convergeTimeoutMs: o.convergeTimeoutMs ?? 10_000,
              context: (found) => {
                if (found.accountId !== file.world.accountId) throw new RunConfigError('endpoint', `creates keys in account ${found.accountId}, but the case was recorded in ${file.world.accountId}; replay it against the target it came from.`);
                return runContext(found, version, runOpts);
              },
              remote: !isLoopbackHost(new URL(endpoint).hostname),
            });
    } catch (e) {
      if (e instanceof RunConfigError) throw e;
      out.push({ file: path, status: 'ERROR', reason: e instanceof Error ? e.message : String(e) });
      continue;
    }
    try {
      const eo = { target, version, convergeTimeoutMs: o.convergeTimeoutMs ?? 10_000, secrets: o.credentials ? [o.credentials.secretAccessKey] : [], allowLockout: o.allowLockout === true };
      // A sequence is sent again step by step on fresh keys, each step scored on what the steps before left.
      const record =
        parsed.steps !== undefined
          ? sequenceRecord({ id: file.runCaseId, index: file.sequence?.index ?? 0, seed: file.sequence?.seed ?? file.seed }, file.transport, await runSteps(parsed.steps, file.transport, eo, file.caseId), 0)
          : await executeCase(parsed.runCase, file.transport, eo);
      if (record.verdict === 'fail') out.push({ file: path, status: 'STILL FAILING', record });
      else if (record.verdict === 'pass' || record.verdict === 'unspecified') out.push({ file: path, status: 'FIXED', record });
      else out.push({ file: path, status: 'ERROR', reason: record.reason ?? record.verdict, record });
    } finally {
      await target.close();
    }
  }
  return out;
}
