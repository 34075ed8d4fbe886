import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { NodeReactor } from '../../internet/reactor.js';
import { Agent } from './agent.js';
import { InfiniteRedirection, RedirectWithNoLocation, ResponseFailed } from './errors.js';
import { FileBodyProducer } from './file-body-producer.js';
import type { IResponse } from './interfaces.js';
import { HTTPConnectionPool } from './pool.js';
import { readBody } from './read-body.js';
import { BrowserLikeRedirectAgent, RedirectAgent } from './redirect-agent.js';

const reactor = new NodeReactor({ installSignalHandlers: false });
let server: Server;
let base = '';
let other = '';

type Echo = { method: string; path: string; headers: Record<string, string>; body: string };

function handler(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    const redirect = /^\/(30[1-8])$/.exec(p);
    if (redirect !== null) res.writeHead(Number(redirect[1]), { location: '/echo' }).end('moved');
    else if (p.startsWith('/chain/')) {
      const n = Number(p.slice(7));
      res.writeHead(302, { location: n > 1 ? `/chain/${n - 1}` : '/echo' }).end();
    } else if (p === '/loop') res.writeHead(302, { location: '/loop' }).end();
    else if (p === '/nowhere') res.writeHead(302).end();
    else if (p === '/elsewhere') res.writeHead(307, { location: `${other}/echo` }).end();
    else {
      const echo: Echo = {
        method: req.method ?? '',
        path: p,
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks).toString(),
      };
      res.end(JSON.stringify(echo));
    }
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

after(async () => {
  await pool.closeCachedConnections();
  server.closeAllConnections();
  server.close();
});

const pool = new HTTPConnectionPool(reactor);
const agent = new Agent(reactor, { pool });
const body = () => new FileBodyProducer(Buffer.from('payload'));
const echoOf = async (r: IResponse): Promise<Echo> => JSON.parse((await readBody(r)).toString()) as Echo;

describe('RedirectAgent: 301/302/303/307/308', () => {
  for (const code of [301, 302, 303, 307, 308]) {
    it(`follows ${code} for a GET, linking the chain through previousResponse`, async () => {
      const r = await new RedirectAgent(agent).request('GET', `${base}/${code}`);
      assert.equal(r.code, 200);
      assert.equal(r.request.absoluteURI, `${base}/echo`);
      assert.equal(r.previousResponse?.code, code);
      assert.equal(r.previousResponse?.request.absoluteURI, `${base}/${code}`);
      assert.equal((await echoOf(r)).method, 'GET');
    });
  }

  it('follows HEAD with HEAD', async () => {
    const r = await new RedirectAgent(agent).request('HEAD', `${base}/301`);
    assert.equal(r.code, 200);
    assert.equal(r.request.method, 'HEAD');
    assert.equal((await readBody(r)).length, 0);
  });

  it('turns a POST answered by 303 into a GET without body', async () => {
    const j = await echoOf(await new RedirectAgent(agent).request('POST', `${base}/303`, null, body()));
    assert.deepEqual([j.method, j.body, j.headers['content-length']], ['GET', '', undefined]);
  });

  it('repeats method and body on 307 and 308', async () => {
    for (const code of [307, 308]) {
      const j = await echoOf(await new RedirectAgent(agent).request('PUT', `${base}/${code}`, null, body()));
      assert.deepEqual([j.method, j.body], ['PUT', 'payload']);
    }
  });

  it('leaves a POST answered by 301 or 302 alone', async () => {
    for (const code of [301, 302]) {
      const r = await new RedirectAgent(agent).request('POST', `${base}/${code}`, null, body());
      assert.equal(r.code, code);
      assert.equal((await readBody(r)).toString(), 'moved');
    }
  });

  it('keeps the whole chain and stops with InfiniteRedirection past the limit', async () => {
    const r = await new RedirectAgent(agent).request('GET', `${base}/chain/3`);
    const codes: number[] = [];
    for (let p = r.previousResponse; p !== null; p = p.previousResponse) codes.push(p.code);
    assert.deepEqual(codes, [302, 302, 302]);
    await readBody(r);
    const limited = new RedirectAgent(agent, { redirectLimit: 3 });
    await assert.rejects(limited.request('GET', `${base}/loop`).asPromise(), InfiniteRedirection);
  });

  it('fails with RedirectWithNoLocation inside ResponseFailed when Location is missing', async () => {
    const err = await new RedirectAgent(agent)
      .request('GET', `${base}/nowhere`)
      .asPromise()
      .then(
        () => assert.fail('no error'),
        (e: unknown) => e,
      );
    assert.ok(err instanceof ResponseFailed);
    assert.ok(err.reasons[0] instanceof RedirectWithNoLocation);
  });

  it('drops Authorization, Cookie and Proxy-Authorization when leaving the origin, keeps them otherwise', async () => {
    const ra = new RedirectAgent(agent);
    const secret = {
      authorization: 'Bearer x',
      cookie: 'a=b',
      'proxy-authorization': 'Basic y',
      'x-keep': 'yes',
    };
    const away = await echoOf(await ra.request('GET', `${base}/elsewhere`, secret));
    assert.equal(away.headers.host, other.slice('http://'.length));
    assert.equal(away.headers.authorization, undefined);
    assert.equal(away.headers.cookie, undefined);
    assert.equal(away.headers['proxy-authorization'], undefined);
    assert.equal(away.headers['x-keep'], 'yes');
    const same = await echoOf(await ra.request('GET', `${base}/302`, secret));
    assert.equal(same.headers.authorization, 'Bearer x');
    assert.equal(same.headers.cookie, 'a=b');
  });
});

describe('BrowserLikeRedirectAgent', () => {
  it('follows a POST answered by 301 or 302 with a GET without body', async () => {
    for (const code of [301, 302]) {
      const r = await new BrowserLikeRedirectAgent(agent).request('POST', `${base}/${code}`, null, body());
      const j = await echoOf(r);
      assert.deepEqual([j.method, j.body], ['GET', '']);
      assert.equal(r.previousResponse?.code, code);
    }
  });

  it('still repeats a POST on 307', async () => {
    const j = await echoOf(
      await new BrowserLikeRedirectAgent(agent).request('POST', `${base}/307`, null, body()),
    );
    assert.deepEqual([j.method, j.body], ['POST', 'payload']);
  });
});
