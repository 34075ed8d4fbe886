/**
 * Where the engine reports errors it catches but cannot hand to anyone: an exception thrown by a
 * protocol callback (`dataReceived`, `connectionMade`, `buildProtocol`…), a delayed call or a
 * system event trigger. The reactor never crashes on them; it reports them here and goes on.
 * The default reporter writes to `console.error`; replace it with `setErrorReporter` (e.g. to
 * send them to a logger).
 *
 * @example
 * ```ts
 * import { setErrorReporter } from 'twisted-ts/internet';
 * const previous = setErrorReporter((err, context) => myLogger.error(context, err));
 * ```
 * @module
 */

/**
 * Receives an error the engine caught, with a short description of where it came from.
 *
 * @example
 * ```ts
 * const seen: string[] = [];
 * const collect: ErrorReporter = (err, context) => {
 *   seen.push(`${context}: ${String(err)}`);
 * };
 * const previous = setErrorReporter(collect);
 * ```
 */
export type ErrorReporter = (err: unknown, context: string) => void;

function consoleReporter(err: unknown, context: string): void {
  console.error(`twisted-ts: unhandled error in ${context}:`, err);
}

let current: ErrorReporter = consoleReporter;

/**
 * Replaces the error reporter; returns the previous one so a test can restore it.
 *
 * @example
 * ```ts
 * const seen: unknown[] = [];
 * const previous = setErrorReporter((err) => seen.push(err));
 * // ... later
 * setErrorReporter(previous);
 * ```
 */
export function setErrorReporter(reporter: ErrorReporter): ErrorReporter {
  const previous = current;
  current = reporter;
  return previous;
}

/**
 * Reports an error through the current reporter. A reporter that throws is itself reported on
 * `console.error`, never propagated.
 *
 * @example
 * ```ts
 * try { protocol.dataReceived(data); } catch (err) { reportError(err, 'dataReceived'); }
 * ```
 */
export function reportError(err: unknown, context: string): void {
  try {
    current(err, context);
  } catch (inner) {
    consoleReporter(inner, 'the error reporter');
    consoleReporter(err, context);
  }
}
