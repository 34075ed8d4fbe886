/**
 * TCP endpoints over `IReactorTCP`, and `connectProtocol`.
 *
 * @example
 * ```ts
 * import { TCP4ServerEndpoint, TCP4ClientEndpoint, connectProtocol } from 'twisted-ts/internet';
 * const port = await new TCP4ServerEndpoint(reactor, 0, { interface: '127.0.0.1' }).listen(factory);
 * const client = await connectProtocol(new TCP4ClientEndpoint(reactor, '127.0.0.1', port.getHost().port), new Echo());
 * ```
 * @module
 */
import { isIP } from 'node:net';
import { Deferred, fail, succeed } from '../defer.js';
import { DNSLookupError, toError } from '../error.js';
import type {
  ConnectTCPOptions,
  IAddress,
  IListeningPort,
  IProtocol,
  IProtocolFactory,
  IReactorTCP,
  ListenTCPOptions,
} from '../interfaces.js';
import { getResolver, type HasNameResolver, type IHostnameResolver } from '../resolver.js';
import type { IStreamClientEndpoint, IStreamServerEndpoint } from './interfaces.js';
import { ConnectingCancelledError, WrappingFactory } from './wrapping-factory.js';

/**
 * Runs `f` and returns its result as a fired Deferred (errbacked if it throws).
 *
 * @example
 * ```ts
 * const d = execute(() => reactor.listenTCP(0, factory));
 * ```
 */
export function execute<T>(f: () => T): Deferred<T> {
  try {
    return succeed(f());
  } catch (err) {
    return fail(toError(err));
  }
}

/**
 * Listens on an IPv4 TCP port (all interfaces unless `interface` is given).
 *
 * @example
 * ```ts
 * const port = await new TCP4ServerEndpoint(reactor, 8080, { backlog: 100 }).listen(factory);
 * ```
 */
export class TCP4ServerEndpoint implements IStreamServerEndpoint {
  readonly #reactor: IReactorTCP;
  readonly #port: number;
  readonly #options: ListenTCPOptions;

  constructor(reactor: IReactorTCP, port: number, options: ListenTCPOptions = {}) {
    this.#reactor = reactor;
    this.#port = port;
    this.#options = { ...options, interface: options.interface ?? this.defaultInterface() };
  }

  /** The interface bound when none is given: `''` (Node: every IPv4 and IPv6 address). */
  protected defaultInterface(): string {
    return '';
  }

  listen(factory: IProtocolFactory): Deferred<IListeningPort> {
    return execute(() => this.#reactor.listenTCP(this.#port, factory, this.#options));
  }
}

/**
 * Listens on an IPv6 TCP port (`::` unless `interface` is given).
 *
 * @example
 * ```ts
 * await new TCP6ServerEndpoint(reactor, 8080, { interface: '::1' }).listen(factory);
 * ```
 */
export class TCP6ServerEndpoint extends TCP4ServerEndpoint {
  protected override defaultInterface(): string {
    return '::';
  }
}

/**
 * Connects to `host:port` over TCP. `connect()` is cancellable.
 *
 * @example
 * ```ts
 * const proto = await new TCP4ClientEndpoint(reactor, '127.0.0.1', 25, { timeout: 5 }).connect(factory);
 * ```
 */
export class TCP4ClientEndpoint implements IStreamClientEndpoint {
  readonly #reactor: IReactorTCP;
  readonly #host: string;
  readonly #port: number;
  readonly #options: ConnectTCPOptions;

  constructor(reactor: IReactorTCP, host: string, port: number, options: ConnectTCPOptions = {}) {
    this.#reactor = reactor;
    this.#host = host;
    this.#port = port;
    this.#options = options;
  }

  connect(factory: IProtocolFactory): Deferred<IProtocol> {
    const wf = new WrappingFactory(factory);
    try {
      return wf.deferred(this.#reactor.connectTCP(this.#host, this.#port, wf, this.#options));
    } catch (err) {
      return fail(toError(err));
    }
  }
}

/**
 * Options of `TCP6ClientEndpoint`.
 *
 * @example
 * ```ts
 * new TCP6ClientEndpoint(reactor, 'ipv6.example.com', 80, { timeout: 5, resolver: myResolver });
 * ```
 */
export interface TCP6ClientEndpointOptions extends ConnectTCPOptions {
  /** How a host name is resolved (default: the reactor's `nameResolver`, else `getResolver()`). */
  resolver?: IHostnameResolver;
}

/**
 * Connects over IPv6 to `host:port`: an IPv6 address, or a name resolved to its first IPv6
 * address (a name without one errbacks with `DNSLookupError`). `connect()` is cancellable.
 *
 * @example
 * ```ts
 * await new TCP6ClientEndpoint(reactor, 'localhost', 8080).connect(factory); // [::1]:8080
 * ```
 */
export class TCP6ClientEndpoint implements IStreamClientEndpoint {
  readonly #reactor: IReactorTCP & HasNameResolver;
  readonly #host: string;
  readonly #port: number;
  readonly #options: TCP6ClientEndpointOptions;

  constructor(
    reactor: IReactorTCP & HasNameResolver,
    host: string,
    port: number,
    options: TCP6ClientEndpointOptions = {},
  ) {
    this.#reactor = reactor;
    this.#host = host;
    this.#port = port;
    this.#options = options;
  }

  connect(factory: IProtocolFactory): Deferred<IProtocol> {
    const { resolver: chosen, ...tcpOptions } = this.#options;
    const attemptTo = (host: string) =>
      new TCP4ClientEndpoint(this.#reactor, host, this.#port, tcpOptions).connect(factory);
    if (isIP(this.#host) === 6) return attemptTo(this.#host);
    if (isIP(this.#host) === 4) return fail(new DNSLookupError(`${this.#host} is not an IPv6 address.`));
    const resolver = chosen ?? this.#reactor.nameResolver ?? getResolver();
    const resolving = resolver.resolveHostName(this.#host, this.#port, { addressTypes: ['IPv6'] });
    let attempt: Deferred<IProtocol> | null = null;
    const result = new Deferred<IProtocol>((d) => {
      d.errback(new ConnectingCancelledError());
      resolving.cancel();
      attempt?.cancel();
    });
    const failed = (err: Error): void => {
      if (!result.called) result.errback(err);
    };
    resolving.addCallbacks((addresses) => {
      if (result.called) return;
      const first = addresses.find((a) => a.family === 'IPv6');
      if (first === undefined) {
        result.errback(new DNSLookupError(`${this.#host} has no IPv6 address.`));
        return;
      }
      attempt = attemptTo(first.host);
      attempt.addCallbacks((proto) => {
        if (!result.called) result.callback(proto);
      }, failed);
    }, failed);
    return result;
  }
}

/** A factory that hands out one prepared protocol. */
class OneShotFactory implements IProtocolFactory {
  readonly #protocol: IProtocol;
  constructor(protocol: IProtocol) {
    this.#protocol = protocol;
  }
  buildProtocol(_addr: IAddress): IProtocol {
    return this.#protocol;
  }
  doStart(): void {}
  doStop(): void {}
}

/**
 * Connects an already-built `protocol` through `endpoint`; fires with the same protocol.
 *
 * @example
 * ```ts
 * const p = await connectProtocol(new TCP4ClientEndpoint(reactor, 'localhost', 6379), new RedisClient());
 * ```
 */
export function connectProtocol<P extends IProtocol>(
  endpoint: IStreamClientEndpoint,
  protocol: P,
): Deferred<P> {
  return endpoint.connect(new OneShotFactory(protocol)) as unknown as Deferred<P>;
}
