/**
 * Unhandled-error reporting and debugging for `Deferred`: an error still at the end of a Deferred's
 * chain when the Deferred is garbage-collected is reported (FinalizationRegistry), never silently
 * lost; with debugging on, the report also says where the Deferred was created.
 *
 * The public names (`setDebugging`, `getDebugging`, `setUnhandledErrorReporter`,
 * `UnhandledErrorReporter`) are re-exported by `defer.ts`; the rest is the bookkeeping `Deferred`
 * calls into and is not part of the public API.
 *
 * @example
 * ```ts
 * import { setDebugging, setUnhandledErrorReporter } from 'twisted-ts/internet';
 * setDebugging(true);
 * setUnhandledErrorReporter((err, createdAt) => log.error(err, createdAt));
 * ```
 * @module
 */

let debugging = false;

/**
 * Turns on recording where each Deferred is created, so unhandled-error reports say where the
 * Deferred came from (costs a stack capture per Deferred).
 *
 * @example
 * ```ts
 * setDebugging(true);
 * ```
 */
export function setDebugging(on: boolean): void {
  debugging = on;
}

/**
 * True when `setDebugging(true)` is on, so a tool can say whether reports will carry creation stacks.
 *
 * @example
 * ```ts
 * if (getDebugging()) console.log('Deferred creation stacks are recorded');
 * ```
 */
export function getDebugging(): boolean {
  return debugging;
}

/**
 * Receives each error a Deferred still held when it was garbage-collected, with the stack where the
 * Deferred was created when debugging is on; install one to route the reports to your logger.
 *
 * @example
 * ```ts
 * const toLog: UnhandledErrorReporter = (err, createdAt) => log.error(err, createdAt);
 * ```
 */
export type UnhandledErrorReporter = (err: Error, creationStack?: string) => void;

const defaultReporter: UnhandledErrorReporter = (err, creationStack) => {
  let text = `Unhandled error in Deferred:\n${err.stack ?? String(err)}\n`;
  if (creationStack !== undefined) text += `(debug: the Deferred was created at)\n${creationStack}\n`;
  process.stderr.write(text);
};
let reporter: UnhandledErrorReporter = defaultReporter;

/**
 * Replaces the function that reports unhandled errors (the default writes the stack to stderr), and
 * returns the previous one so a test can put it back.
 *
 * @example
 * ```ts
 * const previous = setUnhandledErrorReporter((err) => log.error(err));
 * // … later
 * setUnhandledErrorReporter(previous);
 * ```
 */
export function setUnhandledErrorReporter(fn: UnhandledErrorReporter): UnhandledErrorReporter {
  const previous = reporter;
  reporter = fn;
  return previous;
}

/**
 * What the registry keeps about a failed Deferred; never the Deferred itself (it must be collectable).
 * Internal to `Deferred`.
 *
 * @example
 * ```ts
 * const holder: UnhandledHolder | null = trackUnhandled(d, err, stack);
 * ```
 */
export interface UnhandledHolder {
  readonly error: Error;
  readonly stack: string | undefined;
}

const unhandled = new FinalizationRegistry<UnhandledHolder>((h) => {
  reporter(h.error, h.stack);
});

/** Errors a `then`/`asPromise` branch observed: their rejection is reported by the Promise instead. */
const observedErrors = new WeakSet<Error>();

/**
 * The stack where a Deferred is being created, when debugging is on. Internal to `Deferred`.
 *
 * @example
 * ```ts
 * this.#creationStack = creationStack();
 * ```
 */
export function creationStack(): string | undefined {
  return debugging ? new Error('Deferred created').stack : undefined;
}

/**
 * Starts watching `target`, which ends its chain failed with `error`: unless `untrackUnhandled` is
 * called first, `error` is reported when `target` is collected. Returns `null` when the error was
 * already handed to a Promise (which reports it itself). Internal to `Deferred`.
 *
 * @example
 * ```ts
 * this.#holder = trackUnhandled(this, err, this.#creationStack);
 * ```
 */
export function trackUnhandled(
  target: object,
  error: Error,
  stack: string | undefined,
): UnhandledHolder | null {
  if (observedErrors.has(error)) return null;
  const holder: UnhandledHolder = { error, stack };
  unhandled.register(target, holder, holder);
  return holder;
}

/**
 * Stops watching: the error was handled (a callback was added or the result was taken).
 *
 * @example
 * ```ts
 * if (this.#holder !== null) untrackUnhandled(this.#holder);
 * ```
 */
export function untrackUnhandled(holder: UnhandledHolder): void {
  unhandled.unregister(holder);
}

/**
 * Marks `err` as handed to a Promise's rejection, which reports it if nobody handles it.
 *
 * @example
 * ```ts
 * markObserved(err); reject(err);
 * ```
 */
export function markObserved(err: Error): void {
  observedErrors.add(err);
}
