/**
 * `ReceiveBuffer`: the bytes received and not yet consumed. Appending to an empty buffer keeps the
 * caller's Buffer (no copy: the common case of one request per read); appending to a non-empty one
 * copies into a growing buffer (capacity doubles, so slow-drip input stays O(n) overall). Views
 * handed out by `take()` stay valid: bytes already handed out are never overwritten, a full buffer
 * is dropped rather than reused.
 *
 * @example
 * ```ts
 * const rb = new ReceiveBuffer();
 * rb.append(Buffer.from('GET / HTTP/1.1\r\n'));
 * rb.indexOf(0x0a, 0); // 15
 * rb.take(16).toString(); // 'GET / HTTP/1.1\r\n'
 * ```
 * @module
 */

const EMPTY = Buffer.alloc(0);

/** A FIFO of received bytes; see the module doc. */
export class ReceiveBuffer {
  #buf: Buffer = EMPTY;
  #start = 0;
  #end = 0;
  #owned = false;

  /**
   * Number of bytes held.
   *
   * @example
   * ```ts
   * if (rb.length > limit) reject();
   * ```
   */
  get length(): number {
    return this.#end - this.#start;
  }

  /**
   * The backing buffer; the held bytes are `buffer[start..end)`. For tight parsing loops.
   *
   * @example
   * ```ts
   * const b = rb.buffer; for (let i = rb.start; i < rb.end; i++) b[i];
   * ```
   */
  get buffer(): Buffer {
    return this.#buf;
  }

  /** Offset of the first held byte in `buffer`. */
  get start(): number {
    return this.#start;
  }

  /** Offset just past the last held byte in `buffer`. */
  get end(): number {
    return this.#end;
  }

  /**
   * Adds bytes at the end.
   *
   * @example
   * ```ts
   * rb.append(chunk);
   * ```
   */
  append(data: Uint8Array): void {
    const n = data.byteLength;
    if (n === 0) return;
    if (this.#start === this.#end) {
      this.#buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, n);
      this.#start = 0;
      this.#end = n;
      this.#owned = false;
      return;
    }
    const held = this.#end - this.#start;
    if (!this.#owned || this.#end + n > this.#buf.length) {
      const next = Buffer.allocUnsafe(Math.max(1024, (held + n) * 2));
      this.#buf.copy(next, 0, this.#start, this.#end);
      this.#buf = next;
      this.#start = 0;
      this.#end = held;
      this.#owned = true;
    }
    this.#buf.set(data, this.#end);
    this.#end += n;
  }

  /**
   * Position of `byte` at or after relative offset `from`, relative to the first held byte; -1
   * when absent.
   *
   * @example
   * ```ts
   * const eol = rb.indexOf(0x0a, scanned);
   * ```
   */
  indexOf(byte: number, from: number): number {
    const i = this.#buf.indexOf(byte, this.#start + from);
    return i < 0 || i >= this.#end ? -1 : i - this.#start;
  }

  /**
   * Removes the first `n` held bytes and returns them as a view (no copy).
   *
   * @example
   * ```ts
   * const head = rb.take(headLength);
   * ```
   */
  take(n: number): Buffer {
    const out = this.#buf.subarray(this.#start, this.#start + n);
    this.skip(n);
    return out;
  }

  /**
   * Drops the first `n` held bytes.
   *
   * @example
   * ```ts
   * rb.skip(2); // a CRLF
   * ```
   */
  skip(n: number): void {
    this.#start += n;
    if (this.#start >= this.#end) {
      this.#buf = EMPTY;
      this.#start = 0;
      this.#end = 0;
      this.#owned = false;
    }
  }
}
