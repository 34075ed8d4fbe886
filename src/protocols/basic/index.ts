/**
 * `twisted-ts/protocols/basic`: framing building blocks — `LineReceiver`, `LineOnlyReceiver`,
 * `NetstringReceiver`, `Int8/16/32StringReceiver`, `StatefulProtocol`, the `lines()` async
 * iterator, and the sans-IO codecs under them.
 *
 * @example
 * ```ts
 * import { LineReceiver } from 'twisted-ts/protocols/basic';
 * class Echo extends LineReceiver {
 *   override lineReceived(line: Buffer) { this.sendLine(line); }
 * }
 * ```
 * @module
 */
export * from './codec/index.js';
export * from './int-string-receiver.js';
export * from './line-only-receiver.js';
export * from './line-receiver.js';
export * from './lines.js';
export * from './netstring-receiver.js';
export * from './stateful-protocol.js';
