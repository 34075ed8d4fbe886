import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Clock } from '../../testing/clock.js';
import { assertNoResult, failureResultOf, successResultOf } from '../../testing/results.js';
import { Deferred } from '../defer.js';
import {
  COOPERATOR_EPSILON,
  Cooperator,
  NotPaused,
  SchedulerStopped,
  TaskDone,
  TaskStopped,
  timeSlice,
} from './cooperator.js';

/** A cooperator on a Clock whose time slices are `steps` steps long. */
function make(steps = 3): { coop: Cooperator; clock: Clock } {
  const clock = new Clock();
  const coop = new Cooperator({
    clock,
    terminationPredicateFactory: () => {
      let n = 0;
      return () => ++n >= steps;
    },
  });
  return { coop, clock };
}

function* count(log: string[], name: string, n: number): Generator<unknown> {
  for (let i = 0; i < n; i++) {
    log.push(`${name}${i}`);
    yield;
  }
}

describe('Cooperator', () => {
  it('runs a job in slices, yielding to the clock between them', () => {
    const { coop, clock } = make(3);
    const log: string[] = [];
    const d = coop.coiterate(count(log, 'a', 7));
    assert.deepEqual(log, []);
    clock.advance(COOPERATOR_EPSILON);
    assert.equal(log.length, 3);
    clock.advance(COOPERATOR_EPSILON);
    assert.equal(log.length, 6);
    clock.advance(COOPERATOR_EPSILON);
    clock.advance(COOPERATOR_EPSILON);
    assert.equal(log.length, 7);
    assert.ok(successResultOf(d));
    assert.equal(clock.getDelayedCalls().length, 0);
  });

  it('interleaves tasks round-robin', () => {
    const { coop, clock } = make(4);
    const log: string[] = [];
    coop.cooperate(count(log, 'a', 2));
    coop.cooperate(count(log, 'b', 2));
    clock.advance(COOPERATOR_EPSILON);
    assert.deepEqual(log, ['a0', 'b0', 'a1', 'b1']);
  });

  it('pauses a task that yields a Deferred until it fires', () => {
    const { coop, clock } = make(10);
    const gate = new Deferred<void>();
    const log: string[] = [];
    coop.coiterate(
      (function* () {
        log.push('before');
        yield gate;
        log.push('after');
      })(),
    );
    clock.advance(COOPERATOR_EPSILON);
    clock.advance(COOPERATOR_EPSILON);
    assert.deepEqual(log, ['before']);
    gate.callback();
    clock.advance(COOPERATOR_EPSILON);
    assert.deepEqual(log, ['before', 'after']);
  });

  it('fails the task with the error of a yielded Deferred', () => {
    const { coop, clock } = make(10);
    const gate = new Deferred<void>();
    const d = coop.coiterate(
      (function* () {
        yield gate;
      })(),
    );
    clock.advance(COOPERATOR_EPSILON);
    gate.errback(new RangeError('inner'));
    assert.ok(failureResultOf(d, RangeError));
  });

  it('errbacks whenDone with what the iterator throws', () => {
    const { coop, clock } = make();
    const d = coop.coiterate(
      (function* () {
        yield;
        throw new TypeError('bad step');
      })(),
    );
    clock.advance(COOPERATOR_EPSILON);
    assert.ok(failureResultOf(d, TypeError));
  });

  it('runs async iterators, waiting for each step', async () => {
    const { coop, clock } = make(10);
    const seen: number[] = [];
    async function* gen() {
      for (let i = 0; i < 3; i++) {
        seen.push(i);
        yield i;
      }
    }
    const d = coop.coiterate(gen());
    for (let i = 0; i < 10 && !d.called; i++) {
      clock.advance(COOPERATOR_EPSILON);
      await new Promise<void>((r) => queueMicrotask(r));
      await Promise.resolve();
    }
    assert.deepEqual(seen, [0, 1, 2]);
    assert.ok(successResultOf(d));
  });

  it('pause and resume stop and restart a task; resume without pause throws', () => {
    const { coop, clock } = make(10);
    const log: string[] = [];
    const task = coop.cooperate(count(log, 'a', 3));
    task.pause();
    clock.advance(COOPERATOR_EPSILON);
    assert.deepEqual(log, []);
    task.resume();
    clock.advance(COOPERATOR_EPSILON);
    assert.deepEqual(log, ['a0', 'a1', 'a2']);
    assert.throws(() => task.resume(), NotPaused);
  });

  it('stop errbacks whenDone with TaskStopped, runs the iterator cleanup, and a second stop throws', () => {
    const { coop, clock } = make();
    let cleaned = false;
    const task = coop.cooperate(
      (function* () {
        try {
          for (;;) yield;
        } finally {
          cleaned = true;
        }
      })(),
    );
    clock.advance(COOPERATOR_EPSILON);
    const d = task.whenDone();
    task.stop();
    assert.ok(failureResultOf(d, TaskStopped));
    assert.equal(cleaned, true);
    assert.throws(() => task.stop(), TaskStopped);
  });

  it('stop on a finished task throws TaskDone', () => {
    const { coop, clock } = make();
    const task = coop.cooperate([1]);
    clock.advance(COOPERATOR_EPSILON);
    clock.advance(COOPERATOR_EPSILON);
    assert.throws(() => task.stop(), TaskDone);
  });

  it('stopping the cooperator ends every task with SchedulerStopped, and later tasks too', () => {
    const { coop, clock } = make();
    const d = coop.coiterate(count([], 'a', 100));
    clock.advance(COOPERATOR_EPSILON);
    coop.stop();
    assert.ok(failureResultOf(d, SchedulerStopped));
    assert.ok(failureResultOf(coop.coiterate([1]), SchedulerStopped));
    assert.equal(clock.getDelayedCalls().length, 0);
  });

  it('never runs a step past the end of its slice, whatever the job length', () => {
    const { coop, clock } = make(5);
    const log: string[] = [];
    coop.coiterate(count(log, 'x', 1000));
    clock.advance(COOPERATOR_EPSILON);
    assert.equal(log.length, 5);
    assertNoResult(coop.coiterate([]));
  });

  it('with timeSlice, yields once a tick has used its milliseconds, however long each step takes', () => {
    // A fake monotonic time: each step "takes" 3 ms; the slice is 10 ms.
    let ms = 0;
    const clock = new Clock();
    const coop = new Cooperator({ clock, terminationPredicateFactory: timeSlice(10, () => ms) });
    const log: string[] = [];
    coop.coiterate(
      (function* () {
        for (let i = 0; i < 10; i++) {
          ms += 3;
          log.push(`step${i}`);
          yield;
        }
      })(),
    );
    const perTick: number[] = [];
    for (let before = 0; log.length < 10; before = log.length) {
      clock.advance(COOPERATOR_EPSILON);
      perTick.push(log.length - before);
    }
    // 3 + 3 + 3 = 9 ms < 10: a fourth step runs and ends the slice at 12 ms.
    assert.deepEqual(perTick, [4, 4, 2]);
  });

  it('timeSlice ends a slice at its deadline, measured from when the tick began', () => {
    let ms = 100;
    const predicateFor = timeSlice(5, () => ms);
    const done = predicateFor();
    ms = 104.9;
    assert.equal(done(), false);
    ms = 105;
    assert.equal(done(), true);
    assert.equal(predicateFor()(), false, 'a new tick gets a fresh slice');
  });

  it('uses an injected scheduler', () => {
    const ticks: (() => void)[] = [];
    const coop = new Cooperator({
      scheduler: (tick) => {
        ticks.push(tick);
        return { cancel: () => {} };
      },
      terminationPredicateFactory: () => () => true,
    });
    const log: string[] = [];
    coop.coiterate(count(log, 'a', 2));
    assert.equal(ticks.length, 1);
    ticks.shift()?.();
    assert.deepEqual(log, ['a0']);
  });

  it('does not tick before start() when made with started: false', () => {
    const clock = new Clock();
    const coop = new Cooperator({ clock, started: false });
    const log: string[] = [];
    coop.cooperate(count(log, 'a', 1));
    clock.advance(COOPERATOR_EPSILON);
    assert.deepEqual(log, []);
    coop.start();
    clock.advance(COOPERATOR_EPSILON);
    assert.deepEqual(log, ['a0']);
  });
});

describe('Cooperator error reporting', () => {
  it('reports the failure of a task nobody waits on instead of losing it', async () => {
    const { setErrorReporter } = await import('../error-reporter.js');
    const reported: unknown[] = [];
    const previous = setErrorReporter((err) => reported.push(err));
    try {
      const clock = new Clock();
      const coop = new Cooperator({ clock });
      coop.cooperate(
        (function* () {
          yield;
          throw new RangeError('unwatched');
        })(),
      );
      clock.advance(COOPERATOR_EPSILON);
      assert.equal(reported.length, 1);
      assert.ok(reported[0] instanceof RangeError);
    } finally {
      setErrorReporter(previous);
    }
  });
});
