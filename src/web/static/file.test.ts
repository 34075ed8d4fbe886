import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Resource } from '../resource.js';
import { connect, type ParsedResponse, testSite } from '../test-support.js';
import { File, type FileOptions } from './file.js';

let dir: string;
let root: string;
const big = Buffer.alloc(300 * 1024);
for (let i = 0; i < big.length; i++) big[i] = i % 251;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'twisted-web-file-'));
  root = join(dir, 'root');
  mkdirSync(join(root, 'sub'), { recursive: true });
  mkdirSync(join(root, 'site'));
  writeFileSync(join(root, 'hello.txt'), 'hello, world\n');
  writeFileSync(join(root, 'style.css'), 'body{}');
  writeFileSync(join(root, 'big.bin'), big);
  writeFileSync(join(root, 'sub', '<b>&.txt'), 'x');
  writeFileSync(join(root, 'sub', 'a.txt'), 'aaaa');
  writeFileSync(join(root, 'site', 'index.html'), '<h1>index</h1>');
  writeFileSync(join(dir, 'secret.txt'), 'secret');
  symlinkSync(join(dir, 'secret.txt'), join(root, 'escape.txt'));
  symlinkSync(join(root, 'hello.txt'), join(root, 'inside.txt'));
  mkdirSync(join(root, 'linked'));
  symlinkSync(join(dir, 'secret.txt'), join(root, 'linked', 'index.html'));
  utimesSync(join(root, 'hello.txt'), 1000, 1000);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Sends `head` (a request without the final CRLF) and resolves with the response once finished. */
function fetch(
  path: string,
  headers = '',
  options: FileOptions = {},
  method = 'GET',
): Promise<ParsedResponse> {
  return new Promise((resolve) => {
    const { site } = testSite(new File(root, options), {
      accessLog: () => queueMicrotask(() => resolve(conn.responses()[0]!)),
    });
    const conn = connect(site);
    conn.send(`${method} ${path} HTTP/1.1\r\nHost: h\r\n${headers}\r\n`);
  });
}

