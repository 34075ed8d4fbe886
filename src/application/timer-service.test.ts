import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deferred } from '../internet/defer.js';
import { capturedLogs } from '../logger/capture.js';
import { Clock } from '../testing/clock.js';
import { TimerService } from './timer-service.js';

describe('TimerService', () => {
  it('calls at start and then every step seconds with its arguments', () => {
    const calls: string[] = [];
    const svc = new TimerService(2, (x: string) => calls.push(x), 'tick');
    const clock = new Clock();
    svc.clock = clock;
    svc.startService();
    assert.equal(calls.length, 1);
    clock.advance(1.9);
    assert.equal(calls.length, 1);
    clock.pump([0.1, 2, 2]);
    assert.deepEqual(calls, ['tick', 'tick', 'tick', 'tick']);
  });

  it('stops calling once stopped and leaves no timer behind', async () => {
    let n = 0;
    const clock = new Clock();
    const svc = new TimerService(1, () => n++);
    svc.clock = clock;
    svc.startService();
    await svc.stopService();
    clock.advance(10);
    assert.equal(n, 1);
    assert.equal(clock.getDelayedCalls().length, 0);
  });

  it('waits for a returned Deferred before scheduling the next call, and stop waits for it', async () => {
    const clock = new Clock();
    const pending: Deferred<void>[] = [];
    const svc = new TimerService(1, () => {
      const d = new Deferred<void>();
      pending.push(d);
      return d;
    });
    svc.clock = clock;
    svc.startService();
    clock.advance(5);
    assert.equal(pending.length, 1);
    let stopped = false;
    const stopping = svc.stopService().addCallback(() => {
      stopped = true;
    });
    await Promise.resolve();
    assert.equal(stopped, false);
    pending[0]?.callback(undefined);
    await stopping;
    assert.equal(stopped, true);
  });

  it('logs a failing call and stops the timer', () => {
    const clock = new Clock();
    let n = 0;
    const svc = new TimerService(1, () => {
      n++;
      throw new Error('tick failed');
    });
    svc.clock = clock;
    const logs = capturedLogs();
    try {
      svc.startService();
      clock.advance(3);
    } finally {
      logs.restore();
    }
    assert.equal(n, 1);
    assert.equal(logs.events[0]?.logFailure?.message, 'tick failed');
  });

  it('refuses a step that is not positive', () => {
    assert.throws(() => new TimerService(0, () => {}), RangeError);
  });
});
