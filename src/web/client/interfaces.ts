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

/** The length of a body, or `'UNKNOWN'` (sent chunked / read until close). */
export type BodyLength = number | 'UNKNOWN';

/** Headers given to `request`: the web `Headers` class or a plain record. */
export type HeadersInit = Headers | Readonly<Record<string, string | readonly string[]>>;

/** Per-request options. */
export interface RequestOptions {
  /** Aborting it cancels the request (and the connection carrying it). */
  signal?: AbortSignal;
}

/** Writes a request body into a consumer; Twisted's `IBodyProducer`. */
export interface IBodyProducer extends IPushProducer {
  /** The body length in bytes (sent as Content-Length), or `'UNKNOWN'` (sent chunked). */
  readonly length: BodyLength;
  /** Writes the body into `consumer`; fires when it is all written. */
  startProducing(consumer: IConsumer): Deferred<void>;
}

/** Makes HTTP requests; `Agent` and every wrapper agent implement it. */
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

/** The request a response answers (as sent). */
export interface IClientRequest {
  /** The method, as sent. */
  readonly method: string;
  /** The URI requested. */
  readonly absoluteURI: string;
  /** The header fields sent. */
  readonly headers: Headers;
}

/** An HTTP response whose body has not been read yet; Twisted's `IResponse`. */
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

/** Chooses the endpoint a request for `uri` is carried over. */
export interface IAgentEndpointFactory {
  /** The endpoint to connect to for `uri`. */
  endpointForURI(uri: URL): IStreamClientEndpoint;
}
