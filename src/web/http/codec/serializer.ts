/**
 * Response serialization (server role): the head as one latin1 string, body framing decisions,
 * and chunk framing. Pure: the caller passes the date string (from `HttpDateCache` and its own
 * clock). Field names and values are not re-validated here: `Headers` validates them when they
 * are set (a CR/LF in a value is a programming error and throws there).
 *
 * @example
 * ```ts
 * const framing = responseFraming({ version: '1.1', method: 'GET', code: 200, contentLength: 5 });
 * const head = serializeResponseHead('1.1', 200, undefined, ['Content-Type', 'text/plain'], {
 *   date, framing, contentLength: 5, close: false,
 * });
 * // 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nDate: …\r\nContent-Length: 5\r\n\r\n'
 * ```
 * @module
 */
import type { HttpVersion } from './events.js';
import { statusLine } from './status.js';

/** How a response body is delimited on the wire. */
export type ResponseFraming = 'none' | 'length' | 'chunked' | 'close';

/** What decides a response's framing. */
export interface FramingInput {
  readonly version: HttpVersion;
  readonly method: string;
  readonly code: number;
  /** The body length when known in advance, else -1. */
  readonly contentLength: number;
}

/**
 * True when a response with this status to this method carries no body (1xx, 204, 304, HEAD).
 *
 * @example
 * ```ts
 * bodyForbidden('HEAD', 200); // true
 * ```
 */
export function bodyForbidden(method: string, code: number): boolean {
  return method === 'HEAD' || code < 200 || code === 204 || code === 304;
}

/**
 * The framing of a response: none for HEAD/1xx/204/304, Content-Length when known, chunked for
 * a streamed HTTP/1.1 response, close-delimited for a streamed HTTP/1.0 one.
 *
 * @example
 * ```ts
 * responseFraming({ version: '1.0', method: 'GET', code: 200, contentLength: -1 }); // 'close'
 * ```
 */
export function responseFraming(r: FramingInput): ResponseFraming {
  if (r.code < 200 || r.code === 204 || r.code === 304) return 'none';
  if (r.contentLength >= 0) return 'length';
  if (r.method === 'HEAD') return 'none';
  return r.version === '1.1' ? 'chunked' : 'close';
}

/** The framing fields the serializer adds after the caller's headers. */
export interface HeadFraming {
  /** The Date value, or null to send none. */
  readonly date: string | null;
  readonly framing: ResponseFraming;
  /** Sent as Content-Length when `framing` is 'length' (or 'none' with a known length for HEAD). */
  readonly contentLength: number;
  /** Adds `Connection: close`. */
  readonly close: boolean;
  /** Adds `Connection: keep-alive` (HTTP/1.0 persistent connections). */
  readonly keepAlive?: boolean;
}

/**
 * Serializes a response head: status line, `headers` (flat name/value list), then Date,
 * Content-Length / Transfer-Encoding and Connection as `f` says, then the empty line.
 *
 * @example
 * ```ts
 * Buffer.from(serializeResponseHead('1.1', 204, undefined, [], { date: null, framing: 'none', contentLength: -1, close: true }), 'latin1');
 * ```
 */
export function serializeResponseHead(
  version: HttpVersion,
  code: number,
  reason: string | undefined,
  headers: readonly string[],
  f: HeadFraming,
): string {
  let s = statusLine(version, code, reason);
  for (let i = 0; i < headers.length; i += 2) s += `${headers[i]}: ${headers[i + 1]}\r\n`;
  if (f.date !== null) s += `Date: ${f.date}\r\n`;
  if (
    f.contentLength >= 0 &&
    (f.framing === 'length' || (f.framing === 'none' && code >= 200 && code !== 204))
  ) {
    s += `Content-Length: ${f.contentLength}\r\n`;
  } else if (f.framing === 'chunked') s += 'Transfer-Encoding: chunked\r\n';
  if (f.close) s += 'Connection: close\r\n';
  else if (f.keepAlive === true) s += 'Connection: keep-alive\r\n';
  return `${s}\r\n`;
}

/**
 * The line that precedes a chunk of `size` bytes.
 *
 * @example
 * ```ts
 * chunkHeader(255); // 'ff\r\n'
 * ```
 */
export function chunkHeader(size: number): string {
  return `${size.toString(16)}\r\n`;
}

/**
 * The end of a chunked body without trailers.
 *
 * @example
 * ```ts
 * transport.write(LAST_CHUNK);
 * ```
 */
export const LAST_CHUNK: Buffer = Buffer.from('0\r\n\r\n', 'latin1');

/**
 * The CRLF that follows each chunk's data.
 *
 * @example
 * ```ts
 * transport.writeSequence([chunkHeader(data.length), data, CRLF_BUFFER]);
 * ```
 */
export const CRLF_BUFFER: Buffer = Buffer.from('\r\n', 'latin1');

/**
 * The interim response sent when a client expects `100-continue`.
 *
 * @example
 * ```ts
 * if (ev.expectContinue) transport.write(CONTINUE_RESPONSE);
 * ```
 */
export const CONTINUE_RESPONSE: Buffer = Buffer.from('HTTP/1.1 100 Continue\r\n\r\n', 'latin1');
