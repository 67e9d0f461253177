/**
 * Entry point of the mock server process the fuzz and soak runs hammer (`server-process.ts`
 * starts it): the server runs alone in its process, so its memory is measured apart from the load
 * generator's, and a crash shows as the process exiting. Options arrive as JSON in argv[2]; the
 * parent talks over IPC: `{ port }` once listening, then `memory` (and CPU time) and `stats` on
 * request, and
 * `close` to stop.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startMockServer } from '../../mocks/server.ts';
import type { MockServerOptions } from '../../mocks/server.ts';
import type { ChildReply, ChildRequest, ServerStats } from './server-process.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const options = JSON.parse(process.argv[2] ?? '{}') as MockServerOptions;
const stats: ServerStats = { answers: 0, byCode: {}, dropped: 0 };
const server = await startMockServer({
  ...options,
  host: '127.0.0.1',
  port: 0,
  onRequest: (l) => {
    stats.answers++;
    if (l.status === 'dropped') stats.dropped++;
    const key = `${l.status} ${l.code ?? '-'}`;
    stats.byCode[key] = (stats.byCode[key] ?? 0) + 1;
  },
});

const reply = (m: ChildReply): void => {
  process.send?.(m);
};
process.on('message', (m: ChildRequest) => {
  if (m === 'memory') {
    gc();
    gc();
    const u = process.memoryUsage();
    const cpu = process.cpuUsage();
    reply({ kind: 'memory', rss: u.rss, heapUsed: u.heapUsed, cpuMs: (cpu.user + cpu.system) / 1000 });
  } else if (m === 'stats') {
    reply({ kind: 'stats', stats });
  } else if (m === 'close') {
    void server.close().then(() => {
      process.disconnect();
    });
  }
});
reply({ kind: 'listening', port: server.port });
