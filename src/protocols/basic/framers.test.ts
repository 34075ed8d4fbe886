// The same three properties, checked on every framer adapter of twisted-ts/protocols/basic:
// 1. round trip: what the framer sends, another instance receives message for message, however
//    the bytes are chunked;
// 2. hostile input: random bytes never throw, give the same events whole and however chunked,
//    never deliver a message over the limit, and a broken stream ends in the framer's documented
//    error hook, once, with the connection closing and nothing delivered after it;
// 3. bounded buffering is checked on the codecs themselves (codec/*.test.ts), which own the buffer.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Protocol } from '../../internet/protocol.js';
import { StringTransport } from '../../testing/string-transport.js';
import type { NetstringParseErrorEvent } from './codec/netstring-codec.js';
import {
  Int8StringReceiver,
  Int16StringReceiver,
  Int32StringReceiver,
  type IntNStringReceiver,
} from './int-string-receiver.js';
import { LineOnlyReceiver } from './line-only-receiver.js';
import { LineReceiver } from './line-receiver.js';
import { NetstringReceiver } from './netstring-receiver.js';
import { StatefulProtocol, type StateTransition } from './stateful-protocol.js';

const LIMIT = 24;
const ERROR = 'ERROR';

/** A framer under test: a receiver that records events as strings, and a way to send messages. */
interface Recording {
  readonly proto: Protocol;
  readonly events: string[];
}
interface Framer {
  readonly name: string;
  /** A receiver with `maxLength` LIMIT, recording `M:<hex>` per message and ERROR per failure. */
  make(): Recording;
  /** The bytes a sender writes for `messages`. */
  encode(messages: readonly Buffer[]): Buffer;
  /** Valid messages (within the limit, without a delimiter). */
  readonly message: fc.Arbitrary<Buffer>;
  /** Bytes likely to form frames, broken ones and over-long ones. */
  readonly noise: fc.Arbitrary<Buffer>;
  /** False for a framer without a limit and without an error path (StatefulProtocol). */
  readonly hasErrorPath: boolean;
}

const hex = (b: Buffer): string => `M:${b.toString('hex')}`;

function sent(proto: Protocol, send: () => void): Buffer {
  const tr = new StringTransport();
  proto.makeConnection(tr);
  send();
  return tr.value();
}

/** `make` and `encode` of a framer whose receiver, made by `create`, records into `events`. */
function recorded<P extends Protocol & { readonly events: string[] }>(
  create: () => P,
  send: (proto: P, message: Buffer) => void,
): Pick<Framer, 'make' | 'encode'> {
  return {
    make: () => {
      const proto = create();
      return { proto, events: proto.events };
    },
    encode: (messages) => {
      const p = create();
      return sent(p, () => {
        for (const m of messages) send(p, m);
      });
    },
  };
}

function bytesFrom(alphabet: readonly number[], maxLength = 120): fc.Arbitrary<Buffer> {
  return fc.array(fc.constantFrom(...alphabet), { maxLength, size: 'max' }).map((a) => Buffer.from(a));
}

function lineFramer(name: string, Base: typeof LineReceiver | typeof LineOnlyReceiver): Framer {
  // Both bases have the members used here; the class really extends `Base` at run time.
  class Recorder extends (Base as typeof LineReceiver) {
    override maxLength = LIMIT;
    readonly events: string[] = [];
    override lineReceived(line: Buffer): void {
      this.events.push(hex(line));
    }
    override lineLengthExceeded(line: Buffer): void {
      this.events.push(ERROR);
      super.lineLengthExceeded(line);
    }
  }
  return {
    name,
    ...recorded(
      () => new Recorder(),
      (p, m) => p.sendLine(m),
    ),
    // Any bytes but the delimiter (a trailing CR is fine: "a\r" + "\r\n" is the line "a\r").
    message: bytesFrom([0x61, 0x0d, 0x0a, 0x00, 0xff], LIMIT).filter((b) => !b.includes('\r\n')),
    noise: bytesFrom([0x61, 0x62, 0x0d, 0x0a]),
    hasErrorPath: true,
  };
}

function netstringFramer(): Framer {
  class Recorder extends NetstringReceiver {
    override maxLength = LIMIT;
    readonly events: string[] = [];
    override stringReceived(data: Buffer): void {
      this.events.push(hex(data));
    }
    override parseError(_event: NetstringParseErrorEvent): void {
      this.events.push(ERROR);
    }
  }
  return {
    name: 'NetstringReceiver',
    ...recorded(
      () => new Recorder(),
      (p, m) => p.sendString(m),
    ),
    message: fc.uint8Array({ maxLength: LIMIT, size: 'max' }).map((a) => Buffer.from(a)),
    noise: bytesFrom([0x30, 0x31, 0x32, 0x33, 0x3a, 0x2c, 0x61]),
    hasErrorPath: true,
  };
}

