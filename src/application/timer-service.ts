/**
 * `TimerService`: calls a function every `step` seconds while running, Twisted's `TimerService`,
 * over `LoopingCall`. The first call happens at start. A call returning a Deferred or Promise is
 * waited for before the next one; a call that throws (or rejects) is logged and stops the timer.
 *
 * @example
 * ```ts
 * import { TimerService } from 'twisted-ts/application';
 * new TimerService(60, () => cache.expire()).setServiceParent(top);
 * ```
 * @module
 */

import { getReactor } from '../internet/default-reactor.js';
import { Deferred } from '../internet/defer.js';
import type { IReactorTime } from '../internet/interfaces.js';
import { LoopingCall } from '../internet/task/looping-call.js';
import { Logger } from '../logger/logger.js';
import { Service } from './service.js';

const log = new Logger('twisted-ts.application');

/**
 * Repeats `f(...args)` every `step` seconds; set `clock` before starting to drive it from a
 * `Clock` in tests (default: the global reactor, resolved at start).
 *
 * @example
 * ```ts
 * const svc = new TimerService(1, tick);
 * svc.clock = new Clock();
 * svc.startService(); // tick() now, then at every clock.advance(1)
 * ```
 */
export class TimerService<A extends unknown[] = []> extends Service {
  /** Seconds between the start of one call and the next. */
  readonly step: number;
  /** The loop doing the calls. */
  readonly call: LoopingCall<A>;
  #clock: IReactorTime | null = null;
  #finished: Deferred<void> | null = null;

  constructor(step: number, f: (...args: A) => unknown, ...args: A) {
    super();
    if (!(step > 0)) throw new RangeError(`TimerService step must be positive, got ${step}`);
    this.step = step;
    this.call = new LoopingCall(f, ...args);
  }

  /**
   * Where time comes from (default: the global reactor).
   *
   * @example
   * ```ts
   * svc.clock = new Clock();
   * ```
   */
  get clock(): IReactorTime {
    this.#clock ??= getReactor();
    return this.#clock;
  }

  /** Replaces the clock (before `startService`). */
  set clock(clock: IReactorTime) {
    this.#clock = clock;
  }

  /**
   * Calls the function now and schedules the next calls.
   *
   * @example
   * ```ts
   * svc.startService();
   * ```
   */
  override startService(): void {
    super.startService();
    this.call.clock = this.clock;
    this.#finished = this.call.start(this.step, true).addCallbacks(
      () => undefined,
      (err: Error) => {
        log.failure('TimerService call failed; the timer is stopped', err, {}, 'error');
      },
    );
  }

  /**
   * Cancels the next call; fires once a call in progress has finished.
   *
   * @example
   * ```ts
   * await svc.stopService();
   * ```
   */
  override stopService(): Deferred<void> {
    super.stopService();
    if (this.call.running) this.call.stop();
    const finished = this.#finished;
    this.#finished = null;
    if (finished !== null) return finished;
    const d = new Deferred<void>();
    d.callback(undefined);
    return d;
  }
}
