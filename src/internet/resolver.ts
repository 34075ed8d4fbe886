/**
 * Name resolution: `resolve(name)` (Twisted's `reactor.resolve`, first IPv4 address) and the
 * `IHostnameResolver` contract that `HostnameEndpoint` uses to get every address of a host.
 *
 * The default resolver calls `node:dns` `lookup` (the system's `getaddrinfo`, so `/etc/hosts` and
 * `localhost` work). It is replaceable globally with `setResolver` or per call with the `resolver`
 * option; a reactor may also carry its own in a `nameResolver` property (as Twisted's does).
 *
 * Names under the special-use `.invalid` top-level domain (RFC 6761 §6.4) fail at once with
 * `DNSLookupError`, without asking the system. IP literals resolve to themselves.
 *
 * @example
 * ```ts
 * import { resolve } from 'twisted-ts/internet';
 * const ip = await resolve('localhost'); // '127.0.0.1'
 * ```
 * @module
 */
import { lookup } from 'node:dns';
import { isIP } from 'node:net';
import { ipAddress } from './address.js';
import { CancelledError, Deferred } from './defer.js';
import { DNSLookupError } from './error.js';
import type { IPv4Address, IPv6Address } from './interfaces.js';

/**
 * An address family a resolution may return.
 *
 * @example
 * ```ts
 * const addressTypes: AddressType[] = ['IPv6'];
 * const v6 = await getResolver().resolveHostName('localhost', 80, { addressTypes });
 * ```
 */
export type AddressType = 'IPv4' | 'IPv6';

/**
 * Options of `IHostnameResolver.resolveHostName`.
 *
 * @example
 * ```ts
 * const v6: ResolveHostNameOptions = { addressTypes: ['IPv6'], transportSemantics: 'UDP' };
 * await getResolver().resolveHostName('localhost', 53, v6); // [IPv6Address { type: 'UDP', … }]
 * ```
 */
export interface ResolveHostNameOptions {
  /** Families wanted (default both). */
  readonly addressTypes?: readonly AddressType[];
  /** The `type` of the returned addresses: `'TCP'` (stream, the default) or `'UDP'` (datagram). */
  readonly transportSemantics?: 'TCP' | 'UDP';
}

/**
 * Resolves a host name to all its addresses; Twisted's `IHostnameResolver` with the receiver
 * replaced by a Deferred. The Deferred errbacks with `DNSLookupError` when the name has no address.
 *
 * @example
 * ```ts
 * // A fixed table, for tests or a service-discovery lookup:
 * const table: IHostnameResolver = {
 *   resolveHostName: (_name, port = 0) => succeed([ipAddress('TCP', '10.0.0.7', port)]),
 * };
 * setResolver(table);
 * ```
 */
export interface IHostnameResolver {
  /**
   * All addresses of `name` with `port` filled in, in the order to try them; cancelling the
   * Deferred abandons the lookup.
   */
  resolveHostName(
    name: string,
    port?: number,
    options?: ResolveHostNameOptions,
  ): Deferred<(IPv4Address | IPv6Address)[]>;
}

/**
 * Something that may carry its own resolver (a reactor with a `nameResolver`).
 *
 * @example
 * ```ts
 * const reactorWithDns: HasNameResolver = Object.assign(reactor, { nameResolver: myResolver });
 * await resolve('example.com', { reactor: reactorWithDns });
 * ```
 */
export interface HasNameResolver {
  /** Used instead of the global resolver for names resolved on behalf of this reactor. */
  readonly nameResolver?: IHostnameResolver | undefined;
}

/** True for names in the special-use `.invalid` domain, which never resolve (RFC 6761). */
function isInvalidName(name: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  return n === 'invalid' || n.endsWith('.invalid');
}

function lookupError(name: string, cause?: unknown): DNSLookupError {
  return new DNSLookupError(`DNS lookup failed: address '${name}' not found.`, { cause });
}

