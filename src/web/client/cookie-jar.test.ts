import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { NodeReactor } from '../../internet/reactor.js';
import { Agent } from './agent.js';
import { CookieAgent } from './cookie-agent.js';
import { CookieJar } from './cookie-jar.js';
import { HTTPConnectionPool } from './pool.js';
import { readBody } from './read-body.js';
import { RedirectAgent } from './redirect-agent.js';

const u = (s: string): URL => new URL(s);

describe('CookieJar', () => {
  it('keeps a cookie without Domain host-only', () => {
    const jar = new CookieJar(() => 0);
    jar.setCookies(['a=1'], u('http://www.a.test/'));
    assert.equal(jar.cookieHeader(u('http://www.a.test/x')), 'a=1');
    assert.equal(jar.cookieHeader(u('http://sub.www.a.test/')), undefined);
  });

  it('sends a Domain cookie to subdomains and refuses a Domain the host is not in', () => {
    const jar = new CookieJar(() => 0);
    jar.setCookies(['a=1; Domain=.a.test', 'b=2; Domain=evil.test'], u('http://www.a.test/'));
    assert.equal(jar.cookieHeader(u('http://x.a.test/')), 'a=1');
    assert.equal(jar.cookieHeader(u('http://a.test/')), 'a=1');
    assert.equal(jar.cookieHeader(u('http://evil.test/')), undefined);
    assert.equal(jar.cookieHeader(u('http://nota.test/')), undefined);
  });

  it('matches paths by segment and defaults the path to the request directory', () => {
    const jar = new CookieJar(() => 0);
    jar.setCookies(['p=1; Path=/docs', 'd=2'], u('http://a.test/app/login'));
    assert.equal(jar.cookieHeader(u('http://a.test/docs/x')), 'p=1');
    assert.equal(jar.cookieHeader(u('http://a.test/docsx')), undefined);
    assert.equal(jar.cookieHeader(u('http://a.test/app/other')), 'd=2');
    assert.equal(jar.cookieHeader(u('http://a.test/')), undefined);
  });

  it('expires cookies by Max-Age before Expires, and an expired Set-Cookie deletes', () => {
    let now = 1_000_000;
    const jar = new CookieJar(() => now);
    jar.setCookies(['m=1; Max-Age=10; Expires=Thu, 01 Jan 2099 00:00:00 GMT'], u('http://a.test/'));
    assert.equal(jar.cookieHeader(u('http://a.test/')), 'm=1');
    now += 11_000;
    assert.equal(jar.cookieHeader(u('http://a.test/')), undefined);
    jar.setCookies(['k=1'], u('http://a.test/'));
    jar.setCookies(['k=gone; Expires=Thu, 01 Jan 1970 00:00:00 GMT'], u('http://a.test/'));
    assert.equal(jar.cookieHeader(u('http://a.test/')), undefined);
  });

  it('sends Secure cookies only over https and accepts them only from https', () => {
    const jar = new CookieJar(() => 0);
    jar.setCookies(['s=1; Secure'], u('https://a.test/'));
    jar.setCookies(['t=1; Secure'], u('http://a.test/'));
    assert.equal(jar.cookieHeader(u('https://a.test/')), 's=1');
    assert.equal(jar.cookieHeader(u('http://a.test/')), undefined);
  });
});

describe('CookieAgent over loopback', () => {
  it('stores cookies set by a redirect and sends them on the next hop', async () => {
    const server = createServer((req, res) => {
      if (req.url === '/login')
        res.writeHead(302, { location: '/home', 'set-cookie': ['sid=abc; Path=/'] }).end();
      else res.end(`cookie=${req.headers.cookie ?? ''}`);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const reactor = new NodeReactor({ installSignalHandlers: false });
    const jar = new CookieJar();
    const agent = new RedirectAgent(
      new CookieAgent(new Agent(reactor, { pool: new HTTPConnectionPool(reactor) }), jar),
    );
    try {
      const r = await agent.request('GET', `${base}/login`);
      assert.equal((await readBody(r)).toString(), 'cookie=sid=abc');
      assert.equal(jar.all().length, 1);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
