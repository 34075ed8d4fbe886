/**
 * The HTTP client's contracts, as in Twisted's `twisted.web.iweb`: `IAgent` (anything that makes
 * requests: `Agent` and the wrappers), `IResponse`, `IBodyProducer` (request bodies) and
 * `IAgentEndpointFactory` (which endpoint carries a request for a URI).
 *
 * @example
 * ```ts
 * import type { IAgent, IResponse } from 'twisted-ts/web/client';
 * function getStatus(agent: IAgent, url: string) {
 *   return agent.request('GET', url).addCallback((r: IResponse) => r.code);
 * }
 * ```
 * @module
 */
import type { Deferred } from '../../internet/defer.js';
import type { IStreamClientEndpoint } from '../../internet/endpoints/interfaces.js';
import type { IConsumer, IProtocol, IPushProducer } from '../../internet/interfaces.js';
import type { Headers } from '../headers.js';

/**
 * The length of a body, or `'UNKNOWN'` (sent chunked / read until close).
 *
 * @example
 * ```ts
 * const length: BodyLength = response.length; // 'UNKNOWN' for a chunked or close-delimited body
 * if (length !== 'UNKNOWN' && length > 100 * 1024 * 1024) throw new Error('too big to download');
 * ```
 */
export type BodyLength = number | 'UNKNOWN';

/**
 * Headers given to `request`: the web `Headers` class or a plain record.
 *
 * @example
 * ```ts
 * const plain: HeadersInit = { accept: 'application/json', 'x-tag': ['a', 'b'] };
 * const fields: HeadersInit = new Headers({ Accept: ['text/html'] });
 * await agent.request('GET', url, plain);
 * ```
 */
export type HeadersInit = Headers | Readonly<Record<string, string | readonly string[]>>;

/**
 * Per-request options.
 *
 * @example
 * ```ts
 * const options: RequestOptions = { signal: AbortSignal.timeout(5000) };
 * const response = await agent.request('GET', url, null, null, options);
 * ```
 */
export interface RequestOptions {
  /** Aborting it cancels the request (and the connection carrying it). */
  signal?: AbortSignal;
}

/**
 * Writes a request body into a consumer; Twisted's `IBodyProducer`.
 *
 * @example
 * ```ts
 * const hello: IBodyProducer = {
 *   length: 5,
 *   startProducing(consumer: IConsumer) { consumer.write('hello'); return succeed(undefined); },
 *   pauseProducing() {},
 *   resumeProducing() {},
 *   stopProducing() {},
 * };
 * await agent.request('POST', url, null, hello);
 * ```
 */
export interface IBodyProducer extends IPushProducer {
  /** The body length in bytes (sent as Content-Length), or `'UNKNOWN'` (sent chunked). */
  readonly length: BodyLength;
  /** Writes the body into `consumer`; fires when it is all written. */
  startProducing(consumer: IConsumer): Deferred<void>;
}

/**
 * Makes HTTP requests; `Agent` and every wrapper agent implement it.
 *
 * @example
 * ```ts
 * class LoggingAgent implements IAgent {
 *   constructor(readonly inner: IAgent) {}
 *   request(...args: Parameters<IAgent['request']>) {
 *     console.log(args[0], args[1]); // method, URI
 *     return this.inner.request(...args);
 *   }
 * }
 * ```
 */
export interface IAgent {
  /** Sends a request; fires with the response once its head has arrived. */
  request(
    method: string,
    uri: string,
    headers?: HeadersInit | null,
    bodyProducer?: IBodyProducer | null,
    options?: RequestOptions,
  ): Deferred<IResponse>;
}

/**
 * The request a response answers (as sent).
 *
 * @example
 * ```ts
 * const response = await new RedirectAgent(agent).request('GET', 'http://127.0.0.1:8080/old');
 * const sent: IClientRequest = response.request; // the last request, after redirects
 * console.log(sent.method, sent.absoluteURI, sent.headers.getHeader('host'));
 * ```
 */
export interface IClientRequest {
  /** The method, as sent. */
  readonly method: string;
  /** The URI requested. */
  readonly absoluteURI: string;
  /** The header fields sent. */
  readonly headers: Headers;
}

/**
 * An HTTP response whose body has not been read yet; Twisted's `IResponse`.
 *
 * @example
 * ```ts
 * const response: IResponse = await agent.request('GET', url);
 * console.log(response.code, response.phrase, response.headers.getHeader('content-type'));
 * const body = await readBody(response); // or response.deliverBody(protocol) to stream it
 * ```
 */
export interface IResponse {
  /** `['HTTP', 1, 1]`, as in Twisted. */
  readonly version: readonly [string, number, number];
  /** The status code. */
  readonly code: number;
  /** The reason phrase, as sent (may be empty). */
  readonly phrase: string;
  /** The response header fields. */
  readonly headers: Headers;
  /** The body length when declared, else `'UNKNOWN'`. */
  readonly length: BodyLength;
  /** The request this answers (after redirects: the last one). */
  readonly request: IClientRequest;
  /** The response that redirected to this one (set by redirect agents). */
  previousResponse: IResponse | null;
  /**
   * Streams the body into `protocol`: `makeConnection(bodyTransport)` (a push producer: pause,
   * resume, stop), `dataReceived` per chunk, then `connectionLost` with `ResponseDone`,
   * `PotentialDataLoss` or `ResponseFailed`. Call it once.
   */
  deliverBody(protocol: IProtocol): void;
}

/**
 * Chooses the endpoint a request for `uri` is carried over.
 *
 * @example
 * ```ts
 * const overSocket: IAgentEndpointFactory = {
 *   endpointForURI: () => new UNIXClientEndpoint(reactor, '/run/app.sock'),
 * };
 * const agent = Agent.usingEndpointFactory(reactor, overSocket);
 * await agent.request('GET', 'http://app/status'); // carried over the UNIX socket
 * ```
 */
export interface IAgentEndpointFactory {
  /** The endpoint to connect to for `uri`. */
  endpointForURI(uri: URL): IStreamClientEndpoint;
}
