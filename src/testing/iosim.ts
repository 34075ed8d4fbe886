/**
 * In-memory connections between two real protocol objects, Twisted's `iosim`:
 * `connectedServerAndClient` joins a server and a client protocol with a pair of `FakeTransport`s,
 * and its `IOPump` moves the bytes each side wrote to the other when the test says so. Nothing is
 * asynchronous: `pump.flush()` returns once both sides are quiet, so a pair test reads like a
 * conversation. Closing, aborting, half-closing and flow control behave like a TCP connection:
 *
 * - `loseConnection()` closes after the side's pending writes were delivered; both protocols get
 *   `connectionLost(ConnectionDone)`, the peer first — unless the peer is half-closeable and still
 *   open for writing: it gets `readConnectionLost()` and stays open until it closes too (its
 *   writes are lost). A closing side reads nothing more.
 * - `abortConnection()` drops pending data; the aborting side gets `connectionLost(ConnectionAborted)`
 *   (as from `NodeReactor`'s transports), its peer `connectionLost(ConnectionLost)`.
 * - `loseWriteConnection()` sends EOF after pending writes: the writer gets `writeConnectionLost()`,
 *   the peer `readConnectionLost()` if it is half-closeable, otherwise the peer closes
 *   (`ConnectionDone` on both sides). A side whose both directions are closed gets `ConnectionDone`.
 * - `pauseProducing()` on a transport stops delivery to its protocol (data and EOF wait);
 *   a streaming producer registered on a transport is paused when more than `highWaterMark`
 *   bytes wait to be delivered and resumed once they were; a pull producer is asked for more
 *   (`resumeProducing()`) whenever its transport's buffer is empty.
 *
 * @example
 * ```ts
 * import { connectedServerAndClient } from 'twisted-ts/testing';
 * const { client, server, pump } = connectedServerAndClient(new EchoServer(), new AccumulatingProtocol());
 * client.transport!.write('hi');
 * pump.flush();
 * assert.equal(client.data.toString(), 'hi');
 * ```
 * @module
 */
import { ConnectionAborted, ConnectionDone, ConnectionLost } from '../internet/error.js';
import type { IAddress, IProtocol, IPv4Address } from '../internet/interfaces.js';
import { isHalfCloseable } from '../internet/interfaces.js';
import type { Clock } from './clock.js';
import { FakeTransport } from './fake-transport.js';

export { FakeTransport, type FakeTransportOptions } from './fake-transport.js';

/**
 * Something that builds a protocol: a factory (`buildProtocol`) or the protocol itself.
 *
 * @example
 * ```ts
 * const server: ProtocolSource<Echo> = Factory.forProtocol(Echo); // or: new Echo()
 * ```
 */
export type ProtocolSource<P extends IProtocol> =
  | P
  | {
      /** Builds the protocol for a connection from `addr` (the other side's address); `null` refuses it. */
      buildProtocol(addr: IAddress): P | null;
    };

/**
 * Options of `connectedServerAndClient`.
 *
 * @example
 * ```ts
 * const clock = new Clock();
 * connectedServerAndClient(server, client, { clock, greet: false, highWaterMark: 1024 });
 * ```
 */
export interface ConnectedOptions {
  /** Advanced by 0 before each pump step, so `callLater(0, …)` work runs as in a reactor turn. */
  clock?: Clock;
  /** Flush once after connecting, so greetings are exchanged (default true, as in Twisted). */
  greet?: boolean;
  /** The server's address (default TCP 10.0.0.1:12345). */
  serverAddress?: IAddress;
  /** The client's address (default TCP 10.0.0.2:54321). */
  clientAddress?: IAddress;
  /** Bytes a transport may hold before pausing its streaming producer (default 64 KiB). */
  highWaterMark?: number;
}

/**
 * What `connectedServerAndClient` returns.
 *
 * @example
 * ```ts
 * const { server, client, clientTransport, pump }: ConnectedPair<Echo, AccumulatingProtocol> =
 *   connectedServerAndClient(new Echo(), new AccumulatingProtocol());
 * clientTransport.loseConnection();
 * pump.flush();
 * ```
 */
