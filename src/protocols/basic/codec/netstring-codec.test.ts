import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { NetstringCodec, type NetstringCodecEvent } from './netstring-codec.js';

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

function strings(events: readonly NetstringCodecEvent[]): string[] {
  return events.map((e) => (e.type === 'string' ? e.data.toString('latin1') : `!${e.reason}`));
}

describe('NetstringCodec', () => {
  it('decodes the vectors of the netstring spec whole, byte by byte and with trailing data', () => {
    const wire = Buffer.from('12:hello world!,0:,');
    const expected = ['hello world!', ''];
    assert.deepEqual(strings(new NetstringCodec().receive(wire)), expected);
    const byByte = new NetstringCodec();
    assert.deepEqual(strings([...wire].flatMap((b) => byByte.receive(Buffer.of(b)))), expected);
    const trailing = new NetstringCodec();
    assert.deepEqual(strings(trailing.receive(Buffer.concat([wire, Buffer.from('3:ab')]))), expected);
    assert.equal(trailing.bufferedLength, 2);
  });

  it('encodes as length, colon, payload, comma', () => {
    assert.equal(NetstringCodec.encode('hello').toString(), '5:hello,');
    assert.equal(NetstringCodec.encode(Buffer.alloc(0)).toString(), '0:,');
  });

  for (const [wire, reason] of [
    ['x:abc,', 'badLength'],
    [':abc,', 'badLength'],
    ['01:a,', 'badLength'],
    ['3:abc;', 'missingComma'],
    ['100000:', 'tooLong'],
    ['1000000', 'tooLong'],
  ] as const) {
    it(`reports ${reason} for ${JSON.stringify(wire)} and then ignores everything`, () => {
      const codec = new NetstringCodec();
      assert.deepEqual(strings(codec.receive(Buffer.from(wire))), [`!${reason}`]);
      assert.equal(codec.failed, true);
      assert.deepEqual(codec.receive(Buffer.from('1:a,')), []);
    });
  }

  it('accepts a payload of exactly maxLength and refuses one byte more', () => {
    assert.deepEqual(strings(new NetstringCodec({ maxLength: 3 }).receive(Buffer.from('3:abc,'))), ['abc']);
    assert.deepEqual(strings(new NetstringCodec({ maxLength: 3 }).receive(Buffer.from('4:'))), ['!tooLong']);
  });

  it('any chunking of a valid stream yields the same strings, equal to what was encoded', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 40, size: 'max' }), { maxLength: 10, size: 'max' }),
        fc.array(fc.nat(), { maxLength: 30, size: 'max' }),
        (payloads, cuts) => {
          const wire = Buffer.concat(payloads.map((p) => NetstringCodec.encode(Buffer.from(p))));
          const codec = new NetstringCodec();
          const events = chunked(wire, cuts).flatMap((c) => codec.receive(c));
          assert.deepEqual(
            events.map((e) => (e.type === 'string' ? Buffer.from(e.data) : e)),
            payloads.map((p) => Buffer.from(p)),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('arbitrary bytes never throw, never buffer past maxLength plus framing, and end in at most one parseError', () => {
    fc.assert(
      fc.property(
        fc
          .uint8Array({ maxLength: 200, size: 'max' })
          .map((a) => Buffer.from(a.map((x) => [0x31, 0x32, 0x3a, 0x2c, 0x30, 0x61][x % 6] ?? 0))),
        fc.array(fc.nat(), { maxLength: 30, size: 'max' }),
        (wire, cuts) => {
          const codec = new NetstringCodec({ maxLength: 20 });
          const events: NetstringCodecEvent[] = [];
          for (const c of chunked(wire, cuts)) {
            events.push(...codec.receive(c));
            assert.ok(codec.bufferedLength <= 21);
          }
          const errors = events.filter((e) => e.type === 'parseError');
          assert.ok(errors.length <= 1);
          if (errors.length === 1) assert.equal(events.at(-1)?.type, 'parseError');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects a stream with no colon once the length has too many digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9][0-9]{6,20}$/), (digits) => {
        assert.deepEqual(strings(new NetstringCodec().receive(Buffer.from(digits))), ['!tooLong']);
      }),
      { numRuns: 50 },
    );
  });
});
