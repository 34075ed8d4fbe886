/**
 * How client endpoints turn the reactor's connector callbacks into a Deferred: `WrappingFactory`
 * is the `ClientFactory` handed to `connectTCP`/`connectSSL`/`connectUNIX`; it builds the user's
 * protocol behind a thin `WrappingProtocol` and fires `whenConnected` once that protocol's
 * `connectionMade` has run, or errbacks it when the attempt fails.
 *
 * @example
 * ```ts
 * const wf = new WrappingFactory(userFactory);
 * const connector = reactor.connectTCP(host, port, wf);
 * return wf.deferred(connector); // cancellable
 * ```
 * @module
 */
import { CancelledError, Deferred } from '../defer.js';
import { ConnectionDone, NotConnectingError, TwistedError } from '../error.js';
import {
  type IAddress,
  type IClientFactory,
  type IConnector,
  type IHalfCloseableProtocol,
  type IProtocol,
  type IProtocolFactory,
  type ITransport,
  isHalfCloseable,
} from '../interfaces.js';

/**
 * A client endpoint's `connect()` Deferred was cancelled before the connection was made.
 *
 * @example
 * ```ts
 * d.addErrback((err) => { if (err instanceof ConnectingCancelledError) console.log('gave up on', err.address); });
 * ```
 */
export class ConnectingCancelledError extends CancelledError {
  /** Where the cancelled attempt was going. */
  readonly address: IAddress | undefined;
  constructor(address?: IAddress, options?: { cause?: unknown }) {
    super('The connection attempt was cancelled.', options);
    (this as { code: string }).code = 'ERR_CONNECTING_CANCELLED';
    this.address = address;
  }
}

/** An optional hook: TLS transports call it once the handshake is done. */
interface HandshakeAware {
  handshakeCompleted?(): void;
}

/**
 * Stands between a transport and the user's protocol so the endpoint learns when the connection is
 * made; every event is passed straight on.
 *
 * @example
 * ```ts
 * const w = WrappingProtocol.for(userProtocol, (p) => d.callback(p));
 * ```
 * @internal Plumbing of the client endpoints (Twisted's private `_WrappingProtocol`), not
 * exported from `twisted-ts/internet`.
 */
export class WrappingProtocol implements IProtocol {
  /** The user's protocol. */
  readonly wrappedProtocol: IProtocol;
  readonly #onConnected: (p: IProtocol) => void;
  /** The transport, once connected. */
  transport: ITransport | null = null;

  constructor(wrapped: IProtocol, onConnected: (p: IProtocol) => void) {
    this.wrappedProtocol = wrapped;
    this.#onConnected = onConnected;
  }

  /** Wraps `wrapped`, keeping its half-close hooks visible to the transport. */
  static for(wrapped: IProtocol, onConnected: (p: IProtocol) => void): WrappingProtocol {
    return isHalfCloseable(wrapped)
      ? new HalfCloseableWrappingProtocol(wrapped, onConnected)
      : new WrappingProtocol(wrapped, onConnected);
  }

  makeConnection(transport: ITransport): void {
    this.transport = transport;
    this.wrappedProtocol.makeConnection(transport);
    this.#onConnected(this.wrappedProtocol);
  }

  connectionMade(): void {}

  dataReceived(data: Buffer): void {
    this.wrappedProtocol.dataReceived(data);
  }

  connectionLost(reason: Error = new ConnectionDone()): void {
    this.wrappedProtocol.connectionLost(reason);
  }

  /** Passed on to the wrapped protocol when it has the hook. */
  handshakeCompleted(): void {
    (this.wrappedProtocol as HandshakeAware).handshakeCompleted?.();
  }
}

/** A `WrappingProtocol` over a half-closeable protocol. */
class HalfCloseableWrappingProtocol extends WrappingProtocol implements IHalfCloseableProtocol {
  readConnectionLost(): void {
    (this.wrappedProtocol as IHalfCloseableProtocol).readConnectionLost();
  }
  writeConnectionLost(): void {
    (this.wrappedProtocol as IHalfCloseableProtocol).writeConnectionLost();
  }
}

/**
 * The client factory behind client endpoints: builds the user's protocol (wrapped), and reports
 * the outcome on one Deferred.
 *
 * @example
 * ```ts
 * const wf = new WrappingFactory(factory);
 * return wf.deferred(reactor.connectTCP(host, port, wf));
 * ```
 * @internal Plumbing of the client endpoints (Twisted's private `_WrappingFactory`), not exported
 * from `twisted-ts/internet`; the public `WrappingFactory` is in `twisted-ts/protocols/policies`.
 */
export class WrappingFactory implements IClientFactory {
  /** The user's factory. */
  readonly wrappedFactory: IProtocolFactory;
  readonly #deferred: Deferred<IProtocol>;
  #connector: IConnector | null = null;
  #destination: IAddress | undefined;

  constructor(wrappedFactory: IProtocolFactory) {
    this.wrappedFactory = wrappedFactory;
    this.#deferred = new Deferred<IProtocol>(() => this.#cancel());
  }

  /**
   * The Deferred `connect()` returns, given the connector the reactor made for this factory:
   * cancelling it stops the attempt.
   */
  deferred(connector: IConnector): Deferred<IProtocol> {
    this.#connector = connector;
    return this.#deferred;
  }

  #cancel(): void {
    const connector = this.#connector;
    let address = this.#destination;
    if (connector !== null) {
      try {
        address = connector.getDestination();
      } catch {}
    }
    // Fire first so the connector's clientConnectionFailed(UserError) finds the Deferred called.
    this.#deferred.errback(new ConnectingCancelledError(address));
    try {
      connector?.stopConnecting();
    } catch (err) {
      if (!(err instanceof NotConnectingError)) throw err;
    }
  }

  doStart(): void {
    this.wrappedFactory.doStart();
  }

  doStop(): void {
    this.wrappedFactory.doStop();
  }

  startedConnecting(connector: IConnector): void {
    this.#connector = connector;
    const wrapped = this.wrappedFactory as Partial<IClientFactory>;
    wrapped.startedConnecting?.(connector);
  }

  buildProtocol(addr: IAddress): IProtocol | null {
    this.#destination = addr;
    let proto: IProtocol | null;
    try {
      proto = this.wrappedFactory.buildProtocol(addr);
    } catch (err) {
      if (!this.#deferred.called) this.#deferred.errback(err);
      return null;
    }
    if (proto === null) {
      if (!this.#deferred.called) this.#deferred.errback(new NoProtocol(addr));
      return null;
    }
    return WrappingProtocol.for(proto, (p) => {
      if (!this.#deferred.called) this.#deferred.callback(p);
    });
  }

  clientConnectionFailed(_connector: IConnector, reason: Error): void {
    if (!this.#deferred.called) this.#deferred.errback(reason);
  }

  clientConnectionLost(connector: IConnector, reason: Error): void {
    const wrapped = this.wrappedFactory as Partial<IClientFactory>;
    wrapped.clientConnectionLost?.(connector, reason);
  }
}

/**
 * The user's factory returned `null` from `buildProtocol`; Twisted's `NoProtocol`.
 *
 * @example
 * ```ts
 * await assert.rejects(endpoint.connect(refusingFactory).asPromise(), NoProtocol);
 * ```
 */
export class NoProtocol extends TwistedError {
  constructor(addr: IAddress) {
    super(`The factory refused to build a protocol for ${JSON.stringify(addr)}.`, 'ERR_NO_PROTOCOL');
  }
}
