import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CancelledError, Deferred } from './defer.js';
import { outcome } from './defer.test-helpers.js';
import { DeferredLock, DeferredSemaphore, NotAcquiredError } from './deferred-lock.js';

describe('DeferredLock', () => {
  it('fires acquire at once with the lock when it is free, and locks it', () => {
    const lock = new DeferredLock();
    assert.equal(lock.locked, false);
    assert.equal(outcome(lock.acquire()).value, lock);
    assert.equal(lock.locked, true);
  });

  it('makes later acquirers wait and serves them in order on release', () => {
    const lock = new DeferredLock();
    const order: string[] = [];
    lock.acquire().addCallback(() => order.push('a'));
    lock.acquire().addCallback(() => order.push('b'));
    lock.acquire().addCallback(() => order.push('c'));
    assert.deepEqual(order, ['a']);
    assert.equal(lock.waiting.length, 2);
    lock.release();
    assert.deepEqual(order, ['a', 'b']);
    lock.release();
    lock.release();
    assert.deepEqual(order, ['a', 'b', 'c']);
    assert.equal(lock.locked, false);
  });

  it('throws NotAcquiredError when released while not held', () => {
    const lock = new DeferredLock();
    assert.throws(() => lock.release(), NotAcquiredError);
  });

  it('takes a cancelled waiter out of the line, so the next one gets the lock', () => {
    const lock = new DeferredLock();
    lock.acquire();
    const cancelled = lock.acquire();
    const next = outcome(lock.acquire());
    cancelled.cancel();
    assert.ok(outcome(cancelled).error instanceof CancelledError, 'expected a CancelledError');
    assert.equal(lock.waiting.length, 1);
    lock.release();
    assert.equal(next.value, lock);
  });

  it('does nothing when an acquire that already fired is cancelled', () => {
    const lock = new DeferredLock();
    const d = lock.acquire();
    d.cancel();
    assert.equal(outcome(d).value, lock);
    assert.equal(lock.locked, true);
  });

  it('runs a function holding the lock and releases it after a synchronous result', () => {
    const lock = new DeferredLock();
    const d = lock.run(
      (a: number, b: number) => {
        assert.equal(lock.locked, true);
        return a + b;
      },
      1,
      2,
    );
    assert.equal(outcome(d).value, 3);
    assert.equal(lock.locked, false);
  });

  it('releases the lock when the function throws, passing the error on', () => {
    const lock = new DeferredLock();
    const err = new Error('inside');
    const d = lock.run(() => {
      throw err;
    });
    assert.equal(outcome(d).error, err);
    assert.equal(lock.locked, false);
  });

  it('holds the lock until the Deferred the function returned fires', () => {
    const lock = new DeferredLock();
    const work = new Deferred<string>();
    const first = outcome(lock.run(() => work));
    const second = outcome(lock.run(() => 'second'));
    assert.equal(second.fired, false);
    work.callback('first');
    assert.equal(first.value, 'first');
    assert.equal(second.value, 'second');
    assert.equal(lock.locked, false);
  });

  it('never runs a function whose run() was cancelled while waiting in line', () => {
    const lock = new DeferredLock();
    lock.acquire();
    let ran = false;
    const d = lock.run(() => {
      ran = true;
    });
    d.cancel();
    assert.ok(outcome(d).error instanceof CancelledError, 'expected a CancelledError');
    lock.release();
    assert.equal(ran, false);
    assert.equal(lock.locked, false);
  });

  it('serialises async functions', async () => {
    const lock = new DeferredLock();
    const log: string[] = [];
    const task = async (name: string) => {
      log.push(`${name} start`);
      await Promise.resolve();
      log.push(`${name} end`);
    };
    await Promise.all([lock.run(task, 'a'), lock.run(task, 'b')]);
    assert.deepEqual(log, ['a start', 'a end', 'b start', 'b end']);
  });
});

describe('DeferredSemaphore', () => {
  it('rejects fewer than one token', () => {
    assert.throws(() => new DeferredSemaphore(0), RangeError);
    assert.throws(() => new DeferredSemaphore(1.5), RangeError);
  });

  it('lets up to limit holders in, then queues, serving waiters in order', () => {
    const sem = new DeferredSemaphore(2);
    assert.equal(sem.limit, 2);
    const order: number[] = [];
    for (let i = 0; i < 4; i++) sem.acquire().addCallback(() => order.push(i));
    assert.deepEqual(order, [0, 1]);
    assert.equal(sem.tokens, 0);
    assert.equal(sem.waiting.length, 2);
    sem.release();
    assert.deepEqual(order, [0, 1, 2]);
    sem.release();
    sem.release();
    sem.release();
    assert.equal(sem.tokens, 2);
    assert.deepEqual(order, [0, 1, 2, 3]);
  });

  it('throws NotAcquiredError when released more often than acquired', () => {
    const sem = new DeferredSemaphore(1);
    assert.throws(() => sem.release(), NotAcquiredError);
    sem.acquire();
    sem.release();
    assert.throws(() => sem.release(), { code: 'ERR_NOT_ACQUIRED' });
  });

  it('takes a cancelled waiter out of the line', () => {
    const sem = new DeferredSemaphore(1);
    sem.acquire();
    const d = sem.acquire();
    d.cancel();
    assert.equal(sem.waiting.length, 0);
    outcome(d);
    sem.release();
    assert.equal(sem.tokens, 1);
  });

  it('runs functions holding a token and gives it back on success and failure', async () => {
    const sem = new DeferredSemaphore(1);
    assert.equal(outcome(sem.run(() => 'ok')).value, 'ok');
    assert.equal(sem.tokens, 1);
    const err = new Error('failed');
    const failing = sem.run(() => Promise.reject(err));
    assert.equal(sem.tokens, 0);
    await assert.rejects(failing.asPromise(), (e) => e === err);
    assert.equal(sem.tokens, 1);
  });

  it('never has more than limit runs in flight and runs every job (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.nat({ max: 20 }), { maxLength: 20 }),
        (limit, finishOrder) => {
          const sem = new DeferredSemaphore(limit);
          const jobs: Deferred<void>[] = [];
          let inFlight = 0;
          let maxInFlight = 0;
          let done = 0;
          for (let i = 0; i < finishOrder.length; i++)
            sem
              .run(() => {
                inFlight++;
                maxInFlight = Math.max(maxInFlight, inFlight);
                const job = new Deferred<void>();
                jobs.push(job);
                // The job ends when it fires, before the semaphore hands its token on.
                return job.addCallback(() => {
                  inFlight--;
                });
              })
              .addCallback(() => {
                done++;
              });
          // Finish started jobs in an arbitrary order until none are left.
          let step = 0;
          for (;;) {
            const open = jobs.filter((j) => !j.called);
            if (open.length === 0) break;
            open[finishOrder[step++ % Math.max(1, finishOrder.length)]! % open.length]!.callback();
          }
          assert.ok(maxInFlight <= limit, `ran ${maxInFlight} at once with limit ${limit}`);
          assert.equal(done, finishOrder.length);
          assert.equal(sem.tokens, limit);
        },
      ),
    );
  });
});