function intFramer(
  Base: typeof Int8StringReceiver | typeof Int16StringReceiver | typeof Int32StringReceiver,
): Framer {
  class Recorder extends (Base as typeof IntNStringReceiver) {
    override maxLength = LIMIT;
    readonly events: string[] = [];
    override stringReceived(data: Buffer): void {
      this.events.push(hex(data));
    }
    override lengthLimitExceeded(length: number): void {
      this.events.push(ERROR);
      super.lengthLimitExceeded(length);
    }
  }
  return {
    name: Base.name,
    ...recorded(
      () => new (Recorder as unknown as new () => Recorder)(),
      (p, m) => p.sendString(m),
    ),
    message: fc.uint8Array({ maxLength: LIMIT, size: 'max' }).map((a) => Buffer.from(a)),
    // Mostly small bytes, so that many prefixes are within the limit and frames complete.
    noise: bytesFrom([0, 0, 0, 1, 2, 5, LIMIT, LIMIT + 1, 200, 255]),
    hasErrorPath: true,
  };
}

/** StatefulProtocol reading records of a 1-byte length and that many bytes. */
function statefulFramer(): Framer {
  class Records extends StatefulProtocol {
    readonly events: string[] = [];
    override getInitialState(): StateTransition {
      return [this.header, 1];
    }
    header(data: Buffer): StateTransition {
      const n = data[0] as number;
      if (n === 0) {
        this.events.push(hex(Buffer.alloc(0)));
        return [this.header, 1];
      }
      return [this.body, n];
    }
    body(data: Buffer): StateTransition {
      this.events.push(hex(data));
      return [this.header, 1];
    }
  }
  return {
    name: 'StatefulProtocol',
    make: () => {
      const proto = new Records();
      return { proto, events: proto.events };
    },
    encode: (messages) => Buffer.concat(messages.flatMap((m) => [Buffer.of(m.length), m])),
    message: fc.uint8Array({ maxLength: 255, size: 'max' }).map((a) => Buffer.from(a)),
    noise: fc.uint8Array({ maxLength: 300, size: 'max' }).map((a) => Buffer.from(a)),
    hasErrorPath: false,
  };
}

const framers: readonly Framer[] = [
  lineFramer('LineReceiver', LineReceiver),
  lineFramer('LineOnlyReceiver', LineOnlyReceiver),
  netstringFramer(),
  intFramer(Int8StringReceiver),
  intFramer(Int16StringReceiver),
  intFramer(Int32StringReceiver),
  statefulFramer(),
];

/** Feeds `data` to a fresh receiver cut at `cuts` (offsets modulo the length); returns it. */
function receive(framer: Framer, data: Buffer, cuts: readonly number[]): Recording & { tr: StringTransport } {
  const r = framer.make();
  const tr = new StringTransport();
  r.proto.makeConnection(tr);
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  let prev = 0;
  for (const at of [...points, data.length]) {
    r.proto.dataReceived(data.subarray(prev, at));
    prev = at;
  }
  return { ...r, tr };
}

for (const framer of framers) {
  describe(`${framer.name} (property)`, () => {
    it('receives what it sent, message for message, under any chunking', () => {
      fc.assert(
        fc.property(
          fc.array(framer.message, { maxLength: 12, size: 'max' }),
          fc.array(fc.nat(), { maxLength: 40, size: 'max' }),
          (messages, cuts) => {
            const got = receive(framer, framer.encode(messages), cuts);
            assert.deepEqual(got.events, messages.map(hex));
            assert.equal(got.tr.disconnecting, false);
          },
        ),
        { numRuns: 200 },
      );
    });

    it('survives random bytes: same events whole or chunked, within the limit, one documented error at the end', () => {
      fc.assert(
        fc.property(framer.noise, fc.array(fc.nat(), { maxLength: 40, size: 'max' }), (data, cuts) => {
          const whole = receive(framer, data, []);
          const chunked = receive(framer, data, cuts);
          assert.deepEqual(chunked.events, whole.events);
          const errors = chunked.events.filter((e) => e === ERROR).length;
          if (framer.hasErrorPath) {
            for (const e of chunked.events)
              if (e !== ERROR) assert.ok((e.length - 2) / 2 <= LIMIT, `message over the limit: ${e}`);
            assert.ok(errors <= 1);
            if (errors === 1) assert.equal(chunked.events.at(-1), ERROR, 'nothing delivered after the error');
            assert.equal(chunked.tr.disconnecting, errors === 1, 'the error closes the connection');
          } else {
            assert.equal(errors, 0);
          }
        }),
        { numRuns: 300 },
      );
    });
  });
}

describe('framers on a hostile stream', () => {
  it('each framer with a limit reaches its error hook on a stream that only grows', () => {
    // The documented error path must be reachable: an over-long line, an over-long netstring
    // length, a prefix over the limit.
    const hostile: Record<string, Buffer> = {
      LineReceiver: Buffer.alloc(LIMIT + 10, 0x61),
      LineOnlyReceiver: Buffer.alloc(LIMIT + 10, 0x61),
      NetstringReceiver: Buffer.from(`${LIMIT + 1}:`),
      Int8StringReceiver: Buffer.of(LIMIT + 1),
      Int16StringReceiver: Buffer.of(0, LIMIT + 1),
      Int32StringReceiver: Buffer.of(0, 0, 0, LIMIT + 1),
    };
    for (const framer of framers.filter((f) => f.hasErrorPath)) {
      const data = hostile[framer.name];
      assert.ok(data, framer.name);
      const got = receive(framer, data, [...data.keys()]);
      assert.deepEqual(got.events, [ERROR], framer.name);
      assert.equal(got.tr.disconnecting, true, framer.name);
    }
  });
});
