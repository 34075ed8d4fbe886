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
});
