/**
 * A TCP port forwarder: every connection accepted is relayed byte for byte to `host:port` —
 * Twisted's `twisted.protocols.portforward` — with flow control both ways (each side's transport
 * is registered as the streaming producer of the other, so a slow reader on one side pauses
 * reading on the other) and half-close passed through (EOF from one side becomes
 * `loseWriteConnection()` on the other).
 *
 * @example
 * ```ts
 * import { ProxyFactory } from 'twisted-ts/protocols/portforward';
 * reactor.listenTCP(8080, new ProxyFactory('example.com', 80));
 * ```
 * @module
 */
import type { Buffer } from 'node:buffer';
import { getReactor } from '../../internet/default-reactor.js';
import type {
  IAddress,
  IConnector,
  IHalfCloseableProtocol,
  IPushProducer,
  IReactorTCP,
  IStreamTransport,
  ITransport,
} from '../../internet/interfaces.js';
import { ClientFactory, Factory, Protocol } from '../../internet/protocol.js';

/**
 * One end of a relay: what it receives is written to its peer's transport.
 *
 * @example
 * ```ts
 * const a = new ProxyProtocol(); const b = new ProxyProtocol(); // Twisted's `Proxy` (renamed: `Proxy` is a JS global)
 * a.setPeer(b); b.setPeer(a);
 * ```
 */
export class ProxyProtocol extends Protocol implements IHalfCloseableProtocol {
  /** The other end, once connected. */
  peer: ProxyProtocol | null = null;
  #producerOnPeer = false;

  /**
   * Sets the other end.
   *
   * @example
   * ```ts
   * client.setPeer(server);
   * ```
   */
  setPeer(peer: ProxyProtocol): void {
    this.peer = peer;
  }

  /**
   * Registers this end's transport as the streaming producer of the peer's transport: when the
   * peer cannot write fast enough, this end stops reading.
   *
   * @example
   * ```ts
   * proxy.registerOnPeer();
   * ```
   */
  registerOnPeer(): void {
    const mine = this.transport as (ITransport & Partial<IPushProducer>) | null;
    const theirs = this.peer?.transport;
    if (mine == null || theirs == null || typeof mine.pauseProducing !== 'function') return;
    theirs.registerProducer(mine as ITransport & IPushProducer, true);
    this.#producerOnPeer = true;
  }

  override dataReceived(data: Buffer): void {
    this.peer?.transport?.write(data);
  }

  /**
   * EOF from this side: send EOF to the other side once what was relayed is written.
   *
   * @example
   * ```ts
   * proxy.readConnectionLost();
   * ```
   */
  readConnectionLost(): void {
    const t = this.peer?.transport as Partial<IStreamTransport> | null | undefined;
    if (t == null) {
      this.transport?.loseConnection();
      return;
    }
    if (typeof t.loseWriteConnection === 'function') t.loseWriteConnection();
    else t.loseConnection?.();
  }

  /**
   * Our write side closed; reading goes on until the other side closes too.
   *
   * @example
   * ```ts
   * proxy.writeConnectionLost();
   * ```
   */
  writeConnectionLost(): void {}

  override connectionLost(reason?: Error): void {
    super.connectionLost(reason);
    const t = this.peer?.transport;
    if (t == null) return;
    if (this.#producerOnPeer) {
      this.#producerOnPeer = false;
      t.unregisterProducer();
    }
    t.loseConnection();
  }
}

/**
 * The end connected to the destination.
 *
 * @example
 * ```ts
 * const client = new ProxyClient(server);
 * ```
 */
export class ProxyClient extends ProxyProtocol {
  constructor(server: ProxyServer) {
    super();
    this.peer = server;
  }

  override connectionMade(): void {
    const server = this.peer as ProxyServer;
    if (!server.connected) {
      this.transport?.loseConnection();
      return;
    }
    server.setPeer(this);
    this.registerOnPeer();
    server.registerOnPeer();
    (server.transport as Partial<IPushProducer> | null)?.resumeProducing?.();
  }
}

/**
 * Connects the destination side for one `ProxyServer`.
 *
 * @example
 * ```ts
 * reactor.connectTCP(host, port, new ProxyClientFactory(server));
 * ```
 */
export class ProxyClientFactory extends ClientFactory {
  /** The accepted side this connection is for. */
  readonly server: ProxyServer;

  constructor(server: ProxyServer) {
    super();
    this.server = server;
  }

  override buildProtocol(_addr: IAddress): ProxyClient {
    const p = new ProxyClient(this.server);
    p.factory = this;
    return p;
  }

  /**
   * The destination refused or was unreachable: close the accepted side.
   *
   * @example
   * ```ts
   * factory.clientConnectionFailed(connector, err);
   * ```
   */
  override clientConnectionFailed(_connector: IConnector, _reason: Error): void {
    this.server.transport?.loseConnection();
  }
}

/**
 * The accepted end: pauses reading, connects to the destination, and relays once connected.
 *
 * @example
 * ```ts
 * reactor.listenTCP(8080, new ProxyFactory('127.0.0.1', 80));
 * ```
 */
export class ProxyServer extends ProxyProtocol {
  /** The connector to the destination, while connecting or connected. */
  connector: IConnector | null = null;

  override connectionMade(): void {
    (this.transport as Partial<IPushProducer> | null)?.pauseProducing?.();
    const f = this.factory as ProxyFactory;
    this.connector = f.reactor.connectTCP(f.host, f.port, new ProxyClientFactory(this));
  }

  override connectionLost(reason?: Error): void {
    const connecting = this.peer === null ? this.connector : null;
    super.connectionLost(reason);
    if (connecting !== null) {
      try {
        connecting.disconnect();
      } catch {
        // Already connected or failed: ProxyClient.connectionMade closes it.
      }
    }
  }
}

/**
 * Options of `ProxyFactory`.
 *
 * @example
 * ```ts
 * new ProxyFactory('example.com', 80, { reactor });
 * ```
 */
export interface ProxyFactoryOptions {
  /** The reactor to connect with (default: the global reactor, read at the first connection). */
  readonly reactor?: IReactorTCP;
}

/**
 * Relays each accepted connection to `host:port`.
 *
 * @example
 * ```ts
 * const port = reactor.listenTCP(0, new ProxyFactory('127.0.0.1', backendPort));
 * ```
 */
export class ProxyFactory extends Factory {
  /** Destination host. */
  readonly host: string;
  /** Destination port. */
  readonly port: number;
  readonly #reactor: IReactorTCP | undefined;

  constructor(host: string, port: number, options: ProxyFactoryOptions = {}) {
    super();
    this.host = host;
    this.port = port;
    this.#reactor = options.reactor;
  }

  /**
   * The reactor used to connect.
   *
   * @example
   * ```ts
   * factory.reactor.connectTCP(...);
   * ```
   */
  get reactor(): IReactorTCP {
    return this.#reactor ?? getReactor();
  }

  override buildProtocol(_addr: IAddress): ProxyServer {
    const p = new ProxyServer();
    p.factory = this;
    return p;
  }
}
