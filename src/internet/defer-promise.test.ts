import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deferred, fail, succeed } from './defer.js';
import { NonErrorThrown } from './error.js';

describe('Deferred as a PromiseLike', () => {
  it('can be awaited for its result, which still flows to later callbacks', async () => {
    const d = new Deferred<number>();
    const seen: number[] = [];
    const awaited = (async () => await d)();
    d.addCallback((n) => {
      seen.push(n);
      return n;
    });
    d.callback(5);
    assert.equal(await awaited, 5);
    assert.deepEqual(seen, [5]);
  });

  it('resolves await at once for an already-fired Deferred, passing the result on', async () => {
    const d = succeed('ready');
    assert.equal(await d, 'ready');
    const seen: string[] = [];
    d.addCallback((s) => seen.push(s));
    assert.deepEqual(seen, ['ready']);
  });

  it('rejects await with the error and keeps the chain on its errbacks', async () => {
    const err = new Error('awaited failure');
    const d = fail(err);
    await assert.rejects((async () => await d)(), (e) => e === err);
    const seen: unknown[] = [];
    d.addErrback((e) => seen.push(e));
    assert.deepEqual(seen, [err]);
  });

  it('sees the result where in the chain then() was called', async () => {
    const d = new Deferred<number>();
    d.addCallback((n) => n + 1);
    const p = d.then((n) => n * 10);
    d.addCallback((n) => n + 100);
    d.callback(1);
    assert.equal(await p, 20);
    assert.equal(await d, 102);
  });

  it('resolves asPromise with the result and rejects it with the error', async () => {
    assert.equal(await succeed(3).asPromise(), 3);
    const err = new Error('x');
    await assert.rejects(fail(err).asPromise(), (e) => e === err);
  });

  it('works with Promise.all and Promise.race', async () => {
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    const all = Promise.all([a, b]);
    const first = Promise.race([a, b]);
    b.callback(2);
    assert.equal(await first, 2);
    a.callback(1);
    assert.deepEqual(await all, [1, 2]);
  });

  it('is what an async function returning it resolves to', async () => {
    const d = new Deferred<string>();
    const viaAsync = (async () => d)();
    d.callback('adopted');
    assert.equal(await viaAsync, 'adopted');
  });
});

describe('Deferred.fromPromise', () => {
  it('fires with the resolved value after the Promise settles', async () => {
    let resolve!: (v: string) => void;
    const d = Deferred.fromPromise(new Promise<string>((r) => (resolve = r)));
    assert.equal(d.called, false);
    resolve('value');
    assert.equal(await d, 'value');
    assert.equal(d.called, true);
  });

  it('errbacks with the rejection, wrapping non-Errors', async () => {
    const d = Deferred.fromPromise(Promise.reject('nope'));
    const seen: Error[] = [];
    await d.addErrback((e) => {
      seen.push(e);
    });
    assert.ok(seen[0] instanceof NonErrorThrown, 'expected a NonErrorThrown');
    assert.equal(seen[0].cause, 'nope');
  });

  it('swallows the settlement of a Promise whose Deferred was cancelled', async () => {
    let resolve!: (v: string) => void;
    const d = Deferred.fromPromise(new Promise<string>((r) => (resolve = r)));
    d.cancel();
    resolve('too late');
    await assert.rejects(d.asPromise(), { code: 'ERR_CANCELLED' });
  });
});
