import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProcessDone } from '../../../src/internet/error.js';
import { spawnProcess } from '../../../src/internet/process.js';
import { ProcessProtocol } from '../../../src/internet/process-protocol.js';

const TOTAL = 512 * 1024;

/** Pauses the transport on the first chunk, checks nothing arrives while paused, then resumes. */
class PausingReader extends ProcessProtocol {
  received = 0;
  receivedWhilePaused = 0;
  paused = false;
  readonly ended: Promise<Error>;
  #resolve!: (e: Error) => void;
  constructor() {
    super();
    this.ended = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }
  override outReceived(data: Buffer): void {
    if (this.paused) this.receivedWhilePaused += data.length;
    this.received += data.length;
    if (this.received === data.length) {
      this.paused = true;
      this.transport!.pauseProducing();
      // Let the loop turn a few times (the child keeps writing into the pipe), then resume.
      let turns = 20;
      const tick = (): void => {
        if (--turns > 0) {
          setImmediate(tick);
          return;
        }
        this.paused = false;
        this.transport!.resumeProducing();
      };
      setImmediate(tick);
    }
  }
  override processEnded(reason: Error): void {
    this.#resolve(reason);
  }
}

describe('process output flow control', () => {
  it('stops delivering output while paused and delivers all of it after resuming', async () => {
    const proto = new PausingReader();
    spawnProcess(proto, '/bin/sh', ['sh', '-c', `head -c ${TOTAL} /dev/zero`]);
    const reason = await proto.ended;
    assert.ok(reason instanceof ProcessDone);
    assert.equal(proto.receivedWhilePaused, 0);
    assert.equal(proto.received, TOTAL);
  });
});
