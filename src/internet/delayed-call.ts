/**
 * `DelayedCall`: the handle `callLater` returns, shared by every `IReactorTime` implementation
 * (`Clock` in tests, `NodeReactor` for real). The call only keeps its own state (when, what, whether
 * it ran or was cancelled); the scheduler that owns it is told about changes through two hooks, so
 * a sorted list (`Clock`) and a Node timer (`NodeReactor`) can both sit behind the same handle.
 *
 * @example
 * ```ts
 * import { DelayedCall } from 'twisted-ts/internet';
 * const pending = new Set<DelayedCall>();
 * const call = new DelayedCall(5, () => console.log('tick'), [], {
 *   seconds: () => 0,
 *   cancelled: (c) => pending.delete(c),
 *   rescheduled: () => {},
 * });
 * pending.add(call);
 * call.call(); // the scheduler runs it when its time comes
 * ```
 * @module
 */
import { AlreadyCalled, AlreadyCancelled } from './error.js';
import type { IDelayedCall, IRefable } from './interfaces.js';

/**
 * A `DelayedCall` whatever its arguments, as schedulers store them.
 *
 * @example
 * ```ts
 * const pending: AnyDelayedCall[] = clock.getDelayedCalls();
 * for (const call of pending) call.cancel();
 * ```
 */
export type AnyDelayedCall = DelayedCall<any>;

/**
 * How a `DelayedCall` talks back to the scheduler that owns it.
 *
 * @example
 * ```ts
 * const pending = new Set<AnyDelayedCall>();
 * const scheduler: DelayedCallScheduler = {
 *   seconds: () => performance.now() / 1000,
 *   cancelled: (call) => pending.delete(call),
 *   rescheduled: () => {}, // a sorted queue would move the call here
 * };
 * pending.add(new DelayedCall(scheduler.seconds() + 5, () => console.log('tick'), [], scheduler));
 * ```
 */
export interface DelayedCallScheduler {
  /** The scheduler's current time, used by `reset(seconds)`. */
  seconds(): number;
  /** The call was cancelled: forget it. */
  cancelled(call: AnyDelayedCall): void;
  /** The call's time changed (`delay`/`reset`): move it. */
  rescheduled(call: AnyDelayedCall): void;
  /** The call's `hasRef()` changed (`ref`/`unref`); a scheduler over no real timer omits this. */
  refChanged?(call: AnyDelayedCall): void;
}

/**
 * A scheduled call, Twisted's `DelayedCall`. `cancel`, `delay` and `reset` throw `AlreadyCalled`
 * once it ran and `AlreadyCancelled` once it was cancelled, so a timeout that fires while it is
 * being cancelled is noticed instead of silently ignored.
 *
 * @example
 * ```ts
 * const call = clock.callLater(10, onTimeout);
 * call.reset(10); // activity: start the 10 seconds again
 * if (call.active()) call.cancel();
 * ```
 */
export class DelayedCall<A extends unknown[] = unknown[]> implements IDelayedCall, IRefable {
  /** The function to call. */
  readonly func: (...args: A) => unknown;
  /** The arguments it is called with. */
  readonly args: A;
  #time: number;
  #state: 'pending' | 'called' | 'cancelled' = 'pending';
  #ref = true;
  readonly #scheduler: DelayedCallScheduler;

  constructor(time: number, func: (...args: A) => unknown, args: A, scheduler: DelayedCallScheduler) {
    this.#time = time;
    this.func = func;
    this.args = args;
    this.#scheduler = scheduler;
  }

  /**
   * When the call runs, in the scheduler's `seconds()`.
   *
   * @example
   * ```ts
   * clock.callLater(3, f).getTime(); // clock.seconds() + 3
   * ```
   */
  getTime(): number {
    return this.#time;
  }

  /** True once the call ran (or started running). */
  get called(): boolean {
    return this.#state === 'called';
  }

  /** True once the call was cancelled. */
  get cancelled(): boolean {
    return this.#state === 'cancelled';
  }

  /**
   * True until the call ran or was cancelled.
   *
   * @example
   * ```ts
   * if (timeout.active()) timeout.cancel();
   * ```
   */
  active(): boolean {
    return this.#state === 'pending';
  }

  /**
   * Unschedules the call.
   *
   * @example
   * ```ts
   * const call = clock.callLater(1, f);
   * call.cancel(); // f never runs; a second cancel() throws AlreadyCancelled
   * ```
   */
  cancel(): void {
    this.#checkPending();
    this.#state = 'cancelled';
    this.#scheduler.cancelled(this);
  }

  /**
   * Runs the call `seconds` later than currently planned.
   *
   * @example
   * ```ts
   * const call = clock.callLater(1, f);
   * call.delay(2); // now at 3
   * ```
   */
  delay(seconds: number): void {
    this.#checkPending();
    this.#time += checkSeconds(seconds, true);
    this.#scheduler.rescheduled(this);
  }

  /**
   * Runs the call `seconds` from now instead of when it was planned.
   *
   * @example
   * ```ts
   * const idle = clock.callLater(60, hangUp);
   * idle.reset(60); // data arrived: another 60 seconds
   * ```
   */
  reset(seconds: number): void {
    this.#checkPending();
    this.#time = this.#scheduler.seconds() + checkSeconds(seconds, false);
    this.#scheduler.rescheduled(this);
  }

  /**
   * Lets the process exit while this call is pending (Node's `unref()`; see `IRefable`). It still
   * runs on time if the process is alive then.
   *
   * @example
   * ```ts
   * new NodeReactor().callLater(240, sweepIdleConnections).unref();
   * ```
   */
  unref(): void {
    if (!this.#ref) return;
    this.#ref = false;
    this.#scheduler.refChanged?.(this);
  }

  /**
   * Undoes `unref()`: the pending call holds the process open again.
   *
   * @example
   * ```ts
   * call.ref();
   * ```
   */
  ref(): void {
    if (this.#ref) return;
    this.#ref = true;
    this.#scheduler.refChanged?.(this);
  }

  /**
   * False after `unref()`: whether this call, while pending, holds the process open.
   *
   * @example
   * ```ts
   * call.hasRef(); // true unless unref() was called
   * ```
   */
  hasRef(): boolean {
    return this.#ref;
  }

  /**
   * For schedulers: marks the call as run, then calls `func(...args)` and returns its result.
   * Exceptions propagate; the scheduler decides whether to log or rethrow them.
   *
   * @example
   * ```ts
   * for (const due of dueCalls) due.call();
   * ```
   */
  call(): unknown {
    this.#checkPending();
    this.#state = 'called';
    return this.func(...this.args);
  }

  #checkPending(): void {
    if (this.#state === 'called') throw new AlreadyCalled();
    if (this.#state === 'cancelled') throw new AlreadyCancelled();
  }
}

/**
 * Validates a delay in seconds: NaN is refused; a negative delay means "as soon as possible"
 * (clamped to 0, as Node's `setTimeout` does) unless `signed` allows moving a call earlier.
 *
 * @example
 * ```ts
 * checkSeconds(-0.001, false); // 0
 * ```
 */
export function checkSeconds(seconds: number, signed: boolean): number {
  if (typeof seconds !== 'number' || Number.isNaN(seconds)) {
    throw new TypeError(`delay must be a number of seconds, got ${String(seconds)}`);
  }
  return signed ? seconds : Math.max(0, seconds);
}
