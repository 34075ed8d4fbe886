import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AlreadyCalledError,
  CancelledError,
  Deferred,
  ensureDeferred,
  fail,
  getDebugging,
  maybeDeferred,
  setDebugging,
  succeed,
  trap,
} from './defer.js';
import { outcome } from './defer.test-helpers.js';
import { ConnectionDone, ConnectionLost, NonErrorThrown, TimeoutError } from './error.js';

describe('Deferred callbacks', () => {
  it('runs callbacks synchronously, in order, each receiving the previous return value', () => {
    const d = new Deferred<number>();
    const seen: unknown[] = [];
    d.addCallback((n) => {
      seen.push(n);
      return n + 1;
    }).addCallback((n) => {
      seen.push(n);
      return `${n}!`;
    });
    assert.deepEqual(seen, []);
    d.callback(1);
    assert.deepEqual(seen, [1, 2]);
    assert.equal(outcome(d).value, '2!');
  });

  it('passes extra arguments after the result', () => {
    const d = new Deferred<number>();
    const seen: unknown[] = [];
    d.addCallback((n: number, a: string, b: number) => seen.push([n, a, b]), 'x', 2);
    d.addErrback((e: Error, tag: string) => seen.push([e.message, tag]), 'eb');
    d.callback(1);
    assert.deepEqual(seen, [[1, 'x', 2]]);
    const f = fail<number>(new Error('no'));
    f.addErrback((e: Error, tag: string) => seen.push([e.message, tag]), 'eb');
    assert.deepEqual(seen[1], ['no', 'eb']);
  });

  it('runs a callback added after firing at once with the current result', () => {
    const d = succeed('now');
    let got: string | undefined;
    d.addCallback((s) => {
      got = s;
    });
    assert.equal(got, 'now');
  });

  it('switches to the errback chain when a callback throws, skipping callbacks', () => {
    const d = new Deferred<number>();
    const boom = new Error('boom');
    const seen: string[] = [];
    d.addCallback(() => {
      throw boom;
    })
      .addCallback(() => seen.push('skipped'))
      .addErrback((e) => {
        seen.push(e === boom ? 'errback got the error' : 'wrong error');
        return 7;
      })
      .addCallback((n) => seen.push(`back on callbacks with ${n}`));
    d.callback(0);
    assert.deepEqual(seen, ['errback got the error', 'back on callbacks with 7']);
  });

  it('keeps the errback chain going when an errback rethrows', () => {
    const d = fail(new ConnectionLost());
    const seen: string[] = [];
    d.addErrback((e) => {
      seen.push('first');
      throw e;
    }).addErrback((e) => {
      seen.push(e.name);
    });
    assert.deepEqual(seen, ['first', 'ConnectionLost']);
  });

  it('wraps a non-Error throw with toError, keeping the thrown value as cause', () => {
    const d = succeed(1).addCallback(() => {
      throw 'a string';
    });
    const { error } = outcome(d);
    assert.ok(error instanceof NonErrorThrown, 'expected a NonErrorThrown');
    assert.equal(error.cause, 'a string');
  });

  it('wraps a non-Error passed to errback', () => {
    const { error } = outcome(fail(42));
    assert.ok(error instanceof NonErrorThrown, 'expected a NonErrorThrown');
    assert.equal(error.cause, 42);
  });

  it('gives errback() without an argument a generic Error', () => {
    const d = new Deferred();
    d.errback();
    assert.ok(outcome(d).error instanceof Error, 'expected a Error');
  });

  it('calls the same function for both outcomes with addBoth', () => {
    const seen: unknown[] = [];
    succeed(1).addBoth((r) => seen.push(r));
    const err = new Error('x');
    fail(err).addBoth((r) => seen.push(r));
    assert.deepEqual(seen, [1, err]);
  });

  it('does not pass a callback error to the errback added with it by addCallbacks', () => {
    const seen: string[] = [];
    succeed(1)
      .addCallbacks(
        () => {
          throw new Error('from callback');
        },
        () => seen.push('same-level errback'),
      )
      .addErrback((e) => seen.push(`next errback: ${e.message}`));
    assert.deepEqual(seen, ['next errback: from callback']);
  });

  it('passes results through when addCallbacks gets null for one side', () => {
    const seen: unknown[] = [];
    succeed(5)
      .addCallbacks(null, () => 0)
      .addCallback((v) => seen.push(v));
    fail(new Error('e'))
      .addCallbacks((v) => v, null)
      .addErrback((e) => seen.push(e.message));
    assert.deepEqual(seen, [5, 'e']);
  });

  it('passes separate argument lists to the callback and errback of addCallbacks', () => {
    const seen: unknown[] = [];
    const record = (r: unknown, ...args: unknown[]) => {
      seen.push([r instanceof Error ? r.message : r, ...args]);
    };
    succeed('ok').addCallbacks(record, record, ['cb', 1], ['eb', 2]);
    fail(new Error('bad')).addCallbacks(record, record, ['cb', 1], ['eb', 2]);
    assert.deepEqual(seen, [
      ['ok', 'cb', 1],
      ['bad', 'eb', 2],
    ]);
  });

  it('treats a returned Error as a value, and only a throw as a failure', () => {
    const err = new Error('returned');
    const { value, error } = outcome(succeed(0).addCallback(() => err));
    assert.equal(value, err);
    assert.equal(error, undefined);
  });

  it('runs callbacks that a callback adds to the same Deferred after the current ones, in order', () => {
    const d = new Deferred<number>();
    const order: string[] = [];
    d.addCallback((n) => {
      order.push('first');
      d.addCallback((m) => {
        order.push(`added during run saw ${m}`);
        return m;
      });
      return n + 1;
    });
    d.addCallback((n) => {
      order.push('second');
      return n;
    });
    d.callback(1);
    assert.deepEqual(order, ['first', 'second', 'added during run saw 2']);
  });
});

