import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LineCodec, type LineCodecEvent } from './line-codec.js';

/** Feeds `chunks` one by one and collects every event. */
function run(codec: LineCodec, chunks: readonly Uint8Array[]): LineCodecEvent[] {
  return chunks.flatMap((c) => codec.receive(c));
}

/** A comparable summary: lines as strings, too-long lines as a marker. */
function summary(events: readonly LineCodecEvent[]): string[] {
  return events.map((e) => (e.type === 'line' ? `L:${e.line.toString('latin1')}` : 'TOO_LONG'));
}

/** The naive reference: split the whole stream at once. */
function reference(stream: Buffer, delimiter: Buffer, maxLength: number): string[] {
  const out: string[] = [];
  let pos = 0;
  for (;;) {
    const idx = stream.indexOf(delimiter, pos);
    if (idx < 0) break;
    const line = stream.subarray(pos, idx);
    out.push(line.length > maxLength ? 'TOO_LONG' : `L:${line.toString('latin1')}`);
    pos = idx + delimiter.length;
  }
  if (stream.length - pos > maxLength + delimiter.length - 1) out.push('TOO_LONG');
  return out;
}

/** Cuts `data` at the given (sorted, deduplicated) offsets. */
function cut(data: Buffer, offsets: readonly number[]): Buffer[] {
  const points = [...new Set(offsets.map((o) => o % (data.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of [...points, data.length]) {
    out.push(data.subarray(prev, p));
    prev = p;
  }
  return out;
}

function bytesOf(...parts: string[]): Buffer[] {
  return parts.map((p) => Buffer.from(p, 'latin1'));
}

describe('LineCodec', () => {
  it('splits lines on CRLF and drops the delimiter', () => {
    const events = new LineCodec().receive(Buffer.from('one\r\ntwo\r\n\r\nrest'));
    assert.deepEqual(summary(events), ['L:one', 'L:two', 'L:']);
  });

  it('gives the same lines whole, byte by byte and with trailing data', () => {
    const stream = Buffer.from('HELO a\r\nMAIL FROM:<x>\r\nDATA\r\n');
    const whole = summary(new LineCodec().receive(stream));
    const bytes = summary(
      run(
        new LineCodec(),
        [...stream].map((b) => Buffer.of(b)),
      ),
    );
    const trailing = new LineCodec();
    const withTrail = summary(trailing.receive(Buffer.concat([stream, Buffer.from('QU')])));
    assert.deepEqual(whole, ['L:HELO a', 'L:MAIL FROM:<x>', 'L:DATA']);
    assert.deepEqual(bytes, whole);
    assert.deepEqual(withTrail, whole);
    assert.equal(trailing.bufferedLength, 2);
  });

  it('finds a delimiter split across two chunks', () => {
    const events = run(new LineCodec(), bytesOf('abc\r', '\ndef\r', '\n'));
    assert.deepEqual(summary(events), ['L:abc', 'L:def']);
  });

  it('finds a three-byte delimiter split over three one-byte chunks after a long partial line', () => {
    const events = run(new LineCodec({ delimiter: 'XYZ' }), bytesOf('hello', 'X', 'Y', 'Z', 'w', 'XY', 'Z'));
    assert.deepEqual(summary(events), ['L:hello', 'L:w']);
  });

  it('uses a single-byte delimiter when asked', () => {
    assert.deepEqual(summary(new LineCodec({ delimiter: '\n' }).receive(Buffer.from('a\r\nb\n'))), [
      'L:a\r',
      'L:b',
    ]);
  });

  it('returns a subarray of the chunk, without copying, for a line inside one chunk', () => {
    const chunk = Buffer.from('abc\r\n');
    const [ev] = new LineCodec().receive(chunk);
    assert.ok(ev?.type === 'line');
    assert.equal(ev.line.buffer, chunk.buffer);
  });

  it('accepts a line of exactly maxLength and rejects one byte more', () => {
    const codec = new LineCodec({ maxLength: 3 });
    assert.deepEqual(summary(codec.receive(Buffer.from('abc\r\nabcd\r\nok\r\n'))), [
      'L:abc',
      'TOO_LONG',
      'L:ok',
    ]);
  });

  it('keeps a partial line of maxLength plus a delimiter prefix buffered, as it may still be valid', () => {
    const codec = new LineCodec({ maxLength: 3 });
    assert.deepEqual(codec.receive(Buffer.from('abc\r')), []);
    assert.deepEqual(summary(codec.receive(Buffer.from('\n'))), ['L:abc']);
  });

  it('reports an over-long partial line once with what was buffered, then skips to the next delimiter', () => {
    const codec = new LineCodec({ maxLength: 4 });
    const events = run(codec, bytesOf('abc', 'defg', 'hij', 'kl\r', '\nnext\r\n'));
    assert.equal(events.length, 2);
    assert.ok(events[0]?.type === 'lineTooLong');
    assert.equal(events[0].data.toString(), 'abcdefg');
    assert.deepEqual(summary(events.slice(1)), ['L:next']);
  });

  it('takeBuffered returns every unsplit byte in order and empties the codec', () => {
    const codec = new LineCodec();
    codec.feed(Buffer.from('a\r\nbc'));
    codec.feed(Buffer.from('de'));
    assert.deepEqual(summary([codec.next() as LineCodecEvent]), ['L:a']);
    assert.equal(codec.takeBuffered().toString(), 'bcde');
    assert.equal(codec.bufferedLength, 0);
    assert.equal(codec.next(), null);
  });

  it('unshift puts bytes back in front of what is queued', () => {
    const codec = new LineCodec();
    codec.feed(Buffer.from('x\r\nlater\r\n'));
    codec.next();
    codec.unshift(Buffer.from('first\r\n'));
    assert.deepEqual(summary(run(codec, [])), []);
    const out: LineCodecEvent[] = [];
    for (let ev = codec.next(); ev !== null; ev = codec.next()) out.push(ev);
    assert.deepEqual(summary(out), ['L:first', 'L:later']);
  });

  it('refuses an empty delimiter', () => {
    assert.throws(() => new LineCodec({ delimiter: '' }), RangeError);
  });

  describe('properties', () => {
    const delimiterArb = fc.constantFrom('\r\n', '\n', 'ab', 'aab', '\0\0\0');

    it('any chunking of a valid stream yields the same lines', () => {
      fc.assert(
        fc.property(
          fc.array(fc.string({ unit: fc.constantFrom('x', 'y', ' ', 'é'), maxLength: 30, size: 'max' }), {
            maxLength: 20,
            size: 'max',
          }),
          delimiterArb,
          fc.array(fc.nat(), { maxLength: 40, size: 'max' }),
          (lines, delim, offsets) => {
            const stream = Buffer.from(lines.map((l) => l + delim).join(''), 'utf8');
            const events = run(new LineCodec({ delimiter: delim, maxLength: 200 }), cut(stream, offsets));
            assert.deepEqual(
              events.map((e) => (e.type === 'line' ? e.line.toString('utf8') : '!')),
              lines,
            );
          },
        ),
        { numRuns: 300 },
      );
    });

    it('arbitrary bytes never throw, never buffer past the limit, and match the whole-stream reference', () => {
      fc.assert(
        fc.property(
          fc
            .uint8Array({ maxLength: 300, size: 'max' })
            .map((a) => Buffer.from(a.map((x) => [0x61, 0x62, 0x0d, 0x0a, 0][x % 5] ?? 0))),
          delimiterArb,
          fc.integer({ min: 0, max: 20 }),
          fc.array(fc.nat(), { maxLength: 60, size: 'max' }),
          (stream, delim, maxLength, offsets) => {
            const codec = new LineCodec({ delimiter: delim, maxLength });
            const events: LineCodecEvent[] = [];
            for (const chunk of cut(stream, offsets)) {
              events.push(...codec.receive(chunk));
              assert.ok(codec.bufferedLength <= maxLength + codec.delimiter.length - 1);
            }
            assert.deepEqual(summary(events), reference(stream, codec.delimiter, maxLength));
          },
        ),
        { numRuns: 400 },
      );
    });

    it('random input without delimiters ends in lineTooLong once past maxLength', () => {
      fc.assert(
        fc.property(
          fc.uint8Array({ minLength: 40, maxLength: 200, size: 'max' }),
          fc.array(fc.nat(), { maxLength: 20, size: 'max' }),
          (a, o) => {
            const stream = Buffer.from(a.map((x) => (x === 0x0a ? 0x0b : x)));
            const events = run(new LineCodec({ delimiter: '\n', maxLength: 32 }), cut(stream, o));
            assert.deepEqual(
              events.map((e) => e.type),
              ['lineTooLong'],
            );
          },
        ),
        { numRuns: 100 },
      );
    });

    it('round-trips: lines joined with the delimiter come back identical', () => {
      fc.assert(
        fc.property(
          fc.array(fc.uint8Array({ maxLength: 50, size: 'max' }), { maxLength: 20, size: 'max' }),
          (raw) => {
            const lines = raw.map((l) => Buffer.from(l.filter((b) => b !== 0x0a)));
            const stream = Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')]));
            const out = new LineCodec({ delimiter: '\n' }).receive(stream);
            assert.deepEqual(
              out.map((e) => (e.type === 'line' ? e.line : null)),
              lines,
            );
          },
        ),
        { numRuns: 200 },
      );
    });
  });

  describe('complexity', () => {
    it('rejects a 10 MB line fed one byte at a time with linear work', () => {
      const n = 10 * 1024 * 1024;
      const oneByte = Buffer.from('x');
      const codec = new LineCodec();
      let tooLong = 0;
      for (let i = 0; i < n; i++) {
        codec.feed(oneByte);
        for (let ev = codec.next(); ev !== null; ev = codec.next()) if (ev.type === 'lineTooLong') tooLong++;
      }
      assert.equal(tooLong, 1);
      assert.ok(codec.scannedBytes <= 3 * n, `scanned ${codec.scannedBytes} bytes for ${n}`);
      assert.equal(codec.bufferedLength, 0);
      assert.deepEqual(summary(codec.receive(Buffer.from('\r\nafter\r\n'))), ['L:after']);
    });

    it('splits 1,000,000 short lines in one chunk in a single pass', () => {
      const stream = Buffer.from('0123456\r\n'.repeat(1_000_000));
      const codec = new LineCodec();
      let count = 0;
      codec.feed(stream);
      for (let ev = codec.next(); ev !== null; ev = codec.next()) count++;
      assert.equal(count, 1_000_000);
      assert.equal(codec.scannedBytes, stream.length);
    });
  });
});
