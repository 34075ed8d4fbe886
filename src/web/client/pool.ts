/**
 * `HTTPConnectionPool`: keeps idle HTTP/1.1 connections per key (scheme, host, port) for reuse,
 * as Twisted's pool does. At most `maxPersistentPerHost` idle connections are kept per key (more
 * are closed as they become idle); an idle connection is closed after `cachedConnectionTimeout`
 * seconds on the reactor's clock (one sweep timer for the pool), and dropped from the cache when
 * the server closes it. Idle connections and the sweep timer are unref'd where the transport and
 * the clock allow it (`IRefable`), so a cache never keeps a process alive by itself: a script that
 * makes a request and prints the answer exits at once. When a reused connection turns out to be
 * dead (closed before any response byte) an idempotent request without a body (or with a
 * replayable one) is retried once on a new connection.
 *
 * @example
 * ```ts
 * const pool = new HTTPConnectionPool(reactor, { maxPersistentPerHost: 10 });
 * const agent = new Agent(reactor, { pool });
 * ```
 * @module
 */
import { Deferred } from '../../internet/defer.js';
import type { IStreamClientEndpoint } from '../../internet/endpoints/interfaces.js';
import type {
  IAddress,
  IDelayedCall,
  IProtocol,
  IProtocolFactory,
  IReactorTime,
  IRefable,
} from '../../internet/interfaces.js';
import { RequestNotSent, RequestTransmissionFailed, ResponseNeverReceived } from './errors.js';
import {
  type ClientRequest,
  HTTP11ClientProtocol,
  type HTTP11ClientProtocolOptions,
} from './http11-client-protocol.js';
import type { Response } from './response.js';

/**
 * Options of `HTTPConnectionPool`.
 *
 * @example
 * ```ts
 * const pool = new HTTPConnectionPool(reactor, {
 *   maxPersistentPerHost: 8,
 *   cachedConnectionTimeout: 30,
 *   retryAutomatically: false,
 * });
 * ```
 */
export interface HTTPConnectionPoolOptions {
  /** Keep connections for reuse (default true). */
  persistent?: boolean;
  /** Most idle connections kept per key (default 2, as in Twisted). */
  maxPersistentPerHost?: number;
  /** Seconds an idle connection is kept (default 240). */
  cachedConnectionTimeout?: number;
  /** Retry an idempotent request once when a reused connection was dead (default true). */
  retryAutomatically?: boolean;
}

/**
 * Connection settings the agent passes with each request.
 *
 * @example
 * ```ts
 * const settings: ConnectionSettings = { headersTimeout: 30, bodyTimeout: 60 };
 * const endpoint = new TCP4ClientEndpoint(reactor, '127.0.0.1', 8080);
 * const headers = new Headers({ Host: ['127.0.0.1:8080'] });
 * const req = new ClientRequest('GET', '/', 'http://127.0.0.1:8080/', headers);
 * const pool = new HTTPConnectionPool(reactor);
 * const response = await pool.request('http://127.0.0.1:8080', endpoint, req, settings);
 * ```
 */
export type ConnectionSettings = Omit<HTTP11ClientProtocolOptions, 'clock'>;

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/** `ref()`s or `unref()`s a transport or delayed call that is `IRefable`; others are left as they are. */
function holdProcess(x: object | null | undefined, hold: boolean): void {
  if (x === null || x === undefined || !('unref' in x)) return;
  if (hold) (x as IRefable).ref();
  else (x as IRefable).unref();
}

