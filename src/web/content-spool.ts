/**
 * `ContentSpool`: a request body as it arrives — in memory while small, in an anonymous temporary
 * file once it passes a threshold (Twisted keeps bodies over 100 kB in a `TemporaryFile`), so a big
 * upload costs disk space, not memory. The file is unlinked as soon as it is created: nothing is
 * left behind, whatever happens to the process.
 *
 * Writes to the file are asynchronous and in order; `pending` counts the bytes not on disk yet, so
 * the connection can stop reading from a client faster than the disk (`onDrained` says when to go
 * on). `end(done)` calls back once every byte is on disk.
 *
 * @example
 * ```ts
 * const spool = new ContentSpool({ threshold: 1024 * 1024, onDrained: () => transport.resumeProducing() });
 * spool.write(chunk);
 * if (spool.pending > 1024 * 1024) transport.pauseProducing();
 * spool.end((err) => console.log(err ?? spool.toBuffer().length));
 * ```
 * @module
 */
import { randomBytes } from 'node:crypto';
import { close, createReadStream, open, readSync, unlink, write } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

/**
 * Options of a `ContentSpool`.
 *
 * @example
 * ```ts
 * const spool = new ContentSpool({
 *   threshold: 1024 * 1024,
 *   expectedLength: Number(request.getHeader('content-length') ?? 0),
 *   directory: '/var/tmp',
 *   onDrained: () => console.log('every byte received so far is on disk'),
 * });
 * ```
 */
export interface ContentSpoolOptions {
  /** Bodies larger than this many bytes go to a temporary file. */
  readonly threshold: number;
  /** The declared length (Content-Length), when known: a body announced past the threshold is spooled at once. */
  readonly expectedLength?: number;
  /** Called when every byte written so far is on disk, after `pending` went above zero. */
  readonly onDrained?: () => void;
  /** Where the temporary file is made (default: the OS temporary directory). */
  readonly directory?: string;
}

const EMPTY = Buffer.alloc(0);

/**
 * A body in memory or in an unlinked temporary file; see the module doc.
 *
 * @example
 * ```ts
 * const spool = new ContentSpool({ threshold: 64 * 1024 });
 * spool.write(Buffer.from('part one, '));
 * spool.write(Buffer.from('part two'));
 * spool.end((err) => {
 *   if (err === null) console.log(spool.toBuffer().toString()); // 'part one, part two'
 *   spool.dispose();
 * });
 * ```
 */
export class ContentSpool {
  readonly #threshold: number;
  readonly #onDrained: (() => void) | undefined;
  readonly #directory: string;
  #chunks: Buffer[] = [];
  #size = 0;
  #path: string | null = null;
  #fd = -1;
  /** Chunks waiting for the file (while it opens, or behind the write in flight). */
  #queue: Buffer[] = [];
  #pending = 0;
  #writing = false;
  #written = 0;
  #error: Error | null = null;
  #done: ((err: Error | null) => void) | null = null;
  #disposed = false;
  /** Streams reading the file: `dispose()` leaves the file open until they are closed. */
  #readers = 0;

