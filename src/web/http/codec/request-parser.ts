/**
 * `HttpRequestParser`: the sans-IO HTTP/1.1 server-side parser. Bytes in (`receive`,
 * `receiveEof`), events out (see `events.ts`). Output style: h11's — the parser produces events
 * only; responses are serialized separately (`serializer.ts`) because receiving never triggers an
 * automatic reply (the adapter decides when to send `100 Continue`).
 *
 * One request at a time: after `requestEnded` the parser holds any pipelined bytes (state
 * `waiting`) until the caller has answered and calls `nextRequest()`, so responses go out strictly
 * in order and a pipelining client cannot make us buffer more than one read past the request.
 *
 * Strict by default against request smuggling; every limit and the status it answers is listed in
 * `limits.ts`. Head scanning remembers how far it looked, so one-byte-at-a-time input is O(n).
 *
 * @example
 * ```ts
 * const parser = new HttpRequestParser();
 * const events = parser.receive(Buffer.from('GET / HTTP/1.1\r\nHost: a\r\n\r\n'));
 * // [{ type: 'requestReceived', method: 'GET', target: '/', … }, { type: 'requestEnded', trailers: [] }]
 * parser.nextRequest(); // ready for the next one once the response is sent
 * ```
 * @module
 */
import { CR, LF, SP, TARGET, TOKEN } from './abnf.js';
import { type BodyReader, ChunkedBodyReader, LengthBodyReader } from './body-reader.js';
import { latin1 } from './bytes.js';
import type { BodyFraming, HttpRequestEvent, HttpVersion, ProtocolError, RequestReceived } from './events.js';
import { parseFieldLine, splitList } from './fields.js';
import { type HttpLimits, type ResolvedHttpLimits, resolveLimits } from './limits.js';
import { ReceiveBuffer } from './receive-buffer.js';

/** Where the parser is; `waiting` holds pipelined input until `nextRequest()`. */
export type RequestParserState = 'head' | 'body' | 'waiting' | 'error' | 'closed';

const NO_TRAILERS: readonly string[] = Object.freeze([]);
const NO_EVENTS: HttpRequestEvent[] = [];
/** Heads complete within this many held bytes take the one-decode path (pipelined or body bytes after them are not decoded past it). */
const FAST_HEAD_WINDOW = 4096;
const ENDED = Object.freeze({ type: 'requestEnded', trailers: NO_TRAILERS }) as HttpRequestEvent;

/** Parses requests; see the module doc. */
export class HttpRequestParser {
  readonly #limits: ResolvedHttpLimits;
  readonly #rb = new ReceiveBuffer();
  #state: RequestParserState = 'head';
  #scanned = 0;
  #lineStart = 0;
  #requestLineEnd = -1;
  #lines = 0;
  #emptyLines = 0;
  #body: BodyReader | null = null;
  /** The events of the `receive` in progress (not kept afterwards: an idle parser holds nothing). */
  #out: HttpRequestEvent[] = NO_EVENTS;
  /** Created with the first body: a GET-only connection never pays for it. */
  #sink: ((data: Buffer) => void) | null = null;

  /** @param limits size limits; defaults in `limits.ts`. */
  constructor(limits?: HttpLimits) {
    this.#limits = resolveLimits(limits);
  }

  /**
   * The current state.
   *
   * @example
   * ```ts
   * if (parser.state === 'waiting') transport.pauseProducing();
   * ```
   */
  get state(): RequestParserState {
    return this.#state;
  }

  /**
   * Bytes received and not yet parsed (pipelined input while `waiting`).
   *
   * @example
   * ```ts
   * parser.buffered; // 0 after a complete request with nothing after it
   * ```
   */
  get buffered(): number {
    return this.#rb.length;
  }

  /**
   * True when a request has started arriving but its head is not complete (for header timeouts).
   *
   * @example
   * ```ts
   * parser.receive(Buffer.from('GE')); parser.inHead; // true
   * ```
   */
  get inHead(): boolean {
    return this.#state === 'head' && this.#rb.length > 0;
  }

