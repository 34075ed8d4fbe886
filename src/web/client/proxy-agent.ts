/**
 * `ProxyAgent`: an `Agent` whose requests go through an HTTP proxy, as Twisted's `ProxyAgent`.
 * `http` URIs are sent to the proxy in absolute form (`GET http://host/path HTTP/1.1`) over
 * pooled connections to the proxy, whatever the target host; `https` URIs go through a `CONNECT`
 * tunnel (`TunnelingEndpoint`) and TLS end to end, verified by the `tlsPolicy` as without a proxy,
 * one pooled tunnel per target host. `proxyHeaders` (say `Proxy-Authorization`) go to the proxy
 * only: with plain requests and with `CONNECT`, never inside a tunnel.
 *
 * @example
 * ```ts
 * import { ProxyAgent, readBody } from 'twisted-ts/web/client';
 * const agent = ProxyAgent.fromURL(reactor, 'http://user:secret@127.0.0.1:3128');
 * const r = await agent.request('GET', 'https://example.com/');
 * console.log(r.code, (await readBody(r)).length);
 * ```
 * @module
 */
import { isIP } from 'node:net';
import { HostnameEndpoint } from '../../internet/endpoints/hostname.js';
import type { IStreamClientEndpoint } from '../../internet/endpoints/interfaces.js';
import { TCP4ClientEndpoint } from '../../internet/endpoints/tcp.js';
import {
  Agent,
  type AgentOptions,
  type AgentReactor,
  type AgentRoute,
  hostAndPort,
  toHeaders,
} from './agent.js';
import type { HeadersInit } from './interfaces.js';
import { TLSClientEndpoint } from './tls-client-endpoint.js';
import { BrowserLikePolicyForHTTPS, type IPolicyForHTTPS } from './tls-policy.js';
import { TunnelingEndpoint } from './tunneling-endpoint.js';

/**
 * Options of `ProxyAgent`: those of `Agent` (bar `bindAddress`, an option of the proxy endpoint).
 *
 * @example
 * ```ts
 * const agent = ProxyAgent.fromURL(reactor, 'http://127.0.0.1:3128', {
 *   proxyHeaders: { 'Proxy-Authorization': 'Basic dXNlcjpzZWNyZXQ=' },
 *   connectTimeout: 10,
 *   pool: new HTTPConnectionPool(reactor),
 * });
 * ```
 */
export interface ProxyAgentOptions extends Omit<AgentOptions, 'bindAddress'> {
  /** Header fields for the proxy, sent with plain requests and with `CONNECT`. */
  proxyHeaders?: HeadersInit;
}

let nextProxyId = 0;

/**
 * Requests through an HTTP proxy; see the module doc.
 *
 * @example
 * ```ts
 * const proxy = new HostnameEndpoint(reactor, 'proxy.internal', 3128);
 * const proxyHeaders = { 'Proxy-Authorization': 'Basic dXNlcjpzZWNyZXQ=' };
 * const agent = new ProxyAgent(reactor, proxy, { proxyHeaders });
 * const plain = await agent.request('GET', 'http://example.com/'); // GET http://example.com/ to the proxy
 * const secure = await agent.request('GET', 'https://example.com/'); // CONNECT example.com:443, then TLS
 * ```
 */
export class ProxyAgent extends Agent {
  readonly #proxy: IStreamClientEndpoint;
  readonly #policy: IPolicyForHTTPS;
  readonly #proxyHeaders: readonly string[];
  readonly #limits: ProxyAgentOptions['limits'];
  /** Pool keys of this agent's proxy (a shared pool must not mix two proxies' connections). */
  readonly #keyPrefix = `proxy#${nextProxyId++}`;

  /**
   * @param proxy the endpoint of the proxy (a `TCP4ClientEndpoint`, `HostnameEndpoint` …).
   * @example
   * ```ts
   * new ProxyAgent(reactor, new TCP4ClientEndpoint(reactor, '127.0.0.1', 3128), { pool });
   * ```
   */
  constructor(reactor: AgentReactor, proxy: IStreamClientEndpoint, options: ProxyAgentOptions = {}) {
    super(reactor, options);
    this.#proxy = proxy;
    this.#policy = options.tlsPolicy ?? new BrowserLikePolicyForHTTPS();
    this.#proxyHeaders = toHeaders(options.proxyHeaders).toFlat();
    this.#limits = options.limits;
  }

  /**
   * A proxy agent for a proxy URL (`http://[user:password@]host:port`); credentials become a
   * basic `Proxy-Authorization`.
   *
   * @example
   * ```ts
   * const agent = ProxyAgent.fromURL(reactor, process.env.HTTP_PROXY ?? 'http://127.0.0.1:3128');
   * ```
   */
  static fromURL(
    reactor: AgentReactor,
    proxyURL: string,
    options: ProxyAgentOptions & { bindAddress?: readonly [string, number] } = {},
  ): ProxyAgent {
    const url = new URL(proxyURL);
    if (url.protocol !== 'http:') throw new TypeError(`Unsupported proxy scheme: ${url.protocol}`);
    const [host, port] = hostAndPort(url);
    const tcp = options.bindAddress === undefined ? {} : { bindAddress: options.bindAddress };
    const endpoint =
      isIP(host) !== 0
        ? new TCP4ClientEndpoint(reactor, host, port, tcp)
        : new HostnameEndpoint(reactor, host, port, tcp);
    const headers = toHeaders(options.proxyHeaders);
    if (url.username !== '' && !headers.hasHeader('proxy-authorization')) {
      const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      headers.setRawHeaders('Proxy-Authorization', [`Basic ${Buffer.from(credentials).toString('base64')}`]);
    }
    return new ProxyAgent(reactor, endpoint, { ...options, proxyHeaders: headers });
  }

  /**
   * `http`: the proxy, absolute-form target, one pool key for every host; `https`: a CONNECT
   * tunnel per host.
   *
   * @example
   * ```ts
   * // internal: called by Agent.request
   * ```
   */
  protected override route(url: URL): AgentRoute {
    if (url.protocol === 'http:') {
      return {
        key: `${this.#keyPrefix} http`,
        endpoint: this.#proxy,
        absoluteForm: true,
        headers: this.#proxyHeaders,
      };
    }
    const [host, port] = hostAndPort(url);
    const options =
      this.#limits === undefined
        ? { headers: this.#proxyHeaders }
        : { headers: this.#proxyHeaders, limits: this.#limits };
    const tunnel = new TunnelingEndpoint(this.#proxy, host, port, options);
    return {
      key: `${this.#keyPrefix} https://${url.host}`,
      endpoint: new TLSClientEndpoint(tunnel, host, this.#policy.creatorForNetloc(host, port)),
    };
  }

  /** Routes depend only on the URI. @example `// internal` */
  protected override get routesCacheable(): boolean {
    return true;
  }
}
