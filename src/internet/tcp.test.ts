import assert from 'node:assert/strict';
import net from 'node:net';
import { after, describe, it } from 'node:test';
import { Clock } from '../testing/clock.js';
import {
  CannotListenError,
  ConnectError,
  ConnectionAborted,
  ConnectionDone,
  ConnectionLost,
  ConnectionRefusedError,
  DNSLookupError,
  NotConnectingError,
  TimeoutError,
  UserError,
} from './error.js';
import { setErrorReporter } from './error-reporter.js';
import type { IConnector, IListeningPort } from './interfaces.js';
import { Factory, Protocol } from './protocol.js';
import { NodeReactor } from './reactor.js';
import type { StreamTransport } from './stream-transport.js';
import {
  CollectingFactory,
  HalfCloseRecorder,
  Recorder,
  RecordingClientFactory,
} from './tcp.test-helpers.js';
import { connectErrorFor, TCPConnector } from './tcp-connector.js';

const reactor = new NodeReactor({ installSignalHandlers: false });
const ports: IListeningPort[] = [];
after(async () => {
  for (const p of ports) await p.stopListening();
  // The reactor never ran; its shutdown trigger still closes every connection the tests left open.
  await reactor.fireSystemEvent('shutdown');
});

function listen<P extends Protocol>(make: () => P): { factory: CollectingFactory<P>; port: number } {
  const factory = new CollectingFactory(make);
  const p = reactor.listenTCP(0, factory, { interface: '127.0.0.1' });
  ports.push(p);
  return { factory, port: p.getHost().port };
}

function connect<P extends Protocol>(port: number, make: () => P): RecordingClientFactory<P> {
  const factory = new RecordingClientFactory(make);
  reactor.connectTCP('127.0.0.1', port, factory);
  return factory;
}

class Echo extends Protocol {
  override dataReceived(data: Buffer): void {
    this.transport!.write(data);
  }
}

describe('listenTCP', () => {
  it('reports the real port and IPv4 address at once when listening on port 0', () => {
    const p = reactor.listenTCP(0, Factory.forProtocol(Echo), { interface: '127.0.0.1' });
    ports.push(p);
    const host = p.getHost();
    assert.equal(host.type, 'TCP');
    assert.equal((host as { family: string }).family, 'IPv4');
    assert.equal((host as { host: string }).host, '127.0.0.1');
    assert.ok((host as { port: number }).port > 0);
  });

  it('listens and connects over IPv6 loopback, reporting IPv6 addresses', async () => {
    const factory = new CollectingFactory(() => new Recorder());
    const p = reactor.listenTCP(0, factory, { interface: '::1' });
    ports.push(p);
    const host = p.getHost() as { family: string; host: string; port: number };
    assert.deepEqual([host.family, host.host], ['IPv6', '::1']);
    const client = new RecordingClientFactory(() => new Recorder());
    reactor.connectTCP('::1', host.port, client);
    const c = await client.nth();
    await c.madeW.promise;
    assert.deepEqual(c.tcp.getPeer(), { type: 'TCP', family: 'IPv6', host: '::1', port: host.port });
    const server = await factory.nth(0);
    assert.equal(server.tcp.getPeer().family, 'IPv6');
  });

  it('throws CannotListenError synchronously when the port is taken', () => {
    const { port } = listen(() => new Recorder());
    assert.throws(
      () => reactor.listenTCP(port, Factory.forProtocol(Echo), { interface: '127.0.0.1' }),
      CannotListenError,
    );
  });

  it('calls doStart when listening and doStop once the port is closed', async () => {
    const factory = new RecordingClientFactory(() => new Recorder());
    const p = reactor.listenTCP(0, factory, { interface: '127.0.0.1' });
    assert.deepEqual(factory.events, ['startFactory']);
    await p.stopListening();
    assert.deepEqual(factory.events, ['startFactory', 'stopFactory']);
  });

  it('refuses connections once stopListening has fired', async () => {
    const p = reactor.listenTCP(0, Factory.forProtocol(Echo), { interface: '127.0.0.1' });
    const port = (p.getHost() as { port: number }).port;
    await p.stopListening();
    const client = connect(port, () => new Recorder());
    assert.ok((await client.failedW.promise) instanceof ConnectionRefusedError);
  });
});

