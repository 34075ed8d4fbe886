/**
 * `react(main, argv)`: runs a program's `main` under the reactor and turns its outcome into the
 * process exit code — Twisted's `task.react`.
 *
 * @example
 * ```ts
 * import { react } from 'twisted-ts/internet';
 * await react(async (reactor) => {
 *   const answer = await fetchSomething(reactor);
 *   console.log(answer);
 * });
 * ```
 * @module
 */
import { getReactor } from './default-reactor.js';
import { ReactorNotRunning } from './error.js';
import type { IReactor } from './interfaces.js';

/**
 * A program's entry point: sync, or returning a Promise or a Deferred.
 *
 * @example
 * ```ts
 * const main: ReactMain<[seconds: string]> = (reactor, seconds) =>
 *   deferLater(reactor, Number(seconds), () => console.log('done'));
 * await react(main, ['2']);
 * ```
 */
export type ReactMain<A extends unknown[]> = (reactor: IReactor, ...argv: A) => unknown;

/**
 * Starts `reactor`, calls `main(reactor, ...argv)` once it runs, waits for its result (a Promise or a
 * Deferred is awaited), then stops the reactor. Sets `process.exitCode` to 0, or to 1 after writing
 * the error to stderr; resolves with that code once the reactor has shut down. It never calls
 * `process.exit`: the process ends by itself once nothing is left to do. If something else stops
 * the reactor first (SIGINT), the exit code is 0.
 *
 * @example
 * ```ts
 * // examples/hello.ts
 * await react((reactor) => { console.log('hello'); });
 * ```
 */
export async function react<A extends unknown[]>(
  main: ReactMain<A>,
  argv: A = [] as unknown as A,
  reactor: IReactor = getReactor(),
): Promise<number> {
  let code = 0;
  const finished = async (): Promise<void> => {
    try {
      await main(reactor, ...argv);
    } catch (err) {
      code = 1;
      process.stderr.write(
        `main function encountered error\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
    }
    stopIfRunning(reactor);
  };
  reactor.callWhenRunning(finished);
  await reactor.run();
  process.exitCode = code;
  return code;
}

/** Stops the reactor unless it is already stopping (SIGINT, or `main` called `stop()` itself). */
function stopIfRunning(reactor: IReactor): void {
  try {
    reactor.stop();
  } catch (err) {
    if (!(err instanceof ReactorNotRunning)) throw err;
  }
}