describe('Deferred firing', () => {
  it('throws AlreadyCalledError when fired twice', () => {
    const d = new Deferred<number>();
    d.callback(1);
    assert.throws(() => d.callback(2), AlreadyCalledError);
    assert.throws(() => d.errback(new Error('x')), AlreadyCalledError);
    const e = fail(new Error('x'));
    assert.throws(() => e.callback(undefined as never), AlreadyCalledError);
    outcome(e);
  });

  it('refuses a Deferred as the callback result', () => {
    const d = new Deferred<unknown>();
    assert.throws(() => d.callback(new Deferred()), TypeError);
    assert.equal(d.called, false);
  });

  it('reports called once fired', () => {
    const d = new Deferred();
    assert.equal(d.called, false);
    d.callback(undefined);
    assert.equal(d.called, true);
  });

  it('gives AlreadyCalledError a stable code', () => {
    assert.equal(new AlreadyCalledError().code, 'ERR_ALREADY_CALLED_DEFERRED');
    assert.equal(new CancelledError().code, 'ERR_CANCELLED');
  });
});

describe('Deferred pause and unpause', () => {
  it('holds callbacks while paused and runs them on the last unpause', () => {
    const d = new Deferred<number>();
    const seen: number[] = [];
    d.pause();
    d.pause();
    assert.equal(d.paused, 2);
    d.addCallback((n) => seen.push(n));
    d.callback(1);
    assert.deepEqual(seen, []);
    d.unpause();
    assert.deepEqual(seen, []);
    d.unpause();
    assert.equal(d.paused, 0);
    assert.deepEqual(seen, [1]);
  });

  it('does nothing on unpause before the Deferred fired', () => {
    const d = new Deferred<number>();
    const seen: number[] = [];
    d.pause();
    d.addCallback((n) => seen.push(n));
    d.unpause();
    assert.deepEqual(seen, []);
    d.callback(3);
    assert.deepEqual(seen, [3]);
  });

  it('holds an errback added to a paused failed Deferred until unpause', () => {
    const d = fail(new Error('paused failure'));
    d.pause();
    const seen: string[] = [];
    d.addErrback((e) => seen.push(e.message));
    assert.deepEqual(seen, []);
    d.unpause();
    assert.deepEqual(seen, ['paused failure']);
  });
});

