/**
 * `HAProxyWrappingFactory`: reads the PROXY protocol header a load balancer sends first, then hands
 * the connection to the wrapped factory's protocol, whose transport reports the addresses from the
 * header: `getPeer()` is the real client, `getHost()` the address it connected to. A `LOCAL` or
 * `UNKNOWN` header (the balancer's health check) keeps the real socket addresses. A missing or
 * malformed header closes the connection and logs why.
 *
 * @example
 * ```ts
 * import { HAProxyWrappingFactory } from 'twisted-ts/protocols/haproxy';
 * reactor.listenTCP(8080, new HAProxyWrappingFactory(Factory.forProtocol(MyHTTP)));
 * ```
 * @module
 */
import type { Socket } from 'node:net';
import { ConnectionDone } from '../../internet/error.js';
import {
  type IAddress,
  type IHalfCloseableProtocol,
  type IProtocol,
  type IProtocolFactory,
  type IPullProducer,
  type IPushProducer,
  type IStreamTransport,
  type ITransport,
  isHalfCloseable,
} from '../../internet/interfaces.js';
import { Logger } from '../../logger/logger.js';
import { ProxyHeaderParser } from './codec/parser.js';
import type { ProxyHeaderEvent, ProxyInfo } from './codec/types.js';

const log = new Logger('twisted-ts.protocols.haproxy');

/**
 * The transport the wrapped protocol sees: the real connection with the header's addresses.
 *
 * @example
 * ```ts
 * (this.transport as HAProxyTransport).proxyInfo.version; // 1 or 2
 * ```
 */
export class HAProxyTransport implements IStreamTransport {
  readonly #inner: ITransport;
  readonly #peer: IAddress;
  readonly #host: IAddress;
  /** The decoded header. */
  readonly proxyInfo: ProxyInfo;

  constructor(inner: ITransport, info: ProxyInfo) {
    this.#inner = inner;
    this.proxyInfo = info;
    const proxied = info.command === 'PROXY';
    this.#peer = proxied && info.source !== null ? info.source : inner.getPeer();
    this.#host = proxied && info.destination !== null ? info.destination : inner.getHost();
  }

  /** Bytes read after the header and not yet delivered (see `replaceSocket`). */
  pending: Buffer | null = null;

