/**
 * `TimeoutSweeper`: one timer per site instead of one per connection. Every `interval` seconds
 * (1 by default) it asks each registered connection whether its deadline has passed; a connection
 * sets its deadline from `now`, the time of the last sweep, so a busy keep-alive connection costs
 * no timer operation and not even a clock read per request. Deadlines are thus up to one interval
 * late, which is fine for timeouts counted in tens of seconds. The timer runs only while
 * connections are registered.
 *
 * @example
 * ```ts
 * const sweeper = new TimeoutSweeper(() => clock);
 * sweeper.add(channel);              // channel.checkTimeout(now) is called every second
 * channel.deadline = sweeper.now + 30;
 * sweeper.delete(channel);
 * ```
 * @module
 */
import type { IDelayedCall, IReactorTime } from '../internet/interfaces.js';

/** What the sweeper checks. */
export interface TimeoutTarget {
  /** Acts if the deadline passed (`now` in the clock's seconds). */
  checkTimeout(now: number): void;
}

function sweep(sweeper: TimeoutSweeper): void {
  sweeper.sweep();
}

/** Checks registered connections' deadlines once per interval; see the module doc. */
export class TimeoutSweeper {
  readonly #clock: () => IReactorTime;
  readonly #interval: number;
  readonly #targets = new Set<TimeoutTarget>();
  #timer: IDelayedCall | null = null;
  #now = 0;

  constructor(clock: () => IReactorTime, interval = 1) {
    this.#clock = clock;
    this.#interval = interval;
  }

  /**
   * The time of the last sweep (or of the first registration), in the clock's seconds.
   *
   * @example
   * ```ts
   * deadline = sweeper.now + timeout;
   * ```
   */
  get now(): number {
    return this.#now;
  }

  /**
   * Registers `target`; starts the timer if it was idle.
   *
   * @example
   * ```ts
   * sweeper.add(channel);
   * ```
   */
  add(target: TimeoutTarget): void {
    this.#targets.add(target);
    if (this.#timer === null) {
      const clock = this.#clock();
      this.#now = clock.seconds();
      this.#timer = clock.callLater(this.#interval, sweep, this);
    }
  }

  /**
   * Forgets `target`; stops the timer when none is left.
   *
   * @example
   * ```ts
   * sweeper.delete(channel);
   * ```
   */
  delete(target: TimeoutTarget): void {
    this.#targets.delete(target);
    if (this.#targets.size === 0 && this.#timer !== null) {
      this.#timer.cancel();
      this.#timer = null;
    }
  }

  /** Runs one sweep (the timer calls it). */
  sweep(): void {
    this.#timer = null;
    const clock = this.#clock();
    this.#now = clock.seconds();
    for (const target of this.#targets) target.checkTimeout(this.#now);
    if (this.#targets.size > 0 && this.#timer === null)
      this.#timer = clock.callLater(this.#interval, sweep, this);
  }
}
