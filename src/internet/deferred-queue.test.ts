import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CancelledError } from './defer.js';
import { outcome } from './defer.test-helpers.js';
import { DeferredQueue, QueueOverflow, QueueUnderflow } from './deferred-queue.js';

describe('DeferredQueue', () => {
  it('gives a kept item at once to get()', () => {
    const q = new DeferredQueue<string>();
    q.put('a');
    q.put('b');
    assert.deepEqual(q.pending, ['a', 'b']);
    assert.equal(outcome(q.get()).value, 'a');
    assert.equal(outcome(q.get()).value, 'b');
    assert.deepEqual(q.pending, []);
  });

  it('fires waiting getters in order as items are put', () => {
    const q = new DeferredQueue<number>();
    const first = outcome(q.get());
    const second = outcome(q.get());
    assert.equal(q.waiting.length, 2);
    q.put(1);
    assert.deepEqual([first.value, second.fired], [1, false]);
    q.put(2);
    assert.equal(second.value, 2);
    assert.deepEqual(q.pending, []);
  });

  it('throws QueueOverflow when size items are already kept', () => {
    const q = new DeferredQueue<number>(2);
    q.put(1);
    q.put(2);
    assert.throws(() => q.put(3), QueueOverflow);
    assert.deepEqual(q.pending, [1, 2]);
  });

  it('does not count items handed straight to waiting getters against size', () => {
    const q = new DeferredQueue<number>(0);
    const got = outcome(q.get());
    q.put(7);
    assert.equal(got.value, 7);
    assert.throws(() => q.put(8), { code: 'ERR_QUEUE_OVERFLOW' });
  });

  it('fails get() with QueueUnderflow when backlog getters already wait', () => {
    const q = new DeferredQueue<number>(undefined, 1);
    q.get();
    const over = outcome(q.get());
    assert.ok(over.error instanceof QueueUnderflow, 'expected a QueueUnderflow');
    assert.equal(q.waiting.length, 1);
  });

  it('takes a cancelled getter out of the line, so the item goes to the next one', () => {
    const q = new DeferredQueue<string>();
    const cancelled = q.get();
    const next = outcome(q.get());
    cancelled.cancel();
    assert.ok(outcome(cancelled).error instanceof CancelledError, 'expected a CancelledError');
    q.put('x');
    assert.equal(next.value, 'x');
  });

  it('delivers every item once, in order, for any interleaving of puts and gets (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 60 }), (ops) => {
        const q = new DeferredQueue<number>();
        const received: number[] = [];
        let put = 0;
        for (const isPut of ops) {
          if (isPut) q.put(put++);
          else
            q.get().addCallback((n) => {
              received.push(n);
            });
        }
        const expected = Array.from({ length: Math.min(put, ops.length - put) }, (_, i) => i);
        assert.deepEqual(received, expected);
        assert.equal(q.pending.length + received.length, put);
      }),
    );
  });
});
