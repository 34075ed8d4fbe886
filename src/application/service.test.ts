import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deferred } from '../internet/defer.js';
import { capturedLogs } from '../logger/capture.js';
import { DuplicateServiceNameError, MultiService, NoSuchServiceError } from './multi-service.js';
import { Service } from './service.js';

class Recording extends Service {
  constructor(
    readonly events: string[],
    label: string,
    readonly stopWith: () => PromiseLike<unknown> | void = () => {},
  ) {
    super();
    this.name = label;
  }
  override startService(): void {
    super.startService();
    this.events.push(`start ${this.name}`);
  }
  override stopService(): PromiseLike<unknown> | void {
    super.stopService();
    this.events.push(`stop ${this.name}`);
    return this.stopWith();
  }
}

describe('Service', () => {
  it('tracks running across start and stop', () => {
    const s = new Service();
    assert.equal(s.running, false);
    s.startService();
    assert.equal(s.running, true);
    s.stopService();
    assert.equal(s.running, false);
  });

  it('joins and leaves a parent with setServiceParent/disownServiceParent', () => {
    const parent = new MultiService();
    const other = new MultiService();
    const child = new Service();
    child.name = 'c';
    child.setServiceParent(parent);
    assert.equal(child.parent, parent);
    assert.equal(parent.getServiceNamed('c'), child);
    child.setServiceParent(other);
    assert.throws(() => parent.getServiceNamed('c'), NoSuchServiceError);
    assert.equal(other.getServiceNamed('c'), child);
    child.disownServiceParent();
    assert.equal(child.parent, null);
    assert.deepEqual([...other], []);
  });
});

describe('MultiService', () => {
  it('starts children in order and stops them in reverse', async () => {
    const events: string[] = [];
    const top = new MultiService();
    new Recording(events, 'a').setServiceParent(top);
    new Recording(events, 'b').setServiceParent(top);
    top.startService();
    await top.stopService();
    assert.deepEqual(events, ['start a', 'start b', 'stop b', 'stop a']);
  });

  it('waits for every child to finish stopping', async () => {
    const events: string[] = [];
    const slow = new Deferred<void>();
    const top = new MultiService();
    new Recording(events, 'slow', () => slow).setServiceParent(top);
    top.startService();
    let done = false;
    const stopping = top.stopService().addCallback(() => {
      done = true;
    });
    await Promise.resolve();
    assert.equal(done, false);
    slow.callback(undefined);
    await stopping;
    assert.equal(done, true);
  });

  it('logs a child whose stop fails and still stops the others', async () => {
    const events: string[] = [];
    const top = new MultiService();
    new Recording(events, 'ok').setServiceParent(top);
    new Recording(events, 'bad', () => Promise.reject(new Error('stop failed'))).setServiceParent(top);
    top.startService();
    const logs = capturedLogs();
    try {
      await top.stopService();
    } finally {
      logs.restore();
    }
    assert.deepEqual(events.slice(2), ['stop bad', 'stop ok']);
    assert.equal(logs.events[0]?.logFailure?.message, 'stop failed');
  });

  it('starts a child added while running and stops a child removed while running', () => {
    const events: string[] = [];
    const top = new MultiService();
    top.startService();
    const late = new Recording(events, 'late');
    late.setServiceParent(top);
    late.disownServiceParent();
    assert.deepEqual(events, ['start late', 'stop late']);
  });

  it('refuses two children with the same name', () => {
    const top = new MultiService();
    new Recording([], 'x').setServiceParent(top);
    assert.throws(() => new Recording([], 'x').setServiceParent(top), DuplicateServiceNameError);
  });
});