describe('static.File', () => {
  it('serves a file with its type, length, Last-Modified, ETag and Accept-Ranges', async () => {
    const r = await fetch('/hello.txt');
    assert.equal(r.status, 200);
    assert.equal(r.body.toString(), 'hello, world\n');
    assert.deepEqual(r.headers.get('content-type'), ['text/plain; charset=utf-8']);
    assert.deepEqual(r.headers.get('content-length'), ['13']);
    assert.deepEqual(r.headers.get('last-modified'), ['Thu, 01 Jan 1970 00:16:40 GMT']);
    assert.deepEqual(r.headers.get('accept-ranges'), ['bytes']);
    assert.match(r.headers.get('etag')![0]!, /^W\/"d-[0-9a-f]+"$/);
  });

  it('streams a large file through a producer, byte for byte', async () => {
    const r = await fetch('/big.bin');
    assert.equal(r.body.length, big.length);
    assert.ok(r.body.equals(big));
    assert.deepEqual(r.headers.get('content-type'), ['application/octet-stream']);
  });

  it('answers HEAD with the headers only', async () => {
    const r = await fetch('/style.css', '', {}, 'HEAD');
    assert.deepEqual(r.headers.get('content-length'), ['6']);
    assert.equal(r.body.length, 0);
  });

  it('answers 304 to If-Modified-Since and to a matching If-None-Match', async () => {
    const a = await fetch('/hello.txt', 'If-Modified-Since: Thu, 01 Jan 1970 00:16:40 GMT\r\n');
    assert.equal(a.status, 304);
    const etag = (await fetch('/hello.txt')).headers.get('etag')![0]!;
    const b = await fetch('/hello.txt', `If-None-Match: ${etag}\r\n`);
    assert.equal(b.status, 304);
    assert.equal(b.body.length, 0);
  });

  it('serves a single range with 206 and Content-Range', async () => {
    const r = await fetch('/big.bin', 'Range: bytes=100-199\r\n');
    assert.equal(r.status, 206);
    assert.deepEqual(r.headers.get('content-range'), [`bytes 100-199/${big.length}`]);
    assert.ok(r.body.equals(big.subarray(100, 200)));
    const suffix = await fetch('/hello.txt', 'Range: bytes=-6\r\n');
    assert.equal(suffix.body.toString(), 'world\n');
  });

  it('serves several ranges as multipart/byteranges', async () => {
    const r = await fetch('/hello.txt', 'Range: bytes=0-4,7-11\r\n');
    assert.equal(r.status, 206);
    const type = r.headers.get('content-type')![0]!;
    const boundary = /boundary=(\w+)/.exec(type)![1]!;
    const text = r.body.toString();
    assert.equal(Number(r.headers.get('content-length')![0]), r.body.length);
    assert.match(
      text,
      new RegExp(
        `^--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 0-4/13\r\n\r\nhello\r\n--${boundary}\r\n`,
      ),
    );
    assert.match(text, new RegExp(`Content-Range: bytes 7-11/13\r\n\r\nworld\r\n--${boundary}--\r\n$`));
  });

  it('answers 416 to an unsatisfiable range, and ignores Range when If-Range does not match', async () => {
    const r = await fetch('/hello.txt', 'Range: bytes=100-\r\n');
    assert.equal(r.status, 416);
    assert.deepEqual(r.headers.get('content-range'), ['bytes */13']);
    const whole = await fetch('/hello.txt', 'Range: bytes=0-1\r\nIf-Range: "other"\r\n');
    assert.equal(whole.status, 200);
  });

  it('serves index.html for a directory and redirects a directory without its slash', async () => {
    const r = await fetch('/site/');
    assert.equal(r.body.toString(), '<h1>index</h1>');
    const redirect = await fetch('/site?x=1');
    assert.equal(redirect.status, 302);
    assert.deepEqual(redirect.headers.get('location'), ['/site/?x=1']);
  });

  it('lists a directory sorted, with escaped names, links and sizes', async () => {
    const r = await fetch('/sub/');
    const html = r.body.toString();
    assert.ok(html.indexOf('&#60;b&#62;&#38;.txt') < html.indexOf('>a.txt<'), 'sorted');
    assert.match(html, /href="%3Cb%3E%26.txt"/);
    assert.doesNotMatch(html, /<b>&/);
    assert.match(html, /<td>4B<\/td>/);
    const forbidden = await fetch('/sub/', '', { directoryListing: false });
    assert.equal(forbidden.status, 403);
  });

  const escapes: [string, string][] = [
    ['dot-dot segments', '/../secret.txt'],
    ['percent-encoded dot-dot', '/%2e%2e/secret.txt'],
    ['an encoded slash', '/sub%2f..%2f..%2fsecret.txt'],
    ['a NUL byte', '/hello.txt%00.css'],
    ['an absolute path', '//etc/passwd'],
    ['a backslash', '/..%5csecret.txt'],
  ];
  for (const [what, path] of escapes) {
    it(`never serves outside its root: ${what}`, async () => {
      const r = await fetch(path);
      assert.ok(r.status === 404 || r.status === 403, `status ${r.status}`);
      assert.doesNotMatch(r.body.toString(), /secret|root:/);
    });
  }

  it('refuses a symlink leaving the root unless allowed, and follows one inside', async () => {
    assert.equal((await fetch('/escape.txt')).status, 403);
    assert.equal(
      (await fetch('/escape.txt', '', { allowSymlinksOutsideRoot: true })).body.toString(),
      'secret',
    );
    assert.equal((await fetch('/inside.txt')).body.toString(), 'hello, world\n');
  });

  it('refuses an index file that is a symlink leaving the root', async () => {
    const r = await fetch('/linked/');
    assert.equal(r.status, 403);
    assert.doesNotMatch(r.body.toString(), /secret/);
    assert.equal((await fetch('/linked/', '', { allowSymlinksOutsideRoot: true })).body.toString(), 'secret');
  });

  it('uses extra media types and answers 404 for a missing file', async () => {
    const r = await fetch('/hello.txt', '', { mimeTypes: { txt: 'text/x-custom' } });
    assert.deepEqual(r.headers.get('content-type'), ['text/x-custom']);
    assert.equal((await fetch('/missing.txt')).status, 404);
  });

  it('works as a child of a resource tree', async () => {
    const tree = new Resource();
    tree.putChild('static', new File(root));
    const r = await new Promise<ParsedResponse>((resolve) => {
      const { site } = testSite(tree, {
        accessLog: () => queueMicrotask(() => resolve(conn.responses()[0]!)),
      });
      const conn = connect(site);
      conn.send('GET /static/hello.txt HTTP/1.1\r\nHost: h\r\n\r\n');
    });
    assert.equal(r.body.toString(), 'hello, world\n');
  });
});
