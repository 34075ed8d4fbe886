import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidLogLevelError, LogLevel, levelRank, parseLogLevel } from './levels.js';

describe('log levels', () => {
  it('orders debug < info < warn < error < critical', () => {
    const ranks = [LogLevel.debug, LogLevel.info, LogLevel.warn, LogLevel.error, LogLevel.critical].map(
      levelRank,
    );
    assert.deepEqual(ranks, [0, 1, 2, 3, 4]);
  });

  it('parses level names case-insensitively', () => {
    assert.equal(parseLogLevel('WARN'), 'warn');
  });

  it('rejects an unknown level name with InvalidLogLevelError', () => {
    assert.throws(() => parseLogLevel('verbose'), InvalidLogLevelError);
  });
});
