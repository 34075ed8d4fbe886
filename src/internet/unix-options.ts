/**
 * The reactor contract for UNIX-domain stream sockets: Twisted's `IReactorUNIX`, with its options.
 * A path starting with `\0` names a socket in Linux's abstract namespace (no file).
 *
 * @example
 * ```ts
 * import type { IReactorUNIX } from 'twisted-ts/internet';
 * function serve(reactor: IReactorUNIX) {
 *   return reactor.listenUNIX('/tmp/app.sock', factory, { mode: 0o660 });
 * }
 * ```
 * @module
 */
import type { IClientFactory, IConnector, IListeningPort, IProtocolFactory } from './interfaces.js';

/**
 * Options of `listenUNIX`.
 *
 * @example
 * ```ts
 * reactor.listenUNIX('/run/app.sock', factory, { mode: 0o660, lockfile: true });
 * ```
 */
export interface ListenUNIXOptions {
  /** File mode of the socket file (default 0o666 less the umask). */
  mode?: number;
  /** Queue of pending connections (default 50). */
  backlog?: number;
  /**
   * Keep Twisted's lock file `PATH.lock` (a symbolic link naming this process's pid) while
   * listening, and replace the socket file of a dead owner (default false for `listenUNIX`, true
   * for `UNIXServerEndpoint` and `unix:` descriptions). A lock held by a live process is never
   * broken: listening then fails with `CannotListenError`. Ignored for abstract names.
   */
  lockfile?: boolean;
}

/**
 * Options of `connectUNIX`.
 *
 * @example
 * ```ts
 * reactor.connectUNIX('/run/app.sock', clientFactory, { timeout: 5 });
 * ```
 */
export interface ConnectUNIXOptions {
  /** Seconds before a connection attempt fails with `TimeoutError` (default 30). */
  timeout?: number;
}

/**
 * UNIX-domain stream sockets; Twisted's `IReactorUNIX`.
 *
 * @example
 * ```ts
 * const port = reactor.listenUNIX('/tmp/echo.sock', Factory.forProtocol(Echo));
 * reactor.connectUNIX('/tmp/echo.sock', ClientFactory.forProtocol(EchoClient));
 * ```
 */
export interface IReactorUNIX {
  /** Listens on the socket file (or abstract name) `path`. */
  listenUNIX(path: string, factory: IProtocolFactory, options?: ListenUNIXOptions): IListeningPort;
  /** Connects to the socket at `path`. */
  connectUNIX(path: string, factory: IClientFactory, options?: ConnectUNIXOptions): IConnector;
}
