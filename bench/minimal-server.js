// @ts-check
/**
 * The benchmark's yardstick: the smallest keep-alive Node HTTP server answering every request with
 * `200 {}` (after reading the body, as any server must). Prints `listening on http://HOST:PORT`
 * first, like `kms-conformance serve`; stops on SIGTERM. Loopback only. Plain JavaScript, run by
 * node itself, as the mock server it is compared with runs compiled (`dist/cli/main.js`).
 */
import { createServer } from 'node:http';
import { listenOnLoopback } from './yardstick-listen.js';

const server = createServer({ keepAlive: true }, (req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': '2' }).end('{}');
  });
});
listenOnLoopback(server);
