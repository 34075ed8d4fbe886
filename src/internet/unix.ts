/**
 * UNIX-domain stream sockets for any reactor: `listenUNIX` and `connectUNIX` (Twisted's
 * `IReactorUNIX`), over the same `StreamTransport` as TCP (flow control, half-close), with
 * `getPeer()`/`getHost()` giving `UNIXAddress`es. A path starting with `\0` is a Linux abstract
 * socket (no file); Node 20 binds and connects it padded with NULs to the whole 108-byte address,
 * so a program that is not Node must use the padded name.
 *
 * Stale socket files, two safe ways, never removing a live server's socket:
 * - `lockfile: true` keeps Twisted's lock file `PATH.lock` naming the server's pid (unix-lock.ts):
 *   a dead owner's lock is broken and its socket file removed, synchronously, before binding;
 * - `removeStaleSocket(path)` probes the path with a connection and removes the file only when the
 *   probe is refused (nobody listens). `UNIXServerEndpoint` does this before giving up on an
 *   address in use.
 *
 * @example
 * ```ts
 * import { listenUNIX, connectUNIX } from 'twisted-ts/internet';
 * const port = listenUNIX('/tmp/app.sock', factory, { mode: 0o600 });
 * connectUNIX(reactor, '/tmp/app.sock', clientFactory, { timeout: 5 });
 * ```
 * @module
 */
import cluster from 'node:cluster';
import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import { Deferred } from './defer.js';
import { CannotListenError, ConnectError, NotConnectingError, TimeoutError, UserError } from './error.js';
import { reportError } from './error-reporter.js';
import type {
  IClientFactory,
  IConnector,
  IDelayedCall,
  IListeningPort,
  IProtocol,
  IProtocolFactory,
  IPv4Address,
  IPv6Address,
  IReactorTime,
  UNIXAddress,
} from './interfaces.js';
import { HIGH_WATER_MARK, StreamTransport, type TransportOwner } from './stream-transport.js';
import { type ConnectionRegistry, connectErrorFor } from './tcp-connector.js';
import { UNIXSocketLock } from './unix-lock.js';
import type { ConnectUNIXOptions, ListenUNIXOptions } from './unix-options.js';

/**
 * A UNIX address value.
 *
 * @example
 * ```ts
 * unixAddress('/tmp/app.sock'); // { type: 'UNIX', name: '/tmp/app.sock' }
 * ```
 */
export function unixAddress(name: string | null): UNIXAddress {
  return Object.freeze({ type: 'UNIX', name: name === '' ? null : name });
}

/**
 * A connected UNIX stream: a `StreamTransport` reporting UNIX addresses.
 *
 * @example
 * ```ts
 * (this.transport.getPeer() as UNIXAddress).name; // the socket path
 * ```
 */
export class UNIXTransport extends StreamTransport {
  readonly #host: UNIXAddress;
  readonly #peerAddress: UNIXAddress;

  constructor(
    socket: net.Socket,
    protocol: IProtocol,
    owner: TransportOwner,
    host: UNIXAddress,
    peer: UNIXAddress,
  ) {
    super(socket, protocol, owner, peer as unknown as IPv4Address);
    this.#host = host;
    this.#peerAddress = peer;
  }

  /** The peer's address (`name` is null for an unbound client socket). */
  override getPeer(): IPv4Address | IPv6Address {
    return this.#peerAddress as unknown as IPv4Address;
  }

  /** This end's address. */
  override getHost(): IPv4Address | IPv6Address {
    return this.#host as unknown as IPv4Address;
  }

  /** UNIX sockets have no Nagle algorithm: ignored. */
  override setTcpNoDelay(_enabled: boolean): void {}

  /** UNIX sockets have no keep-alive: ignored. */
  override setTcpKeepAlive(_enabled: boolean): void {}
}

const isAbstract = (path: string): boolean => path.startsWith('\0');

/**
 * A listening UNIX socket; what `listenUNIX` returns.
 *
 * @example
 * ```ts
 * const port = new UNIXPort('/tmp/s', factory, {});
 * port.startListening();
 * ```
 */
export class UNIXPort implements IListeningPort, TransportOwner {
  readonly #path: string;
  readonly #factory: IProtocolFactory;
  readonly #options: ListenUNIXOptions;
  readonly #connections = new Set<StreamTransport>();
  readonly #registry: ConnectionRegistry | null;
  #server: net.Server | null = null;
  #lock: UNIXSocketLock | null = null;
  #stopped: Deferred<void> | null = null;

  /** `registry` (a reactor's) also lists the connections, so that its shutdown closes them. */
  constructor(
    path: string,
    factory: IProtocolFactory,
    options: ListenUNIXOptions = {},
    registry: ConnectionRegistry | null = null,
  ) {
    this.#path = path;
    this.#factory = factory;
    this.#options = options;
    this.#registry = registry;
  }

  /** The open connections of this port. */
  get connections(): ReadonlySet<StreamTransport> {
    return this.#connections;
  }