/**
 * The default resolver, over `node:dns` `lookup` (the system's `getaddrinfo`). Cancelling the
 * Deferred errbacks it with `CancelledError`; the lookup itself runs to completion and is ignored.
 *
 * @example
 * ```ts
 * const addrs = await new SystemResolver().resolveHostName('localhost', 80);
 * ```
 */
export class SystemResolver implements IHostnameResolver {
  /**
   * Asks `getaddrinfo` (so `/etc/hosts` applies); IP literals come back as is and `.invalid`
   * names fail without a lookup.
   */
  resolveHostName(
    name: string,
    port = 0,
    options: ResolveHostNameOptions = {},
  ): Deferred<(IPv4Address | IPv6Address)[]> {
    const types = options.addressTypes ?? ['IPv4', 'IPv6'];
    const semantics = options.transportSemantics ?? 'TCP';
    const d = new Deferred<(IPv4Address | IPv6Address)[]>((dd) => dd.errback(new CancelledError()));
    const literal = isIP(name);
    if (literal !== 0) {
      const family: AddressType = literal === 4 ? 'IPv4' : 'IPv6';
      if (types.includes(family)) d.callback([ipAddress(semantics, name, port)]);
      else d.errback(lookupError(name));
      return d;
    }
    if (isInvalidName(name) || types.length === 0) {
      d.errback(lookupError(name));
      return d;
    }
    const family = types.length === 1 ? (types[0] === 'IPv4' ? 4 : 6) : 0;
    lookup(name, { all: true, family }, (err, addresses) => {
      if (d.called) return;
      if (err !== null) {
        d.errback(lookupError(name, err));
        return;
      }
      const result = addresses
        .filter((a) => types.includes(a.family === 6 ? 'IPv6' : 'IPv4'))
        .map((a) => ipAddress(semantics, a.address, port));
      if (result.length === 0) d.errback(lookupError(name));
      else d.callback(result);
    });
    return d;
  }
}

let globalResolver: IHostnameResolver = new SystemResolver();

/**
 * Replaces the resolver used when neither the call nor the reactor names one; returns the previous
 * one (so a test can put it back).
 *
 * @example
 * ```ts
 * const previous = setResolver(myDnsClient);
 * ```
 */
export function setResolver(resolver: IHostnameResolver): IHostnameResolver {
  const previous = globalResolver;
  globalResolver = resolver;
  return previous;
}

/**
 * The resolver used when neither the call nor the reactor names one.
 *
 * @example
 * ```ts
 * const addrs = await getResolver().resolveHostName('example.com', 443);
 * ```
 */
export function getResolver(): IHostnameResolver {
  return globalResolver;
}

/**
 * Options of `resolve`.
 *
 * @example
 * ```ts
 * const ip = await resolve('db.internal', { resolver: consulResolver });
 * ```
 */
export interface ResolveOptions {
  /** The resolver to use (default: the reactor's `nameResolver`, else `getResolver()`). */
  readonly resolver?: IHostnameResolver;
  /** A reactor whose `nameResolver`, when it has one, is used. */
  readonly reactor?: HasNameResolver;
}

/**
 * Resolves `name` to its first IPv4 address, like Twisted's `reactor.resolve`. Errbacks with
 * `DNSLookupError` when the name has no IPv4 address.
 *
 * @example
 * ```ts
 * resolve('localhost').addCallback((ip) => console.log(ip)); // 127.0.0.1
 * ```
 */
export function resolve(name: string, options: ResolveOptions = {}): Deferred<string> {
  const resolver = options.resolver ?? options.reactor?.nameResolver ?? globalResolver;
  return resolver.resolveHostName(name, 0, { addressTypes: ['IPv4'] }).addCallback((addresses) => {
    const first = addresses.find((a) => a.family === 'IPv4');
    if (first === undefined) throw lookupError(name);
    return first.host;
  });
}
