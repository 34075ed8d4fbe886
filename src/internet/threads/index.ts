/**
 * Running blocking or CPU-bound work off the main thread, Twisted's `twisted.internet.threads`
 * over `node:worker_threads`: `deferToThread(task, ...args)` gives a Deferred of the result.
 *
 * Threads in Node are isolates: a task does not share the caller's memory, closures, imports or
 * `this` (see `ThreadTask`); its arguments and result are copied by structured clone (or shared
 * with a `SharedArrayBuffer`). The reactor's default pool (`getThreadPool()`, at most 10 workers
 * unless `suggestThreadPoolSize` says otherwise) is created on first use, started at once (Twisted
 * waits for `reactor.run()`; in Node the loop is always there) and stopped by the reactor's
 * `during shutdown` trigger.
 *
 * `callFromThread(f)`: there is only one JavaScript thread with a reactor, the main one, and a
 * worker cannot call into it (it has no reactor and shares no functions). From the main thread,
 * `callFromThread` runs `f` on the next turn of the reactor (`callLater(0, f)`); results from a
 * worker come back through the Deferred, which fires on the main thread.
 *
 * @example
 * ```ts
 * import { deferToThread } from 'twisted-ts/internet';
 * const digest = await deferToThread(
 *   async (data: Uint8Array) => (await import('node:crypto')).createHash('sha256').update(data).digest('hex'),
 *   bytes,
 * );
 * ```
 * @module
 */

import { getReactor } from '../default-reactor.js';
import { Deferred } from '../defer.js';
import { toError } from '../error.js';
import type { IReactorCore, IReactorTime } from '../interfaces.js';
import { ThreadPool, type ThreadTask } from './thread-pool.js';

export * from './thread-pool.js';

/**
 * What the threading helpers need from a reactor.
 *
 * @example
 * ```ts
 * const r: ThreadsReactor = new NodeReactor();
 * suggestThreadPoolSize(4, r);
 * const pool = getThreadPool(r); // started now, stopped during r's shutdown
 * ```
 */
export type ThreadsReactor = Pick<IReactorCore, 'addSystemEventTrigger'> & Pick<IReactorTime, 'callLater'>;

/** The value `task` resolves to. */
type Result<R> = Awaited<R>;

const pools = new WeakMap<object, ThreadPool>();
const suggested = new WeakMap<object, number>();

/**
 * The reactor's default pool (0 to 10 workers), created and started on first use and stopped by
 * the reactor's `during shutdown` trigger.
 *
 * @example
 * ```ts
 * getThreadPool().adjustPoolsize(0, 4);
 * ```
 */
export function getThreadPool(reactor: ThreadsReactor = getReactor()): ThreadPool {
  let pool = pools.get(reactor);
  if (pool === undefined) {
    const created = new ThreadPool({
      minThreads: 0,
      maxThreads: suggested.get(reactor) ?? 10,
      name: 'reactor',
    });
    pool = created;
    pools.set(reactor, created);
    created.start();
    reactor.addSystemEventTrigger('during', 'shutdown', () => {
      pools.delete(reactor);
      return created.stop();
    });
  }
  return pool;
}

/**
 * Sets the most workers the reactor's default pool runs at once (now, or when it is created).
 *
 * @example
 * ```ts
 * suggestThreadPoolSize(4);
 * ```
 */
export function suggestThreadPoolSize(size: number, reactor: ThreadsReactor = getReactor()): void {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`Invalid thread pool size ${size}.`);
  suggested.set(reactor, size);
  pools.get(reactor)?.adjustPoolsize(0, size);
}

/**
 * Runs `task(...args)` in `pool` and gives its result as a Deferred (fired on the main thread).
 * An error thrown in the worker errbacks it with the same name, message and stack.
 *
 * @example
 * ```ts
 * const n = await deferToThreadPool(reactor, pool, { module: import.meta.resolve('./fib.js'), export: 'fib' }, 40);
 * ```
 */
export function deferToThreadPool<A extends unknown[], R>(
  _reactor: unknown,
  pool: ThreadPool,
  task: ThreadTask<A, R>,
  ...args: A
): Deferred<Result<R>> {
  const d = new Deferred<Result<R>>();
  pool.callInThreadWithCallback(
    (ok, result) => {
      if (ok) d.callback(result as Result<R>);
      else d.errback(toError(result));
    },
    task,
    ...args,
  );
  return d;
}

/**
 * Runs `task(...args)` in the global reactor's pool; the Deferred fires with its result.
 *
 * @example
 * ```ts
 * const sum = await deferToThread((a: number, b: number) => a + b, 1, 2);
 * ```
 */
export function deferToThread<A extends unknown[], R>(
  task: ThreadTask<A, R>,
  ...args: A
): Deferred<Result<R>> {
  return deferToThreadPool(null, getThreadPool(), task, ...args);
}

/**
 * Runs `task(...args)` in the global reactor's pool, ignoring the result (errors are reported).
 *
 * @example
 * ```ts
 * callInThread({ module: new URL('./cleanup.js', import.meta.url), export: 'purgeCache' });
 * ```
 */
export function callInThread<A extends unknown[]>(task: ThreadTask<A>, ...args: A): void {
  getThreadPool().callInThread(task, ...args);
}

/**
 * Runs `f(...args)` on the reactor's thread (the main thread) on the next turn of the loop: in
 * Node, that is `reactor.callLater(0, f, ...args)`.
 *
 * @example
 * ```ts
 * callFromThread(() => protocol.transport!.write(result));
 * ```
 */
export function callFromThread<A extends unknown[]>(f: (...args: A) => unknown, ...args: A): void {
  getReactor().callLater(0, f, ...args);
}
