/**
 * `TCPConnector`: an outgoing TCP connection attempt that can be retried, what `connectTCP`
 * returns (Twisted's `tcp.Connector`). It drives the `IClientFactory` hooks: `startedConnecting`,
 * then `buildProtocol` on success or `clientConnectionFailed(connector, reason)` on failure, and
 * `clientConnectionLost(connector, reason)` when an established connection ends. Calling
 * `connector.connect()` from either failure hook retries.
 *
 * @example
 * ```ts
 * class Retry extends ClientFactory {
 *   override clientConnectionFailed(connector: IConnector) { connector.connect(); }
 * }
 * reactor.connectTCP('127.0.0.1', 8000, Retry.forProtocol(Client));
 * ```
 * @module
 */
import net from 'node:net';
import { ipAddress } from './address.js';
import {
  ConnectError,
  ConnectionRefusedError,
  DNSLookupError,
  NotConnectingError,
  TimeoutError,
  UserError,
} from './error.js';
import { reportError } from './error-reporter.js';
import type {
  ConnectTCPOptions,
  IClientFactory,
  IConnector,
  IDelayedCall,
  IPv4Address,
  IPv6Address,
  IReactorTime,
} from './interfaces.js';
import { HIGH_WATER_MARK, StreamTransport, type TransportOwner } from './stream-transport.js';

/**
 * Where the reactor keeps track of what to close at shutdown; connectors add and remove
 * themselves.
 *
 * @example
 * ```ts
 * const registry: ConnectionRegistry = { connections: new Set(), connecting: new Set() };
 * new TCPConnector('127.0.0.1', 8000, factory, {}, clock, registry).connect();
 * ```
 */
export interface ConnectionRegistry {
  /** Open connections. */
  readonly connections: Set<StreamTransport>;
  /** Connectors with an attempt in progress (TCP and UNIX alike). */
  readonly connecting: Set<{
    /** Abandons the attempt: the reactor calls it on each pending connector at shutdown. */
    stopConnecting(): void;
  }>;
}

/**
 * Where a connector is in its life.
 *
 * @example
 * ```ts
 * if (connector.state === 'connecting') connector.stopConnecting();
 * ```
 */
export type ConnectorState = 'disconnected' | 'connecting' | 'connected';

/**
 * Maps a Node connect error to Twisted's error kinds (refused, DNS, timeout, other).
 *
 * @example
 * ```ts
 * connectErrorFor(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })); // ConnectionRefusedError
 * ```
 */
export function connectErrorFor(err: Error): Error {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ECONNREFUSED':
      return new ConnectionRefusedError(`Connection was refused: ${err.message}`, { cause: err });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
    case 'EAI_NODATA':
      return new DNSLookupError(`DNS lookup failed: ${err.message}`, { cause: err });
    case 'ETIMEDOUT':
      return new TimeoutError(`Connection timed out: ${err.message}`, { cause: err });
    default:
      return new ConnectError(`An error occurred while connecting: ${err.message}`, { cause: err });
  }
}

/**
 * A connection attempt to `host:port`. Created (and started) by `connectTCP`.
 *
 * @example
 * ```ts
 * const connector = new TCPConnector('127.0.0.1', 8000, factory, { timeout: 5 }, clock, registry);
 * connector.connect();
 * connector.stopConnecting(); // factory.clientConnectionFailed(connector, UserError)
 * ```
 */
export class TCPConnector implements IConnector, TransportOwner {
  readonly #host: string;
  readonly #port: number;
  readonly #factory: IClientFactory;
  readonly #timeout: number;
  readonly #bindAddress: readonly [string, number] | undefined;
  readonly #clock: IReactorTime;
  readonly #registry: ConnectionRegistry;
  #state: ConnectorState = 'disconnected';
  #factoryStarted = false;
  #socket: net.Socket | null = null;
  #transport: StreamTransport | null = null;
  #timer: IDelayedCall | null = null;
  /** The reason to report instead of the socket's own error (timeout, user abort). */
  #abortReason: Error | null = null;
  #connectError: Error | null = null;

  /**
   * A connector, not yet connecting.
   *
   * @example
   * ```ts
   * const c = new TCPConnector('example.com', 80, factory, {}, reactor, { connections: new Set(), connecting: new Set() });
   * ```
   */
  constructor(
    host: string,
    port: number,
    factory: IClientFactory,
    options: ConnectTCPOptions,
    clock: IReactorTime,
    registry: ConnectionRegistry,
  ) {
    this.#host = host;
    this.#port = port;
    this.#factory = factory;
    this.#timeout = options.timeout ?? 30;
    this.#bindAddress = options.bindAddress;
    this.#clock = clock;
    this.#registry = registry;
  }

  /** `'disconnected'`, `'connecting'` or `'connected'`. */
  get state(): ConnectorState {
    return this.#state;
  }

  /** The transport of the current connection, when connected. */
  get transport(): StreamTransport | null {
    return this.#transport;
  }

