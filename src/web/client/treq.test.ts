import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { TimeoutError } from '../../internet/error.js';
import { NodeReactor } from '../../internet/reactor.js';
import { Agent } from './agent.js';
import { ContentDecoderAgent } from './content-decoder-agent.js';
import { InfiniteRedirection, ResponseFailed } from './errors.js';
import { FileBodyProducer } from './file-body-producer.js';
import { HTTPConnectionPool } from './pool.js';
import { readBody } from './read-body.js';
import { BrowserLikeRedirectAgent, RedirectAgent } from './redirect-agent.js';
import { type TreqOptions, treq } from './treq.js';
import { collect } from './treq-response.js';

const reactor = new NodeReactor({ installSignalHandlers: false });
const BIG = Buffer.from('compress me '.repeat(5000));
let server: Server;
let base = '';
let other = '';

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
    } else if (p === '/see-other') res.writeHead(303, { location: '/echo' }).end();
    else if (p === '/found') res.writeHead(302, { location: '/echo' }).end();
    else if (p === '/temporary') res.writeHead(307, { location: '/echo' }).end();
    else if (p === '/loop') res.writeHead(302, { location: '/loop' }).end();
    else if (p === '/elsewhere') res.writeHead(302, { location: `${other}/echo` }).end();
    else if (p === '/gzip' || p === '/deflate' || p === '/br') {
      const enc = p.slice(1);
      const data =
        enc === 'gzip'
          ? zlib.gzipSync(BIG)
          : enc === 'deflate'
            ? zlib.deflateSync(BIG)
            : zlib.brotliCompressSync(BIG);
      res
        .writeHead(200, { 'content-encoding': enc, 'x-accept': String(req.headers['accept-encoding']) })
        .end(data);
    } else if (p === '/corrupt') res.writeHead(200, { 'content-encoding': 'gzip' }).end('not gzip at all');
    else if (p === '/hang') {
      /* never answers */
    } else echo();
  });
}

before(async () => {
  server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  other = `http://localhost:${port}`;
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

  it('times out with TimeoutError when the head does not arrive in time', async () => {
    await assert.rejects(treq.get(`${base}/hang`, opts({ timeout: 0.05 })).asPromise(), TimeoutError);
  });
});

describe('RedirectAgent and BrowserLikeRedirectAgent', () => {
  const agent = new Agent(reactor, { pool: new HTTPConnectionPool(reactor) });
  const body = () => new FileBodyProducer(Buffer.from('payload'));

  it('turns a POST answered by 303 into a GET without body', async () => {
    const r = await new RedirectAgent(agent).request('POST', `${base}/see-other`, null, body());
    const j = JSON.parse((await readBody(r)).toString()) as Echo;
    assert.equal(j.method, 'GET');
    assert.equal(j.body, '');
  });

  it('leaves a POST answered by 302 alone, while the browser-like agent follows it with a GET', async () => {
    const plain = await new RedirectAgent(agent).request('POST', `${base}/found`, null, body());
    assert.equal(plain.code, 302);
    await readBody(plain);
    const browser = await new BrowserLikeRedirectAgent(agent).request('POST', `${base}/found`, null, body());
    assert.equal((JSON.parse((await readBody(browser)).toString()) as Echo).method, 'GET');
  });

  it('repeats method and body on 307', async () => {
    const r = await new RedirectAgent(agent).request('PUT', `${base}/temporary`, null, body());
    const j = JSON.parse((await readBody(r)).toString()) as Echo;
    assert.deepEqual([j.method, j.body], ['PUT', 'payload']);
  });

  it('fails with InfiniteRedirection past the limit', async () => {
    const ra = new RedirectAgent(agent, { redirectLimit: 3 });
    await assert.rejects(ra.request('GET', `${base}/loop`).asPromise(), InfiniteRedirection);
  });

  it('drops Authorization and Cookie when the redirect leaves the origin, keeps them otherwise', async () => {
    const ra = new RedirectAgent(agent);
    const secret = { authorization: 'Bearer x', cookie: 'a=b', 'x-keep': 'yes' };
    const away = JSON.parse(
      (await readBody(await ra.request('GET', `${base}/elsewhere`, secret))).toString(),
    ) as Echo;
    assert.equal(away.headers.authorization, undefined);
    assert.equal(away.headers.cookie, undefined);
    assert.equal(away.headers['x-keep'], 'yes');
    const same = JSON.parse(
      (await readBody(await ra.request('GET', `${base}/found`, secret))).toString(),
    ) as Echo;
    assert.equal(same.headers.authorization, 'Bearer x');
  });
});

describe('ContentDecoderAgent', () => {
  const agent = new ContentDecoderAgent(new Agent(reactor, { pool: new HTTPConnectionPool(reactor) }));

  for (const enc of ['gzip', 'deflate', 'br']) {
    it(`decodes ${enc} and advertises Accept-Encoding`, async () => {
      const r = await agent.request('GET', `${base}/${enc}`);
      assert.equal(r.headers.getHeader('x-accept'), 'gzip, deflate, br');
      assert.equal(r.headers.hasHeader('content-encoding'), false);
      assert.equal(r.length, 'UNKNOWN');
      assert.deepEqual(await readBody(r), BIG);
    });
  }

  it('fails the body with ResponseFailed on a corrupt stream', async () => {
    const r = await agent.request('GET', `${base}/corrupt`);
    await assert.rejects(readBody(r).asPromise(), ResponseFailed);
  });
});
