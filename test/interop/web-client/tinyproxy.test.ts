import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { IListeningPort } from '../../../src/internet/interfaces.js';
import { NodeReactor } from '../../../src/internet/reactor.js';
import { TLSError } from '../../../src/internet/tls.js';
import { makeTestCertificates } from '../../../src/testing/certs.js';
import {
  BrowserLikePolicyForHTTPS,
  HTTPConnectionPool,
  ProxyAgent,
  ProxyConnectError,
  readBody,
} from '../../../src/web/client/index.js';
import { type Request, Resource, Site } from '../../../src/web/index.js';
import { freePort, launch, outputMatches, requireCommand, stop, tempDir } from './daemons.js';

const reactor = new NodeReactor({ installSignalHandlers: false });
const certs = makeTestCertificates();
let dir = '';
let tinyproxy: ChildProcess | null = null;
let proxyURL = '';
let plain: IListeningPort;
let secure: IListeningPort;
let plainBase = '';
let secureBase = '';

/** The twisted-ts server behind the proxy: says what it received and over what. */
class Echo extends Resource {
  override isLeaf = true;
  render_GET(request: Request): string {
    const auth = request.getHeader('proxy-authorization') ?? '-';
    return `${request.isSecure() ? 'https' : 'http'} ${request.uri} proxy-auth=${auth}`;
  }
}

const portOf = (p: IListeningPort): number => (p.getHost() as unknown as AddressInfo).port;

before(async () => {
  requireCommand('tinyproxy', ['-v'], 'tinyproxy');
  const site = new Site(new Echo());
  plain = reactor.listenTCP(0, site, { interface: '127.0.0.1' });
  secure = reactor.listenSSL(
    0,
    site,
    { key: certs.serverKey, cert: certs.serverCert },
    { interface: '127.0.0.1' },
  );
  plainBase = `http://127.0.0.1:${portOf(plain)}`;
  secureBase = `https://localhost:${portOf(secure)}`;
  dir = tempDir('web-client-tinyproxy-');
  const port = await freePort();
  writeFileSync(
    join(dir, 'tinyproxy.conf'),
    [
      `Port ${port}`,
      'Listen 127.0.0.1',
      'Timeout 60',
      'LogLevel Info',
      'MaxClients 20',
      'BasicAuth alice s3cret',
      // CONNECT only to the TLS origin's port: anything else is refused.
      `ConnectPort ${portOf(secure)}`,
    ].join('\n'),
  );
  tinyproxy = launch('tinyproxy', ['-d', '-c', join(dir, 'tinyproxy.conf')]);
  await outputMatches(tinyproxy, /Accepting connections/);
  proxyURL = `http://alice:s3cret@127.0.0.1:${port}`;
});

after(async () => {
  await stop(tinyproxy);
  await plain?.stopListening();
  await secure?.stopListening();
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

const trusted = () => new BrowserLikePolicyForHTTPS({ trustRoot: certs.caCert });

describe('ProxyAgent through tinyproxy', () => {
  it('reaches an https origin through a CONNECT tunnel, reusing the tunnel, credentials kept out of it', async () => {
    const pool = new HTTPConnectionPool(reactor);
    const agent = ProxyAgent.fromURL(reactor, proxyURL, { pool, tlsPolicy: trusted() });
    for (const p of ['/a', '/b']) {
      const r = await agent.request('GET', `${secureBase}${p}`);
      assert.equal(r.code, 200);
      assert.equal((await readBody(r)).toString(), `https ${p} proxy-auth=-`);
    }
    assert.equal(pool.idleCount(), 1);
    await pool.closeCachedConnections();
  });

  it('sends plain http requests through the proxy with Proxy-Authorization', async () => {
    const agent = ProxyAgent.fromURL(reactor, proxyURL);
    const r = await agent.request('GET', `${plainBase}/plain?x=1`);
    assert.equal(r.code, 200);
    assert.match((await readBody(r)).toString(), /^http \/plain\?x=1 proxy-auth=/);
  });

  it('fails with ProxyConnectError 407 without credentials, and 403 for a port the proxy forbids', async () => {
    const anonymous = ProxyAgent.fromURL(reactor, proxyURL.replace('alice:s3cret@', ''), {
      tlsPolicy: trusted(),
    });
    await assert.rejects(anonymous.request('GET', `${secureBase}/`).asPromise(), (err: unknown) => {
      assert.ok(err instanceof ProxyConnectError);
      assert.equal(err.status, 407);
      assert.match(err.message, /^The proxy refused CONNECT localhost:\d+: 407 /);
      return true;
    });
    const agent = ProxyAgent.fromURL(reactor, proxyURL, { tlsPolicy: trusted() });
    await assert.rejects(
      agent.request('GET', `https://localhost:${portOf(plain)}/`).asPromise(),
      (err: unknown) => {
        assert.ok(err instanceof ProxyConnectError);
        assert.equal(err.status, 403);
        return true;
      },
    );
  });

  it('verifies the origin through the tunnel: an untrusted certificate fails with TLSError', async () => {
    const agent = ProxyAgent.fromURL(reactor, proxyURL);
    await assert.rejects(agent.request('GET', `${secureBase}/`).asPromise(), (err: unknown) => {
      assert.ok(err instanceof TLSError);
      assert.match(err.message, /^TLS with localhost failed: /);
      return true;
    });
  });
});
