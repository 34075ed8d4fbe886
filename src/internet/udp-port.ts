/**
 * The UDP port and protocol classes behind `listenUDP` (udp.ts, which re-exports all of this):
 * `DatagramProtocol`, `UDPPort`, their errors and options.
 *
 * @example
 * ```ts
 * import { DatagramProtocol, listenUDP } from 'twisted-ts/internet';
 * const port = listenUDP(0, new DatagramProtocol(), { interface: '127.0.0.1' });
 * ```
 * @module
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { fromNodeAddress, ipAddress } from './address.js';
import { Deferred, fail, succeed } from './defer.js';
import { CannotListenError, TwistedError } from './error.js';
import { reportError } from './error-reporter.js';
import type { IListeningPort, IPv4Address, IPv6Address, IReactorCore, TriggerId } from './interfaces.js';

/**
 * Where a port without a `reactor` option registers its shutdown trigger: the global reactor, set
 * by udp.ts. (This module does not import the global reactor itself: the reactor's own module
 * reaches back here through `reactor.listenUDP`, and the port class must exist by then.)
 */
let defaultReactor = (): ShutdownTriggers => {
  throw new TypeError('UDPPort needs a reactor option (or import listenUDP from udp.js).');
};

/**
 * Sets where ports without a `reactor` option register (udp.ts passes `getReactor`).
 *
 * @example
 * ```ts
 * setDefaultUDPReactor(getReactor);
 * ```
 */
export function setDefaultUDPReactor(get: () => ShutdownTriggers): void {
  defaultReactor = get;
}

/**
 * A datagram is larger than the protocol allows (IPv4: 65,507 bytes; IPv6: 65,527 bytes).
 *
 * @example
 * ```ts
 * assert.throws(() => port.write(Buffer.alloc(70_000), ['127.0.0.1', 9]), MessageLengthError);
 * ```
 */
export class MessageLengthError extends TwistedError {
  constructor(message = 'Message is too long to send.') {
    super(message, 'ERR_MESSAGE_LENGTH');
  }
}

/**
 * An address given to `write`/`connect` is not an IP address of the socket's family.
 *
 * @example
 * ```ts
 * port.write('x', ['localhost', 9]); // throws InvalidAddressError: resolve names first
 * ```
 */
export class InvalidAddressError extends TwistedError {
  constructor(message = 'Invalid address.') {
    super(message, 'ERR_INVALID_ADDRESS');
  }
}

/**
 * A datagram destination: Twisted's `(host, port)` tuple; `host` must be an IP address.
 *
 * @example
 * ```ts
 * const resolver: DatagramAddress = ['192.0.2.53', 53];
 * this.transport!.write(query, resolver);
 * ```
 */
export type DatagramAddress = readonly [host: string, port: number];

/**
 * The transport a `DatagramProtocol` writes to; Twisted's `IUDPTransport`.
 *
 * @example
 * ```ts
 * class Echo extends DatagramProtocol {
 *   override datagramReceived(data: Buffer, addr: IPv4Address | IPv6Address) {
 *     this.transport!.write(data, [addr.host, addr.port]);
 *   }
 * }
 * ```
 */
export interface IUDPTransport {
  /** Sends one datagram; `addr` is required unless connected, forbidden when connected. */
  write(data: Uint8Array | string, addr?: DatagramAddress): void;
  /** Connects to one peer: only its datagrams are received; `write` takes no address. */
  connect(host: string, port: number): void;
  /** The bound address (`0.0.0.0:0`-like until bound). */
  getHost(): IPv4Address | IPv6Address;
  /** Closes the socket; fires once closed. */
  stopListening(): Deferred<void>;
  /** Same as `stopListening()`, ignoring the Deferred. */
  loseConnection(): void;
  /** Allows or forbids sending to broadcast addresses (SO_BROADCAST; forbidden by default). */
  setBroadcastAllowed(enabled: boolean): void;
  /** Whether `write` may send to a broadcast address. */
  getBroadcastAllowed(): boolean;
}

/**
 * Something a reactor offers for closing ports when it shuts down.
 *
 * @example
 * ```ts
 * const r: ShutdownTriggers = new NodeReactor();
 * const port = listenUDP(0, new Echo(), { reactor: r }); // closed during r's shutdown
 * ```
 */
