import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AWS_JSON_1_1,
  DEFAULT_MAX_BODY_BYTES,
  decodeWireRequest,
  encodeError,
  encodeSuccess,
  normaliseErrorType,
  parseJson,
  readStrictly,
  toWireJson,
} from './wire.ts';
import type { WireHeaderValue, WireRequest, WireResponse } from './wire.ts';
import { WIRE_RULES, mediaTypeOf } from './wire.ts';
import { checkResponse, outcomeMatches, readErrorResponse } from './oracle.ts';
import { outcomesFor, ruleById } from './rules/index.ts';
import { CONTRACT_VERSIONS } from './types.ts';

const enc = new TextEncoder();

function req(over: Partial<Omit<WireRequest, 'body'>> & { body?: string | Uint8Array; target?: string | null; contentType?: string | null } = {}): WireRequest {
  const headers: Record<string, string> = {};
  const ct = over.contentType === undefined ? AWS_JSON_1_1 : over.contentType;
  if (ct !== null) headers['Content-Type'] = ct;
  const target = over.target === undefined ? 'TrentService.PutKeyPolicy' : over.target;
  if (target !== null) headers['X-Amz-Target'] = target;
  const body = over.body ?? '{"KeyId":"k","Policy":"p"}';
  return {
    method: over.method ?? 'POST',
    path: over.path ?? '/',
    headers: over.headers ?? headers,
    body: typeof body === 'string' ? enc.encode(body) : body,
  };
}

describe('decodeWireRequest routing', () => {
  it('routes a well-formed request and keeps the members', () => {
    const r = decodeWireRequest(req());
    expect(r).toEqual({ kind: 'request', operation: 'PutKeyPolicy', input: { KeyId: 'k', Policy: 'p' }, rules: [] });
  });

  it('matches headers case-insensitively and accepts content-type parameters', () => {
    const r = decodeWireRequest(req({ headers: { 'content-type': `${AWS_JSON_1_1}; charset=utf-8`, 'x-amz-target': 'TrentService.GetKeyPolicy' } }));
    expect(r).toMatchObject({ kind: 'request', operation: 'GetKeyPolicy', input: { KeyId: 'k' }, rules: ['Wire.contentType.parameters', 'Wire.member.unknown'] });
  });

  it.each([
    ['GET method', req({ method: 'GET' }), 'Wire.method', 'UnknownOperationException', 400],
    ['path other than /', req({ path: '/keys' }), 'Wire.path', 'UnknownOperationException', 400],
    ['missing target', req({ target: null }), 'Wire.target.missing', 'UnknownOperationException', 400],
    ['wrong prefix', req({ target: 'KMS.PutKeyPolicy' }), 'Wire.target.prefix', 'UnknownOperationException', 400],
    ['unknown operation', req({ target: 'TrentService.Encrypt' }), 'Wire.target.unknown', 'UnknownOperationException', 400],
    ['missing content type', req({ contentType: null }), 'Wire.contentType', 'UnknownOperationException', 400],
    ['application/json', req({ contentType: 'application/json' }), 'Wire.contentType', 'UnknownOperationException', 400],
    ['bad JSON', req({ body: '{"KeyId":' }), 'Wire.body.json', 'SerializationException', 400],
    ['array body', req({ body: '[]' }), 'Wire.body.notObject', 'SerializationException', 400],
    ['string body', req({ body: '"x"' }), 'Wire.body.notObject', 'SerializationException', 400],
    ['invalid UTF-8', req({ body: new Uint8Array([0x7b, 0xff, 0x7d]) }), 'Wire.body.utf8', 'SerializationException', 400],
  ])('%s → %s', (_name, r, ruleId, code, status) => {
    const d = decodeWireRequest(r);
    expect(d).toMatchObject({ kind: 'error', ruleId, code, status });
    if (d.kind === 'error') expect(d.message.length).toBeGreaterThan(10);
  });

  it('keeps the query string out of the path check', () => {
    expect(decodeWireRequest(req({ path: '/?x=1' })).kind).toBe('request');
  });

  it('rejects a body over the limit with RequestEntityTooLargeException 413, and accepts one at the limit', () => {
    const body = `{"KeyId":"k","Policy":"${'a'.repeat(100)}"}`;
    const size = enc.encode(body).byteLength;
    expect(decodeWireRequest(req({ body }), { maxBodyBytes: size }).kind).toBe('request');
    expect(decodeWireRequest(req({ body }), { maxBodyBytes: size - 1 })).toMatchObject({
      kind: 'error',
      ruleId: 'Wire.body.tooLarge',
      code: 'RequestEntityTooLargeException',
      status: 413,
    });
  });

  it('default limit leaves room for the largest Policy the model allows', () => {
    const policy = 'é'.repeat(131_072);
    const body = JSON.stringify({ KeyId: 'k', Policy: policy });
    expect(enc.encode(body).byteLength).toBeLessThan(DEFAULT_MAX_BODY_BYTES);
    expect(decodeWireRequest(req({ body })).kind).toBe('request');
  });

  it('accepts an empty body as {} (SP: servers must accept an empty payload)', () => {
    expect(decodeWireRequest(req({ body: '' }))).toEqual({ kind: 'request', operation: 'PutKeyPolicy', input: {}, rules: ['Wire.body.empty'] });
  });
});

