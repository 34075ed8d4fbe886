/**
 * `HTTPRequest`: the HTTP side of a request — what arrived (method, target, headers, body) and
 * the response written back — Twisted's `http.Request`. `Request` (Twisted's `server.Request`)
 * extends it with resources, arguments, cookies, sessions and rendering.
 *
 * The body is read whole before the resource renders. Small bodies stay in memory; one larger
 * than the site's `spoolThreshold` (1 MiB by default) goes to an anonymous temporary file as it
 * arrives (`content-spool.ts`), and `content` reads it back — `createContentReadStream()` streams
 * it instead. The spool is released when the response finishes.
 *
 * The response is framed by the codec: Content-Length when the length is known before the first
 * write (a render method returning the whole body), chunked when streamed over HTTP/1.1,
 * close-delimited over HTTP/1.0, no body for HEAD/1xx/204/304. The head and the first body bytes
 * leave in one write. It is an `IConsumer`: `registerProducer` passes through to the transport,
 * so a streaming producer is paused when the client reads slowly. An `IEncoderFactory` (gzip) may
 * compress the body.
 *
 * @example
 * ```ts
 * request.setResponseCode(201);
 * request.setHeader('Content-Type', 'text/plain');
 * request.write('created\n');
 * request.finish();
 * ```
 * @module
 */

import { Readable } from 'node:stream';
import { Deferred } from '../internet/defer.js';
import { ConnectionDone } from '../internet/error.js';
import type { IAddress, IConsumer, IPullProducer, IPushProducer } from '../internet/interfaces.js';
import { ContentSpool } from './content-spool.js';
import type { IEncoderFactory, IResponseEncoder } from './encoding.js';
import { Headers } from './headers.js';
import { writeLatin1, writeUtf8 } from './http/codec/bytes.js';
import type { HttpVersion, RequestReceived } from './http/codec/events.js';
import {
  bodyForbidden,
  CRLF_BUFFER,
  chunkHeader,
  LAST_CHUNK,
  type ResponseFraming,
  responseFraming,
  serializeResponseHead,
} from './http/codec/serializer.js';
import type { HTTPChannel } from './http-channel.js';
import { ENCODER, ProducerGate } from './producer-gate.js';
import type { Site } from './site.js';
import { splitPath } from './url-path.js';

const SKIP_ON_WRITE = new Set(['content-length', 'transfer-encoding', 'connection']);
const DEFAULT_TYPE = ['Content-Type', 'text/html'];
const EMPTY = Buffer.alloc(0);
const NO_SEGMENTS: readonly string[] = Object.freeze([]);
/** Body bytes waiting for the disk above which the connection stops reading from the client. */
const SPOOL_HIGH_WATER = 1024 * 1024;

/**
 * One request/response exchange on an `HTTPChannel`; see the module doc.
 *
 * @example
 * ```ts
 * function countdown(request: HTTPRequest): void {
 *   request.setResponseCode(200);
 *   request.setHeader('Content-Type', 'text/plain');
 *   for (const n of [3, 2, 1]) request.write(`${n}\n`); // streamed: chunked over HTTP/1.1
 *   request.finish();
 * }
 * ```
 */
export class HTTPRequest implements IConsumer {
  /** The method as sent (`GET`). */
  readonly method: string;
  /** The request-target as sent (origin-form, or the path part of an absolute-form target). */
  readonly uri: string;
  /** `uri` without the query string. */
  readonly path: string;
  /** `HTTP/1.1` or `HTTP/1.0`. */
  readonly clientproto: string;
  /** The request's header fields. */
  readonly requestHeaders: Headers;
  /** Path segments already traversed (Twisted's `prepath`). */
  prepath: string[] = [];
  /** Path segments still to traverse, percent-decoded (Twisted's `postpath`). */
  postpath: string[];
  /** The status code to send (default 200). */
  code = 200;
  /** The reason phrase to send, when not the standard one. */
  codeMessage: string | undefined = undefined;
  /** True once the head was written. */
  startedWriting = false;
  /** True once `finish()` ran. */
  finished = false;
  /** Body bytes written so far. */
  sentLength = 0;
  /** The channel this request arrived on. */
  readonly channel: HTTPChannel;
  /** The site serving it. */
  readonly site: Site;
  /** Segments of the path to the site's root (for URL building); the site sets it on traversal. */
  sitepath: readonly string[] = NO_SEGMENTS;

