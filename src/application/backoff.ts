/**
 * `backoffPolicy`: how long `ClientService` waits before reconnection attempt N, Twisted's
 * `backoffPolicy`: `min(initialDelay * factor ** attempt, maxDelay) + jitter()`.
 *
 * @example
 * ```ts
 * import { backoffPolicy } from 'twisted-ts/application';
 * const policy = backoffPolicy({ initialDelay: 0.5, maxDelay: 30 });
 * policy(1); // about 0.75 + a random jitter in [0, 1)
 * ```
 * @module
 */

/**
 * Seconds to wait before the attempt that follows `failedAttempts` failures.
 *
 * @example
 * ```ts
 * const everyFiveSeconds: RetryPolicy = () => 5;
 * ```
 */
export type RetryPolicy = (failedAttempts: number) => number;

/**
 * Options of `backoffPolicy`; the defaults are Twisted's.
 *
 * @example
 * ```ts
 * const policy = backoffPolicy({ initialDelay: 0.5, maxDelay: 30 });
 * ```
 */
export interface BackoffOptions {
  /** Seconds before the first retry, before growth (default 1.0). */
  initialDelay?: number;
  /** Upper bound, before jitter (default 60). */
  maxDelay?: number;
  /** Growth per failed attempt (default 1.5). */
  factor?: number;
  /** Added to every delay (default `Math.random`, in [0, 1) seconds). */
  jitter?: () => number;
}

/**
 * A retry policy growing exponentially up to `maxDelay`, plus jitter.
 *
 * @example
 * ```ts
 * const noJitter = backoffPolicy({ jitter: () => 0 });
 * [1, 2, 3].map(noJitter); // [1.5, 2.25, 3.375]
 * ```
 */
export function backoffPolicy(options: BackoffOptions = {}): RetryPolicy {
  const initialDelay = options.initialDelay ?? 1.0;
  const maxDelay = options.maxDelay ?? 60;
  const factor = options.factor ?? 1.5;
  const jitter = options.jitter ?? Math.random;
  return (failedAttempts) =>
    Math.min(initialDelay * factor ** Math.min(100, failedAttempts), maxDelay) + jitter();
}
