/**
 * `ProducerSlot`: the consumer side of `registerProducer` for a socket transport. It pauses a
 * streaming (push) producer when the socket's buffer is full and resumes it on drain, and pulls a
 * non-streaming (pull) producer — `resumeProducing()` once per turn of the loop — while the buffer
 * has room. A transport makes one per registration, so connections without a producer pay nothing.
 *
 * @example
 * ```ts
 * const slot = new ProducerSlot(producer, true, () => socket.writable && !socket.writableNeedDrain);
 * slot.start(socket.writableNeedDrain);
 * if (!socket.write(data)) slot.bufferFull();
 * socket.on('drain', () => slot.drained());
 * ```
 * @module
 */
import { reportError } from './error-reporter.js';
import type { IPullProducer, IPushProducer } from './interfaces.js';

/**
 * Bytes buffered in a socket above which a streaming producer is paused (64 KiB).
 *
 * @example
 * ```ts
 * // a streaming producer is paused by the write that leaves this many bytes buffered
 * transport.registerProducer(producer, true); // producer: an IPushProducer that records pauses
 * transport.write(Buffer.alloc(HIGH_WATER_MARK));
 * assert.equal(producer.paused, true); // resumed once the socket drains
 * ```
 */
export const HIGH_WATER_MARK = 64 * 1024;

/**
 * One registered producer and its flow-control state. Exceptions from the producer's methods are
 * reported (`reportError`), never thrown into the transport.
 *
 * @example
 * ```ts
 * transportSlot = new ProducerSlot(fileSender, false, () => !socket.writableNeedDrain);
 * transportSlot.start(false); // a pull producer: first resumeProducing() on the next turn
 * ```
 */
export class ProducerSlot {
  /** The producer. */
  readonly producer: IPushProducer | IPullProducer;
  /** True for a push producer. */
  readonly streaming: boolean;
  readonly #hasRoom: () => boolean;
  #paused = false;
  #pullScheduled = false;
  #detached = false;

  /**
   * @param hasRoom whether the consumer wants more data now (connected and not above its high-water mark).
   */
  constructor(producer: IPushProducer | IPullProducer, streaming: boolean, hasRoom: () => boolean) {
    this.producer = producer;
    this.streaming = streaming;
    this.#hasRoom = hasRoom;
  }

  /**
   * Starts flow control: pauses a push producer at once if the buffer is already full; schedules
   * the first pull of a pull producer.
   *
   * @example
   * ```ts
   * slot.start(socket.writableNeedDrain);
   * ```
   */
  start(full: boolean): void {
    if (!this.streaming) this.schedulePull();
    else if (full) this.bufferFull();
  }

  /**
   * The buffer went above its high-water mark: pause a push producer (once).
   *
   * @example
   * ```ts
   * if (!socket.write(data)) slot.bufferFull();
   * ```
   */
  bufferFull(): void {
    if (!this.streaming || this.#paused || this.#detached) return;
    this.#paused = true;
    try {
      (this.producer as IPushProducer).pauseProducing();
    } catch (err) {
      reportError(err, 'pauseProducing');
    }
  }

  /**
   * Data was written and the buffer has room: a pull producer gets asked for more.
   *
   * @example
   * ```ts
   * if (socket.write(data)) slot.wrote();
   * ```
   */
  wrote(): void {
    if (!this.streaming) this.schedulePull();
  }

  /**
   * The buffer drained: resume a paused push producer, or pull again.
   *
   * @example
   * ```ts
   * socket.on('drain', () => slot.drained());
   * ```
   */
  drained(): void {
    if (this.#detached) return;
    if (!this.streaming) {
      this.schedulePull();
      return;
    }
    if (!this.#paused) return;
    this.#paused = false;
    try {
      this.producer.resumeProducing();
    } catch (err) {
      reportError(err, 'resumeProducing');
    }
  }

  /**
   * Asks a pull producer for a chunk on the next turn of the loop (once, however often called).
   *
   * @example
   * ```ts
   * slot.schedulePull();
   * ```
   */
  schedulePull(): void {
    if (this.#pullScheduled || this.#detached) return;
    this.#pullScheduled = true;
    setImmediate(ProducerSlot.#pull, this);
  }

  /**
   * The producer was unregistered: no more calls to it.
   *
   * @example
   * ```ts
   * slot.detach();
   * ```
   */
  detach(): void {
    this.#detached = true;
  }

  /**
   * The connection is gone: detaches and calls `stopProducing()`.
   *
   * @example
   * ```ts
   * slot.stop();
   * ```
   */
  stop(): void {
    this.#detached = true;
    try {
      this.producer.stopProducing();
    } catch (err) {
      reportError(err, 'stopProducing');
    }
  }

  static #pull(slot: ProducerSlot): void {
    slot.#pullScheduled = false;
    if (slot.#detached || !slot.#hasRoom()) return;
    try {
      slot.producer.resumeProducing();
    } catch (err) {
      reportError(err, 'resumeProducing');
    }
  }
}
