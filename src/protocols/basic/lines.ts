/**
 * `lines(protocol)`: the lines a `LineReceiver` receives, as an async iterator with backpressure.
 *
 * @example
 * ```ts
 * import { LineReceiver, lines } from 'twisted-ts/protocols/basic';
 * class Session extends LineReceiver {
 *   override connectionMade() { void this.serve(); }
 *   async serve() {
 *     for await (const line of lines(this)) this.sendLine(await lookup(line));
 *   }
 * }
 * ```
 * @module
 */
import type { Buffer } from 'node:buffer';
import type { LineReceiver } from './line-receiver.js';

/**
 * Options of `lines()`.
 *
 * @example
 * ```ts
 * for await (const line of lines(protocol, { highWaterMark: 64, lowWaterMark: 16 })) handle(line);
 * ```
 */
export interface LinesOptions {
  /** Lines queued before the protocol (and its transport) is paused (default 16). */
  readonly highWaterMark?: number;
  /** Queued lines at or below which it is resumed (default 0: when the consumer caught up). */
  readonly lowWaterMark?: number;
}

/**
 * Takes over `protocol.lineReceived` and `connectionLost`: each line received is yielded in
 * order; the iteration ends when the connection is lost (cleanly or not: the reason is not an
 * error of the iteration). When more than `highWaterMark` lines wait for the consumer, the protocol
 * is paused (`pauseProducing()`, which pauses the transport); it is resumed once the consumer has
 * drained the queue to `lowWaterMark`. Breaking out of the loop (`return()`) puts the original
 * `lineReceived` and `connectionLost` back, drops the lines still queued and resumes the protocol
 * if it was paused: later lines go to the original `lineReceived`.
 *
 * @example
 * ```ts
 * for await (const line of lines(proto, { highWaterMark: 100 })) await db.insert(line);
 * ```
 */
export function lines(protocol: LineReceiver, options: LinesOptions = {}): AsyncIterableIterator<Buffer> {
  const high = options.highWaterMark ?? 16;
  const low = options.lowWaterMark ?? 0;
  const queue: Buffer[] = [];
  let head = 0;
  let done = false;
  let waiting: ((r: IteratorResult<Buffer>) => void) | null = null;
  let pausedByUs = false;
  const originalLineReceived = protocol.lineReceived;
  const originalConnectionLost = protocol.connectionLost;

  protocol.lineReceived = (line: Buffer): void => {
    if (waiting !== null) {
      const w = waiting;
      waiting = null;
      w({ value: line, done: false });
      return;
    }
    queue.push(line);
    if (queue.length - head > high && !pausedByUs) {
      pausedByUs = true;
      protocol.pauseProducing();
    }
  };
  protocol.connectionLost = (reason: Error): void => {
    done = true;
    originalConnectionLost.call(protocol, reason);
    if (waiting !== null && head === queue.length) {
      const w = waiting;
      waiting = null;
      w({ value: undefined, done: true });
    }
  };

  const release = (): void => {
    protocol.lineReceived = originalLineReceived;
    protocol.connectionLost = originalConnectionLost;
    if (pausedByUs) {
      pausedByUs = false;
      protocol.resumeProducing();
    }
  };

  const iterator: AsyncIterableIterator<Buffer> = {
    next(): Promise<IteratorResult<Buffer>> {
      if (head < queue.length) {
        const value = queue[head++] as Buffer;
        if (head === queue.length) {
          queue.length = 0;
          head = 0;
        }
        if (pausedByUs && queue.length - head <= low && !done) {
          pausedByUs = false;
          protocol.resumeProducing();
        }
        return Promise.resolve({ value, done: false });
      }
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    return(): Promise<IteratorResult<Buffer>> {
      done = true;
      queue.length = 0;
      head = 0;
      release();
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
