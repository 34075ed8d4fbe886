/**
 * Test helpers shared by the Deferred tests: read a Deferred's outcome synchronously, the way
 * Twisted's `successResultOf`/`failureResultOf` do, instead of awaiting it.
 *
 * @example
 * ```ts
 * assert.equal(outcome(succeed(1)).value, 1);
 * ```
 * @module
 */
import type { Deferred } from './defer.js';

/** What reached the end of a Deferred's chain so far. */
export interface Outcome<T> {
  value?: T;
  error?: Error;
  fired: boolean;
}

/**
 * Records what reaches the end of the chain, consuming it (so an error counts as handled), so a
 * test can assert on a result right after the code that fires it.
 *
 * @example
 * ```ts
 * const seen = outcome(d);
 * d.callback(2);
 * assert.equal(seen.value, 2);
 * ```
 */
export function outcome<T>(d: Deferred<T>): Outcome<T> {
  const seen: Outcome<T> = { fired: false };
  d.addCallbacks(
    (v: T) => {
      seen.fired = true;
      seen.value = v;
    },
    (e: Error) => {
      seen.fired = true;
      seen.error = e;
    },
  );
  return seen;
}