export interface ConnectedPair<S extends IProtocol, C extends IProtocol> {
  /** The server-side protocol, connected. */
  readonly server: S;
  /** The client-side protocol, connected. */
  readonly client: C;
  /** The server's transport: inspect it or close it from the server side. */
  readonly serverTransport: FakeTransport;
  /** The client's transport: inspect it or close it from the client side. */
  readonly clientTransport: FakeTransport;
  /** Moves bytes between the two; nothing is delivered until you call `pump()` or `flush()`. */
  readonly pump: IOPump;
}

/** How many steps `flush()` takes before deciding the two sides will never be quiet. */
const defaultMaxSteps = 10_000;

/**
 * Moves bytes and close events between the two transports of an in-memory connection.
 *
 * @example
 * ```ts
 * pump.pump();  // one step: deliver what each side wrote so far
 * pump.flush(); // steps until nothing moves
 * ```
 */
export class IOPump {
  /** The client-side protocol. */
  readonly client: IProtocol;
  /** The server-side protocol. */
  readonly server: IProtocol;
  /** The client's transport: what the client writes waits here until a pump step. */
  readonly clientTransport: FakeTransport;
  /** The server's transport: what the server writes waits here until a pump step. */
  readonly serverTransport: FakeTransport;
  readonly #clock: Clock | undefined;

  constructor(
    client: IProtocol,
    server: IProtocol,
    clientTransport: FakeTransport,
    serverTransport: FakeTransport,
    clock?: Clock,
  ) {
    this.client = client;
    this.server = server;
    this.clientTransport = clientTransport;
    this.serverTransport = serverTransport;
    this.#clock = clock;
  }

  /**
   * One step: advances the clock by 0, then either handles one abort, or delivers the bytes each
   * side has written (to a side that is reading), or delivers one close or EOF. Returns true if
   * something happened.
   *
   * @example
   * ```ts
   * while (pump.pump()) steps++;
   * ```
   */
  pump(): boolean {
    this.#clock?.advance(0);
    const c = this.clientTransport;
    const s = this.serverTransport;
    if (c.disconnected && s.disconnected) return false;
    const ends = [
      [s, c],
      [c, s],
    ] as const;
    for (const [t, peer] of ends) {
      if (t.aborted && !t.disconnected) {
        this.#lose(peer, new ConnectionLost());
        this.#lose(t, new ConnectionAborted());
        return true;
      }
    }
    let active = s.askPullProducer();
    active = c.askPullProducer() || active;
    const fromClient = s.canReceive() ? c.takeOutgoing() : null;
    const fromServer = c.canReceive() ? s.takeOutgoing() : null;
    // Bytes written towards a side that is gone are lost, as on a socket.
    if (s.disconnected) c.takeOutgoing();
    if (c.disconnected) s.takeOutgoing();
    if (fromClient !== null) s.protocol.dataReceived(fromClient);
    if (fromServer !== null) c.protocol.dataReceived(fromServer);
    if (fromClient !== null || fromServer !== null || active) return true;
    for (const [t, peer] of ends) {
      if (t.disconnecting && !t.disconnected && !t.hasOutgoing() && peer.canHearClose()) {
        this.#close(t, peer);
        return true;
      }
    }
    for (const [t, peer] of ends) {
      if (t.writeDisconnecting && !t.writeDisconnected && !t.hasOutgoing() && peer.canHearClose()) {
        this.#halfClose(t, peer);
        return true;
      }
    }
    for (const t of [s, c]) {
      if (t.readDisconnected && t.writeDisconnected && !t.disconnected) {
        this.#lose(t, new ConnectionDone());
        return true;
      }
    }
    return false;
  }

  /**
   * Pumps until nothing moves; returns true if anything did. Throws after `maxSteps` steps: two
   * protocols that never stop talking are a bug the test should see.
   *
   * @example
   * ```ts
   * client.sendLine('HELLO');
   * pump.flush();
   * ```
   */
  flush(maxSteps = defaultMaxSteps): boolean {
    let any = false;
    for (let i = 0; i < maxSteps; i++) {
      if (!this.pump()) return any;
      any = true;
    }
    throw new Error(`IOPump.flush: still busy after ${maxSteps} steps; do the protocols talk forever?`);
  }

