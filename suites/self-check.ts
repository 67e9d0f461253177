/**
 * `runCases`: sends generated cases to a target through a transport and scores every answer with
 * the contract's own oracle (`expected` for requests, `expectedWire` for raw bytes, plus
 * `checkResponse` for the response-side rules). The seed of the later `run` command; the vitest
 * files in `suites/` are thin wrappers around it.
 *
 * @example
 * ```ts
 * const ctx = createGeneratorContext({ version: '2025-06-05' });
 * const results = await runCases({
 *   cases: suiteCases('request', 300, 42, ctx),
 *   target: { kind: 'mock', serving: 'in-process' },
 *   transport: 'sdk',
 *   version: '2025-06-05',
 * });
 * const failures = results.filter((r) => r.kind === 'fail');
 * ```
 */
import { expected, expectedWire } from '../contract/oracle.ts';
import { targetOf } from '../contract/model.ts';
import { CONTRACT_VERSIONS, type ContractVersionId, type Expectation } from '../contract/types.ts';
import { AWS_JSON_1_1, type WireRequest } from '../contract/wire.ts';
import { createGeneratorContext, type GeneratorContext } from '../generators/context.ts';
import { worldFromSetup } from '../generators/request-case.ts';
import type { OutputContext } from '../contract/output.ts';
import { caseOperation, caseRequest, caseSetup, type SuiteCase } from './cases.ts';
import type { CaseResult, ResultBase, SentSummary, Transport } from './results.ts';
import { observe, scoreNoResponse, scoreResponse, summariseExpectation, type Verdict } from './score.ts';
import { openTarget, SetupError, SuiteConfigError, type Arranged, type OpenTarget, type SuiteTarget } from './targets.ts';
import { sendSdk, type Exchange } from './transports.ts';

export { SuiteConfigError } from './targets.ts';
export type { SuiteTarget } from './targets.ts';
export type { CaseResult, Finding, Observation, ExpectedSummary, SentSummary, Transport, ResultCounts } from './results.ts';
export { countResults } from './results.ts';
export type { SuiteCase } from './cases.ts';
export { suiteCases, fixedCase } from './cases.ts';

/** Options of {@link runCases}. */
export interface RunCasesOptions {
  readonly cases: readonly SuiteCase[];
  readonly target: SuiteTarget;
  /** `sdk` sends request and policy cases through `@aws-sdk/client-kms`; `http` sends raw bytes (any case). */
  readonly transport: Transport;
  /** Contract version the answers are scored under (and the mock runs under). */
  readonly version: ContractVersionId;
  /**
   * The generator context the cases were generated in (account, Region, caller, principals).
   * @defaultValue `createGeneratorContext({ version })`
   */
  readonly context?: GeneratorContext;
  /** Cases at once, at most the target's own limit. @defaultValue the target's limit */
  readonly concurrency?: number;
}

function validate(options: RunCasesOptions): GeneratorContext {
  if (!(CONTRACT_VERSIONS as readonly string[]).includes(options.version)) {
    throw new SuiteConfigError(`runCases: version must be one of ${CONTRACT_VERSIONS.join(', ')}, got ${JSON.stringify(options.version)}.`);
  }
  const ctx = options.context ?? createGeneratorContext({ version: options.version });
  if (ctx.version !== options.version) {
    throw new SuiteConfigError(`runCases: the context's version is ${ctx.version} but the run scores ${options.version}; labels hold only in the version they were generated for. Generate the cases with createGeneratorContext({ version: '${options.version}' }).`);
  }
  if (options.transport !== 'sdk' && options.transport !== 'http') {
    throw new SuiteConfigError(`runCases: transport must be 'sdk' or 'http', got ${JSON.stringify(options.transport)}.`);
  }
  if (options.transport === 'sdk') {
    const wire = options.cases.find((c) => c.case.kind === 'wire');
    if (wire) throw new SuiteConfigError(`runCases: case ${wire.id} is a wire case (raw bytes), which the SDK cannot send. Run wire cases with transport 'http'.`);
  }
  const ids = new Set<string>();
  for (const c of options.cases) {
    if (ids.has(c.id)) throw new SuiteConfigError(`runCases: case id ${JSON.stringify(c.id)} appears twice; every case needs its own id.`);
    ids.add(c.id);
  }
  if (options.concurrency !== undefined && (!Number.isInteger(options.concurrency) || options.concurrency < 1)) {
    throw new SuiteConfigError(`runCases: concurrency must be a whole number of at least 1, got ${JSON.stringify(options.concurrency)}.`);
  }
  return ctx;
}

/** Member values of a JSON body, keys sorted, for comparing what was sent with what was generated. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
  );
}

function sentBodyJson(request: WireRequest): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(request.body));
  } catch {
    return undefined;
  }
}

/** The raw request a request or policy case is, as the `http` transport sends it (members as generated, nulls included). */
function rawRequestOf(operation: Parameters<typeof targetOf>[0], input: Readonly<Record<string, unknown>>): WireRequest {
  return {
    method: 'POST',
    path: '/',
    headers: { 'content-type': AWS_JSON_1_1, 'x-amz-target': targetOf(operation) },
    body: new TextEncoder().encode(JSON.stringify(input)),
  };
}

interface Scored {
  readonly expectation: Expectation;
  readonly sent: SentSummary;
  /** The request and the world it ran in, so the output rules can compare an answer with the key. */
  readonly output?: OutputContext;
}