export type ShutdownTriggers = Pick<IReactorCore, 'addSystemEventTrigger' | 'removeSystemEventTrigger'>;

/**
 * Options of `listenUDP`.
 *
 * @example
 * ```ts
 * listenUDP(5353, proto, { interface: '::', maxPacketSize: 9000 });
 * ```
 */
export interface ListenUDPOptions {
  /** Address to bind (default all IPv4 interfaces; an address with `:` selects IPv6). */
  readonly interface?: string;
  /** Longer datagrams are truncated to this many bytes, as Twisted's read size does (default 8192). */
  readonly maxPacketSize?: number;
  /** The reactor whose `during shutdown` trigger closes the port (default: the global reactor). */
  readonly reactor?: ShutdownTriggers;
}

/**
 * The base class of UDP protocols; override `datagramReceived`. `startProtocol` runs when the
 * port is bound, `stopProtocol` after it closed.
 *
 * @example
 * ```ts
 * class Logger extends DatagramProtocol {
 *   override datagramReceived(data: Buffer, addr: IPv4Address | IPv6Address) {
 *     console.log(addr.host, data.toString());
 *   }
 * }
 * ```
 */
export class DatagramProtocol {
  /** The port this protocol talks through, set by `makeConnection` and cleared by `doStop`. */
  transport: IUDPTransport | null = null;
  /** How many ports use this protocol. */
  numPorts = 0;

  /** Called by the port once bound: sets `transport` and calls `doStart()`. */
  makeConnection(transport: IUDPTransport): void {
    this.transport = transport;
    this.doStart();
  }

  /** Ref-counted start: calls `startProtocol()` for the first port. */
  doStart(): void {
    if (this.numPorts === 0) this.startProtocol();
    this.numPorts++;
  }

  /** Ref-counted stop: calls `stopProtocol()` when the last port closed. */
  doStop(): void {
    if (this.numPorts === 0) return;
    this.numPorts--;
    if (this.numPorts === 0) {
      this.stopProtocol();
      this.transport = null;
    }
  }

  /** Hook: the port is bound; `this.transport` is set. */
  startProtocol(): void {}

  /** Hook: the port closed. */
  stopProtocol(): void {}

  /** Hook: a datagram arrived from `addr`. */
  datagramReceived(_data: Buffer, _addr: IPv4Address | IPv6Address): void {}

  /** Hook: on a connected transport, the peer answered a datagram with ICMP port unreachable. */
  connectionRefused(): void {}
}

const MAX_DATAGRAM = { IPv4: 65_507, IPv6: 65_527 } as const;

/**
 * A bound UDP socket; the transport of its `DatagramProtocol`. Made by `listenUDP`.
 *
 * @example
 * ```ts
 * const port = listenUDP(0, proto, { interface: '::1' });
 * await port.whenListening();
 * console.log(port.getHost().port);
 * ```
 */
export class UDPPort implements IUDPTransport, IListeningPort {
  /** The socket's family, from the bind address; addresses of the other family are refused. */
  protected readonly family: 'IPv4' | 'IPv6';
  readonly #port: number;
  readonly #protocol: DatagramProtocol;
  readonly #interface: string;
  readonly #maxPacketSize: number;
  readonly #reactor: ShutdownTriggers;
  readonly #reuseAddr: boolean;
  #socket: Socket | null = null;
  #bound = false;
  #connected: DatagramAddress | null = null;
  /** Datagrams written while `connect` is in progress (Node refuses them until it completes). */
  #connecting: Uint8Array[] | null = null;
  #broadcast = false;
  #stopped: Deferred<void> | null = null;
  #trigger: TriggerId | null = null;
  #bindError: Error | null = null;
  #waiters: Deferred<void>[] = [];

  constructor(
    port: number,
    protocol: DatagramProtocol,
    options: ListenUDPOptions & { reuseAddr?: boolean } = {},
  ) {
    this.#port = port;
    this.#protocol = protocol;
    this.#interface = options.interface ?? '';
    this.family = this.#interface.includes(':') ? 'IPv6' : 'IPv4';
    this.#maxPacketSize = options.maxPacketSize ?? 8192;
    this.#reactor = options.reactor ?? defaultReactor();
    this.#reuseAddr = options.reuseAddr ?? false;
  }

