import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runPeer, startServer, type TestServer } from './harness.js';

const INSTALL = 'apt-get install -y curl';
let server: TestServer;
before(() => {
  server = startServer();
});
after(() => server.stop());

const curl = (...args: string[]) => runPeer('curl', ['-sS', '--max-time', '10', ...args], INSTALL);

describe('interop: curl against twisted-ts web', () => {
  it('fetches a page over HTTP/1.0 and the connection closes', async () => {
    const r = await curl('-0', '-i', `${server.url}/hello`);
    const text = r.stdout.toString();
    assert.match(text, /^HTTP\/1\.0 200 OK\r\n/);
    assert.match(text, /Connection: close/);
    assert.match(text, /\r\n\r\nHello world!$/);
  });

  it('reuses one keep-alive connection for two URLs in one command', async () => {
    const r = await curl('-v', `${server.url}/hello`, `${server.url}/data`);
    assert.equal(r.stdout.toString(), 'Hello world!{"ok":true}');
    assert.match(r.stderr, /Re-?using existing connection/i);
  });

  it('uploads a chunked body and gets it echoed', async () => {
    const file = join(server.dir, 'upload.bin');
    writeFileSync(file, server.big.subarray(0, 200000));
    const r = await curl(
      '-H',
      'Transfer-Encoding: chunked',
      '--data-binary',
      `@${file}`,
      `${server.url}/echo`,
    );
    assert.ok(r.stdout.equals(server.big.subarray(0, 200000)));
  });

  it('uploads 5 MiB, spooled to disk past the 1 MiB threshold, and gets it echoed', async () => {
    const file = join(server.dir, 'large.bin');
    const body = Buffer.concat(Array.from({ length: 5 }, () => server.big));
    writeFileSync(file, body);
    const r = await curl('--data-binary', `@${file}`, '-D', '-', `${server.url}/echo`);
    // curl asks for 100 Continue before a large body: skip that interim head.
    const interim = 'HTTP/1.1 100 Continue\r\n\r\n';
    const out = r.stdout.subarray(
      r.stdout.toString('latin1', 0, interim.length) === interim ? interim.length : 0,
    );
    const head = out.indexOf('\r\n\r\n');
    assert.match(out.toString('latin1', 0, head), /^HTTP\/1\.1 200 OK\r\n[\s\S]*X-Spooled: true/);
    assert.ok(out.subarray(head + 4).equals(body));
  });

  it('answers 100 Continue to --http1.1 with Expect: 100-continue', async () => {
    const file = join(server.dir, 'expect.bin');
    writeFileSync(file, server.big.subarray(0, 5000));
    const r = await curl(
      '-v',
      '--http1.1',
      '--header',
      'Expect: 100-continue',
      '--data-binary',
      `@${file}`,
      `${server.url}/echo`,
    );
    assert.match(r.stderr, /HTTP\/1\.1 100 Continue/);
    assert.ok(r.stdout.equals(server.big.subarray(0, 5000)));
  });

  it('gets a byte range and several ranges of a static file', async () => {
    const one = await curl('-r', '0-4', `${server.url}/static/hello.txt`);
    assert.equal(one.stdout.toString(), 'hello');
    const many = await curl('-i', '-r', '0-1,3-4', `${server.url}/static/hello.txt`);
    assert.match(many.stdout.toString(), /206 Partial Content[\s\S]*multipart\/byteranges/);
  });

  it('downloads a 1 MB static file intact', async () => {
    const r = await curl(`${server.url}/static/big.bin`);
    assert.ok(r.stdout.equals(server.big));
  });

  it('sends only headers to HEAD', async () => {
    const r = await curl('-I', `${server.url}/static/big.bin`);
    const text = r.stdout.toString();
    assert.match(text, /^HTTP\/1\.1 200 OK/);
    assert.match(text, /Content-Length: 1048576/);
    assert.ok(text.endsWith('\r\n\r\n'));
  });

  it('reads a chunked streamed response', async () => {
    const r = await curl('-i', `${server.url}/stream`);
    assert.match(
      r.stdout.toString(),
      /Transfer-Encoding: chunked[\s\S]*line 0\nline 1\nline 2\nline 3\nline 4\n$/,
    );
  });
});
