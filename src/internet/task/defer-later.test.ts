import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Clock } from '../../testing/clock.js';
import { assertNoResult, failureResultOf, successResultOf } from '../../testing/results.js';
import { CancelledError, Deferred } from '../defer.js';
import { deferLater } from './defer-later.js';

describe('deferLater', () => {
  it('fires with the result of the call made after the delay', () => {
    const clock = new Clock();
    const d = deferLater(clock, 5, (a: number, b: number) => a + b, 40, 2);
    clock.advance(4.9);
    assertNoResult(d);
    clock.advance(0.1);
    assert.equal(successResultOf(d), 42);
  });

  it('fires with undefined when no function is given', () => {
    const clock = new Clock();
    const d = deferLater(clock, 1);
    clock.advance(1);
    assert.equal(successResultOf(d), undefined);
  });

  it('errbacks with what the call throws', () => {
    const clock = new Clock();
    const d = deferLater(clock, 1, () => {
      throw new RangeError('nope');
    });
    clock.advance(1);
    assert.ok(failureResultOf(d, RangeError));
  });

  it('waits for a Deferred returned by the call', () => {
    const clock = new Clock();
    const inner = new Deferred<string>();
    const d = deferLater(clock, 1, () => inner);
    clock.advance(1);
    assertNoResult(d);
    inner.callback('late');
    assert.equal(successResultOf(d), 'late');
  });

  it('cancelling errbacks with CancelledError and unschedules the call', () => {
    const clock = new Clock();
    let called = false;
    const d = deferLater(clock, 1, () => {
      called = true;
    });
    d.cancel();
    assert.ok(failureResultOf(d, CancelledError));
    assert.equal(clock.getDelayedCalls().length, 0);
    clock.advance(2);
    assert.equal(called, false);
  });
});
