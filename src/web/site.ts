/**
 * `Site`: the factory that serves a resource tree over HTTP, Twisted's `server.Site`. It builds an
 * `HTTPChannel` per connection, walks the tree for each request, keeps the sessions, writes the
 * access log (Combined Log Format; the `logPath` file once per turn of the event loop) and owns
 * the clock the channels' timeouts and the sessions' expiry use (default: the global reactor,
 * reached lazily).
 *
 * | option               | default            | meaning                                                 |
 * |----------------------|--------------------|---------------------------------------------------------|
 * | `timeout`            | 60 s               | idle keep-alive connection closed after this            |
 * | `headerTimeout`      | 30 s               | a request head must arrive within this (408; slowloris) |
 * | `requestTimeout`     | 300 s              | a request body must arrive within this (408)            |
 * | `limits`             | codec defaults     | size limits (see `http/codec/limits.ts`)                |
 * | `spoolThreshold`     | 1 MiB              | request bodies larger than this go to a temporary file  |
 * | `multipartLimits`    | 1000 fields        | form parsing limits of `Request.args` (see `form.ts`)   |
 * | `logPath`            | none               | append the access log to this file                      |
 * | `displayTracebacks`  | false              | put the stack of a render error in the 500 page         |
 * | `sessionFactory`     | `Session`          | class of `Request.getSession()`'s sessions              |
 * | `clock`              | global reactor     | timers (timeouts, sessions)                             |
 * | `wallClock`          | `Date.now()/1000`  | the time in Date headers and logs (seconds since epoch) |
 *
 * @example
 * ```ts
 * import { Resource, Site } from 'twisted-ts/web';
 * import { reactor } from 'twisted-ts/internet';
 * const site = new Site(root, { logPath: 'access.log', timeout: 30 });
 * reactor.listenTCP(8080, site);
 * ```
 * @module
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { getReactor } from '../internet/default-reactor.js';
import type { IAddress, IReactorTime } from '../internet/interfaces.js';
import { Factory } from '../internet/protocol.js';
import { Logger } from '../logger/logger.js';
import { combinedLogLine } from './access-log.js';
import type { MultipartLimits } from './form.js';
import { HttpDateCache } from './http/codec/http-date.js';
import { type HttpLimits, type ResolvedHttpLimits, resolveLimits } from './http/codec/limits.js';
import { HTTPChannel } from './http-channel.js';
import type { HTTPRequest } from './http-request.js';
import type { Request } from './request.js';
import { getChildForRequest, type IResource } from './resource.js';
import { Session, type SessionOwner } from './session.js';
import { TimeoutSweeper } from './timeout-sweeper.js';

/**
 * A `Session` class, or a subclass, that a site instantiates for each new session.
 *
 * @example
 * ```ts
 * class Cart extends Session { items: string[] = []; }
 * new Site(root, { sessionFactory: Cart });
 * ```
 */
export type SessionFactory = new (site: SessionOwner, uid: string) => Session;

/**
 * Options of `Site`; see the module table.
 *
 * @example
 * ```ts
 * const site = new Site(root, {
 *   timeout: 30,
 *   headerTimeout: 10,
 *   spoolThreshold: 4 * 1024 * 1024,
 *   limits: { maxHeaderSize: 16 * 1024 },
 *   accessLog: (line) => console.log(line),
 * });
 * ```
 */
