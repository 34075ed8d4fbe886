/**
 * `HttpResponseParser`: the sans-IO HTTP/1.1 client-side parser. Bytes in (`receive`,
 * `receiveEof`), events out. It shares the role-agnostic pieces with the request parser: the
 * `ReceiveBuffer`, `parseFieldLine`/`splitList` for field lines, and the `LengthBodyReader` and
 * `ChunkedBodyReader` for bodies; only the status line and the response framing rules
 * (RFC 9112 §6.3) live here.
 *
 * One response at a time: call `expectResponse(method)` before each request's response (the
 * method decides whether a body may follow: none after `HEAD`, none for 1xx/204/304). Interim 1xx
 * responses come out as `informational` events and the parser goes on to the final response.
 * A body without Content-Length or chunked framing is delimited by the connection close and ends
 * with `responseEnded` carrying `closeDelimited: true` when `receiveEof()` is called.
 *
 * Strict by default: a bare LF, obs-fold, a field name with whitespace before the colon, a
 * Content-Length together with Transfer-Encoding, differing Content-Lengths, a broken chunk and a
 * head past the limits are `protocolError`s, after which the parser is terminal (the connection
 * must not be reused). Limits: `maxRequestLineSize` bounds the status line, `maxHeaderSize` and
 * `maxHeaderCount` the head, `maxBodySize` (default unbounded here) the body.
 *
 * @example
 * ```ts
 * const parser = new HttpResponseParser();
 * parser.expectResponse('GET');
 * parser.receive(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi'));
 * // [{ type: 'responseReceived', code: 200, … }, { type: 'bodyData', … }, { type: 'responseEnded', … }]
 * ```
 * @module
 */
import { CR, LF, SP } from './abnf.js';
import { type BodyReader, ChunkedBodyReader, LengthBodyReader } from './body-reader.js';
import { latin1 } from './bytes.js';
import type { BodyData, EndOfStream, HttpVersion } from './events.js';
import { parseFieldLine, splitList } from './fields.js';
import type { HttpLimits, ResolvedHttpLimits } from './limits.js';
import { resolveLimits } from './limits.js';
import type { ReceiveBuffer as ReceiveBufferType } from './receive-buffer.js';
import { ReceiveBuffer } from './receive-buffer.js';

/** How a response body is delimited: `close` reads until the connection ends. */
export type ResponseBodyFraming = 'none' | 'length' | 'chunked' | 'close';

/** A final (non-1xx) response head was parsed. */
export interface ResponseReceived {
  readonly type: 'responseReceived';
  readonly version: HttpVersion;
  readonly code: number;
  /** The reason phrase as sent (may be empty). */
  readonly phrase: string;
  /** Field names and values in arrival order, flattened: `[name0, value0, …]`. */
  readonly rawHeaders: readonly string[];
  /** True when the connection may carry another request after this response. */
  readonly keepAlive: boolean;
  readonly framing: ResponseBodyFraming;
  /** The declared Content-Length, or -1 when the length is not known in advance. */
  readonly contentLength: number;
}

/** An interim 1xx response (100 Continue, 103 Early Hints); the final response follows. */
export interface InformationalResponse {
  readonly type: 'informational';
  readonly code: number;
  readonly rawHeaders: readonly string[];
}

/** The response (body and trailers) is complete. */
export interface ResponseEnded {
  readonly type: 'responseEnded';
  /** Trailer fields of a chunked body, flattened. */
  readonly trailers: readonly string[];
  /** True when the body was delimited by the connection close (its completeness is unknowable). */
  readonly closeDelimited: boolean;
}

/** The server broke the protocol; close the connection. The parser is terminal. */
export interface ResponseProtocolError {
  readonly type: 'protocolError';
  /** A short explanation naming what was wrong. */
  readonly reason: string;
}

/** Everything `HttpResponseParser` emits. */
export type HttpResponseEvent =
  | ResponseReceived
  | InformationalResponse
  | BodyData
  | ResponseEnded
  | ResponseProtocolError
  | EndOfStream;

