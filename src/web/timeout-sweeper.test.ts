import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Clock } from '../testing/clock.js';
import { TimeoutSweeper } from './timeout-sweeper.js';

describe('TimeoutSweeper', () => {
  it('asks every registered target once per interval, with the sweep time', () => {
    const clock = new Clock();
    const sweeper = new TimeoutSweeper(() => clock);
    const seen: number[] = [];
    const target = { checkTimeout: (now: number) => seen.push(now) };
    sweeper.add(target);
    clock.advance(1);
    clock.advance(1);
    assert.deepEqual(seen, [1, 2]);
    assert.equal(sweeper.now, 2);
  });

  it('runs its one timer only while targets are registered', () => {
    const clock = new Clock();
    const sweeper = new TimeoutSweeper(() => clock);
    const a = { checkTimeout: () => {} };
    const b = { checkTimeout: () => {} };
    sweeper.add(a);
    sweeper.add(b);
    assert.equal(clock.getDelayedCalls().length, 1);
    sweeper.delete(a);
    assert.equal(clock.getDelayedCalls().length, 1);
    sweeper.delete(b);
    assert.equal(clock.getDelayedCalls().length, 0);
  });

  it('lets a target remove itself while being checked', () => {
    const clock = new Clock();
    const sweeper = new TimeoutSweeper(() => clock);
    let checks = 0;
    const t = {
      checkTimeout: () => {
        checks++;
        sweeper.delete(t);
      },
    };
    sweeper.add(t);
    clock.advance(5);
    assert.equal(checks, 1);
    assert.equal(clock.getDelayedCalls().length, 0);
  });
});
