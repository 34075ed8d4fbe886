/**
 * `Agent`: makes HTTP/1.1 requests over pooled connections, as Twisted's `Agent`.
 * `request(method, uri, headers?, bodyProducer?, { signal })` fires with an `IResponse` once its
 * head has arrived; read the body with `readBody` or `deliverBody`. `http` URIs connect over TCP,
 * `https` ones through a `TLSClientEndpoint` verified by the `tlsPolicy`
 * (`BrowserLikePolicyForHTTPS` by default: a failure is a `TLSError` saying what failed);
 * `Agent.usingEndpointFactory` carries requests over any endpoint (UNIX socket, in-memory).
 * Subclasses choose other routes by overriding `route` (`ProxyAgent`).
 *
 * Timeouts, each with its own error: `connectTimeout` (`ConnectTimeoutError`, TLS handshake
 * included), `headersTimeout` (`ResponseHeadersTimeoutError`), `bodyTimeout` (`BodyTimeoutError`,
 * inside `ResponseFailed` for body protocols; `readBody` errbacks with it). Cancelling the Deferred
 * or aborting the signal aborts the connection; aborting the signal while the body streams fails
 * the body with `ResponseFailed` carrying `RequestAbortedError`.
 *
 * @example
 * ```ts
 * import { Agent, readBody } from 'twisted-ts/web/client';
 * import { reactor } from 'twisted-ts/internet';
 * const agent = new Agent(reactor);
 * const response = await agent.request('GET', 'http://127.0.0.1:8080/');
 * console.log(response.code, (await readBody(response)).toString());
 * ```
 * @module
 */
import { isIP } from 'node:net';
import { CancelledError, type Deferred, fail } from '../../internet/defer.js';
import { HostnameEndpoint } from '../../internet/endpoints/hostname.js';
import type { IStreamClientEndpoint } from '../../internet/endpoints/interfaces.js';
import type { SSLReactor } from '../../internet/endpoints/ssl.js';
import { TCP4ClientEndpoint } from '../../internet/endpoints/tcp.js';
import type { IReactorTCP, IReactorTime } from '../../internet/interfaces.js';
import type { HasNameResolver } from '../../internet/resolver.js';
import { Headers } from '../headers.js';
import type { HttpLimits } from '../http/codec/limits.js';
import { ConnectTimeoutError, SchemeNotSupported } from './errors.js';
import { ClientRequest } from './http11-client-protocol.js';
import type {
  HeadersInit,
  IAgent,
  IAgentEndpointFactory,
  IBodyProducer,
  IResponse,
  RequestOptions,
} from './interfaces.js';
import { type ConnectionSettings, HTTPConnectionPool } from './pool.js';
import { TLSClientEndpoint } from './tls-client-endpoint.js';
import { BrowserLikePolicyForHTTPS, type IPolicyForHTTPS } from './tls-policy.js';

/**
 * What an `Agent` needs from a reactor.
 *
 * @example
 * ```ts
 * const r: AgentReactor = reactor; // the global reactor: TCP, TLS, timers and a name resolver
 * const agent = new Agent(r);
 * ```
 */
export type AgentReactor = IReactorTCP & IReactorTime & HasNameResolver & SSLReactor;

/**
 * Options of `Agent`.
 *
 * @example
 * ```ts
 * const agent = new Agent(reactor, {
 *   pool: new HTTPConnectionPool(reactor, { maxPersistentPerHost: 4 }),
 *   connectTimeout: 10,
 *   headersTimeout: 30,
 *   tlsPolicy: new BrowserLikePolicyForHTTPS({ trustRoot: readFileSync('ca.pem') }),
 * });
 * ```
 */
export interface AgentOptions {
  /** The connection pool (default: a non-persistent one, as in Twisted). */
  pool?: HTTPConnectionPool;
  /** Seconds to establish a connection (default 30). */
  connectTimeout?: number;
  /** Seconds from sending a request to its response head; 0 disables (default 0). */
  headersTimeout?: number;
  /** Longest silence in seconds inside a body; 0 disables (default 0). */
  bodyTimeout?: number;
  /** Local `[host, port]` to bind outgoing connections to. */
  bindAddress?: readonly [string, number];
  /** TLS settings per host for `https` (default `BrowserLikePolicyForHTTPS`). */
  tlsPolicy?: IPolicyForHTTPS;
  /** Response parser limits. */
  limits?: HttpLimits;
}

/**
 * Where an agent sends a request for a URI: the pool key, the endpoint, and how the request target
 * is written. `Agent.route` returns one per request; `ProxyAgent` overrides it.
 *
 * @example
 * ```ts
 * class PinnedAgent extends Agent {
 *   protected override route(url: URL): AgentRoute {
 *     return { key: `pinned ${url.host}`, endpoint: new TCP4ClientEndpoint(reactor, '10.0.0.5', 80) };
 *   }
 * }
 * ```
 */