  get disconnecting(): boolean {
    return (this.#inner as Partial<IStreamTransport>).disconnecting ?? false;
  }

  /**
   * Lets the wrapped protocol upgrade the connection to TLS (`startTLS`) when the real transport
   * can: the bytes read after the header (the start of the ClientHello) are handed to the new
   * socket instead of the protocol.
   */
  replaceSocket(wrap: (current: Socket) => Socket): void {
    const inner = this.#inner as Partial<{ replaceSocket(w: (c: Socket) => Socket): void }>;
    if (inner.replaceSocket === undefined)
      throw new TypeError('The connection under the PROXY header cannot be upgraded.');
    const pending = this.pending;
    this.pending = null;
    inner.replaceSocket.call(this.#inner, (raw) => {
      if (pending !== null && pending.length > 0) raw.unshift(pending);
      return wrap(raw);
    });
  }
  /** The proxied client's address from the header (the socket's peer for a `LOCAL` header). */
  getPeer(): IAddress {
    return this.#peer;
  }
  /** The address the client connected to, from the header (the socket's own for `LOCAL`). */
  getHost(): IAddress {
    return this.#host;
  }
  /** Sends `data` on the real connection; the PROXY header is never written back. */
  write(data: Uint8Array | string): void {
    this.#inner.write(data);
  }
  writeSequence(data: readonly (Uint8Array | string)[]): void {
    this.#inner.writeSequence(data);
  }
  loseConnection(): void {
    this.#inner.loseConnection();
  }
  abortConnection(): void {
    this.#inner.abortConnection();
  }
  loseWriteConnection(): void {
    const inner = this.#inner as Partial<IStreamTransport>;
    if (inner.loseWriteConnection !== undefined) inner.loseWriteConnection();
    else this.#inner.loseConnection();
  }
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    this.#inner.registerProducer(producer, streaming);
  }
  /** Detaches the producer registered on the real connection. */
  unregisterProducer(): void {
    this.#inner.unregisterProducer();
  }
  /** Stops reading from the real connection (flow control); a no-op if it cannot pause. */
  pauseProducing(): void {
    (this.#inner as Partial<IStreamTransport>).pauseProducing?.();
  }
  /** Resumes reading from the real connection after `pauseProducing`. */
  resumeProducing(): void {
    (this.#inner as Partial<IStreamTransport>).resumeProducing?.();
  }
  /** Stops reading for good; the connection is closing. */
  stopProducing(): void {
    (this.#inner as Partial<IStreamTransport>).stopProducing?.();
  }
}

/**
 * Reads the header, then becomes a pass-through to the protocol the wrapped factory builds. It is
 * half-closeable so that the peer's EOF reaches a half-closeable wrapped protocol; for any other it
 * closes the connection, as the transport would have.
 *
 * @example
 * ```ts
 * const p = new HAProxyProtocol(factory);
 * p.makeConnection(transport);
 * ```
 */
export class HAProxyProtocol implements IHalfCloseableProtocol {
  readonly #factory: IProtocolFactory;
  readonly #parser = new ProxyHeaderParser();
  /** The real connection (its addresses are the proxy's), set by `makeConnection`. */
  transport: ITransport | null = null;
  /** The wrapped protocol, once the header has been read. */
  wrappedProtocol: IProtocol | null = null;

  constructor(factory: IProtocolFactory) {
    this.#factory = factory;
  }

  /** Attaches the real connection; the wrapped protocol is built only once the header is read. */
  makeConnection(transport: ITransport): void {
    this.transport = transport;
    this.connectionMade();
  }

  /** Does nothing: the wrapped protocol's `connectionMade` runs after the header. */
  connectionMade(): void {}

  /** Parses the header from the first bytes, then passes every byte to the wrapped protocol. */
  dataReceived(data: Buffer): void {
    if (this.wrappedProtocol !== null) {
      this.wrappedProtocol.dataReceived(data);
      return;
    }
    this.#handle(this.#parser.receive(data));
  }

  #handle(events: ProxyHeaderEvent[]): void {
    for (const ev of events) {
      switch (ev.type) {
        case 'headerReceived':
          this.#start(ev.info, ev.rest);
          return;
        case 'headerInvalid':
          this.#reject(ev.reason);
          return;
      }
    }
  }

  #reject(reason: string): void {
    const transport = this.transport!;
    log.warn('Closing connection from {peer}: invalid PROXY header: {reason}', {
      peer: JSON.stringify(transport.getPeer()),
      reason,
    });
    transport.abortConnection();
  }

  #start(info: ProxyInfo, rest: Buffer): void {
    const proxied = new HAProxyTransport(this.transport!, info);
    const proto = this.#factory.buildProtocol(proxied.getPeer());
    if (proto === null) {
      this.transport!.loseConnection();
      return;
    }
    this.wrappedProtocol = proto;
    proxied.pending = rest;
    proto.makeConnection(proxied);
    // Unless the protocol took them over by upgrading to TLS, the bytes after the header are its.
    const pending = proxied.pending;
    proxied.pending = null;
    if (pending !== null && pending.length > 0) proto.dataReceived(pending);
  }

  readConnectionLost(): void {
    const p = this.wrappedProtocol;
    if (p === null) {
      this.#handle(this.#parser.receiveEof());
      return;
    }
    if (isHalfCloseable(p)) p.readConnectionLost();
    else this.transport!.loseConnection();
  }

  writeConnectionLost(): void {
    const p = this.wrappedProtocol;
    if (p !== null && isHalfCloseable(p)) p.writeConnectionLost();
  }

  connectionLost(reason: Error = new ConnectionDone()): void {
    this.wrappedProtocol?.connectionLost(reason);
  }
}

/**
 * A factory whose protocols read the PROXY header first (Twisted's `HAProxyWrappingFactory`).
 *
 * @example
 * ```ts
 * const port = reactor.listenTCP(8080, new HAProxyWrappingFactory(webFactory));
 * ```
 */
export class HAProxyWrappingFactory implements IProtocolFactory {
  /** The factory building the real protocols. */
  readonly wrappedFactory: IProtocolFactory;

  constructor(wrappedFactory: IProtocolFactory) {
    this.wrappedFactory = wrappedFactory;
  }

  doStart(): void {
    this.wrappedFactory.doStart();
  }

  doStop(): void {
    this.wrappedFactory.doStop();
  }

  buildProtocol(_addr: IAddress): IProtocol {
    return new HAProxyProtocol(this.wrappedFactory);
  }
}
