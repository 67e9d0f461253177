/**
 * The full default run against the bundled mock, and its harness overhead: the run's time beyond
 * what the very same requests cost through the very same path (the SDK with msw's `getResponse`
 * as its request handler for `sdk`, `sendInProcess` for `http`, 8 cases at once as the run does)
 * when an MSW handler answers each with the response the run recorded for it, canned: no model,
 * no oracle, no scoring, no set-up checks.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import type { KMSClient } from '@aws-sdk/client-kms';
import { kmsRequestHandler } from '../mocks/msw.ts';
import { runConformance } from '../replay/runner.ts';
import { LOOPBACK_CREDENTIALS, runClient, sendInProcess, sendSdk } from '../replay/transports.ts';
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
}

function bodyOf(e: ExchangeRecord): Uint8Array {
  const r = e.request;
  if (r === undefined) return new Uint8Array();
  if (r.bodyBase64 !== undefined) return new Uint8Array(Buffer.from(r.bodyBase64, 'base64'));
  return new TextEncoder().encode(r.body ?? '');
}

function cannedResponse(e: ExchangeRecord): Response {
  if (e.response === undefined) return Response.error();
  // Fetch forbids a body on 204/304 answers; a recorded one is empty anyway.
  const empty = e.response.status === 204 || e.response.status === 304;
  return new HttpResponse(empty ? null : e.response.body, { status: e.response.status, headers: { 'content-type': e.response.headers['content-type'] ?? 'application/x-amz-json-1.1' } });
}

/** Replays every recorded exchange through the same path with canned answers; returns ms and exchanges sent. */
async function baseline(records: readonly CaseRecord[], concurrency: number): Promise<{ ms: number; sent: number }> {
  const slots: { client: KMSClient; answers: ExchangeRecord[] }[] = [];
  for (let i = 0; i < concurrency; i++) {
    const slot: { client: KMSClient | undefined; answers: ExchangeRecord[] } = { client: undefined, answers: [] };
    const canned: HttpHandler[] = [http.all(`${ORIGIN}/*`, () => cannedResponse(slot.answers.shift()!))];
    const inner = kmsRequestHandler(canned);
    slot.client = runClient({ endpoint: ORIGIN, region: 'us-east-1', credentials: LOOPBACK_CREDENTIALS, requestHandler: inner });
    slots.push(slot as { client: KMSClient; answers: ExchangeRecord[] });
  }
  let next = 0;
  let sent = 0;
  const started = performance.now();
  await Promise.all(
    slots.map(async (slot) => {
      while (next < records.length) {
        const rec = records[next++]!;
        for (const e of rec.exchanges) {
          if (e.request === undefined) continue;
          slot.answers = [e];
          // One handler list per case, as the in-process target builds one per case.
          const handlers: HttpHandler[] = [http.all(`${ORIGIN}/*`, () => cannedResponse(slot.answers.shift()!))];
          if (e.transport === 'sdk') {
            let input: Record<string, unknown>;
            try {
              input = JSON.parse(new TextDecoder().decode(bodyOf(e))) as Record<string, unknown>;
            } catch {
              continue; // the SDK always sends JSON; nothing else to replay
            }
            await sendSdk(slot.client, e.operation, input);
          } else {
            await sendInProcess(handlers, ORIGIN, { method: e.request.method, path: e.request.path, headers: e.request.headers, body: bodyOf(e) });
          }
          sent++;
        }
      }
    }),
  );
  const ms = performance.now() - started;
  for (const s of slots) s.client.destroy();
  return { ms, sent };
}

/** Runs the full default suite (`runConformance({ out: false })`, default runs) and its canned-answer baseline. */
export async function measureRun(seed: number): Promise<RunFigures> {
  await runConformance({ out: false, seed: seed + 1 }); // warm-up: JIT, module caches, SDK clients
  const records: CaseRecord[] = [];
  const started = performance.now();
  const result = await runConformance({ out: false, seed, onCase: (r) => records.push(r) });
  const runMs = performance.now() - started;
  await baseline(records, result.settings.concurrency); // warm-up of the baseline path
  const b = await baseline(records, result.settings.concurrency);
  const verdicts: Record<string, number> = {};
  for (const r of records) verdicts[r.verdict] = (verdicts[r.verdict] ?? 0) + 1;
  return { cases: records.length, runMs, baselineMs: b.ms, exchanges: b.sent, recorded: records.reduce((n, r) => n + r.exchanges.filter((e) => e.request !== undefined).length, 0), verdicts };
}
