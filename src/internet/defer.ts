/**
 * `Deferred`: Twisted's promise of a result that is not there yet, with Twisted's semantics kept:
 * callbacks run synchronously when it fires, a callback's return value feeds the next one, a throw
 * switches to the errback chain, and a callback that returns a Deferred (or any thenable) pauses the
 * chain until that one fires. It is also `PromiseLike`, so `await d` works.
 *
 * @example
 * ```ts
 * import { Deferred } from 'twisted-ts/internet';
 * const d = new Deferred<number>();
 * d.addCallback((n) => n * 2).addCallback((n) => console.log(n)); // logs 42
 * d.callback(21);
 * ```
 * @module
 */
import {
  creationStack,
  markObserved,
  trackUnhandled,
  type UnhandledHolder,
  untrackUnhandled,
} from './defer-unhandled.js';
import { TimeoutError, TwistedError, toError } from './error.js';
import type { IReactorTime } from './interfaces.js';

export {
  getDebugging,
  setDebugging,
  setUnhandledErrorReporter,
  type UnhandledErrorReporter,
} from './defer-unhandled.js';

/**
 * `callback`/`errback` on a Deferred that already fired.
 *
 * @example
 * ```ts
 * try { d.callback(2); } catch (err) { trap(err, AlreadyCalledError); }
 * ```
 */
export class AlreadyCalledError extends TwistedError {
  constructor(message = 'The Deferred was already called.', options?: { cause?: unknown }) {
    super(message, 'ERR_ALREADY_CALLED_DEFERRED', options);
  }
}

/**
 * The Deferred was cancelled (`cancel()`) before it had a result.
 *
 * @example
 * ```ts
 * d.addErrback((err) => { trap(err, CancelledError); return null; });
 * ```
 */
export class CancelledError extends TwistedError {
  constructor(message = 'The Deferred was cancelled.', options?: { cause?: unknown }) {
    super(message, 'ERR_CANCELLED', options);
  }
}

/** Any callable that may sit in a callback chain (the chain is untyped inside). */
type AnyFn = (...args: any[]) => unknown;
/**
 * The constructor of an error class, as `trap` matches it.
 *
 * @example
 * ```ts
 * const retryable: ErrorClass[] = [TimeoutError, ConnectionLost];
 * ```
 */
export type ErrorClass = abstract new (...args: any[]) => Error;
/**
 * Options of the `Deferred` constructor.
 *
 * @example
 * ```ts
 * const d = new Deferred<Buffer>(null, { signal: AbortSignal.timeout(5000) });
 * ```
 */
export interface DeferredOptions {
  /** Cancel the Deferred when this signal aborts. */
  readonly signal?: AbortSignal;
}

/** Marks the chain entry that hands the result to a Deferred waiting on this one. */
function CONTINUE(): void {}

// ---------------------------------------------------------------- helpers kept outside the hot loop

