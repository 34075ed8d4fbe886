/**
 * `Clock`: an `IReactorTime` whose time only moves when a test says so, Twisted's `task.Clock`.
 * Protocols take their clock as a parameter; tests pass a `Clock` and call `advance()` instead of
 * sleeping, so timeouts are tested instantly and deterministically.
 *
 * @example
 * ```ts
 * import { Clock } from 'twisted-ts/testing';
 * const clock = new Clock();
 * let fired = false;
 * clock.callLater(30, () => { fired = true; });
 * clock.advance(29); // fired === false
 * clock.advance(1);  // fired === true
 * ```
 * @module
 */
import {
  type AnyDelayedCall,
  checkSeconds,
  DelayedCall,
  type DelayedCallScheduler,
} from '../internet/delayed-call.js';
import type { IReactorTime } from '../internet/interfaces.js';

/**
 * A deterministic clock. Time starts at 0 and moves only through `advance()`/`pump()`. Calls run in
 * time order; calls due at the same time run in the order they were (re)scheduled. Exceptions
 * thrown by a call propagate out of `advance()` (the calls after it stay scheduled), so a test sees
 * them instead of a log line.
 *
 * @example
 * ```ts
 * const clock = new Clock();
 * const proto = new MyProtocol({ clock, timeout: 10 });
 * clock.advance(10); // proto timed out
 * ```
 */
export class Clock implements IReactorTime {
  #now = 0;
  /** Pending calls sorted by time, then by (re)scheduling order. */
  readonly #calls: AnyDelayedCall[] = [];
  readonly #scheduler: DelayedCallScheduler = {
    seconds: () => this.#now,
    cancelled: (call) => this.#remove(call),
    rescheduled: (call) => {
      this.#remove(call);
      this.#insert(call);
    },
  };

  /**
   * The current time in seconds since the clock was made (0 at first).
   *
   * @example
   * ```ts
   * clock.advance(1.5);
   * clock.seconds(); // 1.5
   * ```
   */
  seconds(): number {
    return this.#now;
  }

  /**
   * Schedules `f(...args)` `seconds` from now. A negative delay counts as 0.
   *
   * @example
   * ```ts
   * const call = clock.callLater(5, console.log, 'five seconds later');
   * ```
   */
  callLater<A extends unknown[]>(seconds: number, f: (...args: A) => unknown, ...args: A): DelayedCall<A> {
    const call = new DelayedCall(this.#now + checkSeconds(seconds, false), f, args, this.#scheduler);
    this.#insert(call);
    return call;
  }

  /**
   * The pending calls, earliest first (a copy: cancelling while iterating is fine).
   *
   * @example
   * ```ts
   * assert.equal(clock.getDelayedCalls().length, 0, 'no timer left behind');
   * ```
   */
  getDelayedCalls(): AnyDelayedCall[] {
    return [...this.#calls];
  }

  /**
   * Moves time forward by `seconds` and runs every call due by then, in time order. As in Twisted,
   * the clock is already at the new time while they run, so a call scheduled from inside one of
   * them for "now" is due at the new time: it runs in the same `advance`, after the calls already
   * due by then.
   *
   * @example
   * ```ts
   * clock.callLater(1, () => clock.callLater(0, () => console.log('same advance')));
   * clock.advance(1); // prints
   * ```
   */
  advance(seconds: number): void {
    if (Number.isNaN(seconds) || seconds < 0) {
      throw new RangeError(`Clock.advance needs a non-negative number of seconds, got ${seconds}`);
    }
    this.#now += seconds;
    for (
      let call = this.#calls[0];
      call !== undefined && call.getTime() <= this.#now;
      call = this.#calls[0]
    ) {
      this.#calls.shift();
      call.call();
    }
  }

  /**
   * Advances by each amount in turn: `pump([1, 1, 1])` is three `advance(1)`.
   *
   * @example
   * ```ts
   * clock.pump(Array(10).fill(1)); // a LoopingCall at 1s runs 10 times
   * ```
   */
  pump(timings: Iterable<number>): void {
    for (const amount of timings) this.advance(amount);
  }

  #insert(call: AnyDelayedCall): void {
    // Upper bound: after every call due at the same time, so equal times keep scheduling order.
    const time = call.getTime();
    let lo = 0;
    let hi = this.#calls.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#calls[mid] as AnyDelayedCall).getTime() <= time) lo = mid + 1;
      else hi = mid;
    }
    this.#calls.splice(lo, 0, call);
  }

  #remove(call: AnyDelayedCall): void {
    const i = this.#calls.indexOf(call);
    if (i >= 0) this.#calls.splice(i, 1);
  }
}
