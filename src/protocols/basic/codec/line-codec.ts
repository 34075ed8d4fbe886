/**
 * `LineCodec`: the sans-IO line splitter behind `LineReceiver` and `LineOnlyReceiver`.
 *
 * Bytes go in with `feed(data)`; lines come out one at a time from `next()` (pull style, so an
 * adapter can switch to raw mode or pause between two lines of the same chunk), or all at once from
 * `receive(data)`.
 *
 * Speed and safety by construction:
 * - a complete line inside one chunk is a `subarray` of it (no copy); only a line that spans
 *   chunks is copied, once;
 * - pending bytes are kept as a list of chunks, never re-concatenated per chunk, and every byte is
 *   searched for the delimiter once (a delimiter split across chunks is found by looking at the
 *   last `delimiter.length - 1` bytes only), so slow-drip input stays O(n);
 * - the incomplete line is bounded: once it is longer than `maxLength` (plus the bytes that could be
 *   the start of a delimiter) a `lineTooLong` event carries what was buffered and the rest of that
 *   line is discarded up to the next delimiter.
 *
 * | limit       | default  | meaning                                                      |
 * |-------------|----------|--------------------------------------------------------------|
 * | `maxLength` | 16384    | longest line accepted, delimiter excluded                    |
 * | `delimiter` | `\r\n`   | bytes that end a line (not part of the line)                 |
 *
 * @example
 * ```ts
 * const codec = new LineCodec({ delimiter: '\n' });
 * codec.receive(Buffer.from('a\nb')); // [{ type: 'line', line: <a> }]
 * codec.receive(Buffer.from('c\n'));  // [{ type: 'line', line: <bc> }]
 * ```
 * @module
 */
import { Buffer } from 'node:buffer';

/**
 * A complete line, delimiter removed.
 *
 * @example
 * ```ts
 * for (const ev of codec.receive(data)) if (ev.type === 'line') lines.push(ev.line.toString('latin1'));
 * ```
 */
export interface LineEvent {
  /** Tells this event from `lineTooLong` in the `receive` result. */
  readonly type: 'line';
  /** The line's bytes without the delimiter; decode them with the protocol's encoding. */
  readonly line: Buffer;
}

/**
 * A line longer than `maxLength`: `data` is the line (when it was complete) or what had been
 * buffered of it (when it was not; the rest of it is then discarded up to the next delimiter).
 *
 * @example
 * ```ts
 * if (ev.type === 'lineTooLong') transport.write('500 Line too long\r\n');
 * ```
 */
export interface LineTooLongEvent {
  /** Tells this event from `line` in the `receive` result. */
  readonly type: 'lineTooLong';
  /** The over-long line, or the part of it that was buffered when it was still incomplete. */
  readonly data: Buffer;
}

/**
 * What `LineCodec` emits.
 *
 * @example
 * ```ts
 * const events: LineCodecEvent[] = codec.receive(data);
 * ```
 */
export type LineCodecEvent = LineEvent | LineTooLongEvent;

/**
 * Options of `LineCodec`.
 *
 * @example
 * ```ts
 * const codec = new LineCodec({ delimiter: '\n', maxLength: 1024 });
 * ```
 */
export interface LineCodecOptions {
  /** The bytes ending a line (default `'\r\n'`); strings are encoded as UTF-8. */
  readonly delimiter?: Uint8Array | string;
  /** Longest line accepted, delimiter excluded (default 16384). */
  readonly maxLength?: number;
}

/**
 * Splits a byte stream into lines. Never throws on peer input.
 *
 * @example
 * ```ts
 * const codec = new LineCodec({ maxLength: 80 });
 * codec.feed(Buffer.from('HELO x\r\nQUIT\r\n'));
 * for (let ev = codec.next(); ev !== null; ev = codec.next()) console.log(ev);
 * ```
 */
export class LineCodec {
  /** The delimiter in use. */
  readonly delimiter: Buffer;
  /** The longest line accepted, delimiter excluded. */
  readonly maxLength: number;
  /** Chunks fed and not yet searched (the first one from `#pos`). */
  #queue: Buffer[] = [];
  #pos = 0;
  /** The already-searched start of an incomplete line. */
  #parts: Buffer[] = [];
  #partLength = 0;
  /** Discarding the rest of a too-long line; `#tail` holds its last `delimiter.length - 1` bytes. */
  #discarding = false;
  /** The last bytes seen (at most `delimiter.length - 1`), for delimiters split across chunks. */
  readonly #tail: Buffer;
  #tailLength = 0;
  #scanned = 0;

  constructor(options: LineCodecOptions = {}) {
    const d = options.delimiter ?? '\r\n';
    this.delimiter = typeof d === 'string' ? Buffer.from(d, 'utf8') : Buffer.from(d);
    if (this.delimiter.length === 0) throw new RangeError('LineCodec: the delimiter must not be empty');
    this.#tail = Buffer.alloc(this.delimiter.length - 1);
    this.maxLength = options.maxLength ?? 16384;
    if (!(this.maxLength >= 0)) throw new RangeError(`LineCodec: bad maxLength ${this.maxLength}`);
  }

