/**
 * The kinds of abuse a fuzz or soak run mixes, each a {@link Scenario} that sends one or more
 * requests over raw sockets and checks every answer: the generators' wire mutations, random bytes,
 * invalid UTF-8, huge, truncated and deeply nested bodies, other methods and paths, header
 * floods, slow clients (trickled and stalled), connections closed mid-body, pipelined requests,
 * malformed HTTP, and concurrent writers to the same keys (checked by the {@link Ledger}).
 */
import type { HttpTimeouts } from '../../mocks/server.ts';
import { expectWire, httpBytes, judge, kmsBytes, kmsHeaders, show } from './answers.ts';
import type { Expectation, Rng } from './answers.ts';
import type { Ledger } from './ledger.ts';
import { RawConnection } from './raw-client.ts';
import type { RawResponse } from './raw-client.ts';

/** One wire case of the pool: its bytes (addressed to a pool key) and what its answer must be. */
export interface WirePoolCase {
  readonly mutation: string;
  readonly bytes: Buffer;
  readonly expected: Expectation;
}

/** What the scenarios work against. */
export interface FuzzWorld {
  readonly port: number;
  readonly maxBodyBytes: number;
  readonly timeouts: HttpTimeouts;
  /** Keys that wire cases, reads and failing writes use (their policies are not checked). */
  readonly poolKeys: readonly { readonly keyId: string; readonly arn: string }[];
  /** ARNs of the checked keys, in `ledger.keyIds` order. */
  readonly checkedArns: readonly string[];
  readonly ledger: Ledger;
  readonly wireCases: readonly WirePoolCase[];
  /** Ledger bases `[0, validBases)` are valid policies; the rest, up to `allBases`, invalid ones. */
  readonly validBases: number;
  readonly allBases: number;
}

/** A problem a scenario found, keyed by `code`. */
export interface Failure {
  readonly scenario: string;
  readonly code: 'wrong_answer' | 'no_answer' | 'unsolicited_answer' | 'no_close';
  readonly message: string;
  readonly request: string;
}

/** What the runner gives each lane: counters, the failure list and the connection watchdog. */
export interface LaneSink {
  count(scenario: string, requests: number): void;
  fail(f: Failure): void;
  watch(c: RawConnection): void;
}

/** One worker of a run: its own seeded choices and keep-alive connection. */
export class Lane {
  readonly world: FuzzWorld;
  readonly rng: Rng;
  private readonly sink: LaneSink;
  private conn: RawConnection | undefined;

  constructor(world: FuzzWorld, rng: Rng, sink: LaneSink) {
    this.world = world;
    this.rng = rng;
    this.sink = sink;
  }

  /** The lane's keep-alive connection (a new one when the last was closed). */
  async keepAlive(): Promise<RawConnection> {
    if (this.conn === undefined || !this.conn.isOpen) this.conn = await this.open();
    return this.conn;
  }

  /** A new connection, watched for hangs. */
  async open(): Promise<RawConnection> {
    const c = await RawConnection.open(this.world.port);
    this.sink.watch(c);
    return c;
  }

  /** Closes the keep-alive connection (at the end of the run). */
  close(): void {
    this.conn?.destroy();
  }

  count(scenario: string, requests: number): void {
    this.sink.count(scenario, requests);
  }

  fail(scenario: string, code: Failure['code'], message: string, bytes: Buffer): void {
    this.sink.fail({ scenario, code, message, request: show(bytes) });
  }

  /** Waits for the next answer on `conn` and judges it; `undefined` (and a failure) when none came or it was wrong. */
  async answer(scenario: string, conn: RawConnection, bytes: Buffer, expected: Expectation): Promise<RawResponse | undefined> {
    let r: RawResponse;
    try {
      r = await conn.next();
    } catch (e) {
      this.fail(scenario, 'no_answer', (e as Error).message, bytes);
      return undefined;
    }
    const problem = judge(r, expected);
    if (problem !== undefined) {
      this.fail(scenario, 'wrong_answer', problem, bytes);
      return undefined;
    }
    return r;
  }

