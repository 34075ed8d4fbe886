import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AlreadyCalled, AlreadyCancelled } from '../internet/error.js';
import { Clock } from './clock.js';

describe('Clock', () => {
  it('starts at 0 and moves only when advanced', () => {
    const clock = new Clock();
    assert.equal(clock.seconds(), 0);
    clock.advance(1.5);
    assert.equal(clock.seconds(), 1.5);
  });

  it('runs a call once its time has come, with its arguments', () => {
    const clock = new Clock();
    const seen: unknown[] = [];
    clock.callLater(2, (a: number, b: string) => seen.push([a, b]), 1, 'x');
    clock.advance(1.999);
    assert.deepEqual(seen, []);
    clock.advance(0.001);
    assert.deepEqual(seen, [[1, 'x']]);
  });

  it('runs due calls in time order, then in scheduling order for equal times', () => {
    const clock = new Clock();
    const order: string[] = [];
    clock.callLater(3, () => order.push('c'));
    clock.callLater(1, () => order.push('a1'));
    clock.callLater(2, () => order.push('b'));
    clock.callLater(1, () => order.push('a2'));
    clock.advance(10);
    assert.deepEqual(order, ['a1', 'a2', 'b', 'c']);
  });

  it('runs calls scheduled during advance for the new time in the same advance, after those already due', () => {
    const clock = new Clock();
    const order: string[] = [];
    clock.callLater(1, () => {
      order.push('first');
      clock.callLater(0, () => order.push('nested-now'));
      clock.callLater(5, () => order.push('nested-later'));
    });
    clock.callLater(2, () => order.push('second'));
    clock.advance(2);
    assert.deepEqual(order, ['first', 'second', 'nested-now']);
    clock.advance(4.999);
    assert.deepEqual(order, ['first', 'second', 'nested-now']);
    clock.advance(0.001);
    assert.deepEqual(order, ['first', 'second', 'nested-now', 'nested-later']);
  });

  it('reports the scheduled time with getTime', () => {
    const clock = new Clock();
    clock.advance(10);
    assert.equal(clock.callLater(2.5, () => {}).getTime(), 12.5);
  });

  it('never runs a cancelled call and forgets it', () => {
    const clock = new Clock();
    let ran = false;
    const call = clock.callLater(1, () => {
      ran = true;
    });
    call.cancel();
    assert.equal(call.active(), false);
    assert.deepEqual(clock.getDelayedCalls(), []);
    clock.advance(2);
    assert.equal(ran, false);
  });

  it('throws AlreadyCancelled when a cancelled call is cancelled, delayed or reset', () => {
    const call = new Clock().callLater(1, () => {});
    call.cancel();
    assert.throws(() => call.cancel(), AlreadyCancelled);
    assert.throws(() => call.delay(1), AlreadyCancelled);
    assert.throws(() => call.reset(1), AlreadyCancelled);
  });

  it('throws AlreadyCalled when a call that ran is cancelled, delayed or reset', () => {
    const clock = new Clock();
    const call = clock.callLater(1, () => {});
    clock.advance(1);
    assert.equal(call.active(), false);
    assert.equal(call.called, true);
    assert.throws(() => call.cancel(), AlreadyCalled);
    assert.throws(() => call.delay(1), AlreadyCalled);
    assert.throws(() => call.reset(1), AlreadyCalled);
  });

  it('pushes a call later with delay, relative to its planned time', () => {
    const clock = new Clock();
    let ran = false;
    const call = clock.callLater(2, () => {
      ran = true;
    });
    clock.advance(1);
    call.delay(3);
    assert.equal(call.getTime(), 5);
    clock.advance(3);
    assert.equal(ran, false);
    clock.advance(1);
    assert.equal(ran, true);
  });

  it('reschedules a call relative to now with reset, earlier or later', () => {
    const clock = new Clock();
    const order: string[] = [];
    const a = clock.callLater(10, () => order.push('a'));
    clock.callLater(3, () => order.push('b'));
    clock.advance(1);
    a.reset(1);
    assert.equal(a.getTime(), 2);
    clock.advance(5);
    assert.deepEqual(order, ['a', 'b']);
  });

  it('puts a reset call after the calls already due at the same time', () => {
    const clock = new Clock();
    const order: string[] = [];
    const a = clock.callLater(1, () => order.push('a'));
    clock.callLater(1, () => order.push('b'));
    a.reset(1);
    clock.advance(1);
    assert.deepEqual(order, ['b', 'a']);
  });

  it('lists pending calls earliest first in getDelayedCalls', () => {
    const clock = new Clock();
    const late = clock.callLater(5, () => {});
    const early = clock.callLater(1, () => {});
    assert.deepEqual(clock.getDelayedCalls(), [early, late]);
    clock.advance(1);
    assert.deepEqual(clock.getDelayedCalls(), [late]);
  });

  it('advances by each timing in turn with pump', () => {
    const clock = new Clock();
    const times: number[] = [];
    const tick = (): void => {
      times.push(clock.seconds());
      clock.callLater(1, tick);
    };
    clock.callLater(1, tick);
    clock.pump([1, 1, 0.5, 0.5]);
    assert.deepEqual(times, [1, 2, 3]);
    assert.equal(clock.seconds(), 3);
  });

  it('propagates an exception from a call and keeps the later calls scheduled', () => {
    const clock = new Clock();
    let later = false;
    clock.callLater(1, () => {
      throw new Error('boom');
    });
    clock.callLater(2, () => {
      later = true;
    });
    assert.throws(() => clock.advance(2), /boom/);
    assert.equal(clock.getDelayedCalls().length, 1);
    clock.advance(0);
    assert.equal(later, true);
  });

  it('treats a negative delay as 0 and refuses NaN', () => {
    const clock = new Clock();
    clock.advance(5);
    assert.equal(clock.callLater(-1, () => {}).getTime(), 5);
    assert.throws(() => clock.callLater(Number.NaN, () => {}), TypeError);
  });

  it('refuses to go back in time', () => {
    assert.throws(() => new Clock().advance(-1), RangeError);
  });
});
