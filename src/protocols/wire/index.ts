/**
 * `twisted-ts/protocols/wire`: the tiny standard services — Echo (RFC 862), Discard (RFC 863),
 * Chargen (RFC 864), QOTD (RFC 865), Daytime (RFC 867) and Time (RFC 868) — each with a factory
 * ready for `listenTCP` (and the `twist` plugins).
 *
 * @example
 * ```ts
 * import { EchoFactory } from 'twisted-ts/protocols/wire';
 * reactor.listenTCP(8007, new EchoFactory());
 * ```
 * @module
 */
export * from './chargen.js';
export * from './daytime.js';
export * from './discard.js';
export * from './echo.js';
export * from './qotd.js';