  /** Sends one request on `conn` and judges its answer. */
  exchange(scenario: string, conn: RawConnection, bytes: Buffer, expected: Expectation): Promise<RawResponse | undefined> {
    conn.write(bytes, [expected.kind === 'head']);
    this.count(scenario, 1);
    return this.answer(scenario, conn, bytes, expected);
  }

  /** After an answer that says `Connection: close`: the server must close, and send nothing more. */
  async expectClose(scenario: string, conn: RawConnection, bytes: Buffer): Promise<void> {
    if (!(await conn.closesWithin(5_000))) this.fail(scenario, 'no_close', 'the connection stayed open after an answer with Connection: close', bytes);
    if (conn.unsolicited > 0) this.fail(scenario, 'unsolicited_answer', `${conn.unsolicited} answer(s) to no request`, bytes);
    conn.destroy();
  }
}

/** A kind of request the run mixes, picked with probability proportional to `weight`. */
export interface Scenario {
  readonly name: string;
  readonly weight: number;
  run(lane: Lane): Promise<void>;
}

const json = (r: RawResponse): Record<string, unknown> => JSON.parse(r.body.toString('utf8')) as Record<string, unknown>;

/** A valid (or, with `invalid`, an invalid) policy write to a checked key, registered in the ledger. */
function checkedWrite(lane: Lane, invalid = false): { bytes: Buffer; expected: Expectation; key: number; seq: number } {
  const { world, rng } = lane;
  const key = rng.int(world.ledger.keyIds.length);
  const base = invalid ? world.validBases + rng.int(world.allBases - world.validBases) : rng.int(world.validBases);
  const { policy, seq } = world.ledger.begin(key, base);
  const keyId = rng.chance(0.5) ? (world.ledger.keyIds[key] ?? '') : (world.checkedArns[key] ?? '');
  const body = { KeyId: keyId, Policy: policy, ...(rng.chance(0.3) ? { PolicyName: 'default' } : {}) };
  const expected: Expectation = invalid ? { kind: 'answer', op: 'PutKeyPolicy' } : { kind: 'success', op: 'PutKeyPolicy' };
  return { bytes: kmsBytes('PutKeyPolicy', body), expected, key, seq };
}

function settleWrite(lane: Lane, seq: number, r: RawResponse | undefined): void {
  lane.world.ledger.settle(seq, r === undefined ? 'unknown' : r.status === 200 ? 'ok' : 'failed');
}

/** A read of a checked key, recorded in the ledger. */
function checkedRead(lane: Lane): { bytes: Buffer; expected: Expectation; key: number } {
  const key = lane.rng.int(lane.world.ledger.keyIds.length);
  const expected: Expectation = {
    kind: 'success',
    op: 'GetKeyPolicy',
    check: (b) => (typeof (b as { Policy?: unknown }).Policy === 'string' ? undefined : 'GetKeyPolicy answered without a Policy string'),
  };
  return { bytes: kmsBytes('GetKeyPolicy', { KeyId: lane.world.ledger.keyIds[key] }), expected, key };
}

function recordRead(lane: Lane, key: number, sentAt: number, r: RawResponse | undefined): void {
  if (r !== undefined) lane.world.ledger.read(key, String(json(r).Policy), sentAt);
}

/** A DescribeKey of a pool key (by id or ARN) whose answer must name that key. */
function describe(lane: Lane, extraHeaders: Readonly<Record<string, string>> = {}, rawHeaders?: Buffer): { bytes: Buffer; expected: Expectation } {
  const k = lane.rng.pick(lane.world.poolKeys);
  const expected: Expectation = {
    kind: 'success',
    op: 'DescribeKey',
    check: (b) => {
      const id = (b as { KeyMetadata?: { KeyId?: unknown } }).KeyMetadata?.KeyId;
      return id === k.keyId ? undefined : `DescribeKey of ${k.keyId} answered key ${JSON.stringify(id)} (answers out of order?)`;
    },
  };
  return { bytes: kmsBytes('DescribeKey', { KeyId: lane.rng.chance(0.5) ? k.keyId : k.arn }, extraHeaders, rawHeaders), expected };
}