  /**
   * True when the parser holds nothing at all — no byte and no state of a next request — so it is
   * as good as a new one (a server may hand it to another connection).
   *
   * @example
   * ```ts
   * parser.nextRequest(); if (parser.atRest) pool.push(parser);
   * ```
   */
  get atRest(): boolean {
    return this.#state === 'head' && this.#rb.length === 0 && this.#emptyLines === 0;
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
  receive(data: Uint8Array): HttpRequestEvent[] {
    if (this.#state === 'closed') throw new Error('HttpRequestParser.receive() after receiveEof()');
    if (this.#state === 'error') return [];
    this.#rb.append(data);
    if (this.#state === 'waiting') return [];
    return this.#run();
  }

  /**
   * Starts on the next request after the previous one was answered; returns the events of any
   * pipelined input already held.
   *
   * @example
   * ```ts
   * response.finished(); for (const ev of parser.nextRequest()) handle(ev);
   * ```
   */
  nextRequest(): HttpRequestEvent[] {
    if (this.#state !== 'waiting') throw new Error(`HttpRequestParser.nextRequest() in state ${this.#state}`);
    this.#state = 'head';
    return this.#rb.length === 0 ? [] : this.#run();
  }

  /**
   * The peer closed its side. Returns `endOfStream`, `incomplete` when a request was cut short.
   *
   * @example
   * ```ts
   * parser.receiveEof(); // [{ type: 'endOfStream', incomplete: false }]
   * ```
   */
  receiveEof(): HttpRequestEvent[] {
    if (this.#state === 'closed' || this.#state === 'error') {
      this.#state = 'closed';
      return [];
    }
    const incomplete = this.#state === 'body' || this.#rb.length > 0;
    this.#state = 'closed';
    return [{ type: 'endOfStream', incomplete }];
  }

  #run(): HttpRequestEvent[] {
    const out: HttpRequestEvent[] = [];
    this.#out = out;
    try {
      return this.#step(out);
    } finally {
      this.#out = NO_EVENTS;
    }
  }

  #step(out: HttpRequestEvent[]): HttpRequestEvent[] {
    for (;;) {
      if (this.#state === 'head') {
        const ev = this.#readHead();
        if (ev === undefined) break;
        out.push(ev);
        if (ev.type === 'protocolError') return this.#fail(out);
        if (ev.framing === 'none') {
          out.push(ENDED);
          this.#state = 'waiting';
          break;
        }
        this.#state = 'body';
      } else if (this.#state === 'body') {
        this.#sink ??= (data: Buffer): void => {
          this.#out.push({ type: 'bodyData', data });
        };
        const r = (this.#body as BodyReader).read(this.#rb, this.#sink);
        if (r === undefined) break;
        if ('status' in r) {
          out.push({ type: 'protocolError', status: r.status, reason: r.reason });
          return this.#fail(out);
        }
        out.push(r.length === 0 ? ENDED : { type: 'requestEnded', trailers: r as readonly string[] });
        this.#body = null;
        this.#state = 'waiting';
        break;
      } else {
        break;
      }
    }
    return out;
  }

  #fail(out: HttpRequestEvent[]): HttpRequestEvent[] {
    this.#state = 'error';
    this.#body = null;
    return out;
  }

  /** Finds the end of the head (CRLF CRLF) with limits; parses it when complete. */
  #readHead(): RequestReceived | ProtocolError | undefined {
    const rb = this.#rb;
    const lim = this.#limits;
    if (this.#scanned === 0 && this.#requestLineEnd < 0) {
      const fast = this.#readWholeHead();
      if (fast !== null) return fast;
    }
    for (;;) {
      const idx = rb.indexOf(LF, this.#scanned);
      if (idx < 0) {
        this.#scanned = rb.length;
        if (this.#requestLineEnd < 0) {
          if (rb.length - this.#lineStart > lim.maxRequestLineSize + 1)
            return error(414, 'request line too long');
        } else if (rb.length - this.#requestLineEnd - 1 > lim.maxHeaderSize) {
          return error(431, 'header block too large');
        }
        return undefined;
      }
      if (idx === this.#lineStart || rb.buffer[rb.start + idx - 1] !== CR) return error(400, 'bare LF');
      const lineLength = idx - 1 - this.#lineStart;
      if (this.#requestLineEnd < 0) {
        if (lineLength === 0) {
          if (++this.#emptyLines > lim.maxLeadingEmptyLines) return error(400, 'too many empty lines');
          rb.skip(idx + 1);
          this.#scanned = 0;
          continue;
        }
        if (lineLength > lim.maxRequestLineSize) return error(414, 'request line too long');
        this.#requestLineEnd = idx;
      } else {
        if (idx - this.#requestLineEnd > lim.maxHeaderSize) return error(431, 'header block too large');
        if (lineLength === 0) {
          const head = rb.take(idx + 1);
          const requestLineEnd = this.#requestLineEnd;
          this.#scanned = 0;
          this.#lineStart = 0;
          this.#requestLineEnd = -1;
          this.#lines = 0;
          this.#emptyLines = 0;
          return this.#parseHead(latin1(head, 0, head.length), requestLineEnd, head.length);
        }
        if (++this.#lines > lim.maxHeaderCount) return error(431, 'too many header fields');
      }
      this.#lineStart = idx + 1;
      this.#scanned = idx + 1;
    }
  }

  /**
   * The common case, a whole head in one read: one native decode and one search for the blank
   * line, then the same checks as the incremental path on the string. Returns null to fall back
   * (incomplete head, leading empty lines).
   */
  #readWholeHead(): RequestReceived | ProtocolError | null {
    const rb = this.#rb;
    const lim = this.#limits;
    const text = latin1(rb.buffer, rb.start, Math.min(rb.end, rb.start + FAST_HEAD_WINDOW));
    const blank = text.indexOf('\r\n\r\n');
    if (blank <= 0 || text.charCodeAt(0) === CR || text.charCodeAt(0) === LF) return null;
    const last = blank + 3;
    let requestLineEnd = -1;
    let lines = 0;
    for (let i = text.indexOf('\n'); i >= 0 && i <= last; i = text.indexOf('\n', i + 1)) {
      if (text.charCodeAt(i - 1) !== CR) return error(400, 'bare LF');
      if (requestLineEnd < 0) {
        if (i - 1 > lim.maxRequestLineSize) return error(414, 'request line too long');
        requestLineEnd = i;
        continue;
      }
      if (i - requestLineEnd > lim.maxHeaderSize) return error(431, 'header block too large');
      if (i === last) break;
      if (++lines > lim.maxHeaderCount) return error(431, 'too many header fields');
    }
    rb.skip(last + 1);
    this.#emptyLines = 0;
    return this.#parseHead(text, requestLineEnd, last + 1);
  }

  /** Parses a complete head (`head[0..length)`, latin1-decoded; every slice is a cheap substring). */
  #parseHead(head: string, requestLineEnd: number, length: number): RequestReceived | ProtocolError {
    // Request line: method SP request-target SP HTTP-version (RFC 9112 §3).
    const lineEnd = requestLineEnd - 1;
    let i = 0;
    while (i < lineEnd && TOKEN[head.charCodeAt(i)] === 1) i++;
    if (i === 0 || head.charCodeAt(i) !== SP) return error(400, 'invalid method');
    const method = head.slice(0, i);
    const targetStart = ++i;
    while (i < lineEnd && TARGET[head.charCodeAt(i)] === 1) i++;
    if (i === targetStart || head.charCodeAt(i) !== SP) return error(400, 'invalid request target');
    const target = head.slice(targetStart, i);
    i++;
    let version: HttpVersion;
    if (lineEnd - i !== 8 || !head.startsWith('HTTP/', i) || head.charCodeAt(i + 6) !== 0x2e) {
      return error(400, 'invalid HTTP version');
    }
    const major = head.charCodeAt(i + 5);
    const minor = head.charCodeAt(i + 7);
    if (major === 0x31 && minor === 0x31) version = '1.1';
    else if (major === 0x31 && minor === 0x30) version = '1.0';
    else if (major >= 0x30 && major <= 0x39 && minor >= 0x30 && minor <= 0x39) {
      return error(505, 'HTTP version not supported');
    } else return error(400, 'invalid HTTP version');

    // Field lines.
    const raw: string[] = [];
    let contentLength = -1;
    let transferEncoding: string | null = null;
    let hosts = 0;
    let keepAlive = version === '1.1';
    let expectContinue = false;
    let pos = requestLineEnd + 1;
    const end = length - 2;
    while (pos < end) {
      const eol = head.indexOf('\n', pos);
      const err = parseFieldLine(head, pos, eol - 1, raw);
      if (err !== null) return error(400, err);
      pos = eol + 1;
      const name = raw[raw.length - 2] as string;
      const value = raw[raw.length - 1] as string;
      switch (name.length) {
        case 4:
          if (name.toLowerCase() === 'host') hosts++;
          break;
        case 6:
          if (name.toLowerCase() === 'expect') {
            if (value.toLowerCase() !== '100-continue') return error(417, 'unsupported expectation');
            expectContinue = true;
          }
          break;
        case 10:
          if (name.toLowerCase() === 'connection') {
            for (const t of splitList(value)) {
              if (t === 'close') keepAlive = false;
              else if (t === 'keep-alive' && version === '1.0') keepAlive = true;
            }
          }
          break;
        case 14:
          if (name.toLowerCase() === 'content-length') {
            for (const part of value.split(',')) {
              const n = parseContentLength(part.trim());
              if (n < 0) return error(400, 'invalid Content-Length');
              if (contentLength >= 0 && n !== contentLength) return error(400, 'conflicting Content-Length');
              contentLength = n;
            }
          }
          break;
        case 17:
          if (name.toLowerCase() === 'transfer-encoding') {
            transferEncoding = transferEncoding === null ? value : `${transferEncoding},${value}`;
          }
          break;
      }
    }
    if (version === '1.1' && hosts !== 1)
      return error(400, hosts === 0 ? 'missing Host' : 'several Host fields');
    if (hosts > 1) return error(400, 'several Host fields');

    let framing: BodyFraming = 'none';
    if (transferEncoding !== null) {
      if (contentLength >= 0) return error(400, 'both Content-Length and Transfer-Encoding');
      if (version === '1.0') return error(400, 'Transfer-Encoding in HTTP/1.0');
      const codings = splitList(transferEncoding);
      for (const c of codings) if (c !== 'chunked') return error(501, 'unsupported transfer coding');
      if (codings.length !== 1) return error(400, 'chunked applied more than once');
      framing = 'chunked';
      this.#body = new ChunkedBodyReader(this.#limits);
    } else if (contentLength > 0) {
      if (contentLength > this.#limits.maxBodySize) return error(413, 'body too large');
      framing = 'length';
      this.#body = new LengthBodyReader(contentLength);
    }
    if (framing === 'none') expectContinue = false;
    return {
      type: 'requestReceived',
      method,
      target,
      version,
      rawHeaders: raw,
      keepAlive,
      expectContinue,
      framing,
      contentLength: framing === 'chunked' ? -1 : Math.max(contentLength, 0),
    };
  }
}

function error(status: number, reason: string): ProtocolError {
  return { type: 'protocolError', status, reason };
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
