import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { HttpLimits } from './limits.js';
import { type HttpResponseEvent, HttpResponseParser } from './response-parser.js';

type Norm = Record<string, unknown>;

function normalize(events: HttpResponseEvent[]): Norm[] {
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

/** Feeds `chunks` for responses to `methods` (one per response), then EOF when asked. */
function feed(chunks: Buffer[], methods: string[] = ['GET'], eof = false, limits?: HttpLimits): Norm[] {
  const p = new HttpResponseParser(limits);
  const queue = [...methods];
  const events: HttpResponseEvent[] = [];
  const next = (): void => {
    while (p.state === 'idle' && queue.length > 0) events.push(...p.expectResponse(queue.shift() as string));
  };
  next();
  for (const c of chunks) {
    events.push(...p.receive(c));
    next();
  }
  if (eof) events.push(...p.receiveEof());
  return normalize(events);
}

function tr(input: string, expected: Norm[], method = 'GET', eof = false): void {
  const buf = Buffer.from(input, 'latin1');
  assert.deepEqual(feed([buf], [method], eof), expected, 'fed whole');
  const bytes = [...buf].map((b) => Buffer.from([b]));
  assert.deepEqual(feed(bytes, [method], eof), expected, 'fed byte by byte');
  if (!eof) {
    const trailing = feed([Buffer.concat([buf, Buffer.from('HTTP/1.1 2', 'latin1')])], [method]);
    assert.deepEqual(trailing, expected, 'fed with trailing data');
  }
}

const head = (over: Partial<Norm>): Norm => ({
  type: 'responseReceived',
  version: '1.1',
  code: 200,
  phrase: 'OK',
  rawHeaders: [],
  keepAlive: true,
  framing: 'none',
  contentLength: 0,
  ...over,
});
const ended = (closeDelimited = false, trailers: string[] = []): Norm => ({
  type: 'responseEnded',
  trailers,
  closeDelimited,
});

function errorOf(input: string, method = 'GET', limits?: HttpLimits): string | undefined {
  const evs = feed([Buffer.from(input, 'latin1')], [method], false, limits);
  const err = evs.find((e) => e.type === 'protocolError');
  return err?.reason as string | undefined;
}

describe('HttpResponseParser', () => {
  it('parses a Content-Length response whole, byte by byte and with trailing data', () => {
    tr('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX: y\r\n\r\nhello', [
      head({ rawHeaders: ['Content-Length', '5', 'X', 'y'], framing: 'length', contentLength: 5 }),
      { type: 'body', data: 'hello' },
      ended(),
    ]);
  });

  it('parses a chunked response with extensions and trailers', () => {
    tr('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=1\r\nabc\r\n2\r\nde\r\n0\r\nT: v\r\n\r\n', [
      head({ rawHeaders: ['Transfer-Encoding', 'chunked'], framing: 'chunked', contentLength: -1 }),
      { type: 'body', data: 'abcde' },
      ended(false, ['T', 'v']),
    ]);
  });

  it('reads a body without length until the connection closes and marks it close-delimited', () => {
    tr(
      'HTTP/1.1 200 OK\r\n\r\nall of it',
      [
        head({ keepAlive: false, framing: 'close', contentLength: -1 }),
        { type: 'body', data: 'all of it' },
        ended(true),
        { type: 'endOfStream', incomplete: false },
      ],
      'GET',
      true,
    );
  });

  it('gives a HEAD response no body even when it declares a length', () => {
    tr(
      'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n',
      [head({ rawHeaders: ['Content-Length', '10'], contentLength: 10 }), ended()],
      'HEAD',
    );
  });

  it('gives 204 and 304 responses no body', () => {
    for (const code of [204, 304]) {
      const evs = feed([Buffer.from(`HTTP/1.1 ${code} X\r\nTransfer-Encoding: chunked\r\n\r\n`, 'latin1')]);
      assert.equal(evs.length, 2);
      assert.equal(evs[0]?.framing, 'none');
      assert.deepEqual(evs[1], ended());
    }
  });

  it('reports 1xx interim responses and goes on to the final one', () => {
    tr(
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n',
      [
        { type: 'informational', code: 100, rawHeaders: [] },
        { type: 'informational', code: 103, rawHeaders: ['Link', '</a>'] },
        head({ code: 204, phrase: 'No Content' }),
        ended(),
      ],
    );
  });

  it('honours Connection: close in 1.1 and keep-alive in 1.0', () => {
    const close = feed([Buffer.from('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')]);
    assert.equal(close[0]?.keepAlive, false);
    const ka = feed([Buffer.from('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n')]);
    assert.equal(ka[0]?.keepAlive, true);
    const plain10 = feed([Buffer.from('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n')]);
    assert.equal(plain10[0]?.keepAlive, false);
  });

  it('accepts an empty reason phrase with or without the space', () => {
    assert.equal(feed([Buffer.from('HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n')])[0]?.phrase, '');
    assert.equal(feed([Buffer.from('HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n')])[0]?.phrase, '');
  });

  it('parses several responses in sequence on one connection', () => {
    const evs = feed(
      [
        Buffer.from(
          'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\nb',
        ),
      ],
      ['GET', 'POST'],
    );
    assert.deepEqual(
      evs.map((e) => e.type),
      ['responseReceived', 'body', 'responseEnded', 'responseReceived', 'body', 'responseEnded'],
    );
    assert.equal(evs[3]?.code, 201);
  });

  it('holds bytes that arrive before expectResponse', () => {
    const p = new HttpResponseParser();
    assert.deepEqual(p.receive(Buffer.from('HTTP/1.1 204 No Content\r\n\r\n')), []);
    assert.equal(p.buffered, 27);
    assert.equal(p.expectResponse('GET')[0]?.type, 'responseReceived');
  });

  it('rejects bad framing and malformed heads with a reason', () => {
    const cases: [string, RegExp][] = [
      ['HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n', /both Content-Length/],
      ['HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', /conflicting/],
      ['HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', /invalid Content-Length/],
      ['HTTP/1.1 200 OK\nX: y\r\n\r\n', /bare LF/],
      ['HTTP/1.1 200 OK\r\nX : y\r\n\r\n', /whitespace before the colon/],
      ['HTTP/1.1 200 OK\r\nX: y\r\n z\r\n\r\n', /folding/],
      ['HTTP/2.0 200 OK\r\n\r\n', /version/],
      ['HTTP/1.1 2x0 OK\r\n\r\n', /status code/],
      ['ICY 200 OK\r\n\r\n', /status line/],
      ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /chunk size/],
      ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\naXY', /CRLF/],
      ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n', /chunked/],
      ['HTTP/1.1 101 Switching Protocols\r\n\r\n', /101/],
    ];
    for (const [input, re] of cases) assert.match(errorOf(input) ?? '(none)', re, JSON.stringify(input));
  });

  it('enforces the status line and header limits', () => {
    assert.match(
      errorOf(`HTTP/1.1 200 ${'x'.repeat(100)}\r\n\r\n`, 'GET', { maxRequestLineSize: 50 }) ?? '',
      /status line too long/,
    );
    assert.match(
      errorOf(`HTTP/1.1 200 OK\r\nX: ${'y'.repeat(200)}\r\n\r\n`, 'GET', { maxHeaderSize: 100 }) ?? '',
      /too large/,
    );
    assert.match(
      errorOf('HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n', 'GET', { maxHeaderCount: 2 }) ?? '',
      /too many/,
    );
  });

  it('is terminal after a protocol error', () => {
    const p = new HttpResponseParser();
    p.expectResponse('GET');
    assert.equal(p.receive(Buffer.from('garbage\r\n\r\n'))[0]?.type, 'protocolError');
    assert.deepEqual(p.receive(Buffer.from('HTTP/1.1 200 OK\r\n\r\n')), []);
    assert.equal(p.state, 'error');
  });

  it('reports an incomplete response at EOF', () => {
    const evs = feed([Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc')], ['GET'], true);
    assert.deepEqual(evs[evs.length - 1], { type: 'endOfStream', incomplete: true });
  });

  it('throws on misuse by the caller', () => {
    const p = new HttpResponseParser();
    p.expectResponse('GET');
    assert.throws(() => p.expectResponse('GET'), /expectResponse/);
    p.receiveEof();
    assert.throws(() => p.receive(Buffer.from('x')), /after receiveEof/);
  });

  it('gives the same events for any chunking of a pipeline of responses', () => {
    const wire = Buffer.from(
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nabcd' +
        'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n0\r\n\r\n' +
        'HTTP/1.1 200 OK\r\n\r\ntail',
      'latin1',
    );
    const methods = ['GET', 'GET', 'GET'];
    const expected = feed([wire], methods, true);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: wire.length - 1 }), { maxLength: 20 }), (cuts) => {
        const sorted = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let prev = 0;
        for (const c of sorted) {
          chunks.push(wire.subarray(prev, c));
          prev = c;
        }
        chunks.push(wire.subarray(prev));
        assert.deepEqual(feed(chunks, methods, true), expected);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on arbitrary bytes and never buffers past the head limit', () => {
    const limits = { maxHeaderSize: 256, maxRequestLineSize: 64 };
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }), (chunks) => {
        const p = new HttpResponseParser(limits);
        p.expectResponse('GET');
        for (const c of chunks) {
          p.receive(c);
          if (p.state === 'head') assert.ok(p.buffered <= 64 + 256 + 4);
          if (p.state === 'idle') p.expectResponse('GET');
        }
        p.receiveEof();
      }),
      { numRuns: 300 },
    );
  });
});
