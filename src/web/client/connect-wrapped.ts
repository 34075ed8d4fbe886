/**
 * `connectWrapped`: the shared plumbing of endpoints that put a protocol of their own between a
 * connection and the user's protocol (`TLSClientEndpoint` waits for the handshake,
 * `TunnelingEndpoint` for the proxy's answer). The user's protocol is built when the connection
 * is; the returned Deferred fires when the wrapper calls `done.callback(userProtocol)`, errbacks
 * when connecting fails, and cancelling it cancels the attempt or drops the connection.
 *
 * @example
 * ```ts
 * connect(factory) {
 *   return connectWrapped(this.#inner, factory, (user, done) => new HandshakeProtocol(user, done));
 * }
 * ```
 * @module
 */
import { Deferred } from '../../internet/defer.js';
import type { IStreamClientEndpoint } from '../../internet/endpoints/interfaces.js';
import type { IAddress, IProtocol, IProtocolFactory } from '../../internet/interfaces.js';

/**
 * Connects `inner` with `wrap(userProtocol, done)` as the connection's protocol (see the module doc).
 *
 * @example
 * ```ts
 * return connectWrapped(proxy, factory, (user, done) => new TunnelProtocol(user, done, host, port));
 * ```
 */
export function connectWrapped(
  inner: IStreamClientEndpoint,
  factory: IProtocolFactory,
  wrap: (user: IProtocol, done: Deferred<IProtocol>) => IProtocol & { readonly transport: unknown },
): Deferred<IProtocol> {
  let wrapper: (IProtocol & { readonly transport: unknown }) | null = null;
  let connecting: Deferred<IProtocol> | null = null;
  const done = new Deferred<IProtocol>(() => {
    const transport = wrapper?.transport as { abortConnection(): void } | null | undefined;
    if (transport != null) transport.abortConnection();
    else connecting?.cancel();
  });
  const build = (addr: IAddress): IProtocol | null => {
    const user = factory.buildProtocol(addr);
    if (user === null) return null;
    wrapper = wrap(user, done);
    return wrapper;
  };
  connecting = inner.connect({
    buildProtocol: build,
    doStart: () => factory.doStart(),
    doStop: () => factory.doStop(),
  });
  connecting.addErrback((err: Error) => {
    if (!done.called) done.errback(err);
  });
  return done;
}
