/**
 * `LogBeginner`: starts logging, Twisted's `globalLogBeginner`. Until `beginLoggingTo` is called,
 * the last events (200 by default) are kept so that what happened during start-up is not lost;
 * they are replayed to the observers logging begins with.
 *
 * @example
 * ```ts
 * import { globalLogBeginner, textFileLogObserver } from 'twisted-ts/logger';
 * globalLogBeginner.beginLoggingTo([textFileLogObserver(process.stderr)]);
 * ```
 * @module
 */
import { deliver, type ILogObserver, type LogEvent } from './event.js';
import { globalLogPublisher, type LogPublisher } from './publisher.js';

/**
 * Options of `beginLoggingTo`.
 *
 * @example
 * ```ts
 * globalLogBeginner.beginLoggingTo([textFileLogObserver(process.stderr)], { discardBuffer: true });
 * ```
 */
export interface BeginLoggingOptions {
  /** Drop the events kept so far instead of replaying them (default false). */
  discardBuffer?: boolean;
}

/**
 * Buffers a publisher's events until logging begins, then hands over to real observers.
 *
 * @example
 * ```ts
 * const beginner = new LogBeginner(publisher);
 * const stop = beginner.beginLoggingTo([observer]);
 * stop(); // removes `observer` again
 * ```
 */
export class LogBeginner {
  readonly #publisher: LogPublisher;
  readonly #limit: number;
  #buffer: LogEvent[] | null = [];
  readonly #buffering = (event: LogEvent): void => {
    const buffer = this.#buffer;
    if (buffer === null) return;
    buffer.push(event);
    if (buffer.length > this.#limit) buffer.shift();
  };

  constructor(publisher: LogPublisher, options: { bufferSize?: number } = {}) {
    this.#publisher = publisher;
    this.#limit = options.bufferSize ?? 200;
    publisher.addObserver(this.#buffering);
  }

  /**
   * True once `beginLoggingTo` was called.
   *
   * @example
   * ```ts
   * if (!globalLogBeginner.begun) globalLogBeginner.beginLoggingTo([observer]);
   * ```
   */
  get begun(): boolean {
    return this.#buffer === null;
  }

  /**
   * Adds `observers` to the publisher, replays the buffered events to them (the first time only)
   * and stops buffering. Returns a function that removes these observers again.
   *
   * @example
   * ```ts
   * const stop = globalLogBeginner.beginLoggingTo([jsonFileLogObserver(process.stdout)]);
   * ```
   */
  beginLoggingTo(observers: readonly ILogObserver[], options: BeginLoggingOptions = {}): () => void {
    const buffered = this.#buffer ?? [];
    this.#buffer = null;
    this.#publisher.removeObserver(this.#buffering);
    if (options.discardBuffer !== true) {
      for (const event of buffered) for (const o of observers) deliver(o, event);
    }
    for (const o of observers) this.#publisher.addObserver(o);
    return () => {
      for (const o of observers) this.#publisher.removeObserver(o);
    };
  }
}

/**
 * The beginner of `globalLogPublisher`.
 *
 * @example
 * ```ts
 * globalLogBeginner.beginLoggingTo([textFileLogObserver(process.stdout)]);
 * ```
 */
export const globalLogBeginner = new LogBeginner(globalLogPublisher);
