/**
 * The sans-IO HTTP/1.1 codec: `HttpRequestParser` (bytes → request events) and the response
 * serializer (head, framing, chunks). Imports nothing from `internet/`, no sockets, no timers;
 * `HTTPChannel` adapts it to a transport. Limits and the statuses they answer: `limits.ts`.
 *
 * @example
 * ```ts
 * import { HttpRequestParser, serializeResponseHead } from './codec/index.js';
 * ```
 * @module
 */
export * from './abnf.js';
export * from './body-reader.js';
export * from './bytes.js';
export * from './events.js';
export * from './fields.js';
export * from './http-date.js';
export * from './limits.js';
export * from './receive-buffer.js';
export * from './request-parser.js';
export * from './serializer.js';
export * from './status.js';