/** A request for a key that does not exist: NotFoundException naming that key. */
function missing(lane: Lane): { bytes: Buffer; expected: Expectation } {
  const id = lane.rng.uuid();
  return { bytes: kmsBytes('ListKeyPolicies', { KeyId: id }), expected: { kind: 'error', status: 400, code: 'NotFoundException', message: id } };
}

/** Concurrent writers and readers on the checked keys (keep-alive). */
const writers: Scenario = {
  name: 'writers',
  weight: 28,
  async run(lane) {
    const conn = await lane.keepAlive();
    const roll = lane.rng.next();
    if (roll < 0.8) {
      const w = checkedWrite(lane, roll >= 0.7);
      conn.write(w.bytes, [false]);
      lane.count('writers', 1);
      settleWrite(lane, w.seq, await lane.answer('writers', conn, w.bytes, w.expected));
    } else {
      const r = checkedRead(lane);
      const sentAt = performance.now();
      recordRead(lane, r.key, sentAt, await lane.exchange('writers', conn, r.bytes, r.expected));
    }
  },
};

/** The generators' wire mutations (`wireArb`), addressed to pool keys (keep-alive). */
const wire: Scenario = {
  name: 'wire-mutations',
  weight: 28,
  async run(lane) {
    const c = lane.rng.pick(lane.world.wireCases);
    await lane.exchange('wire-mutations', await lane.keepAlive(), c.bytes, c.expected);
  },
};

/** 2–16 requests in one write on one connection; each answer must be its own request's, in order. */
const pipelined: Scenario = {
  name: 'pipelined',
  weight: 2.5,
  async run(lane) {
    const conn = await lane.keepAlive();
    const n = lane.rng.between(2, 16);
    const items: { bytes: Buffer; expected: Expectation; after?: (r: RawResponse | undefined) => void }[] = [];
    for (let i = 0; i < n; i++) {
      const roll = lane.rng.next();
      if (roll < 0.3) items.push(describe(lane));
      else if (roll < 0.5) items.push(missing(lane));
      else if (roll < 0.75) {
        const r = checkedRead(lane);
        const sentAt = performance.now();
        items.push({ ...r, after: (resp) => recordRead(lane, r.key, sentAt, resp) });
      } else {
        const w = checkedWrite(lane);
        items.push({ ...w, after: (resp) => settleWrite(lane, w.seq, resp) });
      }
    }
    conn.write(Buffer.concat(items.map((x) => x.bytes)), items.map(() => false));
    lane.count('pipelined', n);
    for (const x of items) {
      const r = await lane.answer('pipelined', conn, x.bytes, x.expected);
      x.after?.(r);
    }
  },
};

/** Random bytes: as a whole request (a fresh connection), as the body of a request, or in a header value. */
const randomBytes: Scenario = {
  name: 'random-bytes',
  weight: 6,
  async run(lane) {
    const { rng } = lane;
    const roll = rng.next();
    if (roll < 0.35) {
      // Not HTTP at all: a JSON error that closes the connection (which one depends on the bytes).
      const bytes = rng.bytes(rng.between(1, 512));
      bytes[0] = rng.pick([0x00, 0x16, 0x7b, 0xff, 0x80]);
      const conn = await lane.open();
      conn.write(bytes, [false]);
      lane.count('random-bytes', 1);
      const r = await lane.answer('random-bytes', conn, bytes, { kind: 'error', status: 400, code: 'MalformedHttpRequestException', closes: true });
      if (r !== undefined) await lane.expectClose('random-bytes', conn, bytes);
      else conn.destroy();
    } else if (roll < 0.85) {
      const body = rng.bytes(rng.between(0, 2048));
      const op = rng.pick(['PutKeyPolicy', 'GetKeyPolicy', 'DescribeKey'] as const);
      const headers = kmsHeaders(op);
      await lane.exchange('random-bytes', await lane.keepAlive(), httpBytes({ headers, body }), expectWire({ method: 'POST', path: '/', headers, body }, lane.world.maxBodyBytes));
    } else {
      const value = Array.from({ length: rng.between(1, 400) }, () => String.fromCharCode(rng.between(0x21, 0x7e))).join('');
      const d = describe(lane, { 'X-Random': value });
      await lane.exchange('random-bytes', await lane.keepAlive(), d.bytes, d.expected);
    }
  },
};