describe('a TCP connection', () => {
  it('echoes bytes in order and reports peer and host addresses on both sides', async () => {
    const { factory, port } = listen(() => new Echo());
    const client = connect(port, () => new Recorder());
    const server = await factory.nth(0);
    const c = await client.nth();
    await c.madeW.promise;
    const payload = Buffer.from('hello, twisted');
    c.expect = payload.length;
    c.transport!.write(payload);
    await c.enoughW.promise;
    assert.deepEqual(c.data, payload);
    const st = server.transport as StreamTransport;
    assert.equal(st.getHost().port, port);
    assert.equal(c.tcp.getPeer().port, port);
    assert.equal(c.tcp.getHost().port, st.getPeer().port);
    assert.equal(st.getPeer().host, '127.0.0.1');
  });

  it('passes setTcpNoDelay and setTcpKeepAlive on to the socket', async () => {
    const { port } = listen(() => new Recorder());
    const client = connect(port, () => new Recorder());
    const c = await client.nth();
    await c.madeW.promise;
    const socket = (c.transport as StreamTransport).socket;
    const calls: string[] = [];
    const setNoDelay = socket.setNoDelay.bind(socket);
    const setKeepAlive = socket.setKeepAlive.bind(socket);
    socket.setNoDelay = (on?: boolean) => {
      calls.push(`noDelay ${on}`);
      return setNoDelay(on);
    };
    socket.setKeepAlive = (on?: boolean, delay?: number) => {
      calls.push(`keepAlive ${on}`);
      return setKeepAlive(on, delay);
    };
    c.tcp.setTcpNoDelay(true);
    c.tcp.setTcpKeepAlive(true);
    c.tcp.setTcpNoDelay(false);
    c.tcp.setTcpKeepAlive(false);
    assert.deepEqual(calls, ['noDelay true', 'keepAlive true', 'noDelay false', 'keepAlive false']);
  });

  it('writes a sequence corked into one chunk for the peer', async () => {
    const { factory, port } = listen(() => new Recorder());
    const client = connect(port, () => new Recorder());
    const c = await client.nth();
    await c.madeW.promise;
    const server = await factory.nth(0);
    server.expect = 9;
    c.transport!.writeSequence(['abc', Buffer.from('def'), 'ghi']);
    await server.enoughW.promise;
    assert.equal(server.data.toString(), 'abcdefghi');
    assert.equal(server.chunks.length, 1);
  });

  it('flushes what was written before loseConnection, then both sides see ConnectionDone', async () => {
    const big = Buffer.alloc(4 * 1024 * 1024, 7);
    class Sender extends Protocol {
      override connectionMade(): void {
        this.transport!.write(big);
        this.transport!.loseConnection();
        this.transport!.loseConnection();
      }
    }
    const { factory, port } = listen(() => new Sender());
    const client = connect(port, () => new Recorder());
    const c = await client.nth();
    const reason = await c.lostW.promise;
    assert.ok(reason instanceof ConnectionDone, reason.message);
    assert.equal(c.received, big.length);
    assert.ok((await client.lostW.promise) instanceof ConnectionDone);
    const server = await factory.nth(0);
    assert.equal((server.transport as StreamTransport).disconnecting, true);
    assert.equal((server.transport as StreamTransport).connected, false);
  });

  it('gives ConnectionAborted locally after abortConnection', async () => {
    const { port } = listen(() => new Recorder());
    const client = connect(port, () => new Recorder());
    const c = await client.nth();
    await c.madeW.promise;
    c.transport!.abortConnection();
    assert.ok((await c.lostW.promise) instanceof ConnectionAborted);
  });

  it('gives ConnectionLost with the node error as cause when the peer resets', async () => {
    const { factory, port } = listen(() => new Recorder());
    const client = connect(port, () => new Recorder());
    const c = await client.nth();
    await c.madeW.promise;
    const server = await factory.nth(0);
    await server.madeW.promise;
    const socket = (server.transport as StreamTransport).socket;
    socket.resetAndDestroy();
    const reason = await c.lostW.promise;
    assert.ok(reason instanceof ConnectionLost, reason.name);
    assert.equal((reason.cause as NodeJS.ErrnoException).code, 'ECONNRESET');
  });

  it('closes after the peer EOF when the protocol is not half-closeable', async () => {
    const { factory, port } = listen(() => new Recorder());
    const client = connect(port, () => new HalfCloseRecorder());
    const c = await client.nth();
    await c.madeW.promise;
    c.tcp.loseWriteConnection();
    await c.writeLostW.promise;
    const server = await factory.nth(0);
    assert.ok((await server.lostW.promise) instanceof ConnectionDone);
    await c.readLostW.promise;
    assert.ok((await c.lostW.promise) instanceof ConnectionDone);
  });

  it('keeps a half-closeable protocol writing after the peer EOF', async () => {
    class Replier extends HalfCloseRecorder {
      override readConnectionLost(): void {
        super.readConnectionLost();
        this.transport!.write(`got ${this.received} bytes`);
        this.transport!.loseConnection();
      }
    }
    const { factory, port } = listen(() => new Replier());
    const client = connect(port, () => new HalfCloseRecorder());
    const c = await client.nth();
    await c.madeW.promise;
    c.transport!.write('12345');
    c.tcp.loseWriteConnection();
    const server = await factory.nth(0);
    await server.readLostW.promise;
    assert.ok((await c.lostW.promise) instanceof ConnectionDone);
    assert.equal(c.data.toString(), 'got 5 bytes');
  });

  it('reports an exception from dataReceived and aborts only that connection', async () => {
    const reported: unknown[] = [];
    const previous = setErrorReporter((err) => reported.push(err));
    try {
      class Boom extends Recorder {
        override dataReceived(data: Buffer): void {
          if (data.includes('boom')) throw new Error('boom');
          this.transport!.write(data);
        }
      }
      const { port } = listen(() => new Boom());
      const bad = connect(port, () => new Recorder());
      const good = connect(port, () => new Recorder());
      const b = await bad.nth();
      const g = await good.nth();
      await Promise.all([b.madeW.promise, g.madeW.promise]);
      b.transport!.write('boom');
      assert.ok((await b.lostW.promise) instanceof ConnectionDone);
      g.expect = 2;
      g.transport!.write('ok');
      await g.enoughW.promise;
      assert.equal(g.data.toString(), 'ok');
      assert.equal(reported.length, 1);
      assert.equal((reported[0] as Error).message, 'boom');
    } finally {
      setErrorReporter(previous);
    }
  });

  it('reports exceptions from connectionMade and buildProtocol and closes those connections', async () => {
    const reported: unknown[] = [];
    const previous = setErrorReporter((err) => reported.push(err));
    try {
      class BadStart extends Protocol {
        override connectionMade(): void {
          throw new Error('made');
        }
      }
      const a = reactor.listenTCP(0, Factory.forProtocol(BadStart), { interface: '127.0.0.1' });
      const broken = new Factory();
      broken.buildProtocol = () => {
        throw new Error('build');
      };
      const b = reactor.listenTCP(0, broken, { interface: '127.0.0.1' });
      ports.push(a, b);
      const ca = connect((a.getHost() as { port: number }).port, () => new Recorder());
      const cb = connect((b.getHost() as { port: number }).port, () => new Recorder());
      await (await ca.nth()).lostW.promise;
      await (await cb.nth()).lostW.promise;
      assert.deepEqual(reported.map((e) => (e as Error).message).sort(), ['build', 'made']);
    } finally {
      setErrorReporter(previous);
    }
  });

  it('stops reading while paused, and delivers everything once resumed', async () => {
    const { factory, port } = listen(() => new Recorder());
    const client = connect(port, () => new Recorder());
    const c = await client.nth();
    await c.madeW.promise;
    const server = await factory.nth(0);
    await server.madeW.promise;
    server.tcp.pauseProducing();
    const total = 16 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024, 1);
    for (let i = 0; i < 16; i++) c.transport!.write(chunk);
    // The client's buffer cannot empty while the server does not read.
    const clientTransport = c.transport as StreamTransport;
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(clientTransport.bufferSize > 0, 'the client still holds bytes');
    assert.ok(server.received < total);
    server.expect = total;
    server.tcp.resumeProducing();
    await server.enoughW.promise;
    assert.equal(server.received, total);
  });
});

