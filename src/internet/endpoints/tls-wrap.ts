/**
 * `wrapClientTLS`: TLS on top of any client endpoint whose connections can be upgraded (TCP,
 * UNIX, a `HostnameEndpoint`…): the connection is upgraded with `startTLS` as soon as it is made
 * and the user's protocol only ever sees the TLS side. Twisted's `wrapClientTLS`.
 *
 * @example
 * ```ts
 * import { HostnameEndpoint, optionsForClientTLS, wrapClientTLS } from 'twisted-ts/internet';
 * const ep = wrapClientTLS(optionsForClientTLS('example.com'), new HostnameEndpoint(reactor, 'example.com', 443));
 * const proto = await ep.connect(factory);
 * ```
 * @module
 */
import type { Deferred } from '../defer.js';
import type { IProtocol, IProtocolFactory } from '../interfaces.js';
import type { TLSClientOptions } from '../tls-options.js';
import { TLSUpgradeFactory, type TLSUpgradeProtocol } from '../tls-port.js';
import type { IStreamClientEndpoint } from './interfaces.js';

/**
 * A client endpoint that speaks TLS over `endpoint`'s connections.
 *
 * @example
 * ```ts
 * wrapClientTLS({ ca, servername: 'localhost' }, new UNIXClientEndpoint(reactor, '/tmp/tls.sock'));
 * ```
 */
export function wrapClientTLS(
  contextOptions: TLSClientOptions,
  endpoint: IStreamClientEndpoint,
): IStreamClientEndpoint {
  return {
    connect(factory: IProtocolFactory): Deferred<IProtocol> {
      return endpoint
        .connect(new TLSUpgradeFactory(factory, contextOptions, false))
        .addCallback((p) => (p as TLSUpgradeProtocol).wrapped as IProtocol);
    },
  };
}
