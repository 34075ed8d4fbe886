import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deferred } from './defer.js';
import { SystemEventTriggers } from './system-event-triggers.js';

function collectErrors(): { errors: unknown[]; triggers: SystemEventTriggers } {
  const errors: unknown[] = [];
  return { errors, triggers: new SystemEventTriggers((err) => errors.push(err)) };
}

describe('SystemEventTriggers', () => {
  it('runs before, then during, then after triggers, each phase in the order added', () => {
    const { triggers } = collectErrors();
    const order: string[] = [];
    triggers.add('after', 'shutdown', () => order.push('after1'));
    triggers.add('during', 'shutdown', () => order.push('during1'));
    triggers.add('before', 'shutdown', () => order.push('before1'));
    triggers.add('before', 'shutdown', () => order.push('before2'));
    triggers.add('after', 'startup', () => order.push('startup'));
    let done = false;
    triggers.fire('shutdown').addCallback(() => {
      done = true;
    });
    assert.deepEqual(order, ['before1', 'before2', 'during1', 'after1']);
    assert.equal(done, true);
  });

  it('passes the arguments given when the trigger was added', () => {
    const { triggers } = collectErrors();
    const seen: unknown[] = [];
    triggers.add('during', 'startup', (a: number, b: string) => seen.push(a, b), 1, 'two');
    triggers.fire('startup');
    assert.deepEqual(seen, [1, 'two']);
  });

  it('holds the next phase back until a returned Deferred fires', () => {
    const { triggers } = collectErrors();
    const order: string[] = [];
    const gate = new Deferred<void>();
    triggers.add('before', 'shutdown', () => gate);
    triggers.add('before', 'shutdown', () => order.push('other before'));
    triggers.add('during', 'shutdown', () => order.push('during'));
    let done = false;
    triggers.fire('shutdown').addCallback(() => {
      done = true;
    });
    assert.deepEqual(order, ['other before']);
    assert.equal(triggers.isFiring('shutdown'), true);
    gate.callback(undefined);
    assert.deepEqual(order, ['other before', 'during']);
    assert.equal(done, true);
    assert.equal(triggers.isFiring('shutdown'), false);
  });

  it('holds the next phase back until a returned Promise settles', async () => {
    const { triggers } = collectErrors();
    const order: string[] = [];
    let release!: () => void;
    triggers.add('during', 'startup', () => new Promise<void>((r) => (release = r)));
    triggers.add('after', 'startup', () => order.push('after'));
    const done = triggers.fire('startup');
    assert.deepEqual(order, []);
    release();
    await done;
    assert.deepEqual(order, ['after']);
  });

  it('reports a throwing or failing trigger and goes on with the others', () => {
    const { errors, triggers } = collectErrors();
    const order: string[] = [];
    const failing = new Deferred<void>();
    triggers.add('before', 'shutdown', () => {
      throw new Error('thrown');
    });
    triggers.add('before', 'shutdown', () => failing);
    triggers.add('during', 'shutdown', () => order.push('during'));
    triggers.fire('shutdown');
    failing.errback(new Error('failed'));
    assert.deepEqual(
      errors.map((e) => (e as Error).message),
      ['thrown', 'failed'],
    );
    assert.deepEqual(order, ['during']);
  });

  it('does not run a removed trigger and refuses to remove an unknown one', () => {
    const { triggers } = collectErrors();
    let ran = false;
    const id = triggers.add('before', 'startup', () => {
      ran = true;
    });
    triggers.remove(id);
    triggers.fire('startup');
    assert.equal(ran, false);
    assert.throws(() => triggers.remove(id), RangeError);
  });

  it('runs a trigger added to the running phase in that phase', () => {
    const { triggers } = collectErrors();
    const order: string[] = [];
    triggers.add('before', 'shutdown', () => {
      order.push('first');
      triggers.add('before', 'shutdown', () => order.push('added'));
    });
    triggers.add('during', 'shutdown', () => order.push('during'));
    triggers.fire('shutdown');
    assert.deepEqual(order, ['first', 'added', 'during']);
  });

  it('runs each trigger once: firing again only runs triggers added since', () => {
    const { triggers } = collectErrors();
    const order: string[] = [];
    triggers.add('during', 'startup', () => order.push('old'));
    triggers.fire('startup');
    triggers.add('during', 'startup', () => order.push('new'));
    triggers.fire('startup');
    assert.deepEqual(order, ['old', 'new']);
  });

  it('runs the reactor hook first in the during phase', () => {
    const { triggers } = collectErrors();
    const order: string[] = [];
    triggers.add('before', 'startup', () => order.push('before'));
    triggers.add('during', 'startup', () => order.push('during'));
    triggers.fire('startup', () => order.push('hook'));
    assert.deepEqual(order, ['before', 'hook', 'during']);
  });

  it('joins a firing in progress instead of starting another', () => {
    const { triggers } = collectErrors();
    const gate = new Deferred<void>();
    let count = 0;
    triggers.add('before', 'shutdown', () => gate);
    triggers.add('during', 'shutdown', () => count++);
    const first = triggers.fire('shutdown');
    const second = triggers.fire('shutdown');
    let fired = 0;
    first.addCallback(() => fired++);
    second.addCallback(() => fired++);
    gate.callback(undefined);
    assert.equal(count, 1);
    assert.equal(fired, 2);
  });

  it('shows the pending triggers by phase and event in snapshot', () => {
    const { triggers } = collectErrors();
    const f = (_n: number): void => {};
    triggers.add('before', 'shutdown', f, 1);
    const snap = triggers.snapshot();
    assert.equal(snap.before.shutdown.length, 1);
    assert.equal(snap.before.shutdown[0]?.f, f);
    assert.deepEqual(snap.before.shutdown[0]?.args, [1]);
    assert.deepEqual(snap.after.startup, []);
  });
});
