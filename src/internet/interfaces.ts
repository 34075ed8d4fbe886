/**
 * The contracts of twisted-ts's engine, with Twisted's names. Implementations: `NodeReactor`
 * (real sockets and timers), `MemoryReactor`/`Clock` (in memory, for tests), the TCP/TLS/UNIX
 * transports and `StringTransport`.
 *
 * Twisted-named APIs take seconds (`callLater(1.5, f)`); everything that may finish later returns
 * a `Deferred`.
 *
 * @module
 */
import type { Deferred } from './defer.js';
import type { SpawnProcessOptions } from './process.js';
import type { IProcessProtocol, IProcessTransport } from './process-protocol.js';
import type { IHostnameResolver } from './resolver.js';
import type { ThreadPool, ThreadTask } from './threads/thread-pool.js';
import type { DatagramProtocol, ListenUDPOptions } from './udp.js';
import type { ListenMulticastOptions } from './udp-multicast.js';

// ---------------------------------------------------------------- addresses

/** An IPv4 socket address, as `getPeer()`/`getHost()` return it on a TCP or UDP transport. */
export interface IPv4Address {
  readonly type: 'TCP' | 'UDP';
  readonly family: 'IPv4';
  readonly host: string;
  readonly port: number;
}

/** An IPv6 socket address. */
export interface IPv6Address {
  readonly type: 'TCP' | 'UDP';
  readonly family: 'IPv6';
  readonly host: string;
  readonly port: number;
  readonly flowInfo?: number;
  readonly scopeId?: number | string;
}

/** A UNIX socket address (`name` is the path, or `\0name` in Linux's abstract namespace). */
export interface UNIXAddress {
  readonly type: 'UNIX';
  readonly name: string | null;
}

/** Any address a transport can report; discriminate on `type` (and `family` for IP). */
export type IAddress = IPv4Address | IPv6Address | UNIXAddress | { readonly type: string };

// ---------------------------------------------------------------- time

/** A call scheduled with `callLater`; Twisted's `IDelayedCall`. */
export interface IDelayedCall {
  /** When the call will run, in the clock's `seconds()` units. */
  getTime(): number;
  /** Unschedules the call. Throws `AlreadyCalled` or `AlreadyCancelled`. */
  cancel(): void;
  /** Pushes the call `seconds` later. Throws like `cancel()`. */
  delay(seconds: number): void;
  /** Runs the call `seconds` from now instead. Throws like `cancel()`. */
  reset(seconds: number): void;
  /** True until the call has run or been cancelled. */
  active(): boolean;
}

/** Scheduling: the one dependency timeouts and retries take, so tests pass a `Clock`. */
export interface IReactorTime {
  /** Current time in seconds (a float); monotonic in `NodeReactor`. */
  seconds(): number;
  /** Calls `f(...args)` after `seconds` seconds. */
  callLater<A extends unknown[]>(seconds: number, f: (...args: A) => unknown, ...args: A): IDelayedCall;
  /** The calls scheduled and not yet run or cancelled. */
  getDelayedCalls(): IDelayedCall[];
}

// ---------------------------------------------------------------- core

/** A system event phase. */
export type SystemEventPhase = 'before' | 'during' | 'after';
/** A system event the reactor fires. */
export type SystemEvent = 'startup' | 'shutdown';
/** A handle returned by `addSystemEventTrigger`. */
export type TriggerId = number;

/** Running and stopping; Twisted's `IReactorCore`. */
export interface IReactorCore {
  /** True between the `startup` and `shutdown` events. */
  readonly running: boolean;
  /** Starts the reactor; the Promise settles after shutdown completes. */
  run(): Promise<void>;
  /** Stops the reactor: runs the shutdown triggers. Throws `ReactorNotRunning` when not running. */
  stop(): void;
  /** Calls `f(...args)` once the reactor is running (at once if it already is). */
  callWhenRunning<A extends unknown[]>(f: (...args: A) => unknown, ...args: A): TriggerId | undefined;
  /**
   * Adds a trigger to a system event phase. A trigger that returns a Deferred (or a Promise) delays
   * the next phase until it fires.
   */
  addSystemEventTrigger<A extends unknown[]>(
    phase: SystemEventPhase,
    event: SystemEvent,
    f: (...args: A) => unknown,
    ...args: A
  ): TriggerId;
  /** Removes a trigger added with `addSystemEventTrigger`. */
  removeSystemEventTrigger(id: TriggerId): void;
  /** Runs the `before`, `during` and `after` triggers of `event`. */
  fireSystemEvent(event: SystemEvent): Deferred<void>;
}