describe('connectTCP', () => {
  it('reports ConnectionRefusedError, starting and stopping the factory around the attempt', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const client = connect(port, () => new Recorder());
    const reason = await client.failedW.promise;
    assert.ok(reason instanceof ConnectionRefusedError);
    assert.equal((reason.cause as NodeJS.ErrnoException).code, 'ECONNREFUSED');
    assert.deepEqual(client.events, [
      'startFactory',
      'startedConnecting',
      'failed:ConnectionRefusedError',
      'stopFactory',
    ]);
  });

  it('reports UserError after stopConnecting, and NotConnectingError when not connecting', async () => {
    const { port } = listen(() => new Recorder());
    const factory = new RecordingClientFactory(() => new Recorder());
    const connector = reactor.connectTCP('127.0.0.1', port, factory);
    connector.stopConnecting();
    assert.ok((await factory.failedW.promise) instanceof UserError);
    assert.throws(() => connector.stopConnecting(), NotConnectingError);
  });

  it('reports TimeoutError when the attempt outlasts its timeout on the given clock', async () => {
    const { port } = listen(() => new Recorder());
    const clock = new Clock();
    const factory = new RecordingClientFactory(() => new Recorder());
    const connector = new TCPConnector('127.0.0.1', port, factory, { timeout: 5 }, clock, {
      connections: new Set(),
      connecting: new Set(),
    });
    connector.connect();
    clock.advance(5);
    assert.ok((await factory.failedW.promise) instanceof TimeoutError);
    assert.equal(connector.state, 'disconnected');
  });

  it('disconnects, then reconnects with the same connector', async () => {
    const { factory: serverFactory, port } = listen(() => new Recorder());
    let losses = 0;
    class Again extends RecordingClientFactory<Recorder> {
      override clientConnectionLost(c: IConnector, reason: Error): void {
        super.clientConnectionLost(c, reason);
        losses++;
        if (losses === 1) c.connect();
      }
    }
    const factory = new Again(() => new Recorder());
    const connector = reactor.connectTCP('127.0.0.1', port, factory);
    const first = await factory.nth();
    await first.madeW.promise;
    assert.equal(connector.state, 'connected');
    assert.deepEqual(connector.getDestination(), { type: 'TCP', family: 'IPv4', host: '127.0.0.1', port });
    connector.disconnect();
    await first.lostW.promise;
    const second = await factory.nth(1);
    await second.madeW.promise;
    await (await serverFactory.nth(1)).madeW.promise;
    assert.equal(factory.built.length, 2);
    assert.deepEqual(factory.events.slice(0, 3), [
      'startFactory',
      'startedConnecting',
      'lost:ConnectionDone',
    ]);
    connector.disconnect();
    await factory.built[1]!.lostW.promise;
    assert.equal(factory.events.at(-1), 'stopFactory');
  });

  it('binds the local end to bindAddress before connecting', async () => {
    const { factory, port } = listen(() => new Recorder());
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const local = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const client = new RecordingClientFactory(() => new Recorder());
    reactor.connectTCP('127.0.0.1', port, client, { bindAddress: ['127.0.0.1', local] });
    const c = await client.nth();
    await c.madeW.promise;
    assert.deepEqual(c.tcp.getHost(), { type: 'TCP', family: 'IPv4', host: '127.0.0.1', port: local });
    const server = await factory.nth(0);
    await server.madeW.promise;
    assert.equal(server.tcp.getPeer().port, local);
  });

  it('maps node connect errors to Twisted error kinds', () => {
    const e = (code: string) => Object.assign(new Error(code), { code });
    assert.ok(connectErrorFor(e('ECONNREFUSED')) instanceof ConnectionRefusedError);
    assert.ok(connectErrorFor(e('ENOTFOUND')) instanceof DNSLookupError);
    assert.ok(connectErrorFor(e('EAI_AGAIN')) instanceof DNSLookupError);
    assert.ok(connectErrorFor(e('ETIMEDOUT')) instanceof TimeoutError);
    assert.ok(connectErrorFor(e('EHOSTUNREACH')) instanceof ConnectError);
  });
});
