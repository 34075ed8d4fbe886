import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffPolicy } from './backoff.js';

describe('backoffPolicy', () => {
  it('grows by factor from initialDelay (Twisted defaults 1.0 and 1.5)', () => {
    const policy = backoffPolicy({ jitter: () => 0 });
    assert.deepEqual([0, 1, 2, 3].map(policy), [1, 1.5, 2.25, 3.375]);
  });

  it('caps at maxDelay before adding jitter', () => {
    const policy = backoffPolicy({ maxDelay: 60, jitter: () => 0.25 });
    assert.equal(policy(1000), 60.25);
  });

  it('adds random jitter in [0, 1) by default', () => {
    const d = backoffPolicy()(0);
    assert.ok(d >= 1 && d < 2, String(d));
  });
});
