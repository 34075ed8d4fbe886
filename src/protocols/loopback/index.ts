/**
 * `twisted-ts/protocols/loopback`: run two protocols against each other in memory.
 *
 * @example
 * ```ts
 * import { loopbackAsync } from 'twisted-ts/protocols/loopback';
 * await loopbackAsync(server, client);
 * ```
 * @module
 */
export * from './loopback.js';