  /**
   * Binds (synchronously) and listens, taking the lock file first with `lockfile: true`. Throws
   * `CannotListenError` (cause: the system error).
   */
  startListening(): void {
    if (this.#server !== null) return;
    const lock =
      this.#options.lockfile === true && !isAbstract(this.#path) ? UNIXSocketLock.acquire(this.#path) : null;
    try {
      this.#listen();
    } catch (err) {
      lock?.release();
      throw err;
    }
    this.#lock = lock;
    this.#factory.doStart();
  }

  #listen(): void {
    const server = net.createServer({ allowHalfOpen: true, highWaterMark: HIGH_WATER_MARK });
    let bindError: Error | null = null;
    server.on('error', (err) => {
      if (bindError === null) reportError(err, 'listenUNIX');
    });
    server.on('connection', this.#onConnection);
    server.listen({ path: this.#path, backlog: this.#options.backlog ?? 50 });
    // Binding a path is synchronous (outside cluster workers): `listening` tells at once.
    if (!server.listening && !cluster.isWorker) {
      const inUse = !isAbstract(this.#path) && exists(this.#path);
      bindError = new CannotListenError(
        `Could not listen on UNIX socket ${JSON.stringify(this.#path)}${inUse ? ': the address is in use' : ''}.`,
        {
          cause: Object.assign(new Error(inUse ? 'EADDRINUSE' : 'bind failed'), {
            code: inUse ? 'EADDRINUSE' : 'EBIND',
          }),
        },
      );
      throw bindError;
    }
    if (this.#options.mode !== undefined && !isAbstract(this.#path) && server.listening) {
      chmodSync(this.#path, this.#options.mode);
    }
    this.#server = server;
  }

  /** Closes the socket (its file is removed) and releases the lock file; fires once closed. */
  stopListening(): Deferred<void> {
    if (this.#stopped !== null) return this.#stopped;
    const stopped = new Deferred<void>();
    this.#stopped = stopped;
    const server = this.#server;
    if (server === null) stopped.callback(undefined);
    else
      server.close(() => {
        this.#lock?.release();
        this.#factory.doStop();
        stopped.callback(undefined);
      });
    return stopped;
  }

  /** The socket path (or abstract name) this port listens on. */
  getHost(): UNIXAddress {
    return unixAddress(this.#path);
  }

  transportClosed(transport: StreamTransport, _reason: Error): void {
    this.#connections.delete(transport);
    this.#registry?.connections.delete(transport);
  }

  readonly #onConnection = (socket: net.Socket): void => {
    const peer = unixAddress(null);
    let protocol: IProtocol | null;
    try {
      protocol = this.#factory.buildProtocol(peer);
    } catch (err) {
      reportError(err, `${this.#factory.constructor.name}.buildProtocol`);
      protocol = null;
    }
    if (protocol === null) {
      socket.destroy();
      return;
    }
    const transport = new UNIXTransport(socket, protocol, this, unixAddress(this.#path), peer);
    this.#connections.add(transport);
    this.#registry?.connections.add(transport);
    transport.start();
  };
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Probes `path`: when it is a socket file nobody listens on (the connection is refused), removes it
 * and fires `true`; fires `false` when a server answers, the file is not a socket, or it is absent.
 *
 * @example
 * ```ts
 * if (await removeStaleSocket('/tmp/app.sock')) console.log('removed a dead server\'s socket');
 * ```
 */
export function removeStaleSocket(path: string): Deferred<boolean> {
  const d = new Deferred<boolean>();
  if (isAbstract(path)) {
    d.callback(false);
    return d;
  }
  let isSocket = false;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {}
  if (!isSocket) {
    d.callback(false);
    return d;
  }
  const probe = net.connect({ path });
  probe.once('connect', () => {
    probe.destroy();
    d.callback(false);
  });
  probe.once('error', (err: NodeJS.ErrnoException) => {
    probe.destroy();
    if (err.code !== 'ECONNREFUSED') {
      d.callback(false);
      return;
    }
    try {
      unlinkSync(path);
      d.callback(true);
    } catch {
      d.callback(false);
    }
  });
  return d;
}

/**
 * Listens on a UNIX socket path (Twisted's `reactor.listenUNIX`). Throws `CannotListenError` when
 * the path is taken; with `lockfile: true` a dead server's socket is replaced (see the module doc).
 *
 * @example
 * ```ts
 * const port = listenUNIX('\0my-service', factory);
 * ```
 */
export function listenUNIX(
  path: string,
  factory: IProtocolFactory,
  options: ListenUNIXOptions = {},
): UNIXPort {
  const port = new UNIXPort(path, factory, options);
  port.startListening();
  return port;
}

/**
 * An outgoing UNIX connection attempt; what `connectUNIX` returns.
 *
 * @example
 * ```ts
 * const c = new UNIXConnector('/tmp/s', clientFactory, { timeout: 2 }, reactor);
 * c.connect();
 * ```
 */
export class UNIXConnector implements IConnector, TransportOwner {
  readonly #path: string;
  readonly #factory: IClientFactory;
  readonly #timeout: number;
  readonly #clock: IReactorTime;
  #state: 'disconnected' | 'connecting' | 'connected' = 'disconnected';
  #socket: net.Socket | null = null;
  #transport: StreamTransport | null = null;
  #timer: IDelayedCall | null = null;
  #abortReason: Error | null = null;
  #error: Error | null = null;
  readonly #registry: ConnectionRegistry | null;

  /** `registry` (a reactor's) lists the attempt and the connection, so that its shutdown ends them. */
  constructor(
    path: string,
    factory: IClientFactory,
    options: ConnectUNIXOptions,
    clock: IReactorTime,
    registry: ConnectionRegistry | null = null,
  ) {
    this.#path = path;
    this.#factory = factory;
    this.#timeout = options.timeout ?? 30;
    this.#clock = clock;
    this.#registry = registry;
  }

  connect(): void {
    if (this.#state !== 'disconnected') throw new Error(`Cannot connect: the connector is ${this.#state}.`);
    this.#state = 'connecting';
    this.#abortReason = null;
    this.#error = null;
    this.#factory.doStart();
    const socket = net.connect({ path: this.#path, allowHalfOpen: true });
    this.#socket = socket;
    socket.once('connect', this.#onConnect);
    socket.on('error', this.#onError);
    socket.once('close', this.#onClose);
    if (this.#timeout > 0) this.#timer = this.#clock.callLater(this.#timeout, this.#onTimeout);
    this.#registry?.connecting.add(this);
    this.#factory.startedConnecting(this);
  }

  stopConnecting(): void {
    if (this.#state !== 'connecting') throw new NotConnectingError();
    this.#abortReason = new UserError();
    this.#socket?.destroy();
  }

  disconnect(): void {
    if (this.#state === 'connecting') this.stopConnecting();
    else if (this.#state === 'connected') this.#transport?.loseConnection();
  }

  /** The socket path this connector connects to, for `clientConnectionFailed` messages and retries. */
  getDestination(): UNIXAddress {
    return unixAddress(this.#path);
  }

  transportClosed(transport: StreamTransport, reason: Error): void {
    this.#registry?.connections.delete(transport);
    this.#transport = null;
    this.#state = 'disconnected';
    this.#factory.clientConnectionLost(this, reason);
    this.#factory.doStop();
  }

  #detach(socket: net.Socket): void {
    socket.off('error', this.#onError);
    socket.off('close', this.#onClose);
    socket.off('connect', this.#onConnect);
    this.#socket = null;
    this.#registry?.connecting.delete(this);
    if (this.#timer?.active()) this.#timer.cancel();
    this.#timer = null;
  }

  readonly #onTimeout = (): void => {
    this.#timer = null;
    this.#abortReason = new TimeoutError(`Connection to ${this.#path} timed out after ${this.#timeout}s.`);
    this.#socket?.destroy();
  };

  readonly #onError = (err: Error): void => {
    this.#error ??= err;
  };

  readonly #onConnect = (): void => {
    const socket = this.#socket;
    if (socket === null) return;
    this.#detach(socket);
    const peer = unixAddress(this.#path);
    let protocol: IProtocol | null;
    try {
      protocol = this.#factory.buildProtocol(peer);
    } catch (err) {
      reportError(err, `${this.#factory.constructor.name}.buildProtocol`);
      protocol = null;
    }
    if (protocol === null) {
      socket.destroy();
      this.#failed(new ConnectError('The factory refused the connection (buildProtocol returned null).'));
      return;
    }
    this.#state = 'connected';
    const transport = new UNIXTransport(socket, protocol, this, unixAddress(null), peer);
    this.#transport = transport;
    this.#registry?.connections.add(transport);
    transport.start();
  };

  readonly #onClose = (): void => {
    const socket = this.#socket;
    if (socket !== null) this.#detach(socket);
    const err = this.#error;
    this.#failed(
      this.#abortReason ??
        (err !== null ? connectErrorFor(err) : new ConnectError('Connection closed while connecting.')),
    );
  };

  #failed(reason: Error): void {
    this.#state = 'disconnected';
    try {
      this.#factory.clientConnectionFailed(this, reason);
    } catch (err) {
      reportError(err, `${this.#factory.constructor.name}.clientConnectionFailed`);
    }
    this.#factory.doStop();
  }
}

/**
 * Connects to the UNIX socket at `path` (Twisted's `reactor.connectUNIX`); `clock` drives the
 * timeout.
 *
 * @example
 * ```ts
 * const connector = connectUNIX(reactor, '/tmp/app.sock', clientFactory, { timeout: 2 });
 * ```
 */
export function connectUNIX(
  clock: IReactorTime,
  path: string,
  factory: IClientFactory,
  options: ConnectUNIXOptions = {},
): UNIXConnector {
  const connector = new UNIXConnector(path, factory, options, clock);
  connector.connect();
  return connector;
}
