/**
 * What a PROXY protocol header says (HAProxy's PROXY protocol, versions 1 and 2): the addresses of
 * the connection the proxy accepted. Plain values, no engine types, so the codec stays pure; the
 * address shapes match `twisted-ts/internet`'s `IPv4Address`/`IPv6Address`/`UNIXAddress`.
 *
 * @example
 * ```ts
 * import type { ProxyInfo } from 'twisted-ts/protocols/haproxy';
 * function client(info: ProxyInfo) { return info.source ?? 'the proxy itself'; }
 * ```
 * @module
 */

/**
 * An IP endpoint from a header.
 *
 * @example
 * ```ts
 * if (info.source?.type === 'TCP') log.info('client {host}:{port}', info.source);
 * ```
 */
export interface ProxyIPAddress {
  /** The proxied transport (`'TCP'` or `'UDP'`), as `IPv4Address.type` names it. */
  readonly type: 'TCP' | 'UDP';
  /** The IP version; v1 headers say it with `TCP4`/`TCP6`. */
  readonly family: 'IPv4' | 'IPv6';
  /** The IP address in text form (`'192.0.2.7'`, `'2001:db8::1'`), never a hostname. */
  readonly host: string;
  /** The port number (0–65535). */
  readonly port: number;
}

/**
 * A UNIX socket endpoint from a v2 header (`name` null when empty).
 *
 * @example
 * ```ts
 * if (info.source?.type === 'UNIX') log.info('client on {name}', { name: info.source.name });
 * ```
 */
export interface ProxyUNIXAddress {
  /** Always `'UNIX'`, as `UNIXAddress.type`. */
  readonly type: 'UNIX';
  /** The socket path, or null when the header's address field was empty (an unbound client). */
  readonly name: string | null;
}

/**
 * Any address a header carries.
 *
 * @example
 * ```ts
 * const peer: ProxyAddress | null = info.command === 'PROXY' ? info.source : null;
 * ```
 */
export type ProxyAddress = ProxyIPAddress | ProxyUNIXAddress;

/**
 * A decoded header.
 *
 * @example
 * ```ts
 * if (info.command === 'LOCAL') return; // a health check: keep the real addresses
 * ```
 */
export interface ProxyInfo {
  /** 1 (text) or 2 (binary). */
  readonly version: 1 | 2;
  /**
   * `'PROXY'`: the addresses are the proxied client's; `'LOCAL'`: the proxy's own connection
   * (health check), keep the real addresses. v1 `UNKNOWN` counts as `'LOCAL'`.
   */
  readonly command: 'PROXY' | 'LOCAL';
  /** The original client's address, or null when the header carries none. */
  readonly source: ProxyAddress | null;
  /** The address the client connected to, or null. */
  readonly destination: ProxyAddress | null;
}

/**
 * Events of `ProxyHeaderParser.receive`.
 *
 * @example
 * ```ts
 * for (const ev of parser.receive(data)) if (ev.type === 'headerReceived') start(ev.info, ev.rest);
 * ```
 */
export type ProxyHeaderEvent =
  | {
      /** A complete, valid header was read. */
      readonly type: 'headerReceived';
      /** What the header says. */
      readonly info: ProxyInfo;
      /** Bytes after the header: the start of the proxied stream. */
      readonly rest: Buffer;
    }
  | {
      /** The bytes are not a PROXY header; drop the connection, do not guess. */
      readonly type: 'headerInvalid';
      /** Why the bytes are not a valid header (for the log). */
      readonly reason: string;
    };
