/**
 * Multicast UDP: `listenMulticast(port, protocol)` gives a port that can `joinGroup`/`leaveGroup`
 * and set the TTL, loopback and outgoing interface of the datagrams it sends; Twisted's
 * `IMulticastTransport`. Options set before the socket is bound are applied once it is.
 *
 * @example
 * ```ts
 * import { DatagramProtocol, listenMulticast } from 'twisted-ts/internet';
 * const port = listenMulticast(8005, new MyProtocol(), { listenMultiple: true });
 * await port.joinGroup('239.1.2.3');
 * port.write('hello group', ['239.1.2.3', 8005]);
 * ```
 * @module
 */
import type { Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { getReactor } from './default-reactor.js';
import { Deferred } from './defer.js';
import { TwistedError, toError } from './error.js';
import { type DatagramProtocol, type IUDPTransport, type ListenUDPOptions, UDPPort } from './udp-port.js';

/**
 * Joining (or leaving) a multicast group failed; the system error is the `cause`.
 *
 * @example
 * ```ts
 * port.joinGroup('239.1.2.3').addErrback((err) => trap(err, MulticastJoinError));
 * ```
 */
export class MulticastJoinError extends TwistedError {
  constructor(message = 'Could not join the multicast group.', options?: { cause?: unknown }) {
    super(message, 'ERR_MULTICAST_JOIN', options);
  }
}

/**
 * A UDP transport with multicast controls; Twisted's `IMulticastTransport`.
 *
 * @example
 * ```ts
 * class Listener extends DatagramProtocol {
 *   override startProtocol() { (this.transport as IMulticastTransport).joinGroup('239.1.2.3'); }
 * }
 * ```
 */
export interface IMulticastTransport extends IUDPTransport {
  /** Joins `addr` on the interface `iface` (an address of it; default: the system's choice). */
  joinGroup(addr: string, iface?: string): Deferred<void>;
  /** Leaves a group joined with `joinGroup`. */
  leaveGroup(addr: string, iface?: string): Deferred<void>;
  /** Hops the datagrams this port sends may travel (default 1). */
  setTTL(ttl: number): void;
  /** The TTL set with `setTTL` (1 unless changed: datagrams stay on the local network). */
  getTTL(): number;
  /** Whether datagrams this port sends to a group come back to sockets of this host (default true). */
  setLoopbackMode(enabled: boolean): void;
  /** Whether this host's own sockets receive what this port sends to a group. */
  getLoopbackMode(): boolean;
  /** Sends group datagrams through the interface with address `addr`. */
  setOutgoingInterface(addr: string): Deferred<void>;
  /** The address given to `setOutgoingInterface`, or `''` for the system's choice. */
  getOutgoingInterface(): string;
}

/**
 * Options of `listenMulticast`.
 *
 * @example
 * ```ts
 * listenMulticast(5353, mdns, { listenMultiple: true, interface: '0.0.0.0' });
 * ```
 */
export interface ListenMulticastOptions extends ListenUDPOptions {
  /** Let several sockets bind the same port (SO_REUSEADDR), as group listeners usually do. */
  readonly listenMultiple?: boolean;
}

/**
 * A UDP port with multicast controls. Made by `listenMulticast`.
 *
 * @example
 * ```ts
 * const port = listenMulticast(0, proto, { interface: '0.0.0.0' });
 * port.setTTL(4);
 * await port.joinGroup('239.255.0.1', '127.0.0.1');
 * ```
 */
export class MulticastPort extends UDPPort implements IMulticastTransport {
  #ttl = 1;
  #loopback = true;
  #outgoing = '';

  protected override socketBound(socket: Socket): void {
    socket.setMulticastTTL(this.#ttl);
    socket.setMulticastLoopback(this.#loopback);
    if (this.#outgoing !== '') socket.setMulticastInterface(this.#outgoing);
  }

  /** Runs `f` on the bound socket (waiting for the bind); errors errback as `MulticastJoinError`. */
  #whenBound(f: (socket: Socket) => void, what: string): Deferred<void> {
    const d = new Deferred<void>();
    const run = (): void => {
      const socket = this.boundSocket;
      if (socket === null) {
        d.errback(new MulticastJoinError(`Cannot ${what}: the port is closed.`));
        return;
      }
      try {
        f(socket);
        d.callback(undefined);
      } catch (err) {
        d.errback(new MulticastJoinError(`Cannot ${what}: ${toError(err).message}`, { cause: err }));
      }
    };
    this.whenListening().addCallbacks(run, (err: Error) =>
      d.errback(new MulticastJoinError(`Cannot ${what}: the port is closed or not bound.`, { cause: err })),
    );
    return d;
  }

  #checkGroup(addr: string): void {
    if (isIP(addr) === 0) throw new MulticastJoinError(`${addr} is not an IP address.`);
  }

  /**
   * Joins the group `addr` on the interface with address `iface` (default: the system's choice).
   *
   * @example
   * ```ts
   * await port.joinGroup('239.1.2.3', '127.0.0.1');
   * ```
   */
  joinGroup(addr: string, iface?: string): Deferred<void> {
    return this.#whenBound((s) => {
      this.#checkGroup(addr);
      if (iface === undefined || iface === '') s.addMembership(addr);
      else s.addMembership(addr, iface);
    }, `join ${addr}`);
  }

  /**
   * Leaves a group joined with `joinGroup`.
   *
   * @example
   * ```ts
   * await port.leaveGroup('239.1.2.3');
   * ```
   */
  leaveGroup(addr: string, iface?: string): Deferred<void> {
    return this.#whenBound((s) => {
      this.#checkGroup(addr);
      if (iface === undefined || iface === '') s.dropMembership(addr);
      else s.dropMembership(addr, iface);
    }, `leave ${addr}`);
  }

  /**
   * Sets the hop limit of the group datagrams this port sends (0–255).
   *
   * @example
   * ```ts
   * port.setTTL(4);
   * ```
   */
  setTTL(ttl: number): void {
    if (!Number.isInteger(ttl) || ttl < 0 || ttl > 255) throw new RangeError(`Invalid TTL ${ttl}.`);
    this.#ttl = ttl;
    this.boundSocket?.setMulticastTTL(ttl);
  }

  /**
   * The hop limit of sent group datagrams.
   *
   * @example
   * ```ts
   * console.log(port.getTTL()); // 1
   * ```
   */
  getTTL(): number {
    return this.#ttl;
  }

  /**
   * Whether group datagrams sent here are also delivered to this host.
   *
   * @example
   * ```ts
   * port.setLoopbackMode(false);
   * ```
   */
  setLoopbackMode(enabled: boolean): void {
    this.#loopback = enabled;
    this.boundSocket?.setMulticastLoopback(enabled);
  }

  /**
   * The loopback mode.
   *
   * @example
   * ```ts
   * if (port.getLoopbackMode()) port.setLoopbackMode(false);
   * ```
   */
  getLoopbackMode(): boolean {
    return this.#loopback;
  }

  /**
   * Sends group datagrams through the interface with address `addr`.
   *
   * @example
   * ```ts
   * await port.setOutgoingInterface('192.168.1.10');
   * ```
   */
  setOutgoingInterface(addr: string): Deferred<void> {
    return this.#whenBound((s) => {
      s.setMulticastInterface(addr);
      this.#outgoing = addr;
    }, `use ${addr} for multicast`);
  }

  /**
   * The interface set with `setOutgoingInterface` (`''`: the system's choice).
   *
   * @example
   * ```ts
   * console.log(port.getOutgoingInterface());
   * ```
   */
  getOutgoingInterface(): string {
    return this.#outgoing;
  }
}

/**
 * Binds a UDP port for multicast and connects `protocol` to it.
 *
 * @example
 * ```ts
 * const port = listenMulticast(5353, new Mdns(), { listenMultiple: true });
 * await port.joinGroup('224.0.0.251');
 * ```
 */
export function listenMulticast(
  port: number,
  protocol: DatagramProtocol,
  options: ListenMulticastOptions = {},
): MulticastPort {
  const reactor = options.reactor ?? getReactor();
  const p = new MulticastPort(port, protocol, {
    ...options,
    reactor,
    reuseAddr: options.listenMultiple ?? false,
  });
  p.startListening();
  return p;
}
