/**
 * `LogPublisher`: fans events out to observers, Twisted's `LogPublisher`; `globalLogPublisher`
 * is the one every `Logger` emits to by default. The global publisher also publishes each event on
 * the `node:diagnostics_channel` channel `'twisted-ts:log'`, so APM tools can listen without
 * registering an observer.
 *
 * @example
 * ```ts
 * import { globalLogPublisher } from 'twisted-ts/logger';
 * const observer = (event) => console.log(event.logNamespace, event.logLevel);
 * globalLogPublisher.addObserver(observer);
 * ```
 * @module
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { deliver, type ILogObserver, type LogEvent } from './event.js';

/**
 * The `node:diagnostics_channel` name every event of `globalLogPublisher` is published on.
 *
 * @example
 * ```ts
 * diagnosticsChannel.subscribe(LOG_CHANNEL_NAME, (event) => apm.record(event));
 * ```
 */
export const LOG_CHANNEL_NAME = 'twisted-ts:log';

/**
 * Options of a `LogPublisher`.
 *
 * @example
 * ```ts
 * const publisher = new LogPublisher({ diagnosticsChannel: 'twisted-ts:log' });
 * ```
 */
export interface LogPublisherOptions {
  /** Also publish every event on this `node:diagnostics_channel` channel. */
  diagnosticsChannel?: string;
}

/**
 * Delivers each event to every observer, in the order they were added. An observer that throws
 * does not stop the others; the error is reported to them as a `critical` event in the
 * `'twisted-ts.logger'` namespace.
 *
 * @example
 * ```ts
 * const publisher = new LogPublisher();
 * publisher.addObserver((event) => events.push(event));
 * new Logger('x', { observer: publisher }).info('hello');
 * ```
 */
export class LogPublisher {
  #observers: ILogObserver[] = [];
  readonly #channel: diagnosticsChannel.Channel | undefined;
  #reporting = false;

  constructor(options: LogPublisherOptions = {}) {
    this.#channel =
      options.diagnosticsChannel === undefined
        ? undefined
        : diagnosticsChannel.channel(options.diagnosticsChannel);
  }

  /**
   * Starts delivering events to `observer` (adding it twice has no effect).
   *
   * @example
   * ```ts
   * publisher.addObserver(textFileLogObserver(process.stdout));
   * ```
   */
  addObserver(observer: ILogObserver): void {
    if (!this.#observers.includes(observer)) this.#observers = [...this.#observers, observer];
  }

  /**
   * Stops delivering events to `observer`; unknown observers are ignored.
   *
   * @example
   * ```ts
   * publisher.removeObserver(observer);
   * ```
   */
  removeObserver(observer: ILogObserver): void {
    this.#observers = this.#observers.filter((o) => o !== observer);
  }

  /**
   * The observers, in delivery order (a copy).
   *
   * @example
   * ```ts
   * publisher.observers.length; // how many observers
   * ```
   */
  get observers(): ILogObserver[] {
    return [...this.#observers];
  }

  /**
   * Delivers `event` to every observer (and to the diagnostics channel, if any).
   *
   * @example
   * ```ts
   * publisher.observe({ logLevel: 'info', logNamespace: 'x', logTime: Date.now() / 1000, logFormat: 'hi' });
   * ```
   */
  observe(event: LogEvent): void {
    if (this.#channel?.hasSubscribers) this.#channel.publish(event);
    for (const observer of this.#observers) {
      try {
        deliver(observer, event);
      } catch (err) {
        this.#reportObserverError(observer, err);
      }
    }
  }

  #reportObserverError(failed: ILogObserver, err: unknown): void {
    if (this.#reporting) return;
    this.#reporting = true;
    try {
      const report: LogEvent = {
        logFormat: 'A log observer raised an error; the event was not delivered to it',
        logLevel: 'critical',
        logNamespace: 'twisted-ts.logger',
        logTime: Date.now() / 1000,
        logFailure: err instanceof Error ? err : new Error(String(err)),
      };
      for (const observer of this.#observers) {
        if (observer === failed) continue;
        try {
          deliver(observer, report);
        } catch {
          // An observer that fails on the report too is skipped: nothing else can be done.
        }
      }
    } finally {
      this.#reporting = false;
    }
  }
}

/**
 * The process-wide publisher: `Logger`s emit here unless given another observer. Its events are
 * also published on the `'twisted-ts:log'` diagnostics channel.
 *
 * @example
 * ```ts
 * import diagnosticsChannel from 'node:diagnostics_channel';
 * diagnosticsChannel.subscribe('twisted-ts:log', (event) => apm.record(event));
 * ```
 */
export const globalLogPublisher = new LogPublisher({ diagnosticsChannel: LOG_CHANNEL_NAME });
