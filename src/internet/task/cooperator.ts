/**
 * `Cooperator`: runs many iterators a step at a time, round-robin, in time slices, so a long job
 * never blocks the event loop beyond its slice — Twisted's `twisted.internet.task.Cooperator`,
 * `cooperate` and `coiterate`. A step that yields a Deferred or a Promise pauses that task until it
 * fires; async iterators are accepted too.
 *
 * @example
 * ```ts
 * import { coiterate } from 'twisted-ts/internet/task';
 * function* work() { for (const row of rows) { process(row); yield; } }
 * await coiterate(work());
 * ```
 * @module
 */

import { getReactor } from '../default-reactor.js';
import { Deferred } from '../defer.js';
import { TwistedError } from '../error.js';
import { reportError } from '../error-reporter.js';
import type { IReactorTime } from '../interfaces.js';

/**
 * `stop()` on a task that already completed.
 *
 * @example
 * ```ts
 * try { task.stop(); } catch (err) { if (!(err instanceof TaskDone)) throw err; }
 * ```
 */
export class TaskDone extends TwistedError {
  constructor(message = 'The task already completed.') {
    super(message, 'ERR_TASK_DONE');
  }
}
/**
 * The task was stopped with `stop()`; its `whenDone()` Deferreds errback with this.
 *
 * @example
 * ```ts
 * task.whenDone().addErrback((err) => trap(err, TaskStopped));
 * ```
 */
export class TaskStopped extends TwistedError {
  constructor(message = 'The task was stopped.') {
    super(message, 'ERR_TASK_STOPPED');
  }
}
/**
 * `stop()`/`pause()` on a task whose iterator failed; `cause` is the iterator's error.
 *
 * @example
 * ```ts
 * try { task.pause(); } catch (err) { if (err instanceof TaskFailed) console.error(err.cause); }
 * ```
 */
export class TaskFailed extends TwistedError {
  constructor(message = 'The task failed.', options?: { cause?: unknown }) {
    super(message, 'ERR_TASK_FAILED', options);
  }
}
/**
 * `resume()` on a task that is not paused.
 *
 * @example
 * ```ts
 * assert.throws(() => coop.cooperate(work()).resume(), NotPaused);
 * ```
 */
export class NotPaused extends TwistedError {
  constructor(message = 'The task is not paused.') {
    super(message, 'ERR_NOT_PAUSED');
  }
}
/**
 * The cooperator was stopped; its tasks end with this.
 *
 * @example
 * ```ts
 * coop.coiterate(work()).addErrback((err) => trap(err, SchedulerStopped));
 * coop.stop();
 * ```
 */
export class SchedulerStopped extends TwistedError {
  constructor(message = 'The cooperator was stopped.') {
    super(message, 'ERR_SCHEDULER_STOPPED');
  }
}

/**
 * Something `cooperate` can run: a sync or async iterator (or iterable).
 *
 * @example
 * ```ts
 * const work: CooperativeWork = (function* () { for (const row of rows) { save(row); yield; } })();
 * ```
 */
export type CooperativeWork =
  | Iterator<unknown>
  | AsyncIterator<unknown>
  | Iterable<unknown>
  | AsyncIterable<unknown>;

/**
 * Schedules one tick of the cooperator; returns a handle to cancel it.
 *
 * @example
 * ```ts
 * const onImmediate: Scheduler = (tick) => { const h = setImmediate(tick); return { cancel: () => clearImmediate(h) }; };
 * ```
 */
export type Scheduler = (tick: () => void) => {
  /** Drops the scheduled `tick` (the cooperator stopped or has nothing left to run). */
  cancel(): void;
};

/**
 * Options of `Cooperator`.
 *
 * @example
 * ```ts
 * new Cooperator({ clock, terminationPredicateFactory: timeSlice(5) });
 * ```
 */
