/**
 * `twisted-ts/logger`: structured logging in Twisted's style — `Logger` with namespaces and
 * format strings filled from the event, a global publisher with observers, text and JSON file
 * observers, level filters per namespace, and a `node:diagnostics_channel` feed.
 *
 * @example
 * ```ts
 * import { globalLogBeginner, Logger, textFileLogObserver } from 'twisted-ts/logger';
 * globalLogBeginner.beginLoggingTo([textFileLogObserver(process.stdout)]);
 * new Logger('my.ns').info('Accepted {peer}', { peer: '127.0.0.1:4000' });
 * // 2026-11-23T21:33:05+0000 [my.ns#info] Accepted 127.0.0.1:4000
 * ```
 * @module
 */
export * from './beginner.js';
export * from './capture.js';
export * from './event.js';
export * from './filtering.js';
export * from './format.js';
export * from './levels.js';
export * from './logger.js';
export * from './observers.js';
export * from './publisher.js';
