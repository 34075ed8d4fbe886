import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ProcessDone } from '../../../src/internet/error.js';
import { spawnProcess } from '../../../src/internet/process.js';
import { ProcessProtocol } from '../../../src/internet/process-protocol.js';

const CHILD = fileURLToPath(new URL('./fixtures/line-echo.ts', import.meta.url));

class Driver extends ProcessProtocol {
  out = '';
  err = '';
  readonly ended: Promise<Error>;
  #resolve!: (e: Error) => void;
  constructor() {
    super();
    this.ended = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }
  override outReceived(data: Buffer): void {
    this.out += data.toString();
  }
  override errReceived(data: Buffer): void {
    this.err += data.toString();
  }
  override processEnded(reason: Error): void {
    this.#resolve(reason);
  }
}

describe('StandardIO in a child process', () => {
  it('echoes stdin lines through StandardIO, half-closes at EOF and exits cleanly', async () => {
    const driver = new Driver();
    const proc = spawnProcess(driver, process.execPath, ['node', '--import', 'tsx', CHILD]);
    proc.write('hello\nwor');
    proc.writeSequence(['ld\n', 'third line\n']);
    proc.closeStdin();
    const reason = await driver.ended;
    assert.equal(driver.err, 'lost: ConnectionDone\n');
    assert.ok(reason instanceof ProcessDone, reason.message);
    assert.equal(driver.out, 'HELLO\nWORLD\nTHIRD LINE\nbye\n');
  });
});
