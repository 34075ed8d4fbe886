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
import type { IStreamServerEndpoint } from '../../internet/endpoints/interfaces.js';
import type { IListeningPort, IProtocolFactory } from '../../internet/interfaces.js';
import { HAProxyWrappingFactory } from './wrapper.js';

/** Listens on `inner`, reading a PROXY header at the start of each connection. */
export class HAProxyServerEndpoint implements IStreamServerEndpoint {
  readonly #inner: IStreamServerEndpoint;

  constructor(inner: IStreamServerEndpoint) {
    this.#inner = inner;
  }

  listen(factory: IProtocolFactory): Deferred<IListeningPort> {
    return this.#inner.listen(new HAProxyWrappingFactory(factory));
  }
}
