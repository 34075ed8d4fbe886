import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ByteCountCodec } from './stateful-codec.js';

describe('ByteCountCodec', () => {
  it('returns pieces of the expected sizes across chunk boundaries', () => {
    const codec = new ByteCountCodec();
    codec.expect(3);
    codec.feed(Buffer.from('ab'));
    assert.equal(codec.next(), null);
    codec.feed(Buffer.from('cdef'));
    assert.equal(codec.next()?.toString(), 'abc');
    codec.expect(2);
    assert.equal(codec.next()?.toString(), 'de');
    assert.equal(codec.next(), null);
    assert.equal(codec.takeBuffered().toString(), 'f');
  });

  it('refuses a negative or fractional size', () => {
    assert.throws(() => new ByteCountCodec().expect(-1), RangeError);
    assert.throws(() => new ByteCountCodec().expect(1.5), RangeError);
  });

  it('never holds a whole piece it could hand out, whatever the bytes and the sizes asked', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300, size: 'max' }),
        fc.array(fc.nat({ max: 40 }), { minLength: 1, maxLength: 30, size: 'max' }),
        fc.array(fc.nat(), { maxLength: 30, size: 'max' }),
        (bytes, sizes, cuts) => {
          const data = Buffer.from(bytes);
          const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
          const codec = new ByteCountCodec();
          let s = 0;
          let want = sizes[0] as number;
          codec.expect(want);
          let taken = 0;
          let prev = 0;
          for (const at of [...points, data.length]) {
            codec.feed(data.subarray(prev, at));
            prev = at;
            for (let piece = codec.next(); piece !== null; piece = codec.next()) {
              assert.equal(piece.length, want);
              taken += piece.length;
              s = (s + 1) % sizes.length;
              want = sizes[s] as number;
              codec.expect(want);
              if (want === 0) break; // a 0-byte piece is always ready: the caller decides when to stop
            }
            // Buffered: at most the piece still incomplete (plus what a 0-byte stop left).
            if (want > 0) assert.ok(codec.bufferedLength < want);
          }
          assert.equal(taken + codec.bufferedLength, data.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('cuts any chunking of a stream into the same pieces', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 10, size: 'max' }),
        fc.array(fc.nat(), { maxLength: 20, size: 'max' }),
        (sizes, cuts) => {
          const total = sizes.reduce((a, b) => a + b, 0);
          const data = Buffer.from(Array.from({ length: total }, (_, i) => i & 0xff));
          const points = [...new Set(cuts.map((c) => c % (total + 1)))].sort((a, b) => a - b);
          const codec = new ByteCountCodec();
          const pieces: Buffer[] = [];
          let s = 0;
          codec.expect(sizes[0] ?? 0);
          let prev = 0;
          for (const at of [...points, total]) {
            codec.feed(data.subarray(prev, at));
            prev = at;
            for (let piece = codec.next(); piece !== null && s < sizes.length; piece = codec.next()) {
              pieces.push(piece);
              s++;
              if (s < sizes.length) codec.expect(sizes[s] as number);
              else break;
            }
          }
          assert.deepEqual(Buffer.concat(pieces), data);
          assert.deepEqual(
            pieces.map((p) => p.length),
            sizes,
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
