/**
 * `twisted-ts/protocols/portforward`: a TCP port forwarder with flow control and half-close.
 *
 * @example
 * ```ts
 * import { ProxyFactory } from 'twisted-ts/protocols/portforward';
 * reactor.listenTCP(8080, new ProxyFactory('127.0.0.1', 80));
 * ```
 * @module
 */
export * from './portforward.js';