const BAD_UTF8: readonly number[][] = [[0xff], [0x80], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0xc3]];

/** Invalid UTF-8 inside a member value (SerializationException from the wire layer). */
const invalidUtf8: Scenario = {
  name: 'invalid-utf8',
  weight: 3,
  async run(lane) {
    const { rng } = lane;
    const k = rng.pick(lane.world.poolKeys);
    const policy = `{"Version":"2012-10-17","Statement":[{"Sid":"${'s'.repeat(rng.between(0, 40))}","Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*"}]}`;
    const good = Buffer.from(JSON.stringify({ KeyId: k.keyId, Policy: policy }));
    const inside = good.indexOf('"Policy":"') + 10 + rng.int(policy.length);
    const bad = Buffer.from(rng.pick(BAD_UTF8));
    const body = Buffer.concat([good.subarray(0, inside), bad, good.subarray(inside)]);
    const headers = kmsHeaders('PutKeyPolicy');
    await lane.exchange('invalid-utf8', await lane.keepAlive(), httpBytes({ headers, body }), expectWire({ method: 'POST', path: '/', headers, body }, lane.world.maxBodyBytes));
  },
};

let letters = Buffer.alloc(0);
/** `n` bytes of `a` (one shared buffer). */
function filler(n: number): Buffer {
  if (letters.length < n) letters = Buffer.alloc(Math.max(n, 2 * letters.length), 0x61);
  return letters.subarray(0, n);
}

/** Bodies at and past the size limit; past 64 × the limit the answer comes at once and the connection closes. */
const hugeBodies: Scenario = {
  name: 'huge-bodies',
  weight: 0.4,
  async run(lane) {
    const { rng, world } = lane;
    const limit = world.maxBodyBytes;
    const roll = rng.next();
    const headers = kmsHeaders('PutKeyPolicy');
    if (roll < 0.85) {
      const size = roll < 0.4 ? rng.between(limit - 100, limit) : rng.between(limit + 1, 4 * limit);
      const head = Buffer.from(`{"KeyId":"${rng.pick(world.poolKeys).keyId}","Policy":"`);
      const body = Buffer.concat([head, filler(Math.max(0, size - head.length - 2)), Buffer.from('"}')]);
      await lane.exchange('huge-bodies', await lane.keepAlive(), httpBytes({ headers, body }), expectWire({ method: 'POST', path: '/', headers, body }, limit));
      return;
    }
    // Past the drain cap: exactly one byte over, so no byte follows the server's close.
    const size = limit * 64 + 1;
    const conn = await lane.open();
    const head = httpBytes({ headers: { ...headers, 'Content-Length': String(size) } });
    conn.write(head, [false]);
    const piece = filler(64 * 1024);
    for (let sent = 0; sent < size && conn.isOpen; sent += piece.length) conn.write(sent + piece.length <= size ? piece : piece.subarray(0, size - sent));
    lane.count('huge-bodies', 1);
    // 4 MiB on a busy machine may also outlast the time limit: 408 is as right as 413 then.
    const expected: Expectation = {
      kind: 'oneOf',
      options: [
        { kind: 'error', status: 413, code: 'RequestEntityTooLargeException', closes: true },
        { kind: 'error', status: 408, code: 'RequestTimeoutException', closes: true },
      ],
    };
    const r = await lane.answer('huge-bodies', conn, head, expected);
    if (r !== undefined) await lane.expectClose('huge-bodies', conn, head);
    else conn.destroy();
  },
};