  /**
   * Starts a connection attempt (again); throws if one is in progress or established.
   *
   * @example
   * ```ts
   * override clientConnectionLost(connector: IConnector) { connector.connect(); }
   * ```
   */
  connect(): void {
    if (this.#state !== 'disconnected') throw new Error(`Cannot connect: the connector is ${this.#state}.`);
    this.#state = 'connecting';
    if (!this.#factoryStarted) {
      this.#factoryStarted = true;
      this.#factory.doStart();
    }
    this.#abortReason = null;
    this.#connectError = null;
    // net.connect passes the stream options on to the Socket it makes.
    const options: net.TcpNetConnectOpts & { writableHighWaterMark: number; readableHighWaterMark: number } =
      {
        host: this.#host,
        port: this.#port,
        allowHalfOpen: true,
        writableHighWaterMark: HIGH_WATER_MARK,
        readableHighWaterMark: HIGH_WATER_MARK,
      };
    if (this.#bindAddress !== undefined) {
      options.localAddress = this.#bindAddress[0];
      options.localPort = this.#bindAddress[1];
    }
    const socket = net.connect(options);
    this.#socket = socket;
    this.#registry.connecting.add(this);
    socket.once('connect', this.#onConnect);
    socket.on('error', this.#onConnectError);
    socket.once('close', this.#onConnectClose);
    if (this.#timeout > 0) this.#timer = this.#clock.callLater(this.#timeout, this.#onTimeout);
    try {
      this.#factory.startedConnecting(this);
    } catch (err) {
      reportError(err, `${this.#factory.constructor.name}.startedConnecting`);
    }
  }

  /**
   * Abandons the attempt in progress: `clientConnectionFailed` gets a `UserError`. Throws
   * `NotConnectingError` when not connecting.
   *
   * @example
   * ```ts
   * connector.stopConnecting();
   * ```
   */
  stopConnecting(): void {
    if (this.#state !== 'connecting') throw new NotConnectingError();
    this.#abort(new UserError());
  }

  /**
   * Stops connecting, or closes the established connection (`loseConnection`).
   *
   * @example
   * ```ts
   * connector.disconnect();
   * ```
   */
  disconnect(): void {
    if (this.#state === 'connecting') this.stopConnecting();
    else if (this.#state === 'connected') this.#transport?.loseConnection();
  }

  /**
   * Where this connector connects to (the host as given, which may be a name).
   *
   * @example
   * ```ts
   * connector.getDestination(); // { type: 'TCP', family: 'IPv4', host: '127.0.0.1', port: 8000 }
   * ```
   */
  getDestination(): IPv4Address | IPv6Address {
    return ipAddress('TCP', this.#host, this.#port);
  }

  /** The connection ended: reports it to the factory. */
  transportClosed(transport: StreamTransport, reason: Error): void {
    this.#registry.connections.delete(transport);
    this.#transport = null;
    this.#state = 'disconnected';
    try {
      this.#factory.clientConnectionLost(this, reason);
    } catch (err) {
      reportError(err, `${this.#factory.constructor.name}.clientConnectionLost`);
    }
    this.#stopFactoryIfIdle();
  }

  #abort(reason: Error): void {
    this.#abortReason = reason;
    this.#socket?.destroy();
  }

  #cancelTimer(): void {
    if (this.#timer?.active()) this.#timer.cancel();
    this.#timer = null;
  }

  #detach(socket: net.Socket): void {
    socket.off('error', this.#onConnectError);
    socket.off('close', this.#onConnectClose);
    socket.off('connect', this.#onConnect);
    this.#socket = null;
    this.#registry.connecting.delete(this);
  }

  #stopFactoryIfIdle(): void {
    if (this.#state === 'disconnected' && this.#factoryStarted) {
      this.#factoryStarted = false;
      this.#factory.doStop();
    }
  }

  readonly #onTimeout = (): void => {
    this.#timer = null;
    this.#abort(
      new TimeoutError(`Connection to ${this.#host}:${this.#port} timed out after ${this.#timeout}s.`),
    );
  };

  readonly #onConnect = (): void => {
    const socket = this.#socket;
    if (socket === null) return;
    this.#cancelTimer();
    this.#detach(socket);
    const peer = ipAddress('TCP', socket.remoteAddress ?? this.#host, socket.remotePort ?? this.#port);
    let protocol: ReturnType<IClientFactory['buildProtocol']>;
    try {
      protocol = this.#factory.buildProtocol(peer);
    } catch (err) {
      reportError(err, `${this.#factory.constructor.name}.buildProtocol`);
      protocol = null;
    }
    if (protocol === null) {
      socket.destroy();
      this.#failed(new ConnectError('The factory refused the connection (buildProtocol returned null).'));
      return;
    }
    this.#state = 'connected';
    const transport = new StreamTransport(socket, protocol, this, peer);
    this.#transport = transport;
    this.#registry.connections.add(transport);
    transport.start();
  };

  readonly #onConnectError = (err: Error): void => {
    this.#connectError ??= err;
  };

  readonly #onConnectClose = (): void => {
    const socket = this.#socket;
    if (socket !== null) this.#detach(socket);
    this.#cancelTimer();
    const err = this.#connectError;
    this.#failed(
      this.#abortReason ??
        (err !== null ? connectErrorFor(err) : new ConnectError('Connection closed while connecting.')),
    );
  };

  #failed(reason: Error): void {
    this.#state = 'disconnected';
    try {
      this.#factory.clientConnectionFailed(this, reason);
    } catch (err) {
      reportError(err, `${this.#factory.constructor.name}.clientConnectionFailed`);
    }
    this.#stopFactoryIfIdle();
  }
}
