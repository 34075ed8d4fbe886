/**
 * Idle timeouts as a composed object: `IdleTimeout` (Twisted's `TimeoutMixin`, without the mixin
 * and without a hidden global reactor) and `TimeoutFactory`/`TimeoutProtocol` (Twisted's
 * wrapping-factory version).
 *
 * @example
 * ```ts
 * import { IdleTimeout } from 'twisted-ts/protocols/policies';
 * class Session extends LineReceiver {
 *   readonly idle = IdleTimeout.forProtocol(this, 300, clock);
 *   override connectionMade() { this.idle.start(); }
 *   override lineReceived(line: Buffer) { this.idle.resetTimeout(); }
 *   override connectionLost() { this.idle.cancel(); }
 * }
 * ```
 * @module
 */
import type { Buffer } from 'node:buffer';
import { getReactor } from '../../internet/default-reactor.js';
import type {
  IAddress,
  IDelayedCall,
  IProtocol,
  IProtocolFactory,
  IReactorTime,
} from '../../internet/interfaces.js';
import type { Protocol } from '../../internet/protocol.js';
import { ProtocolWrapper, WrappingFactory } from './wrapping.js';

/**
 * A protocol that may define what happens when it times out.
 *
 * @example
 * ```ts
 * class Chat extends LineReceiver implements TimesOut { timeoutConnection() { this.sendLine('bye'); this.transport?.loseConnection(); } }
 * ```
 */
export interface TimesOut {
  /** Called when the connection was idle too long. */
  timeoutConnection(): void;
}

/**
 * Calls `onTimeout` once `seconds` pass without `resetTimeout()`. Driven by the clock it is given.
 *
 * @example
 * ```ts
 * const idle = new IdleTimeout(clock, 30, () => transport.abortConnection());
 * idle.start();
 * idle.resetTimeout(); // on each activity
 * idle.cancel();       // on close
 * ```
 */
export class IdleTimeout {
  readonly #clock: IReactorTime;
  readonly #onTimeout: () => void;
  #seconds: number | null;
  #call: IDelayedCall | null = null;

  constructor(clock: IReactorTime, seconds: number | null, onTimeout: () => void) {
    this.#clock = clock;
    this.#seconds = seconds;
    this.#onTimeout = onTimeout;
  }

  /**
   * An IdleTimeout whose expiry calls `protocol.timeoutConnection()` when it defines one, else
   * aborts its transport. `clock` defaults to the global reactor.
   *
   * @example
   * ```ts
   * readonly idle = IdleTimeout.forProtocol(this, 600, this.factory.clock);
   * ```
   */
  static forProtocol(
    protocol: Protocol & Partial<TimesOut>,
    seconds: number | null,
    clock: IReactorTime = getReactor(),
  ): IdleTimeout {
    return new IdleTimeout(clock, seconds, () => {
      if (typeof protocol.timeoutConnection === 'function') protocol.timeoutConnection();
      else protocol.transport?.abortConnection();
    });
  }

  /**
   * The period in seconds, or `null` when disabled.
   *
   * @example
   * ```ts
   * idle.timeout; // 30
   * ```
   */
  get timeout(): number | null {
    return this.#seconds;
  }

  /**
   * True while a countdown is running.
   *
   * @example
   * ```ts
   * idle.active; // true after start()
   * ```
   */
  get active(): boolean {
    return this.#call?.active() === true;
  }