  readonly #version: HttpVersion;
  readonly #keepAlive: boolean;
  #responseHeaders: Headers | null = null;
  #contentLength = -1;
  #framing: ResponseFraming = 'none';
  #noBody = false;
  #persistent = false;
  readonly #expectedLength: number;
  #spool: ContentSpool | null = null;
  #content: Buffer | null = null;
  #disconnected = false;
  #finishWaiters: Deferred<void>[] | null = null;
  #encoderFactories: readonly IEncoderFactory[] | null = null;
  #encoder: IResponseEncoder | null = null;
  #encodedOut: ((chunk: Buffer) => void) | null = null;
  /** The registered push producer, seen by the transport through a gate the encoder can close too. */
  #gate: ProducerGate | null = null;
  #finishing = false;

  constructor(channel: HTTPChannel, head: RequestReceived) {
    this.channel = channel;
    this.site = channel.site;
    this.method = head.method;
    this.#version = head.version;
    this.clientproto = head.version === '1.1' ? 'HTTP/1.1' : 'HTTP/1.0';
    this.#keepAlive = head.keepAlive;
    this.#expectedLength = head.contentLength;
    let target = head.target;
    if (target.charCodeAt(0) !== 0x2f && /^https?:\/\//i.test(target)) {
      const slash = target.indexOf('/', target.indexOf('//') + 2);
      target = slash < 0 ? '/' : target.slice(slash);
    }
    this.uri = target;
    const q = target.indexOf('?');
    this.path = q < 0 ? target : target.slice(0, q);
    this.postpath = splitPath(this.path);
    this.requestHeaders = Headers.fromRaw(head.rawHeaders);
  }

  /** Response header fields (created on first use). */
  get responseHeaders(): Headers {
    this.#responseHeaders ??= new Headers();
    return this.#responseHeaders;
  }

  /**
   * The request body (empty when there was none). A body spooled to disk is read back into memory
   * on first use (synchronously; bounded by the site's `maxBodySize`).
   */
  get content(): Buffer {
    this.#content ??= this.#spool === null ? EMPTY : this.#spool.toBuffer();
    return this.#content;
  }

  /** The length of the request body received (without reading a spooled body back). */
  get contentLength(): number {
    return this.#spool?.size ?? 0;
  }

  /** True when the body went to a temporary file (it was larger than the site's `spoolThreshold`). */
  get contentSpooled(): boolean {
    return this.#spool?.spooled === true;
  }

  /**
   * A stream of the request body, from memory or from its temporary file; valid until the response
   * finishes.
   *
   * @example
   * ```ts
   * request.createContentReadStream().pipe(createWriteStream(`uploads/${name}`));
   * ```
   */
  createContentReadStream(): Readable {
    return this.#spool?.createReadStream() ?? Readable.from([]);
  }

