import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Clock } from '../testing/clock.js';
import { AlreadyCalledError, CancelledError, Deferred, succeed } from './defer.js';
import { outcome } from './defer.test-helpers.js';
import { TimeoutError } from './error.js';

describe('Deferred.cancel without a canceller', () => {
  it('errbacks with CancelledError', () => {
    const d = new Deferred();
    d.cancel();
    assert.ok(outcome(d).error instanceof CancelledError, 'expected a CancelledError');
  });

  it('swallows one late callback, then raises AlreadyCalledError', () => {
    const d = new Deferred<string>();
    d.cancel();
    d.callback('late');
    assert.throws(() => d.callback('later'), AlreadyCalledError);
    assert.ok(outcome(d).error instanceof CancelledError, 'expected a CancelledError');
  });

  it('swallows one late errback, then raises AlreadyCalledError', () => {
    const d = new Deferred<string>();
    d.cancel();
    d.errback(new Error('late'));
    assert.throws(() => d.errback(new Error('later')), AlreadyCalledError);
    assert.ok(outcome(d).error instanceof CancelledError, 'expected a CancelledError');
  });

  it('ignores further cancels, before and after the late callback', () => {
    const d = new Deferred<string>();
    d.cancel();
    d.cancel();
    d.callback('late');
    d.cancel();
    assert.ok(outcome(d).error instanceof CancelledError, 'expected a CancelledError');
  });
});

describe('Deferred.cancel with a canceller', () => {
  it('calls the canceller once with the Deferred, then errbacks with CancelledError', () => {
    const calls: Deferred<string>[] = [];
    const d = new Deferred<string>((x) => calls.push(x));
    d.cancel();
    d.cancel();
    assert.deepEqual(calls, [d]);
    assert.ok(outcome(d).error instanceof CancelledError, 'expected a CancelledError');
  });

  it('does not swallow a late callback when a canceller stopped the work', () => {
    const d = new Deferred<string>(() => {});
    d.cancel();
    assert.throws(() => d.callback('late'), AlreadyCalledError);
    assert.throws(() => d.errback(new Error('late')), AlreadyCalledError);
    outcome(d);
  });

  it('keeps the result when the canceller fires the Deferred with callback', () => {
    const d = new Deferred<string>((x) => x.callback('cancelled gracefully'));
    const seen = outcome(d);
    d.cancel();
    assert.deepEqual(seen, { fired: true, value: 'cancelled gracefully' });
  });

  it('keeps the error when the canceller fires the Deferred with errback', () => {
    const err = new RangeError('from canceller');
    const d = new Deferred<string>((x) => x.errback(err));
    d.cancel();
    assert.equal(outcome(d).error, err);
  });

  it('errbacks with the error a canceller throws', () => {
    const err = new Error('canceller broke');
    const d = new Deferred<string>(() => {
      throw err;
    });
    d.cancel();
    assert.equal(outcome(d).error, err);
  });

  it('ignores an error a canceller throws after firing the Deferred itself', () => {
    const d = new Deferred<string>((x) => {
      x.callback('fired');
      throw new Error('ignored');
    });
    d.cancel();
    assert.equal(outcome(d).value, 'fired');
  });

  it('does nothing when the Deferred already fired', () => {
    let calls = 0;
    const d = new Deferred<string>(() => calls++);
    d.callback('done');
    d.cancel();
    assert.equal(calls, 0);
    assert.equal(outcome(d).value, 'done');
    const e = new Deferred<string>(() => calls++);
    const err = new Error('failed first');
    e.errback(err);
    e.cancel();
    assert.equal(calls, 0);
    assert.equal(outcome(e).error, err);
  });

  it('cancels the inner Deferred a callback returned, not its own canceller', () => {
    let outerCalls = 0;
    let innerCalls = 0;
    const inner = new Deferred<string>(() => innerCalls++);
    const outer = new Deferred<string>(() => outerCalls++);
    outer.callback('x');
    outer.addCallback(() => inner);
    outer.cancel();
    assert.equal(innerCalls, 1);
    assert.equal(outerCalls, 0);
    assert.ok(outcome(outer).error instanceof CancelledError, 'expected a CancelledError');
  });

  it('forwards cancel through several levels of waiting to the innermost Deferred', () => {
    const cancelled: string[] = [];
    const inner = new Deferred<string>(() => cancelled.push('inner'));
    const middle = succeed(0).addCallback(() => inner);
    const outer = new Deferred<string>(() => cancelled.push('outer'));
    outer.addCallback(() => middle);
    outer.callback('go');
    outer.cancel();
    assert.deepEqual(cancelled, ['inner']);
    assert.ok(outcome(outer).error instanceof CancelledError, 'expected a CancelledError');
  });

  it('wraps a non-Error thrown by a canceller', () => {
    const d = new Deferred<string>(() => {
      throw 'canceller string';
    });
    d.cancel();
    const { error } = outcome(d);
    assert.equal(error?.cause, 'canceller string');
  });

  it('cancels a paused unfired Deferred, running the errback at unpause', () => {
    let calls = 0;
    const d = new Deferred<string>(() => calls++);
    d.pause();
    const seen = outcome(d);
    d.cancel();
    assert.equal(calls, 1);
    assert.equal(d.called, true);
    assert.equal(seen.fired, false);
    d.unpause();
    assert.ok(seen.error instanceof CancelledError, 'expected a CancelledError');
  });

  it('cancels what a paused chain waits on', () => {
    const inner = new Deferred<string>();
    const outer = succeed('x').addCallback(() => inner);
    outer.pause();
    const seen = outcome(outer);
    outer.cancel();
    assert.equal(seen.fired, false);
    assert.deepEqual(outcome(inner), { fired: true, value: undefined }, 'the inner result went to outer');
    outer.unpause();
    assert.ok(seen.error instanceof CancelledError, 'expected a CancelledError');
  });
});

