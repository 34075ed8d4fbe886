import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { StringTransport } from '../../testing/string-transport.js';
import {
  Int8StringReceiver,
  Int16StringReceiver,
  Int32StringReceiver,
  type IntNStringReceiver,
} from './int-string-receiver.js';

function recorder<T extends new (...args: any[]) => IntNStringReceiver>(Base: T) {
  return class extends Base {
    readonly strings: Buffer[] = [];
    readonly exceeded: number[] = [];
    override stringReceived(data: Buffer): void {
      this.strings.push(Buffer.from(data));
    }
    override lengthLimitExceeded(length: number): void {
      this.exceeded.push(length);
      super.lengthLimitExceeded(length);
    }
  };
}

describe('IntNStringReceiver family', () => {
  for (const [Base, size] of [
    [Int8StringReceiver, 1],
    [Int16StringReceiver, 2],
    [Int32StringReceiver, 4],
  ] as const) {
    it(`${Base.name} sends a ${size}-byte prefix and receives what it sent, however chunked`, () => {
      const R = recorder(Base);
      fc.assert(
        fc.property(
          fc.array(fc.uint8Array({ maxLength: 255, size: 'max' }), { maxLength: 6, size: 'max' }),
          fc.array(fc.nat(), { maxLength: 10, size: 'max' }),
          (payloads, cuts) => {
            const sender = new R();
            const tr = new StringTransport();
            sender.makeConnection(tr);
            for (const p of payloads) sender.sendString(p);
            const wire = tr.value();
            assert.equal(
              wire.length,
              payloads.reduce((n, p) => n + p.length + size, 0),
            );
            const receiver = new R();
            receiver.makeConnection(new StringTransport());
            const points = [...new Set(cuts.map((c) => c % (wire.length + 1)))].sort((a, b) => a - b);
            let prev = 0;
            for (const at of [...points, wire.length]) {
              receiver.dataReceived(wire.subarray(prev, at));
              prev = at;
            }
            assert.deepEqual(
              receiver.strings,
              payloads.map((p) => Buffer.from(p)),
            );
          },
        ),
        { numRuns: 60 },
      );
    });
  }

  it('calls lengthLimitExceeded and loses the connection when the prefix exceeds maxLength', () => {
    class Small extends recorder(Int16StringReceiver) {
      override maxLength = 10;
    }
    const p = new Small();
    const tr = new StringTransport();
    p.makeConnection(tr);
    p.dataReceived(Buffer.from([0, 10, ...Buffer.alloc(10), 0, 11]));
    assert.equal(p.strings.length, 1);
    assert.deepEqual(p.exceeded, [11]);
    assert.equal(tr.disconnecting, true);
  });
});
