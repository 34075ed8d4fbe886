/**
 * Filtering observers, Twisted's `FilteringLogObserver` and `LogLevelFilterPredicate`: pass an
 * event on only when the predicates agree, e.g. by level per namespace.
 *
 * @example
 * ```ts
 * import { FilteringLogObserver, LogLevelFilterPredicate, textFileLogObserver } from 'twisted-ts/logger';
 * const levels = new LogLevelFilterPredicate('info');
 * levels.setLogLevelForNamespace('twisted-ts.web', 'warn');
 * globalLogPublisher.addObserver(new FilteringLogObserver(textFileLogObserver(process.stdout), [levels]));
 * ```
 * @module
 */
import { deliver, type ILogObserver, type LogEvent } from './event.js';
import { type LogLevel, levelRank } from './levels.js';

/**
 * A predicate's verdict: `'yes'` delivers at once, `'no'` drops, `'maybe'` asks the next one.
 *
 * @example
 * ```ts
 * const verdict: PredicateResult = event.logNamespace === 'noisy' ? 'no' : 'maybe';
 * ```
 */
export type PredicateResult = 'yes' | 'no' | 'maybe';

/**
 * Decides whether an event passes a filter; Twisted's `ILogFilterPredicate`.
 *
 * @example
 * ```ts
 * const dropNoisy: ILogFilterPredicate = { predicate: (e) => (e.logNamespace === 'noisy' ? 'no' : 'maybe') };
 * ```
 */
export interface ILogFilterPredicate {
  /** `'yes'` delivers the event now, `'no'` drops it now, `'maybe'` leaves it to the next predicate. */
  predicate(event: LogEvent): PredicateResult;
}

/**
 * Delivers an event to `observer` unless a predicate says `'no'` before any says `'yes'` (all
 * `'maybe'` delivers); dropped events go to `negativeObserver` when one is given.
 *
 * @example
 * ```ts
 * const onlyWeb = { predicate: (e) => (e.logNamespace.startsWith('web') ? 'yes' : 'no') } as const;
 * publisher.addObserver(new FilteringLogObserver(observer, [onlyWeb]));
 * ```
 */
export class FilteringLogObserver {
  readonly #observer: ILogObserver;
  readonly #predicates: readonly ILogFilterPredicate[];
  readonly #negativeObserver: ILogObserver | undefined;

  constructor(
    observer: ILogObserver,
    predicates: readonly ILogFilterPredicate[],
    negativeObserver?: ILogObserver,
  ) {
    this.#observer = observer;
    this.#predicates = predicates;
    this.#negativeObserver = negativeObserver;
  }

  /**
   * Filters and delivers one event.
   *
   * @example
   * ```ts
   * filtering.observe(event);
   * ```
   */
  observe(event: LogEvent): void {
    if (this.#passes(event)) deliver(this.#observer, event);
    else if (this.#negativeObserver !== undefined) deliver(this.#negativeObserver, event);
  }

  #passes(event: LogEvent): boolean {
    for (const p of this.#predicates) {
      const verdict = p.predicate(event);
      if (verdict === 'yes') return true;
      if (verdict === 'no') return false;
    }
    return true;
  }
}

/**
 * Passes events at or above a minimum level, set per namespace: a namespace without its own level
 * uses its closest dotted parent's (`'a.b.c'` → `'a.b'` → `'a'`), then the default.
 *
 * @example
 * ```ts
 * const levels = new LogLevelFilterPredicate('info');
 * levels.setLogLevelForNamespace('noisy', 'error');
 * levels.logLevelForNamespace('noisy.child'); // 'error'
 * ```
 */
export class LogLevelFilterPredicate implements ILogFilterPredicate {
  /** The level of namespaces with no level of their own (nor of a parent). */
  defaultLogLevel: LogLevel;
  readonly #levels = new Map<string, LogLevel>();

  constructor(defaultLogLevel: LogLevel = 'info') {
    this.defaultLogLevel = defaultLogLevel;
  }

  /**
   * Sets the minimum level of `namespace` and its children (`''` sets the default).
   *
   * @example
   * ```ts
   * levels.setLogLevelForNamespace('twisted-ts.web', 'debug');
   * ```
   */
  setLogLevelForNamespace(namespace: string, level: LogLevel): void {
    if (namespace === '') this.defaultLogLevel = level;
    else this.#levels.set(namespace, level);
  }

  /**
   * The minimum level that applies to `namespace`.
   *
   * @example
   * ```ts
   * levels.logLevelForNamespace('twisted-ts.web.http'); // inherited from 'twisted-ts.web'
   * ```
   */
  logLevelForNamespace(namespace: string): LogLevel {
    let ns = namespace;
    for (;;) {
      const level = this.#levels.get(ns);
      if (level !== undefined) return level;
      const dot = ns.lastIndexOf('.');
      if (dot < 0) return this.defaultLogLevel;
      ns = ns.slice(0, dot);
    }
  }

  /**
   * Forgets the per-namespace levels (the default stays).
   *
   * @example
   * ```ts
   * levels.clearLogLevels();
   * ```
   */
  clearLogLevels(): void {
    this.#levels.clear();
  }

  /**
   * `'no'` for events below their namespace's level, `'maybe'` otherwise.
   *
   * @example
   * ```ts
   * levels.predicate(debugEvent); // 'no' at the default 'info'
   * ```
   */
  predicate(event: LogEvent): PredicateResult {
    const min = this.logLevelForNamespace(event.logNamespace);
    return levelRank(event.logLevel) < levelRank(min) ? 'no' : 'maybe';
  }
}
