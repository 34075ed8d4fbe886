/**
 * `LoopingCall`: calls a function every `interval` seconds on an `IReactorTime`, Twisted's
 * `twisted.internet.task.LoopingCall`. Calls stay aligned to the start time (no drift); when the
 * clock jumps past several intervals only one call runs (`withCount` tells the function how many
 * intervals went by). A call returning a Deferred or a Promise delays the next one until it fires.
 *
 * @example
 * ```ts
 * import { LoopingCall } from 'twisted-ts/internet/task';
 * const lc = new LoopingCall(() => console.log('tick'));
 * lc.start(1.0).addCallback(() => console.log('stopped'));
 * // later
 * lc.stop();
 * ```
 * @module
 */

import { getReactor } from '../default-reactor.js';
import { Deferred, maybeDeferred } from '../defer.js';
import type { IDelayedCall, IReactorTime } from '../interfaces.js';

/**
 * Repeats a call every `interval` seconds.
 *
 * - `start(interval, now = true)` calls at once when `now`, then at `start + k·interval`; the
 *   Deferred it returns fires with the LoopingCall on `stop()`, or errbacks with the first error a
 *   call throws (or a Deferred/Promise it returns rejects with), which also stops the loop.
 * - If the clock is late by several intervals, the next call runs once, and the one after is at
 *   the next multiple of `interval` (skipped intervals are not run).
 * - `clock` defaults to the global reactor, read when `start` is first called; tests assign a
 *   `Clock` to `lc.clock` before `start`.
 *
 * @example
 * ```ts
 * const clock = new Clock();
 * const lc = new LoopingCall(poll);
 * lc.clock = clock;
 * lc.start(10);        // poll() now
 * clock.advance(10);   // poll() again
 * ```
 */
export class LoopingCall<A extends unknown[] = []> {
  /** The function called. */
  readonly f: (...args: A) => unknown;
  /** Its arguments. */
  readonly args: A;
  #clock: IReactorTime | null = null;
  #running = false;
  #interval: number | null = null;
  #startTime = 0;
  #call: IDelayedCall | null = null;
  #deferred: Deferred<this> | null = null;
  #runAtStart = false;
  #realLastTime: number | null = null;

  constructor(f: (...args: A) => unknown, ...args: A) {
    this.f = f;
    this.args = args;
  }

  /**
   * A LoopingCall whose function receives the number of intervals elapsed since its last call (1
   * when on time, more when the clock was late; never 0).
   *
   * @example
   * ```ts
   * const lc = LoopingCall.withCount((n) => { frames += n; });
   * lc.start(1 / 60);
   * ```
   */
  static withCount(countCallable: (count: number) => unknown): LoopingCall<[]> {
    const lc: LoopingCall<[]> = new LoopingCall(() => lc.#counter(countCallable));
    return lc;
  }

  /**
   * The clock calls are scheduled on (defaults to the global reactor on first use).
   *
   * @example
   * ```ts
   * lc.clock = new Clock();
   * ```
   */
  get clock(): IReactorTime {
    this.#clock ??= getReactor();
    return this.#clock;
  }

  /** Replaces the clock, before `start` (a `Clock` in tests makes the loop run on `advance`). */
  set clock(clock: IReactorTime) {
    this.#clock = clock;
  }

  /**
   * True between `start()` and `stop()` (or a failing call).
   *
   * @example
   * ```ts
   * if (lc.running) lc.stop();
   * ```
   */
  get running(): boolean {
    return this.#running;
  }

  /**
   * Seconds between calls, or `null` before the first `start()`.
   *
   * @example
   * ```ts
   * lc.interval; // 1.5
   * ```
   */
  get interval(): number | null {
    return this.#interval;
  }

  /**
   * Starts calling every `interval` seconds (first call now if `now`). Throws if already running
   * or if `interval` is negative.
   *
   * @example
   * ```ts
   * const done = lc.start(5, false); // first call in 5 seconds
   * done.addErrback((err) => console.error('loop failed', err));
   * ```
   */
  start(interval: number, now = true): Deferred<this> {
    if (this.#running) throw new Error('Tried to start an already running LoopingCall.');
    if (!(interval >= 0)) throw new RangeError(`LoopingCall interval must be >= 0, got ${interval}`);
    this.#running = true;
    const d = new Deferred<this>();
    this.#deferred = d;
    this.#startTime = this.clock.seconds();
    this.#interval = interval;
    this.#runAtStart = now;
    this.#realLastTime = null;
    if (now) this.#tick();
    else this.#scheduleFrom(this.#startTime);
    return d;
  }

  /**
   * Stops the loop; the Deferred from `start()` fires with this LoopingCall (at once, or when a
   * call in progress finishes). Throws if not running.
   *
   * @example
   * ```ts
   * lc.stop();
   * ```
   */
  stop(): void {
    if (!this.#running) throw new Error('Tried to stop a LoopingCall that was not running.');
    this.#running = false;
    if (this.#call !== null) {
      this.#call.cancel();
      this.#call = null;
      this.#finish();
    }
  }

  /**
   * Restarts the interval from now (the next call is `interval` seconds away). Throws if not
   * running.
   *
   * @example
   * ```ts
   * onActivity(() => heartbeat.reset());
   * ```
   */
  reset(): void {
    if (!this.#running) throw new Error('Tried to reset a LoopingCall that was not running.');
    if (this.#call !== null) {
      this.#call.cancel();
      this.#call = null;
      this.#startTime = this.clock.seconds();
      this.#scheduleFrom(this.#startTime);
    } else {
      this.#startTime = this.clock.seconds();
    }
  }

  #tick = (): void => {
    this.#call = null;
    const d = maybeDeferred(this.f, ...this.args);
    d.addCallbacks(
      () => {
        if (this.#running) this.#scheduleFrom(this.clock.seconds());
        else this.#finish();
      },
      (err: Error) => {
        this.#running = false;
        const done = this.#deferred;
        this.#deferred = null;
        done?.errback(err);
      },
    );
  };

  #finish(): void {
    const done = this.#deferred;
    this.#deferred = null;
    done?.callback(this);
  }

  #scheduleFrom(when: number): void {
    const interval = this.#interval ?? 0;
    let delay = 0;
    if (interval > 0) {
      const runningFor = when - this.#startTime;
      const untilNext = interval - (runningFor % interval);
      // Float rounding can make `when + untilNext === when`: wait a whole interval then.
      delay = when + untilNext === when ? interval : untilNext;
    }
    this.#call = this.clock.callLater(delay, this.#tick);
  }

  #intervalOf(t: number): number {
    return Math.floor((t - this.#startTime) / (this.#interval as number));
  }

  #counter(countCallable: (count: number) => unknown): unknown {
    const now = this.clock.seconds();
    if (this.#interval === 0) {
      this.#realLastTime = now;
      return countCallable(1);
    }
    let last = this.#realLastTime;
    if (last === null) {
      last = this.#startTime;
      if (this.#runAtStart) last -= this.#interval as number;
    }
    const count = this.#intervalOf(now) - this.#intervalOf(last);
    if (count > 0) {
      this.#realLastTime = now;
      return countCallable(count);
    }
    return undefined;
  }
}
