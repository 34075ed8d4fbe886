/**
 * `Logger`: emits structured events in a namespace, Twisted's `twisted.logger.Logger`.
 *
 * @example
 * ```ts
 * import { Logger } from 'twisted-ts/logger';
 * const log = new Logger('echo.server');
 * log.info('Accepted {peer}', { peer: '127.0.0.1:4000' });
 * log.failure('while reading the config', new Error('ENOENT'));
 * ```
 * @module
 */
import { deliver, type ILogObserver, type LogEvent } from './event.js';
import { LogLevel } from './levels.js';
import { globalLogPublisher } from './publisher.js';

/**
 * Options of a `Logger`.
 *
 * @example
 * ```ts
 * const log = new Logger('myapp.http', { source: this, observer: publisher });
 * ```
 */
export interface LoggerOptions {
  /** The object the events are about; becomes `logSource`. */
  source?: unknown;
  /** Where events go (default `globalLogPublisher`). */
  observer?: ILogObserver;
  /** The time source, in seconds since the epoch (default `Date.now() / 1000`). */
  now?: () => number;
}

/**
 * Extra fields of an event; the format string names them.
 *
 * @example
 * ```ts
 * log.info('{peer} connected', { peer: '10.0.0.1' } satisfies LogFields);
 * ```
 */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * Emits events: the format string is kept as is in the event (not pre-formatted), so observers
 * can filter, serialise and format lazily.
 *
 * @example
 * ```ts
 * class Echo extends Protocol {
 *   static log = new Logger('wire.echo');
 *   override connectionMade() { Echo.log.info('Connection from {peer}', { peer: this.transport!.getPeer() }); }
 * }
 * ```
 */
export class Logger {
  /** The dotted namespace of the events (`'twisted-ts.web'`). */
  readonly namespace: string;
  /** The object the events are about, if any. */
  readonly source: unknown;
  readonly #observer: ILogObserver | undefined;
  readonly #now: () => number;

  constructor(namespace = 'twisted-ts', options: LoggerOptions = {}) {
    this.namespace = namespace;
    this.source = options.source;
    this.#observer = options.observer;
    this.#now = options.now ?? (() => Date.now() / 1000);
  }

  /**
   * Emits an event at `level` with `format` and `fields`.
   *
   * @example
   * ```ts
   * log.emit(LogLevel.warn, 'Queue at {size}', { size: 900 });
   * ```
   */
  emit(level: LogLevel, format: string | null, fields: LogFields = {}): void {
    const event: LogEvent = {
      ...fields,
      logLevel: level,
      logNamespace: this.namespace,
      logFormat: format,
      logTime: this.#now(),
      ...(this.source === undefined ? {} : { logSource: this.source }),
    };
    deliver(this.#observer ?? globalLogPublisher, event);
  }

  /**
   * Emits a `debug` event.
   *
   * @example
   * ```ts
   * log.debug('Read {n} bytes', { n: data.length });
   * ```
   */
  debug(format: string, fields?: LogFields): void {
    this.emit(LogLevel.debug, format, fields);
  }

  /**
   * Emits an `info` event.
   *
   * @example
   * ```ts
   * log.info('Listening on {port}', { port: 8080 });
   * ```
   */
  info(format: string, fields?: LogFields): void {
    this.emit(LogLevel.info, format, fields);
  }

  /**
   * Emits a `warn` event.
   *
   * @example
   * ```ts
   * log.warn('Slow client {peer}', { peer });
   * ```
   */
  warn(format: string, fields?: LogFields): void {
    this.emit(LogLevel.warn, format, fields);
  }

  /**
   * Emits an `error` event.
   *
   * @example
   * ```ts
   * log.error('Refused {peer}: too many connections', { peer });
   * ```
   */
  error(format: string, fields?: LogFields): void {
    this.emit(LogLevel.error, format, fields);
  }

  /**
   * Emits a `critical` event.
   *
   * @example
   * ```ts
   * log.critical('Out of file descriptors');
   * ```
   */
  critical(format: string, fields?: LogFields): void {
    this.emit(LogLevel.critical, format, fields);
  }

  /**
   * Emits an event carrying `error` as `logFailure` (default level `critical`, as Twisted's
   * `Logger.failure`); text observers print its stack after the message.
   *
   * @example
   * ```ts
   * try { parse(config); } catch (err) { log.failure('while parsing {file}', err, { file }); }
   * ```
   */
  failure(format: string, error: unknown, fields: LogFields = {}, level: LogLevel = LogLevel.critical): void {
    const failure = error instanceof Error ? error : new Error(String(error), { cause: error });
    this.emit(level, format, { ...fields, logFailure: failure });
  }
}
