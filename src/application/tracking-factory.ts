/**
 * `TrackingFactory`: wraps a factory so the connections it serves are known — to drain them on a
 * graceful shutdown (`StreamServerEndpointService`) or to see a client connection end
 * (`ClientService`). Every protocol event is passed straight to the wrapped protocol.
 *
 * @example
 * ```ts
 * import { TrackingFactory } from 'twisted-ts/application';
 * const tracking = new TrackingFactory(Factory.forProtocol(Echo));
 * await endpoint.listen(tracking);
 * // later: tracking.connections.size, await tracking.whenEmpty(), tracking.abortAll()
 * ```
 * @module
 */
import { ConnectionDone } from '../internet/error.js';
import {
  type IAddress,
  type IHalfCloseableProtocol,
  type IProtocol,
  type IProtocolFactory,
  type ITransport,
  isHalfCloseable,
} from '../internet/interfaces.js';

interface HandshakeAware {
  handshakeCompleted?(): void;
}

/**
 * Optional hooks of a `TrackingFactory`.
 *
 * @example
 * ```ts
 * const hooks: TrackingHooks = { connectionMade: (p) => open.add(p), connectionLost: (p) => open.delete(p) };
 * ```
 */
export interface TrackingHooks {
  /** A connection was made (before the wrapped protocol's `connectionMade`). */
  connectionMade?(protocol: IProtocol, transport: ITransport): void;
  /** A connection ended (after the wrapped protocol's `connectionLost`). */
  connectionLost?(protocol: IProtocol, reason: Error): void;
}

/**
 * The protocol the transport talks to: passes every event to `wrapped` and tells its factory when
 * the connection starts and ends.
 *
 * @example
 * ```ts
 * for (const tracked of tracking.connections) tracked.transport?.loseConnection();
 * ```
 */
export class TrackedProtocol implements IProtocol {
  /** The user's protocol. */
  readonly wrapped: IProtocol;
  /** The connection, once made. */
  transport: ITransport | null = null;
  readonly #factory: TrackingFactory;

  constructor(wrapped: IProtocol, factory: TrackingFactory) {
    this.wrapped = wrapped;
    this.#factory = factory;
  }

  /**
   * Wraps `wrapped`, keeping its half-close hooks visible to the transport.
   *
   * @example
   * ```ts
   * const tracked = TrackedProtocol.for(new Echo(), tracking);
   * ```
   */
  static for(wrapped: IProtocol, factory: TrackingFactory): TrackedProtocol {
    return isHalfCloseable(wrapped)
      ? new HalfCloseableTrackedProtocol(wrapped, factory)
      : new TrackedProtocol(wrapped, factory);
  }

  /**
   * Records the connection, then connects the wrapped protocol.
   *
   * @example
   * ```ts
   * tracked.makeConnection(transport); // done by the transport
   * ```
   */
  makeConnection(transport: ITransport): void {
    this.transport = transport;
    this.#factory.connectionStarted(this);
    this.wrapped.makeConnection(transport);
  }

  /** Nothing: the wrapped protocol's own `connectionMade` ran in `makeConnection`. */
  connectionMade(): void {}

  /**
   * Passes the bytes on.
   *
   * @example
   * ```ts
   * tracked.dataReceived(Buffer.from('hi')); // reaches tracked.wrapped
   * ```
   */
  dataReceived(data: Buffer): void {
    this.wrapped.dataReceived(data);
  }

  /**
   * Passes the loss on, then forgets the connection.
   *
   * @example
   * ```ts
   * tracked.connectionLost(new ConnectionDone()); // done by the transport
   * ```
   */
  connectionLost(reason: Error = new ConnectionDone()): void {
    try {
      this.wrapped.connectionLost(reason);
    } finally {
      this.#factory.connectionEnded(this, reason);
    }
  }

  /**
   * Passed on when the wrapped protocol has the hook (TLS).
   *
   * @example
   * ```ts
   * tracked.handshakeCompleted(); // done by a TLS transport
   * ```
   */
  handshakeCompleted(): void {
    (this.wrapped as HandshakeAware).handshakeCompleted?.();
  }
}