/** Builds one client protocol per connection. */
class ClientProtocolFactory implements IProtocolFactory {
  readonly #options: HTTP11ClientProtocolOptions;
  constructor(options: HTTP11ClientProtocolOptions) {
    this.#options = options;
  }
  buildProtocol(_addr: IAddress): IProtocol {
    return new HTTP11ClientProtocol(this.#options);
  }
  doStart(): void {}
  doStop(): void {}
}

interface Idle {
  readonly proto: HTTP11ClientProtocol;
  /** When it became idle, on the clock. */
  readonly since: number;
}

/**
 * The pool; see the module doc.
 *
 * @example
 * ```ts
 * const pool = new HTTPConnectionPool(reactor, { maxPersistentPerHost: 4 });
 * const agent = new Agent(reactor, { pool });
 * await readBody(await agent.request('GET', 'http://127.0.0.1:8080/a'));
 * pool.idleCount('http://127.0.0.1:8080'); // 1: the connection waits for the next request
 * await pool.closeCachedConnections(); // before shutting down
 * ```
 */
export class HTTPConnectionPool {
  /** Connections are kept for reuse (false: `Connection: close` on every request). */
  readonly persistent: boolean;
  /** Most idle connections kept per key. */
  readonly maxPersistentPerHost: number;
  /** Seconds an idle connection is kept. */
  readonly cachedConnectionTimeout: number;
  /** An idempotent request is retried once when a reused connection was dead. */
  readonly retryAutomatically: boolean;
  readonly #clock: IReactorTime;
  readonly #idle = new Map<string, Idle[]>();
  readonly #keys = new WeakMap<HTTP11ClientProtocol, string>();
  readonly #onReusable = (proto: HTTP11ClientProtocol): void => this.#release(proto);
  readonly #onClosed = (proto: HTTP11ClientProtocol): void => this.#forget(proto);
  /** One timer for the whole pool (not one per idle connection): it closes what has expired. */
  #sweep: IDelayedCall | null = null;
  readonly #onSweep = (): void => this.#sweepExpired();

  constructor(clock: IReactorTime, options: HTTPConnectionPoolOptions = {}) {
    this.#clock = clock;
    this.persistent = options.persistent ?? true;
    this.maxPersistentPerHost = options.maxPersistentPerHost ?? 2;
    this.cachedConnectionTimeout = options.cachedConnectionTimeout ?? 240;
    this.retryAutomatically = options.retryAutomatically ?? true;
  }

  /**
   * Sends `req` over an idle connection for `key`, or a new one from `endpoint`; fires with the
   * response. Cancelling stops connecting or aborts the connection.
   *
   * @example
   * ```ts
   * pool.request('http://h:80', endpoint, req, {}).addCallback(readBody);
   * ```
   */
  request(
    key: string,
    endpoint: IStreamClientEndpoint,
    req: ClientRequest,
    settings: ConnectionSettings,
  ): Deferred<Response> {
    const idle = this.#takeIdle(key);
    if (idle !== null) {
      const first = idle.request(req);
      if (!this.#mayRetry(req)) return first;
      // An errback returning a Deferred pauses the chain on it; cancel() follows it there.
      return first.addErrback((err: Error) => {
        if (
          !(
            err instanceof ResponseNeverReceived ||
            err instanceof RequestNotSent ||
            err instanceof RequestTransmissionFailed
          )
        ) {
          throw err;
        }
        return this.#connectAndSend(key, endpoint, req, settings);
      });
    }
    return this.#connectAndSend(key, endpoint, req, settings);
  }

  #mayRetry(req: ClientRequest): boolean {
    if (!this.retryAutomatically || !IDEMPOTENT.has(req.method)) return false;
    const p = req.bodyProducer as { replayable?: boolean } | null;
    return p === null || p.replayable === true;
  }

