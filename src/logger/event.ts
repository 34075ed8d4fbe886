/**
 * `LogEvent`: a structured log event, Twisted's event dictionary with camelCase keys
 * (`log_format` → `logFormat`, `log_level` → `logLevel`, …). Any other key is a field that the
 * format string may name.
 *
 * @example
 * ```ts
 * import type { LogEvent } from 'twisted-ts/logger';
 * const event: LogEvent = {
 *   logFormat: 'Accepted {peer}', logLevel: 'info', logNamespace: 'echo', logTime: 1_800_000_000,
 *   peer: '127.0.0.1:4000',
 * };
 * ```
 * @module
 */
import type { LogLevel } from './levels.js';

/**
 * A structured log event.
 *
 * @example
 * ```ts
 * const observer = (event: LogEvent) => { if (event.logLevel === 'error') alert(formatEvent(event)); };
 * ```
 */
export interface LogEvent {
  /** Format string filled from the event's fields (`{name}`; `{{`/`}}` for literal braces). */
  readonly logFormat?: string | null;
  /** Severity. */
  readonly logLevel: LogLevel;
  /** Dotted namespace of the emitting `Logger` (`'twisted-ts.web'`); filters match its prefixes. */
  readonly logNamespace: string;
  /** When the event was emitted, in seconds since the epoch (a float, as in Twisted). */
  readonly logTime: number;
  /** The error a `log.failure(...)` call attached. */
  readonly logFailure?: Error;
  /** The object the emitting `Logger` was created for, if any. */
  readonly logSource?: unknown;
  /** Set by `twist --workers N` in each worker: which worker emitted the event. */
  readonly logWorker?: {
    /** The worker's number, 1 to N for `--workers N`; a restarted worker keeps its number. */
    readonly id: number;
    /** The worker's operating-system process id. */
    readonly pid: number;
  };
  /** Any other field, available to the format string. */
  readonly [field: string]: unknown;
}

/**
 * Something that receives log events: a function, or an object with `observe(event)`.
 * Twisted's `ILogObserver`.
 *
 * @example
 * ```ts
 * const printer: ILogObserver = (event) => console.log(formatEvent(event));
 * ```
 */
export type ILogObserver =
  | ((event: LogEvent) => void)
  | {
      /** Receives one event; should not throw (the publisher reports the error to the other observers). */
      observe(event: LogEvent): void;
    };

/**
 * Delivers `event` to `observer` whichever of the two shapes it has.
 *
 * @example
 * ```ts
 * deliver(observer, event);
 * ```
 */
export function deliver(observer: ILogObserver, event: LogEvent): void {
  if (typeof observer === 'function') observer(event);
  else observer.observe(event);
}
