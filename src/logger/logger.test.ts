import assert from 'node:assert/strict';
import diagnosticsChannel from 'node:diagnostics_channel';
import { describe, it } from 'node:test';
import { capturedLogs } from './capture.js';
import type { LogEvent } from './event.js';
import { Logger } from './logger.js';
import { LOG_CHANNEL_NAME, LogPublisher } from './publisher.js';

describe('Logger', () => {
  it('emits events with namespace, level, format, time and fields to the global publisher', () => {
    const logs = capturedLogs();
    try {
      new Logger('my.ns', { now: () => 42 }).info('Accepted {peer}', { peer: 'p' });
    } finally {
      logs.restore();
    }
    assert.equal(logs.events.length, 1);
    assert.deepEqual(logs.events[0], {
      logLevel: 'info',
      logNamespace: 'my.ns',
      logFormat: 'Accepted {peer}',
      logTime: 42,
      peer: 'p',
    });
    assert.deepEqual(logs.messages(), ['Accepted p']);
  });

  it('has one method per level', () => {
    const events: LogEvent[] = [];
    const log = new Logger('x', { observer: (e) => events.push(e) });
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    log.critical('c');
    assert.deepEqual(
      events.map((e) => e.logLevel),
      ['debug', 'info', 'warn', 'error', 'critical'],
    );
  });

  it('attaches the error of failure() as logFailure at critical level by default', () => {
    const events: LogEvent[] = [];
    const err = new Error('boom');
    new Logger('x', { observer: (e) => events.push(e) }).failure('while doing {what}', err, { what: 'X' });
    assert.equal(events[0]?.logFailure, err);
    assert.equal(events[0]?.logLevel, 'critical');
    assert.equal(events[0]?.what, 'X');
  });

  it('wraps a non-Error given to failure() into an Error', () => {
    const events: LogEvent[] = [];
    new Logger('x', { observer: (e) => events.push(e) }).failure('oops', 'a string', {}, 'error');
    assert.ok(events[0]?.logFailure instanceof Error);
    assert.equal(events[0]?.logFailure?.message, 'a string');
    assert.equal(events[0]?.logLevel, 'error');
  });

  it('records its source as logSource', () => {
    const events: LogEvent[] = [];
    const source = { name: 'svc' };
    new Logger('x', { source, observer: (e) => events.push(e) }).info('hi');
    assert.equal(events[0]?.logSource, source);
  });

  it('publishes every global event on the twisted-ts:log diagnostics channel', () => {
    const seen: unknown[] = [];
    const listener = (message: unknown): void => {
      seen.push(message);
    };
    diagnosticsChannel.subscribe(LOG_CHANNEL_NAME, listener);
    try {
      new Logger('apm.test').warn('visible to APM');
    } finally {
      diagnosticsChannel.unsubscribe(LOG_CHANNEL_NAME, listener);
    }
    assert.equal(seen.length, 1);
    assert.equal((seen[0] as LogEvent).logFormat, 'visible to APM');
  });
});

describe('LogPublisher', () => {
  it('delivers to function and object observers until they are removed', () => {
    const publisher = new LogPublisher();
    const a: LogEvent[] = [];
    const b: LogEvent[] = [];
    const fn = (e: LogEvent): void => {
      a.push(e);
    };
    const obj = { observe: (e: LogEvent) => b.push(e) };
    publisher.addObserver(fn);
    publisher.addObserver(obj);
    const log = new Logger('x', { observer: publisher });
    log.info('one');
    publisher.removeObserver(fn);
    log.info('two');
    assert.equal(a.length, 1);
    assert.equal(b.length, 2);
  });

  it('keeps delivering when an observer throws and reports the error to the others', () => {
    const publisher = new LogPublisher();
    const seen: LogEvent[] = [];
    publisher.addObserver(() => {
      throw new Error('observer broke');
    });
    publisher.addObserver((e) => seen.push(e));
    new Logger('x', { observer: publisher }).info('payload');
    assert.deepEqual(seen.map((e) => e.logNamespace).sort(), ['twisted-ts.logger', 'x']);
    const report = seen.find((e) => e.logNamespace === 'twisted-ts.logger');
    assert.equal(report?.logFailure?.message, 'observer broke');
  });
});
