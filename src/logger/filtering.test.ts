import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEvent } from './event.js';
import { FilteringLogObserver, LogLevelFilterPredicate, type PredicateResult } from './filtering.js';
import type { LogLevel } from './levels.js';

function event(logNamespace: string, logLevel: LogLevel): LogEvent {
  return { logNamespace, logLevel, logTime: 0, logFormat: 'x' };
}

describe('LogLevelFilterPredicate', () => {
  it('drops events below the default level', () => {
    const p = new LogLevelFilterPredicate('warn');
    assert.equal(p.predicate(event('a', 'info')), 'no');
    assert.equal(p.predicate(event('a', 'warn')), 'maybe');
  });

  it('inherits a namespace level from the closest dotted parent', () => {
    const p = new LogLevelFilterPredicate('info');
    p.setLogLevelForNamespace('a', 'error');
    p.setLogLevelForNamespace('a.b', 'debug');
    assert.equal(p.logLevelForNamespace('a.b.c'), 'debug');
    assert.equal(p.logLevelForNamespace('a.x'), 'error');
    assert.equal(p.logLevelForNamespace('ab'), 'info');
  });

  it('forgets namespace levels on clearLogLevels', () => {
    const p = new LogLevelFilterPredicate('info');
    p.setLogLevelForNamespace('a', 'critical');
    p.clearLogLevels();
    assert.equal(p.logLevelForNamespace('a'), 'info');
  });

  it('sets the default level for the empty namespace', () => {
    const p = new LogLevelFilterPredicate('info');
    p.setLogLevelForNamespace('', 'debug');
    assert.equal(p.predicate(event('any', 'debug')), 'maybe');
  });
});

describe('FilteringLogObserver', () => {
  it('delivers passing events and sends dropped ones to the negative observer', () => {
    const kept: LogEvent[] = [];
    const dropped: LogEvent[] = [];
    const levels = new LogLevelFilterPredicate('info');
    levels.setLogLevelForNamespace('noisy', 'error');
    const filter = new FilteringLogObserver(
      (e) => kept.push(e),
      [levels],
      (e) => dropped.push(e),
    );
    filter.observe(event('noisy.sub', 'warn'));
    filter.observe(event('quiet', 'warn'));
    filter.observe(event('quiet', 'debug'));
    assert.deepEqual(
      kept.map((e) => e.logNamespace),
      ['quiet'],
    );
    assert.equal(dropped.length, 2);
  });

  it('lets the first yes or no decide', () => {
    const kept: LogEvent[] = [];
    const yes = { predicate: (): PredicateResult => 'yes' };
    const no = { predicate: (): PredicateResult => 'no' };
    new FilteringLogObserver((e) => kept.push(e), [yes, no]).observe(event('a', 'info'));
    new FilteringLogObserver((e) => kept.push(e), [no, yes]).observe(event('b', 'info'));
    assert.deepEqual(
      kept.map((e) => e.logNamespace),
      ['a'],
    );
  });
});
