/**
 * `HAProxyServerEndpoint`: any server endpoint behind a load balancer speaking the PROXY protocol
 * (the `haproxy:` endpoint description, e.g. `haproxy:tcp:8080`).
 *
 * @example
 * ```ts
 * import { HAProxyServerEndpoint } from 'twisted-ts/protocols/haproxy';
 * await new HAProxyServerEndpoint(new TCP4ServerEndpoint(reactor, 8080)).listen(factory);
 * ```
 * @module
 */
import type { Deferred } from '../../internet/defer.js';
import type { IStreamServerEndpoint, IWrappableServerEndpoint } from '../../internet/endpoints/interfaces.js';
import type { IListeningPort, IProtocolFactory } from '../../internet/interfaces.js';
import { HAProxyWrappingFactory } from './wrapper.js';

/**
 * Listens on `inner`, reading a PROXY header at the start of each connection.
 *
 * @example
 * ```ts
 * await new HAProxyServerEndpoint(new UNIXServerEndpoint(reactor, '/run/app.sock')).listen(f);
 * ```
 */
export class HAProxyServerEndpoint implements IStreamServerEndpoint {
  readonly #inner: IStreamServerEndpoint;

  constructor(inner: IStreamServerEndpoint) {
    this.#inner = inner;
  }

  /**
   * Listens; over a TLS endpoint the header is read before the TLS handshake (as HAProxy's
   * `send-proxy` sends it), not inside TLS.
   */
  listen(factory: IProtocolFactory): Deferred<IListeningPort> {
    const inner = this.#inner as Partial<IWrappableServerEndpoint>;
    if (inner.listenWrapped !== undefined) {
      return inner.listenWrapped(factory, (f) => new HAProxyWrappingFactory(f));
    }
    return this.#inner.listen(new HAProxyWrappingFactory(factory));
  }
}
