import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setErrorReporter } from './error-reporter.js';
import type { IPushProducer } from './interfaces.js';
import { ProducerSlot } from './producer-slot.js';

class Recording implements IPushProducer {
  readonly calls: string[] = [];
  pauseProducing(): void {
    this.calls.push('pause');
  }
  resumeProducing(): void {
    this.calls.push('resume');
  }
  stopProducing(): void {
    this.calls.push('stop');
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('ProducerSlot', () => {
  it('pauses a push producer once when full and resumes it once on drain', () => {
    const p = new Recording();
    const slot = new ProducerSlot(p, true, () => true);
    slot.start(true);
    slot.bufferFull();
    slot.drained();
    slot.drained();
    assert.deepEqual(p.calls, ['pause', 'resume']);
  });

  it('pulls a pull producer once per turn of the loop while there is room', async () => {
    const p = new Recording();
    let room = true;
    const slot = new ProducerSlot(p, false, () => room);
    slot.start(false);
    slot.wrote();
    slot.wrote();
    await turn();
    assert.deepEqual(p.calls, ['resume']);
    room = false;
    slot.wrote();
    await turn();
    assert.deepEqual(p.calls, ['resume'], 'no pull while the buffer is full');
    room = true;
    slot.drained();
    await turn();
    assert.deepEqual(p.calls, ['resume', 'resume']);
  });

  it('never calls a detached producer, and stop() calls stopProducing', async () => {
    const p = new Recording();
    const slot = new ProducerSlot(p, false, () => true);
    slot.start(false);
    slot.detach();
    await turn();
    slot.drained();
    assert.deepEqual(p.calls, []);
    const q = new Recording();
    new ProducerSlot(q, true, () => true).stop();
    assert.deepEqual(q.calls, ['stop']);
  });

  it('reports exceptions from the producer instead of throwing them', () => {
    const reported: unknown[] = [];
    const previous = setErrorReporter((err) => reported.push(err));
    try {
      const bad: IPushProducer = {
        pauseProducing() {
          throw new Error('pause failed');
        },
        resumeProducing() {},
        stopProducing() {
          throw new Error('stop failed');
        },
      };
      const slot = new ProducerSlot(bad, true, () => true);
      slot.bufferFull();
      slot.stop();
      assert.deepEqual(
        reported.map((e) => (e as Error).message),
        ['pause failed', 'stop failed'],
      );
    } finally {
      setErrorReporter(previous);
    }
  });
});
