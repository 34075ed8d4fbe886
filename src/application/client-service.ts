/**
 * `ClientService`: keeps one client connection up while running, reconnecting with backoff,
 * Twisted's modern `ClientService` (the successor of `ReconnectingClientFactory`).
 *
 * @example
 * ```ts
 * import { ClientService } from 'twisted-ts/application';
 * import { clientFromString } from 'twisted-ts/internet';
 * const svc = new ClientService(clientFromString(reactor, 'tcp:example.com:6667'), ircFactory);
 * svc.startService();
 * const irc = await svc.whenConnected();
 * ```
 * @module
 */

import { reactor } from '../internet/default-reactor.js';
import { CancelledError, Deferred } from '../internet/defer.js';
import type { IStreamClientEndpoint } from '../internet/endpoints/interfaces.js';
import type { IDelayedCall, IProtocol, IProtocolFactory, IReactorTime } from '../internet/interfaces.js';
import { Logger } from '../logger/logger.js';
import { backoffPolicy, type RetryPolicy } from './backoff.js';
import { Service } from './service.js';
import { TrackedProtocol, TrackingFactory } from './tracking-factory.js';

const log = new Logger('twisted-ts.application.client');

/**
 * Options of `ClientService`.
 *
 * @example
 * ```ts
 * new ClientService(endpoint, factory, { retryPolicy: backoffPolicy({ maxDelay: 10 }), clock: reactor });
 * ```
 */
export interface ClientServiceOptions {
  /** Seconds to wait after N failed attempts (default `backoffPolicy()`). */
  retryPolicy?: RetryPolicy;
  /** Where retry delays are scheduled (default: the global reactor). */
  clock?: IReactorTime;
  /** Called with each new protocol before `whenConnected` waiters see it; may return a Promise. */
  prepareConnection?: (protocol: IProtocol) => unknown;
}

/**
 * Options of `whenConnected`.
 *
 * @example
 * ```ts
 * const proto = await service.whenConnected({ failAfterFailures: 3 });
 * ```
 */
export interface WhenConnectedOptions {
  /** Fail (with the last connection error) after this many failed attempts instead of waiting on. */
  failAfterFailures?: number;
}

interface Waiter {
  readonly d: Deferred<IProtocol>;
  readonly failAfter: number | undefined;
}

/**
 * Connects on start, reconnects after a failure or a lost connection (waiting `retryPolicy(n)`
 * seconds), disconnects on stop.
 *
 * @example
 * ```ts
 * const svc = new ClientService(endpoint, factory, { retryPolicy: backoffPolicy({ maxDelay: 10 }), clock });
 * svc.startService();
 * const proto = await svc.whenConnected({ failAfterFailures: 3 });
 * ```
 */
export class ClientService extends Service {
  /** Where to connect. */
  readonly endpoint: IStreamClientEndpoint;
  readonly #tracking: TrackingFactory;
  readonly #retryPolicy: RetryPolicy;
  readonly #clock: IReactorTime;
  readonly #prepare: ((protocol: IProtocol) => unknown) | undefined;
  #failedAttempts = 0;
  #connecting: Deferred<IProtocol> | null = null;
  #retry: IDelayedCall | null = null;
  #current: TrackedProtocol | null = null;
  #protocol: IProtocol | null = null;
  #waiters: Waiter[] = [];
  #stopWaiters: (() => void)[] = [];
  #stopped = false;

  constructor(
    endpoint: IStreamClientEndpoint,
    factory: IProtocolFactory,
    options: ClientServiceOptions = {},
  ) {
    super();
    this.endpoint = endpoint;
    this.#tracking = new TrackingFactory(factory, { connectionLost: (_p, reason) => this.#lost(reason) });
    this.#retryPolicy = options.retryPolicy ?? backoffPolicy();
    this.#clock = options.clock ?? reactor;
    this.#prepare = options.prepareConnection;
  }

  /**
   * Starts connecting.
   *
   * @example
   * ```ts
   * svc.startService();
   * ```
   */
  override startService(): void {
    if (this.running) return;
    super.startService();
    this.#stopped = false;
    this.#failedAttempts = 0;
    this.#connect();
  }