  /**
   * Starts (or restarts) the countdown with the current period.
   *
   * @example
   * ```ts
   * idle.start();
   * ```
   */
  start(): void {
    this.setTimeout(this.#seconds);
  }

  /**
   * Changes the period and restarts the countdown from now; `null` disables it. Returns the
   * previous period (Twisted's `setTimeout`).
   *
   * @example
   * ```ts
   * idle.setTimeout(null); // no timeout while a long command runs
   * ```
   */
  setTimeout(seconds: number | null): number | null {
    const previous = this.#seconds;
    this.#seconds = seconds;
    this.cancel();
    if (seconds !== null) this.#call = this.#clock.callLater(seconds, this.#expire);
    return previous;
  }

  /**
   * Activity: restarts the countdown if one is running.
   *
   * @example
   * ```ts
   * override dataReceived(data: Buffer) { this.idle.resetTimeout(); }
   * ```
   */
  resetTimeout(): void {
    if (this.#call?.active() && this.#seconds !== null) this.#call.reset(this.#seconds);
  }

  /**
   * Stops the countdown (the period is kept for a later `start()`).
   *
   * @example
   * ```ts
   * override connectionLost() { this.idle.cancel(); }
   * ```
   */
  cancel(): void {
    if (this.#call?.active()) this.#call.cancel();
    this.#call = null;
  }

  #expire = (): void => {
    this.#call = null;
    this.#onTimeout();
  };
}

/**
 * Closes the connection when nothing was received or sent for `timeoutPeriod` seconds.
 *
 * @example
 * ```ts
 * new TimeoutProtocol(factory, inner, 60, clock);
 * ```
 */
export class TimeoutProtocol extends ProtocolWrapper {
  /** The idle timer; `setTimeout` on it changes the period. */
  readonly idle: IdleTimeout;
  /** True once the connection was closed for inactivity. */
  timedOut = false;

  constructor(
    factory: WrappingFactory,
    wrapped: IProtocol,
    timeoutPeriod: number | null,
    clock: IReactorTime,
  ) {
    super(factory, wrapped);
    this.idle = new IdleTimeout(clock, timeoutPeriod, () => this.timeoutFunc());
  }

  /**
   * Called on inactivity: closes the connection.
   *
   * @example
   * ```ts
   * override timeoutFunc() { this.write('idle, bye\r\n'); super.timeoutFunc(); }
   * ```
   */
  timeoutFunc(): void {
    this.timedOut = true;
    this.loseConnection();
  }

  override makeConnection(transport: Parameters<ProtocolWrapper['makeConnection']>[0]): void {
    this.idle.start();
    super.makeConnection(transport);
  }

  override dataReceived(data: Buffer): void {
    this.idle.resetTimeout();
    super.dataReceived(data);
  }

  override write(data: Uint8Array | string): void {
    this.idle.resetTimeout();
    super.write(data);
  }

  override writeSequence(data: readonly (Uint8Array | string)[]): void {
    this.idle.resetTimeout();
    super.writeSequence(data);
  }

  override connectionLost(reason?: Error): void {
    this.idle.cancel();
    super.connectionLost(reason);
  }
}

/**
 * Options of `TimeoutFactory`.
 *
 * @example
 * ```ts
 * new TimeoutFactory(factory, { timeoutPeriod: 300, clock: reactor });
 * ```
 */
export interface TimeoutFactoryOptions {
  /** Seconds of inactivity before closing (default 1800, as in Twisted). */
  readonly timeoutPeriod?: number;
  /** The clock (default: the global reactor, read when the first connection is built). */
  readonly clock?: IReactorTime;
}

/**
 * Wraps each connection in a `TimeoutProtocol`.
 *
 * @example
 * ```ts
 * reactor.listenTCP(8000, new TimeoutFactory(Factory.forProtocol(Echo), { timeoutPeriod: 60 }));
 * ```
 */
export class TimeoutFactory extends WrappingFactory {
  /** Seconds of inactivity before closing. */
  readonly timeoutPeriod: number;
  readonly #clock: IReactorTime | undefined;

  constructor(wrappedFactory: IProtocolFactory, options: TimeoutFactoryOptions = {}) {
    super(wrappedFactory);
    this.timeoutPeriod = options.timeoutPeriod ?? 1800;
    this.#clock = options.clock;
  }

  protected override wrap(wrapped: IProtocol, _addr: IAddress): ProtocolWrapper {
    return new TimeoutProtocol(this, wrapped, this.timeoutPeriod, this.#clock ?? getReactor());
  }
}
