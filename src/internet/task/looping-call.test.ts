import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Clock } from '../../testing/clock.js';
import { assertNoResult, failureResultOf, successResultOf } from '../../testing/results.js';
import { Deferred } from '../defer.js';
import { LoopingCall } from './looping-call.js';

function looping(f: () => unknown): { lc: LoopingCall; clock: Clock } {
  const clock = new Clock();
  const lc = new LoopingCall(f);
  lc.clock = clock;
  return { lc, clock };
}

describe('LoopingCall', () => {
  it('calls at once and then every interval, exposing running and interval', () => {
    const times: number[] = [];
    const { lc, clock } = looping(() => times.push(clock.seconds()));
    lc.start(2);
    clock.pump([1, 1, 1, 1, 1]);
    assert.deepEqual(times, [0, 2, 4]);
    assert.equal(lc.running, true);
    assert.equal(lc.interval, 2);
  });

  it('waits one interval for the first call when now is false', () => {
    const times: number[] = [];
    const { lc, clock } = looping(() => times.push(clock.seconds()));
    lc.start(3, false);
    clock.advance(2.9);
    assert.deepEqual(times, []);
    clock.advance(0.1);
    assert.deepEqual(times, [3]);
  });

  it('fires the start Deferred with the LoopingCall on stop and cancels the pending call', () => {
    const { lc, clock } = looping(() => {});
    const d = lc.start(1);
    assertNoResult(d);
    lc.stop();
    assert.equal(successResultOf(d), lc);
    assert.equal(lc.running, false);
    assert.equal(clock.getDelayedCalls().length, 0);
  });

  it('errbacks the start Deferred and stops when a call throws', () => {
    let n = 0;
    const { lc, clock } = looping(() => {
      if (++n === 3) throw new RangeError('boom');
    });
    const d = lc.start(1);
    clock.pump([1, 1, 1]);
    assert.ok(failureResultOf(d, RangeError) instanceof RangeError);
    assert.equal(n, 3);
    assert.equal(lc.running, false);
    assert.equal(clock.getDelayedCalls().length, 0);
  });

  it('stays aligned to the start time when the clock advances unevenly (no drift)', () => {
    const times: number[] = [];
    const { lc, clock } = looping(() => times.push(clock.seconds()));
    lc.start(1);
    clock.pump([1.25, 0.875, 1.125]);
    assert.deepEqual(times, [0, 1.25, 2.125, 3.25]);
    assert.equal(clock.getDelayedCalls()[0]?.getTime(), 4);
  });

  it('runs once, not once per missed interval, after the reactor was busy for several intervals', () => {
    const times: number[] = [];
    const { lc, clock } = looping(() => times.push(clock.seconds()));
    lc.start(1);
    clock.advance(5.5);
    assert.deepEqual(times, [0, 5.5]);
    clock.advance(0.5);
    assert.deepEqual(times, [0, 5.5, 6]);
  });

  it('withCount passes the number of intervals elapsed since the last call', () => {
    const counts: number[] = [];
    const clock = new Clock();
    const lc = LoopingCall.withCount((n) => counts.push(n));
    lc.clock = clock;
    lc.start(1);
    clock.advance(1);
    clock.advance(3.5);
    clock.advance(0.5);
    assert.deepEqual(counts, [1, 1, 3, 1]);
  });

  it('withCount counts the first late call from the start time when now is false', () => {
    const counts: number[] = [];
    const clock = new Clock();
    const lc = LoopingCall.withCount((n) => counts.push(n));
    lc.clock = clock;
    lc.start(2, false);
    clock.advance(7);
    assert.deepEqual(counts, [3]);
  });

  it('delays the next call until a returned Deferred fires', () => {
    const pending: Deferred<void>[] = [];
    const times: number[] = [];
    const { lc, clock } = looping(() => {
      times.push(clock.seconds());
      const d = new Deferred<void>();
      pending.push(d);
      return d;
    });
    lc.start(1);
    clock.advance(3);
    assert.deepEqual(times, [0]);
    pending[0]?.callback();
    clock.advance(1);
    assert.deepEqual(times, [0, 4]);
  });

  it('fires the start Deferred only when a call in progress finishes after stop', () => {
    let pending: Deferred<void> | null = null;
    const { lc } = looping(() => {
      pending = new Deferred<void>();
      return pending;
    });
    const d = lc.start(1);
    lc.stop();
    assertNoResult(d);
    (pending as unknown as Deferred<void>).callback();
    assert.equal(successResultOf(d), lc);
  });

  it('errbacks with the rejection of a returned Promise', async () => {
    const { lc } = looping(() => Promise.reject(new TypeError('async boom')));
    await assert.rejects(lc.start(1).asPromise(), TypeError);
  });

  it('reset restarts the interval from now', () => {
    const times: number[] = [];
    const { lc, clock } = looping(() => times.push(clock.seconds()));
    lc.start(2);
    clock.advance(1.5);
    lc.reset();
    clock.advance(1.5);
    assert.deepEqual(times, [0]);
    clock.advance(0.5);
    assert.deepEqual(times, [0, 3.5]);
  });

  it('calls again at once, one call per advance, with an interval of 0', () => {
    let n = 0;
    const { lc, clock } = looping(() => {
      n++;
      if (n === 3) lc.stop();
    });
    lc.start(0);
    clock.advance(0);
    clock.advance(0);
    assert.equal(n, 3);
  });

  it('refuses to start twice, a negative interval, and stop or reset when not running', () => {
    const { lc } = looping(() => {});
    assert.throws(() => lc.start(-1), RangeError);
    assert.throws(() => lc.stop());
    assert.throws(() => lc.reset());
    lc.start(1);
    assert.throws(() => lc.start(1));
  });
});
