/**
 * Producers and consumers, Twisted's flow control: a consumer (a transport) pauses a push producer
 * when its buffer is full and resumes it once drained, or pulls a pull producer one chunk at a
 * time, so a fast source never floods memory. `ProducerSlot` implements the consumer side for
 * socket transports; `FileSender` is a pull producer.
 *
 * @example
 * ```ts
 * import { FileSender } from 'twisted-ts/internet';
 * transport.registerProducer(pushProducer, true); // paused and resumed by the transport
 * new FileSender().beginFileTransfer(file, transport); // a pull producer: registers itself
 * ```
 * @module
 */

/**
 * A producer the consumer pauses and resumes (a socket, a stream); Twisted's `IPushProducer`.
 * Register it with `registerProducer(producer, true)`: the consumer then pauses it when its buffer
 * is full and resumes it once drained, so a fast source never floods memory.
 *
 * @example
 * ```ts
 * class StreamProducer implements IPushProducer {
 *   constructor(readonly stream: Readable) {}
 *   pauseProducing() { this.stream.pause(); }
 *   resumeProducing() { this.stream.resume(); }
 *   stopProducing() { this.stream.destroy(); }
 * }
 * transport.registerProducer(new StreamProducer(stream), true);
 * ```
 */
export interface IPushProducer {
  /** The consumer's buffer is full: stop writing until `resumeProducing()` (writes meanwhile are buffered, not lost). */
  pauseProducing(): void;
  /** The consumer drained its buffer: start writing again. */
  resumeProducing(): void;
  /** The consumer is gone (e.g. the connection was lost): stop for good and release resources. */
  stopProducing(): void;
}

/**
 * A producer the consumer pulls from: each `resumeProducing()` writes one chunk; Twisted's
 * `IPullProducer`. Register it with `registerProducer(producer, false)`; the consumer asks again
 * whenever it has room, so the producer never needs to watch the buffer.
 *
 * @example
 * ```ts
 * class Countdown implements IPullProducer {
 *   #n = 3;
 *   constructor(readonly consumer: IConsumer) {}
 *   resumeProducing() {
 *     this.consumer.write(`${this.#n--}\n`);
 *     if (this.#n === 0) this.consumer.unregisterProducer();
 *   }
 *   stopProducing() {}
 * }
 * transport.registerProducer(new Countdown(transport), false);
 * ```
 */
export interface IPullProducer {
  /** Asked for the next chunk: write it with `consumer.write()`; the consumer asks again once it has room. */
  resumeProducing(): void;
  /** The consumer is gone (e.g. the connection was lost): stop for good and release resources. */
  stopProducing(): void;
}

/**
 * Something producers write into; a transport is one. Twisted's `IConsumer`: registering a producer
 * gives the consumer flow control over it.
 *
 * @example
 * ```ts
 * const sender = new FileSender();
 * sender.beginFileTransfer(fs.createReadStream('big.iso'), transport); // registers itself on `transport`
 * ```
 */
export interface IConsumer {
  /**
   * `streaming` true: a push producer (paused/resumed); false: a pull producer (asked per chunk).
   * Throws when another producer is registered; a closed transport calls `stopProducing()` at once.
   */
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void;
  /**
   * Detaches the producer (it is called no more), usually once it wrote its last chunk. A
   * `loseConnection()` called meanwhile waits for this before closing.
   */
  unregisterProducer(): void;
  /** Takes a chunk from the producer; the consumer buffers what it cannot pass on at once. */
  write(data: Uint8Array | string): void;
}
