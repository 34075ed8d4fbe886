import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CancelledError } from '../../internet/defer.js';
import { SSL4ClientEndpoint } from '../../internet/endpoints/ssl.js';
import { NodeReactor } from '../../internet/reactor.js';
import { makeTestCertificates } from '../../testing/certs.js';
import { MemoryReactorClock } from '../../testing/memory-reactor.js';
import { failureResultOf } from '../../testing/results.js';
import { Agent } from './agent.js';
import { ConnectTimeoutError, ResponseHeadersTimeoutError, SchemeNotSupported } from './errors.js';
import { FileBodyProducer } from './file-body-producer.js';
import { HTTPConnectionPool } from './pool.js';
import { readBody } from './read-body.js';
import { BrowserLikePolicyForHTTPS } from './tls-policy.js';

const reactor = new NodeReactor({ installSignalHandlers: false });

function handler(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString();
    const sock = req.socket as Socket & { id?: number };
    switch (req.url) {
      case '/chunked':
        res.write('ab');
        res.end('cd');
        return;
      case '/nocontent':
        res.writeHead(204).end();
        return;
      case '/socket':
        res.end(String(sock.id));
        return;
      case '/hang':
        req.socket.once('close', () => hangClosed.resolve());
        return;
      default:
        res.setHeader('X-Method', req.method ?? '');
        res.end(
          `${req.method} ${req.url} ${req.headers['transfer-encoding'] ?? req.headers['content-length'] ?? '-'} ${body}`,
        );
    }
  });
}

function deferredPromise(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

let hangClosed = deferredPromise();
let server: Server;
let base = '';

before(async () => {
  let next = 0;
  server = createServer(handler);
  server.on('connection', (s: Socket & { id?: number }) => {
    s.id = next++;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

function pooled(): Agent {
  return new Agent(reactor, { pool: new HTTPConnectionPool(reactor) });
}

describe('Agent over loopback to node:http', () => {
  it('GETs a Content-Length body', async () => {
    const agent = pooled();
    const r = await agent.request('GET', `${base}/hello?x=1`);
    assert.equal(r.code, 200);
    assert.equal(r.headers.getHeader('x-method'), 'GET');
    assert.equal((await readBody(r)).toString(), 'GET /hello?x=1 - ');
    await agent.pool.closeCachedConnections();
  });

  it('reads a chunked body', async () => {
    const agent = pooled();
    const r = await agent.request('GET', `${base}/chunked`);
    assert.equal(r.length, 'UNKNOWN');
    assert.equal((await readBody(r)).toString(), 'abcd');
    await agent.pool.closeCachedConnections();
  });

  it('reuses one keep-alive connection for sequential requests', async () => {
    const agent = pooled();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await readBody(await agent.request('GET', `${base}/socket`))).toString());
    assert.equal(new Set(ids).size, 1);
    await agent.pool.closeCachedConnections();
  });

  it('uses a new connection per request with the default non-persistent pool', async () => {
    const agent = new Agent(reactor);
    const a = (await readBody(await agent.request('GET', `${base}/socket`))).toString();
    const b = (await readBody(await agent.request('GET', `${base}/socket`))).toString();
    assert.notEqual(a, b);
  });

  it('uploads a buffer with Content-Length and a stream chunked', async () => {
    const agent = pooled();
    const r1 = await agent.request('POST', `${base}/up`, null, new FileBodyProducer(Buffer.from('hello')));
    assert.equal((await readBody(r1)).toString(), 'POST /up 5 hello');
    const { Readable } = await import('node:stream');
    const stream = Readable.from([Buffer.from('ab'), Buffer.from('cd')]);
    const r2 = await agent.request(
      'PUT',
      `${base}/up`,
      { 'content-type': 'text/plain' },
      new FileBodyProducer(stream),
    );
    assert.equal((await readBody(r2)).toString(), 'PUT /up chunked abcd');
    await agent.pool.closeCachedConnections();
  });

  it('gets no body for HEAD and 204', async () => {
    const agent = pooled();
    const h = await agent.request('HEAD', `${base}/x`);
    assert.equal((await readBody(h)).length, 0);
    const n = await agent.request('GET', `${base}/nocontent`);
    assert.equal(n.code, 204);
    assert.equal((await readBody(n)).length, 0);
    await agent.pool.closeCachedConnections();
  });

  it('aborts the connection when the AbortSignal aborts', async () => {
    hangClosed = deferredPromise();
    const agent = pooled();
    const ac = new AbortController();
    const d = agent.request('GET', `${base}/hang`, null, null, { signal: ac.signal });
    setImmediate(() => ac.abort());
    await assert.rejects(d.asPromise(), CancelledError);
    await hangClosed.promise; // the server saw the connection close
  });

  it('fails with ResponseHeadersTimeoutError when the server does not answer', async () => {
    hangClosed = deferredPromise();
    const agent = new Agent(reactor, { headersTimeout: 0.05 });
    await assert.rejects(agent.request('GET', `${base}/hang`).asPromise(), ResponseHeadersTimeoutError);
    await hangClosed.promise;
  });

  it('rejects an unsupported scheme', () => {
    failureResultOf(new Agent(reactor).request('GET', 'ftp://127.0.0.1/'), SchemeNotSupported);
  });

  it('fails with ConnectTimeoutError when connecting takes longer than connectTimeout', () => {
    const memory = new MemoryReactorClock();
    const agent = new Agent(memory, { connectTimeout: 5 });
    const d = agent.request('GET', 'http://10.0.0.1/');
    assert.equal(memory.tcpClients.length, 1);
    memory.advance(5.1);
    const err = failureResultOf(d, ConnectTimeoutError);
    assert.equal(err.code, 'ERR_HTTP_CONNECT_TIMEOUT');
  });
});

describe('Agent over HTTPS', () => {
  const certs = makeTestCertificates();
  let tls: ReturnType<typeof createHttpsServer>;
  let port = 0;
  before(async () => {
    tls = createHttpsServer({ key: certs.serverKey, cert: certs.serverCert }, (_req, res) =>
      res.end('secure'),
    );
    tls.listen(0, '127.0.0.1');
    await once(tls, 'listening');
    port = (tls.address() as AddressInfo).port;
  });
  after(() => {
    tls.closeAllConnections();
    tls.close();
  });

  it('verifies the certificate against a custom trust root and the host name', async () => {
    const agent = new Agent(reactor, {
      tlsPolicy: new BrowserLikePolicyForHTTPS({ trustRoot: certs.caCert }),
    });
    const r = await agent.request('GET', `https://localhost:${port}/`);
    assert.equal((await readBody(r)).toString(), 'secure');
  });

  it('refuses a certificate from an untrusted CA, saying so', async () => {
    const agent = new Agent(reactor);
    await assert.rejects(agent.request('GET', `https://localhost:${port}/`).asPromise(), /certificate/i);
  });

  it('refuses a certificate that does not name the host', async () => {
    const policy = new BrowserLikePolicyForHTTPS({ trustRoot: certs.caCert });
    const agent = Agent.usingEndpointFactory(reactor, {
      endpointForURI: (uri) =>
        new SSL4ClientEndpoint(reactor, '127.0.0.1', port, policy.creatorForNetloc(uri.hostname, port)),
    });
    await assert.rejects(
      agent.request('GET', `https://wrong.example:${port}/`).asPromise(),
      /wrong\.example/,
    );
  });
});
