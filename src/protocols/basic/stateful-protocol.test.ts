import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { StringTransport } from '../../testing/string-transport.js';
import { StatefulProtocol, type StateTransition } from './stateful-protocol.js';

/** 2-byte big-endian length, then that many bytes. */
class Records extends StatefulProtocol {
  readonly records: string[] = [];
  override getInitialState(): StateTransition {
    return [this.header, 2];
  }
  header(data: Buffer): StateTransition {
    const n = data.readUInt16BE(0);
    if (n === 0) {
      this.records.push('');
      return [this.header, 2];
    }
    return [this.body, n];
  }
  body(data: Buffer): StateTransition {
    this.records.push(data.toString('latin1'));
    return [this.header, 2];
  }
}

describe('StatefulProtocol', () => {
  it('hands each state exactly the bytes it asked for, with this bound to the protocol', () => {
    const p = new Records();
    p.makeConnection(new StringTransport());
    p.dataReceived(Buffer.from([0, 3, 0x61, 0x62]));
    p.dataReceived(Buffer.from([0x63, 0, 0, 0, 1, 0x7a]));
    assert.deepEqual(p.records, ['abc', '', 'z']);
  });

  it('stays in the current state when a handler returns nothing', () => {
    class Fixed extends StatefulProtocol {
      readonly got: string[] = [];
      override getInitialState(): StateTransition {
        return [(d) => void this.got.push(d.toString()), 2];
      }
    }
    const p = new Fixed();
    p.makeConnection(new StringTransport());
    p.dataReceived(Buffer.from('abcde'));
    assert.deepEqual(p.got, ['ab', 'cd']);
  });

  it('yields the same records for any chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 20, size: 'max' }), { maxLength: 8, size: 'max' }),
        fc.array(fc.nat(), { maxLength: 20, size: 'max' }),
        (records, cuts) => {
          const wire = Buffer.concat(
            records.map((r) => {
              const body = Buffer.from(r, 'latin1');
              const h = Buffer.alloc(2);
              h.writeUInt16BE(body.length);
              return Buffer.concat([h, body]);
            }),
          );
          const points = [...new Set(cuts.map((c) => c % (wire.length + 1)))].sort((a, b) => a - b);
          const p = new Records();
          p.makeConnection(new StringTransport());
          let prev = 0;
          for (const at of [...points, wire.length]) {
            p.dataReceived(wire.subarray(prev, at));
            prev = at;
          }
          assert.deepEqual(
            p.records,
            records.map((r) => Buffer.from(r, 'latin1').toString('latin1')),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses a state asking for more than maxLength: lengthLimitExceeded, the connection lost, nothing more delivered', () => {
    class Small extends Records {
      override maxLength = 4;
      readonly exceeded: number[] = [];
      override lengthLimitExceeded(size: number): void {
        this.exceeded.push(size);
        super.lengthLimitExceeded(size);
      }
    }
    const p = new Small();
    const transport = new StringTransport();
    p.makeConnection(transport);
    // A 4-byte record is at the limit and arrives; the 5-byte one that follows is refused.
    p.dataReceived(Buffer.from([0, 4, 0x61, 0x62, 0x63, 0x64, 0, 5, 0x65]));
    assert.deepEqual(p.records, ['abcd']);
    assert.deepEqual(p.exceeded, [5]);
    assert.equal(transport.disconnecting, true);
    p.dataReceived(Buffer.from([0x66, 0x67, 0x68, 0x69, 0, 1, 0x7a]));
    assert.deepEqual(p.records, ['abcd']);
    assert.deepEqual(p.exceeded, [5]);
  });

  it('refuses an initial state over the limit at the first data, and keeps refusing when the override does not close', () => {
    class Greedy extends StatefulProtocol {
      override maxLength = 8;
      readonly got: Buffer[] = [];
      exceeded = 0;
      override getInitialState(): StateTransition {
        return [(d) => void this.got.push(d), 9];
      }
      override lengthLimitExceeded(): void {
        this.exceeded++;
      }
    }
    const p = new Greedy();
    const transport = new StringTransport();
    p.makeConnection(transport);
    for (let i = 0; i < 3; i++) p.dataReceived(Buffer.alloc(9));
    assert.equal(p.exceeded, 1);
    assert.deepEqual(p.got, []);
    assert.equal(transport.disconnecting, false);
  });

  it('takes a 16 MiB piece by default and refuses one byte more', () => {
    const MiB16 = 16 * 1024 * 1024;
    class Sized extends StatefulProtocol {
      constructor(readonly size: number) {
        super();
      }
      readonly got: number[] = [];
      override getInitialState(): StateTransition {
        return [(d) => void this.got.push(d.length), this.size];
      }
    }
    const fits = new Sized(MiB16);
    fits.makeConnection(new StringTransport());
    fits.dataReceived(Buffer.alloc(MiB16));
    assert.deepEqual(fits.got, [MiB16]);
    const over = new Sized(MiB16 + 1);
    const transport = new StringTransport();
    over.makeConnection(transport);
    over.dataReceived(Buffer.alloc(1));
    assert.equal(transport.disconnecting, true);
  });
});
