/**
 * The events the HTTP/1.1 request parser emits, as an immutable discriminated union. One request
 * is `requestReceived`, zero or more `bodyData`, then `requestEnded`; a peer error is a
 * `protocolError` carrying the status to answer with, after which the parser is terminal.
 *
 * @example
 * ```ts
 * for (const ev of parser.receive(bytes)) {
 *   switch (ev.type) {
 *     case 'requestReceived': console.log(ev.method, ev.target); break;
 *     case 'bodyData': body.push(ev.data); break;
 *     case 'requestEnded': break;
 *     case 'protocolError': console.log(ev.status, ev.reason); break;
 *     case 'endOfStream': break;
 *   }
 * }
 * ```
 * @module
 */

/** The HTTP versions the codec speaks. */
export type HttpVersion = '1.0' | '1.1';

/** How a message body is delimited. */
export type BodyFraming = 'none' | 'length' | 'chunked';

/** A request head was parsed. */
export interface RequestReceived {
  readonly type: 'requestReceived';
  /** The method, case-sensitive as sent (`GET`). */
  readonly method: string;
  /** The request-target as sent (origin-form `/a?b`, absolute-form `http://h/a`, `*`, authority). */
  readonly target: string;
  readonly version: HttpVersion;
  /** Field names and values in arrival order, flattened: `[name0, value0, name1, value1, …]`. */
  readonly rawHeaders: readonly string[];
  /** True when the connection may carry another request after this one. */
  readonly keepAlive: boolean;
  /** True when the client waits for `100 Continue` before sending the body. */
  readonly expectContinue: boolean;
  readonly framing: BodyFraming;
  /** The declared Content-Length (0 without a body, -1 for chunked). */
  readonly contentLength: number;
}

/** A piece of the body (may be a view of the input buffer: copy it to keep it past the call). */
export interface BodyData {
  readonly type: 'bodyData';
  readonly data: Buffer;
}

/** The request (body and trailers) is complete. */
export interface RequestEnded {
  readonly type: 'requestEnded';
  /** Trailer fields of a chunked body, flattened like `rawHeaders`. */
  readonly trailers: readonly string[];
}

/** The peer broke the protocol; answer with `status` and close. The parser is terminal. */
export interface ProtocolError {
  readonly type: 'protocolError';
  /** 400, 413, 414, 417, 431, 501 or 505. */
  readonly status: number;
  /** A short, safe-to-show explanation. */
  readonly reason: string;
}

/** The input ended (`receiveEof`). `incomplete` when it ended inside a message. */
export interface EndOfStream {
  readonly type: 'endOfStream';
  readonly incomplete: boolean;
}

/** Everything `HttpRequestParser` emits. */
export type HttpRequestEvent = RequestReceived | BodyData | RequestEnded | ProtocolError | EndOfStream;
