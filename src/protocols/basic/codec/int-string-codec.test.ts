import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  IntStringCodec,
  type IntStringCodecEvent,
  type PrefixSize,
  StringTooLongError,
} from './int-string-codec.js';

function chunked(data: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of [...points, data.length]) {
    out.push(data.subarray(prev, p));
    prev = p;
  }
  return out;
}

const prefixArb = fc.constantFrom<PrefixSize>(1, 2, 4);

describe('IntStringCodec', () => {
  it('decodes big-endian prefixes of 1, 2 and 4 bytes', () => {
    assert.deepEqual(new IntStringCodec({ prefixSize: 1 }).receive(Buffer.from([2, 0x61, 0x62])), [
      { type: 'string', data: Buffer.from('ab') },
    ]);
    assert.deepEqual(new IntStringCodec({ prefixSize: 2 }).receive(Buffer.from([0, 1, 0x41, 0])), [
      { type: 'string', data: Buffer.from('A') },
    ]);
    assert.deepEqual(new IntStringCodec({ prefixSize: 4 }).receive(Buffer.from([0, 0, 0, 0])), [
      { type: 'string', data: Buffer.alloc(0) },
    ]);
  });

  it('encodes with the prefix in network byte order', () => {
    assert.deepEqual(
      [...new IntStringCodec({ prefixSize: 2 }).encode(Buffer.alloc(258))].slice(0, 2),
      [1, 2],
    );
  });

  it('refuses to encode more than the prefix can announce', () => {
    assert.throws(() => new IntStringCodec({ prefixSize: 1 }).encode(Buffer.alloc(256)), StringTooLongError);
    assert.equal(new IntStringCodec({ prefixSize: 1 }).encode(Buffer.alloc(255)).length, 256);
  });

  it('accepts exactly maxLength and reports lengthLimitExceeded for one more, then stops', () => {
    const ok = new IntStringCodec({ prefixSize: 2, maxLength: 3 });
    assert.equal(ok.receive(Buffer.from([0, 3, 1, 2, 3]))[0]?.type, 'string');
    const bad = new IntStringCodec({ prefixSize: 2, maxLength: 3 });
    assert.deepEqual(bad.receive(Buffer.from([0, 4])), [{ type: 'lengthLimitExceeded', length: 4 }]);
    assert.deepEqual(bad.receive(Buffer.from([0, 1, 9])), []);
    assert.equal(bad.failed, true);
  });

  it('round-trips any payloads under any chunking', () => {
    fc.assert(
      fc.property(
        prefixArb,
        fc.array(fc.uint8Array({ maxLength: 255, size: 'max' }), { maxLength: 8, size: 'max' }),
        fc.array(fc.nat(), { maxLength: 30, size: 'max' }),
        (prefixSize, payloads, cuts) => {
          const enc = new IntStringCodec({ prefixSize });
          const wire = Buffer.concat(payloads.map((p) => enc.encode(p)));
          const dec = new IntStringCodec({ prefixSize, maxLength: 255 });
          const got = chunked(wire, cuts).flatMap((c) => dec.receive(c));
          assert.deepEqual(
            got.map((e) => (e.type === 'string' ? Buffer.from(e.data) : e)),
            payloads.map((p) => Buffer.from(p)),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('arbitrary bytes never throw, never buffer past maxLength plus the prefix, and stop at the first excess', () => {
    fc.assert(
      fc.property(
        prefixArb,
        fc.uint8Array({ maxLength: 300, size: 'max' }),
        fc.array(fc.nat(), { maxLength: 30, size: 'max' }),
        (p, a, cuts) => {
          const codec = new IntStringCodec({ prefixSize: p, maxLength: 50 });
          const events: IntStringCodecEvent[] = [];
          for (const c of chunked(Buffer.from(a), cuts)) {
            events.push(...codec.receive(c));
            assert.ok(codec.bufferedLength <= 50 + p);
          }
          const i = events.findIndex((e) => e.type === 'lengthLimitExceeded');
          assert.ok(i === -1 || i === events.length - 1);
        },
      ),
      { numRuns: 300 },
    );
  });
});