  constructor(options: ContentSpoolOptions) {
    this.#threshold = options.threshold;
    this.#onDrained = options.onDrained;
    this.#directory = options.directory ?? tmpdir();
    if ((options.expectedLength ?? 0) > this.#threshold) this.#openFile();
  }

  /** Bytes received so far. */
  get size(): number {
    return this.#size;
  }

  /** True once the body went to a temporary file. */
  get spooled(): boolean {
    return this.#path !== null;
  }

  /** Bytes received and not yet on disk. */
  get pending(): number {
    return this.#pending;
  }

  /**
   * Adds the next piece of the body (kept by reference until it is on disk).
   *
   * @example
   * ```ts
   * spool.write(ev.data);
   * ```
   */
  write(chunk: Buffer): void {
    if (this.#disposed || chunk.length === 0) return;
    this.#size += chunk.length;
    if (this.#path === null) {
      this.#chunks.push(chunk);
      if (this.#size <= this.#threshold) return;
      this.#openFile();
      return;
    }
    this.#queue.push(chunk);
    this.#pending += chunk.length;
    this.#flush();
  }

  /**
   * The body is complete: `done` is called (synchronously for a body in memory) once every byte is
   * on disk, with the error if the file could not be written.
   *
   * @example
   * ```ts
   * spool.end((err) => (err === null ? render() : fail(err)));
   * ```
   */
  end(done: (err: Error | null) => void): void {
    if (this.#path === null || this.#error !== null || (this.#pending === 0 && this.#fd >= 0)) {
      done(this.#error);
      return;
    }
    this.#done = done;
  }

  /**
   * The whole body as one Buffer. A spooled body is read back from its file, synchronously: use
   * `createReadStream()` to stream a big one instead.
   *
   * @example
   * ```ts
   * JSON.parse(spool.toBuffer().toString('utf8'));
   * ```
   */
  toBuffer(): Buffer {
    if (this.#path === null) {
      const c = this.#chunks;
      if (c.length > 1) this.#chunks = [Buffer.concat(c)];
      return this.#chunks[0] ?? EMPTY;
    }
    this.#checkReadable();
    const out = Buffer.allocUnsafe(this.#size);
    let at = 0;
    while (at < out.length) {
      const n = readSync(this.#fd, out, at, out.length - at, at);
      if (n === 0) throw new Error('the spooled request body is shorter than received');
      at += n;
    }
    return out;
  }

  /**
   * A stream of the body, from memory or from its file.
   *
   * @example
   * ```ts
   * spool.createReadStream().pipe(createWriteStream('upload.bin'));
   * ```
   */
  createReadStream(): Readable {
    if (this.#path === null) return Readable.from(this.#chunks.length === 0 ? [] : [this.toBuffer()]);
    this.#checkReadable();
    if (this.#size === 0) return Readable.from([]);
    const stream = createReadStream(this.#path, {
      fd: this.#fd,
      start: 0,
      end: this.#size - 1,
      autoClose: false,
    });
    this.#readers++;
    stream.once('close', () => {
      if (--this.#readers === 0 && this.#disposed) close(this.#fd, ignore);
    });
    return stream;
  }

  /**
   * Closes the temporary file (it was unlinked when created; streams already reading it finish
   * first), after which a spooled body cannot be read any more; a body in memory stays readable
   * (the garbage collector frees it). Idempotent.
   *
   * @example
   * ```ts
   * request.notifyFinish().addBoth(() => spool.dispose());
   * ```
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#queue = [];
    if (this.#fd >= 0 && !this.#writing && this.#readers === 0) close(this.#fd, ignore);
  }

  #checkReadable(): void {
    if (this.#disposed) throw new Error('the spooled request body was released when the response finished');
    if (this.#error !== null) throw this.#error;
    if (this.#fd < 0 || this.#pending > 0) throw new Error('the spooled request body is not complete yet');
  }

  #openFile(): void {
    const path = join(this.#directory, `twisted-ts-body-${randomBytes(12).toString('hex')}`);
    this.#path = path;
    // What was kept in memory goes to the file first.
    for (const c of this.#chunks) {
      this.#queue.push(c);
      this.#pending += c.length;
    }
    this.#chunks = [];
    this.#writing = true;
    open(path, 'wx+', 0o600, (err, fd) => {
      this.#writing = false;
      if (err !== null) {
        this.#failed(err);
        return;
      }
      this.#writing = true;
      // Unlinked before the first write: once a byte is stored, no name on disk holds it.
      unlink(path, (e) => {
        this.#writing = false;
        this.#fd = fd;
        if (this.#disposed) close(fd, ignore);
        else if (e !== null) this.#failed(e);
        else {
          this.#flush();
          if (!this.#writing) this.#settle();
        }
      });
    });
  }

  #flush(): void {
    if (this.#writing || this.#fd < 0 || this.#error !== null) return;
    const chunk = this.#queue.shift();
    if (chunk === undefined) return;
    this.#writing = true;
    write(this.#fd, chunk, 0, chunk.length, this.#written, (err, n) => this.#wrote(err, n, chunk));
  }

  #wrote(err: Error | null, n: number, chunk: Buffer): void {
    this.#writing = false;
    if (this.#disposed) {
      close(this.#fd, ignore);
      return;
    }
    if (err !== null) {
      this.#failed(err);
      return;
    }
    this.#written += n;
    this.#pending -= n;
    if (n < chunk.length) this.#queue.unshift(chunk.subarray(n));
    this.#flush();
    if (!this.#writing) this.#settle();
  }

  /** Every queued byte is on disk: tell whoever waits. */
  #settle(): void {
    const done = this.#done;
    this.#done = null;
    done?.(null);
    this.#onDrained?.();
  }

  #failed(err: Error): void {
    this.#error = new Error(`could not spool the request body to ${this.#directory}: ${err.message}`, {
      cause: err,
    });
    this.#queue = [];
    this.#pending = 0;
    const done = this.#done;
    this.#done = null;
    done?.(this.#error);
    this.#onDrained?.();
  }
}

function ignore(): void {}
