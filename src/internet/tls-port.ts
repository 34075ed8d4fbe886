/**
 * `listenSSL` and `connectSSL` for any reactor with TCP: a TLS connection is a TCP connection
 * upgraded with `startTLS` the moment it is made, so TLS reuses the TCP port, connector and stream
 * transport (flow control, half-close, shutdown) unchanged. The secure context of a port is built
 * once. The protocol sees a `TLSTransport` and its optional `handshakeCompleted()` runs after the
 * handshake.
 *
 * @example
 * ```ts
 * import { listenSSL, connectSSL } from 'twisted-ts/internet';
 * const port = listenSSL(reactor, 0, factory, { key, cert }, { interface: '127.0.0.1' });
 * connectSSL(reactor, '127.0.0.1', port.getHost().port, clientFactory, { ca: cert, servername: 'localhost' });
 * ```
 * @module
 */
import { ConnectionDone } from './error.js';
import {
  type ConnectTCPOptions,
  type IAddress,
  type IClientFactory,
  type IConnector,
  type IHalfCloseableProtocol,
  type IListeningPort,
  type IProtocol,
  type IProtocolFactory,
  type IReactorTCP,
  type ITransport,
  isHalfCloseable,
  type ListenTCPOptions,
} from './interfaces.js';
import { type IHandshakeListener, type ITLSTransport, prepareServerOptions, startTLS } from './tls.js';
import type { TLSClientOptions, TLSServerOptions } from './tls-options.js';

/**
 * Sits between the TCP transport and the user's protocol: upgrades the connection to TLS in
 * `makeConnection`, then passes every event on.
 *
 * @example
 * ```ts
 * const p = TLSUpgradeProtocol.for(userProtocol, { key, cert }, true);
 * ```
 * @internal Plumbing of `listenSSL`/`connectSSL` and the TLS endpoints, not exported from
 * `twisted-ts/internet`; users wrap factories with `TLSMemoryBIOFactory`.
 */
export class TLSUpgradeProtocol implements IProtocol {
  readonly wrapped: IProtocol & IHandshakeListener;
  readonly #contextOptions: TLSServerOptions | TLSClientOptions;
  readonly #server: boolean;
  readonly #host: string | undefined;
  transport: ITLSTransport | null = null;

  constructor(
    wrapped: IProtocol,
    contextOptions: TLSServerOptions | TLSClientOptions,
    server: boolean,
    host: string | undefined,
  ) {
    this.wrapped = wrapped;
    this.#contextOptions = contextOptions;
    this.#server = server;
    this.#host = host;
  }

  static for(
    wrapped: IProtocol,
    contextOptions: TLSServerOptions | TLSClientOptions,
    server: boolean,
    host?: string,
  ): TLSUpgradeProtocol {
    return isHalfCloseable(wrapped)
      ? new HalfCloseableTLSUpgradeProtocol(wrapped, contextOptions, server, host)
      : new TLSUpgradeProtocol(wrapped, contextOptions, server, host);
  }

  makeConnection(transport: ITransport): void {
    const secure = startTLS(transport, this.#contextOptions, {
      server: this.#server,
      protocol: this.wrapped,
      ...(this.#host !== undefined && { host: this.#host }),
    });
    this.transport = secure;
    this.wrapped.makeConnection(secure);
  }

  connectionMade(): void {}

  dataReceived(data: Buffer): void {
    this.wrapped.dataReceived(data);
  }

  connectionLost(reason: Error = new ConnectionDone()): void {
    this.wrapped.connectionLost(reason);
  }
}

class HalfCloseableTLSUpgradeProtocol extends TLSUpgradeProtocol implements IHalfCloseableProtocol {
  readConnectionLost(): void {
    (this.wrapped as IHalfCloseableProtocol).readConnectionLost();
  }
  writeConnectionLost(): void {
    (this.wrapped as IHalfCloseableProtocol).writeConnectionLost();
  }
}

/**
 * The factory given to `listenTCP`/`connectTCP`: wraps each protocol in a `TLSUpgradeProtocol`,
 * which upgrades the connection to TLS as soon as it is made.
 *
 * @example
 * ```ts
 * reactor.listenTCP(0, new TLSUpgradeFactory(factory, { key, cert }, true));
 * ```
 * @internal Plumbing of `listenSSL`/`connectSSL` and the TLS endpoints, not exported from
 * `twisted-ts/internet`; users wrap factories with `TLSMemoryBIOFactory`.
 */
export class TLSUpgradeFactory implements IClientFactory {
  readonly wrappedFactory: IProtocolFactory;
  readonly #contextOptions: TLSServerOptions | TLSClientOptions;
  readonly #server: boolean;
  readonly #host: string | undefined;

  constructor(
    factory: IProtocolFactory,
    contextOptions: TLSServerOptions | TLSClientOptions,
    server: boolean,
    host?: string,
  ) {
    this.wrappedFactory = factory;
    this.#contextOptions = contextOptions;
    this.#server = server;
    this.#host = host;
  }

  doStart(): void {
    this.wrappedFactory.doStart();
  }

  doStop(): void {
    this.wrappedFactory.doStop();
  }

  buildProtocol(addr: IAddress): IProtocol | null {
    const p = this.wrappedFactory.buildProtocol(addr);
    return p === null ? null : TLSUpgradeProtocol.for(p, this.#contextOptions, this.#server, this.#host);
  }

  startedConnecting(connector: IConnector): void {
    (this.wrappedFactory as Partial<IClientFactory>).startedConnecting?.(connector);
  }

  clientConnectionFailed(connector: IConnector, reason: Error): void {
    (this.wrappedFactory as Partial<IClientFactory>).clientConnectionFailed?.(connector, reason);
  }

  clientConnectionLost(connector: IConnector, reason: Error): void {
    (this.wrappedFactory as Partial<IClientFactory>).clientConnectionLost?.(connector, reason);
  }
}

/**
 * Listens for TLS connections on `port` (Twisted's `reactor.listenSSL`). Throws
 * `CannotListenError` like `listenTCP`; bad certificate or key material throws at once.
 *
 * @example
 * ```ts
 * const port = listenSSL(reactor, 8443, Factory.forProtocol(Echo), { key, cert });
 * ```
 */
export function listenSSL(
  reactor: IReactorTCP,
  port: number,
  factory: IProtocolFactory,
  contextOptions: TLSServerOptions,
  options: ListenTCPOptions = {},
): IListeningPort {
  // Builds the secure context once (and fails early on bad key material).
  const prepared = { ...contextOptions, secureContext: prepareServerOptions(contextOptions).secureContext! };
  return reactor.listenTCP(port, new TLSUpgradeFactory(factory, prepared, true), options);
}

/**
 * Connects over TLS to `host:port` (Twisted's `reactor.connectSSL`). The server's certificate is
 * checked against `servername` (default `host`) unless `rejectUnauthorized: false`.
 *
 * @example
 * ```ts
 * connectSSL(reactor, 'example.com', 443, clientFactory, optionsForClientTLS('example.com'));
 * ```
 */
export function connectSSL(
  reactor: IReactorTCP,
  host: string,
  port: number,
  factory: IClientFactory,
  contextOptions: TLSClientOptions,
  options: ConnectTCPOptions = {},
): IConnector {
  return reactor.connectTCP(host, port, new TLSUpgradeFactory(factory, contextOptions, false, host), options);
}
