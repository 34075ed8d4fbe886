import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import type { IAddress, IListeningPort, IPv4Address } from '../../src/internet/interfaces.js';
import { Factory, Protocol } from '../../src/internet/protocol.js';
import { NodeReactor } from '../../src/internet/reactor.js';
import { HIGH_WATER_MARK, type StreamTransport } from '../../src/internet/stream-transport.js';
import {
  ProxyFactory,
  type ProxyProtocol,
  ProxyServer,
} from '../../src/protocols/portforward/portforward.js';
import { EchoFactory } from '../../src/protocols/wire/echo.js';

const reactor = new NodeReactor({ installSignalHandlers: false });
const ports: IListeningPort[] = [];
after(async () => {
  for (const p of ports) await p.stopListening();
});

function listen(factory: Parameters<NodeReactor['listenTCP']>[1]): number {
  const port = reactor.listenTCP(0, factory, { interface: '127.0.0.1' });
  ports.push(port);
  return (port.getHost() as IPv4Address).port;
}

const digest = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** 64 MiB: more than loopback's kernel buffers hold, so the proxy has to hold back. */
function bigPayload(): Buffer {
  const payload = Buffer.alloc(64 * 1024 * 1024);
  for (let i = 0; i < payload.length; i += 4) payload.writeUInt32LE(i, i);
  return payload;
}

/** Sends `payload`, half-closes, and collects everything until the proxy closes. */
function roundTrip(port: number, payload: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sock: Socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => {
      sock.end(payload);
    });
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.on('end', () => {
      sock.end();
      resolve(Buffer.concat(chunks));
    });
    sock.on('error', reject);
  });
}

interface Pause {
  /** Bytes the proxy held for the slow side when it stopped reading the fast side. */
  readonly heldForSlowSide: number;
}

type OnPause = (side: 'client' | 'destination', pause: Pause) => void;

/**
 * A ProxyFactory whose accepted ends report when flow control makes the proxy stop reading one
 * side (its socket emits 'pause') because the other side's transport holds too much.
 */
class WatchedProxyFactory extends ProxyFactory {
  constructor(
    host: string,
    port: number,
    readonly onPause: OnPause,
  ) {
    super(host, port, { reactor });
  }

  override buildProtocol(_addr: IAddress): ProxyServer {
    const onPause = this.onPause;
    const server = new (class extends ProxyServer {
      override setPeer(peer: ProxyProtocol): void {
        super.setPeer(peer);
        // The relay starts: from now on a pause of either socket is flow control.
        const front = this.transport as StreamTransport;
        const back = peer.transport as StreamTransport;
        front.socket.on('pause', () => onPause('client', { heldForSlowSide: back.bufferSize }));
        back.socket.on('pause', () => onPause('destination', { heldForSlowSide: front.bufferSize }));
      }
    })();
    server.factory = this;
    return server;
  }
}

/** A promise for the first pause of `side`, and the callback that reports pauses. */
function firstPause(side: 'client' | 'destination'): { paused: Promise<Pause>; onPause: OnPause } {
  let resolve: (p: Pause) => void = () => {};
  const paused = new Promise<Pause>((r) => {
    resolve = r;
  });
  return { paused, onPause: (s, p) => s === side && resolve(p) };
}

/** Keeps what it receives; reads nothing until `release()`. */
class HeldSink extends Protocol {
  readonly chunks: Buffer[] = [];
  readonly done: Promise<Buffer>;
  #resolve: (b: Buffer) => void = () => {};
  constructor() {
    super();
    this.done = new Promise((r) => {
      this.#resolve = r;
    });
  }
  override connectionMade(): void {
    (this.transport as StreamTransport).pauseProducing();
  }
  release(): void {
    (this.transport as StreamTransport).resumeProducing();
  }
  override dataReceived(data: Buffer): void {
    this.chunks.push(data);
  }
  override connectionLost(reason: Error): void {
    super.connectionLost(reason);
    this.#resolve(Buffer.concat(this.chunks));
  }
}

function assertBounded(pause: Pause): void {
  // About one high-water mark held for the slow side (plus at most a read or two), not the
  // megabytes the fast side has sent.
  assert.ok(pause.heldForSlowSide >= HIGH_WATER_MARK, `held ${pause.heldForSlowSide}`);
  assert.ok(pause.heldForSlowSide <= 4 * HIGH_WATER_MARK, `held ${pause.heldForSlowSide}`);
}

describe('ProxyFactory over loopback sockets', { timeout: 60_000 }, () => {
  it('relays a request to an echo server and passes the half-close through both ways', async () => {
    const backend = listen(new EchoFactory());
    const proxy = listen(new ProxyFactory('127.0.0.1', backend, { reactor }));
    const got = await roundTrip(proxy, Buffer.from('hello through the proxy'));
    assert.equal(got.toString(), 'hello through the proxy');
  });

  it('stops reading the client while the destination does not read, then delivers every byte', async (t) => {
    let sinkConnected: (sink: HeldSink) => void = () => {};
    const connected = new Promise<HeldSink>((r) => {
      sinkConnected = r;
    });
    const backendFactory = new Factory();
    backendFactory.buildProtocol = () => {
      const sink = new HeldSink();
      sinkConnected(sink);
      return sink;
    };
    const backend = listen(backendFactory);
    const { paused, onPause } = firstPause('client');
    const proxy = listen(new WatchedProxyFactory('127.0.0.1', backend, onPause));

    const payload = bigPayload();
    const client = connect({ port: proxy, host: '127.0.0.1' }, () => client.end(payload));
    t.after(() => client.destroy()); // on failure too: an open socket would keep the process alive
    const sink = await connected;
    assertBounded(await paused);
    assert.equal(sink.chunks.length, 0, 'the destination has not read yet');

    sink.release();
    const received = await sink.done;
    assert.equal(received.length, payload.length);
    assert.equal(digest(received), digest(payload));
  });

  it('stops reading the destination while the client does not read, then delivers every byte', async (t) => {
    const payload = bigPayload();
    class Source extends Protocol {
      override connectionMade(): void {
        this.transport?.write(payload);
        this.transport?.loseConnection();
      }
    }
    const backend = listen(Factory.forProtocol(Source));
    const { paused, onPause } = firstPause('destination');
    const proxy = listen(new WatchedProxyFactory('127.0.0.1', backend, onPause));

    const client = connect({ port: proxy, host: '127.0.0.1' });
    t.after(() => client.destroy());
    client.pause(); // the client reads nothing for now
    assertBounded(await paused);

    const chunks: Buffer[] = [];
    const ended = new Promise<void>((resolve) => client.on('end', () => resolve()));
    client.on('data', (c: Buffer) => chunks.push(c));
    client.resume();
    await ended;
    const received = Buffer.concat(chunks);
    assert.equal(received.length, payload.length);
    assert.equal(digest(received), digest(payload));
  });

  it('closes the accepted connection when the destination refuses', async () => {
    const closed = listen(new EchoFactory());
    await ports.pop()?.stopListening();
    const proxy = listen(new ProxyFactory('127.0.0.1', closed, { reactor }));
    const got = await roundTrip(proxy, Buffer.from('anyone?'));
    assert.equal(got.length, 0);
  });
});
