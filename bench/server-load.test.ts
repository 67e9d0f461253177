import { describe, expect, it } from 'vitest';
import { isRequestLogFrame, logShareOfProfile, type CpuProfile } from './server-load.ts';

const D = 'file:///home/u/kms-conformance/dist';
const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 1 });

/** A profile tree: root → idle, start-up, a request (→ handler → the log hook → its line), the log's timer (→ writer → stderr write), another file's `log`. */
const PROFILE: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 3, 4, 6, 11] },
    { id: 2, callFrame: frame('(idle)', '') },
    { id: 3, callFrame: frame('compileSourceTextModule', 'node:internal/modules/esm/utils') },
    { id: 4, callFrame: frame('parserOnIncoming', 'node:_http_server'), children: [5] },
    { id: 5, callFrame: frame('answer', `${D}/mocks/server.js`), children: [9] },
    { id: 6, callFrame: frame('processTimers', 'node:internal/timers'), children: [7] },
    { id: 7, callFrame: frame('flush', `${D}/cli/commands/request-log.js`), children: [8] },
    { id: 8, callFrame: frame('writeUtf8String', '') },
    { id: 9, callFrame: frame('log', `${D}/mocks/server.js`), children: [10] },
    { id: 10, callFrame: frame('formatLogLine', `${D}/cli/commands/serve.js`) },
    { id: 11, callFrame: frame('log', `${D}/cli/commands/run.js`) },
  ],
  // start-up (3, and a timer's write before the first request), then: request, handler, idle,
  // writer's write, log hook, line, handler, writer, another file's log
  samples: [3, 3, 8, 4, 5, 2, 8, 9, 10, 5, 7, 11],
};

describe("the request log's share of a CPU profile", () => {
  it('counts busy samples with a log frame anywhere on the stack, from the first request on', () => {
    // busy from the first request on: 4, 5, 8, 9, 10, 5, 7, 11 = 8; in the log: 8, 9, 10, 7 = 4
    expect(logShareOfProfile(PROFILE)).toEqual({ share: 0.5, busy: 8, inLog: 4 });
  });

  it('knows the log by file and function name, not by a name alone', () => {
    expect(isRequestLogFrame(frame('write', `${D}/cli/commands/request-log.js`))).toBe(true);
    expect(isRequestLogFrame(frame('formatLogLine', `${D}/cli/commands/serve.js`))).toBe(true);
    expect(isRequestLogFrame(frame('log', `${D}/mocks/server.js`))).toBe(true);
    expect(isRequestLogFrame(frame('log', `${D}/cli/commands/run.js`))).toBe(false);
    expect(isRequestLogFrame(frame('send', `${D}/mocks/server.js`))).toBe(false);
    expect(isRequestLogFrame(frame('formatLogLine', `${D}/cli/commands/merge.js`))).toBe(false);
  });

  it('is zero, not a division by zero, for a profile without requests', () => {
    expect(logShareOfProfile({ nodes: PROFILE.nodes, samples: [3, 3, 7] })).toEqual({ share: 0, busy: 0, inLog: 0 });
  });
});