/** Where the parser is: `idle` between responses (input is held until `expectResponse`). */
export type ResponseParserState = 'idle' | 'head' | 'body' | 'error' | 'closed';

const NO_TRAILERS: readonly string[] = Object.freeze([]);
const ENDED: ResponseEnded = Object.freeze({
  type: 'responseEnded',
  trailers: NO_TRAILERS,
  closeDelimited: false,
});
const CLIENT_DEFAULTS: HttpLimits = { maxBodySize: Number.POSITIVE_INFINITY };

/** Reads everything until the connection closes. */
class UntilCloseBodyReader implements BodyReader {
  read(rb: ReceiveBufferType, sink: (data: Buffer) => void): undefined {
    if (rb.length > 0) sink(rb.take(rb.length));
    return undefined;
  }
}

/** Parses responses; see the module doc. */
export class HttpResponseParser {
  readonly #limits: ResolvedHttpLimits;
  readonly #rb = new ReceiveBuffer();
  #state: ResponseParserState = 'idle';
  #method = 'GET';
  #scanned = 0;
  #lineStart = 0;
  #statusLineEnd = -1;
  #lines = 0;
  #body: BodyReader | null = null;
  #framing: ResponseBodyFraming = 'none';
  #out: HttpResponseEvent[] = [];
  readonly #sink = (data: Buffer): void => {
    this.#out.push({ type: 'bodyData', data });
  };

  /** @param limits size limits (`limits.ts`); the body is unbounded unless `maxBodySize` is given. */
  constructor(limits?: HttpLimits) {
    this.#limits = resolveLimits({ ...CLIENT_DEFAULTS, ...limits });
  }

  /**
   * The current state.
   *
   * @example
   * ```ts
   * parser.state; // 'idle' before expectResponse()
   * ```
   */
  get state(): ResponseParserState {
    return this.#state;
  }

  /**
   * Bytes received and not yet parsed (unsolicited input while `idle`).
   *
   * @example
   * ```ts
   * if (parser.state === 'idle' && parser.buffered > 0) transport.abortConnection();
   * ```
   */
  get buffered(): number {
    return this.#rb.length;
  }

  /**
   * Starts on the response to a request made with `method`; returns the events of input already
   * held. Throws unless the parser is `idle`.
   *
   * @example
   * ```ts
   * parser.expectResponse('HEAD'); // the response will have no body whatever it declares
   * ```
   */
  expectResponse(method: string): HttpResponseEvent[] {
    if (this.#state !== 'idle')
      throw new Error(`HttpResponseParser.expectResponse() in state ${this.#state}`);
    this.#method = method;
    this.#state = 'head';
    return this.#rb.length === 0 ? [] : this.#run();
  }

  /**
   * Feeds bytes; returns the events they complete. Never throws on peer input; after a
   * `protocolError` every call returns `[]`. Throws after `receiveEof()`.
   *
   * @example
   * ```ts
   * for (const ev of parser.receive(chunk)) handle(ev);
   * ```
   */
  receive(data: Uint8Array): HttpResponseEvent[] {
    if (this.#state === 'closed') throw new Error('HttpResponseParser.receive() after receiveEof()');
    if (this.#state === 'error') return [];
    this.#rb.append(data);
    if (this.#state === 'idle') return [];
    return this.#run();
  }

  /**
   * The server closed its side. A close-delimited body ends (`responseEnded`, `closeDelimited`);
   * then `endOfStream`, `incomplete` when a response was cut short.
   *
   * @example
   * ```ts
   * parser.receiveEof(); // [{ type: 'endOfStream', incomplete: false }]
   * ```
   */
  receiveEof(): HttpResponseEvent[] {
    if (this.#state === 'closed' || this.#state === 'error') {
      this.#state = 'closed';
      return [];
    }
    const out: HttpResponseEvent[] = [];
    if (this.#state === 'body' && this.#framing === 'close') {
      out.push({ type: 'responseEnded', trailers: NO_TRAILERS, closeDelimited: true });
      this.#state = 'idle';
    }
    const incomplete = this.#state === 'body' || this.#rb.length > 0;
    this.#state = 'closed';
    out.push({ type: 'endOfStream', incomplete });
    return out;
  }

  #run(): HttpResponseEvent[] {
    const out: HttpResponseEvent[] = [];
    this.#out = out;
    for (;;) {
      if (this.#state === 'head') {
        const ev = this.#readHead();
        if (ev === undefined) break;
        out.push(ev);
        if (ev.type === 'protocolError') return this.#fail(out);
        if (ev.type === 'informational') continue;
        if (ev.framing === 'none') {
          out.push(ENDED);
          this.#state = 'idle';
          break;
        }
        this.#state = 'body';
      } else if (this.#state === 'body') {
        const r = (this.#body as BodyReader).read(this.#rb, this.#sink);
        if (r === undefined) break;
        if ('status' in r) {
          out.push({ type: 'protocolError', reason: r.reason });
          return this.#fail(out);
        }
        out.push(
          r.length === 0
            ? ENDED
            : { type: 'responseEnded', trailers: r as readonly string[], closeDelimited: false },
        );
        this.#body = null;
        this.#state = 'idle';
        break;
      } else {
        break;
      }
    }
    return out;
  }

  #fail(out: HttpResponseEvent[]): HttpResponseEvent[] {
    this.#state = 'error';
    this.#body = null;
    return out;
  }

  /** Finds the end of the head (CRLF CRLF) within the limits; parses it when complete. */
  #readHead(): ResponseReceived | InformationalResponse | ResponseProtocolError | undefined {
    const rb = this.#rb;
    const lim = this.#limits;
    for (;;) {
      const idx = rb.indexOf(LF, this.#scanned);
      if (idx < 0) {
        this.#scanned = rb.length;
        if (this.#statusLineEnd < 0) {
          if (rb.length - this.#lineStart > lim.maxRequestLineSize + 1) return error('status line too long');
        } else if (rb.length - this.#statusLineEnd - 1 > lim.maxHeaderSize) {
          return error('header block too large');
        }
        return undefined;
      }
      if (idx === this.#lineStart || rb.buffer[rb.start + idx - 1] !== CR) {
        return error(this.#statusLineEnd < 0 && idx === 0 ? 'empty status line' : 'bare LF');
      }
      const lineLength = idx - 1 - this.#lineStart;
      if (this.#statusLineEnd < 0) {
        if (lineLength > lim.maxRequestLineSize) return error('status line too long');
        this.#statusLineEnd = idx;
      } else {
        if (idx - this.#statusLineEnd > lim.maxHeaderSize) return error('header block too large');
        if (lineLength === 0) {
          const head = rb.take(idx + 1);
          const statusLineEnd = this.#statusLineEnd;
          this.#scanned = 0;
          this.#lineStart = 0;
          this.#statusLineEnd = -1;
          this.#lines = 0;
          return this.#parseHead(head, statusLineEnd);
        }
        if (++this.#lines > lim.maxHeaderCount) return error('too many header fields');
      }
      this.#lineStart = idx + 1;
      this.#scanned = idx + 1;
    }
  }

  #parseHead(
    buf: Buffer,
    statusLineEnd: number,
  ): ResponseReceived | InformationalResponse | ResponseProtocolError {
    const head = latin1(buf, 0, buf.length);
    // status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4).
    const lineEnd = statusLineEnd - 1;
    if (
      lineEnd < 12 ||
      !head.startsWith('HTTP/') ||
      head.charCodeAt(6) !== 0x2e ||
      head.charCodeAt(8) !== SP
    ) {
      return error('invalid status line');
    }
    const major = head.charCodeAt(5);
    const minor = head.charCodeAt(7);
    let version: HttpVersion;
    if (major === 0x31 && minor === 0x31) version = '1.1';
    else if (major === 0x31 && minor === 0x30) version = '1.0';
    else return error('unsupported HTTP version');
    let code = 0;
    for (let i = 9; i < 12; i++) {
      const d = head.charCodeAt(i) - 0x30;
      if (d < 0 || d > 9) return error('invalid status code');
      code = code * 10 + d;
    }
    if (code < 100) return error('invalid status code');
    let phrase = '';
    if (lineEnd > 12) {
      if (head.charCodeAt(12) !== SP) return error('invalid status line');
      phrase = head.slice(13, lineEnd);
      for (let i = 0; i < phrase.length; i++) {
        const c = phrase.charCodeAt(i);
        if ((c < 0x20 && c !== 0x09) || c === 0x7f) return error('invalid byte in the reason phrase');
      }
    }

    const raw: string[] = [];
    let contentLength = -1;
    let transferEncoding: string | null = null;
    let keepAlive = version === '1.1';
    let pos = statusLineEnd + 1;
    const end = head.length - 2;
    while (pos < end) {
      const eol = head.indexOf('\n', pos);
      const err = parseFieldLine(head, pos, eol - 1, raw);
      if (err !== null) return error(err);
      pos = eol + 1;
      const name = raw[raw.length - 2] as string;
      if (name.length === 10) {
        if (name.toLowerCase() === 'connection') {
          for (const t of splitList(raw[raw.length - 1] as string)) {
            if (t === 'close') keepAlive = false;
            else if (t === 'keep-alive' && version === '1.0') keepAlive = true;
          }
        }
      } else if (name.length === 14) {
        if (name.toLowerCase() === 'content-length') {
          for (const part of (raw[raw.length - 1] as string).split(',')) {
            const n = parseContentLength(part.trim());
            if (n < 0) return error('invalid Content-Length');
            if (contentLength >= 0 && n !== contentLength) return error('conflicting Content-Length');
            contentLength = n;
          }
        }
      } else if (name.length === 17 && name.toLowerCase() === 'transfer-encoding') {
        const value = raw[raw.length - 1] as string;
        transferEncoding = transferEncoding === null ? value : `${transferEncoding},${value}`;
      }
    }
    if (code < 200) {
      if (code === 101) return error('unexpected 101 Switching Protocols');
      return { type: 'informational', code, rawHeaders: raw };
    }

    let framing: ResponseBodyFraming;
    const method = this.#method;
    if (method === 'HEAD' || code === 204 || code === 304 || (method === 'CONNECT' && code < 300)) {
      framing = 'none';
      contentLength = method === 'HEAD' && contentLength >= 0 ? contentLength : 0;
      if (method === 'CONNECT') keepAlive = false;
      this.#body = null;
    } else if (transferEncoding !== null) {
      if (contentLength >= 0) return error('both Content-Length and Transfer-Encoding');
      const codings = splitList(transferEncoding);
      const ci = codings.indexOf('chunked');
      if (ci >= 0 && (ci !== codings.length - 1 || ci !== codings.lastIndexOf('chunked'))) {
        return error('chunked applied more than once or not last');
      }
      if (codings[codings.length - 1] === 'chunked') {
        if (codings.length !== 1) return error('unsupported transfer coding');
        framing = 'chunked';
        this.#body = new ChunkedBodyReader(this.#limits);
      } else {
        framing = 'close';
        keepAlive = false;
        this.#body = new UntilCloseBodyReader();
      }
    } else if (contentLength >= 0) {
      if (contentLength > this.#limits.maxBodySize) return error('body too large');
      framing = contentLength === 0 ? 'none' : 'length';
      this.#body = contentLength === 0 ? null : new LengthBodyReader(contentLength);
    } else {
      framing = 'close';
      keepAlive = false;
      this.#body = new UntilCloseBodyReader();
    }
    this.#framing = framing;
    return {
      type: 'responseReceived',
      version,
      code,
      phrase,
      rawHeaders: raw,
      keepAlive,
      framing,
      contentLength: framing === 'chunked' || framing === 'close' ? -1 : contentLength,
    };
  }
}

function error(reason: string): ResponseProtocolError {
  return { type: 'protocolError', reason };
}

/** 1*DIGIT, at most 15 digits (2^53 fits); -1 when invalid. */
function parseContentLength(s: string): number {
  if (s.length === 0 || s.length > 15) return -1;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}
