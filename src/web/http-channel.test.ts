import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deferred } from '../internet/defer.js';
import { ConnectionLost } from '../internet/error.js';
import { Data } from './data.js';
import type { Request } from './request.js';
import { NOT_DONE_YET, Resource } from './resource.js';
import { connect, testSite } from './test-support.js';

class Hello extends Resource {
  override isLeaf = true;
  render_GET(_request: Request): string {
    return 'Hello world!';
  }
}

class Later extends Resource {
  override isLeaf = true;
  pending: Request[] = [];
  render_GET(request: Request): typeof NOT_DONE_YET {
    this.pending.push(request);
    return NOT_DONE_YET;
  }
}

const GET = (path = '/', extra = ''): string => `GET ${path} HTTP/1.1\r\nHost: a\r\n${extra}\r\n`;

describe('HTTPChannel', () => {
  it('answers a GET with status, Content-Type, Date and Content-Length in one write', () => {
    const { site } = testSite(new Hello());
    const conn = connect(site);
    let writes = 0;
    const write = conn.transport.write.bind(conn.transport);
    conn.transport.write = (d) => {
      writes++;
      write(d);
    };
    conn.send(GET());
    assert.equal(
      conn.transport.value().toString(),
      'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nDate: Thu, 01 Jan 1970 00:00:00 GMT\r\nContent-Length: 12\r\n\r\nHello world!',
    );
    assert.equal(writes, 1);
    assert.equal(conn.transport.disconnecting, false);
  });

  it('keeps an HTTP/1.1 connection open for the next request', () => {
    const { site } = testSite(new Hello());
    const conn = connect(site);
    conn.send(GET());
    conn.send(GET());
    assert.equal(conn.responses().length, 2);
    assert.equal(conn.transport.disconnecting, false);
  });

  it('closes HTTP/1.0 unless Connection: keep-alive, and confirms keep-alive', () => {
    const { site } = testSite(new Hello());
    const a = connect(site);
    a.send('GET / HTTP/1.0\r\n\r\n');
    assert.equal(a.responses()[0]?.version, '1.0');
    assert.equal(a.transport.disconnecting, true);
    const b = connect(site);
    b.send('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    assert.deepEqual(b.responses()[0]?.headers.get('connection'), ['keep-alive']);
    assert.equal(b.transport.disconnecting, false);
  });

  it('closes after answering Connection: close', () => {
    const { site } = testSite(new Hello());
    const conn = connect(site);
    conn.send(GET('/', 'Connection: close\r\n'));
    assert.deepEqual(conn.responses()[0]?.headers.get('connection'), ['close']);
    assert.equal(conn.transport.disconnecting, true);
  });

  it('answers pipelined requests strictly in order, pausing reads while one is pending', () => {
    const later = new Later();
    const root = new Resource();
    root.putChild('later', later);
    root.putChild('now', new Hello());
    const { site } = testSite(root);
    const conn = connect(site);
    conn.send(GET('/later') + GET('/now'));
    assert.equal(conn.transport.value().length, 0, 'nothing before the first response');
    assert.equal(conn.transport.producerState, 'paused');
    const first = later.pending[0]!;
    first.write('first');
    first.finish();
    const rs = conn.responses();
    assert.deepEqual(
      rs.map((r) => r.body.toString()),
      ['first', 'Hello world!'],
    );
    assert.equal(conn.transport.producerState, 'producing');
  });

  it('streams with chunked framing over HTTP/1.1 and close-delimited over HTTP/1.0', () => {
    const later = new Later();
    const { site } = testSite(later);
    const a = connect(site);
    a.send(GET());
    later.pending[0]!.write('ab');
    later.pending[0]!.write('cd');
    later.pending[0]!.finish();
    assert.match(
      a.transport.value().toString(),
      /Transfer-Encoding: chunked\r\n\r\n2\r\nab\r\n2\r\ncd\r\n0\r\n\r\n$/,
    );
    const b = connect(site);
    b.send('GET / HTTP/1.0\r\n\r\n');
    later.pending[1]!.write('ab');
    later.pending[1]!.finish();
    assert.match(b.transport.value().toString(), /Connection: close\r\n\r\nab$/);
    assert.equal(b.transport.disconnecting, true);
  });

  it('sends Content-Length but no body to HEAD, falling back to render_GET', () => {
    const { site } = testSite(new Hello());
    const conn = connect(site);
    conn.send('HEAD / HTTP/1.1\r\nHost: a\r\n\r\n');
    const text = conn.transport.value().toString();
    assert.match(text, /Content-Length: 12\r\n\r\n$/);
  });

  it('answers 404 for a missing child and 405 with Allow for an unsupported method', () => {
    const root = new Resource();
    root.putChild('hello', new Hello());
    const { site } = testSite(root);
    const conn = connect(site);
    conn.send(GET('/nope'));
    conn.send('POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n');
    const [r404, r405] = conn.responses();
    assert.equal(r404?.status, 404);
    assert.equal(r405?.status, 405);
    assert.deepEqual(r405?.headers.get('allow'), ['GET, HEAD']);
  });

  it('answers 500 when rendering throws, with the traceback only when displayTracebacks', () => {
    class Boom extends Resource {
      override isLeaf = true;
      render_GET(): string {
        throw new Error('kaboom');
      }
    }
    const logged: unknown[] = [];
    const quiet = { failure: (_f: string, err: unknown) => logged.push(err) } as never;
    const a = connect(testSite(new Boom(), { logger: quiet }).site);
    a.send(GET());
    assert.equal(a.responses()[0]?.status, 500);
    assert.doesNotMatch(a.responses()[0]!.body.toString(), /kaboom/);
    assert.equal(logged.length, 1);
    const b = connect(testSite(new Boom(), { logger: quiet, displayTracebacks: true }).site);
    b.send(GET());
    assert.match(b.responses()[0]!.body.toString(), /kaboom/);
  });

  it('renders a Promise or a Deferred result when it settles', async () => {
    const d = new Deferred<string>();
    class Async extends Resource {
      override isLeaf = true;
      render_GET(): PromiseLike<string> {
        return d;
      }
      render_POST(): Promise<string> {
        return Promise.resolve('posted');
      }
    }
    const conn = connect(testSite(new Async()).site);
    conn.send(GET());
    assert.equal(conn.transport.value().length, 0);
    d.callback('deferred');
    assert.equal(conn.responses()[0]?.body.toString(), 'deferred');
    conn.send('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n');
    await new Promise<void>((r) => queueMicrotask(r));
    await Promise.resolve();
    assert.equal(conn.responses()[1]?.body.toString(), 'posted');
  });

  it('sends 100 Continue before reading a body the client holds back', () => {
    class Echo extends Resource {
      override isLeaf = true;
      render_PUT(request: Request): Buffer {
        return request.content;
      }
    }
    const conn = connect(testSite(new Echo()).site);
    conn.send('PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n');
    assert.equal(conn.transport.value().toString(), 'HTTP/1.1 100 Continue\r\n\r\n');
    conn.send('body');
    assert.equal(conn.responses()[1]?.body.toString(), 'body');
  });

  it('answers the codec status to malformed input and closes', () => {
    const conn = connect(testSite(new Hello()).site);
    conn.send('GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n');
    assert.equal(conn.responses()[0]?.status, 400);
    assert.equal(conn.transport.disconnecting, true);
  });

  it('closes an idle keep-alive connection after the site timeout', () => {
    const { site, clock } = testSite(new Hello(), { timeout: 10 });
    const conn = connect(site);
    conn.send(GET());
    clock.advance(9);
    assert.equal(conn.transport.disconnecting, false);
    clock.advance(1);
    assert.equal(conn.transport.disconnecting, true);
    assert.equal(clock.getDelayedCalls().length, 0);
  });

  it('answers 408 to a slowloris client sending a header byte per second', () => {
    const { site, clock } = testSite(new Hello(), { headerTimeout: 5, timeout: 100 });
    const conn = connect(site);
    const bytes = Buffer.from('GET / HTTP/1.1\r\nHost: a\r\nX-Slow: aaaaaaaaaaaaaaa');
    for (const b of bytes) {
      if (conn.transport.disconnecting) break;
      conn.send(Buffer.from([b]));
      clock.advance(1);
    }
    assert.equal(conn.responses()[0]?.status, 408);
    assert.equal(conn.transport.disconnecting, true);
    assert.equal(clock.seconds(), 5);
  });

  it('answers 408 when a body does not arrive within the request timeout', () => {
    const { site, clock } = testSite(new Hello(), { requestTimeout: 20 });
    const conn = connect(site);
    conn.send('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc');
    clock.advance(20);
    assert.equal(conn.responses()[0]?.status, 408);
  });

  it('does not time out a response in progress', () => {
    const later = new Later();
    const { site, clock } = testSite(later, { timeout: 5, headerTimeout: 5 });
    const conn = connect(site);
    conn.send(GET());
    clock.advance(60);
    assert.equal(conn.transport.disconnecting, false);
    later.pending[0]!.finish();
    assert.equal(conn.responses()[0]?.status, 200);
  });

  it('errbacks notifyFinish when the client disconnects first, and later writes are dropped', () => {
    const later = new Later();
    const conn = connect(testSite(later).site);
    conn.send(GET());
    const request = later.pending[0]!;
    let reason: Error | undefined;
    request.notifyFinish().addErrback((err) => {
      reason = err;
    });
    conn.channel.connectionLost(new ConnectionLost());
    assert.ok(reason instanceof ConnectionLost);
    request.write('dropped');
    assert.equal(conn.transport.value().length, 0);
    assert.throws(() => request.finish(), /connection was lost/);
  });

  it('fires notifyFinish on finish', () => {
    const later = new Later();
    const conn = connect(testSite(later).site);
    conn.send(GET());
    let done = false;
    later.pending[0]!.notifyFinish().addCallback(() => {
      done = true;
    });
    later.pending[0]!.finish();
    assert.ok(done);
  });

  it('writes the Combined Log Format line of each request', () => {
    const lines: string[] = [];
    const conn = connect(testSite(new Hello(), { accessLog: (l) => lines.push(l) }).site);
    conn.send(GET('/x?y', 'User-Agent: t/1\r\nReferer: http://r/\r\n'));
    assert.deepEqual(lines, [
      '10.0.0.2 - - [01/Jan/1970:00:00:00 +0000] "GET /x?y HTTP/1.1" 200 12 "http://r/" "t/1"',
    ]);
  });

  it('updates the cached Date header when the wall clock moves a second', () => {
    let now = 0;
    const conn = connect(testSite(new Hello(), { wallClock: () => now }).site);
    conn.send(GET());
    now = 86400.5;
    conn.send(GET());
    const dates = conn.responses().map((r) => r.headers.get('date')?.[0]);
    assert.deepEqual(dates, ['Thu, 01 Jan 1970 00:00:00 GMT', 'Fri, 02 Jan 1970 00:00:00 GMT']);
  });

  it('serves Data with its content type', () => {
    const conn = connect(testSite(new Data('{}', 'application/json')).site);
    conn.send(GET());
    assert.deepEqual(conn.responses()[0]?.headers.get('content-type'), ['application/json']);
  });

  it('takes the path of an absolute-form target', () => {
    const root = new Resource();
    root.putChild('hello', new Hello());
    const conn = connect(testSite(root).site);
    conn.send(GET('http://example.com/hello?x=1'));
    assert.equal(conn.responses()[0]?.body.toString(), 'Hello world!');
  });

  it('finishes the response in progress when the client half-closes, then closes', () => {
    const later = new Later();
    const conn = connect(testSite(later).site);
    conn.send(GET());
    conn.channel.readConnectionLost();
    assert.equal(conn.transport.disconnecting, false);
    later.pending[0]!.finish();
    assert.equal(conn.responses()[0]?.status, 200);
    assert.equal(conn.transport.disconnecting, true);
  });

  it('closes an idle keep-alive connection when the client sends EOF', () => {
    const conn = connect(testSite(new Hello()).site);
    conn.send(GET());
    conn.channel.readConnectionLost();
    assert.equal(conn.transport.disconnecting, true);
    assert.equal(conn.responses().length, 1);
  });

  it('serves connections whose requests arrive interleaved byte by byte (idle ones share parsers)', () => {
    class Path extends Resource {
      override isLeaf = true;
      render_GET(request: Request): string {
        return request.path;
      }
    }
    const { site } = testSite(new Path());
    const conns = [0, 1, 2].map(() => connect(site));
    const streams = conns.map((_, i) =>
      Buffer.from(`${'\r\n'.repeat(3 * i)}${GET(`/c${i}/first`)}\r\n${GET(`/c${i}/second`, 'X-A: b\r\n')}`),
    );
    // One connection at a time completes its first request and goes idle while the others are mid-head.
    for (let at = 0; at < Math.max(...streams.map((b) => b.length)); at++) {
      conns.forEach((c, i) => {
        const b = streams[i]!;
        if (at < b.length) c.send(b.subarray(at, at + 1));
      });
    }
    conns.forEach((c, i) => {
      assert.deepEqual(
        c.responses().map((r) => r.body.toString()),
        [`/c${i}/first`, `/c${i}/second`],
      );
    });
  });
});