describe('member type checks', () => {
  it.each([
    ['{"KeyId":1,"Policy":"p"}', 'NUMBER_VALUE can not be converted to a String', 'KeyId'],
    ['{"KeyId":true,"Policy":"p"}', 'TRUE_VALUE can not be converted to a String', 'KeyId'],
    ['{"KeyId":{},"Policy":"p"}', 'Start of structure or map found where not expected.', 'KeyId'],
    ['{"KeyId":["a"],"Policy":"p"}', 'Start of list found where not expected', 'KeyId'],
    ['{"KeyId":"k","Policy":"p","BypassPolicyLockoutSafetyCheck":"true"}', 'STRING_VALUE can not be converted to a Boolean', 'BypassPolicyLockoutSafetyCheck'],
  ])('%s → %s', (body, message, path) => {
    expect(decodeWireRequest(req({ body }))).toEqual({ kind: 'error', ruleId: 'Wire.member.type', code: 'SerializationException', status: 400, message, path });
  });

  it('checks integers, nested structures and lists from the model', () => {
    const sched = (body: string) => decodeWireRequest(req({ target: 'TrentService.ScheduleKeyDeletion', body }));
    expect(sched('{"KeyId":"k","PendingWindowInDays":7}').kind).toBe('request');
    expect(sched('{"KeyId":"k","PendingWindowInDays":"7"}')).toMatchObject({ message: 'STRING_VALUE can not be converted to an Integer' });
    expect(sched('{"KeyId":"k","PendingWindowInDays":7.5}')).toMatchObject({ ruleId: 'Wire.member.type' });
    expect(sched('{"KeyId":"k","PendingWindowInDays":4294967296}')).toMatchObject({ ruleId: 'Wire.member.type' });
    const create = (body: string) => decodeWireRequest(req({ target: 'TrentService.CreateKey', body }));
    expect(create('{"Tags":[{"TagKey":"a","TagValue":"b"}]}')).toMatchObject({ kind: 'request', input: { Tags: [{ TagKey: 'a', TagValue: 'b' }] } });
    expect(create('{"Tags":[{"TagKey":1,"TagValue":"b"}]}')).toMatchObject({ ruleId: 'Wire.member.type', path: 'Tags.0.TagKey' });
    expect(create('{"Tags":{"TagKey":"a"}}')).toMatchObject({ ruleId: 'Wire.member.type', path: 'Tags' });
    expect(create('{"Tags":[null]}')).toMatchObject({ ruleId: 'Wire.member.null', path: 'Tags.0' });
    expect(create('{"MultiRegion":1}')).toMatchObject({ message: 'NUMBER_VALUE can not be converted to a Boolean' });
  });

  it('drops unknown members and nulls, and records the rules', () => {
    const r = decodeWireRequest(req({ body: '{"KeyId":"k","Policy":"p","Extra":{"x":[1]},"PolicyName":null,"__proto__":{"polluted":1}}' }));
    expect(r).toEqual({ kind: 'request', operation: 'PutKeyPolicy', input: { KeyId: 'k', Policy: 'p' }, rules: ['Wire.member.unknown', 'Wire.member.null'] });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('keeps the last of duplicate keys and records Wire.body.duplicateKey', () => {
    const r = decodeWireRequest(req({ body: '{"KeyId":"a","KeyId":"b","Policy":"p"}' }));
    expect(r).toMatchObject({ kind: 'request', input: { KeyId: 'b' }, rules: ['Wire.body.duplicateKey'] });
  });

  it('property: any input of correctly typed modelled members decodes to itself', () => {
    const input = fc.record(
      {
        KeyId: fc.string(),
        Policy: fc.string(),
        PolicyName: fc.string(),
        BypassPolicyLockoutSafetyCheck: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(input, (i) => {
        const r = decodeWireRequest(req({ body: JSON.stringify(i) }));
        expect(r).toMatchObject({ kind: 'request', input: i });
      }),
    );
  });
});

describe('parseJson', () => {
  it('property: agrees with JSON.parse on any JSON text', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const r = parseJson(text);
        expect(r.kind).toBe('ok');
        if (r.kind === 'ok') expect(JSON.stringify(r.value)).toBe(JSON.stringify(JSON.parse(text)));
      }),
    );
  });

  it('property: the native path answers exactly as the strict reader, duplicate keys, escapes and depth included', () => {
    // Objects written by hand from entry lists, so keys repeat (also "__proto__" and keys with
    // escaped quotes and backslashes) and strings hold what the key count must skip.
    const key = fc.constantFrom('a', 'b', '__proto__', 'a\\"b', '\\\\', 'x:y', '1');
    const scalar = fc.oneof(fc.constantFrom('null', 'true', '-0', '1e400', '"\\""', '"\\\\"', '":"', '"\\u0022:"'), fc.json({ depthSize: 'small' }));
    const { text } = fc.letrec<{ text: string }>((tie) => ({
      text: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar,
        fc.array(tie('text'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
        fc.array(fc.tuple(key, tie('text'), fc.constantFrom('', ' ', '\n\t')), { maxLength: 5 }).map((es) => `{${es.map(([k, v, ws]) => `"${k}"${ws}:${ws}${v}`).join(',')}}`),
      ),
    }));
    const deep = fc.tuple(fc.integer({ min: 500, max: 520 }), fc.constantFrom('', '1')).map(([d, inner]) => `${'['.repeat(d)}${inner}${']'.repeat(d)}`);
    fc.assert(
      fc.property(fc.oneof(text, deep), (t) => {
        expect(parseJson(t)).toEqual(readStrictly(t));
      }),
      { numRuns: 500 },
    );
  });

  it('answers a body nested deeper than 512 levels with a SerializationException, not a stack overflow', () => {
    const deep = `{"KeyId":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(parseJson(deep)).toEqual({ kind: 'error', message: 'Malformed JSON in request body: nesting deeper than 512 levels.' });
    expect(parseJson(`${'['.repeat(512)}${']'.repeat(512)}`).kind).toBe('ok');
    expect(decodeWireRequest(req({ body: deep }))).toMatchObject({ kind: 'error', ruleId: 'Wire.body.json', code: 'SerializationException', status: 400 });
  });

  it('says where malformed JSON breaks', () => {
    expect(parseJson('{"KeyId" 1}')).toEqual({ kind: 'error', message: 'Malformed JSON in request body at character 9: expected \':\' after key "KeyId", found \'1\' near "1}".' });
  });

  it('property: rejects what JSON.parse rejects', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        let native = true;
        try {
          JSON.parse(text);
        } catch {
          native = false;
        }
        expect(parseJson(text).kind === 'ok').toBe(native);
      }),
    );
  });
});

describe('encoding', () => {
  it('encodes errors with __type, lowercase message, JSON content type and request id', () => {
    const r = encodeError('NotFoundException', "Key 'x' does not exist", 400, 'req-1');
    expect(r).toEqual({
      status: 400,
      headers: { 'content-type': AWS_JSON_1_1, 'x-amzn-requestid': 'req-1', 'content-length': String(r.body.length) },
      body: '{"__type":"NotFoundException","message":"Key \'x\' does not exist"}',
    });
  });

  it('encodes Unit output as an empty body and timestamps as epoch seconds', () => {
    expect(encodeSuccess(undefined, 'r')).toMatchObject({ status: 200, body: '', headers: { 'x-amzn-requestid': 'r', 'content-length': '0' } });
    const r = encodeSuccess({ KeyMetadata: { CreationDate: new Date(1646160362664), Enabled: true, ValidTo: undefined } }, 'r');
    expect(JSON.parse(r.body)).toEqual({ KeyMetadata: { CreationDate: 1646160362.664, Enabled: true } });
    expect(toWireJson([new Date(0)])).toEqual([0]);
  });

  it.each([
    ['FooError', 'FooError'],
    ['FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/', 'FooError'],
    ['smithy.example#FooError', 'FooError'],
    ['smithy.example#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/', 'FooError'],
    ['com.amazon.coral.service#SerializationException', 'SerializationException'],
  ])('normaliseErrorType(%s) = %s', (raw, want) => {
    expect(normaliseErrorType(raw)).toBe(want);
  });
});

describe('agreement with the rule catalogue', () => {
  it('every wire rule id the decoder uses is in the catalogue', () => {
    for (const id of Object.values(WIRE_RULES)) expect(ruleById(id), id).toBeDefined();
  });

  const errorCases: WireRequest[] = [
    req({ method: 'GET' }),
    req({ path: '/x' }),
    req({ target: null }),
    req({ target: 'KMS.PutKeyPolicy' }),
    req({ target: 'TrentService.Nope' }),
    req({ contentType: 'text/plain' }),
    req({ body: '{' }),
    req({ body: '1' }),
    req({ body: new Uint8Array([0xc3, 0x28]) }),
    req({ body: '{"KeyId":false}' }),
    req({ target: 'TrentService.CreateKey', body: '{"Tags":[null]}' }),
    req({ body: 'x'.repeat(2000) }),
  ];

  it('every error the decoder answers is an outcome its rule accepts, in every contract version', () => {
    for (const r of errorCases) {
      const d = decodeWireRequest(r, { maxBodyBytes: 1024 });
      expect(d.kind).toBe('error');
      if (d.kind !== 'error') continue;
      for (const v of CONTRACT_VERSIONS) {
        const ok = outcomesFor(d.ruleId, v).some((o) => outcomeMatches(o, { kind: 'error', code: d.code, status: d.status }));
        expect(ok, `${d.ruleId} ${d.code} ${d.status} under ${v}`).toBe(true);
      }
    }
  });

  it('rules the decoder records as accepted allow success in the catalogue', () => {
    for (const id of [WIRE_RULES.contentTypeParameters, WIRE_RULES.bodyEmpty, WIRE_RULES.bodyDuplicateKey, WIRE_RULES.memberUnknown, WIRE_RULES.memberNull]) {
      expect(outcomesFor(id, '2025-06-05').some((o) => o.kind === 'success'), id).toBe(true);
    }
  });
});

describe('mediaTypeOf', () => {
  it('drops parameters and case, as SP asks servers to (AwsJson11MustSupportParametersInContentType)', () => {
    expect(mediaTypeOf('application/x-amz-json-1.1')).toBe('application/x-amz-json-1.1');
    expect(mediaTypeOf(' Application/X-Amz-Json-1.1 ; charset=utf-8')).toBe('application/x-amz-json-1.1');
    expect(mediaTypeOf('application/json')).toBe('application/json');
    expect(mediaTypeOf('')).toBe('');
  });
});

describe('one response type', () => {
  const contractDir = dirname(fileURLToPath(import.meta.url));
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') ? [join(dir, d.name)] : []));

  it('is declared once in contract/ (WireResponse), not again under another name', () => {
    const shapes: string[] = [];
    for (const file of sources(contractDir)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:interface|type)\s+(\w+)(?:<[^>]*>)?\s*=?\s*\{([^}]*)\}/g)) {
        const body = m[2] ?? '';
        if (/\bstatus\s*:\s*number/.test(body) && /\bbody\s*:\s*string/.test(body)) shapes.push(`${relative(contractDir, file)}: ${m[1]}`);
      }
    }
    expect(shapes).toEqual(['wire.ts: WireResponse']);
  });

  it('is what the encoders produce and what the response checks read, captured headers included', () => {
    const produced: WireResponse = encodeError('NotFoundException', 'Key x does not exist', 400, 'r-1');
    const captured: WireResponse<WireHeaderValue> = { ...produced, headers: { ...produced.headers, 'set-cookie': ['a', 'b'], 'x-absent': undefined } };
    expect(readErrorResponse(captured)).toEqual({ kind: 'error', code: 'NotFoundException', rawType: 'NotFoundException', message: 'Key x does not exist' });
    expect(checkResponse('DescribeKey', captured).filter((f) => f.kind === 'violation')).toEqual([]);
  });
});
