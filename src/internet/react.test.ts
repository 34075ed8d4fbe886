import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Deferred } from './defer.js';
import type { IReactor } from './interfaces.js';
import { react } from './react.js';
import { NodeReactor } from './reactor.js';

const newReactor = (): NodeReactor => new NodeReactor({ installSignalHandlers: false });

/** Runs `f` with stderr captured; returns what was written. */
async function capturingStderr(f: () => Promise<unknown>): Promise<string> {
  const write = process.stderr.write;
  let text = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    await f();
  } finally {
    process.stderr.write = write;
  }
  return text;
}

describe('react', () => {
  afterEach(() => {
    process.exitCode = 0; // react() sets it; the test runner must not inherit a 1
  });

  it('runs a synchronous main inside the running reactor, then stops it with code 0', async () => {
    const reactor = newReactor();
    let sawRunning = false;
    const code = await react(
      (r: IReactor, a: number, b: string) => {
        sawRunning = r.running;
        assert.deepEqual([a, b], [1, 'two']);
      },
      [1, 'two'],
      reactor,
    );
    assert.equal(code, 0);
    assert.equal(process.exitCode, 0);
    assert.equal(sawRunning, true);
    assert.equal(reactor.running, false);
    assert.throws(() => reactor.run()); // stopped for good
  });

  it('keeps the reactor running until the Deferred main returned fires', async () => {
    const reactor = newReactor();
    const d = new Deferred<void>();
    let stillRunning = false;
    const done = react(
      (r) => {
        r.callLater(0, () => {
          stillRunning = r.running;
          d.callback(undefined);
        });
        return d;
      },
      [],
      reactor,
    );
    assert.equal(await done, 0);
    assert.equal(stillRunning, true);
  });

  it('exits 1 and writes the stack to stderr when main throws, returns a failed Deferred or rejects', async () => {
    const mains: ((r: IReactor) => unknown)[] = [
      () => {
        throw new Error('sync boom');
      },
      () => {
        const d = new Deferred<void>();
        d.errback(new Error('deferred boom'));
        return d;
      },
      async () => {
        throw new Error('async boom');
      },
    ];
    for (const [i, main] of mains.entries()) {
      let code = -1;
      const stderr = await capturingStderr(async () => {
        code = await react(main, [], newReactor());
      });
      assert.equal(code, 1);
      assert.equal(process.exitCode, 1);
      const message = ['sync boom', 'deferred boom', 'async boom'][i]!;
      assert.match(stderr, new RegExp(`main function encountered error\\nError: ${message}\\n\\s+at `));
      process.exitCode = 0;
    }
  });

  it('exits 0 when main stops the reactor itself', async () => {
    const code = await react((r) => r.stop(), [], newReactor());
    assert.equal(code, 0);
  });
});
