/**
 * `twisted-ts/internet`: the reactor, Deferred, protocols, factories, transports and endpoints.
 *
 * @example
 * ```ts
 * import { Factory, Protocol, reactor } from 'twisted-ts/internet';
 * ```
 * @module
 */

export * from './address.js';
export * from './default-reactor.js';
export * from './defer.js';
export * from './deferred-list.js';
export * from './deferred-lock.js';
export * from './deferred-queue.js';
export * from './delayed-call.js';
export * from './endpoints/description.js';
export * from './endpoints/hostname.js';
export * from './endpoints/interfaces.js';
export * from './endpoints/server-parsers.js';
export * from './endpoints/ssl.js';
export * from './endpoints/stdio.js';
export * from './endpoints/strports.js';
export * from './endpoints/systemd.js';
export * from './endpoints/tcp.js';
export * from './endpoints/tls-wrap.js';
export * from './endpoints/unix.js';
export { ConnectingCancelledError, NoProtocol } from './endpoints/wrapping-factory.js';
export * from './error.js';
export * from './error-reporter.js';
export * from './file-sender.js';
export * from './interfaces.js';
export * from './process.js';
export * from './process-output.js';
export * from './process-protocol.js';
export * from './protocol.js';
export * from './react.js';
export * from './reactor.js';
export * from './reconnecting.js';
export * from './resolver.js';
export * from './stdio.js';
export * from './system-event-triggers.js';
export * from './tcp.js';
export * from './threads/index.js';
export * from './tls.js';
export * from './tls-options.js';
export { connectSSL, listenSSL } from './tls-port.js';
export * from './udp.js';
export * from './udp-multicast.js';
export * from './unix.js';
export * from './unix-lock.js';
export * from './unix-options.js';