  #connectAndSend(
    key: string,
    endpoint: IStreamClientEndpoint,
    req: ClientRequest,
    settings: ConnectionSettings,
  ): Deferred<Response> {
    let inner: Deferred<Response> | null = null;
    const connecting = endpoint.connect(new ClientProtocolFactory({ ...settings, clock: this.#clock }));
    const d = new Deferred<Response>(() => {
      if (inner !== null) inner.cancel();
      else connecting.cancel();
    });
    connecting.addCallbacks(
      (p: IProtocol) => {
        const proto = p as HTTP11ClientProtocol;
        if (d.called) {
          proto.transport?.loseConnection();
          return;
        }
        this.#adopt(key, proto);
        inner = proto.request(req);
        inner.addCallbacks(
          (r: Response) => d.callback(r),
          (e: Error) => {
            if (!d.called) d.errback(e);
          },
        );
      },
      (err: Error) => {
        if (!d.called) d.errback(err);
      },
    );
    return d;
  }

  #adopt(key: string, proto: HTTP11ClientProtocol): void {
    this.#keys.set(proto, key);
    proto.onReusable = this.persistent ? this.#onReusable : null;
    proto.onClosed = this.#onClosed;
  }

  #takeIdle(key: string): HTTP11ClientProtocol | null {
    const list = this.#idle.get(key);
    if (list === undefined) return null;
    while (list.length > 0) {
      const e = list.pop() as Idle;
      if (e.proto.state === 'quiescent') {
        holdProcess(e.proto.transport, true);
        return e.proto;
      }
    }
    return null;
  }

  /**
   * Cancels the sweep timer once nothing is idle and a connection closed: nothing is left to sweep
   * (not when a connection is taken: it usually comes back at once).
   */
  #disarmWhenEmpty(): void {
    if (this.#sweep === null || this.idleCount() > 0) return;
    if (this.#sweep.active()) this.#sweep.cancel();
    this.#sweep = null;
  }

  #release(proto: HTTP11ClientProtocol): void {
    const key = this.#keys.get(proto) as string;
    let list = this.#idle.get(key);
    if (list === undefined) {
      list = [];
      this.#idle.set(key, list);
    }
    if (list.length >= this.maxPersistentPerHost) {
      proto.transport?.loseConnection();
      return;
    }
    list.push({ proto, since: this.#clock.seconds() });
    holdProcess(proto.transport, false);
    const timeout = this.cachedConnectionTimeout;
    if (this.#sweep === null && timeout > 0 && Number.isFinite(timeout)) {
      this.#sweep = this.#clock.callLater(timeout, this.#onSweep);
      holdProcess(this.#sweep, false);
    }
  }

  /** Closes the connections idle for `cachedConnectionTimeout`; re-arms for the next one due. */
  #sweepExpired(): void {
    this.#sweep = null;
    const timeout = this.cachedConnectionTimeout;
    const now = this.#clock.seconds();
    let oldest = Number.POSITIVE_INFINITY;
    for (const [key, list] of this.#idle) {
      let kept = 0;
      for (let i = 0; i < list.length; i++) {
        const e = list[i] as Idle;
        if (e.since + timeout <= now) e.proto.transport?.loseConnection();
        else {
          list[kept++] = e;
          if (e.since < oldest) oldest = e.since;
        }
      }
      list.length = kept;
      if (kept === 0) this.#idle.delete(key);
    }
    if (oldest !== Number.POSITIVE_INFINITY) {
      this.#sweep = this.#clock.callLater(oldest + timeout - now, this.#onSweep);
      holdProcess(this.#sweep, false);
    }
  }

  /** A connection closed: drop it from the idle cache (the server closed it while idle). */
  #forget(proto: HTTP11ClientProtocol): void {
    const key = this.#keys.get(proto);
    const list = key === undefined ? undefined : this.#idle.get(key);
    const i = list === undefined ? -1 : list.findIndex((e) => e.proto === proto);
    if (list !== undefined && i >= 0) {
      list.splice(i, 1);
      if (list.length === 0) this.#idle.delete(key as string);
    }
    this.#disarmWhenEmpty();
  }

  /**
   * How many idle connections are cached for `key` (all keys when omitted).
   *
   * @example
   * ```ts
   * pool.idleCount('http://127.0.0.1:8080'); // 1 after one keep-alive response
   * ```
   */
  idleCount(key?: string): number {
    if (key !== undefined) return this.#idle.get(key)?.length ?? 0;
    let n = 0;
    for (const l of this.#idle.values()) n += l.length;
    return n;
  }

  /**
   * Closes every idle connection; fires once they are closed.
   *
   * @example
   * ```ts
   * await pool.closeCachedConnections();
   * ```
   */
  closeCachedConnections(): Deferred<void> {
    const waits: Promise<void>[] = [];
    for (const list of this.#idle.values()) {
      for (const e of list.splice(0)) {
        const proto = e.proto;
        waits.push(
          new Promise<void>((resolve) => {
            const prev = proto.onClosed;
            proto.onClosed = (p) => {
              prev?.(p);
              resolve();
            };
          }),
        );
        proto.transport?.loseConnection();
      }
    }
    this.#idle.clear();
    if (this.#sweep?.active()) this.#sweep.cancel();
    this.#sweep = null;
    return Deferred.fromPromise(Promise.all(waits).then(() => undefined));
  }
}
