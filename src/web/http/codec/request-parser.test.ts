import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { HttpRequestEvent } from './events.js';
import type { HttpLimits } from './limits.js';
import { HttpRequestParser } from './request-parser.js';

/** Events with body pieces merged, so different chunkings compare equal. */
type Norm = Record<string, unknown>;

function normalize(events: HttpRequestEvent[]): Norm[] {
  const out: Norm[] = [];
  for (const ev of events) {
    if (ev.type === 'bodyData') {
      const last = out[out.length - 1];
      if (last?.type === 'body') last.data = `${last.data as string}${ev.data.toString('latin1')}`;
      else out.push({ type: 'body', data: ev.data.toString('latin1') });
    } else out.push({ ...ev });
  }
  return out;
}

/** Feeds `chunks`, answering each request at once (as a synchronous server would). */
function feed(chunks: Buffer[], limits?: HttpLimits, eof = false): Norm[] {
  const p = new HttpRequestParser(limits);
  const events: HttpRequestEvent[] = [];
  for (const c of chunks) {
    events.push(...p.receive(c));
    while (p.state === 'waiting') events.push(...p.nextRequest());
  }
  if (eof) events.push(...p.receiveEof());
  return normalize(events);
}

/** h11's `tr()`: whole, byte by byte, and with trailing bytes that start the next request. */
function tr(input: string, expected: Norm[], limits?: HttpLimits): void {
  const buf = Buffer.from(input, 'latin1');
  assert.deepEqual(feed([buf], limits), expected, 'fed whole');
  const bytes = [...buf].map((b) => Buffer.from([b]));
  assert.deepEqual(feed(bytes, limits), expected, 'fed byte by byte');
  const trailing = feed([Buffer.concat([buf, Buffer.from('GET /next', 'latin1')])], limits);
  assert.deepEqual(trailing, expected, 'fed with trailing data');
}

const req = (over: Partial<Norm>): Norm => ({
  type: 'requestReceived',
  method: 'GET',
  target: '/',
  version: '1.1',
  rawHeaders: ['Host', 'a'],
  keepAlive: true,
  expectContinue: false,
  framing: 'none',
  contentLength: 0,
  ...over,
});
const ended = (trailers: string[] = []): Norm => ({ type: 'requestEnded', trailers });

function statusOf(input: string, limits?: HttpLimits): number | undefined {
  const evs = feed([Buffer.from(input, 'latin1')], limits);
  const e = evs.find((x) => x.type === 'protocolError');
  return e?.status as number | undefined;
}

