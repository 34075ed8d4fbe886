import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deferred, fail, succeed } from './defer.js';
import { gatherResults } from './deferred-list.js';

describe('Deferred chaining on returned Deferreds', () => {
  it('takes the result of an already-fired Deferred a callback returns, without pausing', () => {
    const result = { token: 1 };
    const d = succeed<unknown>(null);
    d.addCallback(() => succeed(result));
    const seen: unknown[] = [];
    d.addCallback((r) => seen.push(r));
    assert.deepEqual(seen, [result]);
    assert.equal(seen[0], result);
  });

  it('consumes the inner Deferred result, leaving it undefined', () => {
    const inner = succeed('inner value');
    const outer = succeed(0).addCallback(() => inner);
    const seen: unknown[] = [];
    outer.addCallback((r) => seen.push(['outer', r]));
    inner.addCallback((r) => seen.push(['inner', r]));
    assert.deepEqual(seen, [
      ['outer', 'inner value'],
      ['inner', undefined],
    ]);
  });

  it('takes the error of an already-failed inner Deferred onto the errback chain', () => {
    const err = new RangeError('inner failed');
    const first = fail(err);
    const second = new Deferred<void>();
    second.addCallback(() => first);
    second.callback();
    const seen: unknown[] = [];
    second.addErrback((e) => seen.push(e));
    first.addCallback((r) => seen.push(r));
    assert.deepEqual(seen, [err, undefined]);
  });

  it('pauses the outer chain until a later-fired inner Deferred fires', () => {
    const inner = new Deferred<string>();
    const outer = new Deferred<number>();
    const seen: unknown[] = [];
    outer.addCallback(() => inner).addCallback((s) => seen.push(s));
    outer.callback(1);
    assert.equal(outer.called, true);
    assert.equal(outer.paused, 1);
    assert.deepEqual(seen, []);
    inner.callback('resumed');
    assert.equal(outer.paused, 0);
    assert.deepEqual(seen, ['resumed']);
  });

  it('preserves callbacks added to the inner Deferred before it was returned, running them first', () => {
    const inner = new Deferred<number>();
    const seen: unknown[] = [];
    inner.addCallback((n) => {
      seen.push(['inner cb', n]);
      return n * 10;
    });
    const outer = succeed(0).addCallback(() => inner);
    outer.addCallback((n) => seen.push(['outer cb', n]));
    inner.callback(4);
    assert.deepEqual(seen, [
      ['inner cb', 4],
      ['outer cb', 40],
    ]);
  });

  it('waits on a paused inner Deferred that already has a result until it is unpaused', () => {
    const inner = succeed('held');
    inner.pause();
    const seen: unknown[] = [];
    const outer = succeed(0).addCallback(() => inner);
    outer.addCallback((s) => seen.push(s));
    assert.deepEqual(seen, []);
    inner.unpause();
    assert.deepEqual(seen, ['held']);
  });

  it('lets earlier Deferreds go on when a later one in the chain is paused', () => {
    const first = new Deferred<string>();
    const second = new Deferred<string>();
    const third = new Deferred<string>();
    const seen: string[] = [];
    first.addCallback(() => second);
    second.addCallback(() => third);
    first.addCallback((r) => {
      seen.push(`first got ${r}`);
      return r;
    });
    first.callback('go');
    second.callback('go');
    // `first` waits on `second`, which waits on `third`.
    first.pause();
    third.callback('done');
    assert.deepEqual(seen, []);
    first.unpause();
    assert.deepEqual(seen, ['first got done']);
  });

  it('lets a fired inner Deferred go on with its own callbacks while its waiter is paused', () => {
    const first = new Deferred<void>();
    const second = new Deferred<void>();
    first.addCallback(() => second);
    first.callback();
    first.pause();
    second.callback();
    const seen: unknown[] = [];
    second.addCallback((r) => seen.push(r));
    assert.deepEqual(seen, [undefined]);
    first.unpause();
  });

  it('resumes a Deferred that waits on a Deferred that waits on a third one', () => {
    const first = new Deferred<void>();
    const second = new Deferred<void>();
    const third = new Deferred<void>();
    const result = { end: true };
    second.addCallback(() => first);
    third.addCallback(() => second);
    const seen: unknown[] = [];
    third.addCallback((r) => seen.push(r));
    third.callback();
    second.callback();
    first.callback(result as never);
    assert.deepEqual(seen, [result]);
  });

  it('runs callbacks added to a middle Deferred after the chain was built once the last one fires', () => {
    const first = new Deferred<void>();
    const second = new Deferred<void>();
    const third = new Deferred<void>();
    first.addCallback(() => second);
    second.addCallback(() => third);
    second.callback();
    first.callback();
    third.callback();
    const seen: unknown[] = [];
    second.addCallback((r) => seen.push(r));
    assert.deepEqual(seen, [undefined]);
  });

  it('runs the inner callbacks after a nested resume, in Twisted order', () => {
    const seen: unknown[] = [];
    const inner = new Deferred<string>();
    const outer = new Deferred<string>();
    outer.addCallback((r) => {
      seen.push(['start-of-outer', r]);
      return inner.addCallback((x) => {
        seen.push(['inner', x]);
        return `${x}+`;
      });
    });
    outer.addCallback((r) => seen.push(['end-of-outer', r]));
    outer.callback('o');
    inner.callback('i');
    assert.deepEqual(seen, [
      ['start-of-outer', 'o'],
      ['inner', 'i'],
      ['end-of-outer', 'i+'],
    ]);
  });
});

