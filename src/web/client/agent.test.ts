import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CancelledError } from '../../internet/defer.js';
import { TCP4ClientEndpoint } from '../../internet/endpoints/tcp.js';
import { UNIXClientEndpoint } from '../../internet/endpoints/unix.js';
import { NodeReactor } from '../../internet/reactor.js';
import { TLSError } from '../../internet/tls.js';
import { makeTestCertificates } from '../../testing/certs.js';
import { Clock } from '../../testing/clock.js';
import { MemoryReactorClock } from '../../testing/memory-reactor.js';
import { failureResultOf } from '../../testing/results.js';
import { Agent } from './agent.js';
import { signal, socketsWithClock } from './client.test-helpers.js';
import {
  BodyTimeoutError,
  ConnectTimeoutError,
  RequestAbortedError,
  ResponseFailed,
  ResponseHeadersTimeoutError,
  SchemeNotSupported,
} from './errors.js';
import { FileBodyProducer } from './file-body-producer.js';
import { HTTPConnectionPool } from './pool.js';
import { readBody } from './read-body.js';
import { TLSClientEndpoint } from './tls-client-endpoint.js';
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
        hangArrived.resolve();
        req.socket.once('close', () => hangClosed.resolve());
        return;
      case '/trickle':
        res.writeHead(200, { 'content-length': '1000' }).write('first bytes');
        hangArrived.resolve();
        req.socket.once('close', () => hangClosed.resolve());
        return;
      case '/peer':
        res.end(req.socket.remoteAddress);
        return;
      default:
        res.setHeader('X-Method', req.method ?? '');
        res.end(
          `${req.method} ${req.url} ${req.headers['transfer-encoding'] ?? req.headers['content-length'] ?? '-'} ${body}`,
        );
    }
  });
}

let hangArrived = signal();
let hangClosed = signal();
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
    hangArrived = signal();
    hangClosed = signal();
    const agent = pooled();
    const ac = new AbortController();
    const d = agent.request('GET', `${base}/hang`, null, null, { signal: ac.signal });
    await hangArrived.promise;
    ac.abort();
    await assert.rejects(d.asPromise(), CancelledError);
    await hangClosed.promise; // the server saw the connection close
  });

  it('aborts the connection when the AbortSignal aborts while the body streams', async () => {
    hangArrived = signal();
    hangClosed = signal();
    const agent = pooled();
    const ac = new AbortController();
    const r = await agent.request('GET', `${base}/trickle`, null, null, { signal: ac.signal });
    const body = readBody(r);
    await hangArrived.promise;
    ac.abort();
    const err = await body.asPromise().then(
      () => assert.fail('the body completed'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ResponseFailed);
    assert.ok(err.reasons[0] instanceof RequestAbortedError);
    await hangClosed.promise;
    assert.equal(agent.pool.idleCount(), 0);
  });

  it('cancelling readBody drops the connection', async () => {
    hangArrived = signal();
    hangClosed = signal();
    const agent = pooled();
    const body = readBody(await agent.request('GET', `${base}/trickle`));
    await hangArrived.promise;
    body.cancel();
    await assert.rejects(body.asPromise(), CancelledError);
    await hangClosed.promise;
  });

  it('fails with ResponseHeadersTimeoutError when the server does not answer (clock-driven)', async () => {
    hangArrived = signal();
    hangClosed = signal();
    const clock = new Clock();
    const agent = new Agent(socketsWithClock(reactor, clock), { headersTimeout: 10 });
    const d = agent.request('GET', `${base}/hang`);
    await hangArrived.promise;
    clock.advance(10);
    const err = await d.asPromise().then(
      () => assert.fail('no error'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ResponseHeadersTimeoutError);
    assert.equal(err.code, 'ERR_HTTP_HEADERS_TIMEOUT');
    await hangClosed.promise;
  });

  it('fails with BodyTimeoutError when the body stalls (clock-driven)', async () => {
    hangArrived = signal();
    hangClosed = signal();
    const clock = new Clock();
    const agent = new Agent(socketsWithClock(reactor, clock), { bodyTimeout: 10 });
    const r = await agent.request('GET', `${base}/trickle`);
    const body = readBody(r);
    await hangArrived.promise;
    clock.advance(10);
    await assert.rejects(body.asPromise(), BodyTimeoutError);
    await hangClosed.promise;
  });

  it('binds outgoing connections to bindAddress', async () => {
    const agent = new Agent(reactor, { bindAddress: ['127.0.0.2', 0] });
    const r = await agent.request('GET', `${base}/peer`);
    assert.equal((await readBody(r)).toString(), '127.0.0.2');
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

  it('refuses a certificate from an untrusted CA with a TLSError naming the host and the reason', async () => {
    const agent = new Agent(reactor);
    await assert.rejects(agent.request('GET', `https://localhost:${port}/`).asPromise(), (err: unknown) => {
      assert.ok(err instanceof TLSError, String(err));
      assert.match(err.message, /^TLS with localhost failed: unable to verify the first certificate/);
      return true;
    });
  });

  it('refuses a certificate that does not name the host, saying which names it has', async () => {
    const policy = new BrowserLikePolicyForHTTPS({ trustRoot: certs.caCert });
    const agent = Agent.usingEndpointFactory(reactor, {
      endpointForURI: (uri) =>
        new TLSClientEndpoint(
          new TCP4ClientEndpoint(reactor, '127.0.0.1', port),
          uri.hostname,
          policy.creatorForNetloc(uri.hostname, port),
        ),
    });
    await assert.rejects(
      agent.request('GET', `https://wrong.example:${port}/`).asPromise(),
      (err: unknown) => {
        assert.ok(err instanceof TLSError);
        assert.match(err.message, /wrong\.example.*altnames.*DNS:localhost/);
        return true;
      },
    );
  });
});

describe('Agent.usingEndpointFactory over a UNIX socket', () => {
  it('carries keep-alive requests to a node:http server listening on a socket file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-unix-'));
    const path = join(dir, 'http.sock');
    let connections = 0;
    const unixServer = createServer((req, res) =>
      res.end(`${req.method} ${req.url} via ${req.headers.host}`),
    );
    unixServer.on('connection', () => connections++);
    unixServer.listen(path);
    await once(unixServer, 'listening');
    try {
      const pool = new HTTPConnectionPool(reactor);
      const agent = Agent.usingEndpointFactory(
        reactor,
        { endpointForURI: () => new UNIXClientEndpoint(reactor, path) },
        pool,
      );
      for (const p of ['/a', '/b']) {
        const r = await agent.request('GET', `http://app.local${p}`);
        assert.equal((await readBody(r)).toString(), `GET ${p} via app.local`);
      }
      assert.equal(connections, 1);
      await pool.closeCachedConnections();
    } finally {
      unixServer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
