// @ts-check
/**
 * The benchmark's third yardstick: the mock server as it ships (`dist/mocks/server.js`: its HTTP
 * guard, body reading, request log hook and answer path), with the contract work taken out. Every
 * request that reaches the handler gets a canned PutKeyPolicy success (`200`, empty body, a request
 * id) without being decoded, checked or stored. Its distance from `minimal-server.js` is what the
 * mock's HTTP layer costs; its distance from the mock is what the contract work costs. Run after
 * `npm run build` (the benchmark builds first). Prints `listening on http://HOST:PORT` first; stops
 * on SIGTERM. Loopback only.
 */
import { MockHandler } from '../dist/mocks/handler.js';
import { startMockServer } from '../dist/mocks/server.js';

/** @type {import('../mocks/handler.ts').MockHttpResult} */
const CANNED = {
  kind: 'response',
  operation: 'PutKeyPolicy',
  code: undefined,
  response: { status: 200, headers: { 'x-amzn-requestid': '1b2c3d4e-0000-4000-8000-000000000000', 'content-type': 'application/x-amz-json-1.1', 'content-length': '0' }, body: '' },
};
MockHandler.prototype.handle = async () => CANNED;

const server = await startMockServer({ port: 0 });
process.stdout.write(`listening on ${server.url}\n`);
process.on('SIGTERM', () => void server.close());
