/**
 * `FileSender`: sends a file (or any readable stream) to a consumer such as a transport, one chunk
 * each time the consumer asks — a pull producer, Twisted's `basic.FileSender`. Memory stays at one
 * chunk however large the file, and a slow peer slows the reading down.
 *
 * @example
 * ```ts
 * import { open } from 'node:fs/promises';
 * const file = await open('big.iso');
 * await new FileSender().beginFileTransfer(file, this.transport!);
 * await file.close();
 * this.transport!.loseConnection();
 * ```
 * @module
 */
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { Deferred } from './defer.js';
import type { IConsumer, IPullProducer } from './interfaces.js';

/**
 * What `beginFileTransfer` reads: an open file, or a readable stream of Buffers.
 *
 * @example
 * ```ts
 * const source: FileSource = fs.createReadStream('log.txt');
 * ```
 */
export type FileSource = FileHandle | Readable;

/**
 * Rewrites each chunk before it is written (e.g. line-ending conversion).
 *
 * @example
 * ```ts
 * const crlf: ChunkTransform = (chunk) => chunk.toString('latin1').replace(/\r?\n/g, '\r\n');
 * ```
 */
export type ChunkTransform = (chunk: Buffer) => Uint8Array | string;

/**
 * The consumer stopped the transfer (`stopProducing`) before the end, usually because the
 * connection was lost: the file was not sent in full.
 *
 * @example
 * ```ts
 * sender.beginFileTransfer(file, transport).addErrback((err) => trap(err, TransferStopped));
 * ```
 */
export class TransferStopped extends Error {
  /** Stable machine-readable code, as on `TwistedError`s. */
  readonly code = 'ERR_TRANSFER_STOPPED';
  constructor(message = 'Consumer asked us to stop producing.') {
    super(message);
    this.name = 'TransferStopped';
  }
}

function isFileHandle(source: FileSource): source is FileHandle {
  return typeof (source as FileHandle).fd === 'number' && typeof (source as FileHandle).read === 'function';
}

/**
 * A pull producer over a file. Each `resumeProducing()` from the consumer reads and writes one
 * chunk (`chunkSize` bytes, Twisted's `CHUNK_SIZE`); at the end it unregisters itself and the
 * Deferred fires with the last byte sent (a number, `undefined` for an empty file) — handy to know
 * whether the file ended with a newline. A read error fails the Deferred; `stopProducing()` fails
 * it with `TransferStopped`.
 *
 * @example
 * ```ts
 * const sender = new FileSender();
 * sender.beginFileTransfer(fs.createReadStream('log.txt'), transport, (b) => b.toString('latin1').toUpperCase());
 * ```
 */
export class FileSender implements IPullProducer {
  /** Bytes read per `resumeProducing()` (default 64 KiB). */
  chunkSize = 64 * 1024;
  /** The last byte written, once anything was. */
  lastSent: number | undefined = undefined;
  /** Bytes read from the source so far. */
  bytesSent = 0;
  #source: FileSource | null = null;
  #consumer: IConsumer | null = null;
  #transform: ChunkTransform | undefined;
  #deferred: Deferred<number | undefined> | null = null;
  #reading = false;
  #wanted = false;

  /**
   * Registers as a pull producer on `consumer` and sends `source` to it.
   *
   * @example
   * ```ts
   * const last = await new FileSender().beginFileTransfer(await open(path), transport);
   * ```
   */
  beginFileTransfer(
    source: FileSource,
    consumer: IConsumer,
    transform?: ChunkTransform,
  ): Deferred<number | undefined> {
    if (this.#deferred !== null) throw new Error('FileSender: a transfer is already in progress.');
    this.#source = source;
    this.#consumer = consumer;
    this.#transform = transform;
    const d = new Deferred<number | undefined>();
    this.#deferred = d;
    consumer.registerProducer(this, false);
    return d;
  }

  /**
   * Reads the next chunk and writes it to the consumer (asynchronously).
   *
   * @example
   * ```ts
   * sender.resumeProducing(); // normally called by the transport
   * ```
   */
  resumeProducing(): void {
    if (this.#deferred === null || this.#source === null) return;
    if (this.#reading) {
      this.#wanted = true;
      return;
    }
    this.#reading = true;
    const source = this.#source;
    if (isFileHandle(source)) {
      source.read(Buffer.allocUnsafe(this.chunkSize), 0, this.chunkSize, null).then(
        (r) => this.#chunkRead(r.bytesRead === 0 ? null : r.buffer.subarray(0, r.bytesRead)),
        (err: unknown) => this.#fail(err),
      );
    } else {
      this.#readStream(source);
    }
  }

  /**
   * Ends the transfer early; the Deferred fails with `TransferStopped`.
   *
   * @example
   * ```ts
   * sender.stopProducing(); // the connection was lost
   * ```
   */
  stopProducing(): void {
    this.#fail(new TransferStopped());
  }

  #readStream(stream: Readable): void {
    const chunk = stream.read(this.chunkSize) as Buffer | null;
    if (chunk !== null) {
      this.#chunkRead(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      return;
    }
    if (stream.readableEnded || stream.destroyed) {
      this.#chunkRead(null);
      return;
    }
    stream.once('readable', this.#onReadable);
    stream.once('end', this.#onReadable);
    stream.once('error', this.#onStreamError);
  }

  readonly #onReadable = (): void => {
    const stream = this.#source as Readable | null;
    if (stream === null) return;
    stream.off('readable', this.#onReadable);
    stream.off('end', this.#onReadable);
    stream.off('error', this.#onStreamError);
    // A final read() at the end returns the rest (possibly shorter than chunkSize).
    const chunk = (stream.read() as Buffer | null) ?? null;
    if (chunk !== null) this.#chunkRead(chunk);
    else if (stream.readableEnded) this.#chunkRead(null);
    else this.#readStream(stream);
  };

  readonly #onStreamError = (err: Error): void => {
    this.#fail(err);
  };

  #chunkRead(chunk: Buffer | null): void {
    this.#reading = false;
    const consumer = this.#consumer;
    if (consumer === null || this.#deferred === null) return;
    if (chunk === null) {
      const d = this.#deferred;
      this.#finish();
      consumer.unregisterProducer();
      d.callback(this.lastSent);
      return;
    }
    this.bytesSent += chunk.length;
    const out = this.#transform === undefined ? chunk : this.#transform(chunk);
    const bytes = typeof out === 'string' ? Buffer.from(out) : out;
    if (bytes.length > 0) this.lastSent = bytes[bytes.length - 1];
    consumer.write(bytes);
    if (this.#wanted) {
      this.#wanted = false;
      this.resumeProducing();
    }
  }

  #fail(err: unknown): void {
    const d = this.#deferred;
    if (d === null) return;
    const consumer = this.#consumer;
    this.#finish();
    if (!(err instanceof TransferStopped)) consumer?.unregisterProducer();
    d.errback(err);
  }

  #finish(): void {
    this.#deferred = null;
    this.#consumer = null;
    this.#source = null;
    this.#reading = false;
    this.#wanted = false;
  }
}