export interface CooperatorOptions {
  /** Schedules the next tick (default: `clock.callLater(COOPERATOR_EPSILON, tick)`). */
  readonly scheduler?: Scheduler;
  /** Clock of the default scheduler (default: the global reactor, read at first use). */
  readonly clock?: IReactorTime;
  /**
   * Makes the predicate that ends a tick's time slice (called before each tick, then after each
   * step). Default: 10 ms of monotonic time (`performance.now()`).
   */
  readonly terminationPredicateFactory?: () => () => boolean;
  /** Start ticking at once (default true); otherwise call `start()`. */
  readonly started?: boolean;
}

/**
 * The delay of the default scheduler's `callLater`, as in Twisted: tiny but positive, so a `Clock`
 * runs one tick per `advance(COOPERATOR_EPSILON)` instead of looping within one `advance(0)`.
 *
 * @example
 * ```ts
 * const clock = new Clock();
 * const done = new Cooperator({ clock }).coiterate([1, 2, 3].values());
 * clock.advance(COOPERATOR_EPSILON); // one tick: all three steps fit in its time slice
 * ```
 */
export const COOPERATOR_EPSILON = 1e-8;

/**
 * The default time slice: a predicate factory whose predicates turn true once `ms` milliseconds of
 * monotonic time have passed since the tick began. `now` (milliseconds, default
 * `performance.now`) is the time source.
 *
 * @example
 * ```ts
 * new Cooperator({ terminationPredicateFactory: timeSlice(5) });
 * ```
 */
export function timeSlice(ms = 10, now: () => number = () => performance.now()): () => () => boolean {
  return () => {
    const end = now() + ms;
    return () => now() >= end;
  };
}

type TaskState = 'running' | 'waiting' | 'done' | 'stopped' | 'failed';

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    (typeof v === 'object' || typeof v === 'function') &&
    v !== null &&
    typeof (v as { then?: unknown }).then === 'function'
  );
}

