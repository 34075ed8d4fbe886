/**
 * `RedirectAgent` and `BrowserLikeRedirectAgent`: wrappers that follow redirects, as Twisted's.
 * 301/302/307/308 are followed for GET and HEAD; 307/308 also for other methods when the body
 * can be sent again (no body, or a buffer). 303 becomes a GET without body. The browser-like
 * agent also turns a POST (or other method) answered by 301/302 into a GET, as browsers do.
 * Each response carries the one that redirected to it in `previousResponse`; past
 * `redirectLimit` (default 20) the request fails with `InfiniteRedirection`. `Authorization`,
 * `Cookie` and `Proxy-Authorization` are dropped when a redirect leaves the origin.
 *
 * @example
 * ```ts
 * const agent = new BrowserLikeRedirectAgent(new Agent(reactor), { redirectLimit: 5 });
 * const r = await agent.request('GET', 'http://127.0.0.1:8080/old');
 * console.log(r.request.absoluteURI, r.previousResponse?.code); // …/new 301
 * ```
 * @module
 */
import { type Deferred, fail } from '../../internet/defer.js';
import type { ITransport } from '../../internet/interfaces.js';
import { toHeaders } from './agent.js';
import { InfiniteRedirection, RedirectWithNoLocation, ResponseFailed } from './errors.js';
import type { HeadersInit, IAgent, IBodyProducer, IResponse, RequestOptions } from './interfaces.js';

/**
 * Options of the redirect agents.
 *
 * @example
 * ```ts
 * const agent = new RedirectAgent(new Agent(reactor), { redirectLimit: 5 });
 * // a sixth redirect fails the request with InfiniteRedirection
 * ```
 */
export interface RedirectAgentOptions {
  /** Most redirects followed for one request (default 20). */
  redirectLimit?: number;
}

const CREDENTIALS = ['authorization', 'cookie', 'proxy-authorization'];

/** Reads and drops a body so the connection can be reused. */
class Discard {
  transport: ITransport | null = null;
  makeConnection(t: ITransport): void {
    this.transport = t;
  }
  connectionMade(): void {}
  dataReceived(_data: Buffer): void {}
  connectionLost(_reason: Error): void {}
}

/**
 * Follows redirects for GET and HEAD (and 307/308 with a replayable body); see the module doc.
 *
 * @example
 * ```ts
 * const agent = new RedirectAgent(new Agent(reactor));
 * const r = await agent.request('GET', 'http://127.0.0.1:8080/old');
 * console.log(r.request.absoluteURI, r.previousResponse?.code); // 'http://127.0.0.1:8080/new' 301
 * ```
 */
export class RedirectAgent implements IAgent {
  readonly #agent: IAgent;
  readonly #limit: number;

  constructor(agent: IAgent, options: RedirectAgentOptions = {}) {
    this.#agent = agent;
    this.#limit = options.redirectLimit ?? 20;
  }

  /**
   * Sends the request, following redirects.
   *
   * @example
   * ```ts
   * new RedirectAgent(agent).request('GET', 'http://127.0.0.1:8080/moved');
   * ```
   */
  request(
    method: string,
    uri: string,
    headers?: HeadersInit | null,
    bodyProducer?: IBodyProducer | null,
    options?: RequestOptions,
  ): Deferred<IResponse> {
    return this.#send(method, uri, headers ?? null, bodyProducer ?? null, options, 0, null);
  }

  /**
   * The method to use after `code` for a request made with `method`, or null not to follow.
   * `BrowserLikeRedirectAgent` overrides it.
   *
   * @example
   * ```ts
   * agent.redirectMethod(303, 'POST', false); // 'GET'
   * ```
   */
  redirectMethod(code: number, method: string, replayable: boolean): string | null {
    switch (code) {
      case 303:
        return method === 'HEAD' ? 'HEAD' : 'GET';
      case 301:
      case 302:
        return method === 'GET' || method === 'HEAD' ? method : null;
      case 307:
      case 308:
        return method === 'GET' || method === 'HEAD' || replayable ? method : null;
      default:
        return null;
    }
  }

  #send(
    method: string,
    uri: string,
    headers: HeadersInit | null,
    body: IBodyProducer | null,
    options: RequestOptions | undefined,
    count: number,
    previous: IResponse | null,
  ): Deferred<IResponse> {
    return this.#agent.request(method, uri, headers, body, options).addCallback((response: IResponse) => {
      if (previous !== null && response.previousResponse === null) response.previousResponse = previous;
      const replayable = body === null || (body as { replayable?: boolean }).replayable === true;
      const next = this.redirectMethod(response.code, method, replayable);
      if (next === null) return response;
      const location = response.headers.getHeader('location');
      if (location === undefined) {
        response.deliverBody(new Discard());
        throw new ResponseFailed([new RedirectWithNoLocation(`${response.code} without a Location header`)]);
      }
      if (count >= this.#limit) {
        response.deliverBody(new Discard());
        throw new InfiniteRedirection(`More than ${this.#limit} redirects (last to ${location}).`);
      }
      let target: URL;
      try {
        target = new URL(location, uri);
      } catch (err) {
        response.deliverBody(new Discard());
        return fail<IResponse>(new ResponseFailed([err as Error]));
      }
      response.deliverBody(new Discard());
      const h = toHeaders(headers);
      if (target.origin !== new URL(uri).origin) for (const n of CREDENTIALS) h.removeHeader(n);
      h.removeHeader('host');
      let nextBody = body;
      if (next !== method) {
        nextBody = null;
        h.removeHeader('content-type');
        h.removeHeader('content-length');
      }
      return this.#send(next, target.href, h, nextBody, options, count + 1, response);
    });
  }
}

/**
 * Like `RedirectAgent`, but a 301/302 answer to any method is followed with a GET (no body),
 * as browsers do.
 *
 * @example
 * ```ts
 * const r = await new BrowserLikeRedirectAgent(agent).request('POST', url, null, body);
 * ```
 */
export class BrowserLikeRedirectAgent extends RedirectAgent {
  /**
   * 301/302 to a non-GET/HEAD becomes a GET; otherwise as `RedirectAgent`.
   *
   * @example
   * ```ts
   * agent.redirectMethod(302, 'POST', true); // 'GET'
   * ```
   */
  override redirectMethod(code: number, method: string, replayable: boolean): string | null {
    if ((code === 301 || code === 302) && method !== 'GET' && method !== 'HEAD') return 'GET';
    return super.redirectMethod(code, method, replayable);
  }
}
