/**
 * The `IReactorTime` compliance suite: what every clock (`Clock`, `MemoryReactorClock`,
 * `NodeReactor`) must do with `callLater` and its `IDelayedCall`s. Delays are a few milliseconds,
 * so the same tests run against real timers; `advance` is how the setup lets time pass (a
 * `Clock` advances, a real reactor waits for a call of its own).
 *
 * Exact windows ("not yet run after 8 ms, run after 28 ms") are asserted only when the setup says
 * its time is virtual (`virtualTime: true`). Against real timers the suite asserts what stays true
 * on a loaded machine: the order calls run in, `getTime()` arithmetic, and that no call runs
 * before its time; it waits for the calls themselves rather than for a duration.
 *
 * @example
 * ```ts
 * import { defineReactorTimeTests } from 'twisted-ts/testing';
 * defineReactorTimeTests({
 *   name: 'Clock',
 *   makeReactor: () => new Clock(),
 *   advance: (clock, seconds) => clock.advance(seconds),
 * });
 * ```
 * @module
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AlreadyCalled, AlreadyCancelled } from '../../internet/error.js';
import type { IReactorTime } from '../../internet/interfaces.js';

/**
 * How the time suite gets a reactor and lets time pass on it.
 *
 * @example
 * ```ts
 * const setup: ReactorTimeSetup<NodeReactor> = {
 *   name: 'NodeReactor',
 *   makeReactor: () => new NodeReactor({ installSignalHandlers: false }),
 *   advance: (reactor, seconds) => new Promise<void>((resolve) => reactor.callLater(seconds, resolve)),
 *   cleanup: (reactor) => { for (const call of reactor.getDelayedCalls()) call.cancel(); },
 * };
 * defineReactorTimeTests(setup);
 * ```
 */
export interface ReactorTimeSetup<R extends IReactorTime> {
  /** Names the `describe` block. */
  readonly name: string;
  /**
   * True when `advance` moves time exactly and synchronously (a `Clock`): the suite then also
   * asserts exact windows. Leave it unset for real timers, where only ordering is reliable.
   */
  readonly virtualTime?: boolean;
  /** A fresh reactor for one test. */
  makeReactor(): R;
  /** Lets `seconds` pass; calls due by then must have run when it resolves. */
  advance(reactor: R, seconds: number): void | Promise<void>;
  /** Releases the reactor after a test (optional). */
  cleanup?(reactor: R): void | Promise<void>;
}

/** Milliseconds, as seconds: the suite's delays stay ≥ 1 ms apart so real timers order them too. */
const ms = (n: number): number => n / 1000;

/** How early a real reactor may run a call (timer granularity), in seconds. */
const EARLY = 0.001;

/** A Promise and the function that resolves it. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * Defines the time compliance tests for `setup`.
 *
 * @example
 * ```ts
 * defineReactorTimeTests({ name: 'NodeReactor', makeReactor: () => new NodeReactor(), advance: wait });
 * ```
 */
