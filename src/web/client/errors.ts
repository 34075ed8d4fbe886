/**
 * The HTTP client's error classes, each with a stable `code` (Twisted's names where Twisted has
 * one). A body protocol's `connectionLost` receives `ResponseDone` (complete), `PotentialDataLoss`
 * (close-delimited body: complete as far as anyone can tell) or `ResponseFailed` (the causes in
 * `reasons`). A request Deferred errbacks with `RequestNotSent`, `RequestTransmissionFailed`,
 * `ResponseNeverReceived`, `ResponseFailed`, or one of the timeouts.
 *
 * @example
 * ```ts
 * import { ResponseFailed, ResponseHeadersTimeoutError } from 'twisted-ts/web/client';
 * agent.request('GET', url).addErrback((err) => {
 *   if (err instanceof ResponseHeadersTimeoutError) console.log(err.code); // 'ERR_HTTP_HEADERS_TIMEOUT'
 *   throw err;
 * });
 * ```
 * @module
 */
import { TwistedError } from '../../internet/error.js';

function kind(code: string, defaultMessage: string) {
  return class extends TwistedError {
    constructor(message: string = defaultMessage, options?: { cause?: unknown }) {
      super(message, code, options);
    }
  };
}

/** Carries the errors that ended an exchange; `reasons[0]` is also the `cause`. */
class WithReasons extends TwistedError {
  /** The underlying errors, first the one that ended the exchange. */
  readonly reasons: readonly Error[];
  constructor(message: string, code: string, reasons: readonly Error[]) {
    super(reasons.length > 0 ? `${message}: ${reasons.map((r) => r.message).join('; ')}` : message, code, {
      cause: reasons[0],
    });
    this.reasons = reasons;
  }
}

/**
 * The response body was received completely.
 *
 * @example
 * ```ts
 * class Printer extends Protocol {
 *   override dataReceived(data: Buffer) { process.stdout.write(data); }
 *   override connectionLost(reason: Error) { if (!(reason instanceof ResponseDone)) console.error(reason); }
 * }
 * response.deliverBody(new Printer());
 * ```
 */
export class ResponseDone extends kind('ERR_RESPONSE_DONE', 'Response body fully received.') {}

/**
 * The body ended with the connection and had no declared length: it may be truncated.
 *
 * @example
 * ```ts
 * class Body extends Protocol {
 *   override connectionLost(reason: Error) {
 *     if (reason instanceof PotentialDataLoss) console.log('ended with the connection: maybe truncated');
 *   }
 * }
 * response.deliverBody(new Body());
 * ```
 */
export class PotentialDataLoss extends kind(
  'ERR_POTENTIAL_DATA_LOSS',
  'The body was delimited by the connection close; it may be incomplete.',
) {}

/**
 * Receiving the response failed (parse error, connection lost, timeout, abort).
 *
 * @example
 * ```ts
 * try {
 *   await readBody(await agent.request('GET', url));
 * } catch (err) {
 *   if (err instanceof ResponseFailed) for (const r of err.reasons) console.error(r.message);
 * }
 * ```
 */
export class ResponseFailed extends WithReasons {
  constructor(reasons: readonly Error[], message = 'Response failed') {
    super(message, 'ERR_RESPONSE_FAILED', reasons);
  }
}

/**
 * The connection closed before any byte of the response arrived.
 *
 * @example
 * ```ts
 * try {
 *   await agent.request('GET', url);
 * } catch (err) {
 *   if (err instanceof ResponseNeverReceived) console.log('closed unanswered:', err.reasons[0]?.message);
 * }
 * ```
 */
export class ResponseNeverReceived extends WithReasons {
  constructor(reasons: readonly Error[]) {
    super('Response never received', 'ERR_RESPONSE_NEVER_RECEIVED', reasons);
  }
}

/**
 * The request could not be sent at all (the connection was already closed).
 *
 * @example
 * ```ts
 * const proto = new HTTP11ClientProtocol({ clock: reactor }); // not connected
 * const req = new ClientRequest('GET', '/', 'http://h/', new Headers({ Host: ['h'] }));
 * proto.request(req).addErrback((err: Error) => console.log(err instanceof RequestNotSent)); // true
 * ```
 */
export class RequestNotSent extends kind(
  'ERR_REQUEST_NOT_SENT',
  'Request not sent: the connection is closed.',
) {}

/**
 * Sending the request (its body) failed.
 *
 * @example
 * ```ts
 * try {
 *   await agent.request('PUT', url, null, new FileBodyProducer(createReadStream('missing.bin')));
 * } catch (err) {
 *   if (err instanceof RequestTransmissionFailed) console.log(err.reasons[0]?.message); // ENOENT: …
 * }
 * ```
 */
export class RequestTransmissionFailed extends WithReasons {
  constructor(reasons: readonly Error[]) {
    super('Request transmission failed', 'ERR_REQUEST_TRANSMISSION_FAILED', reasons);
  }
}

/**
 * The server answered with bytes that are not valid HTTP/1.1; `message` says what was wrong.
 *
 * @example
 * ```ts
 * try {
 *   await agent.request('GET', url);
 * } catch (err) {
 *   if (err instanceof ResponseFailed && err.reasons[0] instanceof HTTPParseError) console.log(err.message);
 * }
 * ```
 */
export class HTTPParseError extends kind('ERR_HTTP_PARSE', 'Invalid HTTP response.') {}