describe('Deferred.addTimeout', () => {
  it('errbacks with TimeoutError when the time passes first', () => {
    const clock = new Clock();
    const d = new Deferred<string>().addTimeout(10, clock);
    const seen = outcome(d);
    clock.advance(9.9);
    assert.equal(seen.fired, false);
    clock.advance(0.1);
    assert.ok(seen.error instanceof TimeoutError, 'expected a TimeoutError');
    assert.ok(seen.error.cause instanceof CancelledError, 'expected a CancelledError');
  });

  it('cancels the timeout when the Deferred fires first', () => {
    const clock = new Clock();
    const d = new Deferred<string>().addTimeout(10, clock);
    assert.equal(clock.getDelayedCalls().length, 1);
    d.callback('quick');
    assert.equal(clock.getDelayedCalls().length, 0);
    assert.equal(outcome(d).value, 'quick');
  });

  it('cancels the timeout when the Deferred fails first, keeping the error', () => {
    const clock = new Clock();
    const d = new Deferred<string>().addTimeout(10, clock);
    const err = new Error('early failure');
    d.errback(err);
    assert.equal(clock.getDelayedCalls().length, 0);
    assert.equal(outcome(d).error, err);
  });

  it('keeps the CancelledError when cancelled before the timeout', () => {
    const clock = new Clock();
    const d = new Deferred<string>().addTimeout(10, clock);
    d.cancel();
    assert.equal(clock.getDelayedCalls().length, 0);
    assert.ok(outcome(d).error instanceof CancelledError, 'expected a CancelledError');
  });

  it('keeps the value a canceller fires with on timeout', () => {
    const clock = new Clock();
    const d = new Deferred<string>((x) => x.callback('I was cancelled')).addTimeout(10, clock);
    clock.advance(10);
    assert.equal(outcome(d).value, 'I was cancelled');
  });

  it('keeps an error other than CancelledError that the canceller fires with on timeout', () => {
    const clock = new Clock();
    const err = new RangeError('canceller error');
    const d = new Deferred<string>((x) => x.errback(err)).addTimeout(10, clock);
    clock.advance(10);
    assert.equal(outcome(d).error, err);
  });

  it('lets onTimeoutCancel decide the outcome of a timeout', () => {
    const clock = new Clock();
    const d = new Deferred<string>().addTimeout(5, clock, (r, seconds) => {
      assert.ok(r instanceof CancelledError, 'expected a CancelledError');
      return `gave up after ${seconds}s`;
    });
    clock.advance(5);
    assert.equal(outcome(d).value, 'gave up after 5s');
  });

  it('does not call onTimeoutCancel when the Deferred fires or is cancelled first', () => {
    const clock = new Clock();
    let calls = 0;
    const d = new Deferred<string>().addTimeout(5, clock, () => calls++);
    d.callback('first');
    const e = new Deferred<string>().addTimeout(5, clock, () => calls++);
    e.cancel();
    clock.advance(10);
    assert.equal(calls, 0);
    assert.equal(outcome(d).value, 'first');
    assert.ok(outcome(e).error instanceof CancelledError, 'expected a CancelledError');
  });

  it('turns the CancelledError an earlier errback passes on into TimeoutError', () => {
    const clock = new Clock();
    const d = new Deferred<string>();
    const seen: unknown[] = [];
    d.addErrback((e) => {
      seen.push(e);
      throw e;
    });
    d.addTimeout(10, clock);
    clock.advance(10);
    assert.ok(seen[0] instanceof CancelledError, 'expected a CancelledError');
    assert.ok(outcome(d).error instanceof TimeoutError, 'expected a TimeoutError');
  });

  it('keeps the value when an earlier errback suppresses the cancellation', () => {
    const clock = new Clock();
    const d = new Deferred<string>();
    d.addErrback(() => 'suppressed');
    d.addTimeout(10, clock);
    clock.advance(10);
    assert.equal(outcome(d).value, 'suppressed');
  });

  it('times out a Deferred waiting on an inner one by cancelling the inner one', () => {
    const clock = new Clock();
    let innerCancelled = 0;
    const inner = new Deferred<string>(() => innerCancelled++);
    const d = succeed('x').addCallback(() => inner);
    d.addTimeout(3, clock);
    clock.advance(3);
    assert.equal(innerCancelled, 1);
    assert.ok(outcome(d).error instanceof TimeoutError, 'expected a TimeoutError');
  });
});

