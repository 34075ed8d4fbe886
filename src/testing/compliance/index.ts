/**
 * Compliance suites every reactor and transport must pass, as functions that define `node:test`
 * blocks for a setup object: time (`IReactorTime`), core (`IReactorCore`) and stream transports.
 *
 * @example
 * ```ts
 * import { defineReactorTimeTests } from 'twisted-ts/testing';
 * defineReactorTimeTests({ name: 'Clock', makeReactor: () => new Clock(), advance: (c, s) => c.advance(s) });
 * ```
 * @module
 */
export * from './core.js';
export * from './memory-stream.js';
export * from './peer.js';
export * from './stream.js';
export * from './time.js';
