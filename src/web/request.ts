/**
 * `Request`: one HTTP request and its response, Twisted's `server.Request`. Resources read the
 * request (`method`, `uri`, `path`, `args`, `requestHeaders`, `content`, cookies, session) and
 * answer through it (`setResponseCode`, `setHeader`, `write`, `finish`, `redirect`…).
 *
 * The response is framed by the codec: Content-Length when the length is known before the first
 * write (a render method returning the whole body), chunked when streamed over HTTP/1.1,
 * close-delimited over HTTP/1.0, no body for HEAD/1xx/204/304. The head and the first body bytes
 * leave in one write. `Request` is an `IConsumer`: `registerProducer` passes through to the
 * transport, so a streaming producer is paused when the client reads slowly.
 *
 * @example
 * ```ts
 * class Clock extends Resource {
 *   override isLeaf = true;
 *   render_GET(request: Request) {
 *     request.setHeader('Content-Type', 'text/plain');
 *     request.write('It is ');
 *     setTimeout(() => { request.write(new Date().toISOString()); request.finish(); }, 0);
 *     return NOT_DONE_YET;
 *   }
 * }
 * ```
 * @module
 */
import { Deferred } from '../internet/defer.js';
import { ConnectionDone } from '../internet/error.js';
import type { IAddress, IConsumer, IPullProducer, IPushProducer } from '../internet/interfaces.js';
import { type CookieOptions, parseCookieHeader, serializeSetCookie } from './cookies.js';
import { type Args, multipartBoundary, parseMultipart, parseQuery } from './form.js';
import { Headers } from './headers.js';
import type { HTTPChannel } from './http-channel.js';
import type { HttpVersion, RequestReceived } from './http/codec/events.js';
import { writeLatin1, writeUtf8 } from './http/codec/bytes.js';
import { parseHttpDate } from './http/codec/http-date.js';
import {
  bodyForbidden,
  CRLF_BUFFER,
  chunkHeader,
  LAST_CHUNK,
  type ResponseFraming,
  responseFraming,
  serializeResponseHead,
} from './http/codec/serializer.js';
import { type IResource, NOT_DONE_YET, type RenderBody, type RenderResult } from './resource.js';
import type { Session } from './session.js';
import type { Site } from './site.js';

/**
 * Returned by `setETag`/`setLastModified` when the client's copy is current (Twisted's
 * `http.CACHED`): the status is already 304, send no body.
 *
 * @example
 * ```ts
 * if (request.setLastModified(mtime) === CACHED) return '';
 * ```
 */
export const CACHED: unique symbol = Symbol('CACHED');

const SKIP_ON_WRITE = new Set(['content-length', 'transfer-encoding', 'connection']);
const DEFAULT_TYPE = ['Content-Type', 'text/html'];
const EMPTY = Buffer.alloc(0);

/** One request/response exchange on an `HTTPChannel`; see the module doc. */
export class Request implements IConsumer {
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
  /** Segments of the path to the site's root (for URL building). */
  sitepath: string[] = [];

  readonly #version: HttpVersion;
  readonly #keepAlive: boolean;
  #responseHeaders: Headers | null = null;
  #contentLength = -1;
  #framing: ResponseFraming = 'none';
  #noBody = false;
  #persistent = false;
  #body: Buffer[] | null = null;
  #content: Buffer | null = null;
  #args: Args | null = null;
  #cookies: Map<string, string> | null = null;
  #disconnected = false;
  #finishWaiters: Deferred<void>[] | null = null;
  #session: Session | null = null;
  #lastModified: number | null = null;

  constructor(channel: HTTPChannel, head: RequestReceived) {
    this.channel = channel;
    this.site = channel.site;
    this.method = head.method;
    this.#version = head.version;
    this.clientproto = head.version === '1.1' ? 'HTTP/1.1' : 'HTTP/1.0';
    this.#keepAlive = head.keepAlive;
    let target = head.target;
    if (target.charCodeAt(0) !== 0x2f && /^https?:\/\//i.test(target)) {
      const slash = target.indexOf('/', target.indexOf('//') + 2);
      target = slash < 0 ? '/' : target.slice(slash);
    }
    this.uri = target;
    const q = target.indexOf('?');
    this.path = q < 0 ? target : target.slice(0, q);
    this.postpath = this.path.split('/').slice(1).map(unquote);
    this.requestHeaders = Headers.fromRaw(head.rawHeaders);
  }

