/**
 * Body readers, one per framing (RFC 9112 §6–7), shared by any role: `LengthBodyReader` for
 * Content-Length and `ChunkedBodyReader` for `Transfer-Encoding: chunked` (with chunk extensions
 * skipped and trailer fields parsed). Both hand out views of the receive buffer, never copies.
 * `read` returns `undefined` while more bytes are needed, the trailer fields when the body is
 * complete, or a `BodyError` when the peer broke the framing.
 *
 * @example
 * ```ts
 * const reader = new LengthBodyReader(5);
 * const out: Buffer[] = [];
 * rb.append(Buffer.from('hello'));
 * reader.read(rb, (b) => out.push(b)); // [] (done, no trailers)
 * ```
 * @module
 */
import { CR, LF } from './abnf.js';
import { latin1 } from './bytes.js';
import { parseFieldLine } from './fields.js';
import type { ResolvedHttpLimits } from './limits.js';
import type { ReceiveBuffer } from './receive-buffer.js';

/** The framing was broken: answer `status` and close. */
export interface BodyError {
  readonly status: number;
  readonly reason: string;
}

/** What `read` returns: more needed, done with trailers, or an error. */
export type BodyReadResult = undefined | readonly string[] | BodyError;

/** Receives each piece of body. */
export type BodySink = (data: Buffer) => void;

/** A body framing. */
export interface BodyReader {
  /** Consumes what it can from `rb`, passing body bytes to `sink`. */
  read(rb: ReceiveBuffer, sink: BodySink): BodyReadResult;
}

const NO_TRAILERS: readonly string[] = Object.freeze([]);

/**
 * A body of exactly `length` bytes.
 *
 * @example
 * ```ts
 * new LengthBodyReader(Number(contentLength));
 * ```
 */
export class LengthBodyReader implements BodyReader {
  #remaining: number;
  constructor(length: number) {
    this.#remaining = length;
  }

  /**
   * Passes up to the remaining length on; done when it has all.
   *
   * @example
   * ```ts
   * reader.read(rb, sink);
   * ```
   */
  read(rb: ReceiveBuffer, sink: BodySink): BodyReadResult {
    if (this.#remaining > 0 && rb.length > 0) {
      const n = Math.min(this.#remaining, rb.length);
      this.#remaining -= n;
      sink(rb.take(n));
    }
    return this.#remaining === 0 ? NO_TRAILERS : undefined;
  }
}

type ChunkState = 'size' | 'data' | 'dataEnd' | 'trailer';

const HEX = new Int8Array(256).fill(-1);
for (let c = 0; c < 10; c++) HEX[0x30 + c] = c;
for (let c = 0; c < 6; c++) {
  HEX[0x41 + c] = 10 + c;
  HEX[0x61 + c] = 10 + c;
}

/**
 * A chunked body: `size[;ext] CRLF data CRLF` … `0 CRLF trailers CRLF`. Chunk sizes past 2^53,
 * lines past `maxChunkLineSize`, a missing CRLF after data and malformed trailers are 400; a
 * body past `maxBodySize` is 413; trailers share `maxHeaderSize`/`maxHeaderCount`.
 *
 * @example
 * ```ts
 * const reader = new ChunkedBodyReader(resolveLimits());
 * ```
 */
export class ChunkedBodyReader implements BodyReader {
  readonly #limits: ResolvedHttpLimits;
  #state: ChunkState = 'size';
  #remaining = 0;
  #total = 0;
  #scanned = 0;
  #trailerBytes = 0;
  #trailers: string[] = [];

  constructor(limits: ResolvedHttpLimits) {
    this.#limits = limits;
  }

