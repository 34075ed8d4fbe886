import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IPushProducer } from '../internet/interfaces.js';
import { StringTransport } from '../testing/string-transport.js';
import { CACHED, type Request } from './request.js';
import { NOT_DONE_YET, Resource } from './resource.js';
import { connect, parseResponses, testSite } from './test-support.js';

/** Captures the request and lets the test drive it. */
class Capture extends Resource {
  override isLeaf = true;
  requests: Request[] = [];
  constructor(readonly answer: (r: Request) => string | typeof NOT_DONE_YET = () => NOT_DONE_YET) {
    super();
  }
  render_GET(request: Request): string | typeof NOT_DONE_YET {
    this.requests.push(request);
    return this.answer(request);
  }
  render_POST(request: Request): string | typeof NOT_DONE_YET {
    return this.render_GET(request);
  }
}

/**
 * A transport that behaves like a socket with a 64 KiB high-water mark: it counts the bytes
 * "in the kernel", pauses a streaming producer above the mark and resumes it when the test drains.
 */
class SlowTransport extends StringTransport {
  buffered = 0;
  maxBuffered = 0;
  total = 0;
  paused = false;
  override write(data: Uint8Array | string): void {
    const n = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
    this.buffered += n;
    this.total += n;
    this.maxBuffered = Math.max(this.maxBuffered, this.buffered);
    if (this.buffered > 65536 && this.producer !== null && this.streaming === true && !this.paused) {
      this.paused = true;
      (this.producer as IPushProducer).pauseProducing();
    }
  }
  override writeSequence(data: readonly (Uint8Array | string)[]): void {
    for (const d of data) this.write(d);
  }
  drain(): void {
    this.buffered = 0;
    if (this.paused && this.producer !== null) {
      this.paused = false;
      (this.producer as IPushProducer).resumeProducing();
    }
  }
}

