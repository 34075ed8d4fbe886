/**
 * TLS endpoints: `SSL4ServerEndpoint`/`SSL4ClientEndpoint` over `IReactorSSL`, and
 * `wrapClientTLS`, which adds TLS on top of any client endpoint (`tls:` descriptions use it over
 * a `HostnameEndpoint`).
 *
 * @example
 * ```ts
 * import { SSL4ClientEndpoint, optionsForClientTLS } from 'twisted-ts/internet';
 * const ep = new SSL4ClientEndpoint(reactor, 'example.com', 443, optionsForClientTLS('example.com'));
 * const proto = await ep.connect(factory);
 * ```
 * @module
 */
import { type Deferred, fail } from '../defer.js';
import { toError } from '../error.js';
import type {
  ConnectTCPOptions,
  IListeningPort,
  IProtocol,
  IProtocolFactory,
  IReactorTCP,
  ListenTCPOptions,
} from '../interfaces.js';
import { prepareServerOptions } from '../tls.js';
import type { IReactorSSL, TLSClientOptions, TLSServerOptions } from '../tls-options.js';
import { connectSSL, listenSSL, TLSUpgradeFactory } from '../tls-port.js';
import type { IStreamClientEndpoint, IWrappableServerEndpoint } from './interfaces.js';
import { execute } from './tcp.js';
import { WrappingFactory } from './wrapping-factory.js';

/**
 * A reactor TLS endpoints can use: one with `listenSSL`/`connectSSL`, or any TCP reactor (TLS is
 * then layered over `listenTCP`/`connectTCP` by `tls-port.ts`).
 *
 * @example
 * ```ts
 * function tlsServer(reactor: SSLReactor, key: Buffer, cert: Buffer): SSL4ServerEndpoint {
 *   return new SSL4ServerEndpoint(reactor, 8443, { key, cert });
 * }
 * await tlsServer(new NodeReactor(), key, cert).listen(factory); // through its listenSSL
 * tlsServer(memoryReactor, key, cert).listen(factory); // in a test: lands in sslServers
 * ```
 */
export type SSLReactor = IReactorTCP & Partial<IReactorSSL>;

/**
 * Listens for TLS connections on a TCP port.
 *
 * @example
 * ```ts
 * await new SSL4ServerEndpoint(reactor, 8443, { key, cert }).listen(factory);
 * ```
 */
export class SSL4ServerEndpoint implements IWrappableServerEndpoint {
  readonly #reactor: SSLReactor;
  readonly #port: number;
  readonly #contextOptions: TLSServerOptions;
  readonly #options: ListenTCPOptions;

  constructor(
    reactor: SSLReactor,
    port: number,
    contextOptions: TLSServerOptions,
    options: ListenTCPOptions = {},
  ) {
    this.#reactor = reactor;
    this.#port = port;
    this.#contextOptions = contextOptions;
    this.#options = { ...options, interface: options.interface ?? '' };
  }

  /** Listens over TCP with `outer` wrapped around the TLS layer (see `IWrappableServerEndpoint`). */
  listenWrapped(
    factory: IProtocolFactory,
    outer: (rawFactory: IProtocolFactory) => IProtocolFactory,
  ): Deferred<IListeningPort> {
    const prepared = {
      ...this.#contextOptions,
      secureContext: prepareServerOptions(this.#contextOptions).secureContext!,
    };
    return execute(() =>
      this.#reactor.listenTCP(
        this.#port,
        outer(new TLSUpgradeFactory(factory, prepared, true)),
        this.#options,
      ),
    );
  }

  listen(factory: IProtocolFactory): Deferred<IListeningPort> {
    const r = this.#reactor;
    return execute(() =>
      r.listenSSL !== undefined
        ? r.listenSSL(this.#port, factory, this.#contextOptions, this.#options)
        : listenSSL(r, this.#port, factory, this.#contextOptions, this.#options),
    );
  }
}

/**
 * Connects over TLS to `host:port`; the server certificate is verified unless `contextOptions`
 * says `rejectUnauthorized: false`. `connect()` fires once the TCP connection is made (the
 * handshake goes on; data written meanwhile is sent after it).
 *
 * @example
 * ```ts
 * await new SSL4ClientEndpoint(reactor, '127.0.0.1', 8443, { ca, servername: 'localhost' }).connect(f);
 * ```
 */
export class SSL4ClientEndpoint implements IStreamClientEndpoint {
  readonly #reactor: SSLReactor;
  readonly #host: string;
  readonly #port: number;
  readonly #contextOptions: TLSClientOptions;
  readonly #options: ConnectTCPOptions;

  constructor(
    reactor: SSLReactor,
    host: string,
    port: number,
    contextOptions: TLSClientOptions,
    options: ConnectTCPOptions = {},
  ) {
    this.#reactor = reactor;
    this.#host = host;
    this.#port = port;
    this.#contextOptions = contextOptions;
    this.#options = options;
  }

  connect(factory: IProtocolFactory): Deferred<IProtocol> {
    const wf = new WrappingFactory(factory);
    try {
      const r = this.#reactor;
      const connector =
        r.connectSSL !== undefined
          ? r.connectSSL(this.#host, this.#port, wf, this.#contextOptions, this.#options)
          : connectSSL(r, this.#host, this.#port, wf, this.#contextOptions, this.#options);
      return wf.deferred(connector);
    } catch (err) {
      return fail(toError(err));
    }
  }
}
