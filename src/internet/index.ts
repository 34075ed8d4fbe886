/**
 * `twisted-ts/internet`: the reactor, Deferred, protocols, factories, transports and endpoints.
 *
 * @example
 * ```ts
 * import { Factory, Protocol, reactor } from 'twisted-ts/internet';
 * ```
 * @module
 */
export * from './error.js';
export * from './interfaces.js';
export * from './protocol.js';
