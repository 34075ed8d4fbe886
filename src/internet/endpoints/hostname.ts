/**
 * `HostnameEndpoint`: connects to a host name the way browsers do (RFC 8305 "happy eyeballs"):
 * resolve every address, interleave IPv6 and IPv4, start one attempt, and start the next one 0.3 s
 * later (on the reactor's clock) or as soon as the previous attempt fails; the first connection
 * wins and every other attempt is cancelled.
 *
 * @example
 * ```ts
 * import { HostnameEndpoint } from 'twisted-ts/internet';
 * const proto = await new HostnameEndpoint(reactor, 'example.com', 80).connect(factory);
 * ```
 * @module
 */
import { Deferred } from '../defer.js';
import { DNSLookupError } from '../error.js';
import type {
  ConnectTCPOptions,
  IDelayedCall,
  IProtocol,
  IProtocolFactory,
  IPv4Address,
  IPv6Address,
  IReactorTCP,
  IReactorTime,
} from '../interfaces.js';
import { getResolver, type HasNameResolver, type IHostnameResolver } from '../resolver.js';
import type { IStreamClientEndpoint } from './interfaces.js';
import { TCP4ClientEndpoint } from './tcp.js';
import { ConnectingCancelledError } from './wrapping-factory.js';

/**
 * Options of `HostnameEndpoint`.
 *
 * @example
 * ```ts
 * new HostnameEndpoint(reactor, 'example.com', 443, { timeout: 10, attemptDelay: 0.25 });
 * ```
 */
export interface HostnameEndpointOptions extends ConnectTCPOptions {
  /** How names are resolved (default: the reactor's `nameResolver`, else `getResolver()`). */
  resolver?: IHostnameResolver;
  /** Seconds between starting attempts (default 0.3, as in Twisted and RFC 8305). */
  attemptDelay?: number;
}

/**
 * Orders addresses for happy eyeballs: alternate families, starting with the family of the first
 * address the resolver returned.
 *
 * @example
 * ```ts
 * interleaveFamilies([v6a, v6b, v4a]); // [v6a, v4a, v6b]
 * ```
 */
export function interleaveFamilies<
  A extends {
    /** The address family (`'IPv4'` or `'IPv6'`); only equality between addresses matters. */
    family: string;
  },
>(addresses: readonly A[]): A[] {
  const first = addresses[0];
  if (first === undefined) return [];
  const a = addresses.filter((x) => x.family === first.family);
  const b = addresses.filter((x) => x.family !== first.family);
  const out: A[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i < a.length) out.push(a[i]!);
    if (i < b.length) out.push(b[i]!);
  }
  return out;
}

/**
 * A client endpoint for a host name: resolves it, then races the addresses (see the module doc).
 * `connect()` is cancellable; it errbacks with the last attempt's error when every address fails.
 *
 * @example
 * ```ts
 * const ep = new HostnameEndpoint(reactor, 'localhost', 8080, { timeout: 10 });
 * ```
 */
export class HostnameEndpoint implements IStreamClientEndpoint {
  readonly #reactor: IReactorTCP & IReactorTime & HasNameResolver;
  readonly #host: string;
  readonly #port: number;
  readonly #options: HostnameEndpointOptions;

  constructor(
    reactor: IReactorTCP & IReactorTime & HasNameResolver,
    host: string,
    port: number,
    options: HostnameEndpointOptions = {},
  ) {
    this.#reactor = reactor;
    this.#host = host;
    this.#port = port;
    this.#options = options;
  }

  connect(factory: IProtocolFactory): Deferred<IProtocol> {
    const race = new Race(this.#reactor, factory, this.#options);
    const result = new Deferred<IProtocol>((d) => {
      d.errback(new ConnectingCancelledError());
      race.cancel();
    });
    race.result = result;
    const resolver = this.#options.resolver ?? this.#reactor.nameResolver ?? getResolver();
    const resolving = resolver.resolveHostName(this.#host, this.#port);
    race.resolving = resolving;
    resolving.addCallbacks(
      (addresses) => {
        race.resolving = null;
        if (result.called) return;
        if (addresses.length === 0) {
          result.errback(new DNSLookupError(`DNS lookup of ${this.#host} returned no address`));
          return;
        }
        race.start(interleaveFamilies(addresses));
      },
      (err) => {
        race.resolving = null;
        if (!result.called) result.errback(err);
      },
    );
    return result;
  }
}

/** One `connect()` in progress. */
class Race {
  readonly #reactor: IReactorTCP & IReactorTime & HasNameResolver;
  readonly #factory: IProtocolFactory;
  readonly #options: HostnameEndpointOptions;
  result: Deferred<IProtocol> | null = null;
  resolving: { cancel(): void } | null = null;
  #pending: (IPv4Address | IPv6Address)[] = [];
  readonly #attempts = new Set<Deferred<IProtocol>>();
  #timer: IDelayedCall | null = null;
  #lastError: Error | null = null;

  constructor(
    reactor: IReactorTCP & IReactorTime & HasNameResolver,
    factory: IProtocolFactory,
    options: HostnameEndpointOptions,
  ) {
    this.#reactor = reactor;
    this.#factory = factory;
    this.#options = options;
  }

  start(addresses: (IPv4Address | IPv6Address)[]): void {
    this.#pending = addresses;
    this.#next();
  }

  #next(): void {
    if (this.#timer?.active()) this.#timer.cancel();
    this.#timer = null;
    const address = this.#pending.shift();
    if (address === undefined) {
      if (this.#attempts.size === 0)
        this.result?.errback(this.#lastError ?? new DNSLookupError('No address to try.'));
      return;
    }
    const { resolver: _r, attemptDelay, ...tcpOptions } = this.#options;
    const attempt = new TCP4ClientEndpoint(this.#reactor, address.host, address.port, tcpOptions).connect(
      this.#factory,
    );
    this.#attempts.add(attempt);
    attempt.addCallbacks(
      (proto) => {
        this.#attempts.delete(attempt);
        this.#win(proto);
      },
      (err) => {
        this.#attempts.delete(attempt);
        if (err instanceof ConnectingCancelledError) return;
        this.#lastError = err;
        if (this.result?.called) return;
        this.#next();
      },
    );
    if (this.#pending.length > 0 && !this.result?.called) {
      this.#timer = this.#reactor.callLater(attemptDelay ?? 0.3, () => {
        this.#timer = null;
        this.#next();
      });
    }
  }

  #win(proto: IProtocol): void {
    this.#stopOthers();
    this.result?.callback(proto);
  }

  #stopOthers(): void {
    if (this.#timer?.active()) this.#timer.cancel();
    this.#timer = null;
    this.#pending = [];
    for (const a of [...this.#attempts]) a.cancel();
    this.#attempts.clear();
  }

  cancel(): void {
    this.resolving?.cancel();
    this.#stopOthers();
  }
}
