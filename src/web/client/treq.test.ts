import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { CancelledError } from '../../internet/defer.js';
import { TimeoutError } from '../../internet/error.js';
import { NodeReactor } from '../../internet/reactor.js';
import { Clock } from '../../testing/clock.js';
import { Agent } from './agent.js';
import { signal, socketsWithClock } from './client.test-helpers.js';
import { ResponseFailed } from './errors.js';
import { type TreqOptions, treq } from './treq.js';
import { collect } from './treq-response.js';

const reactor = new NodeReactor({ installSignalHandlers: false });
const BIG = Buffer.from('compress me '.repeat(5000));
let server: Server;
let hangArrived = signal();
let hangClosed = signal();
let base = '';

function handler(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://x');
    const body = Buffer.concat(chunks);
    const echo = (): void => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          method: req.method,
          path: url.pathname,
          query: url.search,
          headers: req.headers,
          body: body.toString(),
        }),
      );
    };
    const p = url.pathname;
    if (p.startsWith('/redirect/')) {
      const n = Number(p.slice(10));
      res.writeHead(301, { location: n > 1 ? `/redirect/${n - 1}` : '/echo' }).end('moved');
    } else if (p === '/gzip') {
      res.writeHead(200, { 'content-encoding': 'gzip' }).end(zlib.gzipSync(BIG));
    } else if (p === '/hang') {
      hangArrived.resolve();
      req.socket.once('close', () => hangClosed.resolve());
    } else if (p === '/slow-body') {
      res.writeHead(200, { 'content-length': '100' }).write('partial');
      req.socket.once('close', () => hangClosed.resolve());
    } else echo();
  });
}

before(async () => {
  server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

const opts = (o: TreqOptions = {}): TreqOptions => ({ reactor, ...o });
type Echo = { method: string; path: string; query: string; headers: Record<string, string>; body: string };

describe('treq-style API', () => {
  it('gets JSON with query parameters', async () => {
    const r = await treq.get(`${base}/echo?a=1`, opts({ params: { b: ['2', '3'], c: 4 } }));
    assert.equal(r.code, 200);
    const j = (await r.json()) as Echo;
    assert.equal(j.query, '?a=1&b=2&b=3&c=4');
  });

  it('posts JSON, form data and raw bytes with the right content type', async () => {
    const j = (await (await treq.post(`${base}/echo`, opts({ json: { x: [1] } }))).json()) as Echo;
    assert.equal(j.body, '{"x":[1]}');
    assert.match(j.headers['content-type'] ?? '', /application\/json/);
    const f = (await (
      await treq.put(`${base}/echo`, opts({ data: { a: 'b c', d: ['1', '2'] } }))
    ).json()) as Echo;
    assert.equal(f.body, 'a=b+c&d=1&d=2');
    assert.equal(f.headers['content-type'], 'application/x-www-form-urlencoded');
    const raw = (await (await treq.patch(`${base}/echo`, opts({ data: Buffer.from('raw') }))).json()) as Echo;
    assert.equal(raw.body, 'raw');
    assert.equal(raw.method, 'PATCH');
  });

  it('uploads files as multipart/form-data alongside data fields', async () => {
    const r = await treq.post(
      `${base}/echo`,
      opts({
        data: { note: 'hi' },
        files: { up: { content: 'file body', filename: 'a.txt', contentType: 'text/plain' } },
      }),
    );
    const j = (await r.json()) as Echo;
    const boundary = /boundary=(\w+)/.exec(j.headers['content-type'] ?? '')?.[1] as string;
    assert.ok(boundary);
    assert.match(j.body, /name="note"\r\n\r\nhi\r\n/);
    assert.match(j.body, /name="up"; filename="a.txt"\r\nContent-Type: text\/plain\r\n\r\nfile body\r\n/);
    assert.ok(j.body.endsWith(`--${boundary}--\r\n`));
  });

  it('sends basic auth', async () => {
    const j = (await (await treq.get(`${base}/echo`, opts({ auth: ['user', 'pa:ss'] }))).json()) as Echo;
    assert.equal(j.headers.authorization, `Basic ${Buffer.from('user:pa:ss').toString('base64')}`);
  });

  it('returns text, and content() more than once', async () => {
    const r = await treq.delete(`${base}/echo`, opts());
    const t = await r.text();
    assert.match(t, /"method":"DELETE"/);
    assert.equal((await r.content()).toString(), t);
  });

  it('streams the body with collect', async () => {
    const r = await treq.get(`${base}/gzip`, opts());
    let n = 0;
    await collect(r, (chunk) => {
      n += chunk.length;
    });
    assert.equal(n, BIG.length);
  });

  it('follows redirects by default and keeps the chain in previousResponse', async () => {
    const r = await treq.get(`${base}/redirect/2`, opts());
    assert.equal(r.code, 200);
    assert.equal(r.request.absoluteURI, `${base}/echo`);
    assert.equal(r.previousResponse?.code, 301);
    assert.equal(r.previousResponse?.previousResponse?.code, 301);
    assert.equal(r.previousResponse?.previousResponse?.previousResponse, null);
  });

  it('does not follow redirects when allowRedirects is false', async () => {
    const r = await treq.get(`${base}/redirect/1`, opts({ allowRedirects: false }));
    assert.equal(r.code, 301);
    assert.equal(await r.text(), 'moved');
  });

  it('sends the headers given, and decodes a gzip body', async () => {
    const r = await treq.get(`${base}/echo`, opts({ headers: { 'x-trace': 'abc', accept: 'text/plain' } }));
    const j = (await r.json()) as Echo;
    assert.equal(j.headers['x-trace'], 'abc');
    assert.equal(j.headers.accept, 'text/plain');
    assert.equal(j.headers['accept-encoding'], 'gzip, deflate, br');
    const z = await treq.get(`${base}/gzip`, opts());
    assert.deepEqual(await z.content(), BIG);
  });

  it('times out with TimeoutError when the head does not arrive in time, closing the connection', async () => {
    hangArrived = signal();
    hangClosed = signal();
    const clock = new Clock();
    const agent = new Agent(reactor);
    const d = treq.get(`${base}/hang`, { agent, reactor: socketsWithClock(reactor, clock), timeout: 5 });
    await hangArrived.promise;
    clock.advance(4.9);
    assert.equal(d.called, false);
    clock.advance(0.2);
    await assert.rejects(d.asPromise(), TimeoutError);
    await hangClosed.promise;
  });

  it('aborts the request when the signal aborts, before the head or while the body streams', async () => {
    hangArrived = signal();
    hangClosed = signal();
    const ac = new AbortController();
    const d = treq.get(`${base}/hang`, opts({ signal: ac.signal }));
    await hangArrived.promise;
    ac.abort();
    await assert.rejects(d.asPromise(), CancelledError);
    await hangClosed.promise;

    hangClosed = signal();
    const ac2 = new AbortController();
    const r = await treq.get(`${base}/slow-body`, opts({ signal: ac2.signal }));
    const content = r.content();
    ac2.abort();
    await assert.rejects(content.asPromise(), ResponseFailed);
    await hangClosed.promise;
  });
});