// ---------------------------------------------------------------- producers and consumers

/** A producer the consumer pauses and resumes (a socket, a stream). */
export interface IPushProducer {
  pauseProducing(): void;
  resumeProducing(): void;
  stopProducing(): void;
}

/** A producer the consumer pulls from: each `resumeProducing()` writes one chunk. */
export interface IPullProducer {
  resumeProducing(): void;
  stopProducing(): void;
}

/** Something producers write into; a transport is one. */
export interface IConsumer {
  /** `streaming` true: a push producer (paused/resumed); false: a pull producer (asked per chunk). */
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void;
  unregisterProducer(): void;
  write(data: Uint8Array | string): void;
}

// ---------------------------------------------------------------- transports and protocols

/** A connection's byte stream; Twisted's `ITransport`. */
export interface ITransport extends IConsumer {
  write(data: Uint8Array | string): void;
  /** Writes several buffers in one go (one syscall where the transport can). */
  writeSequence(data: readonly (Uint8Array | string)[]): void;
  /** Closes after everything written has been sent. Idempotent. */
  loseConnection(): void;
  /** Drops the connection now, discarding unsent data. */
  abortConnection(): void;
  getPeer(): IAddress;
  getHost(): IAddress;
}

/** A transport that can close its write side only (TCP, UNIX). */
export interface IHalfCloseableTransport extends ITransport {
  /** Sends EOF after everything written; reading goes on. */
  loseWriteConnection(): void;
}

/** A stream transport that is also a push producer (pausing stops reading from the socket). */
export interface IStreamTransport extends IHalfCloseableTransport, IPushProducer {
  /** True once `loseConnection()` was called. */
  readonly disconnecting: boolean;
}

/** The TCP transport. */
export interface ITCPTransport extends IStreamTransport {
  setTcpNoDelay(enabled: boolean): void;
  setTcpKeepAlive(enabled: boolean): void;
  getPeer(): IPv4Address | IPv6Address;
  getHost(): IPv4Address | IPv6Address;
}

/** What a transport drives; Twisted's `IProtocol`. */
export interface IProtocol {
  makeConnection(transport: ITransport): void;
  connectionMade(): void;
  dataReceived(data: Buffer): void;
  /** `reason` is `ConnectionDone` after a clean close, `ConnectionLost` otherwise. */
  connectionLost(reason: Error): void;
}

/** A protocol that wants to know when each direction closes. */
export interface IHalfCloseableProtocol extends IProtocol {
  /** The peer sent EOF; writing still works. */
  readConnectionLost(): void;
  /** Our write side was closed with `loseWriteConnection()`. */
  writeConnectionLost(): void;
}

/** True when `p` implements the half-close hooks. */
export function isHalfCloseable(p: IProtocol): p is IHalfCloseableProtocol {
  const q = p as Partial<IHalfCloseableProtocol>;
  return typeof q.readConnectionLost === 'function' && typeof q.writeConnectionLost === 'function';
}

/** Builds a protocol per connection; Twisted's `IProtocolFactory`. */
export interface IProtocolFactory {
  /** Returns the protocol for a new connection, or `null` to refuse it. */
  buildProtocol(addr: IAddress): IProtocol | null;
  /** Called when the first port starts using the factory (ref-counted). */
  doStart(): void;
  /** Called when the last port stops using the factory. */
  doStop(): void;
}

