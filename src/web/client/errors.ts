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

/** The response body was received completely. */
export class ResponseDone extends kind('ERR_RESPONSE_DONE', 'Response body fully received.') {}

/** The body ended with the connection and had no declared length: it may be truncated. */
export class PotentialDataLoss extends kind(
  'ERR_POTENTIAL_DATA_LOSS',
  'The body was delimited by the connection close; it may be incomplete.',
) {}

/** Receiving the response failed (parse error, connection lost, timeout, abort). */
export class ResponseFailed extends WithReasons {
  constructor(reasons: readonly Error[], message = 'Response failed') {
    super(message, 'ERR_RESPONSE_FAILED', reasons);
  }
}

/** The connection closed before any byte of the response arrived. */
export class ResponseNeverReceived extends WithReasons {
  constructor(reasons: readonly Error[]) {
    super('Response never received', 'ERR_RESPONSE_NEVER_RECEIVED', reasons);
  }
}

/** The request could not be sent at all (the connection was already closed). */
export class RequestNotSent extends kind(
  'ERR_REQUEST_NOT_SENT',
  'Request not sent: the connection is closed.',
) {}

/** Sending the request (its body) failed. */
export class RequestTransmissionFailed extends WithReasons {
  constructor(reasons: readonly Error[]) {
    super('Request transmission failed', 'ERR_REQUEST_TRANSMISSION_FAILED', reasons);
  }
}

/** The server answered with bytes that are not valid HTTP/1.1; `message` says what was wrong. */
export class HTTPParseError extends kind('ERR_HTTP_PARSE', 'Invalid HTTP response.') {}

/** The connection could not be established within `connectTimeout`. */
export class ConnectTimeoutError extends kind('ERR_HTTP_CONNECT_TIMEOUT', 'Connecting timed out.') {}

/** The response head did not arrive within `headersTimeout` after the request was sent. */
export class ResponseHeadersTimeoutError extends kind(
  'ERR_HTTP_HEADERS_TIMEOUT',
  'The response headers did not arrive in time.',
) {}

/** No body bytes arrived for `bodyTimeout` seconds. */
export class BodyTimeoutError extends kind('ERR_HTTP_BODY_TIMEOUT', 'The response body stalled.') {}

/** The request was aborted (Deferred cancelled, AbortSignal aborted, body protocol stopped). */
export class RequestAbortedError extends kind('ERR_HTTP_REQUEST_ABORTED', 'The request was aborted.') {}

/** The URI's scheme is not http or https. */
export class SchemeNotSupported extends kind('ERR_SCHEME_NOT_SUPPORTED', 'Unsupported URI scheme.') {}

/** A body was cut short or the declared length did not match what the producer wrote. */
export class WrongBodyLength extends kind(
  'ERR_WRONG_BODY_LENGTH',
  'The body producer wrote the wrong length.',
) {}

/** `readBody` on a body that ended without a length: the bytes are in `response`. */
export class PartialDownloadError extends kind('ERR_PARTIAL_DOWNLOAD', 'The body may be incomplete.') {
  /** What was received. */
  body: Buffer = Buffer.alloc(0);
}

/** More redirects than the limit; `response` is the last redirect. */
export class InfiniteRedirection extends kind('ERR_INFINITE_REDIRECTION', 'Too many redirects.') {}

/** A redirect without a usable Location. */
export class RedirectWithNoLocation extends kind(
  'ERR_REDIRECT_NO_LOCATION',
  'Redirect without a Location.',
) {}

/** The proxy refused to open a tunnel (`CONNECT` answered with a non-2xx status); see `code`/`status`. */
export class ProxyConnectError extends kind('ERR_PROXY_CONNECT', 'The proxy refused the tunnel.') {
  /** The proxy's status code (0 when its answer was not valid HTTP). */
  status = 0;
}