  /** Response header fields (created on first use). */
  get responseHeaders(): Headers {
    this.#responseHeaders ??= new Headers();
    return this.#responseHeaders;
  }

  /** The request body (empty when there was none). */
  get content(): Buffer {
    if (this.#content === null) {
      const b = this.#body;
      this.#content = b === null ? EMPTY : b.length === 1 ? (b[0] as Buffer) : Buffer.concat(b);
      this.#body = null;
    }
    return this.#content;
  }

  /**
   * Query-string arguments, plus urlencoded or multipart form fields from the body (UTF-8
   * decoded; file parts' bytes are decoded too — use `getFormParts()` for the raw bytes).
   */
  get args(): Args {
    if (this.#args === null) {
      const q = this.uri.indexOf('?');
      const args = q < 0 ? new Map<string, string[]>() : parseQuery(this.uri.slice(q + 1));
      const type = this.requestHeaders.getHeader('content-type')?.toLowerCase() ?? '';
      if (type.startsWith('application/x-www-form-urlencoded')) parseQuery(this.content.toString('latin1'), args);
      else if (type.startsWith('multipart/form-data')) {
        for (const p of this.getFormParts() ?? []) {
          const list = args.get(p.name);
          const v = p.data.toString('utf8');
          if (list === undefined) args.set(p.name, [v]);
          else list.push(v);
        }
      }
      this.#args = args;
    }
    return this.#args;
  }

  /**
   * The parts of a `multipart/form-data` body, or `null` when the body is not one (or malformed).
   *
   * @example
   * ```ts
   * const upload = request.getFormParts()?.find((p) => p.filename !== undefined);
   * ```
   */
  getFormParts(): ReturnType<typeof parseMultipart> {
    const type = this.requestHeaders.getHeader('content-type') ?? '';
    const boundary = multipartBoundary(type);
    return boundary === undefined ? null : parseMultipart(this.content, boundary, this.site.multipartLimits);
  }

