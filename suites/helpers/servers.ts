/**
 * Small loopback servers the suites point runs at: the bundled mock server (optionally behind a
 * proxy that removes operations, as emulators without them answer), started on port 0 and
 * stopped by the caller.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startMockServer, type MockServer, type MockServerOptions } from '../../mocks/server.ts';

/** A running test server. */
export interface TestServer {
  readonly url: string;
  /** Requests it has seen per X-Amz-Target operation. */
  readonly seen: Map<string, number>;
  close(): Promise<void>;
}

/** The bundled mock server on 127.0.0.1, port 0. */
export async function mockServer(options: MockServerOptions = {}): Promise<MockServer> {
  return startMockServer({ host: '127.0.0.1', port: 0, ...options });
}

/**
 * A proxy in front of a mock server that answers `UnknownOperationException` (400, as LocalStack
 * and moto answer an operation they lack) for the given operations and passes everything else on.
 */
export async function withoutOperations(upstream: string, missing: readonly string[]): Promise<TestServer> {
  const up = new URL(upstream);
  const seen = new Map<string, number>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const op = target.slice(target.lastIndexOf('.') + 1);
    seen.set(op, (seen.get(op) ?? 0) + 1);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (missing.includes(op)) {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'proxy' });
        res.end(JSON.stringify({ __type: 'UnknownOperationException', message: `Operation ${op} is not supported by this emulator` }));
        return;
      }
      const p = httpRequest({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      p.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      p.end(Buffer.concat(chunks));
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