/** Sends one case and works out what the oracle expects for what actually went out. */
async function exchange(c: SuiteCase, arranged: Arranged, transport: Transport, ctx: GeneratorContext, version: ContractVersionId): Promise<{ ex: Exchange; scored: Scored | undefined }> {
  const world = worldFromSetup(caseSetup(c.case), ctx);
  const request = caseRequest(c.case, ctx);
  if (request !== undefined && transport === 'sdk') {
    const ex = await sendSdk(arranged.sdk, request.operation, request.input);
    if (ex.request === undefined) return { ex, scored: undefined };
    const asSent = sentBodyJson(ex.request);
    const output: OutputContext = { request: { operation: request.operation, input: request.input }, world };
    if (canonical(asSent) === canonical(JSON.parse(JSON.stringify(request.input)))) {
      return { ex, scored: { expectation: expected(output.request, world, ctx.caller, version), sent: { asGenerated: true }, output } };
    }
    // The SDK changed the request (it drops null and unknown members): score what it sent.
    const note = `the SDK sent ${canonical(asSent)} for the generated ${canonical(request.input)}`;
    return { ex, scored: { expectation: expectedWire(ex.request, world, ctx.caller, version, { maxBodyBytes: arranged.maxBodyBytes }), sent: { asGenerated: false, note }, output } };
  }
  if (request !== undefined) {
    const ex = await arranged.raw(rawRequestOf(request.operation, request.input));
    const output: OutputContext = { request: { operation: request.operation, input: request.input }, world };
    return { ex, scored: { expectation: expected(output.request, world, ctx.caller, version), sent: { asGenerated: true }, output } };
  }
  if (c.case.kind !== 'wire') throw new Error(`[kms-conformance suite] internal error: case ${c.id} of kind ${c.case.kind} has no request`);
  const w = c.case.value;
  const ex = await arranged.raw({ method: w.method, path: w.path, headers: w.headers, body: w.body });
  if (ex.request === undefined) return { ex, scored: undefined };
  const asGenerated = ex.request.body.length === w.body.length;
  const sent: SentSummary = asGenerated ? { asGenerated: true } : { asGenerated: false, note: `the ${w.method} request went out without its ${w.body.length}-byte body (Fetch sends no body on GET/HEAD)` };
  return { ex, scored: { expectation: expectedWire(ex.request, world, ctx.caller, version, { maxBodyBytes: arranged.maxBodyBytes }), sent } };
}

async function runOne(c: SuiteCase, target: OpenTarget, transport: Transport, ctx: GeneratorContext, version: ContractVersionId): Promise<CaseResult> {
  const base: ResultBase = {
    caseId: c.id,
    caseKind: c.case.kind,
    label: c.case.value.label,
    origin: c.origin,
    operation: caseOperation(c.case),
    transport,
    target: target.name,
    version,
    ruleIds: [],
    expected: undefined,
    observed: undefined,
    sent: undefined,
  };
  let arranged: Arranged;
  try {
    arranged = await target.arrange(caseSetup(c.case));
  } catch (e) {
    return { ...base, kind: 'error', stage: e instanceof SetupError ? 'setup' : 'harness', message: e instanceof Error ? e.message : String(e) };
  }
  try {
    const { ex, scored } = await exchange(c, arranged, transport, ctx, version);
    if (scored === undefined) return { ...base, kind: 'error', stage: 'send', message: `nothing was sent: ${ex.failure ?? 'unknown reason'}` };
    const withExpected = { ...base, expected: summariseExpectation(scored.expectation), sent: scored.sent };
    let verdict: Verdict;
    if (ex.response === undefined) {
      const reason = ex.failure ?? 'no response';
      verdict = scoreNoResponse(scored.expectation, reason);
      return finish({ ...withExpected, observed: { kind: 'no-response', reason } }, verdict);
    }
    const observed = observe(ex.response, ex.sdkError);
    verdict = scoreResponse(scored.expectation, base.operation, ex.response, observed, scored.output);
    return finish({ ...withExpected, observed }, verdict);
  } catch (e) {
    return { ...base, kind: 'error', stage: 'harness', message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  } finally {
    arranged.release();
  }
}

function finish(base: ResultBase, v: Verdict): CaseResult {
  switch (v.kind) {
    case 'pass':
      return { ...base, ruleIds: v.ruleIds, kind: 'pass' };
    case 'fail':
      return { ...base, ruleIds: v.ruleIds, kind: 'fail', findings: v.findings };
    case 'unspecified':
      return { ...base, ruleIds: v.ruleIds, kind: 'unspecified', reason: v.reason };
  }
}

/**
 * Runs cases against a target and scores each answer with the contract's oracle. Results come
 * back in the order of `cases`. Each case gets its own set-up (its keys and aliases, nothing
 * else); a set-up the target cannot build is an `error` result, never a `fail`.
 *
 * @throws SuiteConfigError for options it cannot run with (nothing is sent then).
 */
export async function runCases(options: RunCasesOptions): Promise<CaseResult[]> {
  const ctx = validate(options);
  const target = await openTarget(options.target, ctx, options.version);
  try {
    const limit = Math.max(1, Math.min(options.concurrency ?? target.concurrency, target.concurrency));
    const results: CaseResult[] = new Array(options.cases.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < options.cases.length) {
        const i = next++;
        results[i] = await runOne(options.cases[i]!, target, options.transport, ctx, options.version);
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, options.cases.length) }, worker));
    return results;
  } finally {
    await target.close();
  }
}