describe('HttpRequestParser vectors', () => {
  it('parses a simple GET with no body', () => {
    tr('GET / HTTP/1.1\r\nHost: a\r\n\r\n', [req({}), ended()]);
  });

  it('keeps field names as sent, values trimmed, duplicates in order', () => {
    tr('GET /x?y=1 HTTP/1.1\r\nHost: a\r\nX-A:  1 \r\nx-a:\t2\r\n\r\n', [
      req({ target: '/x?y=1', rawHeaders: ['Host', 'a', 'X-A', '1', 'x-a', '2'] }),
      ended(),
    ]);
  });

  it('reads a Content-Length body', () => {
    tr('POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello', [
      req({
        method: 'POST',
        target: '/p',
        rawHeaders: ['Host', 'a', 'Content-Length', '5'],
        framing: 'length',
        contentLength: 5,
      }),
      { type: 'body', data: 'hello' },
      ended(),
    ]);
  });

  it('reads a chunked body with extensions and trailers', () => {
    tr(
      'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n1\r\n!\r\n0\r\nT: v\r\n\r\n',
      [
        req({
          method: 'POST',
          rawHeaders: ['Host', 'a', 'Transfer-Encoding', 'chunked'],
          framing: 'chunked',
          contentLength: -1,
        }),
        { type: 'body', data: 'hello!' },
        ended(['T', 'v']),
      ],
    );
  });

  it('treats HTTP/1.0 as close unless Connection: keep-alive', () => {
    tr('GET / HTTP/1.0\r\n\r\n', [req({ version: '1.0', rawHeaders: [], keepAlive: false }), ended()]);
    tr('GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n', [
      req({ version: '1.0', rawHeaders: ['Connection', 'Keep-Alive'], keepAlive: true }),
      ended(),
    ]);
  });

  it('treats Connection: close in HTTP/1.1 as the last request', () => {
    tr('GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n', [
      req({ rawHeaders: ['Host', 'a', 'Connection', 'close'], keepAlive: false }),
      ended(),
    ]);
  });

  it('reports Expect: 100-continue only when a body follows', () => {
    tr('PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx', [
      req({
        method: 'PUT',
        rawHeaders: ['Host', 'a', 'Expect', '100-continue', 'Content-Length', '1'],
        expectContinue: true,
        framing: 'length',
        contentLength: 1,
      }),
      { type: 'body', data: 'x' },
      ended(),
    ]);
  });

  it('accepts absolute-form and asterisk-form targets', () => {
    tr('GET http://h/p?q HTTP/1.1\r\nHost: a\r\n\r\n', [req({ target: 'http://h/p?q' }), ended()]);
    tr('OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n', [req({ method: 'OPTIONS', target: '*' }), ended()]);
  });

  it('skips empty lines before a request line', () => {
    tr('\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n', [req({}), ended()]);
    tr('\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n', [req({}), ended()]);
  });

  it('counts empty lines per request: a CRLF sent alone before each request never adds up', () => {
    const p = new HttpRequestParser({ maxLeadingEmptyLines: 1 });
    for (let i = 0; i < 5; i++) {
      assert.deepEqual(p.receive(Buffer.from('\r\n')), []);
      assert.equal(p.atRest, false, 'an empty line is state');
      const evs = p.receive(Buffer.from('GET / HTTP/1.1\r\nHost: a\r\n\r\n'));
      assert.equal(evs[0]?.type, 'requestReceived', `request ${i}`);
      p.nextRequest();
      assert.equal(p.atRest, true);
    }
  });

  it('is at rest only with nothing held between requests', () => {
    const p = new HttpRequestParser();
    assert.equal(p.atRest, true);
    p.receive(Buffer.from('GET / HTTP/1.1\r\nHost: a\r\n\r\nGE'));
    assert.equal(p.atRest, false, 'waiting, with pipelined bytes');
    p.nextRequest();
    assert.equal(p.atRest, false, 'a head has started');
  });

  it('accepts repeated identical Content-Length values', () => {
    const evs = feed([
      Buffer.from('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok'),
    ]);
    assert.equal(evs[1]?.data, 'ok');
  });

  it('answers pipelined requests one at a time, holding the rest until nextRequest', () => {
    const p = new HttpRequestParser();
    const evs = p.receive(
      Buffer.from('GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n'),
    );
    assert.deepEqual(
      evs.map((e) => e.type),
      ['requestReceived', 'requestEnded'],
    );
    assert.equal(p.state, 'waiting');
    assert.ok(p.buffered > 0);
    const next = p.nextRequest();
    assert.equal(next[0]?.type === 'requestReceived' && next[0].target, '/2');
  });

  it('reports an incomplete request at end of stream', () => {
    assert.deepEqual(feed([Buffer.from('GET / HT')], undefined, true), [
      { type: 'endOfStream', incomplete: true },
    ]);
    assert.deepEqual(feed([], undefined, true), [{ type: 'endOfStream', incomplete: false }]);
  });
});

