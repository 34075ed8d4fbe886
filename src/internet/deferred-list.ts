/**
 * Waiting on several Deferreds at once: `DeferredList` (Twisted's result shapes), `gatherResults`
 * (just the values, failing on the first error) and `race` (the first success wins, the rest are
 * cancelled).
 *
 * @example
 * ```ts
 * import { gatherResults } from 'twisted-ts/internet';
 * const [a, b] = await gatherResults([getPage(urlA), getPage(urlB)]);
 * ```
 * @module
 */
import { Deferred, ensureDeferred } from './defer.js';
import { TwistedError } from './error.js';

/**
 * The error of a `DeferredList` with `fireOnOneErrback` (and of `gatherResults`): the first member
 * error is the `cause`, and `index` says which member failed.
 *
 * @example
 * ```ts
 * gatherResults(ds).addErrback((err) => { if (err instanceof FirstError) log(err.index, err.cause); });
 * ```
 */
export class FirstError extends TwistedError {
  /** The first member's error, as it failed. */
  declare readonly cause: Error;
  constructor(
    cause: Error,
    /** The position, in the list given, of the member that failed first. */
    readonly index: number,
  ) {
    super(`FirstError[#${index}, ${cause.name}: ${cause.message}]`, 'ERR_FIRST_ERROR', { cause });
  }
}

/**
 * The error of a `race` whose members all failed; `errors` lists them in the order they failed.
 *
 * @example
 * ```ts
 * race(ds).addErrback((err) => { if (err instanceof FailureGroup) console.log(err.errors.length); });
 * ```
 */
export class FailureGroup extends AggregateError {
  /** Stable machine-readable code. */
  readonly code = 'ERR_FAILURE_GROUP';
  /** Every member's error, in the order they failed. */
  declare readonly errors: Error[];
  constructor(errors: Error[], message = 'Every Deferred of the race failed.') {
    super(errors, message);
    this.name = 'FailureGroup';
  }
}

/**
 * One member's outcome in a `DeferredList` result: `[true, value]` or `[false, error]`.
 *
 * @example
 * ```ts
 * for (const [ok, valueOrError] of results) if (!ok) log.error(valueOrError);
 * ```
 */
export type DeferredListEntry<T> = [success: true, result: T] | [success: false, error: Error];
/**
 * What a `DeferredList` fires with, unless `fireOnOneCallback` fired it with `[result, index]`.
 *
 * @example
 * ```ts
 * new DeferredList([a, b]).addCallback((results: DeferredListResult<number>) => results.length);
 * ```
 */
export type DeferredListResult<T> = DeferredListEntry<T>[];

/**
 * Options of `DeferredList`, as in Twisted.
 *
 * @example
 * ```ts
 * new DeferredList(lookups, { fireOnOneCallback: true, consumeErrors: true });
 * ```
 */
export interface DeferredListOptions {
  /** Fire with `[result, index]` as soon as one member succeeds. */
  readonly fireOnOneCallback?: boolean;
  /** Errback with `FirstError(error, index)` as soon as one member fails. */
  readonly fireOnOneErrback?: boolean;
  /** Leave `undefined` in a failed member's chain instead of its error (no unhandled-error report). */
  readonly consumeErrors?: boolean;
}

/** Anything a list accepts: a Deferred or a Promise (which becomes a Deferred). */
type Awaitable<T> = Deferred<T> | PromiseLike<T>;

/**
 * A Deferred that fires once all the given Deferreds have: with `[success, resultOrError]` per member
 * in order. `fireOnOneCallback` fires with `[result, index]` of the first success instead (set `R` to
 * `[T, number]`), `fireOnOneErrback` errbacks with `FirstError` on the first failure. Cancelling it
 * cancels every member. An empty list fires at once (never, with `fireOnOneCallback`).
 *
 * @example
 * ```ts
 * const results = await new DeferredList([d1, d2], { consumeErrors: true });
 * for (const [ok, value] of results) console.log(ok ? value : `failed: ${value.message}`);
 * ```
 */
export class DeferredList<T = unknown, R = DeferredListResult<T>> extends Deferred<R> {
  readonly #members: Deferred<T>[];
  readonly #results: (DeferredListEntry<T> | undefined)[];
  readonly #options: DeferredListOptions;
  #finished = 0;

