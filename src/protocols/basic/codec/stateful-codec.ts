/**
 * `ByteCountCodec`: sans-IO "give me the next N bytes", the codec of `StatefulProtocol`. The caller
 * sets how many bytes it wants next with `expect(n)`; `next()` returns exactly that many once they
 * have arrived, however the stream was chunked.
 *
 * @example
 * ```ts
 * const codec = new ByteCountCodec();
 * codec.feed(Buffer.from('abcdef'));
 * codec.expect(2);
 * codec.next(); // <ab>
 * codec.expect(4);
 * codec.next(); // <cdef>
 * ```
 * @module
 */
import type { Buffer } from 'node:buffer';
import { ChunkBuffer } from './chunk-buffer.js';

/**
 * Cuts a byte stream into pieces of caller-chosen sizes.
 *
 * @example
 * ```ts
 * codec.expect(4);
 * codec.feed(chunk);
 * const header = codec.next(); // null until 4 bytes are held
 * ```
 */
export class ByteCountCodec {
  readonly #buf = new ChunkBuffer();
  #want = 0;

  /**
   * Bytes held.
   *
   * @example
   * ```ts
   * codec.bufferedLength;
   * ```
   */
  get bufferedLength(): number {
    return this.#buf.length;
  }

  /**
   * Sets the size of the next piece (a non-negative integer).
   *
   * @example
   * ```ts
   * codec.expect(16);
   * ```
   */
  expect(n: number): void {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`ByteCountCodec.expect: bad size ${n}`);
    this.#want = n;
  }

  /**
   * Queues bytes.
   *
   * @example
   * ```ts
   * codec.feed(data);
   * ```
   */
  feed(data: Uint8Array): void {
    this.#buf.push(data);
  }

  /**
   * The next piece of the expected size, or `null` until enough bytes are held.
   *
   * @example
   * ```ts
   * for (let piece = codec.next(); piece !== null; piece = codec.next()) handle(piece);
   * ```
   */
  next(): Buffer | null {
    return this.#buf.length >= this.#want ? this.#buf.take(this.#want) : null;
  }

  /**
   * Removes and returns every byte held.
   *
   * @example
   * ```ts
   * const leftover = codec.takeBuffered();
   * ```
   */
  takeBuffered(): Buffer {
    return this.#buf.takeAll();
  }
}
