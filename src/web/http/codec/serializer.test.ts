import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatHttpDate, HttpDateCache, parseHttpDate } from './http-date.js';
import { HttpRequestParser } from './request-parser.js';
import { bodyForbidden, chunkHeader, responseFraming, serializeResponseHead } from './serializer.js';
import { statusLine } from './status.js';

describe('response serializer', () => {
  it('writes status line, headers, Date, Content-Length and the empty line in order', () => {
    const head = serializeResponseHead('1.1', 200, undefined, ['Content-Type', 'text/plain'], {
      date: 'Thu, 01 Jan 1970 00:00:00 GMT',
      framing: 'length',
      contentLength: 5,
      close: false,
    });
    assert.equal(
      head,
      'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nDate: Thu, 01 Jan 1970 00:00:00 GMT\r\nContent-Length: 5\r\n\r\n',
    );
  });

  it('announces chunked framing and Connection: close', () => {
    const head = serializeResponseHead('1.1', 200, 'Fine', [], {
      date: null,
      framing: 'chunked',
      contentLength: -1,
      close: true,
    });
    assert.equal(head, 'HTTP/1.1 200 Fine\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n');
  });

  it('chooses no body for HEAD, 1xx, 204 and 304, length when known, chunked or close otherwise', () => {
    assert.equal(responseFraming({ version: '1.1', method: 'GET', code: 204, contentLength: 5 }), 'none');
    assert.equal(responseFraming({ version: '1.1', method: 'GET', code: 304, contentLength: -1 }), 'none');
    assert.equal(responseFraming({ version: '1.1', method: 'HEAD', code: 200, contentLength: -1 }), 'none');
    assert.equal(responseFraming({ version: '1.1', method: 'GET', code: 200, contentLength: 3 }), 'length');
    assert.equal(responseFraming({ version: '1.1', method: 'GET', code: 200, contentLength: -1 }), 'chunked');
    assert.equal(responseFraming({ version: '1.0', method: 'GET', code: 200, contentLength: -1 }), 'close');
    assert.ok(bodyForbidden('HEAD', 200));
    assert.ok(!bodyForbidden('GET', 200));
  });

  it('caches status lines and rejects reason phrases that could inject a header', () => {
    assert.equal(statusLine('1.1', 404), 'HTTP/1.1 404 Not Found\r\n');
    assert.equal(statusLine('1.0', 404), 'HTTP/1.0 404 Not Found\r\n');
    assert.throws(() => statusLine('1.1', 200, 'OK\r\nX: y'), TypeError);
    assert.throws(() => statusLine('1.1', 42), RangeError);
  });

  it('frames chunk sizes in hex', () => {
    assert.equal(chunkHeader(255), 'ff\r\n');
  });
});

describe('HTTP dates', () => {
  it('formats IMF-fixdate and parses the three historic formats', () => {
    assert.equal(formatHttpDate(784111777), 'Sun, 06 Nov 1994 08:49:37 GMT');
    assert.equal(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT'), 784111777);
    assert.equal(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT'), 784111777);
    assert.equal(parseHttpDate('Sun Nov  6 08:49:37 1994'), 784111777);
    assert.equal(parseHttpDate('yesterday'), null);
  });

  it('round-trips any second through format and parse', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253402300799 }), (s) => {
        assert.equal(parseHttpDate(formatHttpDate(s)), s);
      }),
    );
  });

  it('re-formats the cached date only when the second changes', () => {
    const cache = new HttpDateCache();
    const a = cache.get(10.2);
    assert.equal(cache.get(10.9), a);
    assert.notEqual(cache.get(11), a);
  });
});

describe('serialize → parse round trip', () => {
  it('a request written by a client-side encoder parses back to the same head (fields and body)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,8}$/),
            fc.stringMatching(/^[!-~]([ -~]{0,10}[!-~])?$/),
          ),
          {
            maxLength: 6,
          },
        ),
        (fields) => {
          const filtered = fields.filter(
            ([n]) => !/^(host|content-length|transfer-encoding|connection|expect)$/i.test(n),
          );
          // The response-head writer and the parser share the field-line grammar.
          const head = serializeResponseHead('1.1', 200, undefined, ['Host', 'h', ...filtered.flat()], {
            date: null,
            framing: 'none',
            contentLength: -1,
            close: false,
          }).replace(/^HTTP\/1\.1 200 OK/, 'GET / HTTP/1.1');
          const ev = new HttpRequestParser().receive(Buffer.from(head, 'latin1'))[0];
          assert.equal(ev?.type, 'requestReceived');
          if (ev?.type === 'requestReceived')
            assert.deepEqual(ev.rawHeaders, ['Host', 'h', ...filtered.flat()]);
        },
      ),
    );
  });
});
