import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCookieHeader, serializeSetCookie } from './cookies.js';
import { multipartBoundary, parseMultipart, parseQuery } from './form.js';
import { Headers } from './headers.js';

describe('Headers', () => {
  it('looks names up case-insensitively, keeps several values in order and the first spelling', () => {
    const h = new Headers({ 'Content-Type': ['text/html'] });
    h.addRawHeader('set-cookie', 'a=1');
    h.addRawHeader('Set-Cookie', 'b=2');
    assert.deepEqual(h.getRawHeaders('SET-COOKIE'), ['a=1', 'b=2']);
    assert.equal(h.getHeader('content-type'), 'text/html');
    assert.ok(h.hasHeader('CONTENT-TYPE'));
    assert.deepEqual(
      [...h.getAllRawHeaders()],
      [
        ['Content-Type', ['text/html']],
        ['set-cookie', ['a=1', 'b=2']],
      ],
    );
    h.removeHeader('Set-Cookie');
    assert.equal(h.getRawHeaders('set-cookie'), undefined);
    h.setRawHeaders('X-A', ['1', '2']);
    assert.deepEqual(h.toFlat(), ['Content-Type', 'text/html', 'X-A', '1', 'X-A', '2']);
  });

  it('indexes parsed fields lazily and keeps their raw order', () => {
    const h = Headers.fromRaw(['Host', 'a', 'Accept', 'x', 'host', 'b']);
    assert.deepEqual(h.toFlat(), ['Host', 'a', 'Accept', 'x', 'host', 'b']);
    assert.deepEqual(h.getRawHeaders('HOST'), ['a', 'b']);
  });

  it('refuses names and values that could inject a header', () => {
    const h = new Headers();
    assert.throws(() => h.setRawHeaders('X', ['a\r\nEvil: 1']), TypeError);
    assert.throws(() => h.addRawHeader('Bad Name', 'v'), TypeError);
    assert.throws(() => h.addRawHeader('X', 'a\0b'), TypeError);
  });
});

describe('cookies and forms', () => {
  it('parses a Cookie header, first value wins, quotes removed', () => {
    const c = parseCookieHeader('a=1; b="two"; a=3; bad');
    assert.equal(c.get('a'), '1');
    assert.equal(c.get('b'), 'two');
    assert.equal(c.has('bad'), false);
  });

  it('serializes Set-Cookie and rejects values that would break it', () => {
    assert.equal(
      serializeSetCookie('s', 'v', { path: '/', sameSite: 'None', secure: true }),
      's=v; Path=/; Secure; SameSite=None',
    );
    assert.throws(() => serializeSetCookie('s', 'a b'), TypeError);
    assert.throws(() => serializeSetCookie('s', 'v', { path: '/;x' }), TypeError);
  });

  it('parses query strings with repeated names, + and bad escapes', () => {
    const q = parseQuery('a=1&a=2&b=x+y&c=%ZZ&d');
    assert.deepEqual(q.get('a'), ['1', '2']);
    assert.deepEqual(q.get('b'), ['x y']);
    assert.deepEqual(q.get('c'), ['%ZZ']);
    assert.deepEqual(q.get('d'), ['']);
  });

  it('rejects malformed multipart bodies and enforces the part limit', () => {
    assert.equal(multipartBoundary('multipart/form-data; boundary="a b"'), 'a b');
    const body = Buffer.from(
      '--B\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--B\r\nContent-Disposition: form-data; name="y"\r\n\r\n2\r\n--B--\r\n',
    );
    assert.equal(parseMultipart(body, 'B')?.length, 2);
    assert.equal(parseMultipart(body, 'B', { maxParts: 1 }), null);
    assert.equal(parseMultipart(Buffer.from('--B\r\nno end'), 'B'), null);
  });
});