/** The client side of connecting; Twisted's `ClientFactory` hooks. */
export interface IClientFactory extends IProtocolFactory {
  startedConnecting(connector: IConnector): void;
  clientConnectionFailed(connector: IConnector, reason: Error): void;
  clientConnectionLost(connector: IConnector, reason: Error): void;
}

// ---------------------------------------------------------------- ports and connectors

/** A listening socket. */
export interface IListeningPort {
  /** Starts listening (already done by `listenTCP`). */
  startListening(): void;
  /** Stops accepting; the Deferred fires once the socket is closed. */
  stopListening(): Deferred<void>;
  getHost(): IAddress;
}

/** An outgoing connection attempt that can be retried. */
export interface IConnector {
  /** Stops a connection attempt in progress. */
  stopConnecting(): void;
  /** Disconnects, or stops connecting. */
  disconnect(): void;
  /** Connects (again). */
  connect(): void;
  getDestination(): IAddress;
}

/** Options of `listenTCP`. */
export interface ListenTCPOptions {
  /** Queue of pending connections (default 50, as in Twisted). */
  backlog?: number;
  /** Address to bind (default all interfaces: `''`). */
  interface?: string;
}

/** Options of `connectTCP`. */
export interface ConnectTCPOptions {
  /** Seconds before a connection attempt fails with `TimeoutError` (default 30). */
  timeout?: number;
  /** Local `[host, port]` to bind before connecting. */
  bindAddress?: readonly [string, number];
}

/** TCP; Twisted's `IReactorTCP`. */
export interface IReactorTCP {
  listenTCP(port: number, factory: IProtocolFactory, options?: ListenTCPOptions): IListeningPort;
  connectTCP(host: string, port: number, factory: IClientFactory, options?: ConnectTCPOptions): IConnector;
}

/** UDP; Twisted's `IReactorUDP`. */
export interface IReactorUDP {
  /** Binds a UDP port (0: any free one) and connects `protocol` to it. */
  listenUDP(port: number, protocol: DatagramProtocol, options?: ListenUDPOptions): IListeningPort;
}

/** UDP multicast; Twisted's `IReactorMulticast`. */
export interface IReactorMulticast {
  /** Binds a UDP port with multicast controls and connects `protocol` to it. */
  listenMulticast(port: number, protocol: DatagramProtocol, options?: ListenMulticastOptions): IListeningPort;
}

/** Child processes; Twisted's `IReactorProcess`. */
export interface IReactorProcess {
  /** Starts `executable` with `args` (`args[0]` is the program's name) and connects `protocol`. */
  spawnProcess(
    protocol: IProcessProtocol,
    executable: string,
    args?: readonly string[],
    options?: SpawnProcessOptions,
  ): IProcessTransport;
}

/** Work off the main thread (worker threads); Twisted's `IReactorThreads`. */
export interface IReactorThreads {
  /** Runs `task(...args)` in the reactor's thread pool, ignoring its result. */
  callInThread<A extends unknown[]>(task: ThreadTask<A>, ...args: A): void;
  /** Runs `f(...args)` on the reactor's thread, on its next turn. */
  callFromThread<A extends unknown[]>(f: (...args: A) => unknown, ...args: A): void;
  /** The reactor's thread pool, started on first use and stopped at shutdown. */
  getThreadPool(): ThreadPool;
  /** Sets the most threads the reactor's pool may run. */
  suggestThreadPoolSize(size: number): void;
}

/** Host name resolution a reactor carries; Twisted's `IReactorPluggableNameResolver` (and `resolve`). */
export interface IReactorPluggableNameResolver {
  /** The resolver in use (undefined: the global one, `getResolver()`). */
  readonly nameResolver: IHostnameResolver | undefined;
  /** Installs `resolver` for this reactor; returns the previous one. */
  installNameResolver(resolver: IHostnameResolver): IHostnameResolver | undefined;
  /** Resolves `name` to its first IPv4 address with that resolver. */
  resolve(name: string): Deferred<string>;
}

/** What most library code needs from a reactor. */
export interface IReactor extends IReactorCore, IReactorTime, IReactorTCP {}