function toIterator(work: CooperativeWork): Iterator<unknown> | AsyncIterator<unknown> {
  const w = work as Partial<Iterable<unknown> & AsyncIterable<unknown> & Iterator<unknown>>;
  if (typeof w.next === 'function') return work as Iterator<unknown>;
  if (typeof w[Symbol.asyncIterator] === 'function')
    return (w as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  if (typeof w[Symbol.iterator] === 'function') return (w as Iterable<unknown>)[Symbol.iterator]();
  throw new TypeError('cooperate() needs an iterator or an iterable');
}

/**
 * A task run by a `Cooperator`.
 *
 * @example
 * ```ts
 * const task = cooperator.cooperate(rows());
 * task.pause();
 * task.resume();
 * task.whenDone().addCallback(() => console.log('all rows done'));
 * ```
 */
export class CooperativeTask {
  readonly #iterator: Iterator<unknown> | AsyncIterator<unknown>;
  readonly #cooperator: Cooperator;
  #state: TaskState = 'running';
  #pauses = 0;
  #waiters: Deferred<unknown>[] = [];
  #error: Error | null = null;

  /** @internal Made by `Cooperator.cooperate`. */
  constructor(iterator: Iterator<unknown> | AsyncIterator<unknown>, cooperator: Cooperator) {
    this.#iterator = iterator;
    this.#cooperator = cooperator;
  }

  /**
   * A new Deferred that fires with the iterator when it is exhausted, or errbacks with its error
   * (or `TaskStopped`/`SchedulerStopped`).
   *
   * @example
   * ```ts
   * await task.whenDone();
   * ```
   */
  whenDone(): Deferred<unknown> {
    const d = new Deferred<unknown>();
    if (this.#state === 'done') d.callback(this.#iterator);
    else if (this.#error !== null) d.errback(this.#error);
    else this.#waiters.push(d);
    return d;
  }

  /**
   * Stops running steps until `resume()` (pauses nest).
   *
   * @example
   * ```ts
   * task.pause();
   * ```
   */
  pause(): void {
    this.#checkFinished();
    this.#pauses++;
    if (this.#pauses === 1) this.#cooperator.removeTask(this);
  }

  /**
   * Undoes one `pause()`; throws `NotPaused` if not paused.
   *
   * @example
   * ```ts
   * task.resume();
   * ```
   */
  resume(): void {
    if (this.#pauses === 0) throw new NotPaused();
    this.#pauses--;
    if (this.#pauses === 0 && this.#state === 'running') this.#cooperator.addTask(this);
  }

  /**
   * Stops the task for good: `whenDone()` Deferreds errback with `TaskStopped`. Throws
   * `TaskDone`/`TaskStopped`/`TaskFailed` when already finished.
   *
   * @example
   * ```ts
   * task.stop();
   * ```
   */
  stop(): void {
    this.#checkFinished();
    this.completeWith(new TaskStopped());
  }

  /** @internal Ends the task with an error (`Cooperator.stop`). */
  completeWith(err: Error): void {
    if (this.#state === 'done' || this.#error !== null) return;
    this.#state = err instanceof TaskStopped || err instanceof SchedulerStopped ? 'stopped' : 'failed';
    this.#error = err;
    this.#cooperator.removeTask(this);
    const ret = (this.#iterator as { return?: () => unknown }).return;
    if (this.#state === 'stopped' && typeof ret === 'function') {
      try {
        const r = ret.call(this.#iterator);
        if (isThenable(r)) r.then(undefined, () => {});
      } catch {
        // The iterator's cleanup failing does not change how the task ended.
      }
    }
    // A failure nobody waits for is reported, never silently lost.
    if (this.#state === 'failed' && this.#waiters.length === 0) reportError(err, 'CooperativeTask');
    for (const d of this.#waiters.splice(0)) d.errback(err);
  }

  /** @internal Runs one step. */
  oneWorkUnit(): void {
    if (this.#state !== 'running') return;
    let step: unknown;
    try {
      step = this.#iterator.next();
    } catch (e) {
      this.#fail(e);
      return;
    }
    if (isThenable(step)) {
      // An async iterator: wait for its step, then for the value if it is a promise too.
      this.#wait(step, (r) => this.#afterStep(r as IteratorResult<unknown>));
      return;
    }
    this.#afterStep(step as IteratorResult<unknown>);
  }

  #afterStep(r: IteratorResult<unknown>): void {
    if (r.done) {
      this.#state = 'done';
      this.#cooperator.removeTask(this);
      for (const d of this.#waiters.splice(0)) d.callback(this.#iterator);
      return;
    }
    if (r.value instanceof Deferred || isThenable(r.value)) {
      this.#wait(r.value as PromiseLike<unknown>, () => {});
    }
  }

  #wait(p: PromiseLike<unknown>, then: (v: unknown) => void): void {
    this.#state = 'waiting';
    this.#cooperator.removeTask(this);
    const d = p instanceof Deferred ? (p as Deferred<unknown>) : Deferred.fromPromise(p);
    d.addCallbacks(
      (v) => {
        if (this.#state !== 'waiting') return;
        this.#state = 'running';
        then(v);
        if (this.#state === 'running' && this.#pauses === 0) this.#cooperator.addTask(this);
      },
      (err: Error) => {
        if (this.#state !== 'waiting') return;
        this.#state = 'running';
        this.#fail(err);
      },
    );
  }

  #fail(e: unknown): void {
    const err = e instanceof Error ? e : new TaskFailed('The task threw a non-Error value.', { cause: e });
    this.completeWith(err);
  }

  #checkFinished(): void {
    if (this.#state === 'done') throw new TaskDone();
    if (this.#state === 'stopped') throw new TaskStopped();
    if (this.#state === 'failed') throw new TaskFailed(undefined, { cause: this.#error });
  }
}

/**
 * Runs tasks one step at a time, round-robin, until the time slice ends, then yields to the event
 * loop (through the scheduler) and goes on.
 *
 * @example
 * ```ts
 * const coop = new Cooperator({ clock, terminationPredicateFactory: () => { let n = 0; return () => ++n >= 100; } });
 * coop.coiterate(bigJob());
 * clock.advance(COOPERATOR_EPSILON); // one tick: 100 steps
 * ```
 */
export class Cooperator {
  readonly #options: CooperatorOptions;
  readonly #terminationPredicateFactory: () => () => boolean;
  readonly #tasks: CooperativeTask[] = [];
  #index = 0;
  #scheduled: { cancel(): void } | null = null;
  #started: boolean;
  #stopped = false;

  constructor(options: CooperatorOptions = {}) {
    this.#options = options;
    this.#terminationPredicateFactory = options.terminationPredicateFactory ?? timeSlice(10);
    this.#started = options.started ?? true;
  }

  /**
   * True while started and not stopped.
   *
   * @example
   * ```ts
   * coop.running; // true
   * ```
   */
  get running(): boolean {
    return this.#started && !this.#stopped;
  }

  /**
   * Starts a task for `work` (an iterator, an async iterator or an iterable).
   *
   * @example
   * ```ts
   * const task = coop.cooperate(lines.values());
   * ```
   */
  cooperate(work: CooperativeWork): CooperativeTask {
    const task = new CooperativeTask(toIterator(work), this);
    if (this.#stopped) task.completeWith(new SchedulerStopped());
    else this.addTask(task);
    return task;
  }

  /**
   * Runs `work` to the end; the Deferred fires with the iterator, or errbacks with its error.
   *
   * @example
   * ```ts
   * await coop.coiterate(compressFiles());
   * ```
   */
  coiterate(work: CooperativeWork): Deferred<unknown> {
    return this.cooperate(work).whenDone();
  }

  /**
   * Starts ticking (for a Cooperator made with `started: false`).
   *
   * @example
   * ```ts
   * coop.start();
   * ```
   */
  start(): void {
    this.#stopped = false;
    this.#started = true;
    this.#reschedule();
  }

  /**
   * Stops every task (their `whenDone()` errback with `SchedulerStopped`); later `cooperate` calls
   * give tasks that are already stopped.
   *
   * @example
   * ```ts
   * coop.stop();
   * ```
   */
  stop(): void {
    this.#stopped = true;
    for (const t of [...this.#tasks]) t.completeWith(new SchedulerStopped());
    this.#scheduled?.cancel();
    this.#scheduled = null;
  }

  /** @internal A task became runnable. */
  addTask(task: CooperativeTask): void {
    if (!this.#tasks.includes(task)) this.#tasks.push(task);
    this.#reschedule();
  }

  /** @internal A task paused, waits or ended. */
  removeTask(task: CooperativeTask): void {
    const i = this.#tasks.indexOf(task);
    if (i < 0) return;
    this.#tasks.splice(i, 1);
    if (i < this.#index) this.#index--;
    if (this.#tasks.length === 0) {
      this.#scheduled?.cancel();
      this.#scheduled = null;
    }
  }

  #tick = (): void => {
    this.#scheduled = null;
    const done = this.#terminationPredicateFactory();
    while (this.#tasks.length > 0) {
      if (this.#index >= this.#tasks.length) this.#index = 0;
      const task = this.#tasks[this.#index] as CooperativeTask;
      this.#index++;
      task.oneWorkUnit();
      if (done()) break;
    }
    this.#reschedule();
  };

  #reschedule(): void {
    if (!this.#started || this.#stopped || this.#scheduled !== null || this.#tasks.length === 0) return;
    const schedule = this.#options.scheduler;
    if (schedule !== undefined) {
      this.#scheduled = schedule(this.#tick);
    } else {
      const clock = this.#options.clock ?? getReactor();
      this.#scheduled = clock.callLater(COOPERATOR_EPSILON, this.#tick);
    }
  }
}

let globalCooperator: Cooperator | null = null;

/**
 * Runs `work` on the global cooperator (default clock and time slice).
 *
 * @example
 * ```ts
 * const task = cooperate(rows());
 * ```
 */
export function cooperate(work: CooperativeWork): CooperativeTask {
  globalCooperator ??= new Cooperator();
  return globalCooperator.cooperate(work);
}

/**
 * Runs `work` to the end on the global cooperator.
 *
 * @example
 * ```ts
 * await coiterate(rows());
 * ```
 */
export function coiterate(work: CooperativeWork): Deferred<unknown> {
  globalCooperator ??= new Cooperator();
  return globalCooperator.coiterate(work);
}
