/**
 * Each request path's own cost: PutKeyPolicy calls per second through the real SDK
 * (`maxAttempts: 1`) when the answer is a canned `{}`, so the figures are the ceilings each path
 * puts on a run: MSW `setupServer` interception, MSW handlers called in process (`getResponse`),
 * a minimal Node HTTP server on loopback (keep-alive, in a child process), the SDK with a canned
 * in-process request handler.
 */
import { Agent } from 'node:http';
import type { KMSClient, KMSClientConfig } from '@aws-sdk/client-kms';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { kmsRequestHandler } from '../mocks/msw.ts';
import { LOOPBACK_CREDENTIALS, runClient, sendSdk } from '../replay/transports.ts';

/** The request paths measured. */
export const PATHS = ['msw-setupServer', 'msw-getResponse', 'loopback-server', 'sdk-canned'] as const;
export type PathName = (typeof PATHS)[number];

export const PATH_LABELS: Readonly<Record<PathName, string>> = {
  'msw-setupServer': 'MSW setupServer interception',
  'msw-getResponse': 'MSW handlers in process (getResponse)',
  'loopback-server': 'minimal loopback HTTP server',
  'sdk-canned': 'SDK with a canned requestHandler',
};

const ORIGIN = 'http://kms.bench.invalid';
const JSON_TYPE = { 'content-type': 'application/x-amz-json-1.1' };

/** Calls per second of `count` PutKeyPolicy calls, `concurrency` at once (bounded: exactly `count`). */
export async function callsPerSecond(client: KMSClient, policies: readonly string[], count: number, concurrency: number): Promise<number> {
  let next = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const x = await sendSdk(client, 'PutKeyPolicy', { KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab', PolicyName: 'default', Policy: policies[i % policies.length]! });
        if (x.response?.status !== 200) failed++;
      }
    }),
  );
  const ms = performance.now() - started;
  if (failed > 0) throw new Error(`bench: ${failed} of ${count} calls through the path did not get the canned 200; the measurement would be wrong. Check the path's set-up.`);
  return (count / ms) * 1000;
}

function client(requestHandler: KMSClientConfig['requestHandler'], endpoint = ORIGIN): KMSClient {
  return runClient({ endpoint, region: 'us-east-1', credentials: LOOPBACK_CREDENTIALS, ...(requestHandler === undefined ? {} : { requestHandler }) });
}

/** Measures one path at each concurrency; `loopbackUrl` is a minimal server answering `{}`. */
export async function measurePath(path: PathName, policies: readonly string[], loopbackUrl: string, plan: readonly { concurrency: number; count: number }[]): Promise<number[]> {
  const out: number[] = [];
  const run = async (c: KMSClient): Promise<void> => {
    await callsPerSecond(c, policies, 300, 8); // warm-up
    for (const p of plan) out.push(await callsPerSecond(c, policies, p.count, p.concurrency));
    c.destroy();
  };
  switch (path) {
    case 'sdk-canned': {
      const handle = async () => ({ response: { statusCode: 200, headers: { ...JSON_TYPE }, body: new TextEncoder().encode('{}') } });
      await run(client({ handle, updateHttpClientConfig() {}, httpHandlerConfigs: () => ({}), destroy() {} } as unknown as KMSClientConfig['requestHandler']));
      break;
    }
    case 'msw-getResponse':
      await run(client(kmsRequestHandler([http.post(`${ORIGIN}/`, () => new HttpResponse('{}', { headers: JSON_TYPE }))])));
      break;
    case 'msw-setupServer': {
      const server = setupServer(http.post(`${ORIGIN}/`, () => new HttpResponse('{}', { headers: JSON_TYPE })));
      server.listen({ onUnhandledRequest: 'error' });
      try {
        await run(client({ httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) }));
      } finally {
        server.close();
      }
      break;
    }
    case 'loopback-server': {
      const agent = new Agent({ keepAlive: true, maxSockets: 64 });
      await run(client({ httpAgent: agent }, loopbackUrl));
      agent.destroy();
      break;
    }
  }
  return out;
}