  constructor(deferreds: Iterable<Awaitable<T>>, options: DeferredListOptions = {}) {
    super(cancelMembers);
    this.#members = Array.from(deferreds, (d) => ensureDeferred(d));
    this.#results = new Array(this.#members.length).fill(undefined);
    this.#options = options;
    if (this.#members.length === 0 && options.fireOnOneCallback !== true) this.callback(this.#results as R);
    for (let i = 0; i < this.#members.length; i++)
      this.#members[i]!.addCallbacks(
        (result: T) => this.#memberSucceeded(result, i),
        (err: Error) => this.#memberFailed(err, i),
      );
  }

  /** The members' outcomes so far, in order (`undefined` for members not fired yet). */
  get resultList(): readonly (DeferredListEntry<T> | undefined)[] {
    return this.#results;
  }

  /** The Deferreds this list waits on. */
  get deferreds(): readonly Deferred<T>[] {
    return this.#members;
  }

  #memberSucceeded(result: T, index: number): T {
    this.#results[index] = [true, result];
    this.#finished++;
    if (!this.called) {
      if (this.#options.fireOnOneCallback === true) this.callback([result, index] as R);
      else this.#fireIfDone();
    }
    return result;
  }

  #memberFailed(err: Error, index: number): undefined {
    this.#results[index] = [false, err];
    this.#finished++;
    if (!this.called) {
      if (this.#options.fireOnOneErrback === true) this.errback(new FirstError(err, index));
      else this.#fireIfDone();
    }
    if (this.#options.consumeErrors === true) return undefined;
    throw err;
  }

  #fireIfDone(): void {
    if (this.#finished === this.#results.length) this.callback(this.#results as R);
  }
}

/** Cancels every member of a list; the first error a member's `cancel()` throws is rethrown last. */
function cancelMembers(list: Deferred<any>): void {
  let first: { error: unknown } | undefined;
  for (const d of (list as DeferredList).deferreds) {
    try {
      d.cancel();
    } catch (error) {
      first ??= { error };
    }
  }
  if (first !== undefined) throw first.error;
}

/**
 * The values of all the given Deferreds (or Promises), in order; errbacks with `FirstError` at the
 * first failure. `consumeErrors` leaves `undefined` in failed members instead of their errors.
 *
 * @example
 * ```ts
 * const [user, posts] = await gatherResults([getUser(id), getPosts(id)] as const);
 * ```
 */
export function gatherResults<const D extends readonly Awaitable<unknown>[]>(
  deferreds: D,
  options: { readonly consumeErrors?: boolean } = {},
): Deferred<{ -readonly [K in keyof D]: Awaited<D[K]> }> {
  const list = new DeferredList<unknown>(deferreds, {
    fireOnOneErrback: true,
    consumeErrors: options.consumeErrors === true,
  });
  return list.addCallback((entries) => entries.map((e) => e[1])) as Deferred<any>;
}

/**
 * The first of the given Deferreds to succeed, as `[index, result]`; the others are then cancelled.
 * If all fail, errbacks with `FailureGroup`. Cancelling the race cancels every member. Members'
 * results are consumed (their chains carry `undefined` on).
 *
 * @example
 * ```ts
 * const [which, answer] = await race([queryPrimary(q), querySecondary(q)]);
 * ```
 */
export function race<T>(deferreds: Iterable<Awaitable<T>>): Deferred<[index: number, result: T]> {
  const members = Array.from(deferreds, (d) => ensureDeferred(d));
  const failures: Error[] = [];
  let decided = false;
  const result = new Deferred<[number, T]>(() => {
    for (const d of members) d.cancel();
  });
  members.forEach((d, index) => {
    d.addCallbacks(
      (value: T) => {
        if (decided) return;
        decided = true;
        members.forEach((other, i) => {
          if (i !== index) other.cancel();
        });
        result.callback([index, value]);
      },
      (err: Error) => {
        if (decided) return;
        failures.push(err);
        if (failures.length === members.length) result.errback(new FailureGroup(failures));
      },
    );
  });
  return result;
}
