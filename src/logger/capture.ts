/**
 * `capturedLogs()`: collects the events of a publisher (the global one by default) in a test.
 *
 * @example
 * ```ts
 * import { capturedLogs } from 'twisted-ts/logger';
 * const logs = capturedLogs();
 * t.after(logs.restore);
 * doSomething();
 * assert.equal(logs.events[0]?.logLevel, 'error');
 * ```
 * @module
 */
import type { LogEvent } from './event.js';
import { formatEvent } from './format.js';
import { globalLogPublisher, type LogPublisher } from './publisher.js';

/**
 * What `capturedLogs` returns.
 *
 * @example
 * ```ts
 * using logs = capturedLogs(); doWork(); assert.equal(logs.events.length, 1);
 * ```
 */
export interface CapturedLogs extends Disposable {
  /** The events published since the capture started, in order. */
  readonly events: LogEvent[];
  /** The formatted messages of `events`. */
  messages(): string[];
  /** Stops capturing. Idempotent. */
  restore(): void;
}

/**
 * Starts recording the events of `publisher`; call `restore()` (or dispose it) when done.
 *
 * @example
 * ```ts
 * const logs = capturedLogs();
 * try {
 *   new Logger('t').info('hi {who}', { who: 'there' });
 *   assert.deepEqual(logs.messages(), ['hi there']);
 * } finally {
 *   logs.restore();
 * }
 * ```
 */
export function capturedLogs(publisher: LogPublisher = globalLogPublisher): CapturedLogs {
  const events: LogEvent[] = [];
  const observer = (event: LogEvent): void => {
    events.push(event);
  };
  publisher.addObserver(observer);
  const restore = (): void => publisher.removeObserver(observer);
  return {
    events,
    messages: () => events.map(formatEvent),
    restore,
    [Symbol.dispose]: restore,
  };
}