export function defineReactorTimeTests<R extends IReactorTime>(setup: ReactorTimeSetup<R>): void {
  const virtual = setup.virtualTime === true;
  describe(`IReactorTime compliance: ${setup.name}`, () => {
    const withReactor = (body: (r: R) => Promise<void> | void) => async () => {
      const reactor = setup.makeReactor();
      try {
        await body(reactor);
      } finally {
        await setup.cleanup?.(reactor);
      }
    };

    /**
     * Lets time pass until `done` has happened: a virtual clock advances by `seconds` (by then
     * `done` must have happened); real timers just wait for `done` (no duration to lose a race to).
     */
    const until = async (r: R, seconds: number, done: Promise<void>): Promise<void> => {
      if (virtual) await setup.advance(r, seconds);
      else await done;
    };

    it(
      'runs delayed calls in time order',
      withReactor(async (r) => {
        // On a real reactor each call's time is read from the clock when it is scheduled, so a
        // loaded machine can push `b` past `c`: the contract is the order of `getTime()`.
        const order: string[] = [];
        const last = signal();
        const c = r.callLater(ms(6), () => {
          order.push('c');
          last.resolve();
        });
        const a = r.callLater(ms(2), () => order.push('a'));
        const b = r.callLater(ms(4), () => order.push('b'));
        const byTime = [
          { name: 'c', time: c.getTime() },
          { name: 'a', time: a.getTime() },
          { name: 'b', time: b.getTime() },
        ].sort((x, y) => x.time - y.time);
        await until(r, ms(10), last.promise);
        assert.deepEqual(
          order,
          byTime.map((x) => x.name),
        );
      }),
    );

    it(
      'runs calls due at the same time in the order they were scheduled, with their arguments',
      withReactor(async (r) => {
        const order: unknown[] = [];
        const last = signal();
        for (let i = 0; i < 5; i++)
          r.callLater(
            ms(2),
            (n: number, tag: string) => {
              order.push(`${tag}${n}`);
              if (n === 4) last.resolve();
            },
            i,
            'x',
          );
        await until(r, ms(5), last.promise);
        assert.deepEqual(order, ['x0', 'x1', 'x2', 'x3', 'x4']);
      }),
    );

    it(
      'does not run a call before its time',
      withReactor(async (r) => {
        const order: string[] = [];
        const ran = signal();
        let ranAt = Number.NaN;
        const call = r.callLater(ms(40), () => {
          ranAt = r.seconds();
          order.push('call');
          ran.resolve();
        });
        const due = call.getTime();
        r.callLater(ms(5), () => order.push('earlier'));
        if (virtual) {
          await setup.advance(r, ms(39));
          assert.deepEqual(order, ['earlier']);
          assert.equal(call.active(), true);
          await setup.advance(r, ms(1));
          assert.deepEqual(order, ['earlier', 'call']);
          assert.ok(Math.abs(ranAt - due) < 1e-9);
          return;
        }
        await ran.promise;
        assert.deepEqual(order, ['earlier', 'call']);
        assert.ok(ranAt >= due - EARLY, `ran ${(due - ranAt) * 1000} ms early`);
      }),
    );

    it(
      'reports getTime as seconds() plus the delay',
      withReactor((r) => {
        const before = r.seconds();
        const call = r.callLater(1, () => {});
        const after = r.seconds();
        assert.ok(call.getTime() >= before + 1 && call.getTime() <= after + 1, `getTime ${call.getTime()}`);
        call.cancel();
      }),
    );

    it(
      'never runs a cancelled call, which is inactive and cannot be changed again',
      withReactor(async (r) => {
        let ran = false;
        const call = r.callLater(ms(1), () => {
          ran = true;
        });
        call.cancel();
        assert.equal(call.active(), false);
        assert.throws(() => call.cancel(), AlreadyCancelled);
        assert.throws(() => call.reset(1), AlreadyCancelled);
        assert.throws(() => call.delay(1), AlreadyCancelled);
        // A call due after the cancelled one: once it ran, the cancelled one would have too.
        const later = signal();
        r.callLater(ms(3), later.resolve);
        await until(r, ms(5), later.promise);
        assert.equal(ran, false);
      }),
    );

    it(
      'marks a call that ran inactive and refuses to cancel, reset or delay it',
      withReactor(async (r) => {
        const ran = signal();
        const call = r.callLater(ms(1), ran.resolve);
        await until(r, ms(5), ran.promise);
        assert.equal(call.active(), false);
        assert.throws(() => call.cancel(), AlreadyCalled);
        assert.throws(() => call.reset(1), AlreadyCalled);
        assert.throws(() => call.delay(1), AlreadyCalled);
      }),
    );

    it(
      'moves a call to seconds-from-now with reset',
      withReactor(async (r) => {
        const order: string[] = [];
        const ran = signal();
        const late = r.callLater(ms(2), () => {
          order.push('reset');
          ran.resolve();
        });
        r.callLater(ms(6), () => order.push('fixed'));
        const before = r.seconds();
        late.reset(ms(20));
        const after = r.seconds();
        assert.ok(late.getTime() >= before + ms(20) && late.getTime() <= after + ms(20));
        if (virtual) {
          await setup.advance(r, ms(10));
          assert.deepEqual(order, ['fixed']);
        }
        await until(r, ms(10), ran.promise);
        assert.deepEqual(order, ['fixed', 'reset']);
      }),
    );

    it(
      'runs a call earlier when reset to a shorter delay',
      withReactor(async (r) => {
        const order: string[] = [];
        const last = signal();
        const early = r.callLater(10, () => order.push('reset'));
        r.callLater(ms(12), () => {
          order.push('fixed');
          last.resolve();
        });
        early.reset(ms(2));
        await until(r, ms(20), last.promise);
        assert.deepEqual(order, ['reset', 'fixed']);
      }),
    );

    it(
      'pushes a call later by exactly the amount given to delay',
      withReactor(async (r) => {
        const order: string[] = [];
        const ran = signal();
        let ranAt = Number.NaN;
        const call = r.callLater(ms(2), () => {
          ranAt = r.seconds();
          order.push('delayed');
          ran.resolve();
        });
        const planned = call.getTime();
        call.delay(ms(20));
        assert.ok(Math.abs(call.getTime() - (planned + ms(20))) < 1e-9);
        // Due between the planned time and the delayed one.
        r.callLater(ms(8), () => order.push('between'));
        if (virtual) {
          await setup.advance(r, ms(21));
          assert.deepEqual(order, ['between']);
          await setup.advance(r, ms(1));
          assert.deepEqual(order, ['between', 'delayed']);
          assert.ok(Math.abs(ranAt - call.getTime()) < 1e-9);
          return;
        }
        await ran.promise;
        assert.deepEqual(order, ['between', 'delayed']);
        assert.ok(ranAt >= call.getTime() - EARLY, `ran ${(call.getTime() - ranAt) * 1000} ms early`);
      }),
    );

    it(
      'lists pending calls in getDelayedCalls, and neither cancelled nor finished ones',
      withReactor(async (r) => {
        const ran = signal();
        const kept = r.callLater(ms(1), ran.resolve);
        const cancelled = r.callLater(ms(1), () => {});
        const later = r.callLater(1, () => {});
        cancelled.cancel();
        const pending = r.getDelayedCalls();
        assert.ok(pending.includes(kept) && pending.includes(later));
        assert.ok(!pending.includes(cancelled));
        await until(r, ms(5), ran.promise);
        assert.ok(!r.getDelayedCalls().includes(kept));
        assert.ok(r.getDelayedCalls().includes(later));
        later.cancel();
        assert.ok(!r.getDelayedCalls().includes(later));
      }),
    );

    it(
      'runs a call scheduled from inside another call',
      withReactor(async (r) => {
        const order: string[] = [];
        const inner = signal();
        r.callLater(ms(1), () => {
          order.push('outer');
          r.callLater(0, () => {
            order.push('inner');
            inner.resolve();
          });
        });
        if (virtual) await setup.advance(r, ms(5));
        await until(r, ms(2), inner.promise);
        assert.deepEqual(order, ['outer', 'inner']);
      }),
    );

    it(
      'moves seconds() forward as time passes',
      withReactor(async (r) => {
        const start = r.seconds();
        await setup.advance(r, ms(3));
        assert.ok(r.seconds() > start);
      }),
    );
  });
}
