/**
 * `FileProducer`: streams byte ranges of an open file into a request as a push producer, so a
 * slow client pauses the disk reads instead of growing memory (Twisted's `static.NoRangeStaticProducer`
 * family in one class). Each segment may be preceded by bytes (multipart range headers) and the
 * whole followed by a trailer.
 *
 * @example
 * ```ts
 * const fd = openSync(path, 'r');
 * new FileProducer(request, fd, [{ start: 0, end: size }]).start();
 * ```
 * @module
 */
import { close, read } from 'node:fs';
import type { IPushProducer } from '../../internet/interfaces.js';
import type { Request } from '../request.js';

/**
 * A piece of the file to send, `end` exclusive, optionally preceded by `before`.
 *
 * @example
 * ```ts
 * const segments: FileSegment[] = [
 *   { start: 0, end: 100 }, // bytes 0-99
 *   { start: 500, end: 600, before: Buffer.from('\r\n--sep\r\nContent-Range: bytes 500-599/1000\r\n\r\n') },
 * ];
 * new FileProducer(request, openSync('data.bin', 'r'), segments, Buffer.from('\r\n--sep--\r\n')).start();
 * ```
 */
export interface FileSegment {
  /** The offset of the first byte. */
  readonly start: number;
  /** The offset after the last byte. */
  readonly end: number;
  /** Bytes sent before the segment (a multipart part's head). */
  readonly before?: Buffer;
}

/**
 * Bytes per disk read: the transport's high-water mark, as `fs.createReadStream` reads. At most one
 * chunk waits in memory while the client is slow.
 */
const CHUNK = 64 * 1024;

/**
 * Streams file segments; see the module doc.
 *
 * @example
 * ```ts
 * const fd = openSync('video.mp4', 'r');
 * const size = fstatSync(fd).size;
 * request.setHeader('Content-Length', size);
 * new FileProducer(request, fd, [{ start: 0, end: size }]).start(); // closes fd, finishes the request
 * return NOT_DONE_YET;
 * ```
 */
export class FileProducer implements IPushProducer {
  readonly #request: Request;
  readonly #fd: number;
  readonly #segments: readonly FileSegment[];
  readonly #after: Buffer | undefined;
  #index = 0;
  #pos = 0;
  #paused = false;
  #reading = false;
  #done = false;
  /** A chunk read ahead while paused, written on resume. */
  #pending: Buffer | null = null;
  /** `stopProducing()` came during a read: close the file when the read returns. */
  #closeAfterRead = false;
  /**
   * The buffer of the last chunk, when the transport took all of its bytes at once: the next read
   * reuses it. Allocating 64 KiB per read instead makes the garbage collector run full collections
   * (external memory pressure) and halves the throughput of a loaded server.
   */
  #spare: Buffer | null = null;

  constructor(request: Request, fd: number, segments: readonly FileSegment[], after?: Buffer) {
    this.#request = request;
    this.#fd = fd;
    this.#segments = segments;
    this.#after = after;
    this.#pos = segments[0]?.start ?? 0;
  }

  /**
   * Registers with the request and starts reading.
   *
   * @example
   * ```ts
   * producer.start();
   * ```
   */
  start(): void {
    this.#request.registerProducer(this, true);
    this.#request.notifyFinish().addErrback(() => this.stopProducing());
    const first = this.#segments[0];
    if (first?.before !== undefined) this.#request.write(first.before);
    this.#next();
  }

  /**
   * Issues the next read, even while paused: reading ahead keeps the disk busy while the socket
   * drains, and at most one chunk (`#pending`) waits in memory.
   */
  #next(): void {
    if (this.#reading || this.#done || this.#pending !== null) return;
    const seg = this.#segments[this.#index];
    if (seg === undefined) {
      if (!this.#paused) this.#finish();
      return;
    }
    const n = Math.min(CHUNK, seg.end - this.#pos);
    if (n <= 0) {
      if (this.#paused) return;
      this.#index++;
      const next = this.#segments[this.#index];
      if (next !== undefined) {
        this.#pos = next.start;
        if (next.before !== undefined) this.#request.write(next.before);
      }
      this.#next();
      return;
    }
    this.#reading = true;
    const buf = this.#spare ?? Buffer.allocUnsafe(CHUNK);
    this.#spare = null;
    read(this.#fd, buf, 0, n, this.#pos, (err, bytesRead, b) => this.#onRead(err, bytesRead, b));
  }

  #onRead(err: Error | null, bytesRead: number, buf: Buffer): void {
    this.#reading = false;
    if (this.#done) {
      if (this.#closeAfterRead) close(this.#fd, () => {});
      return;
    }
    if (err !== null || bytesRead === 0) {
      // The file shrank or failed under us: the announced length cannot be met; drop the connection.
      this.stopProducing();
      this.#request.channel.transport?.abortConnection();
      return;
    }
    this.#pos += bytesRead;
    const chunk = bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
    if (this.#paused) {
      this.#pending = chunk;
      return;
    }
    this.#write(chunk);
    this.#next();
  }

  #write(chunk: Buffer): void {
    // Only a buffer this producer allocated (a whole CHUNK-sized ArrayBuffer) is taken back.
    if (this.#request.writeReusable(chunk) && chunk.buffer.byteLength === CHUNK)
      this.#spare = Buffer.from(chunk.buffer);
  }

  #finish(): void {
    this.#done = true;
    if (this.#after !== undefined) this.#request.write(this.#after);
    close(this.#fd, () => {});
    this.#request.unregisterProducer();
    if (!this.#request.finished) {
      try {
        this.#request.finish();
      } catch {
        // The client went away while the last chunk was being written.
      }
    }
  }

  /**
   * Stops reading until resumed (the transport's buffer is full).
   *
   * @example
   * ```ts
   * producer.pauseProducing();
   * ```
   */
  pauseProducing(): void {
    this.#paused = true;
  }

  /**
   * Reads on.
   *
   * @example
   * ```ts
   * producer.resumeProducing();
   * ```
   */
  resumeProducing(): void {
    this.#paused = false;
    const pending = this.#pending;
    if (pending !== null) {
      this.#pending = null;
      this.#write(pending);
    }
    this.#next();
  }

  /**
   * Stops for good and closes the file (the client went away).
   *
   * @example
   * ```ts
   * producer.stopProducing();
   * ```
   */
  stopProducing(): void {
    if (this.#done) return;
    this.#done = true;
    this.#pending = null;
    if (!this.#reading) close(this.#fd, () => {});
    else this.#closeAfterRead = true;
  }
}