function passToDeferred(result: unknown, target: Deferred<any>): void {
  target.callback(result);
}
function failToDeferred(err: Error, target: Deferred<any>): void {
  target.errback(err);
}
function callThenPass(result: unknown, f: () => void): unknown {
  f();
  return result;
}
function callThenRethrow(err: Error, f: () => void): never {
  f();
  throw err;
}
function resolveAndPass(result: unknown, resolve: (v: unknown) => void): unknown {
  resolve(result);
  return result;
}
function rejectAndPass(err: Error, reject: (e: unknown) => void): never {
  markObserved(err);
  reject(err);
  throw err;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * A result that will arrive later, with a chain of callbacks (on success) and errbacks (on error)
 * that run synchronously, in order, when `callback(result)` or `errback(error)` fires it. Where
 * Twisted has a `Failure`, this has the `Error` itself; only a throw is a failure (a returned Error
 * is a value). An error left at the end of a chain is reported when the Deferred is collected.
 *
 * @example
 * ```ts
 * const d = new Deferred<string>();
 * d.addCallback((s) => s.toUpperCase()).addErrback((err) => `failed: ${err.message}`);
 * d.callback('hi');
 * console.log(await d); // 'HI'
 * ```
 */
export class Deferred<T = unknown> implements PromiseLike<T> {
  /** Flat list of entries `[callback, errback, callbackArgs, errbackArgs]`; run from `#next`. */
  #chain: unknown[] = [];
  #next = 0;
  #called = false;
  #failed = false;
  #result: unknown;
  #paused = 0;
  #running = false;
  #suppressAlreadyCalled = false;
  /** The Deferred this one waits on (a callback returned it), for forwarding `cancel()`. */
  #chainedTo: Deferred<any> | null = null;
  #canceller: ((d: Deferred<any>) => void) | undefined;
  #creationStack: string | undefined;
  #holder: UnhandledHolder | null = null;
  #controller: AbortController | null = null;

  /**
   * @param canceller called by `cancel()` while the Deferred is unfired; it should stop the work
   *   and may fire the Deferred itself (otherwise it errbacks with `CancelledError`).
   */
  constructor(canceller?: ((d: Deferred<T>) => void) | null, options?: DeferredOptions) {
    this.#canceller = canceller ?? undefined;
    this.#creationStack = creationStack();
    if (options?.signal !== undefined) this.withSignal(options.signal);
  }

  /**
   * A Deferred that fires with what `promise` resolves to (or errbacks with what it rejects with).
   * @example const d = Deferred.fromPromise(fetch(url)).addCallback((res) => res.status);
   */
  static fromPromise<T>(promise: PromiseLike<T>): Deferred<T> {
    const d = new Deferred<T>();
    promise.then(
      (value) => d.callback(value),
      (err: unknown) => d.errback(err),
    );
    return d;
  }

  /**
   * A Deferred that errbacks with `CancelledError` (the abort reason as `cause`) when `signal`
   * aborts, and never succeeds: race it against work that should stop on abort.
   * @example race([fetchPage(url), Deferred.fromSignal(AbortSignal.timeout(5000))]);
   */
  static fromSignal(signal: AbortSignal): Deferred<never> {
    const onAbort = (): void => {
      if (!d.called) d.errback(new CancelledError('The signal aborted.', { cause: signal.reason }));
    };
    const d = new Deferred<never>(() => signal.removeEventListener('abort', onAbort));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    return d;
  }

  /** True once `callback` or `errback` was called (even while the chain waits on another Deferred). */
  get called(): boolean {
    return this.#called;
  }

  /** How many `pause()`s are outstanding (waiting on a returned Deferred counts as one); 0 when running. */
  get paused(): number {
    return this.#paused;
  }

  /**
   * Adds a callback: it receives the result (and `args`) and its return value becomes the next result.
   * @example d.addCallback((n: number, unit: string) => `${n} ${unit}`, 'bytes');
   */
  addCallback<U, A extends unknown[]>(
    callback: (result: T, ...args: A) => U | PromiseLike<U>,
    ...args: A
  ): Deferred<U> {
    return this.#add(callback, null, args.length === 0 ? undefined : args, undefined) as Deferred<any>;
  }

  /**
   * Adds an errback: it receives the error (and `args`); returning a value switches the chain back to
   * the callbacks, throwing (or rethrowing) keeps it on the errbacks.
   * @example d.addErrback((err) => { trap(err, ConnectionRefusedError); return fallback; });
   */
  addErrback<U = T, A extends unknown[] = []>(
    errback: (err: Error, ...args: A) => U | PromiseLike<U>,
    ...args: A
  ): Deferred<T | U> {
    return this.#add(null, errback, undefined, args.length === 0 ? undefined : args) as Deferred<any>;
  }

  /**
   * Adds the same function as callback and errback. As everywhere, only a throw is an error: an
   * Error it returns becomes a value, so rethrow to keep the chain failing.
   * @example d.addBoth((r) => { transport.loseConnection(); if (r instanceof Error) throw r; return r; });
   */
  addBoth<U, A extends unknown[]>(
    callback: (resultOrError: T | Error, ...args: A) => U | PromiseLike<U>,
    ...args: A
  ): Deferred<U> {
    const a = args.length === 0 ? undefined : args;
    return this.#add(callback, callback, a, a) as Deferred<any>;
  }

  /**
   * Adds a callback and an errback at the same level: the errback does not see the callback's errors.
   * @example d.addCallbacks((v) => use(v), (err) => report(err));
   */
  addCallbacks<U, V = U>(
    callback: ((result: T, ...args: any[]) => U | PromiseLike<U>) | null,
    errback: ((err: Error, ...args: any[]) => V | PromiseLike<V>) | null,
    callbackArgs?: readonly unknown[],
    errbackArgs?: readonly unknown[],
  ): Deferred<U | V> {
    return this.#add(callback ?? null, errback ?? null, callbackArgs, errbackArgs) as Deferred<any>;
  }

  #add(cb: unknown, eb: unknown, cbArgs: unknown, ebArgs: unknown): this {
    this.#chain.push(cb, eb, cbArgs, ebArgs);
    if (this.#called) this.#run();
    return this;
  }

  /**
   * Fires the success chain with `result`. Throws `AlreadyCalledError` if it already fired.
   * @example d.callback(data);
   */
  callback(result: T): void {
    if (result instanceof Deferred) throw new TypeError('A Deferred cannot be the result of callback().');
    this.#start(result, false);
  }

  /**
   * Fires the error chain with `err` (non-Error values are wrapped). Throws `AlreadyCalledError` if
   * it already fired.
   * @example d.errback(new ConnectionLost());
   */
  errback(err?: unknown): void {
    this.#start(
      err === undefined ? new Error('Deferred.errback() called without an error') : toError(err),
      true,
    );
  }

  #start(result: unknown, failed: boolean): void {
    if (this.#called) {
      if (this.#suppressAlreadyCalled) {
        this.#suppressAlreadyCalled = false;
        return;
      }
      throw new AlreadyCalledError();
    }
    this.#called = true;
    this.#result = result;
    this.#failed = failed;
    this.#run();
  }

  /**
   * Stops running callbacks until the matching `unpause()`.
   * @example d.pause(); d.callback(1); d.unpause(); // callbacks run at unpause
   */
  pause(): void {
    this.#paused++;
  }

  /**
   * Undoes one `pause()`; when none remain and the Deferred fired, the pending callbacks run.
   * @example d.unpause();
   */
  unpause(): void {
    this.#paused--;
    if (this.#paused === 0 && this.#called) this.#run();
  }

  /**
   * Fires `other` with this Deferred's result; this chain's result becomes `undefined`.
   * @example a.chainDeferred(b); // b fires when a does, with a's result
   */
  chainDeferred(other: Deferred<T>): Deferred<undefined> {
    return this.#add(passToDeferred, failToDeferred, [other], [other]) as Deferred<any>;
  }

  /**
   * Cancels the work: runs the canceller (an error it throws becomes the result) and, if the
   * Deferred is still unfired, errbacks with `CancelledError`. Without a canceller, the one late
   * `callback`/`errback` of the abandoned work is swallowed. A Deferred waiting on one that a callback
   * returned cancels that one instead.
   *
   * @example
   * ```ts
   * const d = agent.request('GET', url);
   * d.cancel();
   * ```
   */
  cancel(): void {
    if (!this.#called) {
      this.#controller?.abort(new CancelledError());
      const canceller = this.#canceller;
      if (canceller !== undefined) {
        try {
          canceller(this);
        } catch (e) {
          if (!this.#called) this.errback(e);
        }
      } else {
        this.#suppressAlreadyCalled = true;
      }
      if (!this.#called) this.errback(new CancelledError());
    } else if (this.#chainedTo !== null) {
      this.#chainedTo.cancel();
    }
  }

  /**
   * Cancels this Deferred when `signal` aborts (at once if it already has); the listener goes away
   * when the Deferred fires.
   * @example const d = getPage(url).withSignal(AbortSignal.timeout(5000));
   */
  withSignal(signal: AbortSignal): this {
    if (signal.aborted) {
      this.cancel();
      return this;
    }
    const onAbort = (): void => this.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    const stop = (): void => signal.removeEventListener('abort', onAbort);
    return this.#add(callThenPass, callThenRethrow, [stop], [stop]);
  }

  /**
   * An AbortSignal that aborts (reason: `CancelledError`) when this Deferred is cancelled before it
   * fired: hand it to APIs that take a signal, so cancelling the Deferred stops them.
   *
   * @example
   * ```ts
   * const d = new Deferred<Response>();
   * fetch(url, { signal: d.toSignal() }).then((r) => d.callback(r), (e) => d.errback(e));
   * ```
   */
  toSignal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  /**
   * Cancels the Deferred if it has not fired within `seconds` on `clock`, and turns that cancellation
   * into a `TimeoutError` (or whatever `onTimeoutCancel(result, seconds)` returns or throws).
   * @example d.addTimeout(30, reactor).addErrback((err) => trap(err, TimeoutError));
   */
  addTimeout(
    seconds: number,
    clock: IReactorTime,
    onTimeoutCancel?: (resultOrError: unknown, seconds: number) => unknown,
  ): this {
    let timedOut = false;
    const call = clock.callLater(seconds, () => {
      timedOut = true;
      this.cancel();
    });
    const settled = (): void => {
      if (call.active()) call.cancel();
    };
    this.addCallbacks(
      (r: unknown) => {
        settled();
        return timedOut && onTimeoutCancel !== undefined ? onTimeoutCancel(r, seconds) : r;
      },
      (err: Error) => {
        settled();
        if (!timedOut) throw err;
        if (onTimeoutCancel !== undefined) return onTimeoutCancel(err, seconds);
        trap(err, CancelledError);
        throw new TimeoutError(`Deferred timed out after ${seconds} seconds.`, { cause: err });
      },
    );
    return this;
  }

  /**
   * Lets `await d` and Promise code consume the result; the result still flows to later callbacks
   * (this adds a side branch), and an error seen here no longer counts as unhandled.
   * @example const value = await d;
   */
  // biome-ignore lint/suspicious/noThenProperty: Deferred is deliberately a thenable (ARCHITECTURE §2).
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.asPromise().then(onfulfilled, onrejected);
  }

  /**
   * A Promise of this Deferred's result; like `then`, the result still flows down the chain.
   * @example await Promise.all([d1.asPromise(), d2.asPromise()]);
   */
  asPromise(): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#add(resolveAndPass, rejectAndPass, [resolve], [reject]);
    });
  }

  /** Runs the callbacks iteratively; a stack of Deferreds stands in for recursion into waiters. */
  #run(): void {
    if (this.#running) return;
    let chain: Deferred<any>[] | null = null;
    let current: Deferred<any> = this;
    for (;;) {
      if (current.#paused !== 0) return;
      if (current.#holder !== null) {
        untrackUnhandled(current.#holder);
        current.#holder = null;
      }
      current.#chainedTo = null;
      let finished = true;
      const entries = current.#chain;
      while (current.#next < entries.length) {
        const i = current.#next;
        current.#next = i + 4;
        const failed = current.#failed;
        const fn = (failed ? entries[i + 1] : entries[i]) as AnyFn | null;
        if (fn === null) continue;
        const args = (failed ? entries[i + 3] : entries[i + 2]) as
          | readonly unknown[]
          | Deferred<any>
          | undefined;
        if (fn === CONTINUE) {
          const waiter = args as Deferred<any>;
          waiter.#result = current.#result;
          waiter.#failed = current.#failed;
          waiter.#chainedTo = null;
          current.#result = undefined;
          current.#failed = false;
          waiter.#paused--;
          if (chain === null) chain = [current];
          chain.push(waiter);
          finished = false;
          break;
        }
        let result: unknown;
        current.#running = true;
        try {
          result = args === undefined ? fn(current.#result) : fn(current.#result, ...(args as unknown[]));
        } catch (e) {
          current.#running = false;
          current.#result = toError(e);
          current.#failed = true;
          continue;
        }
        current.#running = false;
        current.#failed = false;
        if ((typeof result === 'object' && result !== null) || typeof result === 'function') {
          let inner: Deferred<any> | null = null;
          if (result instanceof Deferred) inner = result;
          else if (isThenable(result)) inner = Deferred.fromPromise(result);
          if (inner === current) {
            current.#result = new TypeError('A callback returned the Deferred it is attached to.');
            current.#failed = true;
            continue;
          }
          if (inner !== null) {
            if (!inner.#called || inner.#chainedTo !== null || inner.#paused !== 0) {
              current.#result = inner;
              current.#paused++;
              current.#chainedTo = inner;
              inner.#chain.push(CONTINUE, CONTINUE, current, current);
              break;
            }
            result = inner.#result;
            current.#failed = inner.#failed;
            inner.#result = undefined;
            inner.#failed = false;
            if (inner.#holder !== null) {
              untrackUnhandled(inner.#holder);
              inner.#holder = null;
            }
          }
        }
        current.#result = result;
      }
      if (finished) {
        if (current.#next === entries.length) {
          entries.length = 0;
          current.#next = 0;
        }
        if (current.#failed && current.#paused === 0) {
          current.#holder = trackUnhandled(current, current.#result as Error, current.#creationStack);
        }
        if (chain === null) return;
        chain.pop();
        const top = chain[chain.length - 1];
        if (top === undefined) return;
        current = top;
      } else {
        current = chain![chain!.length - 1]!;
      }
    }
  }
}

/**
 * A Deferred that has already fired with `value`.
 * @example return succeed(cached);
 */
export function succeed<T>(value: T): Deferred<T> {
  const d = new Deferred<T>();
  d.callback(value);
  return d;
}

/**
 * A Deferred that has already failed with `err` (non-Error values are wrapped).
 * @example return fail(new ConnectionRefusedError());
 */
export function fail<T = never>(err: unknown): Deferred<T> {
  const d = new Deferred<T>();
  d.errback(err);
  return d;
}

/**
 * Calls `f(...args)` and gives its outcome as a Deferred, whether it returned a value, threw, or
 * returned a Promise or a Deferred.
 * @example maybeDeferred(checker.requestAvatarId, credentials).addCallback(login);
 */
export function maybeDeferred<T, A extends unknown[]>(
  f: (...args: A) => T | PromiseLike<T>,
  ...args: A
): Deferred<T> {
  let result: T | PromiseLike<T>;
  try {
    result = f(...args);
  } catch (e) {
    return fail<T>(e);
  }
  if (result instanceof Deferred) return result as Deferred<T>;
  if (isThenable(result)) return Deferred.fromPromise(result);
  return succeed(result);
}

/**
 * The Deferred for a Promise (or the Deferred itself): the bridge from `async` functions.
 * @example ensureDeferred((async () => { await connect(); return 'ok'; })());
 */
export function ensureDeferred<T>(value: PromiseLike<T> | Deferred<T>): Deferred<T> {
  if (value instanceof Deferred) return value;
  if (isThenable(value)) return Deferred.fromPromise(value);
  throw new TypeError('ensureDeferred() expects a Promise or a Deferred.');
}

/**
 * Returns the first class in `types` that `err` is an instance of; rethrows `err` when none match.
 * @example d.addErrback((err) => { trap(err, ConnectionDone, ConnectionLost); return null; });
 */
export function trap<C extends ErrorClass[]>(err: unknown, ...types: C): C[number] {
  for (const t of types) if (err instanceof t) return t;
  throw err;
}
