import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { StringTransport } from '../../testing/string-transport.js';
import { LineOnlyReceiver } from './line-only-receiver.js';

class Recorder extends LineOnlyReceiver {
  readonly lines: string[] = [];
  override lineReceived(line: Buffer): void {
    this.lines.push(line.toString('latin1'));
    if (line.toString() === 'QUIT') this.transport?.loseConnection();
  }
}

describe('LineOnlyReceiver', () => {
  it('delivers lines and sends them back with the delimiter', () => {
    const p = new Recorder();
    const tr = new StringTransport();
    p.makeConnection(tr);
    p.dataReceived(Buffer.from('a\r\nb'));
    p.dataReceived(Buffer.from('\r\n'));
    p.sendLine('c');
    assert.deepEqual(p.lines, ['a', 'b']);
    assert.equal(tr.value().toString(), 'c\r\n');
  });

  it('stops delivering the chunk after a line that disconnected', () => {
    const p = new Recorder();
    const tr = new StringTransport();
    p.makeConnection(tr);
    p.dataReceived(Buffer.from('a\r\nQUIT\r\nb\r\n'));
    assert.deepEqual(p.lines, ['a', 'QUIT']);
    assert.equal(tr.disconnecting, true);
  });

  it('loses the connection when a line exceeds maxLength', () => {
    class Short extends Recorder {
      override maxLength = 2;
    }
    const p = new Short();
    const tr = new StringTransport();
    p.makeConnection(tr);
    p.dataReceived(Buffer.from('ab\r\nabc'));
    assert.deepEqual(p.lines, ['ab']);
    assert.equal(tr.disconnecting, false);
    p.dataReceived(Buffer.from('d'));
    assert.equal(tr.disconnecting, true);
  });

  it('delivers nothing from later chunks once an over-long line closed the connection', () => {
    class Short extends Recorder {
      override maxLength = 2;
    }
    const p = new Short();
    const tr = new StringTransport();
    p.makeConnection(tr);
    p.dataReceived(Buffer.from('abcdef'));
    assert.equal(tr.disconnecting, true);
    p.dataReceived(Buffer.from('\r\nlater\r\n'));
    assert.deepEqual(p.lines, []);
  });

  it('delivers the same lines for any chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'b', '\r'), maxLength: 8, size: 'max' }), {
          maxLength: 10,
          size: 'max',
        }),
        fc.array(fc.nat(), { maxLength: 20, size: 'max' }),
        (lines, cuts) => {
          const data = Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'latin1');
          const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
          const p = new Recorder();
          p.makeConnection(new StringTransport());
          let prev = 0;
          for (const at of [...points, data.length]) {
            p.dataReceived(data.subarray(prev, at));
            prev = at;
          }
          assert.deepEqual(p.lines, lines);
        },
      ),
      { numRuns: 200 },
    );
  });
});
