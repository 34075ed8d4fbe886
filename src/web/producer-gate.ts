/**
 * `ProducerGate`: one push producer paused for several reasons at once. A response body may have
 * two consumers that push back — the transport (its buffer is full) and a compressor (its input
 * queue is full) — and the producer must stay paused until both let it go. The gate is what the
 * transport sees as the producer; the request pauses it for the compressor with `pauseFor`.
 *
 * @example
 * ```ts
 * const gate = new ProducerGate(fileProducer);
 * transport.registerProducer(gate, true);   // the transport pauses and resumes the gate
 * gate.pauseFor(ENCODER);                   // and so may the compressor
 * gzip.once('drain', () => gate.resumeFor(ENCODER));
 * ```
 * @module
 */
import type { IPushProducer } from '../internet/interfaces.js';

/** The transport's reason (its own `pauseProducing`/`resumeProducing`). */
export const TRANSPORT = 1;
/** The response encoder's reason. */
export const ENCODER = 2;

/** Pauses `producer` while any reason holds; see the module doc. */
export class ProducerGate implements IPushProducer {
  readonly producer: IPushProducer;
  #reasons = 0;

  constructor(producer: IPushProducer) {
    this.producer = producer;
  }

  /**
   * Pauses the producer for `reason` (it is paused once, whatever the number of reasons). Returns
   * false when `reason` already held: whoever lifts it was told before.
   *
   * @example
   * ```ts
   * if (gate.pauseFor(ENCODER)) gzip.once('drain', () => gate.resumeFor(ENCODER));
   * ```
   */
  pauseFor(reason: number): boolean {
    const was = this.#reasons;
    if ((was & reason) === reason) return false;
    this.#reasons |= reason;
    if (was === 0) this.producer.pauseProducing();
    return true;
  }

  /**
   * Lifts `reason`; the producer resumes when no reason is left.
   *
   * @example
   * ```ts
   * gate.resumeFor(ENCODER);
   * ```
   */
  resumeFor(reason: number): void {
    if ((this.#reasons & reason) === 0) return;
    this.#reasons &= ~reason;
    if (this.#reasons === 0) this.producer.resumeProducing();
  }

  /** The transport's buffer is full. */
  pauseProducing(): void {
    this.pauseFor(TRANSPORT);
  }

  /** The transport drained. */
  resumeProducing(): void {
    this.resumeFor(TRANSPORT);
  }

  /** The connection is gone. */
  stopProducing(): void {
    this.producer.stopProducing();
  }
}
