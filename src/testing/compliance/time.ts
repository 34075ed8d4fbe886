/**
 * The `IReactorTime` compliance suite: what every clock (`Clock`, `MemoryReactorClock`,
 * `NodeReactor`) must do with `callLater` and its `IDelayedCall`s. Delays are a few milliseconds,
 * so the same tests run against real timers; `advance` is how the setup lets time pass (a
 * `Clock` advances, a real reactor waits for a call of its own).
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

/** How the time suite gets a reactor and lets time pass on it. */
export interface ReactorTimeSetup<R extends IReactorTime> {
  /** Names the `describe` block. */
  readonly name: string;
  /** A fresh reactor for one test. */
  makeReactor(): R;
  /** Lets `seconds` pass; calls due by then must have run when it resolves. */
  advance(reactor: R, seconds: number): void | Promise<void>;
  /** Releases the reactor after a test (optional). */
  cleanup?(reactor: R): void | Promise<void>;
}

/** Milliseconds, as seconds: the suite's delays stay ≥ 1 ms apart so real timers order them too. */
const ms = (n: number): number => n / 1000;

/**
 * Defines the time compliance tests for `setup`.
 *
 * @example
 * ```ts
 * defineReactorTimeTests({ name: 'NodeReactor', makeReactor: () => new NodeReactor(), advance: wait });
 * ```
 */
export function defineReactorTimeTests<R extends IReactorTime>(setup: ReactorTimeSetup<R>): void {
  describe(`IReactorTime compliance: ${setup.name}`, () => {
    const withReactor = (body: (r: R) => Promise<void> | void) => async () => {
      const reactor = setup.makeReactor();
      try {
        await body(reactor);
      } finally {
        await setup.cleanup?.(reactor);
      }
    };

    it(
      'runs delayed calls in time order',
      withReactor(async (r) => {
        const order: string[] = [];
        r.callLater(ms(6), () => order.push('c'));
        r.callLater(ms(2), () => order.push('a'));
        r.callLater(ms(4), () => order.push('b'));
        await setup.advance(r, ms(10));
        assert.deepEqual(order, ['a', 'b', 'c']);
      }),
    );

    it(
      'runs calls due at the same time in the order they were scheduled, with their arguments',
      withReactor(async (r) => {
        const order: unknown[] = [];
        for (let i = 0; i < 5; i++)
          r.callLater(ms(2), (n: number, tag: string) => order.push(`${tag}${n}`), i, 'x');
        await setup.advance(r, ms(5));
        assert.deepEqual(order, ['x0', 'x1', 'x2', 'x3', 'x4']);
      }),
    );

    it(
      'does not run a call before its time',
      withReactor(async (r) => {
        let ran = false;
        const call = r.callLater(ms(40), () => {
          ran = true;
        });
        await setup.advance(r, ms(5));
        assert.equal(ran, false);
        assert.equal(call.active(), true);
        call.cancel();
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
        await setup.advance(r, ms(5));
        assert.equal(ran, false);
      }),
    );

    it(
      'marks a call that ran inactive and refuses to cancel, reset or delay it',
      withReactor(async (r) => {
        const call = r.callLater(ms(1), () => {});
        await setup.advance(r, ms(5));
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
        const late = r.callLater(ms(2), () => order.push('reset'));
        r.callLater(ms(6), () => order.push('fixed'));
        late.reset(ms(20));
        assert.ok(late.getTime() >= r.seconds() + ms(19));
        await setup.advance(r, ms(10));
        assert.deepEqual(order, ['fixed']);
        await setup.advance(r, ms(20));
        assert.deepEqual(order, ['fixed', 'reset']);
      }),
    );

    it(
      'runs a call earlier when reset to a shorter delay',
      withReactor(async (r) => {
        const order: string[] = [];
        const early = r.callLater(10, () => order.push('reset'));
        r.callLater(ms(12), () => order.push('fixed'));
        early.reset(ms(2));
        await setup.advance(r, ms(20));
        assert.deepEqual(order, ['reset', 'fixed']);
      }),
    );

    it(
      'pushes a call later by exactly the amount given to delay',
      withReactor(async (r) => {
        let ran = false;
        const call = r.callLater(ms(2), () => {
          ran = true;
        });
        const planned = call.getTime();
        call.delay(ms(20));
        assert.ok(Math.abs(call.getTime() - (planned + ms(20))) < 1e-9);
        await setup.advance(r, ms(8));
        assert.equal(ran, false);
        await setup.advance(r, ms(20));
        assert.equal(ran, true);
      }),
    );

    it(
      'lists pending calls in getDelayedCalls, and neither cancelled nor finished ones',
      withReactor(async (r) => {
        const kept = r.callLater(ms(1), () => {});
        const cancelled = r.callLater(ms(1), () => {});
        const later = r.callLater(1, () => {});
        cancelled.cancel();
        const pending = r.getDelayedCalls();
        assert.ok(pending.includes(kept) && pending.includes(later));
        assert.ok(!pending.includes(cancelled));
        await setup.advance(r, ms(5));
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
        r.callLater(ms(1), () => {
          order.push('outer');
          r.callLater(0, () => order.push('inner'));
        });
        await setup.advance(r, ms(5));
        await setup.advance(r, ms(2));
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