class HalfCloseableTrackedProtocol extends TrackedProtocol implements IHalfCloseableProtocol {
  /** Passed on: the peer sent EOF. */
  readConnectionLost(): void {
    (this.wrapped as IHalfCloseableProtocol).readConnectionLost();
  }
  /** Passed on: our write side closed. */
  writeConnectionLost(): void {
    (this.wrapped as IHalfCloseableProtocol).writeConnectionLost();
  }
}

/**
 * A factory that builds the wrapped factory's protocols and keeps the open connections.
 *
 * @example
 * ```ts
 * const tracking = new TrackingFactory(factory, {
 *   connectionLost: (protocol, reason) => log.info('closed: {r}', { r: reason.message }),
 * });
 * ```
 */
export class TrackingFactory implements IProtocolFactory {
  /** The user's factory. */
  readonly wrappedFactory: IProtocolFactory;
  readonly #connections = new Set<TrackedProtocol>();
  readonly #hooks: TrackingHooks;
  #emptyWaiters: (() => void)[] = [];

  constructor(wrappedFactory: IProtocolFactory, hooks: TrackingHooks = {}) {
    this.wrappedFactory = wrappedFactory;
    this.#hooks = hooks;
  }

  /**
   * The open connections.
   *
   * @example
   * ```ts
   * for (const c of tracking.connections) c.transport?.loseConnection();
   * ```
   */
  get connections(): ReadonlySet<TrackedProtocol> {
    return this.#connections;
  }

  /**
   * Builds the wrapped factory's protocol, wrapped; `null` (refused) stays `null`.
   *
   * @example
   * ```ts
   * const p = tracking.buildProtocol(addr); // a TrackedProtocol, or null
   * ```
   */
  buildProtocol(addr: IAddress): IProtocol | null {
    const protocol = this.wrappedFactory.buildProtocol(addr);
    return protocol === null ? null : TrackedProtocol.for(protocol, this);
  }

  /**
   * Passed on to the wrapped factory.
   *
   * @example
   * ```ts
   * tracking.doStart(); // done by the listening port
   * ```
   */
  doStart(): void {
    this.wrappedFactory.doStart();
  }

  /**
   * Passed on to the wrapped factory.
   *
   * @example
   * ```ts
   * tracking.doStop(); // done by the listening port
   * ```
   */
  doStop(): void {
    this.wrappedFactory.doStop();
  }

  /**
   * For `TrackedProtocol`: a connection was made.
   *
   * @example
   * ```ts
   * tracking.connectionStarted(tracked); // done by TrackedProtocol
   * ```
   */
  connectionStarted(protocol: TrackedProtocol): void {
    this.#connections.add(protocol);
    if (protocol.transport !== null) this.#hooks.connectionMade?.(protocol.wrapped, protocol.transport);
  }

  /**
   * For `TrackedProtocol`: a connection ended.
   *
   * @example
   * ```ts
   * tracking.connectionEnded(tracked, reason); // done by TrackedProtocol
   * ```
   */
  connectionEnded(protocol: TrackedProtocol, reason: Error): void {
    if (!this.#connections.delete(protocol)) return;
    this.#hooks.connectionLost?.(protocol.wrapped, reason);
    if (this.#connections.size === 0) {
      const waiters = this.#emptyWaiters;
      this.#emptyWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /**
   * Resolves once no connection is open (at once when none is).
   *
   * @example
   * ```ts
   * await tracking.whenEmpty();
   * ```
   */
  whenEmpty(): Promise<void> {
    if (this.#connections.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#emptyWaiters.push(resolve));
  }

  /**
   * Drops every open connection now (`abortConnection`).
   *
   * @example
   * ```ts
   * tracking.abortAll();
   * ```
   */
  abortAll(): void {
    for (const protocol of [...this.#connections]) protocol.transport?.abortConnection();
  }
}
