/**
 * The full default run against the bundled mock, and its harness overhead as issue 9 defines it:
 * the run's time beyond what the very same requests cost through the very same path to a trivial
 * handler answering `{}`. Same path: the SDK with msw's `getResponse` as its request handler for
 * `sdk`, `sendInProcess` for `http`, 8 cases at once as the run does. The trivial handler is one
 * MSW handler answering `200 {}` to everything, built once (building handlers per case is the
 * in-process target's own choice, so it counts as harness). Every exchange the run recorded is
 * re-sent, the case's own request and its read-after-write reads alike (the in-process target sets
 * keys up without requests). The baseline's inputs are decoded before its clock starts, so it
 * times requests and nothing else.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { WireRequest } from '../contract/wire.ts';
import { MockHandler } from '../mocks/handler.ts';
import { KmsModel } from '../mocks/model/kms-model.ts';
import { kmsRequestHandler } from '../mocks/msw.ts';
import { planRun, runConformance } from '../replay/runner.ts';
import { LOOPBACK_CREDENTIALS, runClient, sendInProcess, sendSdk } from '../replay/transports.ts';
import { rescoreRecord } from '../scoring/rescore.ts';
import type { CaseRecord, ExchangeRecord } from '../scoring/results.ts';

const ORIGIN = 'http://kms.bench.invalid';

/** What {@link measureRun} found. */
export interface RunFigures {
  readonly cases: number;
  readonly runMs: number;
  readonly baselineMs: number;
  /** Exchanges sent in the baseline / recorded in the run. */
  readonly exchanges: number;
  readonly recorded: number;
  readonly verdicts: Readonly<Record<string, number>>;
  /**
   * The work a run cannot skip, each part timed alone (ms): generating every case once
   * (`planRun`), the mock's own synchronous work during the measured run (`MockHandler.handle` up
   * to its first `await`, which decodes the request and identifies the caller, and
   * `KmsModel.handle`, which consults the oracle and changes the state), and scoring every record
   * once more (`rescoreRecord`). Their sum over the baseline is the least overhead a run can have.
   */
  readonly floor: { readonly planMs: number; readonly mockMs: number; readonly scoreMs: number };
}

/** A method of a prototype, wrapped to add the time spent in its synchronous part to a total; `restore` puts the original back. */
export interface TimedMethods {
  /** ms spent in the wrapped methods so far; a call made inside another wrapped call counts once, in the outer one. */
  readonly ms: () => number;
  readonly calls: () => number;
  restore(): void;
}

/**
 * Wraps `name` on each prototype so that the synchronous part of every call (up to its return, or
 * the first `await` of an async method) is timed. For the benchmark only: the wrapper costs two
 * `performance.now()` calls per call.
 */
export function timeMethods(targets: readonly { readonly proto: object; readonly name: string }[], now: () => number = () => performance.now()): TimedMethods {
  let total = 0;
  let calls = 0;
  let depth = 0;
  const originals = targets.map(({ proto, name }) => {
    const original = (proto as Record<string, unknown>)[name];
    if (typeof original !== 'function') throw new TypeError(`timeMethods: ${name} is not a method of the prototype given`);
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      if (depth > 0) return (original as (...a: unknown[]) => unknown).apply(this, args);
      depth++;
      const t = now();
      try {
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      } finally {
        total += now() - t;
        calls++;
        depth--;
      }
    };
    Object.defineProperty(proto, name, { value: wrapped, writable: true, configurable: true });
    return { proto, name, original };
  });
  return {
    ms: () => total,
    calls: () => calls,
    restore() {
      for (const { proto, name, original } of originals) Object.defineProperty(proto, name, { value: original, writable: true, configurable: true });
    },
  };
}

function bodyOf(e: ExchangeRecord): Uint8Array {
  const r = e.request;
  if (r === undefined) return new Uint8Array();
  if (r.bodyBase64 !== undefined) return new Uint8Array(Buffer.from(r.bodyBase64, 'base64'));
  return new TextEncoder().encode(r.body ?? '');
}

