/**
 * `WrappingFactory` and `ProtocolWrapper`: put a protocol between a transport and the protocol a
 * factory builds, to observe or limit the connection (timeouts, throttling, logging) without the
 * wrapped protocol knowing — Twisted's `twisted.protocols.policies.WrappingFactory`.
 *
 * @example
 * ```ts
 * import { WrappingFactory } from 'twisted-ts/protocols/policies';
 * reactor.listenTCP(8000, new WrappingFactory(Factory.forProtocol(Echo)));
 * ```
 * @module
 */
import type { Buffer } from 'node:buffer';
import { ConnectionDone } from '../../internet/error.js';
import {
  type IAddress,
  type IClientFactory,
  type IConnector,
  type IHalfCloseableProtocol,
  type IProtocol,
  type IProtocolFactory,
  type IPullProducer,
  type IPushProducer,
  type IStreamTransport,
  type ITransport,
  isHalfCloseable,
} from '../../internet/interfaces.js';
import { ClientFactory, Protocol } from '../../internet/protocol.js';

/**
 * The protocol a `WrappingFactory` gives the transport. It is the transport of the wrapped
 * protocol: every call passes through both ways — data, writes, closes, half-closes and producer
 * calls. Subclasses override a method and call `super`.
 *
 * @example
 * ```ts
 * class Counting extends ProtocolWrapper {
 *   bytes = 0;
 *   override dataReceived(data: Buffer) { this.bytes += data.length; super.dataReceived(data); }
 * }
 * ```
 */
export class ProtocolWrapper extends Protocol implements IStreamTransport, IHalfCloseableProtocol {
  /** The factory that made this wrapper. */
  readonly wrappingFactory: WrappingFactory;
  /** The protocol being wrapped. */
  readonly wrappedProtocol: IProtocol;
  /** The producer the wrapped protocol registered on us, if any. */
  producer: IPushProducer | IPullProducer | null = null;
  #disconnecting = false;

  constructor(factory: WrappingFactory, wrappedProtocol: IProtocol) {
    super();
    this.wrappingFactory = factory;
    this.wrappedProtocol = wrappedProtocol;
  }

  /**
   * True once the wrapped protocol (or the wrapper) asked to close, or the transport is closing.
   *
   * @example
   * ```ts
   * if (!wrapper.disconnecting) wrapper.write('bye');
   * ```
   */
  get disconnecting(): boolean {
    return (
      this.#disconnecting || (this.transport as { disconnecting?: boolean } | null)?.disconnecting === true
    );
  }

  /**
   * Registers with the factory, then connects the wrapped protocol with this wrapper as its
   * transport.
   *
   * @example
   * ```ts
   * wrapper.makeConnection(transport);
   * ```
   */
  override makeConnection(transport: ITransport): void {
    this.wrappingFactory.registerProtocol(this);
    super.makeConnection(transport);
    this.wrappedProtocol.makeConnection(this);
  }

  /**
   * Passes received bytes to the wrapped protocol.
   *
   * @example
   * ```ts
   * wrapper.dataReceived(Buffer.from('x'));
   * ```
   */
  override dataReceived(data: Buffer): void {
    this.wrappedProtocol.dataReceived(data);
  }

  /**
   * Unregisters from the factory and tells the wrapped protocol.
   *
   * @example
   * ```ts
   * wrapper.connectionLost(new ConnectionDone());
   * ```
   */
  override connectionLost(reason: Error = new ConnectionDone()): void {
    this.wrappingFactory.unregisterProtocol(this);
    super.connectionLost(reason);
    this.wrappedProtocol.connectionLost(reason);
  }

  /**
   * Passes the peer's EOF on (or closes, when the wrapped protocol cannot half-close).
   *
   * @example
   * ```ts
   * wrapper.readConnectionLost();
   * ```
   */
  readConnectionLost(): void {
    if (isHalfCloseable(this.wrappedProtocol)) this.wrappedProtocol.readConnectionLost();
    else this.loseConnection();
  }

  /**
   * Passes the end of our write side on.
   *
   * @example
   * ```ts
   * wrapper.writeConnectionLost();
   * ```
   */
  writeConnectionLost(): void {
    if (isHalfCloseable(this.wrappedProtocol)) this.wrappedProtocol.writeConnectionLost();
  }

  // ---- the transport side, seen by the wrapped protocol

  /**
   * Writes to the real transport.
   *
   * @example
   * ```ts
   * wrapper.write('hello');
   * ```
   */
  write(data: Uint8Array | string): void {
    this.transport?.write(data);
  }

  /**
   * Writes several buffers to the real transport.
   *
   * @example
   * ```ts
   * wrapper.writeSequence(['a', 'b']);
   * ```
   */
  writeSequence(data: readonly (Uint8Array | string)[]): void {
    this.transport?.writeSequence(data);
  }

  /**
   * Closes the real transport after pending writes.
   *
   * @example
   * ```ts
   * wrapper.loseConnection();
   * ```
   */
  loseConnection(): void {
    this.#disconnecting = true;
    this.transport?.loseConnection();
  }

  /**
   * Drops the real transport now.
   *
   * @example
   * ```ts
   * wrapper.abortConnection();
   * ```
   */
  abortConnection(): void {
    this.#disconnecting = true;
    this.transport?.abortConnection();
  }

  /**
   * Half-closes the real transport (when it can).
   *
   * @example
   * ```ts
   * wrapper.loseWriteConnection();
   * ```
   */
  loseWriteConnection(): void {
    const t = this.transport as Partial<IStreamTransport> | null;
    if (typeof t?.loseWriteConnection === 'function') t.loseWriteConnection();
    else this.loseConnection();
  }