export interface SiteOptions {
  /** Seconds an idle keep-alive connection stays open (default 60). */
  timeout?: number;
  /** Seconds a request head has to arrive, from its first byte (default 30; then 408). */
  headerTimeout?: number;
  /** Seconds a request body has to arrive (default 300; then 408). */
  requestTimeout?: number;
  /** Size limits of the HTTP codec (`http/codec/limits.ts`). */
  limits?: HttpLimits;
  /** Request bodies larger than this many bytes are spooled to a temporary file (default 1 MiB). */
  spoolThreshold?: number;
  /** Limits of form parsing for `Request.args` (default 1000 fields). */
  multipartLimits?: MultipartLimits;
  /** A file the access log (Combined Log Format) is appended to. */
  logPath?: string;
  /** Receives each access-log line instead of (or as well as) `logPath`. */
  accessLog?: (line: string) => void;
  /** Put the stack of a render error in its 500 page (default false). */
  displayTracebacks?: boolean;
  /** The class of the sessions `Request.getSession()` makes (default `Session`). */
  sessionFactory?: SessionFactory;
  /** The clock of timeouts and session expiry (default: the global reactor). */
  clock?: IReactorTime;
  /** The time of Date headers and log lines, in seconds since the epoch (default `Date.now() / 1000`). */
  wallClock?: () => number;
  /** Logger for render errors (default namespace `twisted-ts.web`). */
  logger?: Logger;
}

/**
 * Serves a resource tree; see the module doc.
 *
 * @example
 * ```ts
 * const root = new Resource();
 * root.putChild('', new Data('<h1>home</h1>', 'text/html'));
 * const site = new Site(root, { timeout: 60, logPath: 'access.log' });
 * reactor.listenTCP(8080, site);
 * ```
 */
export class Site extends Factory implements SessionOwner {
  /** The root of the tree. */
  resource: IResource;
  /** Render errors show their stack in the 500 page. */
  displayTracebacks: boolean;
  /** Seconds an idle keep-alive connection stays open. */
  readonly timeout: number;
  /** Seconds a request head has to arrive. */
  readonly headerTimeout: number;
  /** Seconds a request body has to arrive. */
  readonly requestTimeout: number;
  /** The codec's size limits, defaults filled in. */
  readonly limits: ResolvedHttpLimits;
  /** Request bodies larger than this many bytes go to a temporary file. */
  readonly spoolThreshold: number;
  /** Limits of form parsing. */
  readonly multipartLimits: MultipartLimits;
  /** Base name of the session cookie (`TWISTED_SESSION`; `TWISTED_SECURE_SESSION` over TLS). */
  sessionCookieBaseName = 'TWISTED_SESSION';
  readonly #sessionFactory: SessionFactory;
  readonly #sessions = new Map<string, Session>();
  readonly #clockOption: IReactorTime | undefined;
  readonly #wallClock: () => number;
  readonly #dates = new HttpDateCache();
  readonly #logPath: string | undefined;
  readonly #accessLog: ((line: string) => void) | undefined;
  readonly #logger: Logger;
  /** The access log file, open between `startFactory` and `stopFactory`. */
  #logFd = -1;
  /** Lines not written yet: written together once per turn of the event loop. */
  #logPending = '';
  /** Checks the connections' timeouts once a second (one timer per site). */
  readonly timeouts = new TimeoutSweeper(() => this.clock);

  constructor(resource: IResource, options: SiteOptions = {}) {
    super();
    this.resource = resource;
    this.displayTracebacks = options.displayTracebacks ?? false;
    this.timeout = options.timeout ?? 60;
    this.headerTimeout = options.headerTimeout ?? 30;
    this.requestTimeout = options.requestTimeout ?? 300;
    this.limits = resolveLimits(options.limits);
    this.spoolThreshold = options.spoolThreshold ?? 1024 * 1024;
    this.multipartLimits = options.multipartLimits ?? {};
    this.#sessionFactory = options.sessionFactory ?? Session;
    this.#clockOption = options.clock;
    this.#wallClock = options.wallClock ?? (() => Date.now() / 1000);
    this.#logPath = options.logPath;
    this.#accessLog = options.accessLog;
    this.#logger = options.logger ?? new Logger('twisted-ts.web');
  }

  /** The clock of timeouts and session expiry. */
  get clock(): IReactorTime {
    return this.#clockOption ?? getReactor();
  }