describe('chainDeferred', () => {
  it('fires the other Deferred with the result and leaves undefined behind', () => {
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    const seen: unknown[] = [];
    a.chainDeferred(b);
    a.addCallback((r) => seen.push(['a', r]));
    b.addCallback((r) => seen.push(['b', r]));
    a.callback(9);
    assert.deepEqual(seen, [
      ['b', 9],
      ['a', undefined],
    ]);
  });

  it('passes errors to the other Deferred, consuming them in the first', () => {
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    a.chainDeferred(b);
    const err = new Error('chained');
    a.errback(err);
    assert.equal(outcome(b).error, err);
    assert.deepEqual(outcome(a), { fired: true, value: undefined });
  });
});

describe('succeed, fail, maybeDeferred, ensureDeferred', () => {
  it('makes already-fired Deferreds', () => {
    assert.equal(outcome(succeed('v')).value, 'v');
    const err = new Error('f');
    assert.equal(outcome(fail(err)).error, err);
  });

  it('turns a synchronous return into a fired Deferred', () => {
    const d = maybeDeferred((a: number, b: number) => a + b, 2, 3);
    assert.equal(outcome(d).value, 5);
  });

  it('turns a synchronous throw into a failed Deferred', () => {
    const err = new ConnectionDone();
    const d = maybeDeferred(() => {
      throw err;
    });
    assert.equal(outcome(d).error, err);
  });

  it('returns a Deferred that the function returned as is', () => {
    const inner = new Deferred<number>();
    assert.equal(
      maybeDeferred(() => inner),
      inner,
    );
  });

  it('follows a Promise that the function returned', async () => {
    const d = maybeDeferred(async () => 'later');
    assert.equal(d.called, false);
    assert.equal(await d, 'later');
    const e = maybeDeferred(() => Promise.reject(new Error('async fail')));
    await assert.rejects(e.asPromise(), /async fail/);
  });

  it('wraps a Promise with ensureDeferred and passes a Deferred through', async () => {
    const d = new Deferred<number>();
    assert.equal(ensureDeferred(d), d);
    const p = ensureDeferred(Promise.resolve(4));
    assert.ok(p instanceof Deferred, 'expected a Deferred');
    assert.equal(await p, 4);
    assert.throws(() => ensureDeferred(5 as never), TypeError);
  });
});

describe('debugging', () => {
  it('is off by default and toggled by setDebugging', () => {
    assert.equal(getDebugging(), false);
    setDebugging(true);
    try {
      assert.equal(getDebugging(), true);
    } finally {
      setDebugging(false);
    }
    assert.equal(getDebugging(), false);
  });
});

describe('trap', () => {
  it('returns the first matching class', () => {
    assert.equal(trap(new ConnectionLost(), ConnectionDone, ConnectionLost), ConnectionLost);
    assert.equal(trap(new TimeoutError(), Error), Error);
  });

  it('rethrows an error matching none of the classes', () => {
    const err = new ConnectionDone();
    assert.throws(
      () => trap(err, ConnectionLost, TimeoutError),
      (e) => e === err,
    );
  });

  it('lets an errback filter errors down the chain', () => {
    const seen: string[] = [];
    fail(new ConnectionDone())
      .addErrback((e) => {
        trap(e, ConnectionLost);
        seen.push('not reached');
      })
      .addErrback((e) => {
        trap(e, ConnectionDone);
        seen.push('trapped ConnectionDone');
      });
    assert.deepEqual(seen, ['trapped ConnectionDone']);
  });
});