  /**
   * The peer address of the real transport.
   *
   * @example
   * ```ts
   * wrapper.getPeer();
   * ```
   */
  getPeer(): IAddress {
    return (this.transport as ITransport).getPeer();
  }

  /**
   * The local address of the real transport.
   *
   * @example
   * ```ts
   * wrapper.getHost();
   * ```
   */
  getHost(): IAddress {
    return (this.transport as ITransport).getHost();
  }

  /**
   * Registers the wrapped protocol's producer on the real transport (and remembers it).
   *
   * @example
   * ```ts
   * wrapper.registerProducer(fileSender, true);
   * ```
   */
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    this.producer = producer;
    this.transport?.registerProducer(producer, streaming);
  }

  /**
   * Unregisters the producer from the real transport.
   *
   * @example
   * ```ts
   * wrapper.unregisterProducer();
   * ```
   */
  unregisterProducer(): void {
    this.producer = null;
    this.transport?.unregisterProducer();
  }

  /**
   * Pauses reading on the real transport.
   *
   * @example
   * ```ts
   * wrapper.pauseProducing();
   * ```
   */
  pauseProducing(): void {
    (this.transport as Partial<IPushProducer> | null)?.pauseProducing?.();
  }

  /**
   * Resumes reading on the real transport.
   *
   * @example
   * ```ts
   * wrapper.resumeProducing();
   * ```
   */
  resumeProducing(): void {
    (this.transport as Partial<IPushProducer> | null)?.resumeProducing?.();
  }

  /**
   * Stops the real transport as a producer.
   *
   * @example
   * ```ts
   * wrapper.stopProducing();
   * ```
   */
  stopProducing(): void {
    (this.transport as Partial<IPushProducer> | null)?.stopProducing?.();
  }
}

/**
 * Wraps every protocol `wrappedFactory` builds in a `ProtocolWrapper` (or what `wrap` makes), and
 * keeps the set of live wrappers in `protocols`. Start/stop and the client hooks pass through.
 *
 * @example
 * ```ts
 * class Counting extends WrappingFactory {
 *   protected override wrap(p: IProtocol) { return new CountingWrapper(this, p); }
 * }
 * ```
 */
export class WrappingFactory extends ClientFactory {
  /** The factory whose protocols are wrapped. */
  readonly wrappedFactory: IProtocolFactory;
  /** The live wrappers. */
  readonly protocols = new Set<ProtocolWrapper>();

  constructor(wrappedFactory: IProtocolFactory) {
    super();
    this.wrappedFactory = wrappedFactory;
  }

  /**
   * Builds the wrapped protocol and wraps it; `null` when the wrapped factory refuses.
   *
   * @example
   * ```ts
   * const p = factory.buildProtocol(addr);
   * ```
   */
  override buildProtocol(addr: IAddress): ProtocolWrapper | null {
    const inner = this.wrappedFactory.buildProtocol(addr);
    if (inner === null) return null;
    const wrapper = this.wrap(inner, addr);
    wrapper.factory = this;
    return wrapper;
  }

  /**
   * Makes the wrapper for a built protocol. Override to use a `ProtocolWrapper` subclass.
   *
   * @example
   * ```ts
   * protected override wrap(p: IProtocol) { return new TimeoutProtocol(this, p, 60); }
   * ```
   */
  protected wrap(wrapped: IProtocol, _addr: IAddress): ProtocolWrapper {
    return new ProtocolWrapper(this, wrapped);
  }

  /**
   * A wrapper connected.
   *
   * @example
   * ```ts
   * factory.protocols.size; // connections open now
   * ```
   */
  registerProtocol(p: ProtocolWrapper): void {
    this.protocols.add(p);
  }

  /**
   * A wrapper disconnected.
   *
   * @example
   * ```ts
   * factory.unregisterProtocol(wrapper);
   * ```
   */
  unregisterProtocol(p: ProtocolWrapper): void {
    this.protocols.delete(p);
  }

  /**
   * Starts the wrapped factory too.
   *
   * @example
   * ```ts
   * factory.doStart();
   * ```
   */
  override doStart(): void {
    this.wrappedFactory.doStart();
    super.doStart();
  }

  /**
   * Stops the wrapped factory too.
   *
   * @example
   * ```ts
   * factory.doStop();
   * ```
   */
  override doStop(): void {
    this.wrappedFactory.doStop();
    super.doStop();
  }

  /**
   * Passes the client hook to the wrapped factory.
   *
   * @example
   * ```ts
   * factory.startedConnecting(connector);
   * ```
   */
  override startedConnecting(connector: IConnector): void {
    (this.wrappedFactory as Partial<IClientFactory>).startedConnecting?.(connector);
  }

  /**
   * Passes the client hook to the wrapped factory.
   *
   * @example
   * ```ts
   * factory.clientConnectionFailed(connector, err);
   * ```
   */
  override clientConnectionFailed(connector: IConnector, reason: Error): void {
    (this.wrappedFactory as Partial<IClientFactory>).clientConnectionFailed?.(connector, reason);
  }

  /**
   * Passes the client hook to the wrapped factory.
   *
   * @example
   * ```ts
   * factory.clientConnectionLost(connector, err);
   * ```
   */
  override clientConnectionLost(connector: IConnector, reason: Error): void {
    (this.wrappedFactory as Partial<IClientFactory>).clientConnectionLost?.(connector, reason);
  }
}