describe('HttpRequestParser rejects smuggling and malformed input', () => {
  const cases: [string, string, number][] = [
    [
      'both Content-Length and Transfer-Encoding',
      'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n',
      400,
    ],
    [
      'differing Content-Length',
      'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n',
      400,
    ],
    [
      'a Content-Length list with differing values',
      'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 4\r\n\r\n',
      400,
    ],
    ['a signed Content-Length', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +3\r\n\r\n', 400],
    ['a bare LF ending a field', 'GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n', 400],
    ['a bare LF ending the request line', 'GET / HTTP/1.1\nHost: a\r\n\r\n', 400],
    ['a bare CR inside a value', 'GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n', 400],
    ['a NUL in a value', 'GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n', 400],
    ['whitespace before the colon', 'GET / HTTP/1.1\r\nHost : a\r\n\r\n', 400],
    ['obs-fold', 'GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n 2\r\n\r\n', 400],
    ['an invalid token in a field name', 'GET / HTTP/1.1\r\nHost: a\r\nX(y): 1\r\n\r\n', 400],
    ['an invalid method', 'G@T / HTTP/1.1\r\nHost: a\r\n\r\n', 400],
    ['a space in the target', 'GET /a b HTTP/1.1\r\nHost: a\r\n\r\n', 400],
    ['two spaces after the method', 'GET  / HTTP/1.1\r\nHost: a\r\n\r\n', 400],
    ['a missing Host in HTTP/1.1', 'GET / HTTP/1.1\r\n\r\n', 400],
    ['two Host fields', 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', 400],
    ['a garbage version', 'GET / HTTX/1.1\r\nHost: a\r\n\r\n', 400],
    ['HTTP/2.0 on this parser', 'GET / HTTP/2.0\r\nHost: a\r\n\r\n', 505],
    [
      'an unknown transfer coding',
      'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n',
      501,
    ],
    ['chunked twice', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n', 400],
    ['Transfer-Encoding in HTTP/1.0', 'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n', 400],
    ['an unsupported expectation', 'GET / HTTP/1.1\r\nHost: a\r\nExpect: tea\r\n\r\n', 417],
    [
      'a chunk size overflow',
      'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n',
      400,
    ],
    ['a non-hex chunk size', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 400],
    [
      'chunk data not followed by CRLF',
      'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n',
      400,
    ],
    [
      'a bare LF after a chunk size',
      'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\nab\r\n',
      400,
    ],
  ];
  for (const [what, input, status] of cases) {
    it(`answers ${status} to ${what}, fed whole or byte by byte`, () => {
      assert.equal(statusOf(input), status);
      const bytes = [...Buffer.from(input, 'latin1')].map((b) => Buffer.from([b]));
      const evs = feed(bytes);
      assert.equal(evs.find((e) => e.type === 'protocolError')?.status, status);
    });
  }

  it('answers 414 to a request line over maxRequestLineSize, even before its end arrives', () => {
    assert.equal(statusOf(`GET /${'a'.repeat(100)}`, { maxRequestLineSize: 50 }), 414);
    assert.equal(
      statusOf(`GET /${'a'.repeat(100)} HTTP/1.1\r\nHost: a\r\n\r\n`, { maxRequestLineSize: 50 }),
      414,
    );
  });

  it('answers 431 to a header block over maxHeaderSize, even before its end arrives', () => {
    assert.equal(statusOf(`GET / HTTP/1.1\r\nHost: a\r\nX: ${'a'.repeat(200)}`, { maxHeaderSize: 100 }), 431);
    assert.equal(
      statusOf(`GET / HTTP/1.1\r\nHost: a\r\nX: ${'a'.repeat(200)}\r\n\r\n`, { maxHeaderSize: 100 }),
      431,
    );
  });

  it('answers 431 to more fields than maxHeaderCount', () => {
    const fields = Array.from({ length: 5 }, (_, i) => `X${i}: v\r\n`).join('');
    assert.equal(statusOf(`GET / HTTP/1.1\r\nHost: a\r\n${fields}\r\n`, { maxHeaderCount: 5 }), 431);
    assert.equal(statusOf(`GET / HTTP/1.1\r\nHost: a\r\n${fields}\r\n`, { maxHeaderCount: 6 }), undefined);
  });

  it('answers 413 to a Content-Length or a chunked body over maxBodySize', () => {
    assert.equal(
      statusOf('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n', { maxBodySize: 10 }),
      413,
    );
    const chunked = 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n6\r\naaaaaa\r\n6\r\n';
    assert.equal(statusOf(chunked, { maxBodySize: 10 }), 413);
  });

  it('defaults maxBodySize to 10 MiB', () => {
    assert.equal(
      statusOf(`POST / HTTP/1.1\r\nHost: a\r\nContent-Length: ${10 * 1024 * 1024 + 1}\r\n\r\n`),
      413,
    );
    assert.equal(
      statusOf(`POST / HTTP/1.1\r\nHost: a\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\n`),
      undefined,
    );
  });

  it('returns nothing more after a protocol error', () => {
    const p = new HttpRequestParser();
    assert.equal(p.receive(Buffer.from('BAD\r\n\r\n'))[0]?.type, 'protocolError');
    assert.deepEqual(p.receive(Buffer.from('GET / HTTP/1.1\r\nHost: a\r\n\r\n')), []);
  });

  it('throws when fed after receiveEof (caller misuse)', () => {
    const p = new HttpRequestParser();
    p.receiveEof();
    assert.throws(() => p.receive(Buffer.from('x')));
  });
});

const validRequest = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
  path: fc.stringMatching(/^\/[a-z0-9/?=&%.-]{0,30}$/),
  headers: fc.array(
    fc.tuple(fc.stringMatching(/^X-[A-Za-z0-9-]{1,10}$/), fc.stringMatching(/^[ -~]{0,20}$/)),
    {
      maxLength: 5,
    },
  ),
  body: fc.uint8Array({ maxLength: 200 }),
  chunked: fc.boolean(),
});
type ValidRequest = typeof validRequest extends fc.Arbitrary<infer T> ? T : never;

function encode(r: ValidRequest): Buffer {
  const body = Buffer.from(r.body);
  let head = `${r.method} ${r.path} HTTP/1.1\r\nHost: h\r\n`;
  for (const [n, v] of r.headers) head += `${n}: ${v}\r\n`;
  if (r.chunked) {
    head += 'Transfer-Encoding: chunked\r\n\r\n';
    const parts: Buffer[] = [Buffer.from(head, 'latin1')];
    for (let i = 0; i < body.length; i += 37) {
      const c = body.subarray(i, i + 37);
      parts.push(Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from('0\r\n\r\n'));
    return Buffer.concat(parts);
  }
  head += `Content-Length: ${body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

function split(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(buf.subarray(prev, p));
    prev = p;
  }
  out.push(buf.subarray(prev));
  return out;
}

describe('HttpRequestParser properties', () => {
  it('gives the same requests for any chunking of a valid stream', () => {
    fc.assert(
      fc.property(
        fc.array(validRequest, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (reqs, cuts) => {
          const stream = Buffer.concat(reqs.map(encode));
          assert.deepEqual(feed(split(stream, cuts)), feed([stream]));
        },
      ),
    );
  });

  it('round-trips method, target, fields and body through encode and parse', () => {
    fc.assert(
      fc.property(validRequest, (r) => {
        const evs = feed([encode(r)]);
        const head = evs[0] as Norm;
        assert.equal(head.method, r.method);
        assert.equal(head.target, r.path);
        const raw = head.rawHeaders as string[];
        const custom = raw.slice(2, 2 + r.headers.length * 2);
        assert.deepEqual(
          custom,
          r.headers.flatMap(([n, v]) => [n, v.trim()]),
        );
        const body = evs.find((e) => e.type === 'body')?.data ?? '';
        assert.equal(body, Buffer.from(r.body).toString('latin1'));
        assert.equal(evs[evs.length - 1]?.type, 'requestEnded');
      }),
    );
  });

  it('never throws and never buffers past the limits on random bytes', () => {
    const limits = {
      maxRequestLineSize: 64,
      maxHeaderSize: 256,
      maxHeaderCount: 8,
      maxBodySize: 512,
      maxChunkLineSize: 32,
    };
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 10 }), (chunks) => {
        const p = new HttpRequestParser(limits);
        for (const c of chunks) {
          p.receive(c);
          while (p.state === 'waiting') p.nextRequest();
          if (p.state === 'head') assert.ok(p.buffered <= 64 + 2 + 256 + 300, `buffered ${p.buffered}`);
        }
        p.receiveEof();
      }),
    );
  });

  it('never throws on random printable requests made of header-like lines', () => {
    const line = fc.stringMatching(/^[ -~\t\r\n]{0,40}$/);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        feed([Buffer.from(`GET / HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`, 'latin1')], undefined, true);
      }),
    );
  });
});
