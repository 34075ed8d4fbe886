/**
 * Mutual exclusion for asynchronous code: `DeferredLock` (one holder at a time) and
 * `DeferredSemaphore` (up to `limit` holders). `acquire()` gives a Deferred that fires when the
 * caller holds it; waiters are served first come, first served; cancelling a pending `acquire()`
 * takes it out of the queue.
 *
 * @example
 * ```ts
 * import { DeferredSemaphore } from 'twisted-ts/internet';
 * const sem = new DeferredSemaphore(4);
 * const pages = urls.map((u) => sem.run(getPage, u)); // at most 4 requests at a time
 * ```
 * @module
 */
import { Deferred, maybeDeferred } from './defer.js';
import { TwistedError } from './error.js';

/**
 * `release()` on a lock that is not held, or on a semaphore with all its tokens.
 *
 * @example
 * ```ts
 * assert.throws(() => new DeferredLock().release(), NotAcquiredError);
 * ```
 */
export class NotAcquiredError extends TwistedError {
  constructor(message = 'Released more often than acquired.', options?: { cause?: unknown }) {
    super(message, 'ERR_NOT_ACQUIRED', options);
  }
}

/** What `run` needs from a lock or a semaphore. */
interface Acquirable {
  acquire(): Deferred<unknown>;
  release(): void;
}

/** Acquires, runs `f`, and releases whatever `f` (or the Deferred/Promise it returns) ends with. */
function runHolding<T, A extends unknown[]>(
  primitive: Acquirable,
  f: (...args: A) => T | PromiseLike<T>,
  args: A,
): Deferred<T> {
  return primitive.acquire().addCallback(() =>
    maybeDeferred(f, ...args).addCallbacks(
      (result: T) => {
        primitive.release();
        return result;
      },
      (err: Error) => {
        primitive.release();
        throw err;
      },
    ),
  );
}

/** Takes a cancelled acquirer out of a waiting list. */
function removeWaiter(waiting: Deferred<any>[], d: Deferred<any>): void {
  const i = waiting.indexOf(d);
  if (i >= 0) waiting.splice(i, 1);
}

/**
 * A lock for asynchronous code: `acquire()` fires with the lock once it is free, `release()` hands
 * it to the next waiter, `run(f)` does both around `f`.
 *
 * @example
 * ```ts
 * const lock = new DeferredLock();
 * lock.run(async () => { await writeHeader(); await writeBody(); });
 * ```
 */
export class DeferredLock {
  #locked = false;
  readonly #waiting: Deferred<this>[] = [];

  /** True while someone holds the lock. */
  get locked(): boolean {
    return this.#locked;
  }

  /** The acquirers waiting for the lock, first in line first. */
  get waiting(): readonly Deferred<this>[] {
    return this.#waiting;
  }

  /**
   * A Deferred that fires with the lock once the caller holds it (at once if it is free).
   * Cancelling it before then gives up the place in line.
   *
   * @example
   * ```ts
   * lock.acquire().addCallback((l) => { work(); l.release(); });
   * ```
   */
  acquire(): Deferred<this> {
    const d = new Deferred<this>((x) => removeWaiter(this.#waiting, x));
    if (this.#locked) this.#waiting.push(d);
    else {
      this.#locked = true;
      d.callback(this);
    }
    return d;
  }

  /**
   * Releases the lock, handing it to the next waiter if any. Throws `NotAcquiredError` if it is not held.
   *
   * @example
   * ```ts
   * lock.release();
   * ```
   */
  release(): void {
    if (!this.#locked) throw new NotAcquiredError('Tried to release an unlocked lock.');
    const next = this.#waiting.shift();
    if (next === undefined) this.#locked = false;
    else next.callback(this);
  }

  /**
   * Runs `f(...args)` while holding the lock and releases it afterwards, even if `f` throws or its
   * Deferred/Promise fails. Fires with `f`'s result.
   *
   * @example
   * ```ts
   * lock.run(saveFile, path, data).addCallback(() => console.log('saved'));
   * ```
   */
  run<T, A extends unknown[]>(f: (...args: A) => T | PromiseLike<T>, ...args: A): Deferred<T> {
    return runHolding(this, f, args);
  }
}

/**
 * A semaphore for asynchronous code: up to `limit` holders at once; `tokens` says how many are free.
 *
 * @example
 * ```ts
 * const sem = new DeferredSemaphore(2);
 * await gatherResults(jobs.map((job) => sem.run(job)));
 * ```
 */
export class DeferredSemaphore {
  #tokens: number;
  readonly #limit: number;
  readonly #waiting: Deferred<this>[] = [];

  /** @param tokens how many holders at once; an integer of at least 1. */
  constructor(tokens: number) {
    if (!Number.isInteger(tokens) || tokens < 1)
      throw new RangeError(`DeferredSemaphore requires tokens >= 1, got ${tokens}`);
    this.#tokens = tokens;
    this.#limit = tokens;
  }

  /** How many more holders can acquire right now. */
  get tokens(): number {
    return this.#tokens;
  }

  /** The most holders at once. */
  get limit(): number {
    return this.#limit;
  }

  /** The acquirers waiting for a token, first in line first. */
  get waiting(): readonly Deferred<this>[] {
    return this.#waiting;
  }

  /**
   * A Deferred that fires with the semaphore once the caller holds a token. Cancelling it before
   * then gives up the place in line.
   *
   * @example
   * ```ts
   * const s = await sem.acquire(); try { await work(); } finally { s.release(); }
   * ```
   */
  acquire(): Deferred<this> {
    const d = new Deferred<this>((x) => removeWaiter(this.#waiting, x));
    if (this.#tokens === 0) this.#waiting.push(d);
    else {
      this.#tokens--;
      d.callback(this);
    }
    return d;
  }

  /**
   * Gives a token back, handing it to the next waiter if any. Throws `NotAcquiredError` when all
   * tokens are already free.
   *
   * @example
   * ```ts
   * sem.release();
   * ```
   */
  release(): void {
    if (this.#tokens >= this.#limit)
      throw new NotAcquiredError('Released a semaphore more often than acquired.');
    const next = this.#waiting.shift();
    if (next === undefined) this.#tokens++;
    else next.callback(this);
  }

  /**
   * Runs `f(...args)` holding a token and gives it back afterwards, even if `f` fails.
   *
   * @example
   * ```ts
   * sem.run(fetchOne, url);
   * ```
   */
  run<T, A extends unknown[]>(f: (...args: A) => T | PromiseLike<T>, ...args: A): Deferred<T> {
    return runHolding(this, f, args);
  }
}
