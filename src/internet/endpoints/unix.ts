/**
 * UNIX-domain socket endpoints over `IReactorUNIX`.
 *
 * @example
 * ```ts
 * import { UNIXServerEndpoint, UNIXClientEndpoint } from 'twisted-ts/internet';
 * await new UNIXServerEndpoint(reactor, '/tmp/app.sock', { mode: 0o600 }).listen(factory);
 * const proto = await new UNIXClientEndpoint(reactor, '/tmp/app.sock').connect(clientFactory);
 * ```
 * @module
 */
import { type Deferred, fail } from '../defer.js';
import { CannotListenError, toError } from '../error.js';
import type { IListeningPort, IProtocol, IProtocolFactory, IReactorTime } from '../interfaces.js';
import { connectUNIX, listenUNIX, removeStaleSocket } from '../unix.js';
import type { ConnectUNIXOptions, IReactorUNIX, ListenUNIXOptions } from '../unix-options.js';
import type { IStreamClientEndpoint, IStreamServerEndpoint } from './interfaces.js';
import { execute } from './tcp.js';
import { WrappingFactory } from './wrapping-factory.js';

/**
 * A reactor UNIX endpoints can use: one with `listenUNIX`/`connectUNIX`, or any clock (`unix.ts` then).
 *
 * @example
 * ```ts
 * function socketServer(reactor: UNIXReactor, path: string): UNIXServerEndpoint {
 *   return new UNIXServerEndpoint(reactor, path, { mode: 0o600 });
 * }
 * await socketServer(new NodeReactor(), '/tmp/app.sock').listen(factory); // through its listenUNIX
 * socketServer(new MemoryReactorClock(), '/tmp/app.sock').listen(factory); // in a test: lands in unixServers
 * ```
 */
export type UNIXReactor = IReactorTime & Partial<IReactorUNIX>;

/**
 * Listens on a UNIX socket path (or a Linux abstract name starting with `\0`).
 *
 * @example
 * ```ts
 * await new UNIXServerEndpoint(reactor, '\0my-service').listen(factory);
 * ```
 */
export class UNIXServerEndpoint implements IStreamServerEndpoint {
  readonly #reactor: UNIXReactor;
  readonly #path: string;
  readonly #options: ListenUNIXOptions;

  /** `options.lockfile` defaults to true here (Twisted's `unix:` endpoint default). */
  constructor(reactor: UNIXReactor, path: string, options: ListenUNIXOptions = {}) {
    this.#reactor = reactor;
    this.#path = path;
    this.#options = { ...options, lockfile: options.lockfile ?? true };
  }

  /**
   * Listens, keeping the lock file `PATH.lock` unless `lockfile` is false. When the path is still
   * taken (a socket left without a lock file), probes it and, if nobody answers, removes the stale
   * file and tries once more. With `lockfile: false`, neither.
   */
  listen(factory: IProtocolFactory): Deferred<IListeningPort> {
    const r = this.#reactor;
    const attempt = (): Deferred<IListeningPort> =>
      execute(() =>
        r.listenUNIX !== undefined
          ? r.listenUNIX(this.#path, factory, this.#options)
          : listenUNIX(this.#path, factory, this.#options),
      );
    if (this.#options.lockfile === false) return attempt();
    return attempt().addErrback((err) => {
      if (
        !(err instanceof CannotListenError) ||
        (err.cause as { code?: string } | undefined)?.code !== 'EADDRINUSE'
      ) {
        throw err;
      }
      return removeStaleSocket(this.#path).addCallback((removed) => {
        if (!removed) throw err;
        return attempt();
      });
    });
  }
}

/**
 * Connects to a UNIX socket. `connect()` is cancellable.
 *
 * @example
 * ```ts
 * await new UNIXClientEndpoint(reactor, '/run/app.sock', { timeout: 2 }).connect(factory);
 * ```
 */
export class UNIXClientEndpoint implements IStreamClientEndpoint {
  readonly #reactor: UNIXReactor;
  readonly #path: string;
  readonly #options: ConnectUNIXOptions;

  constructor(reactor: UNIXReactor, path: string, options: ConnectUNIXOptions = {}) {
    this.#reactor = reactor;
    this.#path = path;
    this.#options = options;
  }

  connect(factory: IProtocolFactory): Deferred<IProtocol> {
    const wf = new WrappingFactory(factory);
    try {
      const r = this.#reactor;
      const connector =
        r.connectUNIX !== undefined
          ? r.connectUNIX(this.#path, wf, this.#options)
          : connectUNIX(r, this.#path, wf, this.#options);
      return wf.deferred(connector);
    } catch (err) {
      return fail(toError(err));
    }
  }
}
