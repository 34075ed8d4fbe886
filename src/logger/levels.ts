/**
 * Log levels, Twisted's `LogLevel`: `debug` < `info` < `warn` < `error` < `critical`.
 *
 * @example
 * ```ts
 * import { LogLevel, parseLogLevel } from 'twisted-ts/logger';
 * parseLogLevel('warn') === LogLevel.warn; // true
 * ```
 * @module
 */

/**
 * The five levels, as an `as const` object; the type of the same name is their union.
 *
 * @example
 * ```ts
 * log.emit(LogLevel.warn, 'disk {percent}% full', { percent: 93 });
 * ```
 */
export const LogLevel = {
  /** Detail for developers chasing a problem; filtered out by default. */
  debug: 'debug',
  /** Normal operation worth recording (a port opened, a client connected). */
  info: 'info',
  /** Something unexpected that the program recovered from. */
  warn: 'warn',
  /** An operation failed (an exception in a protocol callback, a failed request). */
  error: 'error',
  /** The program cannot go on as intended (a service failed to start). */
  critical: 'critical',
} as const;

/**
 * One of `'debug' | 'info' | 'warn' | 'error' | 'critical'`: the type of a level, so options and
 * observers accept only real levels.
 *
 * @example
 * ```ts
 * const level: LogLevel = LogLevel.warn;
 * ```
 */
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

/**
 * The levels from least to most severe.
 *
 * @example
 * ```ts
 * for (const level of logLevels) console.log(level);
 * ```
 */
export const logLevels: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'critical'];

/**
 * The rank of a level: 0 for `debug` up to 4 for `critical`.
 *
 * @example
 * ```ts
 * if (levelRank(event.logLevel) >= levelRank(LogLevel.error)) page(event);
 * ```
 */
export function levelRank(level: LogLevel): number {
  return logLevels.indexOf(level);
}

/**
 * A log level name that is not one of the five.
 *
 * @example
 * ```ts
 * try { parseLogLevel('loud'); } catch (err) { if (err instanceof InvalidLogLevelError) usage(err.message); }
 * ```
 */
export class InvalidLogLevelError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'ERR_INVALID_LOG_LEVEL';
  constructor(
    /** The name that was given, as is. */
    readonly level: string,
  ) {
    super(`invalid log level ${JSON.stringify(level)}: expected one of ${logLevels.join(', ')}`);
    this.name = 'InvalidLogLevelError';
  }
}

/**
 * Parses a level name (case-insensitive); throws `InvalidLogLevelError` for anything else.
 *
 * @example
 * ```ts
 * parseLogLevel('INFO'); // 'info'
 * ```
 */
export function parseLogLevel(name: string): LogLevel {
  const lower = name.toLowerCase();
  const found = logLevels.find((level) => level === lower);
  if (found === undefined) throw new InvalidLogLevelError(name);
  return found;
}
