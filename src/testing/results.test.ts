import assert, { AssertionError } from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deferred, fail, succeed } from '../internet/defer.js';
import { ConnectionDone, ConnectionLost, TimeoutError } from '../internet/error.js';
import { assertNoResult, failureResultOf, successResultOf } from './results.js';

describe('successResultOf', () => {
  it('returns the result of a fired Deferred and leaves it in the chain', () => {
    const d = succeed(42);
    assert.equal(successResultOf(d), 42);
    let later: unknown;
    d.addCallback((v) => {
      later = v;
    });
    assert.equal(later, 42);
  });

  it('throws an AssertionError saying there is no result on a pending Deferred', () => {
    assert.throws(
      () => successResultOf(new Deferred()),
      (e: unknown) => {
        assert.ok(e instanceof AssertionError);
        assert.match(e.message, /Success result expected.*found no result/);
        return true;
      },
    );
  });

  it('throws an AssertionError carrying the error on a failed Deferred, and consumes it', () => {
    const boom = new Error('boom');
    const d = fail(boom);
    assert.throws(
      () => successResultOf(d),
      (e: unknown) => {
        assert.ok(e instanceof AssertionError);
        assert.match(e.message, /found failure result instead:\n.*boom/);
        assert.equal(e.cause, boom);
        return true;
      },
    );
    let after: unknown = 'unset';
    d.addBoth((r) => {
      after = r;
    });
    assert.equal(after, null);
  });

  it('lets an error that arrives after a failed check pass down the chain', () => {
    const d = new Deferred<number>();
    assert.throws(() => successResultOf(d), AssertionError);
    const boom = new Error('later');
    d.errback(boom);
    let seen: unknown;
    d.addErrback((e) => {
      seen = e;
    });
    assert.equal(seen, boom);
  });
});

describe('failureResultOf', () => {
  it('returns the error of a failed Deferred and consumes it', () => {
    const lost = new ConnectionLost();
    const d = fail(lost);
    assert.equal(failureResultOf(d), lost);
    let after: unknown = 'unset';
    d.addBoth((r) => {
      after = r;
    });
    assert.equal(after, null);
  });

  it('accepts an error matching one of the given types and types the result', () => {
    const d = fail(new TimeoutError());
    const err = failureResultOf(d, ConnectionDone, TimeoutError);
    assert.equal(err.code, 'ERR_TIMEOUT');
  });

  it('throws an AssertionError naming the expected and actual types on a mismatch', () => {
    assert.throws(
      () => failureResultOf(fail(new ConnectionLost()), ConnectionDone, TimeoutError),
      (e: unknown) => {
        assert.ok(e instanceof AssertionError);
        assert.match(e.message, /\(ConnectionDone, TimeoutError\) expected.*found type ConnectionLost/);
        return true;
      },
    );
  });

  it('throws an AssertionError on a pending Deferred', () => {
    assert.throws(() => failureResultOf(new Deferred()), /Failure result expected.*found no result/);
  });

  it('throws an AssertionError showing the value on a successful Deferred, leaving it in the chain', () => {
    const d = succeed('fine');
    assert.throws(() => failureResultOf(d), /found success result \("fine"\)/);
    let after: unknown;
    d.addCallback((v) => {
      after = v;
    });
    assert.equal(after, 'fine');
  });
});

describe('assertNoResult', () => {
  it('passes on a pending Deferred and leaves its later result untouched', () => {
    const d = new Deferred<string>();
    assertNoResult(d);
    d.callback('late');
    assert.equal(successResultOf(d), 'late');
  });

  it('passes on a pending Deferred and lets its later error reach the errbacks', () => {
    const d = new Deferred<string>();
    assertNoResult(d);
    d.errback(new ConnectionLost());
    assert.ok(failureResultOf(d, ConnectionLost) instanceof ConnectionLost);
  });

  it('throws an AssertionError on a Deferred that has a result', () => {
    assert.throws(() => assertNoResult(succeed(1)), /No result expected.*found 1 instead/);
  });

  it('throws an AssertionError carrying the error on a failed Deferred, and consumes it', () => {
    const boom = new Error('boom');
    const d = fail(boom);
    assert.throws(
      () => assertNoResult(d),
      (e: unknown) => e instanceof AssertionError && e.cause === boom,
    );
    let after: unknown = 'unset';
    d.addBoth((r) => {
      after = r;
    });
    assert.equal(after, null);
  });
});
