import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpRequestParser } from './request-parser.js';
import { serializeRequestHead } from './request-serializer.js';

describe('serializeRequestHead', () => {
  it('writes the request line, the fields and Content-Length framing', () => {
    const head = serializeRequestHead('POST', '/a?b=1', ['Host', 'h', 'X-A', 'v'], 3, false);
    assert.equal(
      head.toString('latin1'),
      'POST /a?b=1 HTTP/1.1\r\nHost: h\r\nX-A: v\r\nContent-Length: 3\r\n\r\n',
    );
  });

  it('writes Transfer-Encoding: chunked for a body of unknown length, nothing without a body', () => {
    assert.match(
      serializeRequestHead('PUT', '/', ['Host', 'h'], -1, true).toString(),
      /Transfer-Encoding: chunked\r\n\r\n$/,
    );
    assert.equal(
      serializeRequestHead('GET', '/', ['Host', 'h'], -1, false).toString(),
      'GET / HTTP/1.1\r\nHost: h\r\n\r\n',
    );
  });

  it('drops caller-given Content-Length and Transfer-Encoding: the framing decides them', () => {
    const s = serializeRequestHead(
      'POST',
      '/',
      ['Host', 'h', 'content-length', '99', 'Transfer-Encoding', 'gzip'],
      2,
      false,
    );
    assert.equal(s.toString(), 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n');
  });

  it('refuses header injection, bad names, bad methods and targets with spaces', () => {
    assert.throws(() => serializeRequestHead('GET', '/', ['X', 'a\r\nEvil: 1'], -1, false), TypeError);
    assert.throws(() => serializeRequestHead('GET', '/', ['Bad Name', 'v'], -1, false), TypeError);
    assert.throws(() => serializeRequestHead('G T', '/', [], -1, false), TypeError);
    assert.throws(() => serializeRequestHead('GET', '/a b', [], -1, false), TypeError);
  });

  it('produces heads the server parser reads back (round trip)', () => {
    const head = serializeRequestHead('DELETE', '/x/y?z', ['Host', 'example.com', 'Accept', '*/*'], 0, false);
    const [ev] = new HttpRequestParser().receive(head);
    assert.equal(ev?.type, 'requestReceived');
    if (ev?.type === 'requestReceived') {
      assert.equal(ev.method, 'DELETE');
      assert.equal(ev.target, '/x/y?z');
      assert.deepEqual(ev.rawHeaders, ['Host', 'example.com', 'Accept', '*/*', 'Content-Length', '0']);
    }
  });
});