const NESTINGS = new Map<string, string>();
/** `[[[…]]]` or `{"a":{"a":…1}}` nested `depth` deep (built once per depth). */
function nesting(depth: number, kind: 'arrays' | 'objects'): string {
  const key = `${kind}${depth}`;
  let s = NESTINGS.get(key);
  if (s === undefined) {
    s = kind === 'arrays' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    NESTINGS.set(key, s);
  }
  return s;
}

/** Deeply nested JSON: as a member value, as an unknown member, and inside the Policy text. */
const nested: Scenario = {
  name: 'nested-bodies',
  weight: 1.5,
  async run(lane) {
    const { rng, world } = lane;
    const depth = rng.pick([64, 513, 2_000, 8_000]);
    const k = rng.pick(world.poolKeys).keyId;
    const arrays = nesting(depth, 'arrays');
    const objects = nesting(depth, 'objects');
    const where = rng.int(3);
    const op = where === 2 ? 'PutKeyPolicy' : rng.pick(['GetKeyPolicy', 'DescribeKey', 'PutKeyPolicy'] as const);
    const inner = rng.chance(0.5) ? arrays : objects;
    const body =
      where === 0
        ? `{"KeyId":${inner}}`
        : where === 1
          ? `{"KeyId":"${k}","Unknown":${inner}}`
          : JSON.stringify({ KeyId: k, Policy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*","Condition":${inner}}]}` });
    const headers = kmsHeaders(op);
    const bytes = Buffer.from(body);
    await lane.exchange('nested-bodies', await lane.keepAlive(), httpBytes({ headers, body: bytes }), expectWire({ method: 'POST', path: '/', headers, body: bytes }, world.maxBodyBytes));
  },
};

const METHODS = ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'HEAD', 'POST'] as const;
const PATHS = ['/', '/', '/x', '//', '/?Action=PutKeyPolicy', '/%2F', '/kms/', `/${'a'.repeat(2_000)}`];

/** Other methods and paths (keep-alive; HEAD answers carry no body). */
const methodsAndPaths: Scenario = {
  name: 'methods-paths',
  weight: 4,
  async run(lane) {
    const { rng } = lane;
    const method = rng.pick(METHODS);
    const path = method === 'OPTIONS' && rng.chance(0.3) ? '*' : rng.pick(PATHS);
    const k = rng.pick(lane.world.poolKeys);
    const headers = kmsHeaders('DescribeKey');
    const body = Buffer.from(JSON.stringify({ KeyId: k.keyId }));
    const bytes = httpBytes({ method, path, headers, body });
    const wireExpect = expectWire({ method, path, headers, body }, lane.world.maxBodyBytes);
    const expected: Expectation = method === 'HEAD' ? { kind: 'head', status: wireExpect.kind === 'error' ? wireExpect.status : 200 } : wireExpect;
    await lane.exchange('methods-paths', await lane.keepAlive(), bytes, expected);
  },
};

const headerLines = (n: number, value: (i: number) => string): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => `X-F${i}: ${value(i)}\r\n`).join(''), 'latin1');
/** Floods under the 16 KiB limit (built once: a flood is the same bytes every time). */
const SMALL_FLOODS: readonly Buffer[] = [50, 200, 600, 1_200].map((n) => headerLines(n, (i) => 'v'.repeat(1 + (i % 6))));
/** Header sections over the limit: one huge value, or many headers. */
const BIG_FLOODS: readonly Buffer[] = [
  Buffer.from(`X-Big: ${'b'.repeat(16_400)}\r\n`),
  Buffer.from(`X-Big: ${'b'.repeat(40_000)}\r\n`),
  headerLines(1_200, () => 'f'.repeat(16)),
  headerLines(3_000, () => 'g'.repeat(4)),
];

