/**
 * The second hello: choose the reactor before anything uses it. `installReactor(r)` replaces the
 * global reactor only before its first use — afterwards it throws `ReactorAlreadyInstalledError`,
 * Twisted's "install the reactor first thing" rule. Here the installed reactor is a `NodeReactor`
 * wrapped so that each method call is logged, which also shows what a program asks of its reactor.
 *
 *     node --import tsx examples/hello-install.ts [--quiet]
 *
 * @module
 */
import { parseArgs } from 'node:util';
import {
  type IReactor,
  installReactor,
  NodeReactor,
  ReactorAlreadyInstalledError,
  reactor,
} from '../src/internet/index.js';

/** Wraps `inner` so that every method call is printed (`[reactor] name`) before it runs. */
function loggingReactor(inner: IReactor, log: (line: string) => void): IReactor {
  return new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        log(`[reactor] ${String(key)}`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

const { values } = parseArgs({
  options: { quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  console.log(
    'usage: node --import tsx examples/hello-install.ts [--quiet]\n' +
      'Installs a logging reactor before first use, says hello, and shows that a later install fails.\n' +
      '--quiet hides the log of reactor calls.',
  );
} else {
  // First thing: nothing has touched the global reactor yet, so this works.
  installReactor(loggingReactor(new NodeReactor(), (line) => values.quiet || console.log(line)));

  // From here on, `reactor` is the logging reactor.
  reactor.callWhenRunning(() => {
    console.log('Hello, world!');
    try {
      installReactor(new NodeReactor());
    } catch (err) {
      if (!(err instanceof ReactorAlreadyInstalledError)) throw err;
      console.log(`a second installReactor fails: ${err.name}`);
    }
    reactor.stop();
  });
  await reactor.run();
}
