import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CancelledError, Deferred, fail, succeed } from './defer.js';
import { outcome } from './defer.test-helpers.js';
import {
  DeferredList,
  type DeferredListResult,
  FailureGroup,
  FirstError,
  gatherResults,
  race,
} from './deferred-list.js';

describe('DeferredList', () => {
  it('fires with [success, result] per member, in order, once all have fired', () => {
    const d1 = new Deferred<string>();
    const d2 = new Deferred<string>();
    const d3 = new Deferred<string>();
    const seen = outcome(new DeferredList([d1, d2, d3]));
    d1.callback('1');
    const err = new Error('2');
    d2.errback(err);
    assert.equal(seen.fired, false);
    d3.callback('3');
    assert.deepEqual(seen.value, [
      [true, '1'],
      [false, err],
      [true, '3'],
    ]);
    outcome(d2);
  });

  it('fires at once with an empty list, and never with an empty list and fireOnOneCallback', () => {
    assert.deepEqual(outcome(new DeferredList([])).value, []);
    assert.equal(outcome(new DeferredList([], { fireOnOneCallback: true })).fired, false);
  });

  it('takes members that already fired', () => {
    const err = new Error('pre-failed');
    const seen = outcome(new DeferredList([succeed(1), fail<number>(err)], { consumeErrors: true }));
    assert.deepEqual(seen.value, [
      [true, 1],
      [false, err],
    ]);
  });

  it('fires with [result, index] on the first success with fireOnOneCallback', () => {
    const d1 = new Deferred<string>();
    const d2 = new Deferred<string>();
    const seen = outcome(new DeferredList<string, [string, number]>([d1, d2], { fireOnOneCallback: true }));
    d2.callback('second');
    assert.deepEqual(seen.value, ['second', 1]);
    d1.callback('first');
    assert.deepEqual(seen.value, ['second', 1]);
  });

  it('errbacks with FirstError(error, index) on the first failure with fireOnOneErrback', () => {
    const d1 = new Deferred<string>();
    const d2 = new Deferred<string>();
    const dl = new DeferredList([d1, d2], { fireOnOneErrback: true, consumeErrors: true });
    const seen = outcome(dl);
    d1.callback('ok');
    assert.equal(seen.fired, false);
    const err = new RangeError('bad');
    d2.errback(err);
    assert.ok(seen.error instanceof FirstError, 'expected a FirstError');
    assert.equal(seen.error.cause, err);
    assert.equal(seen.error.index, 1);
    assert.equal(seen.error.code, 'ERR_FIRST_ERROR');
    assert.match(seen.error.message, /#1, RangeError: bad/);
  });

  it('errbacks with FirstError for an already-failed member', () => {
    const err = new Error('early');
    const seen = outcome(
      new DeferredList([succeed(0), fail<number>(err)], { fireOnOneErrback: true, consumeErrors: true }),
    );
    assert.ok(seen.error instanceof FirstError, 'expected a FirstError');
    assert.equal(seen.error.index, 1);
  });

  it("leaves a member's error in its chain unless consumeErrors is set", () => {
    const err = new Error('member');
    const kept = new Deferred<number>();
    new DeferredList([kept]);
    kept.errback(err);
    assert.equal(outcome(kept).error, err);
    const consumed = new Deferred<number>();
    new DeferredList([consumed], { consumeErrors: true });
    consumed.errback(err);
    assert.deepEqual(outcome(consumed), { fired: true, value: undefined });
  });

  it("passes a member's value on in its own chain", () => {
    const d = new Deferred<number>();
    new DeferredList([d]);
    d.callback(3);
    assert.equal(outcome(d).value, 3);
  });

  it('exposes the outcomes so far as resultList', () => {
    const d1 = new Deferred<number>();
    const d2 = new Deferred<number>();
    const dl = new DeferredList([d1, d2]);
    d2.callback(2);
    assert.deepEqual(dl.resultList, [undefined, [true, 2]]);
    assert.deepEqual(dl.deferreds, [d1, d2]);
  });

  it('accepts Promises as members', async () => {
    const result: DeferredListResult<number> = await new DeferredList([Promise.resolve(1), succeed(2)]);
    assert.deepEqual(result, [
      [true, 1],
      [true, 2],
    ]);
  });
});

describe('DeferredList cancellation', () => {
  it('cancels every member and fires with their CancelledErrors', () => {
    const d1 = new Deferred<number>();
    const d2 = new Deferred<number>();
    const dl = new DeferredList([d1, d2], { consumeErrors: true });
    dl.cancel();
    const entries = outcome(dl).value!;
    assert.equal(entries.length, 2);
    for (const [ok, e] of entries) {
      assert.equal(ok, false);
      assert.ok(e instanceof CancelledError, 'expected a CancelledError');
    }
  });

  it('with fireOnOneCallback, cancels every member and fires with the one a canceller succeeded', () => {
    const d1 = new Deferred<string>();
    const d2 = new Deferred<string>((d) => d.callback('cancelled into success'));
    const dl = new DeferredList<string, [string, number]>([d1, d2], {
      fireOnOneCallback: true,
      consumeErrors: true,
    });
    dl.cancel();
    assert.deepEqual(outcome(dl).value, ['cancelled into success', 1]);
    assert.deepEqual(outcome(d1), { fired: true, value: undefined });
  });

  it('with fireOnOneErrback, errbacks with FirstError holding the CancelledError', () => {
    const d1 = new Deferred<string>();
    const d2 = new Deferred<string>();
    const dl = new DeferredList([d1, d2], { fireOnOneErrback: true, consumeErrors: true });
    dl.cancel();
    const { error } = outcome(dl);
    assert.ok(error instanceof FirstError, 'expected a FirstError');
    assert.ok(error.cause instanceof CancelledError, 'expected a CancelledError');
    assert.equal(error.index, 0);
  });

  it('with fireOnOneErrback, fires with the results when every canceller succeeds', () => {
    const d1 = new Deferred<string>((d) => d.callback('a'));
    const d2 = new Deferred<string>((d) => d.callback('b'));
    const dl = new DeferredList([d1, d2], { fireOnOneErrback: true });
    dl.cancel();
    assert.deepEqual(outcome(dl).value, [
      [true, 'a'],
      [true, 'b'],
    ]);
  });

  it('cancels every member even when one throws from cancel, then errbacks with that error', () => {
    const err = new Error('cancel exploded');
    const bad = new Deferred<number>();
    bad.cancel = () => {
      throw err;
    };
    const good = new Deferred<number>();
    const dl = new DeferredList([bad, good], { consumeErrors: true });
    dl.cancel();
    assert.deepEqual(outcome(dl).error, err);
    assert.ok(outcome(good).fired);
  });

  it('does nothing once fired by fireOnOneCallback or fireOnOneErrback', () => {
    let cancels = 0;
    const rest = new Deferred<number>(() => cancels++);
    const dl = new DeferredList<number, [number, number]>([succeed(1), rest], { fireOnOneCallback: true });
    dl.cancel();
    const e = new DeferredList([fail<number>(new Error('x')), rest], {
      fireOnOneErrback: true,
      consumeErrors: true,
    });
    e.cancel();
    assert.equal(cancels, 0);
    assert.deepEqual(outcome(dl).value, [1, 0]);
    assert.ok(outcome(e).error instanceof FirstError, 'expected a FirstError');
  });
});

describe('gatherResults', () => {
  it('fires with the values in order', async () => {
    const d1 = new Deferred<number>();
    const g = gatherResults([d1, succeed('two'), Promise.resolve(true)] as const);
    d1.callback(1);
    const [a, b, c] = await g;
    assert.deepEqual([a, b, c], [1, 'two', true]);
  });

  it('errbacks with FirstError on the first failure, leaving errors in members unless consumeErrors', () => {
    const err = new Error('gather');
    const d1 = new Deferred<number>();
    const seen = outcome(gatherResults([d1, new Deferred<number>()]));
    d1.errback(err);
    assert.ok(seen.error instanceof FirstError, 'expected a FirstError');
    assert.equal(seen.error.cause, err);
    assert.equal(outcome(d1).error, err);
    const d2 = fail<number>(err);
    outcome(gatherResults([d2], { consumeErrors: true }));
    assert.deepEqual(outcome(d2), { fired: true, value: undefined });
  });

  it('fires with an empty array for no members', () => {
    assert.deepEqual(outcome(gatherResults([])).value, []);
  });

  it('cancels the members when cancelled', () => {
    const d1 = new Deferred<number>();
    const g = gatherResults([d1], { consumeErrors: true });
    g.cancel();
    assert.deepEqual(outcome(d1), { fired: true, value: undefined });
    assert.ok(outcome(g).error instanceof FirstError, 'expected a FirstError');
  });
});

describe('race', () => {
  it('fires with [index, result] of the first success and cancels the others', () => {
    let cancelled = 0;
    const d1 = new Deferred<string>(() => cancelled++);
    const d2 = new Deferred<string>();
    const d3 = new Deferred<string>(() => cancelled++);
    const seen = outcome(race([d1, d2, d3]));
    d2.callback('winner');
    assert.deepEqual(seen.value, [1, 'winner']);
    assert.equal(cancelled, 2);
  });

  it('ignores failures before a success', () => {
    const d1 = new Deferred<string>();
    const d2 = new Deferred<string>();
    const seen = outcome(race([d1, d2]));
    d1.errback(new Error('first fails'));
    assert.equal(seen.fired, false);
    d2.callback('second wins');
    assert.deepEqual(seen.value, [1, 'second wins']);
  });

  it('errbacks with FailureGroup listing the errors in the order they came when all fail', () => {
    const d1 = new Deferred<string>();
    const d2 = new Deferred<string>();
    const seen = outcome(race([d1, d2]));
    const e1 = new Error('one');
    const e2 = new Error('two');
    d2.errback(e2);
    d1.errback(e1);
    assert.ok(seen.error instanceof FailureGroup, 'expected a FailureGroup');
    assert.deepEqual(seen.error.errors, [e2, e1]);
    assert.equal(seen.error.code, 'ERR_FAILURE_GROUP');
  });

  it('cancels every member when cancelled', () => {
    const d1 = new Deferred<string>();
    const d2 = new Deferred<string>();
    const r = race([d1, d2]);
    r.cancel();
    assert.ok(outcome(r).error instanceof FailureGroup, 'expected a FailureGroup');
    assert.equal(d1.called && d2.called, true);
  });

  it('takes an already-fired member as the winner', () => {
    const other = new Deferred<number>();
    assert.deepEqual(outcome(race([other, succeed(5)])).value, [1, 5]);
    assert.equal(other.called, true);
  });
});