describe('Deferred and AbortSignal', () => {
  it('is cancelled when the signal given to withSignal aborts', () => {
    const controller = new AbortController();
    let calls = 0;
    const d = new Deferred<string>(() => calls++).withSignal(controller.signal);
    controller.abort();
    assert.equal(calls, 1);
    assert.ok(outcome(d).error instanceof CancelledError, 'expected a CancelledError');
  });

  it('is cancelled at once by an already-aborted signal, also via the constructor option', () => {
    const d = new Deferred<string>(null, { signal: AbortSignal.abort() });
    assert.ok(outcome(d).error instanceof CancelledError, 'expected a CancelledError');
  });

  it('stops listening to the signal once it fired', () => {
    const controller = new AbortController();
    const d = new Deferred<string>(null, { signal: controller.signal });
    d.callback('done');
    controller.abort();
    assert.equal(outcome(d).value, 'done');
  });

  it('errbacks the fromSignal Deferred with CancelledError caused by the abort reason', () => {
    const controller = new AbortController();
    const d = Deferred.fromSignal(controller.signal);
    const seen = outcome(d);
    assert.equal(seen.fired, false);
    const reason = new Error('stop');
    controller.abort(reason);
    assert.ok(seen.error instanceof CancelledError, 'expected a CancelledError');
    assert.equal(seen.error.cause, reason);
    assert.ok(
      outcome(Deferred.fromSignal(AbortSignal.abort())).error instanceof CancelledError,
      'expected a CancelledError',
    );
  });

  it('removes the fromSignal listener when cancelled', () => {
    const controller = new AbortController();
    const d = Deferred.fromSignal(controller.signal);
    d.cancel();
    const seen = outcome(d);
    controller.abort();
    assert.ok(seen.error instanceof CancelledError, 'expected a CancelledError');
    assert.equal(seen.error.cause, undefined);
  });

  it('aborts the signal from toSignal when the Deferred is cancelled, before the canceller runs', () => {
    let abortedInCanceller: boolean | undefined;
    const d: Deferred<string> = new Deferred<string>(() => {
      abortedInCanceller = signal.aborted;
    });
    const signal = d.toSignal();
    assert.equal(signal.aborted, false);
    d.cancel();
    assert.equal(abortedInCanceller, true);
    assert.ok(signal.reason instanceof CancelledError, 'expected a CancelledError');
    outcome(d);
  });

  it('does not abort the signal from toSignal when the Deferred fires normally', () => {
    const d = new Deferred<string>();
    const signal = d.toSignal();
    d.callback('ok');
    d.cancel();
    assert.equal(signal.aborted, false);
  });
});
