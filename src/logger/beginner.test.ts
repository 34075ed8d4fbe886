import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogBeginner } from './beginner.js';
import { capturedLogs } from './capture.js';
import type { LogEvent } from './event.js';
import { Logger } from './logger.js';
import { LogPublisher } from './publisher.js';

describe('LogBeginner', () => {
  it('replays the events emitted before logging began, then delivers live', () => {
    const publisher = new LogPublisher();
    const beginner = new LogBeginner(publisher, { bufferSize: 2 });
    const log = new Logger('x', { observer: publisher });
    log.info('dropped: over the buffer size');
    log.info('early 1');
    log.info('early 2');
    const seen: LogEvent[] = [];
    const stop = beginner.beginLoggingTo([(e) => seen.push(e)]);
    log.info('live');
    stop();
    log.info('after stop');
    assert.deepEqual(
      seen.map((e) => e.logFormat),
      ['early 1', 'early 2', 'live'],
    );
    assert.equal(beginner.begun, true);
  });

  it('discards the buffer when asked', () => {
    const publisher = new LogPublisher();
    const beginner = new LogBeginner(publisher);
    new Logger('x', { observer: publisher }).info('early');
    const seen: LogEvent[] = [];
    beginner.beginLoggingTo([(e) => seen.push(e)], { discardBuffer: true });
    assert.equal(seen.length, 0);
  });
});

describe('capturedLogs', () => {
  it('stops capturing once restored', () => {
    const publisher = new LogPublisher();
    const logs = capturedLogs(publisher);
    const log = new Logger('x', { observer: publisher });
    log.info('in');
    logs[Symbol.dispose]();
    log.info('out');
    assert.deepEqual(logs.messages(), ['in']);
  });
});
