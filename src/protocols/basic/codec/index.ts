/**
 * The sans-IO framing codecs behind `twisted-ts/protocols/basic`: lines, netstrings,
 * length-prefixed strings and fixed-size pieces. Pure: no sockets, no timers, no reactor.
 *
 * @example
 * ```ts
 * import { LineCodec } from 'twisted-ts/protocols/basic';
 * new LineCodec().receive(Buffer.from('hello\r\n'));
 * ```
 * @module
 */
export * from './chunk-buffer.js';
export * from './int-string-codec.js';
export * from './line-codec.js';
export * from './netstring-codec.js';
export * from './stateful-codec.js';
