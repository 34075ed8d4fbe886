/**
 * `routeEngineErrorsToLogger`: sends the errors the engine cannot hand to anyone — exceptions in
 * protocol callbacks and delayed calls (the reactor's error reporter) and failed Deferreds nobody
 * handled (reported when garbage-collected) — to the structured logger instead of `console.error`.
 * It lives here, not in `logger/`, so the logger stays free of engine imports. `twist` calls it.
 *
 * @example
 * ```ts
 * import { routeEngineErrorsToLogger } from 'twisted-ts/application';
 * const restore = routeEngineErrorsToLogger();
 * // ... later, in a test:
 * restore();
 * ```
 * @module
 */
import { setUnhandledErrorReporter } from '../internet/defer.js';
import { setErrorReporter } from '../internet/error-reporter.js';
import { Logger } from '../logger/logger.js';

/**
 * Installs reporters logging to `logger` (namespace `twisted-ts.internet` by default); returns a
 * function restoring the previous reporters.
 *
 * @example
 * ```ts
 * routeEngineErrorsToLogger(new Logger('myapp.engine'));
 * ```
 */
export function routeEngineErrorsToLogger(logger: Logger = new Logger('twisted-ts.internet')): () => void {
  const previousReactor = setErrorReporter((err, context) => {
    logger.failure('Unhandled error in {context}', err, { context });
  });
  const previousDeferred = setUnhandledErrorReporter((err, creationStack) => {
    logger.failure('Unhandled error in Deferred', err, creationStack === undefined ? {} : { creationStack });
  });
  return () => {
    setErrorReporter(previousReactor);
    setUnhandledErrorReporter(previousDeferred);
  };
}
