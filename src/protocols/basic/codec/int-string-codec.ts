/**
 * `IntStringCodec`: sans-IO length-prefixed strings — an unsigned big-endian length of 1, 2 or 4
 * bytes followed by that many bytes — the codec of `Int8StringReceiver`, `Int16StringReceiver` and
 * `Int32StringReceiver`.
 *
 * A prefix announcing more than `maxLength` bytes produces one `lengthLimitExceeded` event and the
 * codec stops (it ignores everything after: framing cannot be trusted any more). Held bytes never
 * exceed one string of `maxLength` plus its prefix.
 *
 * | limit        | default | meaning                                 |
 * |--------------|---------|-----------------------------------------|
 * | `prefixSize` | —       | 1, 2 or 4 bytes of big-endian length    |
 * | `maxLength`  | 99999   | longest payload accepted, bytes         |
 *
 * @example
 * ```ts
 * const codec = new IntStringCodec({ prefixSize: 2 });
 * codec.receive(codec.encode(Buffer.from('hi'))); // [{ type: 'string', data: <hi> }]
 * ```
 * @module
 */
import { Buffer } from 'node:buffer';
import { ChunkBuffer } from './chunk-buffer.js';

/**
 * A complete payload.
 *
 * @example
 * ```ts
 * for (const ev of codec.receive(data)) if (ev.type === 'string') handle(ev.data);
 * ```
 */
export interface IntStringEvent {
  /** Tells this event from `lengthLimitExceeded` in the `receive` result. */
  readonly type: 'string';
  /** The payload, prefix removed (may be a view of the bytes given to `receive`). */
  readonly data: Buffer;
}

/**
 * The peer announced a payload longer than `maxLength`; the codec is now terminal.
 *
 * @example
 * ```ts
 * if (ev.type === 'lengthLimitExceeded') transport.loseConnection();
 * ```
 */
export interface LengthLimitExceededEvent {
  /** Tells this event from `string` in the `receive` result. */
  readonly type: 'lengthLimitExceeded';
  /** The length the prefix announced, in bytes (worth logging: a huge value hints at a wrong protocol). */
  readonly length: number;
}

/**
 * What `IntStringCodec` emits.
 *
 * @example
 * ```ts
 * const events: IntStringCodecEvent[] = codec.receive(data);
 * ```
 */
export type IntStringCodecEvent = IntStringEvent | LengthLimitExceededEvent;

/**
 * Width of the length prefix in bytes.
 *
 * @example
 * ```ts
 * const codec = new IntStringCodec({ prefixSize: 2 satisfies PrefixSize });
 * ```
 */
export type PrefixSize = 1 | 2 | 4;

/**
 * Options of `IntStringCodec`.
 *
 * @example
 * ```ts
 * const codec = new IntStringCodec({ prefixSize: 4, maxLength: 1 << 20 });
 * ```
 */
export interface IntStringCodecOptions {
  /** Width of the big-endian length prefix. */
  readonly prefixSize: PrefixSize;
  /** Longest payload accepted (default 99999). */
  readonly maxLength?: number;
}

/**
 * `encode` was given more bytes than the prefix can express.
 *
 * @example
 * ```ts
 * assert.throws(() => new IntStringCodec({ prefixSize: 1 }).encode(Buffer.alloc(256)), StringTooLongError);
 * ```
 */
export class StringTooLongError extends RangeError {
  /** Stable code. */
  readonly code = 'ERR_STRING_TOO_LONG';
  constructor(length: number, prefixSize: PrefixSize) {
    super(`a ${prefixSize}-byte prefix cannot announce ${length} bytes`);
    this.name = 'StringTooLongError';
  }
}

/**
 * Parses and builds length-prefixed strings.
 *
 * @example
 * ```ts
 * const codec = new IntStringCodec({ prefixSize: 4, maxLength: 1 << 20 });
 * transport.write(codec.encode(payload));
 * ```
 */
export class IntStringCodec {
  /** Width of the length prefix. */
  readonly prefixSize: PrefixSize;
  /** Longest payload accepted. */
  readonly maxLength: number;
  readonly #buf = new ChunkBuffer();
  #failed = false;

  constructor(options: IntStringCodecOptions) {
    this.prefixSize = options.prefixSize;
    if (![1, 2, 4].includes(this.prefixSize)) throw new RangeError(`bad prefixSize ${this.prefixSize}`);
    this.maxLength = options.maxLength ?? 99999;
    if (!(this.maxLength >= 0)) throw new RangeError(`IntStringCodec: bad maxLength ${this.maxLength}`);
  }

  /**
   * True once `lengthLimitExceeded` was emitted.
   *
   * @example
   * ```ts
   * if (codec.failed) transport.loseConnection();
   * ```
   */
  get failed(): boolean {
    return this.#failed;
  }

  /**
   * Bytes held (an incomplete prefix or payload).
   *
   * @example
   * ```ts
   * codec.bufferedLength; // 0 between strings
   * ```
   */
  get bufferedLength(): number {
    return this.#buf.length;
  }

  /**
   * Prefixes `data` with its length. Throws `StringTooLongError` when the prefix is too narrow.
   *
   * @example
   * ```ts
   * new IntStringCodec({ prefixSize: 1 }).encode(Buffer.from('ab')); // <02 61 62>
   * ```
   */
  encode(data: Uint8Array | string): Buffer {
    const payload = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (payload.length >= 2 ** (8 * this.prefixSize)) {
      throw new StringTooLongError(payload.length, this.prefixSize);
    }
    const out = Buffer.allocUnsafe(this.prefixSize + payload.length);
    out.writeUIntBE(payload.length, 0, this.prefixSize);
    out.set(payload, this.prefixSize);
    return out;
  }

  /**
   * Feeds bytes; returns the events they complete.
   *
   * @example
   * ```ts
   * codec.receive(Buffer.from([0, 1, 0x41])); // prefixSize 2: [{ type: 'string', data: <A> }]
   * ```
   */
  receive(data: Uint8Array): IntStringCodecEvent[] {
    const out: IntStringCodecEvent[] = [];
    if (this.#failed) return out;
    const buf = this.#buf;
    buf.push(data);
    const p = this.prefixSize;
    while (buf.length >= p) {
      const length = buf.readUIntBE(p);
      if (length > this.maxLength) {
        this.#failed = true;
        buf.takeAll();
        out.push({ type: 'lengthLimitExceeded', length });
        return out;
      }
      if (buf.length < p + length) break;
      buf.skip(p);
      out.push({ type: 'string', data: buf.take(length) });
    }
    return out;
  }
}
