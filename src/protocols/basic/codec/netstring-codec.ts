/**
 * `NetstringCodec`: sans-IO netstrings (`<length>:<bytes>,`, D. J. Bernstein's format), the codec
 * of `NetstringReceiver`.
 *
 * Receiving is strict: the length is `0` or a decimal number without leading zeros, at most as many
 * digits as `maxLength` has, followed by `:`; the payload must be followed by `,`. Any violation,
 * or a length above `maxLength`, produces one `parseError` event and the codec stops (it ignores
 * everything after), since framing is lost. Held bytes never exceed one netstring of `maxLength`.
 *
 * | limit       | default | meaning                          |
 * |-------------|---------|----------------------------------|
 * | `maxLength` | 99999   | longest payload accepted, bytes  |
 *
 * @example
 * ```ts
 * const codec = new NetstringCodec();
 * codec.receive(Buffer.from('5:hello,0:,')); // two 'string' events: <hello>, <>
 * NetstringCodec.encode(Buffer.from('hi')); // <2:hi,>
 * ```
 * @module
 */
import { Buffer } from 'node:buffer';
import { ChunkBuffer } from './chunk-buffer.js';

/**
 * A complete netstring payload.
 *
 * @example
 * ```ts
 * for (const ev of codec.receive(data)) if (ev.type === 'string') handle(ev.data);
 * ```
 */
export interface NetstringEvent {
  /** Tells this event from `parseError` in the `receive` result. */
  readonly type: 'string';
  /** The payload, without the length and the trailing comma. */
  readonly data: Buffer;
}

/**
 * The peer broke the format (or exceeded `maxLength`); the codec is now terminal.
 *
 * @example
 * ```ts
 * if (ev.type === 'parseError') { log.warn(ev.message); transport.loseConnection(); }
 * ```
 */
export interface NetstringParseErrorEvent {
  /** Tells this event from `string` in the `receive` result. */
  readonly type: 'parseError';
  /** What went wrong: a malformed length, a length over `maxLength`, or no `,` after the payload. */
  readonly reason: 'badLength' | 'tooLong' | 'missingComma';
  /** A sentence for logs, such as `'netstring not terminated by a comma'`. */
  readonly message: string;
}

/**
 * What `NetstringCodec` emits.
 *
 * @example
 * ```ts
 * const events: NetstringCodecEvent[] = codec.receive(data);
 * ```
 */
export type NetstringCodecEvent = NetstringEvent | NetstringParseErrorEvent;

/**
 * Options of `NetstringCodec`.
 *
 * @example
 * ```ts
 * const codec = new NetstringCodec({ maxLength: 4096 });
 * ```
 */
export interface NetstringCodecOptions {
  /** Longest payload accepted (default 99999). */
  readonly maxLength?: number;
}

const COLON = 0x3a;
const COMMA = 0x2c;

/**
 * Parses and builds netstrings.
 *
 * @example
 * ```ts
 * const codec = new NetstringCodec({ maxLength: 1024 });
 * for (const ev of codec.receive(chunk)) if (ev.type === 'string') handle(ev.data);
 * ```
 */
export class NetstringCodec {
  /** The longest payload accepted. */
  readonly maxLength: number;
  readonly #maxDigits: number;
  readonly #buf = new ChunkBuffer();
  #state: 'length' | 'payload' | 'failed' = 'length';
  #length = 0;
  #digits = 0;

  constructor(options: NetstringCodecOptions = {}) {
    this.maxLength = options.maxLength ?? 99999;
    if (!(this.maxLength >= 0)) throw new RangeError(`NetstringCodec: bad maxLength ${this.maxLength}`);
    this.#maxDigits = String(Math.floor(this.maxLength)).length;
  }

  /**
   * Encodes `data` as a netstring.
   *
   * @example
   * ```ts
   * NetstringCodec.encode(Buffer.from('abc')).toString(); // '3:abc,'
   * ```
   */
  static encode(data: Uint8Array | string): Buffer {
    const payload = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    return Buffer.concat([Buffer.from(`${payload.length}:`, 'latin1'), payload, Buffer.from(',')]);
  }

  /**
   * True once a `parseError` was emitted.
   *
   * @example
   * ```ts
   * codec.receive(Buffer.from('x'));
   * codec.failed; // true
   * ```
   */
  get failed(): boolean {
    return this.#state === 'failed';
  }

  /**
   * Bytes held: the part of the current netstring received so far after its length.
   *
   * @example
   * ```ts
   * codec.receive(Buffer.from('5:he'));
   * codec.bufferedLength; // 2
   * ```
   */
  get bufferedLength(): number {
    return this.#buf.length;
  }

  /**
   * Feeds bytes; returns the events they complete.
   *
   * @example
   * ```ts
   * codec.receive(Buffer.from('3:abc,')); // [{ type: 'string', data: <abc> }]
   * ```
   */
  receive(data: Uint8Array): NetstringCodecEvent[] {
    const out: NetstringCodecEvent[] = [];
    if (this.#state === 'failed') return out;
    this.#buf.push(data);
    const buf = this.#buf;
    for (;;) {
      switch (this.#state) {
        case 'length': {
          if (buf.length === 0) return out;
          const c = buf.peekByte(0);
          buf.skip(1);
          if (c === COLON) {
            if (this.#digits === 0) return this.#fail(out, 'badLength', 'netstring length is empty');
            this.#state = 'payload';
          } else if (c >= 0x30 && c <= 0x39) {
            if (this.#digits > 0 && this.#length === 0) {
              return this.#fail(out, 'badLength', 'netstring length has a leading zero');
            }
            this.#length = this.#length * 10 + (c - 0x30);
            this.#digits++;
            if (this.#digits > this.#maxDigits || this.#length > this.maxLength) {
              return this.#fail(out, 'tooLong', `netstring longer than maxLength ${this.maxLength}`);
            }
          } else {
            return this.#fail(out, 'badLength', `invalid byte 0x${c.toString(16)} in netstring length`);
          }
          break;
        }
        case 'payload': {
          if (buf.length < this.#length + 1) return out;
          if (buf.peekByte(this.#length) !== COMMA) {
            return this.#fail(out, 'missingComma', 'netstring not terminated by a comma');
          }
          out.push({ type: 'string', data: buf.take(this.#length) });
          buf.skip(1);
          this.#state = 'length';
          this.#length = 0;
          this.#digits = 0;
          break;
        }
      }
    }
  }

  #fail(
    out: NetstringCodecEvent[],
    reason: NetstringParseErrorEvent['reason'],
    message: string,
  ): NetstringCodecEvent[] {
    this.#state = 'failed';
    this.#buf.takeAll();
    out.push({ type: 'parseError', reason, message });
    return out;
  }
}
