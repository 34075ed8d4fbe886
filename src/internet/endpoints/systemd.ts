/**
 * Listening sockets handed over by systemd socket activation (or any parent): `LISTEN_FDS` says
 * how many descriptors start at fd 3, `LISTEN_PID` that they are meant for this process.
 * `AdoptedStreamServerEndpoint` listens on one of them; the `systemd:domain=INET:index=N`
 * description picks descriptor `3 + N`.
 *
 * @example
 * ```ts
 * import { serverFromString } from 'twisted-ts/internet';
 * // in a service started by a systemd .socket unit:
 * await serverFromString(reactor, 'systemd:domain=INET:index=0').listen(factory);
 * ```
 * @module
 */
import net from 'node:net';
import { fromNodeAddress, ipAddress } from '../address.js';
import { Deferred, fail, succeed } from '../defer.js';
import { CannotListenError, toError } from '../error.js';
import { reportError } from '../error-reporter.js';
import type { IAddress, IListeningPort, IProtocol, IProtocolFactory } from '../interfaces.js';
import { HIGH_WATER_MARK, StreamTransport, type TransportOwner } from '../stream-transport.js';
import { UNIXTransport, unixAddress } from '../unix.js';
import type { IStreamServerEndpoint } from './interfaces.js';

/**
 * The address family of an inherited socket.
 *
 * @example
 * ```ts
 * const family: AdoptedFamily = 'INET6';
 * await new AdoptedStreamServerEndpoint(SD_LISTEN_FDS_START, family).listen(factory);
 * ```
 */
export type AdoptedFamily = 'INET' | 'INET6' | 'UNIX';

/**
 * The first inherited descriptor, as systemd numbers them.
 *
 * @example
 * ```ts
 * new AdoptedStreamServerEndpoint(SD_LISTEN_FDS_START, 'INET');
 * ```
 */
export const SD_LISTEN_FDS_START = 3;

/**
 * The descriptors systemd passed to this process (`[]` when none, or meant for another process).
 *
 * @example
 * ```ts
 * inheritedDescriptors({ LISTEN_FDS: '2', LISTEN_PID: String(process.pid) }); // [3, 4]
 * ```
 */
export function inheritedDescriptors(
  env: Readonly<Record<string, string | undefined>> = process.env,
): number[] {
  const count = Number(env.LISTEN_FDS ?? '');
  if (!Number.isInteger(count) || count <= 0) return [];
  if (env.LISTEN_PID !== undefined && Number(env.LISTEN_PID) !== process.pid) return [];
  return Array.from({ length: count }, (_, i) => SD_LISTEN_FDS_START + i);
}

/** A port listening on an inherited descriptor. */
class AdoptedPort implements IListeningPort, TransportOwner {
  readonly #fd: number;
  readonly #family: AdoptedFamily;
  readonly #factory: IProtocolFactory;
  #server: net.Server | null = null;
  #stopped: Deferred<void> | null = null;

  constructor(fd: number, family: AdoptedFamily, factory: IProtocolFactory) {
    this.#fd = fd;
    this.#family = family;
    this.#factory = factory;
  }

  startListening(): void {
    const server = net.createServer({ allowHalfOpen: true, highWaterMark: HIGH_WATER_MARK });
    let failed = false;
    server.on('error', (err) => {
      if (!failed) reportError(err, 'AdoptedStreamServerEndpoint');
    });
    server.on('connection', this.#onConnection);
    server.listen({ fd: this.#fd });
    if (!server.listening) {
      failed = true;
      throw new CannotListenError(`Could not listen on inherited descriptor ${this.#fd}.`);
    }
    this.#server = server;
    this.#factory.doStart();
  }

  stopListening(): Deferred<void> {
    if (this.#stopped !== null) return this.#stopped;
    const stopped = new Deferred<void>();
    this.#stopped = stopped;
    const server = this.#server;
    if (server === null) stopped.callback(undefined);
    else
      server.close(() => {
        this.#factory.doStop();
        stopped.callback(undefined);
      });
    return stopped;
  }

  getHost(): IAddress {
    const info = this.#server?.address();
    if (typeof info === 'string') return unixAddress(info);
    if (this.#family === 'UNIX') return unixAddress(null);
    return fromNodeAddress('TCP', info ?? null);
  }

  transportClosed(_transport: StreamTransport, _reason: Error): void {}

  readonly #onConnection = (socket: net.Socket): void => {
    const unix = this.#family === 'UNIX';
    const peer = unix
      ? unixAddress(null)
      : ipAddress('TCP', socket.remoteAddress ?? '0.0.0.0', socket.remotePort ?? 0);
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
    const transport = unix
      ? new UNIXTransport(
          socket,
          protocol,
          this,
          this.getHost() as ReturnType<typeof unixAddress>,
          unixAddress(null),
        )
      : new StreamTransport(socket, protocol, this, peer as ReturnType<typeof ipAddress>);
    transport.start();
  };
}

/**
 * Listens on an already-bound, listening socket inherited as descriptor `fd` (Twisted's
 * `AdoptedStreamServerEndpoint`).
 *
 * @example
 * ```ts
 * await new AdoptedStreamServerEndpoint(3, 'INET').listen(factory);
 * ```
 */
export class AdoptedStreamServerEndpoint implements IStreamServerEndpoint {
  readonly #fd: number;
  readonly #family: AdoptedFamily;
  #used = false;

  constructor(fd: number, family: AdoptedFamily) {
    this.#fd = fd;
    this.#family = family;
  }

  /** Listens; a descriptor can be adopted once (a second `listen` errbacks). */
  listen(factory: IProtocolFactory): Deferred<IListeningPort> {
    if (this.#used) return fail(new CannotListenError(`Descriptor ${this.#fd} was already adopted.`));
    this.#used = true;
    try {
      const port = new AdoptedPort(this.#fd, this.#family, factory);
      port.startListening();
      return succeed(port);
    } catch (err) {
      return fail(toError(err));
    }
  }
}
