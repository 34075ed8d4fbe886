/**
 * `CookieAgent`: sends the jar's cookies with each request and stores the `Set-Cookie` of each
 * response, as Twisted's `CookieAgent`. Put it inside a redirect agent so cookies set by a
 * redirect are sent to the next hop.
 *
 * @example
 * ```ts
 * const jar = new CookieJar();
 * const agent = new BrowserLikeRedirectAgent(new CookieAgent(new Agent(reactor), jar));
 * ```
 * @module
 */
import { type Deferred, fail } from '../../internet/defer.js';
import { toHeaders } from './agent.js';
import type { CookieJar } from './cookie-jar.js';
import type { HeadersInit, IAgent, IBodyProducer, IResponse, RequestOptions } from './interfaces.js';

/**
 * Adds cookies from a jar and stores new ones; see the module doc.
 *
 * @example
 * ```ts
 * const agent = new CookieAgent(new Agent(reactor), new CookieJar());
 * const login = new FileBodyProducer('user=alice&password=secret');
 * await agent.request('POST', 'http://127.0.0.1:8080/login', null, login); // stores Set-Cookie
 * await agent.request('GET', 'http://127.0.0.1:8080/account'); // sends the session cookie
 * ```
 */
export class CookieAgent implements IAgent {
  readonly #agent: IAgent;
  /** The jar cookies are read from and stored into. */
  readonly jar: CookieJar;

  constructor(agent: IAgent, jar: CookieJar) {
    this.#agent = agent;
    this.jar = jar;
  }

  /**
   * Sends the request with the jar's `Cookie` header (unless one is given).
   *
   * @example
   * ```ts
   * await cookieAgent.request('GET', 'http://127.0.0.1:8080/account');
   * ```
   */
  request(
    method: string,
    uri: string,
    headers?: HeadersInit | null,
    bodyProducer?: IBodyProducer | null,
    options?: RequestOptions,
  ): Deferred<IResponse> {
    let url: URL;
    try {
      url = new URL(uri);
    } catch (err) {
      return fail(err);
    }
    const h = toHeaders(headers);
    const cookie = this.jar.cookieHeader(url);
    if (cookie !== undefined && !h.hasHeader('cookie')) h.setRawHeaders('Cookie', [cookie]);
    return this.#agent.request(method, uri, h, bodyProducer, options).addCallback((r: IResponse) => {
      const set = r.headers.getRawHeaders('set-cookie');
      if (set !== undefined) this.jar.setCookies(set, url);
      return r;
    });
  }
}
