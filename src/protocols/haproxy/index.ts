/**
 * `twisted-ts/protocols/haproxy`: the PROXY protocol (v1 text and v2 binary headers) that load
 * balancers such as HAProxy send first on each connection, so `getPeer()` is the real client.
 * Importing this module registers the `haproxy:` endpoint type with `serverFromString`.
 *
 * @example
 * ```ts
 * import 'twisted-ts/protocols/haproxy';
 * import { serverFromString } from 'twisted-ts/internet';
 * await serverFromString(reactor, 'haproxy:tcp:8080').listen(factory);
 * ```
 * @module
 */
import { registerServerWrapper } from '../../internet/endpoints/server-parsers.js';
import { HAProxyServerEndpoint } from './endpoint.js';

export * from './codec/addresses.js';
export * from './codec/parser.js';
export * from './codec/types.js';
export * from './codec/v1.js';
export * from './codec/v2.js';
export * from './endpoint.js';
export * from './wrapper.js';

registerServerWrapper('haproxy', (inner) => new HAProxyServerEndpoint(inner));
