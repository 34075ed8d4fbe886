/**
 * How `twist` logs: `--log-level`, `--log-format text|json` and `--log-file PATH|-` become one
 * filtered observer on the global log publisher; in a worker every event is tagged with the worker
 * (`[worker 2 pid 1234]`). `--log-level` takes a level per namespace too:
 * `--log-level warn,twisted-ts.web=debug`.
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
import { type LogLevel, parseLogLevel } from '../logger/levels.js';
import { jsonFileLogObserver, type LogStream, textFileLogObserver } from '../logger/observers.js';

/**
 * What `--log-level` says: a level for every namespace and levels for some namespaces.
 *
 * @example
 * ```ts
 * const { level, namespaces } = parseLogLevels('warn,twisted-ts.web=debug');
 * startLogging({ level, namespaceLevels: namespaces, format: 'text', file: '-', stdout: process.stdout });
 * ```
 */
export interface LogLevels {
  /** The level of namespaces not named (`info` when the spec names none). */
  readonly level: LogLevel;
  /** Namespace → level; a namespace's level covers those under it unless they have their own. */
  readonly namespaces: ReadonlyMap<string, LogLevel>;
}

/**
 * Parses `--log-level`: comma-separated items, each a level (for every namespace) or
 * `NAMESPACE=LEVEL`. Throws `InvalidLogLevelError` for an unknown level, an `Error` for an item
 * that is empty, names no namespace, or gives a second default level.
 *
 * @example
 * ```ts
 * parseLogLevels('debug'); // { level: 'debug', namespaces: Map(0) {} }
 * parseLogLevels('error,twisted-ts.web=info,myapp=debug').namespaces.get('myapp'); // 'debug'
 * ```
 */
export function parseLogLevels(spec: string): LogLevels {
  let level: LogLevel | null = null;
  const namespaces = new Map<string, LogLevel>();
  for (const raw of spec.split(',')) {
    const item = raw.trim();
    if (item === '') throw new Error(`--log-level has an empty item: ${JSON.stringify(spec)}`);
    const eq = item.indexOf('=');
    if (eq < 0) {
      if (level !== null) throw new Error(`--log-level gives two default levels: ${JSON.stringify(spec)}`);
      level = parseLogLevel(item);
      continue;
    }
    const namespace = item.slice(0, eq).trim();
    if (namespace === '') throw new Error(`--log-level item names no namespace: ${JSON.stringify(item)}`);
    namespaces.set(namespace, parseLogLevel(item.slice(eq + 1).trim()));
  }
  return { level: level ?? 'info', namespaces };
}

/**
 * What `startLogging` needs.
 *
 * @example
 * ```ts
 * const logging = startLogging({ level: 'info', format: 'text', file: '-', stdout: process.stdout });
 * ```
 */
export interface LoggingOptions {
  /** The level of every namespace without one of its own in `namespaceLevels`. */
  readonly level: LogLevel;
  /** Levels for namespaces and those under them (`a.b` covers `a.b.c`); see `parseLogLevels`. */
  readonly namespaceLevels?: ReadonlyMap<string, LogLevel>;
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
  const levels = new LogLevelFilterPredicate(options.level);
  for (const [namespace, level] of options.namespaceLevels ?? []) {
    levels.setLogLevelForNamespace(namespace, level);
  }
  const observer = new FilteringLogObserver(tagged, [levels]);
  const stopObserving = globalLogBeginner.beginLoggingTo([observer]);
  return {
    async stop() {
      stopObserving();
      if (file !== null) await new Promise<void>((resolve) => file.end(resolve));
    },
  };
}