  /**
   * Consumes chunks from `rb`.
   *
   * @example
   * ```ts
   * const result = reader.read(rb, (b) => chunks.push(b));
   * ```
   */
  read(rb: ReceiveBuffer, sink: BodySink): BodyReadResult {
    for (;;) {
      switch (this.#state) {
        case 'size': {
          const eol = rb.indexOf(LF, this.#scanned);
          if (eol < 0) {
            this.#scanned = rb.length;
            if (rb.length > this.#limits.maxChunkLineSize)
              return { status: 400, reason: 'chunk-size line too long' };
            return undefined;
          }
          this.#scanned = 0;
          if (eol > this.#limits.maxChunkLineSize) return { status: 400, reason: 'chunk-size line too long' };
          const size = this.#parseSize(rb, eol);
          if (typeof size !== 'number') return size;
          rb.skip(eol + 1);
          if (size === 0) {
            this.#state = 'trailer';
            break;
          }
          this.#total += size;
          if (this.#total > this.#limits.maxBodySize) return { status: 413, reason: 'body too large' };
          this.#remaining = size;
          this.#state = 'data';
          break;
        }
        case 'data': {
          if (rb.length === 0) return undefined;
          const n = Math.min(this.#remaining, rb.length);
          this.#remaining -= n;
          sink(rb.take(n));
          if (this.#remaining === 0) this.#state = 'dataEnd';
          break;
        }
        case 'dataEnd': {
          if (rb.length < 2) {
            if (rb.length === 1 && rb.buffer[rb.start] !== CR)
              return { status: 400, reason: 'chunk not followed by CRLF' };
            return undefined;
          }
          if (rb.buffer[rb.start] !== CR || rb.buffer[rb.start + 1] !== LF) {
            return { status: 400, reason: 'chunk not followed by CRLF' };
          }
          rb.skip(2);
          this.#state = 'size';
          break;
        }
        case 'trailer': {
          const eol = rb.indexOf(LF, this.#scanned);
          if (eol < 0) {
            this.#scanned = rb.length;
            if (this.#trailerBytes + rb.length > this.#limits.maxHeaderSize) {
              return { status: 431, reason: 'trailer section too large' };
            }
            return undefined;
          }
          this.#scanned = 0;
          this.#trailerBytes += eol + 1;
          if (this.#trailerBytes > this.#limits.maxHeaderSize)
            return { status: 431, reason: 'trailer section too large' };
          const buf = rb.buffer;
          const s = rb.start;
          if (eol === 0 || buf[s + eol - 1] !== CR) return { status: 400, reason: 'bare LF in trailers' };
          if (eol === 1) {
            rb.skip(2);
            const trailers = this.#trailers;
            this.#trailers = [];
            return trailers;
          }
          const err = parseFieldLine(latin1(buf, s, s + eol - 1), 0, eol - 1, this.#trailers);
          if (err !== null) return { status: 400, reason: err };
          if (this.#trailers.length / 2 > this.#limits.maxHeaderCount)
            return { status: 431, reason: 'too many trailers' };
          rb.skip(eol + 1);
          break;
        }
      }
    }
  }

  #parseSize(rb: ReceiveBuffer, eol: number): number | BodyError {
    const buf = rb.buffer;
    const s = rb.start;
    const e = s + eol;
    if (eol === 0 || buf[e - 1] !== CR) return { status: 400, reason: 'bare LF in chunk-size line' };
    let i = s;
    let size = 0;
    while (i < e - 1 && HEX[buf[i] as number] !== -1) {
      size = size * 16 + (HEX[buf[i] as number] as number);
      if (size > Number.MAX_SAFE_INTEGER) return { status: 400, reason: 'chunk size overflow' };
      i++;
    }
    if (i === s) return { status: 400, reason: 'invalid chunk size' };
    // Extensions (`;name[=value]`, optionally after BWS) are ignored; anything else is an error.
    for (let j = i; j < e - 1; j++) {
      const c = buf[j] as number;
      if (c === CR || c === 0 || c === LF) return { status: 400, reason: 'invalid chunk extension' };
    }
    if (i < e - 1) {
      let j = i;
      while (j < e - 1 && (buf[j] === 0x20 || buf[j] === 0x09)) j++;
      if (buf[j] !== 0x3b) return { status: 400, reason: 'invalid chunk size' };
    }
    return size;
  }
}