describe('Deferred chaining, Twisted edge cases', () => {
  it('finds the continuation of a waiting Deferred even when it is not the first entry', () => {
    const results: unknown[] = [];
    const failures: Error[] = [];
    const a = new Deferred<string>();
    const outer = succeed('outer').addCallback((r) => {
      results.push(['cb', r]);
      const d = new Deferred<void>();
      d.addCallback((ignored) => {
        results.push(['first', ignored]);
        return gatherResults([a]);
      });
      d.addCallback((r2) => {
        results.push(['second', r2]);
      });
      d.addErrback((e) => {
        failures.push(e);
      });
      d.callback();
      return d;
    });
    outer.addErrback((e) => {
      failures.push(e);
    });
    assert.deepEqual(results, [
      ['cb', 'outer'],
      ['first', undefined],
    ]);
    a.callback('withers');
    assert.deepEqual(failures, []);
    assert.deepEqual(results, [
      ['cb', 'outer'],
      ['first', undefined],
      ['second', ['withers']],
    ]);
  });

  it('sends an error thrown by a callback added during a callback to the next errback', () => {
    const d = new Deferred<void>();
    const err = new Error('reentrant failure');
    const seen: unknown[] = [];
    d.addCallback(() => {
      d.addCallback(() => {
        throw err;
      });
      d.addErrback((e) => seen.push(e));
    });
    d.callback();
    assert.deepEqual(seen, [err]);
  });

  it('switches to the errbacks when a later-fired inner Deferred fails', () => {
    const inner = new Deferred<string>();
    const outer = succeed(0).addCallback(() => inner);
    const seen: unknown[] = [];
    outer.addCallbacks(
      () => seen.push('callback'),
      (e) => seen.push(e.message),
    );
    inner.errback(new Error('inner failed later'));
    assert.deepEqual(seen, ['inner failed later']);
  });

  it('fails with a TypeError when a callback returns the Deferred it is attached to', () => {
    const d = new Deferred<string>();
    d.addCallback(() => d);
    const seen: unknown[] = [];
    d.addErrback((e) => seen.push(e));
    d.callback('x');
    assert.equal(seen.length, 1);
    assert.ok(seen[0] instanceof TypeError, 'expected a TypeError');
  });
});

describe('Deferred chaining on returned Promises', () => {
  it('pauses until a returned Promise resolves, then continues with its value', async () => {
    const d = succeed(1).addCallback(async (n) => n + 1);
    const seen: number[] = [];
    d.addCallback((n) => seen.push(n));
    assert.deepEqual(seen, []);
    assert.equal(d.paused, 1);
    await d;
    assert.deepEqual(seen, [2]);
  });

  it('switches to the errback chain when a returned Promise rejects, wrapping non-Errors', async () => {
    const d = succeed(1).addCallback(() => Promise.reject('plain'));
    const seen: unknown[] = [];
    const done = new Deferred<void>();
    d.addErrback((e) => {
      seen.push(e.cause);
      done.callback();
    });
    await done;
    assert.deepEqual(seen, ['plain']);
  });

  it('accepts any thenable', async () => {
    const thenable: PromiseLike<string> = {
      // biome-ignore lint/suspicious/noThenProperty: a minimal thenable is the point of this test.
      then(onF) {
        return Promise.resolve(onF?.('from thenable')) as never;
      },
    };
    const d = succeed(0).addCallback(() => thenable);
    assert.equal(await d, 'from thenable');
  });
});

describe('Deferred stack safety', () => {
  it('runs 100,000 chained callbacks without overflowing the stack', () => {
    const d = new Deferred<number>();
    for (let i = 0; i < 100_000; i++) d.addCallback((n) => n + 1);
    let last = -1;
    d.addCallback((n) => {
      last = n;
    });
    d.callback(0);
    assert.equal(last, 100_000);
  });

  it('runs 10,000 nested already-fired inner Deferreds without overflowing the stack', () => {
    const d = new Deferred<number>();
    for (let i = 0; i < 10_000; i++) d.addCallback((n) => succeed(n + 1));
    let last = -1;
    d.addCallback((n) => {
      last = n;
    });
    d.callback(0);
    assert.equal(last, 10_000);
  });

  it('resumes 10,000 Deferreds each waiting on the next when the innermost fires', () => {
    const head = new Deferred<number>();
    let tail = head;
    const all: Deferred<number>[] = [head];
    for (let i = 0; i < 10_000; i++) {
      const next = new Deferred<number>();
      tail.addCallback(() => next);
      tail = next;
      all.push(next);
    }
    // Fire outermost first so each waits on the next, then fire the innermost.
    for (const d of all.slice(0, -1)) d.callback(0);
    let got = -1;
    head.addCallback((n) => {
      got = n;
    });
    assert.equal(got, -1);
    tail.callback(42);
    assert.equal(got, 42);
  });

  it('resumes 10,000 Deferreds each waiting on a later-fired inner one fired in order', () => {
    const d = new Deferred<number>();
    const inners: Deferred<number>[] = [];
    for (let i = 0; i < 10_000; i++)
      d.addCallback((n) => {
        const inner = new Deferred<number>();
        inners.push(inner);
        return inner.addCallback((m) => m + n);
      });
    let got = -1;
    d.addCallback((n) => {
      got = n;
    });
    d.callback(0);
    for (let i = 0; i < 10_000; i++) inners[i]!.callback(1);
    assert.equal(inners.length, 10_000);
    assert.equal(got, 10_000);
  });
});
