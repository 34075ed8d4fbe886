/**
 * How `twist` logs: `--log-level`, `--log-format text|json` and `--log-file PATH|-` become one
 * filtered observer on the global log publisher; in a worker every event is tagged with the worker
 * (`[worker 2 pid 1234]`).
 *
 * @example
 * ```ts
 * const logging = startLogging({ level: 'info', format: 'text', file: '-', stdout: process.stdout });
 * // ... run ...
 * await logging.stop();
 * ```
 * @module
 */
import { createWriteStream } from 'node:fs';
import { globalLogBeginner } from '../logger/beginner.js';
import type { LogEvent } from '../logger/event.js';
import { FilteringLogObserver, LogLevelFilterPredicate } from '../logger/filtering.js';
import type { LogLevel } from '../logger/levels.js';
import { jsonFileLogObserver, type LogStream, textFileLogObserver } from '../logger/observers.js';

/**
 * What `startLogging` needs.
 *
 * @example
 * ```ts
 * const logging = startLogging({ level: 'info', format: 'text', file: '-', stdout: process.stdout });
 * ```
 */
export interface LoggingOptions {
  readonly level: LogLevel;
  readonly format: 'text' | 'json';
  /** A path (appended to), or `'-'` for `stdout`. */
  readonly file: string;
  readonly stdout: LogStream;
  /** Set in `--workers` children: tags every event. */
  readonly worker?: { readonly id: number; readonly pid: number };
}

/**
 * Logging in progress.
 *
 * @example
 * ```ts
 * await logging.stop();
 * ```
 */
export interface Logging {
  /** Removes the observer and closes the log file, if any. */
  stop(): Promise<void>;
}

/**
 * Starts logging as the options say; events emitted before are replayed the first time.
 *
 * @example
 * ```ts
 * startLogging({ level: 'debug', format: 'json', file: '/var/log/twist.log', stdout: process.stdout });
 * ```
 */
export function startLogging(options: LoggingOptions): Logging {
  const file = options.file === '-' ? null : createWriteStream(options.file, { flags: 'a' });
  const stream: LogStream = file ?? options.stdout;
  const write = options.format === 'json' ? jsonFileLogObserver(stream) : textFileLogObserver(stream);
  const worker = options.worker;
  const tagged = worker === undefined ? write : (event: LogEvent) => write({ ...event, logWorker: worker });
  const observer = new FilteringLogObserver(tagged, [new LogLevelFilterPredicate(options.level)]);
  const stopObserving = globalLogBeginner.beginLoggingTo([observer]);
  return {
    async stop() {
      stopObserving();
      if (file !== null) await new Promise<void>((resolve) => file.end(resolve));
    },
  };
}