  /** Creates and binds the socket (done by `listenUDP`). */
  startListening(): void {
    if (this.#socket !== null) return;
    const socket = createSocket({
      type: this.family === 'IPv6' ? 'udp6' : 'udp4',
      reuseAddr: this.#reuseAddr,
    });
    this.#socket = socket;
    socket.on('message', (msg: Buffer, rinfo: RemoteInfo) => this.#onMessage(msg, rinfo));
    socket.on('error', (err: NodeJS.ErrnoException) => this.#onError(err));
    const host = this.#interface === '' ? (this.family === 'IPv6' ? '::' : '0.0.0.0') : this.#interface;
    socket.bind({ port: this.#port, address: host }, () => {
      this.#bound = true;
      this.#trigger = this.#reactor.addSystemEventTrigger('during', 'shutdown', () => {
        this.#trigger = null; // it has fired: removing it now would be an error
        return this.stopListening();
      });
      try {
        socket.setBroadcast(this.#broadcast);
        this.socketBound(socket);
        this.#protocol.makeConnection(this);
      } catch (err) {
        reportError(err, 'DatagramProtocol.startProtocol');
      }
      for (const d of this.#waiters.splice(0)) d.callback(undefined);
    });
  }

  /** True once bound, until `stopListening()`. */
  get listening(): boolean {
    return this.#bound && this.#stopped === null;
  }

  /**
   * Fires once the socket is bound and `startProtocol()` ran; errbacks with `CannotListenError`
   * when binding failed or the port was stopped first. Each call returns a new Deferred.
   *
   * @example
   * ```ts
   * const port = listenUDP(0, proto);
   * await port.whenListening();
   * ```
   */
  whenListening(): Deferred<void> {
    if (this.#bindError !== null) return fail(this.#bindError);
    if (this.#bound || this.#stopped !== null) {
      if (this.#stopped !== null) return fail(new CannotListenError('The port was stopped.'));
      return succeed<void>(undefined);
    }
    const d = new Deferred<void>();
    this.#waiters.push(d);
    return d;
  }

  #failWaiters(err: Error): void {
    const waiters = this.#waiters.splice(0);
    if (waiters.length === 0) reportError(err, 'listenUDP');
    for (const d of waiters) d.errback(err);
  }

  /** Hook for subclasses: the socket was just bound (multicast applies its options here). */
  protected socketBound(_socket: Socket): void {}

  /** The socket, once bound; for subclasses. */
  protected get boundSocket(): Socket | null {
    return this.#bound ? this.#socket : null;
  }

  #onMessage(msg: Buffer, rinfo: RemoteInfo): void {
    const data = msg.length > this.#maxPacketSize ? msg.subarray(0, this.#maxPacketSize) : msg;
    try {
      this.#protocol.datagramReceived(data, ipAddress('UDP', rinfo.address, rinfo.port));
    } catch (err) {
      reportError(err, 'DatagramProtocol.datagramReceived');
    }
  }

  #onError(err: NodeJS.ErrnoException): void {
    if (!this.#bound) {
      const message = `Couldn't listen on ${this.#interface || 'any'}:${this.#port}: ${err.message}.`;
      this.#socket?.close();
      this.#socket = null;
      this.#bindError = new CannotListenError(message, { cause: err });
      this.#failWaiters(this.#bindError);
      return;
    }
    if (err.code === 'ECONNREFUSED') this.#refused();
    else {
      // A failed connect: the datagrams waiting for it are dropped, as UDP drops datagrams.
      this.#connecting = null;
      reportError(err, 'UDP socket');
    }
  }

  #refused(): void {
    if (this.#connected === null) return;
    try {
      this.#protocol.connectionRefused();
    } catch (err) {
      reportError(err, 'DatagramProtocol.connectionRefused');
    }
  }

  #checkHost(host: string): void {
    const v = isIP(host);
    if (v === 0) throw new InvalidAddressError(`${host} is not an IP address; resolve it first.`);
    if ((v === 6) !== (this.family === 'IPv6')) {
      throw new InvalidAddressError(`${host} is not an ${this.family} address.`);
    }
  }

  /**
   * Sends one datagram to `addr` (`[ip, port]`), or to the connected peer when `addr` is left out.
   *
   * @example
   * ```ts
   * port.write('hello', ['127.0.0.1', 9999]);
   * ```
   */
  write(data: Uint8Array | string, addr?: DatagramAddress): void {
    const socket = this.#socket;
    if (socket === null || this.#stopped !== null) return;
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    if (buf.length > MAX_DATAGRAM[this.family]) throw new MessageLengthError();
    if (this.#connected !== null) {
      if (addr !== undefined) throw new InvalidAddressError('A connected transport takes no address.');
      if (this.#connecting !== null) this.#connecting.push(buf);
      else socket.send(buf, (err) => this.#sendDone(err));
      return;
    }
    if (addr === undefined) throw new InvalidAddressError('An unconnected transport needs an address.');
    this.#checkHost(addr[0]);
    socket.send(buf, addr[1], addr[0], (err) => this.#sendDone(err));
  }

  #sendDone(err: Error | null): void {
    if (err === null) return;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED') this.#refused();
    else if (this.#stopped === null) reportError(err, 'UDP send');
  }

  /**
   * Connects to one peer (an IP address, as in Twisted). Only once per port.
   *
   * @example
   * ```ts
   * port.connect('127.0.0.1', 53);
   * port.write('query');
   * ```
   */
  connect(host: string, port: number): void {
    if (this.#connected !== null) throw new Error('Already connected.');
    this.#checkHost(host);
    this.#connected = [host, port];
    const socket = this.#socket;
    if (socket === null) return;
    this.#connecting = [];
    socket.connect(port, host, () => {
      const queued = this.#connecting ?? [];
      this.#connecting = null;
      for (const buf of queued) socket.send(buf, (e) => this.#sendDone(e));
    });
  }

  /**
   * The bound address (port 0 until bound).
   *
   * @example
   * ```ts
   * const { host, port } = udpPort.getHost();
   * ```
   */
  getHost(): IPv4Address | IPv6Address {
    const socket = this.boundSocket;
    if (socket === null) return ipAddress('UDP', this.family === 'IPv6' ? '::' : '0.0.0.0', 0);
    return fromNodeAddress('UDP', socket.address());
  }

  /**
   * Allows sending to broadcast addresses (SO_BROADCAST).
   *
   * @example
   * ```ts
   * port.setBroadcastAllowed(true);
   * port.write('hi all', ['255.255.255.255', 9999]);
   * ```
   */
  setBroadcastAllowed(enabled: boolean): void {
    this.#broadcast = enabled;
    this.boundSocket?.setBroadcast(enabled);
  }

  /**
   * Whether broadcast is allowed.
   *
   * @example
   * ```ts
   * if (!port.getBroadcastAllowed()) port.setBroadcastAllowed(true);
   * ```
   */
  getBroadcastAllowed(): boolean {
    return this.#broadcast;
  }

  /**
   * Closes the socket, then calls the protocol's `stopProtocol()`; fires once closed.
   *
   * @example
   * ```ts
   * await port.stopListening();
   * ```
   */
  stopListening(): Deferred<void> {
    if (this.#stopped !== null) return this.#stopped;
    const done = new Deferred<void>();
    this.#stopped = done;
    if (this.#trigger !== null) this.#reactor.removeSystemEventTrigger(this.#trigger);
    this.#trigger = null;
    const socket = this.#socket;
    if (socket === null) {
      done.callback(undefined);
      return done;
    }
    const wasBound = this.#bound;
    if (!wasBound) {
      for (const d of this.#waiters.splice(0))
        d.errback(new CannotListenError('The port was stopped before it was bound.'));
    }
    socket.close(() => {
      this.#bound = false;
      if (wasBound) {
        try {
          this.#protocol.doStop();
        } catch (err) {
          reportError(err, 'DatagramProtocol.stopProtocol');
        }
      }
      done.callback(undefined);
    });
    return done;
  }

  /**
   * Same as `stopListening()`, ignoring when it completes.
   *
   * @example
   * ```ts
   * port.loseConnection();
   * ```
   */
  loseConnection(): void {
    this.stopListening();
  }
}
