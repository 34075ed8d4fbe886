/**
 * `Agent`: makes HTTP/1.1 requests over pooled connections, as Twisted's `Agent`.
 * `request(method, uri, headers?, bodyProducer?, { signal })` fires with an `IResponse` once its
 * head has arrived; read the body with `readBody` or `deliverBody`. `http` URIs connect over TCP,
 * `https` ones over TLS verified by the `tlsPolicy` (`BrowserLikePolicyForHTTPS` by default);
 * `Agent.usingEndpointFactory` carries requests over any endpoint (UNIX socket, in-memory, proxy).
 *
 * Timeouts, each with its own error: `connectTimeout` (`ConnectTimeoutError`), `headersTimeout`
 * (`ResponseHeadersTimeoutError`), `bodyTimeout` (`BodyTimeoutError`, inside `ResponseFailed`
 * for body protocols; `readBody` errbacks with it). Cancelling the Deferred or aborting the signal
 * aborts the connection.
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
import { SSL4ClientEndpoint, type SSLReactor } from '../../internet/endpoints/ssl.js';
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
import { BrowserLikePolicyForHTTPS, type IPolicyForHTTPS } from './tls-policy.js';

/** What an `Agent` needs from a reactor. */
export type AgentReactor = IReactorTCP & IReactorTime & HasNameResolver & SSLReactor;

/** Options of `Agent`. */
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

/** A parsed request URI (cached per agent). */
interface Target {
  readonly url: URL;
  readonly href: string;
  readonly host: string;
  readonly path: string;
  readonly key: string;
  /** The endpoint, when the standard factory chose it (custom factories are asked each time). */
  readonly endpoint: IStreamClientEndpoint | null;
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
    const host = hostOf(uri);
    const port = portOf(uri);
    const tcp: { timeout: number; bindAddress?: readonly [string, number] } = {
      timeout: this.#options.connectTimeout ?? 30,
    };
    if (this.#options.bindAddress !== undefined) tcp.bindAddress = this.#options.bindAddress;
    if (uri.protocol === 'https:') {
      return new SSL4ClientEndpoint(
        this.#reactor,
        host,
        port,
        this.#policy.creatorForNetloc(host, port),
        tcp,
      );
    }
    if (isIP(host) !== 0) return new TCP4ClientEndpoint(this.#reactor, host, port, tcp);
    return new HostnameEndpoint(this.#reactor, host, port, tcp);
  }
}

function hostOf(uri: URL): string {
  const h = uri.hostname;
  return h.startsWith('[') ? h.slice(1, -1) : h;
}

function portOf(uri: URL): number {
  if (uri.port !== '') return Number(uri.port);
  return uri.protocol === 'https:' ? 443 : 80;
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

/** The agent; see the module doc. */
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

  /** Parses `uri` once; the standard endpoint is built here and reused. */
  #parse(uri: string): Target {
    const url = new URL(uri);
    if (url.protocol !== 'http:' && url.protocol !== 'https:' && this.#endpointsOverride === null) {
      throw new SchemeNotSupported(`Unsupported scheme: ${url.protocol.slice(0, -1)}`);
    }
    const path = `${url.pathname}${url.search}`;
    return {
      url,
      href: url.href,
      host: url.host,
      path: path === '' ? '/' : path,
      key: `${url.protocol}//${url.host}`,
      endpoint:
        this.#endpointsOverride === null
          ? withConnectTimeout(this.#endpoints.endpointForURI(url), this.#connectTimeout, this.#reactor)
          : null,
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
    let endpoint = target.endpoint;
    if (endpoint === null) {
      try {
        endpoint = withConnectTimeout(
          (this.#endpointsOverride as IAgentEndpointFactory).endpointForURI(target.url),
          this.#connectTimeout,
          this.#reactor,
        );
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
    const req = new ClientRequest(
      method,
      target.path,
      target.href,
      h,
      bodyProducer ?? null,
      this.#pool.persistent,
    );
    const d = this.#pool.request(target.key, endpoint, req, this.#settings);
    if (options?.signal !== undefined) d.withSignal(options.signal);
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
