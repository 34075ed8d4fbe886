import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setErrorReporter } from '../error-reporter.js';
import type { IDelayedCall, SystemEvent, SystemEventPhase } from '../interfaces.js';
import {
  callFromThread,
  callInThread,
  deferToThread,
  getThreadPool,
  suggestThreadPoolSize,
  type ThreadsReactor,
} from './index.js';

/** A reactor stand-in that records its shutdown triggers. */
function fakeReactor(): ThreadsReactor & { shutdown(): Promise<void> } {
  const triggers: (() => unknown)[] = [];
  return {
    addSystemEventTrigger<A extends unknown[]>(
      phase: SystemEventPhase,
      event: SystemEvent,
      f: (...args: A) => unknown,
      ...args: A
    ) {
      assert.equal(`${phase} ${event}`, 'during shutdown');
      triggers.push(() => f(...args));
      return triggers.length;
    },
    callLater: () => ({}) as IDelayedCall,
    async shutdown() {
      for (const f of triggers) await (f() as PromiseLike<void>);
    },
  };
}

describe('getThreadPool', () => {
  it("creates the reactor's pool once, started with 0 to 10 workers, and stops it at shutdown", async () => {
    const reactor = fakeReactor();
    const pool = getThreadPool(reactor);
    assert.equal(getThreadPool(reactor), pool);
    assert.equal(pool.started, true);
    assert.equal(pool.minThreads, 0);
    assert.equal(pool.maxThreads, 10);
    await reactor.shutdown();
    assert.equal(pool.started, false);
    assert.notEqual(getThreadPool(reactor), pool);
    await reactor.shutdown();
  });

  it('sizes the pool with suggestThreadPoolSize, before or after it exists', async () => {
    const reactor = fakeReactor();
    suggestThreadPoolSize(3, reactor);
    const pool = getThreadPool(reactor);
    assert.equal(pool.maxThreads, 3);
    suggestThreadPoolSize(5, reactor);
    assert.equal(pool.maxThreads, 5);
    assert.throws(() => suggestThreadPoolSize(0, reactor), RangeError);
    await reactor.shutdown();
  });
});

describe('deferToThread', () => {
  it("runs the task in the global reactor's pool without keeping the process alive afterwards", async () => {
    assert.equal(await deferToThread((s: string) => s.toUpperCase(), 'threads'), 'THREADS');
    assert.equal(getThreadPool().working, 0);
  });

  it('reports the error of callInThread work', async () => {
    const reported = new Promise<unknown>((resolve) => {
      const previous = setErrorReporter((err) => {
        setErrorReporter(previous);
        resolve(err);
      });
    });
    callInThread(() => {
      throw new Error('in the background');
    });
    assert.equal(((await reported) as Error).message, 'in the background');
  });
});

describe('callFromThread', () => {
  it('runs the function later on the main thread, not synchronously', async () => {
    const seen: string[] = [];
    const done = new Promise<void>((resolve) => {
      callFromThread(
        (a: string, b: string) => {
          seen.push(a + b);
          resolve();
        },
        'x',
        'y',
      );
    });
    assert.deepEqual(seen, []);
    await done;
    assert.deepEqual(seen, ['xy']);
  });
});
