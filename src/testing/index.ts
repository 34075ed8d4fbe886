/**
 * `twisted-ts/testing`: the kit for testing protocols without sockets or wall-clock time —
 * `Clock`, `StringTransport`, `MemoryReactor`, `connectedServerAndClient`, result helpers and the
 * reactor compliance suites.
 *
 * @example
 * ```ts
 * import { Clock } from 'twisted-ts/testing';
 * const clock = new Clock();
 * clock.callLater(1, () => console.log('later'));
 * clock.advance(1);
 * ```
 * @module
 */

export * from './accumulating-protocol.js';
export * from './certs.js';
export * from './clock.js';
export * from './compliance/index.js';
export * from './iosim.js';
export * from './memory-reactor.js';
export * from './results.js';
export {
  type ProducerState,
  StringTransport,
  type StringTransportOptions,
  StringTransportWithDisconnection,
} from './string-transport.js';
