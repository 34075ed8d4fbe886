/**
 * `ReconnectingClientFactory`: a client factory that reconnects after a failed attempt or a lost
 * connection, waiting longer each time (exponential backoff with jitter), as Twisted's does.
 *
 * @example
 * ```ts
 * class Chat extends ReconnectingClientFactory {
 *   override buildProtocol(addr: IAddress) {
 *     this.resetDelay(); // connected: the next loss starts the backoff again
 *     return super.buildProtocol(addr);
 *   }
 * }
 * reactor.connectTCP('chat.example', 6667, Chat.forProtocol(ChatClient));
 * ```
 * @module
 */
import { getReactor } from './default-reactor.js';
import { NotConnectingError } from './error.js';
import type { IConnector, IDelayedCall, IReactorTime } from './interfaces.js';
import { ClientFactory } from './protocol.js';

/**
 * Reconnects with a growing delay: after each failure the delay is multiplied by `factor` (e),
 * capped at `maxDelay`, then drawn from a normal distribution around it with a standard deviation
 * of `jitter × delay`, so many clients do not reconnect in lockstep. `maxRetries` bounds the
 * attempts; `stopTrying()` gives up; `resetDelay()` starts over (call it once connected).
 *
 * `clock` (the reactor by default, looked up on first retry) and `random` (uniform in [0, 1)) are
 * injectable for tests.
 *
 * @example
 * ```ts
 * const factory = ReconnectingClientFactory.forProtocol(Client);
 * factory.maxDelay = 60;
 * factory.clock = clock; // a Clock in tests
 * ```
 */
export class ReconnectingClientFactory extends ClientFactory {
  /** The longest delay between attempts, in seconds (default 3600). */
  maxDelay = 3600;
  /** The delay before the first retry grows from this, in seconds (default 1). */
  initialDelay = 1.0;
  /** Each retry multiplies the delay by this (default e). */
  factor = Math.E;
  /** Relative standard deviation of the delay (default 0.11962656472). */
  jitter = 0.11962656472;
  /** The current delay, in seconds. */
  delay = this.initialDelay;
  /** Retries since the last `resetDelay()`. */
  retries = 0;
  /** Give up after this many retries (`null`: never). */
  maxRetries: number | null = null;
  /** False after `stopTrying()`. */
  continueTrying = true;
  /** The connector retried (the last one that failed or lost its connection). */
  connector: IConnector | null = null;
  /** Schedules retries; the global reactor unless set. */
  clock: IReactorTime | null = null;
  /** Uniform random numbers in [0, 1), for the jitter. */
  random: () => number = Math.random;
  #pending: IDelayedCall | null = null;

  /**
   * Retries, unless `stopTrying()` was called.
   *
   * @example
   * ```ts
   * factory.clientConnectionFailed(connector, new ConnectionRefusedError());
   * ```
   */
  override clientConnectionFailed(connector: IConnector, _reason: Error): void {
    if (!this.continueTrying) return;
    this.connector = connector;
    this.retry();
  }

  /**
   * Retries, unless `stopTrying()` was called.
   *
   * @example
   * ```ts
   * factory.clientConnectionLost(connector, new ConnectionLost());
   * ```
   */
  override clientConnectionLost(connector: IConnector, _reason: Error): void {
    if (!this.continueTrying) return;
    this.connector = connector;
    this.retry();
  }

  /**
   * Schedules `connector.connect()` after the next delay. Throws when no connector is known.
   *
   * @example
   * ```ts
   * factory.retry(connector);
   * ```
   */
  retry(connector?: IConnector): void {
    if (!this.continueTrying) return;
    const target = connector ?? this.connector;
    if (target === null) throw new Error('ReconnectingClientFactory.retry: no connector to retry.');
    this.retries++;
    if (this.maxRetries !== null && this.retries > this.maxRetries) return;
    this.delay = Math.min(this.delay * this.factor, this.maxDelay);
    if (this.jitter !== 0) this.delay = this.#normal(this.delay, this.delay * this.jitter);
    this.clock ??= getReactor();
    this.#pending = this.clock.callLater(this.delay, reconnect, this, target);
  }

  /**
   * Gives up: cancels a scheduled retry and stops an attempt in progress.
   *
   * @example
   * ```ts
   * factory.stopTrying();
   * ```
   */
  stopTrying(): void {
    if (this.#pending?.active()) this.#pending.cancel();
    this.#pending = null;
    this.continueTrying = false;
    if (this.connector !== null) {
      try {
        this.connector.stopConnecting();
      } catch (err) {
        if (!(err instanceof NotConnectingError)) throw err;
      }
    }
  }

  /**
   * Back to the initial delay, zero retries, trying again; call it once a connection succeeds.
   *
   * @example
   * ```ts
   * override buildProtocol(addr: IAddress) { this.resetDelay(); return super.buildProtocol(addr); }
   * ```
   */
  resetDelay(): void {
    this.delay = this.initialDelay;
    this.retries = 0;
    this.#pending = null;
    this.continueTrying = true;
  }

  /** A retry ran: forget its handle. */
  reconnected(): void {
    this.#pending = null;
  }

  /** A normal variate (Box–Muller over two uniform draws). */
  #normal(mean: number, deviation: number): number {
    const u = 1 - this.random(); // (0, 1]: the logarithm stays finite
    const v = this.random();
    return mean + deviation * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

function reconnect(factory: ReconnectingClientFactory, connector: IConnector): void {
  factory.reconnected();
  connector.connect();
}