  /**
   * A channel for a new connection.
   *
   * @example
   * ```ts
   * reactor.listenTCP(8080, site); // calls buildProtocol per connection
   * ```
   */
  override buildProtocol(_addr: IAddress): HTTPChannel {
    const channel = new HTTPChannel(this);
    channel.factory = this;
    return channel;
  }

  /**
   * Opens the access log file, if any.
   *
   * @example
   * ```ts
   * site.doStart(); // done by the port
   * ```
   */
  override startFactory(): void {
    if (this.#logPath !== undefined && this.#logFd < 0) this.#logFd = openSync(this.#logPath, 'a');
  }

  /**
   * Closes the access log file.
   *
   * @example
   * ```ts
   * site.doStop();
   * ```
   */
  override stopFactory(): void {
    if (this.#logFd < 0) return;
    this.#flushLog();
    closeSync(this.#logFd);
    this.#logFd = -1;
  }

  /**
   * The resource that will render `request` (walks the tree).
   *
   * @example
   * ```ts
   * site.getResourceFor(request).render(request);
   * ```
   */
  getResourceFor(request: Request): IResource {
    if (request.prepath.length > 0) request.sitepath = [...request.prepath];
    return getChildForRequest(this.resource, request);
  }

  /**
   * The Date header value for now (formatted at most once a second).
   *
   * @example
   * ```ts
   * site.date(); // 'Mon, 23 Nov 2026 21:00:00 GMT'
   * ```
   */
  date(): string {
    return this.#dates.get(this.#wallClock());
  }

  /**
   * Writes the access-log line of a finished request.
   *
   * @example
   * ```ts
   * site.log(request); // done by Request.finish()
   * ```
   */
  log(request: HTTPRequest): void {
    if (this.#logFd < 0 && this.#accessLog === undefined) return;
    const line = combinedLogLine(request, this.#wallClock());
    if (this.#logFd >= 0) {
      if (this.#logPending.length === 0) setImmediate(() => this.#flushLog());
      this.#logPending += `${line}\n`;
      if (this.#logPending.length > 65536) this.#flushLog();
    }
    this.#accessLog?.(line);
  }

  /**
   * Writes the pending access-log lines. Synchronous, so that lines are in order and none is lost
   * when the process exits right after `stopFactory`; batched, so a busy server makes one write
   * per turn of the event loop, not one per request.
   */
  #flushLog(): void {
    const text = this.#logPending;
    this.#logPending = '';
    if (text.length > 0 && this.#logFd >= 0) writeSync(this.#logFd, text);
  }

  /**
   * Logs an error raised while rendering `request`.
   *
   * @example
   * ```ts
   * site.logRenderError(request, err);
   * ```
   */
  logRenderError(request: Request, err: unknown): void {
    this.#logger.failure('Error rendering {method} {uri}', err, { method: request.method, uri: request.uri });
  }

  /**
   * The session cookie's name.
   *
   * @example
   * ```ts
   * site.sessionCookieName(false); // 'TWISTED_SESSION'
   * ```
   */
  sessionCookieName(secure: boolean): string {
    return secure
      ? this.sessionCookieBaseName.replace('_SESSION', '_SECURE_SESSION')
      : this.sessionCookieBaseName;
  }

  /**
   * Creates a session with a fresh random uid and starts its expiry timer.
   *
   * @example
   * ```ts
   * const s = site.makeSession();
   * ```
   */
  makeSession(): Session {
    const uid = randomBytes(16).toString('hex');
    const session = new this.#sessionFactory(this, uid);
    this.#sessions.set(uid, session);
    session.startCheckingExpiration();
    return session;
  }

  /**
   * The live session `uid`, or undefined.
   *
   * @example
   * ```ts
   * site.getSession(uid)?.touch();
   * ```
   */
  getSession(uid: string): Session | undefined {
    return this.#sessions.get(uid);
  }

  /** Forgets an expired session (called by `Session.expire`). */
  sessionExpired(session: Session): void {
    this.#sessions.delete(session.uid);
  }
}