/** The trivial handler: `200 {}` for every request, whatever it is. */
const TRIVIAL: readonly HttpHandler[] = [http.all(`${ORIGIN}/*`, () => new HttpResponse('{}', { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' } }))];

/** One exchange to re-send, decoded ahead of the clock. */
type Resend = { readonly kind: 'sdk'; readonly operation: string; readonly input: Record<string, unknown> } | { readonly kind: 'http'; readonly request: WireRequest };

/** The exchanges of each case, in the run's order, ready to send; exchanges that cannot be re-sent are counted out. */
function resends(records: readonly CaseRecord[]): Resend[][] {
  return records.map((rec) =>
    rec.exchanges.flatMap((e): Resend[] => {
      if (e.request === undefined) return [];
      if (e.transport === 'http') return [{ kind: 'http', request: { method: e.request.method, path: e.request.path, headers: e.request.headers, body: bodyOf(e) } }];
      try {
        return [{ kind: 'sdk', operation: e.operation, input: JSON.parse(new TextDecoder().decode(bodyOf(e))) as Record<string, unknown> }];
      } catch {
        return []; // the SDK always sends JSON; nothing else to replay
      }
    }),
  );
}

/** Re-sends every case's exchanges through the same path to the trivial handler, `concurrency` cases at once; returns ms and exchanges sent. */
async function baseline(work: readonly (readonly Resend[])[], concurrency: number): Promise<{ ms: number; sent: number }> {
  const clients: KMSClient[] = Array.from({ length: concurrency }, () => runClient({ endpoint: ORIGIN, region: 'us-east-1', credentials: LOOPBACK_CREDENTIALS, requestHandler: kmsRequestHandler(TRIVIAL) }));
  let next = 0;
  let sent = 0;
  const started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      while (next < work.length) {
        for (const x of work[next++]!) {
          if (x.kind === 'sdk') await sendSdk(client, x.operation, x.input);
          else await sendInProcess(TRIVIAL, ORIGIN, x.request);
          sent++;
        }
      }
    }),
  );
  const ms = performance.now() - started;
  for (const c of clients) c.destroy();
  return { ms, sent };
}

/** Runs the full default suite (`runConformance({ out: false })`, default runs) and its trivial-handler baseline. */
export async function measureRun(seed: number): Promise<RunFigures> {
  await runConformance({ out: false, seed: seed + 1 }); // warm-up: JIT, module caches, SDK clients
  const records: CaseRecord[] = [];
  const mock = timeMethods([
    { proto: MockHandler.prototype, name: 'handle' },
    { proto: KmsModel.prototype, name: 'handle' },
  ]);
  let runMs: number;
  let result: Awaited<ReturnType<typeof runConformance>>;
  try {
    const started = performance.now();
    result = await runConformance({ out: false, seed, onCase: (r) => records.push(r) });
    runMs = performance.now() - started;
  } finally {
    mock.restore();
  }
  let t = performance.now();
  planRun({ seed });
  const planMs = performance.now() - t;
  t = performance.now();
  for (const r of records) rescoreRecord(r, result, result.contract.version);
  const scoreMs = performance.now() - t;
  const work = resends(records);
  await baseline(work, result.settings.concurrency); // warm-up of the baseline path
  const b = await baseline(work, result.settings.concurrency);
  const verdicts: Record<string, number> = {};
  for (const r of records) verdicts[r.verdict] = (verdicts[r.verdict] ?? 0) + 1;
  return { cases: records.length, runMs, baselineMs: b.ms, exchanges: b.sent, recorded: records.reduce((n, r) => n + r.exchanges.filter((e) => e.request !== undefined).length, 0), verdicts, floor: { planMs, mockMs: mock.ms(), scoreMs } };
}
