// @ts-check
/**
 * The benchmark's second yardstick: the least work any server that reads a PutKeyPolicy must do,
 * and nothing more. It reads the body, decodes it as strict UTF-8, parses it as JSON and parses its
 * `Policy` member as JSON, then answers `200` with an empty body and a request id, as KMS answers a
 * PutKeyPolicy (or `400` with an AWS JSON error when either parse fails). No validation, no state.
 * Prints `listening on http://HOST:PORT` first, like `bench/minimal-server.js`; stops on SIGTERM.
 * Loopback only. Plain JavaScript, run by node itself.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { listenOnLoopback } from './yardstick-listen.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const JSON_TYPE = 'application/x-amz-json-1.1';

const server = createServer({ keepAlive: true }, (req, res) => {
  /** @type {Buffer[]} */
  const chunks = [];
  req.on('data', (/** @type {Buffer} */ c) => chunks.push(c));
  req.on('end', () => {
    let ok = false;
    try {
      const body = JSON.parse(utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
      ok = typeof body.Policy === 'string' && typeof JSON.parse(body.Policy) === 'object';
    } catch {
      ok = false;
    }
    const requestId = randomUUID();
    if (ok) res.writeHead(200, { 'x-amzn-requestid': requestId, 'content-type': JSON_TYPE, 'content-length': '0' }).end();
    else {
      const error = JSON.stringify({ __type: 'SerializationException', message: 'the body or its Policy is not JSON' });
      res.writeHead(400, { 'x-amzn-requestid': requestId, 'content-type': JSON_TYPE, 'content-length': String(Buffer.byteLength(error)) }).end(error);
    }
  });
});
listenOnLoopback(server);
