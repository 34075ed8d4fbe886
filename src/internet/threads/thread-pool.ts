/**
 * `ThreadPool`: Twisted's thread pool over `node:worker_threads`. Work is a function (sent as its
 * source text and rebuilt in the worker) or a module export (`{ module, export }`); see
 * `ThreadTask`. Workers start on demand up to `maxThreads`, at least `minThreads` stay alive, and an
 * idle worker does not keep the process alive (it is unref'd). A worker that dies is replaced and
 * its call fails with `WorkerDiedError`.
 *
 * @example
 * ```ts
 * import { ThreadPool, deferToThreadPool, reactor } from 'twisted-ts/internet';
 * const pool = new ThreadPool({ maxThreads: 4 });
 * pool.start();
 * const n = await deferToThreadPool(reactor, pool, (x: number) => x * 2, 21);
 * await pool.stop();
 * ```
 * @module
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Deferred } from '../defer.js';
import { TwistedError } from '../error.js';
import { reportError } from '../error-reporter.js';
import { type SerializedError, type TaskSpec, WORKER_SOURCE, type WorkReply } from './worker-source.js';

/**
 * A module export to run in a worker: `module` is a URL, a `file:` URL string, or an absolute path.
 * Unlike a function task, the code may import what it needs: the worker loads the module itself.
 *
 * @example
 * ```ts
 * const fib: ModuleTask = { module: new URL('./fib.js', import.meta.url), export: 'fib' };
 * const n = await deferToThread(fib, 30);
 * ```
 */
export interface ModuleTask {
  /** The module to load in the worker (compiled JavaScript: workers do not run TypeScript). */
  readonly module: string | URL;
  /** The name of the exported function to call (`'default'` for a default export). */
  readonly export: string;
}

/**
 * Work for a worker. A function is sent as its source text: it must be self-contained (an arrow
 * function or `function` expression that uses only its arguments and globals; it may `await
 * import(...)`). It does not see the caller's closures, imports or `this`. Arguments and results
 * go through structured clone.
 *
 * @example
 * ```ts
 * const double: ThreadTask<[number], number> = (n) => n * 2; // no closures: only its arguments
 * const fib: ThreadTask<[number], number> = { module: new URL('./fib.js', import.meta.url), export: 'fib' };
 * console.log(await deferToThread(double, 21), await deferToThread(fib, 30));
 * ```
 */
export type ThreadTask<A extends unknown[] = any[], R = unknown> = ((...args: A) => R) | ModuleTask;

/**
 * The outcome callback of `callInThreadWithCallback`: `(true, result)` or `(false, error)`.
 *
 * @example
 * ```ts
 * const onResult: ThreadResultCallback = (ok, result) => {
 *   if (ok) console.log('length', result);
 *   else console.error('failed', result);
 * };
 * pool.callInThreadWithCallback(onResult, (s: string) => s.length, 'abc');
 * ```
 */
export type ThreadResultCallback = (success: boolean, result: unknown) => void;

/**
 * A worker exited (crashed, called `process.exit`, ran out of memory) while running a call.
 *
 * @example
 * ```ts
 * deferToThread(() => process.exit(1)).addErrback((err) => trap(err, WorkerDiedError));
 * ```
 */
export class WorkerDiedError extends TwistedError {
  constructor(
    /** The worker's exit code: the `n` of a `process.exit(n)` in the task, non-zero after a crash. */
    readonly exitCode: number,
    options?: { cause?: unknown },
  ) {
    super(
      `The worker thread died (exit code ${exitCode}) while running the call.`,
      'ERR_WORKER_DIED',
      options,
    );
  }
}

/**
 * Work submitted to a pool that was stopped.
 *
 * @example
 * ```ts
 * await pool.stop();
 * deferToThreadPool(reactor, pool, () => 1); // errbacks with ThreadPoolStoppedError
 * ```
 */
export class ThreadPoolStoppedError extends TwistedError {
  constructor(message = 'The thread pool is stopped.') {
    super(message, 'ERR_THREAD_POOL_STOPPED');
  }
}

/**
 * Options of `new ThreadPool()`.
 *
 * @example
 * ```ts
 * const pool = new ThreadPool({ minThreads: 0, maxThreads: os.availableParallelism(), name: 'images' });
 * ```
 */
export interface ThreadPoolOptions {
  /** Workers kept alive once started (default 5, as in Twisted). */
  readonly minThreads?: number;
  /** Most workers running at once (default 20, as in Twisted). */
  readonly maxThreads?: number;
  /** Name given to the workers (shows in debuggers). */
  readonly name?: string;
}

