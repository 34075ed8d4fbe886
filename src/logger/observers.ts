/**
 * Observers that write events to a stream: `textFileLogObserver` (the classic one-line text
 * format) and `jsonFileLogObserver` (one JSON object per line).
 *
 * @example
 * ```ts
 * import { globalLogPublisher, textFileLogObserver } from 'twisted-ts/logger';
 * globalLogPublisher.addObserver(textFileLogObserver(process.stdout));
 * ```
 * @module
 */
import type { LogEvent } from './event.js';
import { eventAsText, formatEvent, formatTime } from './format.js';

/**
 * What the file observers write to: a `Writable`, `process.stdout`, or anything with `write`.
 *
 * @example
 * ```ts
 * const lines: string[] = []; const stream: LogStream = { write: (s) => lines.push(s) };
 * ```
 */
export interface LogStream {
  /** Writes one or more complete lines, newline included; the return value is ignored. */
  write(chunk: string): unknown;
}

/**
 * Options of `textFileLogObserver`.
 *
 * @example
 * ```ts
 * textFileLogObserver(process.stdout, { timeFormat: (s) => new Date(s * 1000).toISOString() });
 * ```
 */
export interface TextFileLogObserverOptions {
  /** Renders `logTime` (seconds since the epoch); default `2026-11-23T21:33:05+0000` in UTC. */
  timeFormat?: (seconds: number) => string;
}

/**
 * An observer writing `2026-11-23T21:33:05+0000 [namespace#level] message` lines to `stream`,
 * followed by the error's stack (tab-indented) for failures.
 *
 * @example
 * ```ts
 * globalLogPublisher.addObserver(textFileLogObserver(fs.createWriteStream('twist.log', { flags: 'a' })));
 * ```
 */
export function textFileLogObserver(
  stream: LogStream,
  options: TextFileLogObserverOptions = {},
): (event: LogEvent) => void {
  const timeFormat = options.timeFormat ?? formatTime;
  return (event) => {
    stream.write(eventAsText(event, timeFormat));
  };
}

/**
 * An observer writing each event as one line of JSON: every field of the event, `logText` (the
 * formatted message), and errors as `{ name, message, stack, code, cause }`. Values JSON cannot
 * hold (functions, symbols, cycles) are dropped or replaced by `'[Circular]'`.
 *
 * @example
 * ```ts
 * globalLogPublisher.addObserver(jsonFileLogObserver(process.stdout));
 * // {"logLevel":"info","logNamespace":"echo","logFormat":"Accepted {peer}","peer":"…","logText":"Accepted …",…}
 * ```
 */
export function jsonFileLogObserver(stream: LogStream): (event: LogEvent) => void {
  return (event) => {
    stream.write(`${eventAsJSON(event)}\n`);
  };
}

/**
 * One event as a JSON string (no newline), as `jsonFileLogObserver` writes it.
 *
 * @example
 * ```ts
 * JSON.parse(eventAsJSON(event)).logText; // the formatted message
 * ```
 */
export function eventAsJSON(event: LogEvent): string {
  const seen = new WeakSet<object>();
  const record = { ...event, logText: formatEvent(event) };
  return JSON.stringify(record, function (this: Record<string, unknown>, key: string, converted: unknown) {
    // `toJSON` (Buffer, Date) already ran on `converted`; the holder still has the raw value.
    const value = key === '' ? converted : this[key];
    if (Buffer.isBuffer(value)) return value.toString('base64');
    if (value instanceof Date) return converted;
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'function' || typeof value === 'symbol') return undefined;
    if (value instanceof Error) return serialiseError(value);
    if (value !== null && typeof value === 'object') {
      if (seen.has(value)) return '[Circular]';
      seen.add(value);
    }
    return value;
  });
}

function serialiseError(error: Error): Record<string, unknown> {
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: error.message,
    stack: error.stack,
    ...(code === undefined ? {} : { code }),
    ...(error.cause === undefined ? {} : { cause: error.cause }),
  };
}
