import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capturedLogs } from './capture.js';
import { Logger } from './logger.js';
import { LogPublisher } from './publisher.js';

describe('capturedLogs', () => {
  it('records the events of the global publisher in order, with their formatted messages', () => {
    const logs = capturedLogs();
    try {
      const log = new Logger('capture.test');
      log.info('one {n}', { n: 1 });
      log.error('two');
    } finally {
      logs.restore();
    }
    assert.deepEqual(
      logs.events.map((e) => [e.logNamespace, e.logLevel]),
      [
        ['capture.test', 'info'],
        ['capture.test', 'error'],
      ],
    );
    assert.deepEqual(logs.messages(), ['one 1', 'two']);
  });

  it('stops recording on restore (idempotent) and on dispose', () => {
    const publisher = new LogPublisher();
    const log = new Logger('x', { observer: publisher });
    const logs = capturedLogs(publisher);
    log.info('kept');
    logs.restore();
    logs.restore();
    log.info('dropped');
    assert.deepEqual(logs.messages(), ['kept']);
    assert.equal(publisher.observers.length, 0);

    const disposed = capturedLogs(publisher);
    disposed[Symbol.dispose]();
    log.info('also dropped');
    assert.equal(disposed.events.length, 0);
  });

  it('captures a publisher given to it, not the global one', () => {
    const publisher = new LogPublisher();
    const mine = capturedLogs(publisher);
    const global = capturedLogs();
    try {
      new Logger('x', { observer: publisher }).warn('private');
    } finally {
      mine.restore();
      global.restore();
    }
    assert.deepEqual(mine.messages(), ['private']);
    assert.deepEqual(global.events, []);
  });
});
