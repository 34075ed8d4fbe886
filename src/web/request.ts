/**
 * `Request`: one HTTP request as resources see it, Twisted's `server.Request`. On top of
 * `HTTPRequest` (method, headers, body, `write`/`finish`), it renders a resource (a returned body,
 * `NOT_DONE_YET`, a Promise or a Deferred), answers render errors with 500, and gives `args`
 * (query string and form bodies), cookies, redirects, conditional GETs (ETag/Last-Modified → 304)
 * and the session.
 *
 * @example
 * ```ts
 * class Greeting extends Resource {
 *   override isLeaf = true;
 *   render_GET(request: Request) {
 *     const name = request.args.get('name')?.[0] ?? 'world';
 *     request.addCookie('last', encodeURIComponent(name), { path: '/', httpOnly: true });
 *     return `Hello, ${name}!`;
 *   }
 * }
 * ```
 * @module
 */

import { Deferred } from '../internet/defer.js';
import { type CookieOptions, parseCookieHeader, serializeSetCookie } from './cookies.js';
import { type Args, FormError, multipartBoundary, parseMultipart, parseQuery } from './form.js';
import { parseHttpDate } from './http/codec/http-date.js';
import { STATUS_REASONS } from './http/codec/status.js';
import { HTTPRequest } from './http-request.js';
import {
  ErrorPage,
  escapeHtml,
  type IResource,
  NOT_DONE_YET,
  type RenderBody,
  type RenderResult,
} from './resource.js';
import type { Session } from './session.js';

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

/**
 * A request as resources see it; see the module doc.
 *
 * @example
 * ```ts
 * class Search extends Resource {
 *   override isLeaf = true;
 *   render_GET(request: Request) {
 *     const q = request.args.get('q')?.[0] ?? '';
 *     request.setHeader('Content-Type', 'application/json');
 *     return JSON.stringify({ q, visitor: request.getSession().uid });
 *   }
 * }
 * ```
 */
export class Request extends HTTPRequest {
  #args: Args | null = null;
  #cookies: Map<string, string> | null = null;
  #session: Session | null = null;
  #lastModified: number | null = null;

  /**
   * Query-string arguments, plus urlencoded or multipart form fields from the body (UTF-8
   * decoded; file parts' bytes are decoded too — use `getFormParts()` for the raw bytes). Throws
   * a `FormError` for a malformed body or one past the site's `multipartLimits` (the request is
   * then answered 400 or 413, not 500).
   */
  get args(): Args {
    if (this.#args === null) {
      const q = this.uri.indexOf('?');
      const args = q < 0 ? new Map<string, string[]>() : parseQuery(this.uri.slice(q + 1));
      const type = this.requestHeaders.getHeader('content-type')?.toLowerCase() ?? '';
      if (type.startsWith('application/x-www-form-urlencoded'))
        parseQuery(this.content.toString('latin1'), args, this.site.multipartLimits.maxParts ?? 1000);
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
   * The parts of a `multipart/form-data` body, or `null` when the body is not one. Throws a
   * `FormError` (400) when it is malformed or has more parts than the site's limit.
   *
   * @example
   * ```ts
   * const upload = request.getFormParts()?.find((p) => p.filename !== undefined);
   * ```
   */
  getFormParts(): ReturnType<typeof parseMultipart> {
    const type = this.requestHeaders.getHeader('content-type') ?? '';
    if (!type.toLowerCase().startsWith('multipart/form-data')) return null;
    const boundary = multipartBoundary(type);
    if (boundary === undefined) throw new FormError('multipart/form-data without a boundary');
    const parts = parseMultipart(this.content, boundary, this.site.multipartLimits);
    if (parts === null) throw new FormError('malformed multipart/form-data body, or too many parts');
    return parts;
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
    if (host !== undefined)
      return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
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
      this.addCookie(cookieName, session.uid, {
        path: '/',
        httpOnly: true,
        secure: this.isSecure(),
        sameSite: 'Lax',
      });
    }
    session.touch();
    this.#session = session;
    return session;
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
      this.writeWhole(result);
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
    if (
      result !== null &&
      typeof result === 'object' &&
      typeof (result as PromiseLike<RenderBody>).then === 'function'
    ) {
      (result as PromiseLike<RenderBody>).then(
        (v) => this.#rendered(v),
        (err: unknown) => this.processingFailed(err),
      );
      return;
    }
    this.processingFailed(new TypeError(`a render method returned ${String(result)}`));
  }

  /**
   * Answers 500 for an error raised while rendering, and logs it (the traceback goes in the page
   * only with the site's `displayTracebacks`). A `FormError` is the client's fault: it is answered
   * with its own status (400 or 413) and not logged. A response already started is cut short.
   *
   * @example
   * ```ts
   * doWork().catch((err) => request.processingFailed(err));
   * ```
   */
  processingFailed(err: unknown): void {
    const clientFault = err instanceof FormError;
    if (!clientFault) this.site.logRenderError(this, err);
    if (this.finished || this.disconnected) return;
    if (this.startedWriting) {
      this.channel.transport?.abortConnection();
      return;
    }
    if (clientFault) {
      this.clearResponseHeaders();
      const reason = STATUS_REASONS[err.status] ?? 'Bad Request';
      this.writeWhole(new ErrorPage(err.status, reason, err.message).render(this) as string);
      return;
    }
    const detail =
      this.site.displayTracebacks && err instanceof Error
        ? `<pre>${escapeHtml(err.stack ?? String(err))}</pre>`
        : '';
    const body = `<html><head><title>500 - Internal Server Error</title></head><body><h1>Internal Server Error</h1><p>An error occurred rendering the requested page.</p>${detail}</body></html>\n`;
    this.setResponseCode(500);
    this.clearResponseHeaders();
    this.setHeader('Content-Type', 'text/html; charset=utf-8');
    this.writeWhole(body);
  }
}