  /** Called by the channel with each piece of the body. */
  handleContentChunk(data: Buffer): void {
    (this.#body ??= []).push(data);
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
    if (!Number.isInteger(code) || code < 100 || code > 999) throw new RangeError(`invalid status code ${code}`);
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
   * The Host header without the port, or the local address.
   *
   * @example
   * ```ts
   * request.getRequestHostname(); // 'example.com'
   * ```
   */
  getRequestHostname(): string {
    const host = this.getHeader('host');
    if (host !== undefined) return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
    const h = this.getHost();
    return 'host' in h ? (h.host as string) : 'localhost';
  }

  /**
   * The absolute URL of the path traversed so far.
   *
   * @example
   * ```ts
   * request.prePathURL(); // 'http://example.com/app'
   * ```
   */
  prePathURL(): string {
    const host = this.getHeader('host') ?? this.getRequestHostname();
    const segs = this.prepath.map((s) => encodeURIComponent(s)).join('/');
    return `${this.isSecure() ? 'https' : 'http'}://${host}/${segs}`;
  }

  /**
   * The value of cookie `name` sent by the client.
   *
   * @example
   * ```ts
   * request.getCookie('theme');
   * ```
   */
  getCookie(name: string): string | undefined {
    if (this.#cookies === null) {
      this.#cookies = new Map();
      for (const h of this.requestHeaders.getRawHeaders('cookie') ?? []) parseCookieHeader(h, this.#cookies);
    }
    return this.#cookies.get(name);
  }

  /**
   * Adds a `Set-Cookie` header.
   *
   * @example
   * ```ts
   * request.addCookie('theme', 'dark', { path: '/', maxAge: 86400, httpOnly: true, sameSite: 'Lax' });
   * ```
   */
  addCookie(name: string, value: string, options: CookieOptions = {}): void {
    this.responseHeaders.addRawHeader('Set-Cookie', serializeSetCookie(name, value, options));
  }

  /**
   * Redirects (302) to `url`.
   *
   * @example
   * ```ts
   * request.redirect('/login'); request.finish();
   * ```
   */
  redirect(url: string): void {
    this.setResponseCode(302);
    this.setHeader('Location', url);
  }

  /**
   * Sets `Last-Modified` (seconds since the epoch, or a Date) and answers 304 for a conditional
   * GET/HEAD whose `If-Modified-Since` is not older.
   *
   * @example
   * ```ts
   * if (request.setLastModified(stat.mtimeMs / 1000) === CACHED) return '';
   * ```
   */
  setLastModified(when: number | Date): typeof CACHED | null {
    const t = Math.floor(when instanceof Date ? when.getTime() / 1000 : when);
    if (this.#lastModified === null || t > this.#lastModified) this.#lastModified = t;
    this.responseHeaders.setRawHeaders('Last-Modified', [new Date(this.#lastModified * 1000).toUTCString()]);
    const since = this.getHeader('if-modified-since');
    if (since !== undefined && (this.method === 'GET' || this.method === 'HEAD') && !this.#hasIfNoneMatch()) {
      const s = parseHttpDate(since.split(';')[0]!.trim());
      if (s !== null && s >= this.#lastModified) {
        this.setResponseCode(304);
        return CACHED;
      }
    }
    return null;
  }

  /** True when the client sent If-None-Match (which takes precedence over If-Modified-Since). */
  #hasIfNoneMatch(): boolean {
    return this.requestHeaders.hasHeader('if-none-match');
  }

  /**
   * Sets `ETag` (quoted if not already) and answers 304 (GET/HEAD) or 412 (other methods) when
   * `If-None-Match` matches it or is `*`.
   *
   * @example
   * ```ts
   * if (request.setETag(hash) === CACHED) return '';
   * ```
   */
  setETag(etag: string): typeof CACHED | null {
    const tag = etag.startsWith('"') || etag.startsWith('W/"') ? etag : `"${etag}"`;
    this.responseHeaders.setRawHeaders('ETag', [tag]);
    const inm = this.getHeader('if-none-match');
    if (inm === undefined) return null;
    const weak = (t: string): string => (t.startsWith('W/') ? t.slice(2) : t);
    const tags = inm.split(',').map((t) => weak(t.trim()));
    if (tags.includes('*') || tags.includes(weak(tag))) {
      this.setResponseCode(this.method === 'GET' || this.method === 'HEAD' ? 304 : 412);
      return CACHED;
    }
    return null;
  }

  /**
   * The session of this client, created (with its cookie) on first use.
   *
   * @example
   * ```ts
   * const session = request.getSession();
   * session.touch();
   * ```
   */
  getSession(): Session {
    if (this.#session !== null) return this.#session;
    const cookieName = this.site.sessionCookieName(this.isSecure());
    const uid = this.getCookie(cookieName);
    let session = uid === undefined ? undefined : this.site.getSession(uid);
    if (session === undefined) {
      session = this.site.makeSession();
      this.addCookie(cookieName, session.uid, { path: '/', httpOnly: true, secure: this.isSecure(), sameSite: 'Lax' });
    }
    session.touch();
    this.#session = session;
    return session;
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
    else if (this.#disconnected) d.errback(new ConnectionDone('The client disconnected before the response finished.'));
    else (this.#finishWaiters ??= []).push(d);
    return d;
  }

  /**
   * Renders `resource` into this request; called by the site after traversal.
   *
   * @example
   * ```ts
   * request.render(new Data('hi', 'text/plain'));
   * ```
   */
  render(resource: IResource): void {
    let result: RenderResult;
    try {
      result = resource.render(this);
    } catch (err) {
      this.processingFailed(err);
      return;
    }
    this.#rendered(result);
  }

  #rendered(result: RenderResult): void {
    if (result === NOT_DONE_YET) return;
    if (typeof result === 'string' || result instanceof Uint8Array) {
      this.#writeWhole(result);
      return;
    }
    if (result instanceof Deferred) {
      // Deferreds call back synchronously: keep it so (a Promise's `then` would wait a microtask).
      (result as Deferred<RenderBody>).addCallbacks(
        (v: RenderBody) => this.#rendered(v),
        (err: Error) => this.processingFailed(err),
      );
      return;
    }
    if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<RenderBody>).then === 'function') {
      (result as PromiseLike<RenderBody>).then(
        (v) => this.#rendered(v),
        (err: unknown) => this.processingFailed(err),
      );
      return;
    }
    this.processingFailed(new TypeError(`a render method returned ${String(result)}`));
  }

  #writeWhole(body: string | Uint8Array): void {
    if (this.finished || this.#disconnected) return;
    // A HEAD answer keeps the Content-Length the resource set (its body is empty by design).
    if (!this.startedWriting && !(this.method === 'HEAD' && this.#contentLength >= 0)) {
      this.#contentLength = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
    }
    this.write(body);
    this.finish();
  }

  /**
   * Answers 500 for an error raised while rendering, and logs it (the traceback goes in the page
   * only with the site's `displayTracebacks`).
   *
   * @example
   * ```ts
   * doWork().catch((err) => request.processingFailed(err));
   * ```
   */
  processingFailed(err: unknown): void {
    this.site.logRenderError(this, err);
    if (this.finished || this.#disconnected) return;
    if (this.startedWriting) {
      this.channel.transport?.abortConnection();
      return;
    }
    const detail =
      this.site.displayTracebacks && err instanceof Error ? `<pre>${escape(err.stack ?? String(err))}</pre>` : '';
    const body = `<html><head><title>500 - Internal Server Error</title></head><body><h1>Internal Server Error</h1><p>An error occurred rendering the requested page.</p>${detail}</body></html>\n`;
    this.setResponseCode(500);
    this.#responseHeaders = null;
    this.setHeader('Content-Type', 'text/html; charset=utf-8');
    this.#writeWhole(body);
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
    if (this.finished) throw new Error('Request.write called on a request after Request.finish was called.');
    if (this.#disconnected) return;
    const transport = this.channel.transport!;
    if (!this.startedWriting) {
      const head = this.#head();
      const size = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.length;
      if (this.#noBody || size === 0) {
        const out = Buffer.allocUnsafe(head.length);
        writeLatin1(out, head, 0);
        transport.write(out);
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
    const buf = toBuffer(data);
    if (buf.length === 0 || this.#noBody) return;
    this.sentLength += buf.length;
    if (this.#framing === 'chunked') transport.writeSequence([latin1Buffer(chunkHeader(buf.length)), buf, CRLF_BUFFER]);
    else transport.write(buf);
  }

  #head(): string {
    this.startedWriting = true;
    const code = this.code;
    this.#noBody = bodyForbidden(this.method, code);
    this.#framing = responseFraming({ version: this.#version, method: this.method, code, contentLength: this.#contentLength });
    const rh = this.#responseHeaders;
    let headers = DEFAULT_TYPE;
    let userClose = false;
    if (rh !== null) {
      const conn = rh.getHeader('connection');
      if (conn !== undefined && /(^|,)\s*close\s*(,|$)/i.test(conn)) userClose = true;
      const cl = rh.getHeader('content-length');
      if (cl !== undefined && this.#contentLength < 0) {
        this.#contentLength = Number(cl);
        this.#framing = responseFraming({ version: this.#version, method: this.method, code, contentLength: this.#contentLength });
      }
      headers = rh.toFlat(SKIP_ON_WRITE);
      if (!rh.hasHeader('content-type') && !this.#noBody) headers.push('Content-Type', 'text/html');
    } else if (this.#noBody && code !== 200) headers = [];
    this.#persistent = this.#keepAlive && this.#framing !== 'close' && !userClose && this.channel.acceptsMore();
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
      throw new Error('Request.finish called on a request after its connection was lost; use Request.notifyFinish to keep track of this.');
    }
    if (!this.startedWriting) {
      if (this.#contentLength < 0 && this.method !== 'HEAD') this.#contentLength = 0;
      this.write(EMPTY);
    } else if (this.#framing === 'chunked') this.channel.transport!.write(LAST_CHUNK);
    if (this.#framing === 'length' && !this.#noBody && this.sentLength !== this.#contentLength) this.#persistent = false;
    this.finished = true;
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
    const waiters = this.#finishWaiters;
    this.#finishWaiters = null;
    for (const d of waiters ?? []) d.errback(reason);
  }

  /**
   * Registers a producer of the response body with the transport (flow control passes through).
   *
   * @example
   * ```ts
   * request.registerProducer(new FileProducer(fd, request), true);
   * ```
   */
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    this.channel.transport!.registerProducer(producer, streaming);
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
    this.channel.transport?.unregisterProducer();
  }

  /** The response body length announced, or -1 (for logs and tests). */
  get responseLength(): number {
    return this.#contentLength;
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

function unquote(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
