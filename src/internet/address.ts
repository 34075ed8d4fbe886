/**
 * Address values for `getPeer()`/`getHost()` and `buildProtocol(addr)`: plain frozen objects that
 * satisfy `IPv4Address`/`IPv6Address` from `interfaces.ts`, built from what Node reports.
 *
 * @example
 * ```ts
 * import { ipAddress } from 'twisted-ts/internet';
 * ipAddress('TCP', '127.0.0.1', 8080); // { type: 'TCP', family: 'IPv4', host: '127.0.0.1', port: 8080 }
 * ```
 * @module
 */
import type { IPv4Address, IPv6Address } from './interfaces.js';

/**
 * An IPv4 or IPv6 address, by the shape of `host` (a host with a colon is IPv6). IPv4-mapped IPv6
 * hosts (`::ffff:1.2.3.4`) stay IPv6, as Node reports them.
 *
 * @example
 * ```ts
 * ipAddress('TCP', '::1', 80).family; // 'IPv6'
 * ```
 */
export function ipAddress(type: 'TCP' | 'UDP', host: string, port: number): IPv4Address | IPv6Address {
  // Node reports IPv4 hosts dotted and IPv6 hosts with colons; a colon is all it takes to tell them apart.
  if (host.includes(':')) return Object.freeze({ type, family: 'IPv6', host, port });
  return Object.freeze({ type, family: 'IPv4', host, port });
}

/**
 * The fields Node's `socket.address()` / `server.address()` return: what `fromNodeAddress` takes.
 *
 * @example
 * ```ts
 * const info: NodeAddressInfo = { address: socket.remoteAddress, port: socket.remotePort };
 * fromNodeAddress('TCP', info);
 * ```
 */
export interface NodeAddressInfo {
  /** The IP address as Node reports it; undefined once the socket is closed. */
  address?: string | undefined;
  /** The port; undefined once the socket is closed. */
  port?: number | undefined;
}

/**
 * Converts Node's `{ address, port }` (from `socket.address()`, `server.address()`, or a socket's
 * `remoteAddress`/`remotePort`) into an address value. Missing fields (a closed socket) become
 * `0.0.0.0:0`.
 *
 * @example
 * ```ts
 * const host = fromNodeAddress('TCP', server.address() as AddressInfo);
 * ```
 */
export function fromNodeAddress(
  type: 'TCP' | 'UDP',
  info: NodeAddressInfo | null,
): IPv4Address | IPv6Address {
  return ipAddress(type, info?.address ?? '0.0.0.0', info?.port ?? 0);
}
