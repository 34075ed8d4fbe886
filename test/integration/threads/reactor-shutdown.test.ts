import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NodeReactor } from '../../../src/internet/reactor.js';
import { deferToThreadPool, getThreadPool } from '../../../src/internet/threads/index.js';

describe("the reactor's thread pool", () => {
  it('is stopped by the shutdown of a real NodeReactor, after finishing its running call', async () => {
    const reactor = new NodeReactor({ installSignalHandlers: false });
    const pool = getThreadPool(reactor);
    const results: unknown[] = [];
    reactor.callWhenRunning(() => {
      deferToThreadPool(reactor, pool, (n: number) => n + 1, 41).addCallback((v) => {
        results.push(v);
        reactor.stop();
      });
    });
    await reactor.run();
    assert.deepEqual(results, [42]);
    assert.equal(pool.started, false);
    assert.equal(pool.threads, 0);
  });
});
