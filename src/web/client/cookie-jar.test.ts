import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import fc from 'fast-check';
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

describe('CookieJar: the finer rules and the limits', () => {
  it('refuses a Domain that is a top-level domain, unless it is the host itself', () => {
    const jar = new CookieJar(() => 0);
    jar.setCookies(['a=1; Domain=test'], u('http://www.a.test/'));
    jar.setCookies(['l=1; Domain=localhost'], u('http://localhost/'));
    assert.equal(jar.cookieHeader(u('http://other.test/')), undefined);
    assert.equal(jar.cookieHeader(u('http://localhost/')), 'l=1');
  });

  it('refuses a Domain that is a public suffix (co.uk, github.io) from a site under it', () => {
    const jar = new CookieJar(() => 0);
    jar.setCookies(['super=1; Domain=co.uk', 'own=1; Domain=shop.co.uk'], u('http://shop.co.uk/'));
    jar.setCookies(['pages=1; Domain=github.io'], u('https://alice.github.io/'));
    assert.equal(jar.cookieHeader(u('http://bank.co.uk/')), undefined);
    assert.equal(jar.cookieHeader(u('https://bob.github.io/')), undefined);
    assert.equal(jar.cookieHeader(u('http://www.shop.co.uk/')), 'own=1');
    assert.deepEqual(
      jar.all().map((c) => c.name),
      ['own'],
    );
  });

  it('keeps a Domain that is the host itself and a public suffix to that host only', () => {
    const jar = new CookieJar(() => 0);
    jar.setCookies(['a=1; Domain=github.io'], u('https://github.io/'));
    assert.equal(jar.cookieHeader(u('https://github.io/')), 'a=1');
    assert.equal(jar.cookieHeader(u('https://alice.github.io/')), undefined);
  });

  it('keeps IP-address cookies to that exact address', () => {
    const jar = new CookieJar(() => 0);
    jar.setCookies(['a=1; Domain=0.0.1', 'b=2; Domain=127.0.0.1'], u('http://127.0.0.1/'));
    assert.equal(jar.cookieHeader(u('http://127.0.0.1/')), 'b=2');
    assert.equal(jar.all().length, 1);
  });

  it('sends longer paths first, then older cookies first, and keeps the age when a cookie is updated', () => {
    let now = 0;
    const jar = new CookieJar(() => now);
    jar.setCookies(['a=1; Path=/'], u('http://a.test/'));
    now = 1;
    jar.setCookies(['b=1; Path=/'], u('http://a.test/'));
    now = 2;
    jar.setCookies(['c=1; Path=/x'], u('http://a.test/'));
    now = 3;
    jar.setCookies(['a=2; Path=/'], u('http://a.test/'));
    assert.equal(jar.cookieHeader(u('http://a.test/x/y')), 'c=1; a=2; b=1');
  });

  it('does not let an http response overwrite or delete a Secure cookie', () => {
    const jar = new CookieJar(() => 0);
    jar.setCookies(['s=secret; Secure'], u('https://a.test/'));
    jar.setCookies(['s=evil'], u('http://a.test/'));
    jar.setCookies(['s=; Max-Age=0'], u('http://a.test/'));
    assert.equal(jar.cookieHeader(u('https://a.test/')), 's=secret');
  });

  it('ignores an oversized cookie and keeps at most 50 per domain, evicting the oldest', () => {
    const jar = new CookieJar(() => 0);
    jar.setCookies([`big=${'x'.repeat(5000)}`], u('http://a.test/'));
    assert.equal(jar.all().length, 0);
    jar.setCookies(
      Array.from({ length: 60 }, (_, i) => `c${i}=v`),
      u('http://a.test/'),
    );
    assert.equal(jar.all().length, 50);
    assert.equal(jar.all()[0]?.name, 'c10');
  });

  it('clear() forgets one domain or everything', () => {
    const jar = new CookieJar(() => 0);
    jar.setCookies(['a=1'], u('http://a.test/'));
    jar.setCookies(['b=1'], u('http://b.test/'));
    jar.clear('A.test');
    assert.deepEqual(
      jar.all().map((c) => c.name),
      ['b'],
    );
    jar.clear();
    assert.equal(jar.all().length, 0);
  });

  it('never throws on arbitrary Set-Cookie values and never stores past its limits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 300 }), { maxLength: 80 }),
        fc.boolean(),
        (values, https) => {
          const jar = new CookieJar(() => 1000);
          const url = u(`${https ? 'https' : 'http'}://www.a.test/p/q`);
          jar.setCookies(values, url);
          assert.ok(jar.all().length <= 50);
          for (const c of jar.all()) {
            assert.ok(c.name.length > 0 && c.name.length + c.value.length <= 4096);
            assert.ok(c.domain === 'www.a.test' || c.domain === 'a.test');
            assert.ok(c.path.startsWith('/'));
            assert.ok(!c.secure || https);
          }
          jar.cookieHeader(url);
        },
      ),
    );
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
      const explicit = await agent.request('GET', `${base}/home`, { cookie: 'mine=1' });
      assert.equal((await readBody(explicit)).toString(), 'cookie=mine=1', 'a Cookie header given wins');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
