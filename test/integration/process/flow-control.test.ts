import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deferred } from '../../../src/internet/defer.js';
import { ProcessDone } from '../../../src/internet/error.js';
import { spawnProcess } from '../../../src/internet/process.js';
import { ProcessProtocol } from '../../../src/internet/process-protocol.js';

const SECOND = 4096; // fits in a pipe's buffer, so the child can write it and exit while we are paused

/**
 * Pauses the transport on the child's first output and tells the child to go on; the child writes
 * more and exits. Its exit is the event that proves the output is waiting in the pipe: nothing may
 * have been delivered by then. Resuming then delivers it all.
 */
class PausingReader extends ProcessProtocol {
  received = 0;
  receivedWhilePaused = 0;
  paused = false;
  readonly ended = new Deferred<Error>();
  override outReceived(data: Buffer): void {
    if (this.paused) this.receivedWhilePaused += data.length;
    this.received += data.length;
    if (this.received === data.length) {
      this.paused = true;
      this.transport!.pauseProducing();
      this.transport!.write('go\n');
    }
  }
  /** What had been delivered when the child exited, while paused. */
  atExit: number | null = null;
  override processExited(): void {
    this.atExit = this.paused ? this.received : null;
    this.paused = false;
    this.transport!.resumeProducing();
  }
  override processEnded(reason: Error): void {
    this.ended.callback(reason);
  }
}

describe('process output flow control', () => {
  it('stops delivering output while paused and delivers all of it after resuming', async () => {
    const proto = new PausingReader();
    spawnProcess(proto, '/bin/sh', ['sh', '-c', `printf first; read go; head -c ${SECOND} /dev/zero`]);
    const reason = await proto.ended;
    assert.ok(reason instanceof ProcessDone, reason.message);
    assert.equal(proto.atExit, 'first'.length, 'only the first output was delivered before resuming');
    assert.equal(proto.receivedWhilePaused, 0);
    assert.equal(proto.received, 'first'.length + SECOND);
  });
});
