/**
 * `FileBodyProducer`: a request body from a `Buffer`, a string or a Node `Readable` (a file
 * stream, a pipe). A buffer has a known length (sent with Content-Length); a stream's length is
 * what you pass as `length`, else `'UNKNOWN'` (sent chunked). Streams honour backpressure: the
 * producer registers with the connection's transport, which pauses the stream above its
 * high-water mark and resumes it on drain.
 *
 * @example
 * ```ts
 * import { createReadStream, statSync } from 'node:fs';
 * const body = new FileBodyProducer(createReadStream('big.iso'), { length: statSync('big.iso').size });
 * await agent.request('PUT', 'http://127.0.0.1:8080/upload', null, body);
 * ```
 * @module
 */
import type { Readable } from 'node:stream';
import { Deferred } from '../../internet/defer.js';
import type { IConsumer } from '../../internet/interfaces.js';
import type { BodyLength, IBodyProducer } from './interfaces.js';

/**
 * Options of `FileBodyProducer`.
 *
 * @example
 * ```ts
 * const size = statSync('backup.tar').size;
 * const body = new FileBodyProducer(createReadStream('backup.tar'), { length: size });
 * await agent.request('PUT', 'http://127.0.0.1:8080/backup.tar', null, body); // Content-Length, not chunked
 * ```
 */
export interface FileBodyProducerOptions {
  /** The stream's length in bytes when known (a stream is otherwise sent chunked). */
  length?: number;
}

/**
 * A body producer over a buffer or a readable stream; see the module doc.
 *
 * @example
 * ```ts
 * const json = new FileBodyProducer(JSON.stringify({ name: 'a' })); // a known length: Content-Length
 * await agent.request('POST', url, { 'content-type': 'application/json' }, json);
 * const upload = new FileBodyProducer(createReadStream('video.mp4')); // no length given: chunked
 * await agent.request('PUT', url, null, upload);
 * ```
 */
export class FileBodyProducer implements IBodyProducer {
  readonly length: BodyLength;
  readonly #source: Buffer | Readable;
  #stream: Readable | null = null;
  #done: Deferred<void> | null = null;

  constructor(source: Buffer | Uint8Array | string | Readable, options: FileBodyProducerOptions = {}) {
    if (typeof source === 'string') this.#source = Buffer.from(source);
    else if (source instanceof Uint8Array)
      this.#source = Buffer.isBuffer(source) ? source : Buffer.from(source);
    else this.#source = source;
    this.length = Buffer.isBuffer(this.#source) ? this.#source.length : (options.length ?? 'UNKNOWN');
  }

  /**
   * True when the body can be sent again (a buffer): the pool may then retry the request.
   *
   * @example
   * ```ts
   * new FileBodyProducer(Buffer.from('x')).replayable; // true
   * ```
   */
  get replayable(): boolean {
    return Buffer.isBuffer(this.#source);
  }

  /**
   * Writes the body into `consumer`; fires when all of it was written.
   *
   * @example
   * ```ts
   * await producer.startProducing(consumer);
   * ```
   */
  startProducing(consumer: IConsumer): Deferred<void> {
    const src = this.#source;
    if (Buffer.isBuffer(src)) {
      const d = new Deferred<void>();
      try {
        consumer.write(src);
        d.callback(undefined);
      } catch (err) {
        d.errback(err);
      }
      return d;
    }
    const stream = src;
    this.#stream = stream;
    const d = new Deferred<void>(() => this.stopProducing());
    this.#done = d;
    consumer.registerProducer(this, true);
    const cleanup = (): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      try {
        consumer.unregisterProducer();
      } catch {
        // The transport is gone.
      }
    };
    const onData = (chunk: Buffer | string): void => {
      try {
        consumer.write(chunk);
      } catch (err) {
        cleanup();
        stream.destroy();
        if (!d.called) d.errback(err);
      }
    };
    const onEnd = (): void => {
      cleanup();
      if (!d.called) d.callback(undefined);
    };
    const onError = (err: Error): void => {
      cleanup();
      if (!d.called) d.errback(err);
    };
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
    return d;
  }

  /** Pauses the stream. @example `producer.pauseProducing()` */
  pauseProducing(): void {
    this.#stream?.pause();
  }

  /** Resumes the stream. @example `producer.resumeProducing()` */
  resumeProducing(): void {
    this.#stream?.resume();
  }

  /** Stops for good: the stream is destroyed. @example `producer.stopProducing()` */
  stopProducing(): void {
    const s = this.#stream;
    this.#stream = null;
    s?.destroy();
    const d = this.#done;
    if (d !== null && !d.called) d.errback(new Error('The body producer was stopped.'));
  }
}
