/**
 * `twisted-ts/protocols/tls`: TLS as a wrapping protocol over any transport
 * (`TLSMemoryBIOFactory`, `TLSMemoryBIOProtocol`).
 *
 * @example
 * ```ts
 * import { TLSMemoryBIOFactory } from 'twisted-ts/protocols/tls';
 * const { client, server, pump } = connectedServerAndClient(
 *   new TLSMemoryBIOFactory({ key, cert }, false, serverFactory),
 *   new TLSMemoryBIOFactory({ ca, servername: 'localhost' }, true, clientFactory),
 * );
 * ```
 * @module
 */
export * from './memory-bio.js';
