import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { WORKER_MESSAGES, workerSignals } from './workers.js';

describe('workerSignals', () => {
  it("turns the primary's IPC messages into events and leaves other events to the process", () => {
    const proc = new EventEmitter();
    const signals = workerSignals(proc as unknown as NodeJS.Process);
    const seen: string[] = [];
    const listener = (event: string): void => {
      seen.push(event);
    };
    signals.on(WORKER_MESSAGES.shutdown, listener);
    signals.on('SIGTERM', listener);
    proc.emit('message', { twist: WORKER_MESSAGES.shutdown });
    proc.emit('message', { twist: WORKER_MESSAGES.abort });
    proc.emit('message', 'unrelated');
    proc.emit('SIGTERM', 'SIGTERM');
    assert.deepEqual(seen, [WORKER_MESSAGES.shutdown, 'SIGTERM']);
  });

  it('removes every message listener when one function listens to both messages', () => {
    const proc = new EventEmitter();
    const signals = workerSignals(proc as unknown as NodeJS.Process);
    const listener = (): void => {};
    signals.on(WORKER_MESSAGES.shutdown, listener);
    signals.on(WORKER_MESSAGES.abort, listener);
    assert.equal(proc.listenerCount('message'), 2);
    signals.off(WORKER_MESSAGES.shutdown, listener);
    signals.off(WORKER_MESSAGES.abort, listener);
    assert.equal(proc.listenerCount('message'), 0);
  });
});
