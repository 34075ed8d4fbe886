/**
 * The endpoint contracts: a server endpoint knows how to listen, a client endpoint how to connect,
 * and code that takes one works over TCP, TLS, UNIX sockets, stdio or a subprocess alike.
 *
 * @example
 * ```ts
 * import type { IStreamClientEndpoint } from 'twisted-ts/internet';
 * async function hello(ep: IStreamClientEndpoint) {
 *   const proto = await ep.connect(Factory.forProtocol(Protocol));
 *   proto.transport!.write('hello');
 * }
 * ```
 * @module
 */
import type { Deferred } from '../defer.js';
import type { IListeningPort, IProtocol, IProtocolFactory } from '../interfaces.js';

/**
 * Somewhere a stream server can listen; Twisted's `IStreamServerEndpoint`.
 *
 * @example
 * ```ts
 * const port = await new TCP4ServerEndpoint(reactor, 8080).listen(factory);
 * ```
 */
export interface IStreamServerEndpoint {
  /** Starts listening; fires with the port, or errbacks with `CannotListenError`. */
  listen(factory: IProtocolFactory): Deferred<IListeningPort>;
}

/**
 * Somewhere a stream client can connect; Twisted's `IStreamClientEndpoint`.
 *
 * @example
 * ```ts
 * const d = new TCP4ClientEndpoint(reactor, 'localhost', 80).connect(factory);
 * d.cancel(); // aborts the attempt: d errbacks with ConnectingCancelledError
 * ```
 */
export interface IStreamClientEndpoint {
  /**
   * Connects; fires with the protocol `factory` built once its `connectionMade` has run, or
   * errbacks with the connection error. Cancelling the Deferred aborts the attempt.
   */
  connect(factory: IProtocolFactory): Deferred<IProtocol>;
}

/**
 * A server endpoint whose own layer (TLS) sits between the socket and the factory it is given, and
 * which can put another factory wrapper *under* that layer: `outer` wraps the factory that sees
 * the raw bytes. The `haproxy:` endpoint uses it to read the PROXY header before TLS.
 *
 * @example
 * ```ts
 * ssl.listenWrapped(factory, (f) => new HAProxyWrappingFactory(f)); // PROXY header, then TLS
 * ```
 */
export interface IWrappableServerEndpoint extends IStreamServerEndpoint {
  /**
   * Listens like `listen(factory)`, but the connections go through `outer(rawFactory)` first, so
   * `outer`'s protocol sees the bytes before this endpoint's own layer decodes them.
   */
  listenWrapped(
    factory: IProtocolFactory,
    outer: (rawFactory: IProtocolFactory) => IProtocolFactory,
  ): Deferred<IListeningPort>;
}
