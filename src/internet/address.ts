/**
 * Addresses for `getPeer()`/`getHost()` and `buildProtocol(addr)`: the contracts (`IPv4Address`,
 * `IPv6Address`, `UNIXAddress`, `IAddress`) and the plain frozen objects that satisfy them, built
 * from what Node reports.
 *
 * @example
 * ```ts
 * import { ipAddress } from 'twisted-ts/internet';
 * ipAddress('TCP', '127.0.0.1', 8080); // { type: 'TCP', family: 'IPv4', host: '127.0.0.1', port: 8080 }
 * ```
 * @module
 */

/**
 * An IPv4 socket address, as `getPeer()`/`getHost()` return it on a TCP or UDP transport; Twisted's
 * `IPv4Address`. Address values are frozen plain objects: compare their fields, not identity.
 *
 * @example
 * ```ts
 * const peer: IPv4Address | IPv6Address = (this.transport as ITCPTransport).getPeer();
 * console.log(`${peer.family} ${peer.host}:${peer.port}`);
 * ```
 */
export interface IPv4Address {
  /** The transport kind: `'TCP'` for streams (TCP and TLS over TCP), `'UDP'` for datagrams. */
  readonly type: 'TCP' | 'UDP';
  /** Tells an IPv4 address from an IPv6 one when both are possible. */
  readonly family: 'IPv4';
  /** Dotted-quad host, e.g. `'127.0.0.1'` (only a connector's `getDestination()` may hold a name). */
  readonly host: string;
  /** Port number (1–65535; 0 only for an address not yet bound). */
  readonly port: number;
}

/**
 * An IPv6 socket address; Twisted's `IPv6Address`. IPv4-mapped hosts (`::ffff:1.2.3.4`) stay IPv6,
 * as Node reports them.
 *
 * @example
 * ```ts
 * const host = (this.transport as ITCPTransport).getHost();
 * if (host.family === 'IPv6') console.log(`[${host.host}]:${host.port}`);
 * ```
 */
export interface IPv6Address {
  /** The transport kind: `'TCP'` for streams, `'UDP'` for datagrams. */
  readonly type: 'TCP' | 'UDP';
  /** Tells an IPv6 address from an IPv4 one. */
  readonly family: 'IPv6';
  /** Host in colon notation without brackets, e.g. `'::1'`. */
  readonly host: string;
  /** Port number (0 only for an address not yet bound). */
  readonly port: number;
  /** The IPv6 flow label, when known; Twisted's `flowInfo`. */
  readonly flowInfo?: number;
  /** The zone of a link-local address (an interface index or name, e.g. `'eth0'` in `fe80::1%eth0`). */
  readonly scopeId?: number | string;
}

/**
 * A UNIX socket address (`name` is the path, or `\0name` in Linux's abstract namespace); Twisted's
 * `UNIXAddress`.
 *
 * @example
 * ```ts
 * const peer = this.transport!.getPeer();
 * if (peer.type === 'UNIX') console.log('client on', (peer as UNIXAddress).name ?? 'an unbound socket');
 * ```
 */
export interface UNIXAddress {
  /** Always `'UNIX'`: discriminates this from IP addresses. */
  readonly type: 'UNIX';
  /** The socket's path, or `null` for an unbound (client) socket, which has no name. */
  readonly name: string | null;
}

/**
 * Any address a transport can report; discriminate on `type` (and `family` for IP).
 *
 * @example
 * ```ts
 * function describe(addr: IAddress): string {
 *   if (addr.type === 'UNIX') return `unix:${(addr as UNIXAddress).name}`;
 *   const ip = addr as IPv4Address | IPv6Address;
 *   return `${addr.type} ${ip.host}:${ip.port}`;
 * }
 * ```
 */
export type IAddress =
  | IPv4Address
  | IPv6Address
  | UNIXAddress
  | {
      /** The transport kind of an address that is not IP or UNIX (e.g. `'process'`, `'pipe'`). */
      readonly type: string;
    };

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
