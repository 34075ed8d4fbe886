/**
 * `ChunkBuffer`: a FIFO of byte chunks for length-framed codecs (netstrings, length prefixes,
 * `StatefulProtocol`). Chunks are kept in a list; `take(n)` slices without copying when the bytes
 * sit in one chunk and copies exactly `n` bytes otherwise, so buffering is O(total bytes).
 *
 * @example
 * ```ts
 * const buf = new ChunkBuffer();
 * buf.push(Buffer.from('ab'));
 * buf.push(Buffer.from('cd'));
 * buf.take(3); // <abc>
 * buf.length;  // 1
 * ```
 * @module
 */
import { Buffer } from 'node:buffer';

/**
 * A queue of byte chunks read from the front.
 *
 * @example
 * ```ts
 * const buf = new ChunkBuffer();
 * buf.push(data);
 * if (buf.length >= 4) console.log(buf.readUIntBE(4));
 * ```
 */
export class ChunkBuffer {
  #chunks: Buffer[] = [];
  #head = 0;
  #first = 0;
  #length = 0;

  /**
   * Bytes held.
   *
   * @example
   * ```ts
   * new ChunkBuffer().length; // 0
   * ```
   */
  get length(): number {
    return this.#length;
  }

  /**
   * Appends a chunk (kept by reference).
   *
   * @example
   * ```ts
   * buf.push(Buffer.from('xyz'));
   * ```
   */
  push(data: Uint8Array): void {
    if (data.length === 0) return;
    this.#chunks.push(Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length));
    this.#length += data.length;
  }

  /**
   * The byte at `offset` from the front (`offset < length`), without consuming it.
   *
   * @example
   * ```ts
   * buf.peekByte(0); // first byte
   * ```
   */
  peekByte(offset: number): number {
    let off = offset + this.#head;
    for (let i = this.#first; i < this.#chunks.length; i++) {
      const c = this.#chunks[i] as Buffer;
      if (off < c.length) return c[off] as number;
      off -= c.length;
    }
    throw new RangeError(`ChunkBuffer.peekByte(${offset}) past the end (${this.#length})`);
  }

  /**
   * Reads an unsigned big-endian integer of `size` bytes (1–6) from the front, without consuming it.
   *
   * @example
   * ```ts
   * buf.readUIntBE(2); // a 16-bit length prefix
   * ```
   */
  readUIntBE(size: number): number {
    let v = 0;
    for (let i = 0; i < size; i++) v = v * 256 + this.peekByte(i);
    return v;
  }

  /**
   * Removes and returns the first `n` bytes (`n <= length`).
   *
   * @example
   * ```ts
   * const header = buf.take(4);
   * ```
   */
  take(n: number): Buffer {
    if (n > this.#length) throw new RangeError(`ChunkBuffer.take(${n}) with ${this.#length} bytes held`);
    this.#length -= n;
    const first = this.#chunks[this.#first] as Buffer | undefined;
    if (first === undefined || n === 0) return Buffer.alloc(0);
    if (first.length - this.#head >= n) {
      const out = first.subarray(this.#head, this.#head + n);
      this.#head += n;
      if (this.#head === first.length) this.#drop();
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const c = this.#chunks[this.#first] as Buffer;
      const k = Math.min(c.length - this.#head, n - filled);
      c.copy(out, filled, this.#head, this.#head + k);
      filled += k;
      this.#head += k;
      if (this.#head === c.length) this.#drop();
    }
    return out;
  }

  /**
   * Discards the first `n` bytes.
   *
   * @example
   * ```ts
   * buf.skip(1); // the ',' after a netstring
   * ```
   */
  skip(n: number): void {
    if (n > this.#length) throw new RangeError(`ChunkBuffer.skip(${n}) with ${this.#length} bytes held`);
    this.#length -= n;
    let left = n;
    while (left > 0) {
      const c = this.#chunks[this.#first] as Buffer;
      const k = Math.min(c.length - this.#head, left);
      left -= k;
      this.#head += k;
      if (this.#head === c.length) this.#drop();
    }
  }

  /**
   * Removes and returns everything held.
   *
   * @example
   * ```ts
   * const rest = buf.takeAll();
   * ```
   */
  takeAll(): Buffer {
    return this.take(this.#length);
  }

  #drop(): void {
    this.#first++;
    this.#head = 0;
    if (this.#first > 64 && this.#first * 2 > this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#first);
      this.#first = 0;
    } else if (this.#first === this.#chunks.length) {
      this.#chunks = [];
      this.#first = 0;
    }
  }
}