/** Many headers under the limit (served), or headers over 16 KiB (431, then close). */
const headerFloods: Scenario = {
  name: 'header-floods',
  weight: 3,
  async run(lane) {
    const { rng } = lane;
    if (rng.chance(0.75)) {
      const d = describe(lane, {}, rng.pick(SMALL_FLOODS));
      await lane.exchange('header-floods', await lane.keepAlive(), d.bytes, d.expected);
      return;
    }
    const bytes = kmsBytes('DescribeKey', { KeyId: rng.pick(lane.world.poolKeys).keyId }, {}, rng.pick(BIG_FLOODS));
    const conn = await lane.open();
    const r = await lane.exchange('header-floods', conn, bytes, { kind: 'error', status: 431, code: 'RequestHeaderFieldsTooLargeException', closes: true });
    if (r !== undefined) await lane.expectClose('header-floods', conn, bytes);
    else conn.destroy();
  },
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Trickled requests (answered normally) on a fresh connection, including trickled writes to checked keys. */
const slowTrickle: Scenario = {
  name: 'slow-trickle',
  weight: 0.5,
  async run(lane) {
    const { rng } = lane;
    const write = rng.chance(0.5) ? checkedWrite(lane) : undefined;
    const item = write ?? describe(lane);
    const conn = await lane.open();
    const pieces = rng.between(3, 12);
    const cuts = [...new Set(Array.from({ length: pieces - 1 }, () => 1 + rng.int(item.bytes.length - 1)))].sort((a, b) => a - b);
    let from = 0;
    for (const cut of [...cuts, item.bytes.length]) {
      conn.write(item.bytes.subarray(from, cut), cut === item.bytes.length ? [false] : []);
      from = cut;
      if (cut < item.bytes.length) await sleep(rng.between(1, 15));
    }
    lane.count('slow-trickle', 1);
    const r = await lane.answer('slow-trickle', conn, item.bytes, item.expected);
    if (write !== undefined) settleWrite(lane, write.seq, r);
    conn.destroy();
  },
};

/** Requests that stop arriving (in the headers or the body): 408 after the limit, then close. */
const slowStall: Scenario = {
  name: 'slow-stall',
  weight: 0.06,
  async run(lane) {
    const { rng } = lane;
    const d = describe(lane);
    const headEnd = d.bytes.indexOf('\r\n\r\n') + 4;
    const cut = rng.chance(0.5) ? rng.between(1, headEnd - 3) : rng.between(headEnd, d.bytes.length - 1);
    const sent = d.bytes.subarray(0, cut);
    const conn = await lane.open();
    conn.write(sent, [false]);
    lane.count('slow-stall', 1);
    const r = await lane.answer('slow-stall', conn, sent, { kind: 'error', status: 408, code: 'RequestTimeoutException', closes: true });
    if (r !== undefined) await lane.expectClose('slow-stall', conn, sent);
    else conn.destroy();
  },
};

/** Writes to checked keys whose connection closes mid-body: never applied. */
const closedMidBody: Scenario = {
  name: 'closed-mid-body',
  weight: 1.5,
  async run(lane) {
    const w = checkedWrite(lane);
    const headEnd = w.bytes.indexOf('\r\n\r\n') + 4;
    const conn = await lane.open();
    conn.write(w.bytes.subarray(0, lane.rng.between(headEnd, w.bytes.length - 1)));
    lane.count('closed-mid-body', 1);
    // Let the bytes reach the server before the close, so it has a request to abandon.
    await sleep(lane.rng.int(3));
    conn.destroy();
    lane.world.ledger.settle(w.seq, 'aborted');
  },
};

interface Malformed {
  readonly bytes: (lane: Lane) => Buffer;
  readonly expected: Expectation;
}

const closing = (status: number, code: string): Expectation => ({ kind: 'error', status, code, closes: true });
const raw = (s: string) => () => Buffer.from(s, 'latin1');
const MALFORMED: readonly Malformed[] = [
  { bytes: raw('BREW / HTTP/1.1\r\nHost: x\r\n\r\n'), expected: closing(400, 'UnknownOperationException') },
  { bytes: raw('post / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}'), expected: closing(400, 'UnknownOperationException') },
  { bytes: raw('CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n'), expected: closing(400, 'UnknownOperationException') },
  { bytes: raw('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n{}'), expected: closing(400, 'MalformedHttpRequestException') },
  { bytes: raw('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}'), expected: closing(400, 'MalformedHttpRequestException') },
  { bytes: raw('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n'), expected: closing(400, 'MalformedHttpRequestException') },
  { bytes: raw('POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n'), expected: closing(400, 'MalformedHttpRequestException') },
  { bytes: raw('POST / HTTP/1.1\nHost: x\nContent-Length: 2\n\n{}'), expected: closing(400, 'MalformedHttpRequestException') },
  { bytes: raw('POST / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n'), expected: closing(400, 'MalformedHttpRequestException') },
  { bytes: raw('POST / HTTP/3.7\r\nHost: x\r\n\r\n'), expected: closing(400, 'MalformedHttpRequestException') },
  { bytes: raw('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), expected: closing(400, 'MalformedHttpRequestException') },
];

/** Faults of a well-framed request: answered, and the connection stays usable. */
const FRAMED: readonly Malformed[] = [
  { bytes: raw('POST / HTTP/1.1\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: TrentService.DescribeKey\r\nContent-Length: 2\r\n\r\n{}'), expected: { kind: 'error', status: 400, code: 'MalformedHttpRequestException' } },
  { bytes: (lane) => kmsBytes('DescribeKey', { KeyId: lane.rng.pick(lane.world.poolKeys).keyId }, { Expect: 'x-fuzz' }), expected: { kind: 'error', status: 417, code: 'ExpectationFailedException' } },
];

/** Malformed HTTP, CONNECT, unsupported Expect, and Upgrade requests with bytes behind them (fresh connections). */
const malformedHttp: Scenario = {
  name: 'malformed-http',
  weight: 3,
  async run(lane) {
    const conn = await lane.open();
    if (lane.rng.chance(0.2)) {
      // Upgrade with bytes pipelined behind it: the request is answered, then the connection closes.
      const d = describe(lane, { Connection: 'Upgrade', Upgrade: lane.rng.pick(['websocket', 'h2c']) });
      const bytes = Buffer.concat([d.bytes, Buffer.from(lane.rng.pick(['GARBAGE\r\n\r\n', 'POST / HTTP/1.1\r\nHost: x\r\n\r\n', '']))]);
      const r = await lane.exchange('malformed-http', conn, bytes, d.expected);
      if (r !== undefined && r.headers.connection?.toLowerCase() !== 'close') lane.fail('malformed-http', 'wrong_answer', 'the answer to an Upgrade request did not say Connection: close', bytes);
      if (r !== undefined) await lane.expectClose('malformed-http', conn, bytes);
      else conn.destroy();
      return;
    }
    if (lane.rng.chance(0.15)) {
      conn.destroy();
      const m = lane.rng.pick(FRAMED);
      await lane.exchange('malformed-http', await lane.keepAlive(), m.bytes(lane), m.expected);
      return;
    }
    const m = lane.rng.pick(MALFORMED);
    const bytes = m.bytes(lane);
    const r = await lane.exchange('malformed-http', conn, bytes, m.expected);
    if (r !== undefined) await lane.expectClose('malformed-http', conn, bytes);
    else conn.destroy();
  },
};

/** Every scenario of a run. */
export const SCENARIOS: readonly Scenario[] = [writers, wire, pipelined, randomBytes, invalidUtf8, hugeBodies, nested, methodsAndPaths, headerFloods, slowTrickle, slowStall, closedMidBody, malformedHttp];

/** Picks scenarios by weight. */
export function scenarioPicker(scenarios: readonly Scenario[]): (rng: Rng) => Scenario {
  const total = scenarios.reduce((s, x) => s + x.weight, 0);
  return (rng) => {
    let r = rng.next() * total;
    for (const s of scenarios) {
      r -= s.weight;
      if (r < 0) return s;
    }
    return scenarios[scenarios.length - 1] as Scenario;
  };
}
