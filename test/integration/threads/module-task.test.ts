import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { deferToThreadPool, ThreadPool } from '../../../src/internet/threads/index.js';

const WORK = new URL('./fixtures/work.mjs', import.meta.url);

describe('thread pool module tasks', () => {
  it('runs an export given by URL, by file URL string and by absolute path', async (t) => {
    const pool = new ThreadPool({ minThreads: 0, maxThreads: 1 });
    pool.start();
    t.after(() => pool.stop());
    assert.equal(await deferToThreadPool(null, pool, { module: WORK, export: 'fib' }, 20), 6765);
    assert.equal(await deferToThreadPool(null, pool, { module: WORK.href, export: 'fib' }, 10), 55);
    assert.equal(await deferToThreadPool(null, pool, { module: fileURLToPath(WORK), export: 'fib' }, 5), 5);
  });

  it('errbacks with the error a module export throws, and with TypeError for a missing or non-function export', async (t) => {
    const pool = new ThreadPool({ minThreads: 0, maxThreads: 1 });
    pool.start();
    t.after(() => pool.stop());
    await assert.rejects(
      deferToThreadPool(null, pool, { module: WORK, export: 'fail' }, 'nope').asPromise(),
      {
        name: 'RangeError',
        message: 'nope',
      },
    );
    await assert.rejects(
      deferToThreadPool(null, pool, { module: WORK, export: 'notAFunction' }).asPromise(),
      /no function export "notAFunction"/,
    );
    await assert.rejects(
      deferToThreadPool(null, pool, { module: WORK, export: 'missing' }).asPromise(),
      TypeError,
    );
  });
});