  /**
   * Called by the channel with each piece of the body; false asks it to stop reading until the
   * spool has caught up with the disk (it calls `channel.contentDrained()`).
   */
  handleContentChunk(data: Buffer): boolean {
    if (this.#spool === null) {
      const channel = this.channel;
      this.#spool = new ContentSpool({
        threshold: this.site.spoolThreshold,
        expectedLength: this.#expectedLength,
        onDrained: () => channel.contentDrained(),
      });
    }
    this.#spool.write(data);
    return this.#spool.pending <= SPOOL_HIGH_WATER;
  }

  /** Called by the channel when the body is complete: `done` runs once it is all stored. */
  contentReceived(done: (err: Error | null) => void): void {
    if (this.#spool === null) done(null);
    else this.#spool.end(done);
  }

  /**
   * The last value of request header `name` (Twisted's `getHeader`).
   *
   * @example
   * ```ts
   * request.getHeader('user-agent');
   * ```
   */
  getHeader(name: string): string | undefined {
    return this.requestHeaders.getHeader(name);
  }

  /**
   * Sets a response header, replacing earlier values.
   *
   * @example
   * ```ts
   * request.setHeader('Content-Type', 'application/json');
   * ```
   */
  setHeader(name: string, value: string | number): void {
    const v = String(value);
    if (name.length === 14 && name.toLowerCase() === 'content-length') {
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n < 0) throw new TypeError(`invalid Content-Length ${v}`);
      this.#contentLength = n;
      return;
    }
    this.responseHeaders.setRawHeaders(name, [v]);
  }

  /**
   * Sets the status code (and optionally the reason phrase).
   *
   * @example
   * ```ts
   * request.setResponseCode(201);
   * ```
   */
  setResponseCode(code: number, message?: string): void {
    if (!Number.isInteger(code) || code < 100 || code > 999)
      throw new RangeError(`invalid status code ${code}`);
    this.code = code;
    this.codeMessage = message;
  }

  /**
   * The peer's address (with the `haproxy:` endpoint, the real client's).
   *
   * @example
   * ```ts
   * const peer = request.getClientAddress();
   * ```
   */
  getClientAddress(): IAddress {
    return this.channel.transport!.getPeer();
  }

  /**
   * The local address the request arrived on.
   *
   * @example
   * ```ts
   * request.getHost();
   * ```
   */
  getHost(): IAddress {
    return this.channel.transport!.getHost();
  }

  /**
   * True when the connection is TLS.
   *
   * @example
   * ```ts
   * if (!request.isSecure()) return request.redirect('https://…');
   * ```
   */
  isSecure(): boolean {
    return this.channel.isSecure();
  }

  /**
   * A Deferred that fires when the response is finished, or errbacks with the reason when the
   * client disconnects first.
   *
   * @example
   * ```ts
   * request.notifyFinish().addErrback(() => stopStreaming());
   * ```
   */
  notifyFinish(): Deferred<void> {
    const d = new Deferred<void>();
    if (this.finished) d.callback(undefined);
    else if (this.#disconnected)
      d.errback(new ConnectionDone('The client disconnected before the response finished.'));
    else if (this.#finishWaiters === null) this.#finishWaiters = [d];
    else this.#finishWaiters.push(d);
    return d;
  }

  /**
   * Sends `body` as the whole response (Content-Length set from it) and finishes; used for a
   * render method's return value.
   *
   * @example
   * ```ts
   * request.writeWhole('<h1>done</h1>');
   * ```
   */
  writeWhole(body: string | Uint8Array): void {
    if (this.finished || this.#disconnected) return;
    // A HEAD answer keeps the Content-Length the resource set (its body is empty by design).
    if (!this.startedWriting && !(this.method === 'HEAD' && this.#contentLength >= 0)) {
      this.#contentLength = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
    }
    this.write(body);
    this.finish();
  }

  /**
   * Writes body bytes (strings as UTF-8); the first call sends the head too. Throws after `finish()`.
   *
   * @example
   * ```ts
   * request.write('partial ');
   * ```
   */
  write(data: Uint8Array | string): void {
    if (this.finished || this.#finishing) {
      throw new Error('Request.write called on a request after Request.finish was called.');
    }
    if (this.#disconnected) return;
    const transport = this.channel.transport!;
    if (!this.startedWriting) {
      const head = this.#head();
      const size = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.length;
      if (this.#noBody || size === 0 || this.#encoder !== null) {
        const out = Buffer.allocUnsafe(head.length);
        writeLatin1(out, head, 0);
        transport.write(out);
        if (this.#encoder !== null && size > 0 && !this.#noBody) this.#encode(toBuffer(data));
        return;
      }
      this.sentLength += size;
      if (this.#framing === 'chunked') {
        transport.writeSequence([latin1Buffer(head + chunkHeader(size)), toBuffer(data), CRLF_BUFFER]);
      } else if (size < 16384) {
        // Head and body in one buffer: one write, one syscall.
        const out = Buffer.allocUnsafe(head.length + size);
        writeLatin1(out, head, 0);
        if (typeof data === 'string') writeUtf8(out, data, head.length);
        else out.set(data, head.length);
        transport.write(out);
      } else transport.writeSequence([latin1Buffer(head), toBuffer(data)]);
      return;
    }
    if (this.#noBody) return;
    if (this.#encoder !== null) this.#encode(toBuffer(data));
    else this.#writeBody(toBuffer(data));
  }

  /**
   * Writes `data` like `write()`, then tells whether the caller may overwrite it now: true when no
   * encoder holds it and the transport handed every byte to the kernel (nothing is queued). A file
   * producer reads into one buffer this way instead of allocating a fresh one per chunk, which
   * spares the garbage collector most of a download's allocations. Over TLS it always says false.
   *
   * @example
   * ```ts
   * if (!request.writeReusable(chunk)) chunk = Buffer.allocUnsafe(chunk.length);
   * ```
   */
  writeReusable(data: Uint8Array): boolean {
    this.write(data);
    if (this.#encoder !== null || this.#disconnected || this.isSecure()) return false;
    return (this.channel.transport as { bufferSize?: number } | null)?.bufferSize === 0;
  }

  #encode(data: Uint8Array): void {
    this.#encodedOut ??= (chunk: Buffer) => this.#writeBody(chunk);
    const encoder = this.#encoder as IResponseEncoder;
    const gate = this.#gate;
    // The compressor's input queue is full: hold the producer until it drains (one drain
    // callback, however many writes come while it is held).
    if (!encoder.encode(data, this.#encodedOut) && gate?.pauseFor(ENCODER) === true)
      encoder.onDrain(() => gate.resumeFor(ENCODER));
  }

  #writeBody(buf: Uint8Array): void {
    if (buf.length === 0 || this.#disconnected) return;
    this.sentLength += buf.length;
    const transport = this.channel.transport!;
    if (this.#framing === 'chunked')
      transport.writeSequence([latin1Buffer(chunkHeader(buf.length)), buf, CRLF_BUFFER]);
    else transport.write(buf);
  }

  /**
   * Lets `factories` compress the response (the first that accepts it wins); used by
   * `EncodingResourceWrapper`.
   *
   * @example
   * ```ts
   * request.addEncoderFactories([new GzipEncoderFactory()]);
   * ```
   */
  addEncoderFactories(factories: readonly IEncoderFactory[]): void {
    this.#encoderFactories = [...(this.#encoderFactories ?? []), ...factories];
  }

  #chooseEncoder(): void {
    for (const f of this.#encoderFactories ?? []) {
      const encoder = f.encoderForRequest(this);
      if (encoder === null) continue;
      this.#encoder = encoder;
      this.#contentLength = -1;
      this.responseHeaders.removeHeader('content-length');
      this.responseHeaders.setRawHeaders('Content-Encoding', [encoder.name]);
      this.responseHeaders.addRawHeader('Vary', 'Accept-Encoding');
      return;
    }
  }

  #head(): string {
    this.startedWriting = true;
    const code = this.code;
    this.#noBody = bodyForbidden(this.method, code);
    if (this.#encoderFactories !== null && !this.#noBody) this.#chooseEncoder();
    this.#framing = responseFraming({
      version: this.#version,
      method: this.method,
      code,
      contentLength: this.#contentLength,
    });
    const rh = this.#responseHeaders;
    let headers = DEFAULT_TYPE;
    let userClose = false;
    if (rh !== null) {
      const conn = rh.getHeader('connection');
      if (conn !== undefined && /(^|,)\s*close\s*(,|$)/i.test(conn)) userClose = true;
      const cl = rh.getHeader('content-length');
      if (cl !== undefined && this.#contentLength < 0) {
        this.#contentLength = Number(cl);
        this.#framing = responseFraming({
          version: this.#version,
          method: this.method,
          code,
          contentLength: this.#contentLength,
        });
      }
      headers = rh.toFlat(SKIP_ON_WRITE);
      if (!rh.hasHeader('content-type') && !this.#noBody) headers.push('Content-Type', 'text/html');
    } else if (this.#noBody && code !== 200) headers = [];
    this.#persistent =
      this.#keepAlive && this.#framing !== 'close' && !userClose && this.channel.acceptsMore();
    const date = rh?.hasHeader('date') === true ? null : this.site.date();
    return serializeResponseHead(this.#version, code, this.codeMessage, headers, {
      date,
      framing: this.#framing,
      contentLength: this.#contentLength,
      close: !this.#persistent,
      keepAlive: this.#persistent && this.#version === '1.0',
    });
  }

  /**
   * Ends the response. Throws when the client already disconnected (use `notifyFinish()` to
   * notice that); a second call does nothing.
   *
   * @example
   * ```ts
   * request.write(page); request.finish();
   * ```
   */
  finish(): void {
    if (this.finished) return;
    if (this.#disconnected) {
      throw new Error(
        'Request.finish called on a request after its connection was lost; use Request.notifyFinish to keep track of this.',
      );
    }
    if (this.#finishing) return;
    if (!this.startedWriting) {
      if (this.#contentLength < 0 && this.method !== 'HEAD') this.#contentLength = 0;
      this.write(EMPTY);
    }
    const encoder = this.#encoder;
    if (encoder !== null) {
      // Flush the compressor first; the response ends when it has.
      this.#finishing = true;
      this.#encodedOut ??= (chunk: Buffer) => this.#writeBody(chunk);
      encoder.finish(this.#encodedOut, () => {
        this.#encoder = null;
        this.#finishing = false;
        if (!this.#disconnected) this.finish();
      });
      return;
    }
    if (this.#framing === 'chunked') this.channel.transport!.write(LAST_CHUNK);
    if (this.#framing === 'length' && !this.#noBody && this.sentLength !== this.#contentLength)
      this.#persistent = false;
    this.finished = true;
    this.#spool?.dispose();
    this.site.log(this);
    this.channel.requestDone(this, this.#persistent);
    const waiters = this.#finishWaiters;
    if (waiters !== null) {
      this.#finishWaiters = null;
      for (const d of waiters) d.callback(undefined);
    }
  }

  /** Called by the channel when the connection is lost before `finish()`. */
  connectionLost(reason: Error): void {
    if (this.finished || this.#disconnected) return;
    this.#disconnected = true;
    this.#spool?.dispose();
    const waiters = this.#finishWaiters;
    this.#finishWaiters = null;
    for (const d of waiters ?? []) d.errback(reason);
  }

  /**
   * Registers a producer of the response body with the transport (flow control passes through).
   *
   * @example
   * ```ts
   * const stream = createReadStream('big.log');
   * const producer = { pauseProducing: () => stream.pause(), resumeProducing: () => stream.resume(),
   *   stopProducing: () => stream.destroy() };
   * request.registerProducer(producer, true); // the client reading slowly pauses the stream
   * stream.on('data', (chunk) => request.write(chunk));
   * stream.on('end', () => { request.unregisterProducer(); request.finish(); });
   * ```
   */
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    if (!streaming) {
      this.channel.transport!.registerProducer(producer, false);
      return;
    }
    this.#gate = new ProducerGate(producer as IPushProducer);
    this.channel.transport!.registerProducer(this.#gate, true);
  }

  /**
   * Unregisters the producer.
   *
   * @example
   * ```ts
   * request.unregisterProducer(); request.finish();
   * ```
   */
  unregisterProducer(): void {
    this.#gate = null;
    this.channel.transport?.unregisterProducer();
  }

  /** The response body length announced, or -1 (for logs and tests). */
  get responseLength(): number {
    return this.#contentLength;
  }

  /** True once the connection was lost before `finish()`. */
  get disconnected(): boolean {
    return this.#disconnected;
  }

  /** Drops every response header set so far (an error page replaces the response). */
  protected clearResponseHeaders(): void {
    this.#responseHeaders = null;
  }
}

function toBuffer(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

function latin1Buffer(s: string): Buffer {
  const out = Buffer.allocUnsafe(s.length);
  writeLatin1(out, s, 0);
  return out;
}