/**
 * The connection could not be established within `connectTimeout`.
 *
 * @example
 * ```ts
 * try {
 *   await new Agent(reactor, { connectTimeout: 5 }).request('GET', 'http://10.255.255.1/');
 * } catch (err) {
 *   if (err instanceof ConnectTimeoutError) console.log(err.code); // 'ERR_HTTP_CONNECT_TIMEOUT'
 * }
 * ```
 */
export class ConnectTimeoutError extends kind('ERR_HTTP_CONNECT_TIMEOUT', 'Connecting timed out.') {}

/**
 * The response head did not arrive within `headersTimeout` after the request was sent.
 *
 * @example
 * ```ts
 * const agent = new Agent(reactor, { headersTimeout: 15 });
 * agent.request('GET', url).addErrback((err: Error) => {
 *   if (err instanceof ResponseHeadersTimeoutError) console.log('no answer within 15 s');
 *   throw err;
 * });
 * ```
 */
export class ResponseHeadersTimeoutError extends kind(
  'ERR_HTTP_HEADERS_TIMEOUT',
  'The response headers did not arrive in time.',
) {}

/**
 * No body bytes arrived for `bodyTimeout` seconds.
 *
 * @example
 * ```ts
 * const agent = new Agent(reactor, { bodyTimeout: 10 });
 * try {
 *   await readBody(await agent.request('GET', url));
 * } catch (err) {
 *   if (err instanceof BodyTimeoutError) console.log('no body byte for 10 s');
 * }
 * ```
 */
export class BodyTimeoutError extends kind('ERR_HTTP_BODY_TIMEOUT', 'The response body stalled.') {}

/**
 * The request was aborted (Deferred cancelled, AbortSignal aborted, body protocol stopped).
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const response = await agent.request('GET', url, null, null, { signal: controller.signal });
 * reactor.callLater(5, () => controller.abort()); // give up on a body still streaming after 5 s
 * readBody(response).addErrback((err: Error) => {
 *   if (err instanceof ResponseFailed && err.reasons[0] instanceof RequestAbortedError) console.log('stop');
 *   throw err;
 * });
 * ```
 */
export class RequestAbortedError extends kind('ERR_HTTP_REQUEST_ABORTED', 'The request was aborted.') {}

/**
 * The URI's scheme is not http or https.
 *
 * @example
 * ```ts
 * agent.request('GET', 'ftp://example.com/file').addErrback((err: Error) => {
 *   console.log(err instanceof SchemeNotSupported, err.message); // true 'Unsupported scheme: ftp'
 * });
 * ```
 */
export class SchemeNotSupported extends kind('ERR_SCHEME_NOT_SUPPORTED', 'Unsupported URI scheme.') {}

/**
 * A body was cut short or the declared length did not match what the producer wrote.
 *
 * @example
 * ```ts
 * const consumer = new BodyConsumer(transport, 3); // Content-Length: 3
 * try {
 *   consumer.write('four');
 * } catch (err) {
 *   console.log(err instanceof WrongBodyLength); // true
 * }
 * ```
 */
export class WrongBodyLength extends kind(
  'ERR_WRONG_BODY_LENGTH',
  'The body producer wrote the wrong length.',
) {}

/**
 * `readBody` on a body that ended without a length: the bytes received are in `body`.
 *
 * @example
 * ```ts
 * try {
 *   await readBody(response); // a body that ended with the connection, without Content-Length
 * } catch (err) {
 *   if (err instanceof PartialDownloadError) console.log(err.body.length, 'bytes, maybe not all');
 * }
 * ```
 */
export class PartialDownloadError extends kind('ERR_PARTIAL_DOWNLOAD', 'The body may be incomplete.') {
  /** What was received. */
  body: Buffer = Buffer.alloc(0);
}

/**
 * More redirects than the limit (`redirectLimit`); the message names the last `Location`.
 *
 * @example
 * ```ts
 * try {
 *   await new RedirectAgent(agent, { redirectLimit: 3 }).request('GET', 'http://127.0.0.1:8080/loop');
 * } catch (err) {
 *   if (err instanceof InfiniteRedirection) console.log(err.message);
 *   // 'More than 3 redirects (last to /loop).'
 * }
 * ```
 */
export class InfiniteRedirection extends kind('ERR_INFINITE_REDIRECTION', 'Too many redirects.') {}

/**
 * A redirect without a usable Location.
 *
 * @example
 * ```ts
 * try {
 *   await new RedirectAgent(agent).request('GET', url);
 * } catch (err) {
 *   if (err instanceof ResponseFailed && err.reasons[0] instanceof RedirectWithNoLocation) {
 *     console.log(err.reasons[0].message); // '302 without a Location header'
 *   }
 * }
 * ```
 */
export class RedirectWithNoLocation extends kind(
  'ERR_REDIRECT_NO_LOCATION',
  'Redirect without a Location.',
) {}

/**
 * The proxy did not open a tunnel: it answered `CONNECT` with a non-2xx status (in `status`), or
 * closed the connection before answering.
 *
 * @example
 * ```ts
 * try {
 *   await ProxyAgent.fromURL(reactor, 'http://127.0.0.1:3128').request('GET', 'https://example.com/');
 * } catch (err) {
 *   if (err instanceof ProxyConnectError) console.log(err.status); // 407: the proxy wants credentials
 * }
 * ```
 */
export class ProxyConnectError extends kind('ERR_PROXY_CONNECT', 'The proxy refused the tunnel.') {
  /** The proxy's status code (0 when it closed the connection without answering). */
  status = 0;
}
