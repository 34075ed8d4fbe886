/**
 * The `IReactorCore` compliance suite: running, stopping and system event triggers, as every
 * reactor (`MemoryReactor`, `NodeReactor`) must do them. The tests wait on Deferreds, never on
 * time, and do not assume that `run()`/`stop()` fire their triggers synchronously.
 *
 * @example
 * ```ts
 * import { defineReactorCoreTests } from 'twisted-ts/testing';
 * defineReactorCoreTests({ name: 'MemoryReactor', makeReactor: () => new MemoryReactor() });
 * ```
 * @module
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deferred } from '../../internet/defer.js';
import { ReactorNotRestartable, ReactorNotRunning } from '../../internet/error.js';
import type { IReactorCore } from '../../internet/interfaces.js';

/**
 * How the core suite gets a reactor.
 *
 * @example
 * ```ts
 * const setup: ReactorCoreSetup<NodeReactor> = {
 *   name: 'NodeReactor',
 *   makeReactor: () => new NodeReactor({ installSignalHandlers: false }),
 * };
 * defineReactorCoreTests(setup);
 * ```
 */
export interface ReactorCoreSetup<R extends IReactorCore> {
  /** Names the `describe` block. */
  readonly name: string;
  /** A fresh, never-run reactor for one test. */
  makeReactor(): R;
  /** Releases the reactor after a test (optional; the tests stop what they run). */
  cleanup?(reactor: R): void | Promise<void>;
}

/** Lets the event loop turn a few times: enough for work that is wrongly not waiting to happen. */
async function turns(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Starts `r` and resolves once its startup is complete, with the Promise `run()` returned (boxed:
 * an async function returning it directly would wait for it).
 */
async function start(r: IReactorCore): Promise<{ done: Promise<void> }> {
  const started = new Deferred<void>();
  r.callWhenRunning(() => started.callback(undefined));
  const done = r.run();
  await started;
  return { done };
}

/**
 * Defines the core compliance tests for `setup`.
 *
 * @example
 * ```ts
 * defineReactorCoreTests({ name: 'NodeReactor', makeReactor: () => new NodeReactor({ installSignalHandlers: false }) });
 * ```
 */
export function defineReactorCoreTests<R extends IReactorCore>(setup: ReactorCoreSetup<R>): void {
  describe(`IReactorCore compliance: ${setup.name}`, () => {
    const withReactor = (body: (r: R) => Promise<void> | void) => async () => {
      const reactor = setup.makeReactor();
      try {
        await body(reactor);
      } finally {
        await setup.cleanup?.(reactor);
      }
    };

    it(
      'throws ReactorNotRunning from stop() when not running',
      withReactor((r) => {
        assert.equal(r.running, false);
        assert.throws(() => r.stop(), ReactorNotRunning);
      }),
    );

    it(
      'runs startup triggers before, during, after, then callWhenRunning functions in the order added',
      withReactor(async (r) => {
        const order: string[] = [];
        r.addSystemEventTrigger('after', 'startup', () => order.push('after'));
        r.callWhenRunning((tag: string) => order.push(`${tag} running=${r.running}`), 'whenRunning');
        r.addSystemEventTrigger('during', 'startup', () => order.push('during'));
        r.addSystemEventTrigger('before', 'startup', () => order.push('before'));
        const { done } = await start(r);
        assert.deepEqual(order, ['before', 'during', 'after', 'whenRunning running=true']);
        r.stop();
        await done;
      }),
    );

    it(
      'calls a callWhenRunning function at once when already running',
      withReactor(async (r) => {
        const { done } = await start(r);
        let called = false;
        r.callWhenRunning(() => {
          called = true;
        });
        assert.equal(called, true);
        r.stop();
        await done;
      }),
    );

    it(
      'runs shutdown triggers before, during, after on stop(), then settles run()',
      withReactor(async (r) => {
        const order: string[] = [];
        r.addSystemEventTrigger('after', 'shutdown', () => order.push(`after running=${r.running}`));
        r.addSystemEventTrigger('during', 'shutdown', () => order.push('during'));
        r.addSystemEventTrigger('before', 'shutdown', () => order.push(`before running=${r.running}`));
        const { done } = await start(r);
        assert.deepEqual(order, []);
        r.stop();
        await done;
        assert.deepEqual(order, ['before running=true', 'during', 'after running=false']);
        assert.equal(r.running, false);
      }),
    );

    it(
      'holds the during-shutdown phase until a before-shutdown trigger’s Deferred fires',
      withReactor(async (r) => {
        const order: string[] = [];
        const gate = new Deferred<void>();
        const beforeCalled = new Deferred<void>();
        r.addSystemEventTrigger('before', 'shutdown', () => {
          beforeCalled.callback(undefined);
          return gate;
        });
        r.addSystemEventTrigger('during', 'shutdown', () => order.push('during'));
        const { done } = await start(r);
        let settled = false;
        void done.then(() => {
          settled = true;
        });
        r.stop();
        await beforeCalled;
        await turns();
        assert.deepEqual(order, []);
        assert.equal(settled, false);
        gate.callback(undefined);
        await done;
        assert.deepEqual(order, ['during']);
      }),
    );

    it(
      'holds the next phase until a trigger’s Promise resolves',
      withReactor(async (r) => {
        const order: string[] = [];
        let release!: () => void;
        const beforeCalled = new Deferred<void>();
        r.addSystemEventTrigger('before', 'shutdown', () => {
          beforeCalled.callback(undefined);
          return new Promise<void>((resolve) => {
            release = resolve;
          });
        });
        r.addSystemEventTrigger('after', 'shutdown', () => order.push('after'));
        const { done } = await start(r);
        r.stop();
        await beforeCalled;
        await turns();
        assert.deepEqual(order, []);
        release();
        await done;
        assert.deepEqual(order, ['after']);
      }),
    );

    it(
      'does not run a removed trigger',
      withReactor(async (r) => {
        let ran = false;
        const id = r.addSystemEventTrigger('during', 'startup', () => {
          ran = true;
        });
        r.removeSystemEventTrigger(id);
        const { done } = await start(r);
        assert.equal(ran, false);
        r.stop();
        await done;
      }),
    );

    it(
      'throws ReactorNotRunning from a second stop()',
      withReactor(async (r) => {
        const { done } = await start(r);
        r.stop();
        assert.throws(() => r.stop(), ReactorNotRunning);
        await done;
        assert.throws(() => r.stop(), ReactorNotRunning);
      }),
    );

    it(
      'refuses to run again after it stopped with ReactorNotRestartable',
      withReactor(async (r) => {
        const { done } = await start(r);
        r.stop();
        await done;
        await assert.rejects(async () => r.run(), ReactorNotRestartable);
      }),
    );
  });
}
