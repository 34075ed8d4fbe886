import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { setErrorReporter } from '../error-reporter.js';
import { deferToThreadPool } from './index.js';
import { ThreadPool, ThreadPoolStoppedError, WorkerDiedError } from './thread-pool.js';

function pool(
  t: TestContext,
  options: ConstructorParameters<typeof ThreadPool>[0] = { minThreads: 0, maxThreads: 2 },
) {
  const p = new ThreadPool(options);
  p.start();
  t.after(() => p.stop());
  return p;
}

/** Waits in the worker until the main thread sets slot 0 of `sab` (at most 10 s), then returns it. */
const waitForFlag = (sab: SharedArrayBuffer): number => {
  const a = new Int32Array(sab);
  Atomics.wait(a, 0, 0, 10_000);
  return Atomics.load(a, 0);
};

/** `Atomics.waitAsync` (Node 20 has it; TypeScript's ES2022 library does not declare it). */
async function waitAsync(a: Int32Array, index: number, value: number): Promise<void> {
  const wait = (
    Atomics as unknown as {
      waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: unknown };
    }
  ).waitAsync(a, index, value);
  if (wait.async) await wait.value;
}

function release(sab: SharedArrayBuffer): void {
  const a = new Int32Array(sab);
  Atomics.store(a, 0, 1);
  Atomics.notify(a, 0);
}

describe('ThreadPool', () => {
  it('runs a self-contained function in a worker and fires with its result', async (t) => {
    const p = pool(t);
    const sum = await deferToThreadPool(null, p, (a: number, b: number) => a + b, 40, 2);
    assert.equal(sum, 42);
  });

  it('awaits an async task, which may import modules', async (t) => {
    const p = pool(t);
    const task = async (s: string) =>
      (await import('node:crypto')).createHash('sha256').update(s).digest('hex');
    const hex = await deferToThreadPool(null, p, task, 'abc');
    assert.equal(hex, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('runs the work off the main thread: the main thread runs while the worker is busy', async (t) => {
    const p = pool(t);
    // Slot 1: the worker says it started; slot 0: the main thread lets it finish.
    const sab = new SharedArrayBuffer(8);
    const busy = (buf: SharedArrayBuffer): number => {
      const a = new Int32Array(buf);
      Atomics.store(a, 1, 1);
      Atomics.notify(a, 1);
      Atomics.wait(a, 0, 0, 10_000); // only a safety net: the main thread notifies
      return Atomics.load(a, 0);
    };
    const d = deferToThreadPool(null, p, busy, sab);
    await waitAsync(new Int32Array(sab), 1, 0);
    // The worker is inside the task, blocked, and this code still runs on the main thread.
    assert.equal(d.called, false);
    release(sab);
    assert.equal(await d, 1);
  });

  it('errbacks with the error thrown in the worker, keeping its class, name, message, code and stack', async (t) => {
    const p = pool(t);
    await assert.rejects(
      deferToThreadPool(null, p, () => {
        throw new TypeError('bad input');
      }).asPromise(),
      (err: unknown) => {
        assert.ok(err instanceof TypeError);
        assert.equal(err.message, 'bad input');
        assert.match(err.stack ?? '', /bad input/);
        return true;
      },
    );
    const custom = () => {
      class ParseError extends Error {
        code = 'E_PARSE';
      }
      const e = new ParseError('no');
      e.name = 'ParseError';
      throw e;
    };
    await assert.rejects(deferToThreadPool(null, p, custom).asPromise(), {
      name: 'ParseError',
      message: 'no',
      code: 'E_PARSE',
    });
  });

  it('wraps a non-Error thrown in the worker', async (t) => {
    const p = pool(t);
    const task = () => {
      throw 'just a string';
    };
    await assert.rejects(deferToThreadPool(null, p, task).asPromise(), /just a string/);
  });

  it('errbacks with WorkerDiedError when the worker exits, and replaces it', async (t) => {
    const p = pool(t, { minThreads: 1, maxThreads: 1 });
    await assert.rejects(
      deferToThreadPool(null, p, () => process.exit(7)).asPromise(),
      (err: unknown) => err instanceof WorkerDiedError && err.exitCode === 7,
    );
    assert.equal(await deferToThreadPool(null, p, () => 'still working'), 'still working');
    assert.equal(p.threads, 1);
  });

  it('runs at most maxThreads calls at once and queues the rest', async (t) => {
    const p = pool(t, { minThreads: 0, maxThreads: 2 });
    const sab = new SharedArrayBuffer(4);
    const calls = [1, 2, 3].map(() => deferToThreadPool(null, p, waitForFlag, sab));
    assert.equal(p.threads, 2);
    assert.equal(p.working, 2);
    assert.equal(p.queued, 1);
    release(sab);
    assert.deepEqual(await Promise.all(calls), [1, 1, 1]);
    assert.equal(p.working, 0);
    assert.equal(p.queued, 0);
  });

  it('starts minThreads workers and follows adjustPoolsize', async (t) => {
    const p = pool(t, { minThreads: 2, maxThreads: 3 });
    assert.equal(p.threads, 2);
    p.adjustPoolsize(3, 4);
    assert.equal(p.threads, 3);
    assert.equal(p.maxThreads, 4);
    assert.throws(() => p.adjustPoolsize(5, 4), RangeError);
    assert.throws(() => new ThreadPool({ maxThreads: 0 }), RangeError);
  });

  it('queues calls made before start() and runs them once started', async (t) => {
    const p = new ThreadPool({ minThreads: 0, maxThreads: 1 });
    t.after(() => p.stop());
    const d = deferToThreadPool(null, p, () => 'ran');
    assert.equal(p.threads, 0);
    assert.equal(p.queued, 1);
    p.start();
    assert.equal(await d, 'ran');
  });

  it('finishes running calls on stop, terminates its workers, then refuses new calls', async () => {
    const p = new ThreadPool({ minThreads: 1, maxThreads: 1 });
    p.start();
    const sab = new SharedArrayBuffer(4);
    const running = deferToThreadPool(null, p, waitForFlag, sab);
    const stopped = p.stop();
    assert.equal(stopped.called, false);
    release(sab);
    assert.equal(await running, 1);
    await stopped;
    assert.equal(p.threads, 0);
    assert.equal(p.started, false);
    await assert.rejects(deferToThreadPool(null, p, () => 1).asPromise(), ThreadPoolStoppedError);
  });

  it('errbacks when an argument cannot be cloned, or the source is not a function expression', async (t) => {
    const p = pool(t);
    await assert.rejects(
      deferToThreadPool(
        null,
        p,
        (f: unknown) => f,
        () => 1,
      ).asPromise(),
      {
        name: 'DataCloneError',
      },
    );
    const method = {
      double(n: number) {
        return n * 2;
      },
    }.double;
    await assert.rejects(deferToThreadPool(null, p, method, 2).asPromise(), { name: 'SyntaxError' });
  });

  it('reports the error of a callInThread call', async (t) => {
    const p = pool(t);
    const reported = new Promise<unknown>((resolve) => {
      const previous = setErrorReporter((err) => {
        setErrorReporter(previous);
        resolve(err);
      });
    });
    p.callInThread(() => {
      throw new RangeError('out of range');
    });
    const err = await reported;
    assert.ok(err instanceof RangeError);
  });
});
