import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { StringTransport } from '../../testing/string-transport.js';
import { LineReceiver } from './line-receiver.js';

/** Records everything it receives, as strings. */
class Recorder extends LineReceiver {
  readonly events: string[] = [];
  override lineReceived(line: Buffer): void {
    this.events.push(`L:${line.toString('latin1')}`);
  }
  override rawDataReceived(data: Buffer): void {
    this.events.push(`R:${data.toString('latin1')}`);
  }
}

function connect<P extends LineReceiver>(proto: P): StringTransport {
  const tr = new StringTransport();
  proto.makeConnection(tr);
  return tr;
}

/** `LEN n` switches to raw mode for n bytes, then back to line mode with what follows. */
class Framed extends LineReceiver {
  readonly events: string[] = [];
  #left = 0;
  #body: Buffer[] = [];
  override lineReceived(line: Buffer): void {
    const text = line.toString('latin1');
    if (text.startsWith('LEN ')) {
      this.#left = Number(text.slice(4));
      this.#body = [];
      if (this.#left > 0) this.setRawMode();
      else this.events.push('B:');
    } else this.events.push(`L:${text}`);
  }
  override rawDataReceived(data: Buffer): void {
    const mine = data.subarray(0, this.#left);
    this.#body.push(mine);
    this.#left -= mine.length;
    if (this.#left === 0) {
      this.events.push(`B:${Buffer.concat(this.#body).toString('latin1')}`);
      this.setLineMode(data.subarray(mine.length));
    }
  }
}

describe('LineReceiver', () => {
  it('calls lineReceived once per CRLF-terminated line and buffers the partial one', () => {
    const p = new Recorder();
    connect(p);
    p.dataReceived(Buffer.from('a\r\nbb\r\nc'));
    p.dataReceived(Buffer.from('c\r\n'));
    assert.deepEqual(p.events, ['L:a', 'L:bb', 'L:cc']);
  });

  it('sendLine writes the line followed by the delimiter', () => {
    const p = new Recorder();
    const tr = connect(p);
    p.sendLine('hello');
    p.sendLine(Buffer.from('world'));
    assert.equal(tr.value().toString(), 'hello\r\nworld\r\n');
  });

  it('uses a delimiter overridden as a class field for both directions', () => {
    class Lf extends Recorder {
      override delimiter = '\n';
    }
    const p = new Lf();
    const tr = connect(p);
    p.dataReceived(Buffer.from('x\r\ny\n'));
    p.sendLine('z');
    assert.deepEqual(p.events, ['L:x\r', 'L:y']);
    assert.equal(tr.value().toString(), 'z\n');
  });

  it('gives the rest of the chunk to rawDataReceived after setRawMode inside lineReceived', () => {
    class Switch extends Recorder {
      override lineReceived(line: Buffer): void {
        super.lineReceived(line);
        this.setRawMode();
      }
    }
    const p = new Switch();
    connect(p);
    p.dataReceived(Buffer.from('HEAD\r\nbody\r\nmore'));
    p.dataReceived(Buffer.from('tail'));
    assert.deepEqual(p.events, ['L:HEAD', 'R:body\r\nmore', 'R:tail']);
    assert.equal(p.mode, 'raw');
  });

  it('parses the extra bytes given to setLineMode as lines before later data', () => {
    const p = new Framed();
    connect(p);
    p.dataReceived(Buffer.from('LEN 3\r\nab'));
    p.dataReceived(Buffer.from('cnext\r\nLEN 2\r\nxyafter\r\n'));
    assert.deepEqual(p.events, ['B:abc', 'L:next', 'B:xy', 'L:after']);
    assert.equal(p.mode, 'line');
  });

  it('delivers the same events for a framed stream however it is chunked', () => {
    const segment = fc.oneof(
      fc
        .string({ unit: fc.constantFrom('a', 'b', ' '), maxLength: 10, size: 'max' })
        .map((s) => ({ kind: 'line', s })),
      fc
        .string({ unit: fc.constantFrom('a', '\r', '\n', 'L'), maxLength: 12, size: 'max' })
        .map((s) => ({ kind: 'body', s })),
    );
    fc.assert(
      fc.property(
        fc.array(segment, { maxLength: 12, size: 'max' }),
        fc.array(fc.nat(), { maxLength: 30, size: 'max' }),
        (segments, cuts) => {
          const wire = segments
            .map((x) => (x.kind === 'line' ? `${x.s}\r\n` : `LEN ${x.s.length}\r\n${x.s}`))
            .join('');
          const expected = segments.map((x) => (x.kind === 'line' ? `L:${x.s}` : `B:${x.s}`));
          const data = Buffer.from(wire, 'latin1');
          const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
          const p = new Framed();
          connect(p);
          let prev = 0;
          for (const at of [...points, data.length]) {
            p.dataReceived(data.subarray(prev, at));
            prev = at;
          }
          assert.deepEqual(p.events, expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('survives arbitrary bytes: lines within maxLength only, and a too-long line closes the connection', () => {
    class Short extends Recorder {
      override maxLength = 16;
    }
    fc.assert(
      fc.property(
        fc
          .uint8Array({ maxLength: 200, size: 'max' })
          .map((a) => Buffer.from(a.map((x) => [0x61, 0x0d, 0x0a, 0x62][x % 4] ?? 0))),
        fc.array(fc.nat(), { maxLength: 20, size: 'max' }),
        (data, cuts) => {
          const p = new Short();
          const tr = connect(p);
          const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
          let prev = 0;
          for (const at of [...points, data.length]) {
            p.dataReceived(data.subarray(prev, at));
            prev = at;
          }
          assert.ok(p.events.every((e) => e.length - 2 <= 16));
          const segments = data.toString('latin1').split('\r\n');
          const tooLong =
            segments.slice(0, -1).some((l) => l.length > 16) || (segments.at(-1)?.length ?? 0) > 17;
          assert.equal(tr.disconnecting, tooLong);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('round-trips: what sendLine writes, another LineReceiver receives line for line', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', '\r', '\n', 'z'), maxLength: 20, size: 'max' }), {
          maxLength: 10,
          size: 'max',
        }),
        (raw) => {
          const lines = raw.filter((l) => !l.includes('\r\n') && !l.endsWith('\r'));
          const sender = new Recorder();
          const tr = connect(sender);
          for (const l of lines) sender.sendLine(l);
          const receiver = new Recorder();
          connect(receiver);
          receiver.dataReceived(tr.value());
          assert.deepEqual(
            receiver.events,
            lines.map((l) => `L:${l}`),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('clearLineBuffer returns the unparsed rest of the chunk and drops it', () => {
    class Clear extends Recorder {
      rest = '';
      override lineReceived(line: Buffer): void {
        super.lineReceived(line);
        this.rest = this.clearLineBuffer().toString();
      }
    }
    const p = new Clear();
    connect(p);
    p.dataReceived(Buffer.from('one\r\ntwo\r\nthr'));
    assert.deepEqual(p.events, ['L:one']);
    assert.equal(p.rest, 'two\r\nthr');
    p.dataReceived(Buffer.from('four\r\n'));
    assert.deepEqual(p.events, ['L:one', 'L:four']);
  });

  it('loses the connection on a line longer than maxLength and delivers nothing after it', () => {
    class Short extends Recorder {
      override maxLength = 4;
    }
    const p = new Short();
    const tr = connect(p);
    p.dataReceived(Buffer.from('abcd\r\nabcde\r\nlater\r\n'));
    assert.deepEqual(p.events, ['L:abcd']);
    assert.equal(tr.disconnecting, true);
  });

  it('passes the over-long line to an overriding lineLengthExceeded and goes on with the next line', () => {
    class Lenient extends Recorder {
      override maxLength = 4;
      override lineLengthExceeded(line: Buffer): void {
        this.events.push(`X:${line.length}`);
      }
    }
    const p = new Lenient();
    connect(p);
    p.dataReceived(Buffer.from('abcdefgh'));
    p.dataReceived(Buffer.from('ij\r\nok\r\n'));
    assert.deepEqual(p.events, ['X:8', 'L:ok']);
  });

  it('ignores the rest of the chunk once a handler loses the connection', () => {
    class Quit extends Recorder {
      override lineReceived(line: Buffer): void {
        super.lineReceived(line);
        if (line.toString() === 'QUIT') this.transport?.loseConnection();
      }
    }
    const p = new Quit();
    connect(p);
    p.dataReceived(Buffer.from('a\r\nQUIT\r\nb\r\n'));
    assert.deepEqual(p.events, ['L:a', 'L:QUIT']);
  });

  it('delivers no line while paused and the buffered ones in order on resume', () => {
    class Pauser extends Recorder {
      override lineReceived(line: Buffer): void {
        super.lineReceived(line);
        if (line.toString() === 'stop') this.pauseProducing();
      }
    }
    const p = new Pauser();
    const tr = connect(p);
    p.dataReceived(Buffer.from('a\r\nstop\r\nb\r\n'));
    p.dataReceived(Buffer.from('c\r\n'));
    assert.deepEqual(p.events, ['L:a', 'L:stop']);
    assert.equal(tr.producerState, 'paused');
    assert.equal(p.paused, true);
    p.resumeProducing();
    assert.deepEqual(p.events, ['L:a', 'L:stop', 'L:b', 'L:c']);
    assert.equal(tr.producerState, 'producing');
  });

  it('keeps raw data received while paused and delivers it on resume', () => {
    const p = new Recorder();
    connect(p);
    p.setRawMode();
    p.pauseProducing();
    p.dataReceived(Buffer.from('x'));
    p.dataReceived(Buffer.from('y'));
    assert.deepEqual(p.events, []);
    p.resumeProducing();
    assert.deepEqual(p.events, ['R:xy']);
  });

  it('applies a maxLength changed between chunks', () => {
    const p = new Recorder();
    const tr = connect(p);
    p.dataReceived(Buffer.from('abcdef\r\nab'));
    p.maxLength = 3;
    p.dataReceived(Buffer.from('cd\r\n'));
    assert.deepEqual(p.events, ['L:abcdef']);
    assert.equal(tr.disconnecting, true);
  });
});
