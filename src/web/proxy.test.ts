import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { getReactor } from '../internet/default-reactor.js';
import { ConnectionRefusedError } from '../internet/error.js';
import type { IConnector, IPushProducer } from '../internet/interfaces.js';
import { MemoryReactor } from '../testing/memory-reactor.js';
import { StringTransport } from '../testing/string-transport.js';
import type { ProducerGate } from './producer-gate.js';
import { type ProxyClientFactory, ReverseProxyResource } from './proxy.js';
import { Resource } from './resource.js';
import { Site } from './site.js';
import { connect, testSite } from './test-support.js';

/** A MemoryReactor that says when a connection is attempted. */
class WatchedReactor extends MemoryReactor {
  #connected!: () => void;
  readonly connected = new Promise<void>((r) => {
    this.#connected = r;
  });
  override connectTCP(
    ...args: Parameters<MemoryReactor['connectTCP']>
  ): ReturnType<MemoryReactor['connectTCP']> {
    const c = super.connectTCP(...args);
    this.#connected();
    return c;
  }
}

/** A front site with `/api` proxied to backend:8081/v1, on a MemoryReactor. */
function front(options: { spoolThreshold?: number } = {}) {
  const reactor = new WatchedReactor();
  const root = new Resource();
  root.putChild('api', new ReverseProxyResource('backend', 8081, '/v1', reactor));
  const conn = connect(testSite(root, options).site);
  /** Connects the backend side of the n-th proxied request to a StringTransport. */
  const backend = (n = 0, transport = new StringTransport()) => {
    const [host, port, factory] = reactor.tcpClients[n]!;
    const client = factory.buildProtocol(transport.getPeer())!;
    client.makeConnection(transport);
    return { host, port, factory: factory as ProxyClientFactory, client, transport };
  };
  return { conn, backend, reactor };
}

describe('ReverseProxyResource', () => {
  it('forwards the path under it, the query, the fields with Host replaced and hop-by-hop ones dropped, and the body', () => {
    const { conn, backend } = front();
    conn.send(
      'POST /api/users/x%20y?q=1 HTTP/1.1\r\nHost: front\r\nConnection: keep-alive\r\nX-Custom: a\r\nContent-Length: 5\r\n\r\nhello',
    );
    const b = backend();
    assert.deepEqual([b.host, b.port], ['backend', 8081]);
    assert.equal(
      b.transport.value().toString(),
      'POST /v1/users/x%20y?q=1 HTTP/1.1\r\nHost: backend:8081\r\nX-Custom: a\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello',
    );
    b.client.dataReceived(
      Buffer.from(
        'HTTP/1.1 201 Made\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nKeep-Alive: x\r\nX-B: 1\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
      ),
    );
    const [r] = conn.responses();
    assert.equal(r?.status, 201);
    assert.equal(r?.reason, 'Made');
    assert.deepEqual(r?.headers.get('x-b'), ['1']);
    assert.equal(r?.headers.get('keep-alive'), undefined);
    assert.equal(r?.body.toString(), 'abc');
    assert.equal(b.transport.disconnecting, true, 'one backend connection per request');
  });

  it("relays the backend's length and pauses the backend while the client is slow", () => {
    const { conn, backend } = front();
    conn.send('GET /api HTTP/1.1\r\nHost: front\r\n\r\n');
    const b = backend();
    assert.match(b.transport.value().toString(), /^GET \/v1 HTTP\/1\.1\r\n/);
    b.client.dataReceived(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nabc'));
    assert.equal(
      (conn.transport.producer as ProducerGate).producer,
      b.transport,
      'the backend connection produces the response',
    );
    assert.equal(conn.transport.streaming, true);
    (conn.transport.producer as IPushProducer).pauseProducing();
    assert.equal(b.transport.producerState, 'paused');
    b.client.dataReceived(Buffer.from('def'));
    assert.equal(conn.transport.producer, null);
    const [r] = conn.responses();
    assert.deepEqual(r?.headers.get('content-length'), ['6']);
    assert.equal(r?.body.toString(), 'abcdef');
  });

  it('answers 502 when the backend cannot be reached or breaks HTTP, and drops a response cut short', () => {
    const refused = front();
    refused.conn.send('GET /api HTTP/1.1\r\nHost: f\r\n\r\n');
    const b = refused.backend();
    b.factory.clientConnectionFailed({} as IConnector, new ConnectionRefusedError());
    assert.equal(refused.conn.responses()[0]?.status, 502);

    const broken = front();
    broken.conn.send('GET /api HTTP/1.1\r\nHost: f\r\n\r\n');
    broken.backend().client.dataReceived(Buffer.from('SMTP ready\r\n\r\n'));
    assert.equal(broken.conn.responses()[0]?.status, 502);
    assert.match(broken.conn.responses()[0]!.body.toString(), /backend broke HTTP/);

    const cut = front();
    cut.conn.send('GET /api HTTP/1.1\r\nHost: f\r\n\r\n');
    const c = cut.backend();
    c.client.dataReceived(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
    c.client.connectionLost(new Error('reset'));
    assert.equal(cut.conn.transport.aborted, true, 'the client cannot get a truncated body as complete');
  });

  it('streams a body spooled to disk into the backend under its flow control', async () => {
    const { conn, backend, reactor } = front({ spoolThreshold: 1024 });
    const body = Buffer.alloc(200 * 1024, 0x62);
    conn.send(`PUT /api/f HTTP/1.1\r\nHost: f\r\nContent-Length: ${body.length}\r\n\r\n`);
    conn.send(body);
    let finished!: () => void;
    const unregistered = new Promise<void>((r) => {
      finished = r;
    });
    class Watching extends StringTransport {
      override unregisterProducer(): void {
        super.unregisterProducer();
        finished();
      }
    }
    const transport = new Watching();
    await reactor.connected; // the resource renders once the body is on disk
    backend(0, transport);
    assert.ok(transport.producer !== null, 'the body stream is registered as a producer');
    await unregistered;
    const sent = transport.value();
    const head = sent.indexOf('\r\n\r\n');
    assert.match(sent.toString('latin1', 0, head), /Content-Length: 204800/);
    assert.ok(sent.subarray(head + 4).equals(body));
  });

  it('proxies to a real node:http server over loopback, both ways', async () => {
    const backendServer = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.setHeader(
          'X-Seen',
          `${req.method} ${req.url} ${req.headers.host} ${Buffer.concat(chunks).length}`,
        );
        res.end(Buffer.alloc(1024 * 1024, 0x7a));
      });
    });
    await new Promise<void>((r) => backendServer.listen(0, '127.0.0.1', r));
    const backendPort = (backendServer.address() as AddressInfo).port;
    const root = new Resource();
    root.putChild('p', new ReverseProxyResource('127.0.0.1', backendPort, ''));
    const port = getReactor().listenTCP(0, new Site(root), { interface: '127.0.0.1' });
    try {
      const { headers, body } = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>(
        (resolve, reject) => {
          const req = httpRequest(
            {
              host: '127.0.0.1',
              port: (port.getHost() as { port: number }).port,
              method: 'POST',
              path: '/p/a/b?c=d',
            },
            (res) => {
              const parts: Buffer[] = [];
              res.on('data', (c: Buffer) => parts.push(c));
              res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(parts) }));
            },
          );
          req.on('error', reject);
          req.end('x'.repeat(1000));
        },
      );
      assert.equal(headers['x-seen'], `POST /a/b?c=d 127.0.0.1:${backendPort} 1000`);
      assert.equal(body.length, 1024 * 1024);
    } finally {
      await port.stopListening();
      await new Promise((r) => backendServer.close(r));
    }
  });
});
