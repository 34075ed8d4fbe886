/**
 * The one global reactor, created lazily on first use (a `NodeReactor`), replaceable with
 * `installReactor(r)` before that — Twisted's `from twisted.internet import reactor` without the
 * import side effect. Library code takes the reactor as a parameter defaulting to `getReactor()`.
 *
 * @example
 * ```ts
 * import { reactor } from 'twisted-ts/internet';
 * reactor.callWhenRunning(() => console.log('hello'));
 * await reactor.run();
 * ```
 * @module
 */
import { ReactorAlreadyInstalledError } from './error.js';
import type { IReactor } from './interfaces.js';
import { NodeReactor } from './reactor.js';

let installed: IReactor | null = null;

/**
 * The global reactor, created on first call (a `NodeReactor`) unless one was installed.
 *
 * @example
 * ```ts
 * function startServer(r: IReactorTCP = getReactor()) { return r.listenTCP(8000, factory); }
 * ```
 */
export function getReactor(): IReactor {
  installed ??= new NodeReactor();
  return installed;
}

/**
 * Makes `r` the global reactor. Throws `ReactorAlreadyInstalledError` once the global reactor was
 * used or installed.
 *
 * @example
 * ```ts
 * installReactor(new NodeReactor({ installSignalHandlers: false }));
 * ```
 */
export function installReactor(r: IReactor): void {
  if (installed !== null) throw new ReactorAlreadyInstalledError();
  installed = r;
}

const bound = new Map<PropertyKey, unknown>();

/**
 * The global reactor as a value: each property access goes to `getReactor()`, so importing it
 * creates nothing, and the first use creates (or picks the installed) reactor. Methods are bound,
 * so `const { callLater } = reactor` works.
 *
 * @example
 * ```ts
 * import { reactor } from 'twisted-ts/internet';
 * reactor.listenTCP(8000, Factory.forProtocol(Echo));
 * reactor.run();
 * ```
 */
export const reactor: IReactor = new Proxy({} as IReactor, {
  get(_target, key) {
    const r = getReactor() as unknown as Record<PropertyKey, unknown>;
    const value = r[key];
    if (typeof value !== 'function') return value;
    let f = bound.get(key);
    if (f === undefined) {
      f = (value as (...args: unknown[]) => unknown).bind(r);
      bound.set(key, f);
    }
    return f;
  },
  has(_target, key) {
    return key in (getReactor() as object);
  },
});