export interface AgentRoute {
  /** Connections are pooled (and reused) per key. */
  readonly key: string;
  /** What connects (a new connection is made only when the pool has no idle one for `key`). */
  readonly endpoint: IStreamClientEndpoint;
  /** Write the absolute URI as the request target, as a request to an HTTP proxy must. */
  readonly absoluteForm?: boolean;
  /** Header fields added to every request on this route, flattened (`Proxy-Authorization`). */
  readonly headers?: readonly string[];
}

/** A parsed request URI (cached per agent). */
interface Target {
  readonly url: URL;
  readonly href: string;
  readonly host: string;
  /** origin-form: path and query. */
  readonly path: string;
  /** absolute-form: the URI without its fragment. */
  readonly absolute: string;
  /** The route, when it may be cached (a custom endpoint factory is asked each time). */
  readonly route: AgentRoute | null;
}

const TARGET_CACHE_SIZE = 1024;

/** Endpoints for `http`/`https` URIs over TCP and TLS. */
class StandardEndpointFactory implements IAgentEndpointFactory {
  readonly #reactor: AgentReactor;
  readonly #options: AgentOptions;
  readonly #policy: IPolicyForHTTPS;
  constructor(reactor: AgentReactor, options: AgentOptions) {
    this.#reactor = reactor;
    this.#options = options;
    this.#policy = options.tlsPolicy ?? new BrowserLikePolicyForHTTPS();
  }
  endpointForURI(uri: URL): IStreamClientEndpoint {
    const [host, port] = hostAndPort(uri);
    const tcp: { timeout: number; bindAddress?: readonly [string, number] } = {
      timeout: this.#options.connectTimeout ?? 30,
    };
    if (this.#options.bindAddress !== undefined) tcp.bindAddress = this.#options.bindAddress;
    const endpoint =
      isIP(host) !== 0
        ? new TCP4ClientEndpoint(this.#reactor, host, port, tcp)
        : new HostnameEndpoint(this.#reactor, host, port, tcp);
    if (uri.protocol !== 'https:') return endpoint;
    return new TLSClientEndpoint(endpoint, host, this.#policy.creatorForNetloc(host, port));
  }
}

/**
 * The host (IPv6 without brackets) and port (the scheme's default when absent) of an http(s) URI.
 *
 * @example
 * ```ts
 * hostAndPort(new URL('https://[::1]/')); // ['::1', 443]
 * ```
 */
export function hostAndPort(uri: URL): [string, number] {
  const h = uri.hostname;
  const host = h.startsWith('[') ? h.slice(1, -1) : h;
  if (uri.port !== '') return [host, Number(uri.port)];
  return [host, uri.protocol === 'https:' ? 443 : 80];
}

/**
 * Headers from `init` (a copy when it is a `Headers`).
 *
 * @example
 * ```ts
 * toHeaders({ accept: 'application/json' }).getHeader('Accept'); // 'application/json'
 * ```
 */
export function toHeaders(init: HeadersInit | null | undefined): Headers {
  const h = new Headers();
  if (init === null || init === undefined) return h;
  if (init instanceof Headers) {
    const flat = init.toFlat();
    for (let i = 0; i < flat.length; i += 2) h.addRawHeader(flat[i] as string, flat[i + 1] as string);
    return h;
  }
  for (const [k, v] of Object.entries(init)) {
    if (typeof v === 'string') h.setRawHeaders(k, [v]);
    else h.setRawHeaders(k, v as readonly string[]);
  }
  return h;
}

/**
 * The agent; see the module doc.
 *
 * @example
 * ```ts
 * const agent = new Agent(reactor, { connectTimeout: 10 });
 * const response = await agent.request('GET', 'http://127.0.0.1:8080/status', { accept: 'text/plain' });
 * console.log(response.code, (await readBody(response)).toString());
 * ```
 */
export class Agent implements IAgent {
  readonly #reactor: IReactorTime;
  readonly #pool: HTTPConnectionPool;
  readonly #endpoints: IAgentEndpointFactory;
  readonly #settings: { -readonly [K in keyof ConnectionSettings]: ConnectionSettings[K] };
  readonly #connectTimeout: number;

  constructor(reactor: AgentReactor, options: AgentOptions = {}) {
    this.#reactor = reactor;
    this.#pool = options.pool ?? new HTTPConnectionPool(reactor, { persistent: false });
    this.#endpoints = new StandardEndpointFactory(reactor, options);
    this.#settings = {
      headersTimeout: options.headersTimeout ?? 0,
      bodyTimeout: options.bodyTimeout ?? 0,
    };
    if (options.limits !== undefined) this.#settings.limits = options.limits;
    this.#connectTimeout = options.connectTimeout ?? 30;
  }

  /**
   * An agent whose connections come from `endpointFactory.endpointForURI(uri)`.
   *
   * @example
   * ```ts
   * const agent = Agent.usingEndpointFactory(reactor, { endpointForURI: () => new UNIXClientEndpoint(reactor, '/run/app.sock') });
   * ```
   */
  static usingEndpointFactory(
    reactor: AgentReactor,
    endpointFactory: IAgentEndpointFactory,
    pool?: HTTPConnectionPool,
    options: Omit<AgentOptions, 'pool' | 'tlsPolicy' | 'bindAddress'> = {},
  ): Agent {
    const agent = new Agent(reactor, pool === undefined ? options : { ...options, pool });
    agent.#endpointsOverride = endpointFactory;
    return agent;
  }

  #endpointsOverride: IAgentEndpointFactory | null = null;
  readonly #targets = new Map<string, Target>();

  /**
   * Where a request for `url` goes: by default the pool key is scheme, host and port, and the
   * endpoint comes from the endpoint factory. Subclasses override it (`ProxyAgent`).
   *
   * @example
   * ```ts
   * class Pinned extends Agent {
   *   protected override route(url: URL): AgentRoute {
   *     return { key: 'pinned', endpoint: new TCP4ClientEndpoint(reactor, '10.0.0.5', 80) };
   *   }
   * }
   * ```
   */
  protected route(url: URL): AgentRoute {
    const factory = this.#endpointsOverride ?? this.#endpoints;
    return { key: `${url.protocol}//${url.host}`, endpoint: factory.endpointForURI(url) };
  }

  /**
   * True when `route(url)` gives the same answer for every request to a URI, so it is computed
   * once per URI (false for a custom endpoint factory, which is asked each time, as in Twisted).
   *
   * @example
   * ```ts
   * protected override get routesCacheable() { return true; }
   * ```
   */
  protected get routesCacheable(): boolean {
    return this.#endpointsOverride === null;
  }

  #routeWithTimeout(url: URL): AgentRoute {
    const route = this.route(url);
    const endpoint = withConnectTimeout(route.endpoint, this.#connectTimeout, this.#reactor);
    return endpoint === route.endpoint ? route : { ...route, endpoint };
  }

  /** Parses `uri` once; a cacheable route is chosen here and reused. */
  #parse(uri: string): Target {
    const url = new URL(uri);
    const cacheable = this.routesCacheable;
    if (url.protocol !== 'http:' && url.protocol !== 'https:' && this.#endpointsOverride === null) {
      throw new SchemeNotSupported(`Unsupported scheme: ${url.protocol.slice(0, -1)}`);
    }
    const path = `${url.pathname}${url.search}`;
    const href = url.href;
    const hash = href.indexOf('#');
    return {
      url,
      href,
      host: url.host,
      path: path === '' ? '/' : path,
      absolute: hash < 0 ? href : href.slice(0, hash),
      route: cacheable ? this.#routeWithTimeout(url) : null,
    };
  }

  /** The pool this agent uses. @example `agent.pool.idleCount()` */
  get pool(): HTTPConnectionPool {
    return this.#pool;
  }

  /**
   * Sends a request; fires with the response once its head arrived (see the module doc).
   *
   * @example
   * ```ts
   * agent.request('POST', 'http://127.0.0.1:8080/items', { 'content-type': 'application/json' },
   *   new FileBodyProducer(Buffer.from('{"a":1}')));
   * ```
   */
  request(
    method: string,
    uri: string,
    headers?: HeadersInit | null,
    bodyProducer?: IBodyProducer | null,
    options?: RequestOptions,
  ): Deferred<IResponse> {
    let target = this.#targets.get(uri);
    if (target === undefined) {
      try {
        target = this.#parse(uri);
      } catch (err) {
        return fail(err);
      }
      if (this.#targets.size >= TARGET_CACHE_SIZE) this.#targets.clear();
      this.#targets.set(uri, target);
    }
    let route = target.route;
    if (route === null) {
      try {
        route = this.#routeWithTimeout(target.url);
      } catch (err) {
        return fail(err);
      }
    }
    let h: Headers;
    if (headers === null || headers === undefined) h = Headers.fromRaw(['Host', target.host]);
    else {
      h = toHeaders(headers);
      if (!h.hasHeader('host')) h.setRawHeaders('Host', [target.host]);
    }
    const extra = route.headers;
    if (extra !== undefined) {
      for (let i = 0; i < extra.length; i += 2) {
        const name = extra[i] as string;
        if (!h.hasHeader(name)) h.addRawHeader(name, extra[i + 1] as string);
      }
    }
    const signal = options?.signal ?? null;
    const req = new ClientRequest(
      method,
      route.absoluteForm === true ? target.absolute : target.path,
      target.href,
      h,
      bodyProducer ?? null,
      this.#pool.persistent,
      signal,
    );
    const d = this.#pool.request(route.key, route.endpoint, req, this.#settings);
    if (signal !== null) d.withSignal(signal);
    return d as Deferred<IResponse>;
  }
}

/** Wraps `endpoint` so a connection attempt longer than `seconds` fails with `ConnectTimeoutError`. */
function withConnectTimeout(
  endpoint: IStreamClientEndpoint,
  seconds: number,
  clock: IReactorTime,
): IStreamClientEndpoint {
  if (!(seconds > 0) || !Number.isFinite(seconds)) return endpoint;
  return {
    connect(factory) {
      return endpoint.connect(factory).addTimeout(seconds, clock, (result) => {
        if (result instanceof CancelledError || result instanceof Error) {
          throw new ConnectTimeoutError(`Connecting took longer than ${seconds} s.`, { cause: result });
        }
        return result;
      });
    },
  };
}