describe('Request', () => {
  it('streams a 1 GB body to a slow client without buffering more than a chunk past the high-water mark', () => {
    const capture = new Capture();
    const { site } = testSite(capture);
    const transport = new SlowTransport();
    const channel = site.buildProtocol(transport.getPeer());
    channel.makeConnection(transport);
    channel.dataReceived(Buffer.from('GET / HTTP/1.1\r\nHost: a\r\n\r\n'));
    const request = capture.requests[0]!;
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const goal = 1024 * 1024 * 1024;
    let produced = 0;
    let running = true;
    const producer: IPushProducer = {
      pauseProducing: () => {
        running = false;
      },
      resumeProducing: () => {
        running = true;
      },
      stopProducing: () => {
        running = false;
      },
    };
    request.registerProducer(producer, true);
    let rounds = 0;
    while (produced < goal) {
      while (running && produced < goal) {
        request.write(chunk);
        produced += chunk.length;
      }
      transport.drain();
      rounds++;
    }
    request.unregisterProducer();
    request.finish();
    assert.ok(transport.maxBuffered <= 65536 + chunk.length + 64, `max buffered ${transport.maxBuffered}`);
    assert.ok(rounds > 1000, 'the producer was paused many times');
    assert.ok(transport.total > goal);
  });

  it('passes registerProducer through to the transport', () => {
    const capture = new Capture();
    const conn = connect(testSite(capture).site);
    conn.send('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    const producer = { resumeProducing() {}, stopProducing() {} };
    capture.requests[0]!.registerProducer(producer, false);
    assert.equal(conn.transport.producer, producer);
    capture.requests[0]!.unregisterProducer();
    assert.equal(conn.transport.producer, null);
  });

  it('parses args from the query string and from urlencoded and multipart bodies', () => {
    const capture = new Capture(() => 'ok');
    const conn = connect(testSite(capture).site);
    conn.send('GET /p?a=1&a=2&b=%C3%A9+x HTTP/1.1\r\nHost: h\r\n\r\n');
    const body = 'c=3&a=4';
    conn.send(
      `POST /p?a=0 HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    const mp =
      '--XX\r\nContent-Disposition: form-data; name="f"\r\n\r\nfield\r\n' +
      '--XX\r\nContent-Disposition: form-data; name="up"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nfile\r\nbytes\r\n--XX--\r\n';
    conn.send(
      `POST /p HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: ${mp.length}\r\n\r\n${mp}`,
    );
    const [get, post, multi] = capture.requests;
    assert.deepEqual(get!.args.get('a'), ['1', '2']);
    assert.deepEqual(get!.args.get('b'), ['é x']);
    assert.deepEqual(post!.args.get('a'), ['0', '4']);
    assert.deepEqual(post!.args.get('c'), ['3']);
    assert.deepEqual(multi!.args.get('f'), ['field']);
    const up = multi!.getFormParts()?.find((p) => p.name === 'up');
    assert.equal(up?.filename, 'a.txt');
    assert.equal(up?.data.toString(), 'file\r\nbytes');
  });

  it('answers 400 to a malformed multipart body and 413 past the field limit, logging no server error', () => {
    const capture = new Capture((r) => String(r.args.size));
    const errors: unknown[] = [];
    const { site } = testSite(capture, { multipartLimits: { maxParts: 3 } });
    site.logRenderError = (_r, err) => errors.push(err);
    const conn = connect(site);
    const bad = '--XX\r\nContent-Disposition: form-data; name="f"\r\n\r\nno closing boundary';
    conn.send(
      `POST / HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: ${bad.length}\r\n\r\n${bad}`,
    );
    const many = 'a=1&b=2&c=3&d=4';
    conn.send(
      `POST / HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${many.length}\r\n\r\n${many}`,
    );
    const [malformed, tooMany] = conn.responses();
    assert.equal(malformed?.status, 400);
    assert.match(malformed!.body.toString(), /malformed multipart/);
    assert.equal(tooMany?.status, 413);
    assert.match(tooMany!.body.toString(), /more than 3 form fields/);
    assert.deepEqual(errors, []);
    assert.equal(conn.transport.disconnecting, false, 'the connection goes on');
  });

  it('reads cookies and writes Set-Cookie with every attribute', () => {
    const capture = new Capture((r) => {
      r.addCookie('sid', 'abc', {
        path: '/',
        domain: 'example.com',
        expires: 0,
        maxAge: 60,
        secure: true,
        httpOnly: true,
        sameSite: 'Strict',
      });
      return r.getCookie('theme') ?? 'none';
    });
    const conn = connect(testSite(capture).site);
    conn.send('GET / HTTP/1.1\r\nHost: h\r\nCookie: theme=dark; x=1\r\n\r\n');
    const r = conn.responses()[0]!;
    assert.equal(r.body.toString(), 'dark');
    assert.deepEqual(r.headers.get('set-cookie'), [
      'sid=abc; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Domain=example.com; Path=/; Max-Age=60; Secure; HttpOnly; SameSite=Strict',
    ]);
    assert.throws(() => capture.requests[0]!.addCookie('a', 'b;c'), TypeError);
  });

  it('answers 304 to a conditional GET when the ETag or Last-Modified matches', () => {
    const capture = new Capture((r) => {
      if (r.setETag('v1') === CACHED) return '';
      return 'fresh';
    });
    const conn = connect(testSite(capture).site);
    conn.send('GET / HTTP/1.1\r\nHost: h\r\nIf-None-Match: "v0", "v1"\r\n\r\n');
    conn.send('GET / HTTP/1.1\r\nHost: h\r\nIf-None-Match: "v2"\r\n\r\n');
    const [hit, miss] = conn.responses();
    assert.equal(hit?.status, 304);
    assert.equal(hit?.body.length, 0);
    assert.equal(miss?.status, 200);
    assert.deepEqual(miss?.headers.get('etag'), ['"v1"']);

    const lm = new Capture((r) => (r.setLastModified(1000) === CACHED ? '' : 'fresh'));
    const c2 = connect(testSite(lm).site);
    c2.send('GET / HTTP/1.1\r\nHost: h\r\nIf-Modified-Since: Thu, 01 Jan 1970 00:16:40 GMT\r\n\r\n');
    c2.send('GET / HTTP/1.1\r\nHost: h\r\nIf-Modified-Since: Thu, 01 Jan 1970 00:16:39 GMT\r\n\r\n');
    assert.deepEqual(
      c2.responses().map((r) => r.status),
      [304, 200],
    );
  });

  it('redirects with 302 and Location', () => {
    const capture = new Capture((r) => {
      r.redirect('/elsewhere');
      return '';
    });
    const conn = connect(testSite(capture).site);
    conn.send('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
    const r = conn.responses()[0]!;
    assert.equal(r.status, 302);
    assert.deepEqual(r.headers.get('location'), ['/elsewhere']);
  });

  it('keeps a session across requests through its cookie and expires it after sessionTimeout', () => {
    const capture = new Capture((r) => {
      const s = r.getSession();
      const n = ((s.data.n as number | undefined) ?? 0) + 1;
      s.data.n = n;
      return String(n);
    });
    const { site, clock } = testSite(capture, { timeout: 10000 });
    const conn = connect(site);
    conn.send('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
    const cookie = conn.responses()[0]!.headers.get('set-cookie')![0]!;
    assert.match(cookie, /^TWISTED_SESSION=[0-9a-f]{32}; Path=\/; HttpOnly; SameSite=Lax$/);
    const pair = cookie.split(';')[0]!;
    conn.send(`GET / HTTP/1.1\r\nHost: h\r\nCookie: ${pair}\r\n\r\n`);
    assert.equal(conn.responses()[1]!.body.toString(), '2');
    const session = capture.requests[1]!.getSession();
    let expired = false;
    session.notifyOnExpire(() => {
      expired = true;
    });
    clock.advance(899);
    assert.equal(expired, false);
    clock.advance(1);
    assert.equal(expired, true);
    assert.equal(site.getSession(session.uid), undefined);
    conn.send(`GET / HTTP/1.1\r\nHost: h\r\nCookie: ${pair}\r\n\r\n`);
    assert.equal(conn.responses()[2]!.body.toString(), '1', 'a new session after expiry');
  });

  it("postpones a session's expiry each time a request uses it", () => {
    const capture = new Capture((r) => r.getSession().uid);
    const { site, clock } = testSite(capture, { timeout: 10000 });
    const conn = connect(site);
    conn.send('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
    const uid = conn.responses()[0]!.body.toString();
    const again = () => conn.send(`GET / HTTP/1.1\r\nHost: h\r\nCookie: TWISTED_SESSION=${uid}\r\n\r\n`);
    clock.advance(600);
    again();
    clock.advance(600);
    assert.notEqual(site.getSession(uid), undefined, 'used 600 s ago: still alive at 1200 s');
    clock.advance(300);
    assert.equal(site.getSession(uid), undefined, 'expired 900 s after its last use');
  });

  it('throws on write after finish and ignores a second finish', () => {
    const capture = new Capture();
    const conn = connect(testSite(capture).site);
    conn.send('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
    const r = capture.requests[0]!;
    r.finish();
    r.finish();
    assert.throws(() => r.write('x'), /after Request.finish/);
    assert.equal(parseResponses(conn.transport.value()).length, 1);
  });

  it('rejects a header value that would inject a header', () => {
    const capture = new Capture();
    const conn = connect(testSite(capture).site);
    conn.send('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
    assert.throws(() => capture.requests[0]!.setHeader('X', 'a\r\nSet-Cookie: evil'), TypeError);
  });
});

describe('Request bodies past the spool threshold', () => {
  /** Answers a POST with what it saw of the body; resolves with the response once logged. */
  function post(body: Buffer, type: string, answer: (r: Request) => string | typeof NOT_DONE_YET) {
    class Sink extends Resource {
      override isLeaf = true;
      render_POST(request: Request): string | typeof NOT_DONE_YET {
        return answer(request);
      }
    }
    let done!: () => void;
    const logged = new Promise<void>((r) => {
      done = r;
    });
    const { site } = testSite(new Sink(), { spoolThreshold: 64 * 1024, accessLog: () => done() });
    const conn = connect(site);
    conn.send(
      `POST / HTTP/1.1\r\nHost: h\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    for (let i = 0; i < body.length; i += 64 * 1024) conn.send(body.subarray(i, i + 64 * 1024));
    return { conn, response: logged.then(() => conn.responses()[0]!) };
  }

  it('go to a temporary file, pausing reads while the disk is behind, and render once stored', async () => {
    const body = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = (i * 13) % 256;
    const { conn, response } = post(
      body,
      'application/octet-stream',
      (r) => `${r.contentSpooled} ${r.content.equals(body)}`,
    );
    assert.equal(conn.transport.producerState, 'paused', 'more than 1 MiB waits for the disk');
    const r = await response;
    assert.equal(r.body.toString(), 'true true');
    assert.equal(conn.transport.producerState, 'producing');
  });

  it('still give form arguments and a content stream', async () => {
    const form = Buffer.from(`a=${'x'.repeat(100 * 1024)}&b=2`);
    const { response } = post(form, 'application/x-www-form-urlencoded', (r) => {
      const args = `${r.contentSpooled} ${r.args.get('a')?.[0]?.length} ${r.args.get('b')?.[0]}`;
      let n = 0;
      r.createContentReadStream()
        .on('data', (c: Buffer) => {
          n += c.length;
        })
        .on('end', () => {
          r.write(`${args} streamed ${n}`);
          r.finish();
        });
      return NOT_DONE_YET;
    });
    assert.equal((await response).body.toString(), `true ${100 * 1024} 2 streamed ${form.length}`);
  });
});
