/**
 * `deferLater`: a Deferred that fires with the result of a call made `seconds` later on a clock,
 * Twisted's `twisted.internet.task.deferLater`. Cancelling it cancels the call and errbacks with
 * `CancelledError`.
 *
 * @example
 * ```ts
 * import { deferLater } from 'twisted-ts/internet/task';
 * const d = deferLater(reactor, 2, () => 'two seconds later');
 * console.log(await d);
 * ```
 * @module
 */
import { Deferred, maybeDeferred } from '../defer.js';
import type { IDelayedCall, IReactorTime } from '../interfaces.js';

/**
 * Calls `f(...args)` after `seconds` on `clock` and fires with its result (waiting for it if it
 * returns a Deferred or a Promise; errbacking if it throws). Without `f` the Deferred fires with
 * `undefined`: a cancellable sleep driven by the clock.
 *
 * @example
 * ```ts
 * const clock = new Clock();
 * const d = deferLater(clock, 5, (x: number) => x * 2, 21);
 * clock.advance(5); // d fired with 42
 * const sleep = deferLater(clock, 10);
 * sleep.cancel();   // errbacks with CancelledError, the call is unscheduled
 * ```
 */
export function deferLater<T = undefined, A extends unknown[] = []>(
  clock: IReactorTime,
  seconds: number,
  f?: (...args: A) => T | PromiseLike<T>,
  ...args: A
): Deferred<T> {
  let call: IDelayedCall | null = null;
  const d = new Deferred<T>(() => {
    if (call?.active()) call.cancel();
  });
  call = clock.callLater(seconds, () => {
    if (f === undefined) {
      d.callback(undefined as T);
      return;
    }
    maybeDeferred(f, ...args).addCallbacks(
      (v) => d.callback(v),
      (err: Error) => d.errback(err),
    );
  });
  return d;
}
