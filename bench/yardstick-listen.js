// @ts-check
/**
 * What the benchmark's yardstick servers (`minimal-server.js`, `parse-only-server.js`) share:
 * keep-alive, listening on 127.0.0.1 at a port the system picks, printing
 * `listening on http://HOST:PORT` first as `kms-conformance serve` does, and stopping on SIGTERM.
 */

/** @param {import('node:http').Server} server */
export function listenOnLoopback(server) {
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => {
    const a = /** @type {import('node:net').AddressInfo} */ (server.address());
    process.stdout.write(`listening on http://${a.address}:${a.port}\n`);
  });
  process.on('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
  });
}