interface Job {
  readonly id: number;
  readonly task: TaskSpec;
  readonly args: readonly unknown[];
  readonly onResult: ThreadResultCallback;
}

interface Slot {
  readonly worker: Worker;
  job: Job | null;
  retiring: boolean;
  crash: Error | null;
}

const ERROR_TYPES: Record<string, new (message: string) => Error> = {
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** An `Error` rebuilt from what a worker sent, keeping name, message, stack and code. */
function rebuildError(e: SerializedError): Error {
  const Ctor = ERROR_TYPES[e.name] ?? Error;
  const err = new Ctor(e.message);
  if (err.name !== e.name)
    Object.defineProperty(err, 'name', { value: e.name, configurable: true, writable: true });
  if (e.stack !== undefined) err.stack = e.stack;
  if (e.code !== undefined) Object.assign(err, { code: e.code });
  return err;
}

function toSpec(task: ThreadTask): TaskSpec {
  if (typeof task === 'function') return { kind: 'source', source: task.toString() };
  const m = task.module;
  let url: string;
  if (m instanceof URL) url = m.href;
  else if (isAbsolute(m)) url = pathToFileURL(m).href;
  else url = m;
  return { kind: 'module', url, export: task.export };
}

/**
 * A pool of worker threads running `ThreadTask`s. Calls made before `start()` wait in the queue.
 *
 * @example
 * ```ts
 * const pool = new ThreadPool({ minThreads: 0, maxThreads: 2 });
 * pool.start();
 * pool.callInThreadWithCallback((ok, result) => console.log(ok, result), (a: number) => a + 1, 1);
 * ```
 */
export class ThreadPool {
  #min: number;
  #max: number;
  readonly #name: string;
  readonly #slots = new Set<Slot>();
  readonly #queue: Job[] = [];
  #nextId = 1;
  #state: 'new' | 'started' | 'stopping' | 'stopped' = 'new';
  #stopped: Deferred<void> | null = null;

  constructor(options: ThreadPoolOptions = {}) {
    this.#min = options.minThreads ?? 5;
    this.#max = options.maxThreads ?? 20;
    this.#name = options.name ?? 'twisted-ts';
    if (this.#min < 0 || this.#max < 1 || this.#min > this.#max) {
      throw new RangeError(`Invalid pool size: minThreads ${this.#min}, maxThreads ${this.#max}.`);
    }
  }

  /** True between `start()` and `stop()`. */
  get started(): boolean {
    return this.#state === 'started';
  }

  /** Workers kept alive once started, even when idle (see `adjustPoolsize`). */
  get minThreads(): number {
    return this.#min;
  }

  /** Most workers running at once; calls beyond it wait in the queue. */
  get maxThreads(): number {
    return this.#max;
  }

  /** Live workers. */
  get threads(): number {
    return this.#slots.size;
  }

  /** Workers running a call now. */
  get working(): number {
    let n = 0;
    for (const s of this.#slots) if (s.job !== null) n++;
    return n;
  }

  /** Calls waiting for a worker. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Starts `minThreads` workers and runs what was queued. */
  start(): void {
    if (this.#state !== 'new') return;
    this.#state = 'started';
    while (this.#slots.size < this.#min) this.#spawn();
    this.#dispatch();
  }

  /**
   * Stops the pool: queued and running calls finish, then every worker is terminated. Fires once
   * they all exited.
   *
   * @example
   * ```ts
   * await pool.stop();
   * ```
   */
  stop(): Deferred<void> {
    if (this.#stopped !== null) return this.#stopped;
    const d = new Deferred<void>();
    this.#stopped = d;
    if (this.#state === 'new') this.#state = 'started';
    this.#state = 'stopping';
    this.#dispatch();
    this.#maybeFinishStop();
    return d;
  }

  /**
   * Changes the pool's bounds; extra idle workers are terminated and missing ones started.
   *
   * @example
   * ```ts
   * pool.adjustPoolsize(0, 4);
   * ```
   */
  adjustPoolsize(minThreads: number = this.#min, maxThreads: number = this.#max): void {
    if (minThreads < 0 || maxThreads < 1 || minThreads > maxThreads) {
      throw new RangeError(`Invalid pool size: minThreads ${minThreads}, maxThreads ${maxThreads}.`);
    }
    this.#min = minThreads;
    this.#max = maxThreads;
    if (this.#state !== 'started') return;
    for (const s of this.#slots) {
      if (this.#liveCount() <= this.#max) break;
      if (s.job === null && !s.retiring) this.#retire(s);
    }
    while (this.#liveCount() < this.#min) this.#spawn();
    this.#dispatch();
  }

  /**
   * Runs `task(...args)` in a worker, ignoring its result; errors are reported with `reportError`.
   *
   * @example
   * ```ts
   * pool.callInThread({ module: import.meta.resolve('./index-files.js'), export: 'rebuild' });
   * ```
   */
  callInThread<A extends unknown[]>(task: ThreadTask<A>, ...args: A): void {
    this.callInThreadWithCallback(
      (ok, result) => {
        if (!ok) reportError(result, 'callInThread');
      },
      task,
      ...args,
    );
  }

  /**
   * Runs `task(...args)` in a worker and calls `onResult(true, result)` or `onResult(false,
   * error)` on the main thread. After `stop()`, `onResult` gets `ThreadPoolStoppedError` at once.
   *
   * @example
   * ```ts
   * pool.callInThreadWithCallback((ok, r) => (ok ? use(r) : log(r)), (s: string) => s.length, 'abc');
   * ```
   */
  callInThreadWithCallback<A extends unknown[]>(
    onResult: ThreadResultCallback,
    task: ThreadTask<A>,
    ...args: A
  ): void {
    if (this.#stopped !== null) {
      onResult(false, new ThreadPoolStoppedError());
      return;
    }
    let spec: TaskSpec;
    try {
      spec = toSpec(task as ThreadTask);
    } catch (err) {
      onResult(false, err);
      return;
    }
    this.#queue.push({ id: this.#nextId++, task: spec, args, onResult });
    this.#dispatch();
  }

  #liveCount(): number {
    let n = 0;
    for (const s of this.#slots) if (!s.retiring) n++;
    return n;
  }

  #spawn(): Slot {
    const worker = new Worker(WORKER_SOURCE, { eval: true, name: this.#name });
    const slot: Slot = { worker, job: null, retiring: false, crash: null };
    this.#slots.add(slot);
    worker.unref();
    worker.on('message', (reply: WorkReply) => this.#onReply(slot, reply));
    worker.on('error', (err) => {
      slot.crash = err;
    });
    worker.on('exit', (code) => this.#onExit(slot, code));
    return slot;
  }

  #dispatch(): void {
    if (this.#state !== 'started' && this.#state !== 'stopping') return;
    while (this.#queue.length > 0) {
      let slot: Slot | undefined;
      for (const s of this.#slots) {
        if (s.job === null && !s.retiring) {
          slot = s;
          break;
        }
      }
      if (slot === undefined) {
        if (this.#liveCount() >= this.#max) return;
        slot = this.#spawn();
      }
      const job = this.#queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      try {
        slot.worker.postMessage({ id: job.id, task: job.task, args: job.args });
      } catch (err) {
        // The arguments cannot be cloned (a function, a socket…).
        slot.job = null;
        slot.worker.unref();
        this.#deliver(job, false, err);
      }
    }
  }

  #deliver(job: Job, ok: boolean, result: unknown): void {
    try {
      job.onResult(ok, result);
    } catch (err) {
      reportError(err, 'thread pool result callback');
    }
  }

  #onReply(slot: Slot, reply: WorkReply): void {
    const job = slot.job;
    if (job === null || job.id !== reply.id) return;
    slot.job = null;
    slot.worker.unref();
    if (reply.ok) this.#deliver(job, true, reply.result);
    else this.#deliver(job, false, rebuildError(reply.error));
    if (this.#liveCount() > this.#max) this.#retire(slot);
    this.#dispatch();
    this.#maybeFinishStop();
  }

  #onExit(slot: Slot, code: number): void {
    this.#slots.delete(slot);
    const job = slot.job;
    slot.job = null;
    if (job !== null)
      this.#deliver(job, false, new WorkerDiedError(code, { cause: slot.crash ?? undefined }));
    if (this.#state === 'started') {
      while (this.#liveCount() < this.#min) this.#spawn();
    }
    this.#dispatch();
    this.#maybeFinishStop();
  }

  #retire(slot: Slot): void {
    slot.retiring = true;
    void slot.worker.terminate();
  }

  #maybeFinishStop(): void {
    if (this.#state !== 'stopping' || this.#queue.length > 0) return;
    for (const s of this.#slots) {
      if (s.job !== null) return;
      if (!s.retiring) this.#retire(s);
    }
    if (this.#slots.size > 0) return;
    this.#state = 'stopped';
    this.#stopped?.callback(undefined);
  }
}