  /** `t` closes after flushing: a half-closeable peer hears EOF and may go on; otherwise both end. */
  #close(t: FakeTransport, peer: FakeTransport): void {
    if (peer.disconnected) {
      this.#lose(t, new ConnectionDone());
      return;
    }
    t.writeDisconnected = true;
    if (isHalfCloseable(peer.protocol) && !peer.readDisconnected && !peer.disconnecting) {
      peer.readDisconnected = true;
      peer.protocol.readConnectionLost();
      if (peer.writeDisconnected) this.#lose(peer, new ConnectionDone());
    } else {
      this.#lose(peer, new ConnectionDone());
    }
    this.#lose(t, new ConnectionDone());
  }

  /** `t` sends EOF after flushing: it hears `writeConnectionLost`, its peer `readConnectionLost`. */
  #halfClose(t: FakeTransport, peer: FakeTransport): void {
    t.writeDisconnected = true;
    if (isHalfCloseable(t.protocol)) t.protocol.writeConnectionLost();
    if (peer.disconnected) return;
    peer.readDisconnected = true;
    if (isHalfCloseable(peer.protocol)) peer.protocol.readConnectionLost();
    else peer.loseConnection();
  }

  /** One side is gone: mark it, then tell its protocol. */
  #lose(t: FakeTransport, reason: Error): void {
    if (t.disconnected) return;
    t.markDisconnected();
    t.protocol.connectionLost(reason);
  }
}

function isFactory<P extends IProtocol>(
  source: ProtocolSource<P>,
): source is { buildProtocol(addr: IAddress): P | null } {
  return typeof (source as { buildProtocol?: unknown }).buildProtocol === 'function';
}

function build<P extends IProtocol>(source: ProtocolSource<P>, addr: IAddress, side: string): P {
  if (!isFactory(source)) return source;
  const p = source.buildProtocol(addr);
  if (p === null) throw new Error(`connectedServerAndClient: the ${side} factory refused the connection`);
  return p;
}

const defaultServerAddress: IPv4Address = { type: 'TCP', family: 'IPv4', host: '10.0.0.1', port: 12345 };
const defaultClientAddress: IPv4Address = { type: 'TCP', family: 'IPv4', host: '10.0.0.2', port: 54321 };

/**
 * Connects a server and a client in memory: builds the protocols (from factories, given the peer's
 * address, or uses the protocol objects given), connects the server first, then the client, and
 * flushes once unless `greet` is false.
 *
 * @example
 * ```ts
 * const { client, server, pump } = connectedServerAndClient(serverFactory, clientFactory, { clock });
 * client.sendCommand('PING');
 * pump.flush();
 * ```
 */
export function connectedServerAndClient<S extends IProtocol, C extends IProtocol>(
  server: ProtocolSource<S>,
  client: ProtocolSource<C>,
  options: ConnectedOptions = {},
): ConnectedPair<S, C> {
  const serverAddress = options.serverAddress ?? defaultServerAddress;
  const clientAddress = options.clientAddress ?? defaultClientAddress;
  const serverProto = build(server, clientAddress, 'server');
  const clientProto = build(client, serverAddress, 'client');
  const hwm = options.highWaterMark === undefined ? {} : { highWaterMark: options.highWaterMark };
  const serverTransport = new FakeTransport(serverProto, {
    isServer: true,
    hostAddress: serverAddress,
    peerAddress: clientAddress,
    ...hwm,
  });
  const clientTransport = new FakeTransport(clientProto, {
    isServer: false,
    hostAddress: clientAddress,
    peerAddress: serverAddress,
    ...hwm,
  });
  const pump = new IOPump(clientProto, serverProto, clientTransport, serverTransport, options.clock);
  serverProto.makeConnection(serverTransport);
  clientProto.makeConnection(clientTransport);
  if (options.greet ?? true) pump.flush();
  return { server: serverProto, client: clientProto, serverTransport, clientTransport, pump };
}
