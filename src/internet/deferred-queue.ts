/**
 * `DeferredQueue`: a queue whose `get()` gives a Deferred that fires with the next item put, so a
 * consumer can wait for producers without polling.
 *
 * @example
 * ```ts
 * import { DeferredQueue } from 'twisted-ts/internet';
 * const q = new DeferredQueue<string>();
 * q.get().addCallback((line) => console.log(line));
 * q.put('hello'); // logs 'hello'
 * ```
 * @module
 */
import { Deferred, fail, succeed } from './defer.js';
import { TwistedError } from './error.js';

/**
 * `put()` on a `DeferredQueue` already holding `size` items.
 *
 * @example
 * ```ts
 * try { queue.put(item); } catch (err) { trap(err, QueueOverflow); transport.pauseProducing(); }
 * ```
 */
export class QueueOverflow extends TwistedError {
  constructor(message = 'The queue is full.', options?: { cause?: unknown }) {
    super(message, 'ERR_QUEUE_OVERFLOW', options);
  }
}

/**
 * `get()` on a `DeferredQueue` that already has `backlog` getters waiting.
 *
 * @example
 * ```ts
 * queue.get().addErrback((err) => { trap(err, QueueUnderflow); return null; });
 * ```
 */
export class QueueUnderflow extends TwistedError {
  constructor(message = 'Too many getters are waiting on the queue.', options?: { cause?: unknown }) {
    super(message, 'ERR_QUEUE_UNDERFLOW', options);
  }
}

/**
 * An event-driven queue. Items put while getters wait go straight to the first getter; otherwise
 * they are kept (up to `size`, else `put` throws `QueueOverflow`). A `get()` with nothing pending
 * waits (up to `backlog` getters, else it fails with `QueueUnderflow`); cancelling it leaves the line.
 *
 * @example
 * ```ts
 * const q = new DeferredQueue<Job>(100, 10);
 * const job = await q.get();
 * ```
 */
export class DeferredQueue<T> {
  readonly #waiting: Deferred<T>[] = [];
  readonly #pending: T[] = [];

  /**
   * @param size most items kept while nobody waits (unbounded when omitted).
   * @param backlog most getters waiting at once (unbounded when omitted).
   */
  constructor(
    readonly size?: number,
    readonly backlog?: number,
  ) {}

  /** The getters waiting for an item, first in line first. */
  get waiting(): readonly Deferred<T>[] {
    return this.#waiting;
  }

  /** The items kept because nobody was waiting, oldest first. */
  get pending(): readonly T[] {
    return this.#pending;
  }

  /**
   * Hands `item` to the first waiting getter, or keeps it. Throws `QueueOverflow` when `size` items
   * are already kept.
   *
   * @example
   * ```ts
   * q.put(line);
   * ```
   */
  put(item: T): void {
    const getter = this.#waiting.shift();
    if (getter !== undefined) getter.callback(item);
    else if (this.size === undefined || this.#pending.length < this.size) this.#pending.push(item);
    else throw new QueueOverflow();
  }

  /**
   * A Deferred of the next item: already fired if one is kept, otherwise fired by a later `put`.
   * Fails with `QueueUnderflow` when `backlog` getters already wait.
   *
   * @example
   * ```ts
   * q.get().addCallback(handle);
   * ```
   */
  get(): Deferred<T> {
    if (this.#pending.length > 0) return succeed(this.#pending.shift() as T);
    if (this.backlog !== undefined && this.#waiting.length >= this.backlog) return fail(new QueueUnderflow());
    const d = new Deferred<T>((x) => {
      const i = this.#waiting.indexOf(x);
      if (i >= 0) this.#waiting.splice(i, 1);
    });
    this.#waiting.push(d);
    return d;
  }
}