  /**
   * Fires with the connected protocol: at once when connected, else at the next connection. Fails
   * with `CancelledError` when the service stops first, and with the connection error after
   * `failAfterFailures` failed attempts.
   *
   * @example
   * ```ts
   * const proto = await svc.whenConnected({ failAfterFailures: 1 });
   * ```
   */
  whenConnected(options: WhenConnectedOptions = {}): Deferred<IProtocol> {
    const d = new Deferred<IProtocol>();
    if (this.#protocol !== null) d.callback(this.#protocol);
    else if (!this.running && this.#stopped) d.errback(new CancelledError('The ClientService was stopped.'));
    else this.#waiters.push({ d, failAfter: options.failAfterFailures });
    return d;
  }

  /**
   * Stops reconnecting, cancels an attempt in progress, closes the connection; fires once it is
   * closed. Pending `whenConnected` calls fail with `CancelledError`.
   *
   * @example
   * ```ts
   * await svc.stopService();
   * ```
   */
  override stopService(): Deferred<void> {
    super.stopService();
    this.#stopped = true;
    if (this.#retry?.active()) this.#retry.cancel();
    this.#retry = null;
    this.#connecting?.cancel();
    this.#connecting = null;
    for (const w of this.#takeWaiters(() => true))
      w.d.errback(new CancelledError('The ClientService was stopped.'));
    const current = this.#current;
    if (current === null) return Deferred.fromPromise(Promise.resolve());
    const closed = new Promise<void>((resolve) => this.#stopWaiters.push(resolve));
    current.transport?.loseConnection();
    return Deferred.fromPromise(closed);
  }

  #connect(): void {
    this.#retry = null;
    const d = this.endpoint.connect(this.#tracking);
    this.#connecting = d;
    d.addCallbacks(
      (connected: IProtocol) => {
        if (this.#connecting === d) this.#connecting = null;
        this.#connected(connected);
        return undefined;
      },
      (err: Error) => {
        if (this.#connecting === d) this.#connecting = null;
        if (!this.running) return undefined;
        this.#failed(err);
        return undefined;
      },
    );
  }

  #connected(connected: IProtocol): void {
    const tracked = connected instanceof TrackedProtocol ? connected : null;
    const protocol = tracked?.wrapped ?? connected;
    if (!this.running) {
      tracked?.transport?.loseConnection();
      return;
    }
    this.#current = tracked;
    this.#failedAttempts = 0;
    log.info('Connected');
    const notify = (): void => {
      if (this.#current !== tracked) return;
      this.#protocol = protocol;
      for (const w of this.#takeWaiters(() => true)) w.d.callback(protocol);
    };
    let prepared: unknown;
    try {
      prepared = this.#prepare?.(protocol);
    } catch (err) {
      log.failure('prepareConnection failed', err, {}, 'error');
      tracked?.transport?.loseConnection();
      return;
    }
    if (prepared !== null && typeof (prepared as PromiseLike<unknown>)?.then === 'function') {
      Promise.resolve(prepared).then(notify, (err: unknown) => {
        log.failure('prepareConnection failed', err, {}, 'error');
        tracked?.transport?.loseConnection();
      });
    } else {
      notify();
    }
  }

  #failed(err: Error): void {
    this.#failedAttempts += 1;
    const attempts = this.#failedAttempts;
    for (const w of this.#takeWaiters((w) => w.failAfter !== undefined && attempts >= w.failAfter))
      w.d.errback(err);
    const delay = this.#retryPolicy(attempts);
    log.info('Connection attempt {attempts} failed ({error}); retrying in {delay}s', {
      attempts,
      error: err.message,
      delay: Math.round(delay * 1000) / 1000,
    });
    this.#retry = this.#clock.callLater(delay, () => this.#connect());
  }

  #lost(reason: Error): void {
    this.#current = null;
    this.#protocol = null;
    if (!this.running) {
      const waiters = this.#stopWaiters;
      this.#stopWaiters = [];
      for (const resolve of waiters) resolve();
      return;
    }
    this.#failedAttempts += 1;
    const delay = this.#retryPolicy(this.#failedAttempts);
    log.info('Connection lost ({reason}); reconnecting in {delay}s', {
      reason: reason.message,
      delay: Math.round(delay * 1000) / 1000,
    });
    this.#retry = this.#clock.callLater(delay, () => this.#connect());
  }

  #takeWaiters(match: (w: Waiter) => boolean): Waiter[] {
    const taken = this.#waiters.filter(match);
    this.#waiters = this.#waiters.filter((w) => !match(w));
    return taken;
  }
}
