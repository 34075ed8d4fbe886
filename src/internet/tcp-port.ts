/**
 * `TCPPort`: a listening TCP socket, what `listenTCP` returns (Twisted's `tcp.Port`).
 *
 * @example
 * ```ts
 * const port = reactor.listenTCP(0, Factory.forProtocol(Echo), { interface: '127.0.0.1' });
 * console.log(port.getHost().port);
 * await port.stopListening();
 * ```
 * @module
 */
import cluster from 'node:cluster';
import net, { isIP, type Server, type Socket } from 'node:net';
import { fromNodeAddress, ipAddress } from './address.js';
import { Deferred } from './defer.js';
import { CannotListenError } from './error.js';
import { reportError } from './error-reporter.js';
import type {
  IListeningPort,
  IProtocolFactory,
  IPv4Address,
  IPv6Address,
  ListenTCPOptions,
} from './interfaces.js';
import { HIGH_WATER_MARK, StreamTransport, type TransportOwner } from './stream-transport.js';

/** The part of `net.Server` used to bind synchronously to an IP literal (what `listen()` calls). */
interface ListenSync {
  _listen2?(address: string, port: number, addressType: number, backlog: number): void;
}

/**
 * A listening port. `listenTCP` binds it synchronously when the interface is empty or an IP literal
 * (so `getHost().port` is the real port at once, and a busy port throws `CannotListenError` at
 * once); a host name is resolved first, and in a `node:cluster` worker the primary binds: then
 * `getHost()` reports the requested port until the socket is listening.
 *
 * @example
 * ```ts
 * const port = new TCPPort(8000, factory, { backlog: 128 }, connections);
 * port.startListening();
 * ```
 */
export class TCPPort implements IListeningPort, TransportOwner {
  readonly #port: number;
  readonly #factory: IProtocolFactory;
  readonly #backlog: number;
  readonly #interface: string;
  readonly #connections: Set<StreamTransport>;
  #server: Server | null = null;
  #host: IPv4Address | IPv6Address | null = null;
  #stopped: Deferred<void> | null = null;
  #bindError: Error | null = null;

  /**
   * A port not yet listening; `startListening()` binds it.
   *
   * @example
   * ```ts
   * const port = new TCPPort(0, factory, { interface: '127.0.0.1' }, new Set());
   * ```
   */
  constructor(
    port: number,
    factory: IProtocolFactory,
    options: ListenTCPOptions,
    connections: Set<StreamTransport>,
  ) {
    this.#port = port;
    this.#factory = factory;
    this.#backlog = options.backlog ?? 50;
    this.#interface = options.interface ?? '';
    this.#connections = connections;
  }

  /** The factory building this port's protocols. */
  get factory(): IProtocolFactory {
    return this.#factory;
  }

  /** True between `startListening()` and `stopListening()`. */
  get listening(): boolean {
    return this.#server !== null && this.#stopped === null;
  }

  /**
   * Binds and listens, then calls `factory.doStart()`. Throws `CannotListenError` when the address
   * cannot be bound (when that is known synchronously).
   *
   * @example
   * ```ts
   * port.startListening();
   * ```
   */
  startListening(): void {
    if (this.#server !== null) return;
    const server = net.createServer({ allowHalfOpen: true, highWaterMark: HIGH_WATER_MARK });
    server.on('connection', this.#onConnection);
    server.on('error', this.#onError);
    const host = this.#interface;
    const family = isIP(host);
    const sync = server as unknown as ListenSync;
    if (!cluster.isWorker && host === '') {
      server.listen({ port: this.#port, backlog: this.#backlog });
    } else if (!cluster.isWorker && family !== 0 && typeof sync._listen2 === 'function') {
      // What `listen({ host })` does one tick later, after a DNS lookup an IP literal does not need.
      sync._listen2(host, this.#port, family, this.#backlog);
    } else {
      server.listen({ port: this.#port, host, backlog: this.#backlog });
      this.#server = server;
      this.#factory.doStart();
      return;
    }
    if (server.address() === null) {
      // The error event follows on the next tick; #onError swallows it.
      this.#bindError = new CannotListenError(`Could not listen on ${host || '*'}:${this.#port}.`);
      throw this.#bindError;
    }
    this.#server = server;
    this.#factory.doStart();
  }

  /**
   * Stops accepting connections (open ones stay open) and calls `factory.doStop()`; the Deferred
   * fires once the listening socket is closed.
   *
   * @example
   * ```ts
   * await port.stopListening();
   * ```
   */
  stopListening(): Deferred<void> {
    if (this.#stopped !== null) return chainedCopy(this.#stopped);
    const stopped = new Deferred<void>();
    this.#stopped = stopped;
    const server = this.#server;
    if (server === null) {
      stopped.callback(undefined);
      return chainedCopy(stopped);
    }
    this.#host = this.getHost();
    // Node's close callback waits for every accepted connection to end; Twisted's stopListening
    // fires once the listening socket is closed, which `close()` does at once (the handle's close
    // callback runs before the next check phase).
    server.close();
    setImmediate(portClosed, this.#factory, stopped);
    return chainedCopy(stopped);
  }

  /**
   * The bound address, with the real port when listening on port 0.
   *
   * @example
   * ```ts
   * const { host, port } = listeningPort.getHost();
   * ```
   */
  getHost(): IPv4Address | IPv6Address {
    if (this.#host !== null) return this.#host;
    const info = this.#server?.address();
    if (info !== null && info !== undefined && typeof info === 'object') return fromNodeAddress('TCP', info);
    return ipAddress('TCP', this.#interface || '0.0.0.0', this.#port);
  }

  /** Forgets a closed connection. */
  transportClosed(transport: StreamTransport, _reason: Error): void {
    this.#connections.delete(transport);
  }

  readonly #onConnection = (socket: Socket): void => {
    const peer = ipAddress('TCP', socket.remoteAddress ?? '0.0.0.0', socket.remotePort ?? 0);
    let protocol: ReturnType<IProtocolFactory['buildProtocol']>;
    try {
      protocol = this.#factory.buildProtocol(peer);
    } catch (err) {
      reportError(err, `${this.#factory.constructor.name}.buildProtocol`);
      protocol = null;
    }
    if (protocol === null) {
      socket.destroy();
      return;
    }
    const transport = new StreamTransport(socket, protocol, this, peer);
    this.#connections.add(transport);
    transport.start();
  };

  readonly #onError = (err: Error): void => {
    if (this.#bindError !== null) return;
    reportError(
      new CannotListenError(`Listening on ${this.#interface || '*'}:${this.#port} failed.`, { cause: err }),
      'listenTCP',
    );
  };
}

function portClosed(factory: IProtocolFactory, stopped: Deferred<void>): void {
  try {
    factory.doStop();
  } finally {
    stopped.callback(undefined);
  }
}

/** A Deferred that fires with `source`'s result without consuming it (each caller gets its own). */
function chainedCopy(source: Deferred<void>): Deferred<void> {
  const copy = new Deferred<void>();
  source.addBoth((r: unknown) => {
    if (r instanceof Error) copy.errback(r);
    else copy.callback(undefined);
    return r;
  });
  return copy;
}
