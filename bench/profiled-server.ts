/**
 * The mock server for the benchmark's CPU profile: `startMockServer` with the generated policies'
 * principals known, profiled with `node:inspector` from the moment it listens (so module loading
 * is left out) until SIGTERM, when the profile is written to the directory given as the first
 * argument. Prints `listening on http://HOST:PORT` first. Loopback, port 0.
 * Usage: `node --import tsx bench/profiled-server.ts PROFILE_DIR`.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { DEFAULT_GENERATOR_CONTEXT } from '../generators/context.ts';
import { startMockServer } from '../mocks/server.ts';

const dir = process.argv[2];
if (dir === undefined) {
  process.stderr.write('usage: profiled-server.ts PROFILE_DIR\n');
  process.exit(2);
}
const server = await startMockServer({ port: 0, principals: DEFAULT_GENERATOR_CONTEXT.principals });
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
process.stdout.write(`listening on ${server.url}\n`);
process.once('SIGTERM', () => {
  void (async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(dir, 'mock-server.cpuprofile'), JSON.stringify(profile));
    session.disconnect();
    await server.close();
  })();
});
