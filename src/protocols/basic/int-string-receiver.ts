/**
 * Length-prefixed string receivers: `Int8StringReceiver`, `Int16StringReceiver`,
 * `Int32StringReceiver` (big-endian unsigned prefixes of 1, 2 and 4 bytes), Twisted's
 * `IntNStringReceiver` family, over the sans-IO `IntStringCodec`.
 *
 * @example
 * ```ts
 * import { Int32StringReceiver } from 'twisted-ts/protocols/basic';
 * class Rpc extends Int32StringReceiver {
 *   override stringReceived(data: Buffer) { this.sendString(handle(data)); }
 * }
 * ```
 * @module
 */
import type { Buffer } from 'node:buffer';
import { Protocol } from '../../internet/protocol.js';
import { IntStringCodec, type PrefixSize } from './codec/int-string-codec.js';

/**
 * The common base: subclasses set `prefixLength`. `maxLength` (default 99999) is read when the
 * first chunk arrives. A prefix above `maxLength` calls `lengthLimitExceeded(length)` (default:
 * lose the connection) and nothing after it is delivered.
 *
 * @example
 * ```ts
 * class Int24ish extends IntNStringReceiver { override readonly prefixLength = 4; }
 * ```
 */
export class IntNStringReceiver extends Protocol {
  /** Width of the length prefix in bytes. */
  readonly prefixLength: PrefixSize = 4;
  /** Longest payload accepted. */
  maxLength = 99999;
  #codec: IntStringCodec | null = null;

  /**
   * Called with each payload. Override it.
   *
   * @example
   * ```ts
   * override stringReceived(data: Buffer) { this.messages.push(data); }
   * ```
   */
  stringReceived(_data: Buffer): void {}

  /**
   * Called when the peer announces more than `maxLength` bytes. Default: lose the connection.
   *
   * @example
   * ```ts
   * override lengthLimitExceeded(length: number) { log.warn(`refused ${length} bytes`); super.lengthLimitExceeded(length); }
   * ```
   */
  lengthLimitExceeded(_length: number): void {
    this.transport?.loseConnection();
  }

  /**
   * Sends `data` with its length prefix; throws `StringTooLongError` if the prefix is too narrow.
   *
   * @example
   * ```ts
   * this.sendString(Buffer.from([1, 2, 3]));
   * ```
   */
  sendString(data: Uint8Array | string): void {
    this.transport?.write(this.#getCodec().encode(data));
  }

  /**
   * Parses received bytes.
   *
   * @example
   * ```ts
   * proto.dataReceived(Buffer.from([0, 0, 0, 1, 0x41])); // stringReceived(<A>)
   * ```
   */
  override dataReceived(data: Buffer): void {
    for (const ev of this.#getCodec().receive(data)) {
      switch (ev.type) {
        case 'string':
          this.stringReceived(ev.data);
          break;
        case 'lengthLimitExceeded':
          this.lengthLimitExceeded(ev.length);
          break;
      }
    }
  }

  #getCodec(): IntStringCodec {
    if (this.#codec === null) {
      this.#codec = new IntStringCodec({ prefixSize: this.prefixLength, maxLength: this.maxLength });
    }
    return this.#codec;
  }
}

/**
 * Strings prefixed by a 1-byte length (at most 255 bytes).
 *
 * @example
 * ```ts
 * class Tiny extends Int8StringReceiver { override stringReceived(d: Buffer) { this.sendString(d); } }
 * ```
 */
export class Int8StringReceiver extends IntNStringReceiver {
  override readonly prefixLength = 1;
}

/**
 * Strings prefixed by a 2-byte big-endian length (at most 65535 bytes).
 *
 * @example
 * ```ts
 * class Small extends Int16StringReceiver { override stringReceived(d: Buffer) { this.sendString(d); } }
 * ```
 */
export class Int16StringReceiver extends IntNStringReceiver {
  override readonly prefixLength = 2;
}

/**
 * Strings prefixed by a 4-byte big-endian length.
 *
 * @example
 * ```ts
 * class Big extends Int32StringReceiver { override maxLength = 10 * 1024 * 1024; }
 * ```
 */
export class Int32StringReceiver extends IntNStringReceiver {
  override readonly prefixLength = 4;
}