  /**
   * Bytes searched for the delimiter so far: a work counter for complexity tests (each byte fed is
   * searched about once, plus `delimiter.length - 1` bytes at chunk boundaries).
   *
   * @example
   * ```ts
   * codec.receive(Buffer.from('abc\r\n'));
   * codec.scannedBytes; // 5
   * ```
   */
  get scannedBytes(): number {
    return this.#scanned;
  }

  /**
   * Bytes held: the incomplete line plus chunks fed and not yet split (0 while discarding).
   *
   * @example
   * ```ts
   * codec.receive(Buffer.from('partial'));
   * codec.bufferedLength; // 7
   * ```
   */
  get bufferedLength(): number {
    let n = this.#partLength - this.#pos;
    for (const c of this.#queue) n += c.length;
    return n;
  }

  /**
   * Queues bytes; lines come out of `next()`. The codec keeps a reference to `data` (no copy).
   *
   * @example
   * ```ts
   * codec.feed(chunk);
   * ```
   */
  feed(data: Uint8Array): void {
    if (data.length === 0) return;
    const b = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length);
    this.#queue.push(b);
  }

  /**
   * Puts bytes back in front of everything queued (used when switching back to line mode with the
   * bytes that followed the switch point).
   *
   * @example
   * ```ts
   * codec.unshift(Buffer.from('rest of the chunk\r\n'));
   * ```
   */
  unshift(data: Uint8Array): void {
    if (data.length === 0) return;
    const b = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length);
    const first = this.#queue[0];
    if (first !== undefined && this.#pos > 0) {
      this.#queue[0] = first.subarray(this.#pos);
      this.#pos = 0;
    }
    this.#queue.unshift(b);
  }

  /**
   * The next event, or `null` when more bytes are needed.
   *
   * @example
   * ```ts
   * for (let ev = codec.next(); ev !== null; ev = codec.next()) handle(ev);
   * ```
   */
  next(): LineCodecEvent | null {
    const d = this.delimiter;
    const dl = d.length;
    for (;;) {
      const cur = this.#queue[0];
      if (cur === undefined) return null;
      const pos = this.#pos;
      if (this.#discarding) {
        this.#discard(cur, pos);
        continue;
      }
      if (this.#partLength === 0) {
        // Fast path: the line starts in this chunk.
        const idx = this.#find(cur, pos);
        if (idx >= 0) {
          this.#scanned += idx + dl - pos;
          const end = idx + dl;
          if (end === cur.length) this.#shift();
          else this.#pos = end;
          const line = cur.subarray(pos, idx);
          return line.length > this.maxLength ? { type: 'lineTooLong', data: line } : { type: 'line', line };
        }
        this.#scanned += cur.length - pos;
        this.#shift();
        this.#parts.push(pos === 0 ? cur : cur.subarray(pos));
        this.#partLength = cur.length - pos;
      } else {
        const ev = this.#continueLine(cur, pos, dl);
        if (ev !== null) return ev;
      }
      if (this.#partLength > this.maxLength + dl - 1) {
        this.#loadTail();
        const data = this.#takeParts();
        this.#discarding = true;
        return { type: 'lineTooLong', data };
      }
    }
  }

  /**
   * Feeds `data` and returns every event it completes.
   *
   * @example
   * ```ts
   * const events = codec.receive(Buffer.from('one\r\ntwo\r\n'));
   * ```
   */
  receive(data: Uint8Array): LineCodecEvent[] {
    this.feed(data);
    const out: LineCodecEvent[] = [];
    for (let ev = this.next(); ev !== null; ev = this.next()) out.push(ev);
    return out;
  }

  /**
   * Takes every byte held (incomplete line and unsplit chunks) out of the codec, in order, and
   * stops discarding: for raw mode, `clearLineBuffer()` and end of stream.
   *
   * @example
   * ```ts
   * const rest = codec.takeBuffered(); // the bytes after the last complete line
   * ```
   */
  takeBuffered(): Buffer {
    const first = this.#queue[0];
    if (first !== undefined && this.#pos > 0) this.#queue[0] = first.subarray(this.#pos);
    const all = [...this.#parts, ...this.#queue];
    const total = all.reduce((n, c) => n + c.length, 0);
    this.#parts = [];
    this.#partLength = 0;
    this.#queue = [];
    this.#pos = 0;
    this.#discarding = false;
    this.#tailLength = 0;
    return all.length === 1 ? (all[0] as Buffer) : Buffer.concat(all, total);
  }

  /** The incomplete line continues in `cur`: look for a delimiter, first across the boundary. */
  #continueLine(cur: Buffer, pos: number, dl: number): LineCodecEvent | null {
    if (dl > 1) {
      this.#loadTail();
      const cut = this.#straddle(cur, pos);
      if (cut > 0) {
        const whole = this.#takeParts();
        const line = whole.subarray(0, whole.length - cut);
        this.#advance(cur, pos + dl - cut);
        return line.length > this.maxLength ? { type: 'lineTooLong', data: line } : { type: 'line', line };
      }
    }
    const idx = this.#find(cur, pos);
    if (idx >= 0) {
      this.#scanned += idx + dl - pos;
      const length = this.#partLength + idx - pos;
      this.#parts.push(cur.subarray(pos, idx));
      this.#advance(cur, idx + dl);
      const line = Buffer.concat(this.#parts, length);
      this.#parts = [];
      this.#partLength = 0;
      return line.length > this.maxLength ? { type: 'lineTooLong', data: line } : { type: 'line', line };
    }
    this.#scanned += cur.length - pos;
    this.#shift();
    this.#parts.push(pos === 0 ? cur : cur.subarray(pos));
    this.#partLength += cur.length - pos;
    return null;
  }

  /** Skips bytes of a too-long line up to and including the next delimiter. */
  #discard(cur: Buffer, pos: number): void {
    const d = this.delimiter;
    const dl = d.length;
    if (this.#tailLength > 0) {
      const cut = this.#straddle(cur, pos);
      if (cut > 0) {
        this.#discarding = false;
        this.#tailLength = 0;
        this.#advance(cur, pos + dl - cut);
        return;
      }
    }
    const idx = this.#find(cur, pos);
    if (idx >= 0) {
      this.#scanned += idx + dl - pos;
      this.#discarding = false;
      this.#tailLength = 0;
      this.#advance(cur, idx + dl);
      return;
    }
    this.#scanned += cur.length - pos;
    if (dl > 1) this.#pushTail(cur, pos);
    this.#shift();
  }

  /**
   * Looks for a delimiter starting in `#tail` and ending in `cur` (from `pos`); returns how many of
   * its bytes are in the tail (0: none). Leftmost match first, no allocation.
   */
  #straddle(cur: Buffer, pos: number): number {
    const d = this.delimiter;
    const dl = d.length;
    const tl = this.#tailLength;
    const tail = this.#tail;
    const avail = cur.length - pos;
    for (let w = 0; w < tl; w++) {
      const inTail = tl - w;
      if (dl - inTail > avail) continue;
      this.#scanned++;
      let k = 0;
      for (; k < dl; k++) {
        const b = w + k < tl ? tail[w + k] : cur[pos + w + k - tl];
        if (b !== d[k]) break;
      }
      if (k === dl) return inTail;
    }
    return 0;
  }

  /** Appends `cur[pos..]` to the tail, keeping its last `delimiter.length - 1` bytes. */
  #pushTail(cur: Buffer, pos: number): void {
    // Byte loops: the tail is a few bytes, cheaper than native copies.
    const tail = this.#tail;
    const keep = tail.length;
    const n = cur.length - pos;
    if (n >= keep) {
      for (let i = 0, j = cur.length - keep; i < keep; i++, j++) tail[i] = cur[j] as number;
      this.#tailLength = keep;
      return;
    }
    const fromOld = Math.min(this.#tailLength, keep - n);
    for (let i = 0, j = this.#tailLength - fromOld; i < fromOld; i++, j++) tail[i] = tail[j] as number;
    for (let i = 0; i < n; i++) tail[fromOld + i] = cur[pos + i] as number;
    this.#tailLength = fromOld + n;
  }

  /** Sets the tail to the last bytes of the incomplete line. */
  #loadTail(): void {
    this.#tailLength = 0;
    for (const p of this.#lastParts()) this.#pushTail(p, 0);
  }

  /** The last parts of the incomplete line, enough to cover `delimiter.length - 1` bytes. */
  #lastParts(): Buffer[] {
    const keep = this.#tail.length;
    let i = this.#parts.length;
    let have = 0;
    while (i > 0 && have < keep) have += (this.#parts[--i] as Buffer).length;
    return this.#parts.slice(i);
  }

  /** Index of the first delimiter in `cur` from `pos`, or -1. Short spans are searched in JS. */
  #find(cur: Buffer, pos: number): number {
    const d = this.delimiter;
    const dl = d.length;
    const first = d[0] as number;
    if (cur.length - pos > 32) {
      // Searching for one byte is much cheaper per call than for a Buffer; check the rest by hand.
      const last = cur.length - dl;
      for (let i = cur.indexOf(first, pos); i >= 0 && i <= last; i = cur.indexOf(first, i + 1)) {
        let k = 1;
        while (k < dl && cur[i + k] === d[k]) k++;
        if (k === dl) return i;
      }
      return -1;
    }
    for (let i = pos, last = cur.length - dl; i <= last; i++) {
      if (cur[i] !== first) continue;
      let k = 1;
      while (k < dl && cur[i + k] === d[k]) k++;
      if (k === dl) return i;
    }
    return -1;
  }

  #takeParts(): Buffer {
    const whole =
      this.#parts.length === 1 ? (this.#parts[0] as Buffer) : Buffer.concat(this.#parts, this.#partLength);
    this.#parts = [];
    this.#partLength = 0;
    return whole;
  }

  #advance(cur: Buffer, to: number): void {
    if (to >= cur.length) this.#shift();
    else this.#pos = to;
  }

  #shift(): void {
    this.#queue.shift();
    this.#pos = 0;
  }
}
