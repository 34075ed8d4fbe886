import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { type AddressInfo, connect as netConnect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { TCP4ClientEndpoint } from '../../internet/endpoints/tcp.js';
import { ConnectionDone } from '../../internet/error.js';
import type { IProtocol, IProtocolFactory } from '../../internet/interfaces.js';
import { Protocol } from '../../internet/protocol.js';
import { NodeReactor } from '../../internet/reactor.js';
import { TLSError } from '../../internet/tls.js';
import { makeTestCertificates } from '../../testing/certs.js';
import { MemoryReactorClock } from '../../testing/memory-reactor.js';
import { failureResultOf, successResultOf } from '../../testing/results.js';
import { StringTransportWithDisconnection } from '../../testing/string-transport.js';
import { MemoryEndpoint } from './client.test-helpers.js';
import { HTTPParseError, ProxyConnectError } from './errors.js';
import { HTTPConnectionPool } from './pool.js';
import { ProxyAgent } from './proxy-agent.js';
import { readBody } from './read-body.js';
import { BrowserLikePolicyForHTTPS } from './tls-policy.js';
import { TunnelingEndpoint } from './tunneling-endpoint.js';

/** The proxy, in memory: each connection is a StringTransport the test answers on. */
const MemoryProxy = MemoryEndpoint;

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

describe('ProxyAgent, plain http', () => {
  it('sends absolute-form requests with the proxy headers, over one pooled connection for every host', () => {
    const reactor = new MemoryReactorClock();
    const proxy = new MemoryProxy();
    const agent = new ProxyAgent(reactor, proxy, {
      pool: new HTTPConnectionPool(reactor),
      proxyHeaders: { 'Proxy-Authorization': 'Basic eDp5' },
    });
    const a = agent.request('GET', 'http://a.test:8080/x?y=1#frag');
    assert.equal(
      proxy.sent(0),
      'GET http://a.test:8080/x?y=1 HTTP/1.1\r\nHost: a.test:8080\r\nProxy-Authorization: Basic eDp5\r\n\r\n',
    );
    proxy.answer(0, OK);
    assert.equal(successResultOf(readBody(successResultOf(a))).toString(), 'ok');
    const b = agent.request('GET', 'http://b.test/');
    assert.equal(proxy.conns.length, 1);
    assert.match(proxy.sent(0), /GET http:\/\/b\.test\/ HTTP\/1\.1\r\nHost: b\.test\r\n/);
    proxy.answer(0, OK);
    successResultOf(b);
  });

  it('fromURL turns the credentials in the proxy URL into Proxy-Authorization', () => {
    const reactor = new MemoryReactorClock();
    const agent = ProxyAgent.fromURL(reactor, 'http://us%40er:p%3Ass@127.0.0.1:3128');
    agent.request('GET', 'http://a.test/');
    const [host, port, wrapper] = reactor.tcpClients[0] ?? [];
    assert.deepEqual([host, port], ['127.0.0.1', 3128]);
    const proto = wrapper?.buildProtocol({ type: 'TCP' }) as IProtocol;
    const transport = new StringTransportWithDisconnection();
    proto.makeConnection(transport);
    assert.throws(() => ProxyAgent.fromURL(reactor, 'socks5://127.0.0.1:1080'), /Unsupported proxy scheme/);
    const auth = Buffer.from('us@er:p:ss').toString('base64');
    assert.match(transport.value().toString(), new RegExp(`Proxy-Authorization: Basic ${auth}\\r\\n`));
  });
});

class Recorder extends Protocol {
  data = '';
  override dataReceived(data: Buffer): void {
    this.data += data.toString('latin1');
  }
}

describe('TunnelingEndpoint', () => {
  const factory = (p: IProtocol): IProtocolFactory => ({
    buildProtocol: () => p,
    doStart() {},
    doStop() {},
  });

  it('sends CONNECT with Host and the proxy headers, then relays both ways once the proxy says 200', () => {
    const proxy = new MemoryProxy();
    const user = new Recorder();
    const d = new TunnelingEndpoint(proxy, '::1', 443, {
      headers: ['Proxy-Authorization', 'Basic eDp5'],
    }).connect(factory(user));
    assert.equal(
      proxy.sent(0),
      'CONNECT [::1]:443 HTTP/1.1\r\nHost: [::1]:443\r\nProxy-Authorization: Basic eDp5\r\n\r\n',
    );
    assert.equal(d.called, false);
    proxy.answer(0, 'HTTP/1.1 200 Connection established\r\n\r\n');
    assert.equal(successResultOf(d), user);
    user.transport?.write('hello');
    assert.match(proxy.sent(0), /\r\n\r\nhello$/);
    proxy.answer(0, 'from far away');
    assert.equal(user.data, 'from far away');
  });

  it('fails with ProxyConnectError carrying the status when the proxy refuses', () => {
    const proxy = new MemoryProxy();
    const d = new TunnelingEndpoint(proxy, 'a.test', 443).connect(factory(new Recorder()));
    proxy.answer(0, 'HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n');
    const err = failureResultOf(d, ProxyConnectError);
    assert.equal(err.status, 407);
    assert.equal(err.message, 'The proxy refused CONNECT a.test:443: 407 Proxy Authentication Required');
    assert.equal(proxy.conns[0]?.transport.aborted, true);
  });

  it('fails with HTTPParseError when the proxy answers garbage, and with ProxyConnectError when it hangs up', () => {
    const garbled = new MemoryProxy();
    const d1 = new TunnelingEndpoint(garbled, 'a.test', 443).connect(factory(new Recorder()));
    garbled.answer(0, 'SSH-2.0-OpenSSH\r\n\r\n');
    assert.match(failureResultOf(d1, HTTPParseError).message, /invalid status line/);

    const closing = new MemoryProxy();
    const d2 = new TunnelingEndpoint(closing, 'a.test', 443).connect(factory(new Recorder()));
    closing.conns[0]?.proto.connectionLost(new ConnectionDone());
    assert.match(failureResultOf(d2, ProxyConnectError).message, /closed the connection before/);
  });
});

describe('ProxyAgent over loopback, HTTPS through a node:http CONNECT proxy', () => {
  const reactor = new NodeReactor({ installSignalHandlers: false });
  const certs = makeTestCertificates();
  let origin: HttpsServer;
  let proxy: Server;
  let proxyPort = 0;
  let originPort = 0;
  const connects: IncomingMessage[] = [];

  before(async () => {
    origin = createHttpsServer({ key: certs.serverKey, cert: certs.serverCert }, (req, res) =>
      res.end(`secure ${req.url} proxy-auth=${req.headers['proxy-authorization'] ?? '-'}`),
    );
    origin.listen(0, '127.0.0.1');
    await once(origin, 'listening');
    originPort = (origin.address() as AddressInfo).port;
    proxy = createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      connects.push(req);
      const [host, port] = (req.url ?? '').split(':');
      const upstream = netConnect(Number(port), host === 'localhost' ? '127.0.0.1' : host, () => {
        client.write('HTTP/1.1 200 Connection established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    proxyPort = (proxy.address() as AddressInfo).port;
  });

  after(() => {
    origin.closeAllConnections();
    origin.close();
    proxy.closeAllConnections();
    proxy.close();
  });

  it('tunnels with CONNECT, verifies the origin, and keeps Proxy-Authorization out of the tunnel', async () => {
    const pool = new HTTPConnectionPool(reactor);
    const agent = ProxyAgent.fromURL(reactor, `http://me:pw@127.0.0.1:${proxyPort}`, {
      pool,
      tlsPolicy: new BrowserLikePolicyForHTTPS({ trustRoot: certs.caCert }),
    });
    connects.length = 0;
    for (const p of ['/one', '/two']) {
      const r = await agent.request('GET', `https://localhost:${originPort}${p}`);
      assert.equal((await readBody(r)).toString(), `secure ${p} proxy-auth=-`);
    }
    assert.equal(connects.length, 1, 'the tunnel was reused');
    assert.equal(connects[0]?.url, `localhost:${originPort}`);
    assert.equal(
      connects[0]?.headers['proxy-authorization'],
      `Basic ${Buffer.from('me:pw').toString('base64')}`,
    );
    await pool.closeCachedConnections();
  });

  it('fails with a TLSError when the origin behind the proxy is not trusted', async () => {
    const agent = new ProxyAgent(reactor, new TCP4ClientEndpoint(reactor, '127.0.0.1', proxyPort));
    await assert.rejects(
      agent.request('GET', `https://localhost:${originPort}/`).asPromise(),
      (err: unknown) => {
        assert.ok(err instanceof TLSError);
        assert.match(err.message, /TLS with localhost failed: unable to verify/);
        return true;
      },
    );
  });
});
