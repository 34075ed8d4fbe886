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
import type { IAddress, IPv4Address, IPv6Address } from './address.js';
import type { Deferred } from './defer.js';
import type { SpawnProcessOptions } from './process.js';
import type { IProcessProtocol, IProcessTransport } from './process-protocol.js';
import type { IConsumer, IPushProducer } from './producers.js';
import type { IHostnameResolver } from './resolver.js';
import type { ThreadPool, ThreadTask } from './threads/thread-pool.js';
import type { DatagramProtocol, ListenUDPOptions } from './udp.js';
import type { ListenMulticastOptions } from './udp-multicast.js';

// The address and producer/consumer contracts live in their own modules; they are part of this one.
export type { IAddress, IPv4Address, IPv6Address, UNIXAddress } from './address.js';
export type { IConsumer, IPullProducer, IPushProducer } from './producers.js';

// ---------------------------------------------------------------- time

/**
 * A call scheduled with `callLater`; Twisted's `IDelayedCall`. Keep it to cancel or move a timeout.
 *
 * @example
 * ```ts
 * const timeout = reactor.callLater(30, () => this.transport!.abortConnection());
 * // on each chunk received: push the idle timeout back to 30 s from now
 * if (timeout.active()) timeout.reset(30);
 * ```
 */
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

/**
 * A Node addition to Twisted's model: a delayed call or a connection that can stop holding the
 * process open, as Node's timers and sockets do with `ref()`/`unref()`. Unref'd, it works as
 * before, but the process may exit while it is pending or open. `NodeReactor`'s delayed calls and
 * stream transports have it; in-memory ones need not (check with `'unref' in x`).
 *
 * @example
 * ```ts
 * const sweep = reactor.callLater(240, closeIdleConnections);
 * if ('unref' in sweep) (sweep as IRefable).unref(); // a cache timer: never the reason to stay up
 * ```
 */
export interface IRefable {
  /** Holds the process open again while pending or open (the default). */
  ref(): void;
  /** Lets the process exit even though this is pending or open. */
  unref(): void;
}

/**
 * Scheduling: the one dependency timeouts and retries take, so tests pass a `Clock`; Twisted's
 * `IReactorTime`. Times are seconds (floats), not milliseconds.
 *
 * @example
 * ```ts
 * function ping(clock: IReactorTime, send: () => void): IDelayedCall {
 *   return clock.callLater(2.5, send); // in a test: clock = new Clock(); clock.advance(2.5)
 * }
 * ```
 */
export interface IReactorTime {
  /** Current time in seconds (a float); monotonic in `NodeReactor`. */
  seconds(): number;
  /** Calls `f(...args)` after `seconds` seconds. */
  callLater<A extends unknown[]>(seconds: number, f: (...args: A) => unknown, ...args: A): IDelayedCall;
  /** The calls scheduled and not yet run or cancelled. */
  getDelayedCalls(): IDelayedCall[];
}

// ---------------------------------------------------------------- core

/**
 * A system event phase: `before` triggers may delay the event (return a Deferred), `during` do the
 * event's own work, `after` run once it is done.
 *
 * @example
 * ```ts
 * const phase: SystemEventPhase = 'before';
 * reactor.addSystemEventTrigger(phase, 'shutdown', () => service.stopService());
 * ```
 */
export type SystemEventPhase = 'before' | 'during' | 'after';
/**
 * A system event the reactor fires: `startup` when `run()` starts, `shutdown` on `stop()`.
 *
 * @example
 * ```ts
 * const event: SystemEvent = 'shutdown';
 * reactor.addSystemEventTrigger('after', event, () => console.log('bye'));
 * ```
 */
export type SystemEvent = 'startup' | 'shutdown';
/**
 * A handle returned by `addSystemEventTrigger`, for `removeSystemEventTrigger`.
 *
 * @example
 * ```ts
 * const id: TriggerId = reactor.addSystemEventTrigger('before', 'shutdown', flush);
 * reactor.removeSystemEventTrigger(id);
 * ```
 */
export type TriggerId = number;

/**
 * Running and stopping; Twisted's `IReactorCore`.
 *
 * @example
 * ```ts
 * reactor.callWhenRunning(() => console.log('started'));
 * reactor.addSystemEventTrigger('before', 'shutdown', () => db.close()); // may return a Deferred
 * reactor.callLater(1, () => reactor.stop());
 * await reactor.run();
 * ```
 */
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

// ---------------------------------------------------------------- transports and protocols

/**
 * A connection's byte stream; Twisted's `ITransport`. Protocols reach it as `this.transport`.
 *
 * @example
 * ```ts
 * class Greeter extends Protocol {
 *   override connectionMade() {
 *     this.transport!.write(`Hello, ${JSON.stringify(this.transport!.getPeer())}\r\n`);
 *     this.transport!.loseConnection(); // after the greeting is sent
 *   }
 * }
 * ```
 */
export interface ITransport extends IConsumer {
  /**
   * Queues `data` for sending, in order, without blocking (strings are sent as UTF-8). Nothing is
   * dropped while the connection lasts; writes after it closed are ignored.
   */
  write(data: Uint8Array | string): void;
  /** Writes several buffers in one go (one syscall where the transport can). */
  writeSequence(data: readonly (Uint8Array | string)[]): void;
  /** Closes after everything written has been sent. Idempotent. */
  loseConnection(): void;
  /** Drops the connection now, discarding unsent data. */
  abortConnection(): void;
  /**
   * The remote end's address. As Twisted warns, do not trust it for security: proxies and NAT
   * change it (see `haproxy` for the real client behind a proxy).
   */
  getPeer(): IAddress;
  /** This end's address (the local interface and port the connection uses). */
  getHost(): IAddress;
}

/**
 * A transport that can close its write side only (TCP, UNIX), as Twisted's `loseWriteConnection`.
 *
 * @example
 * ```ts
 * transport.write('last request');
 * (transport as IHalfCloseableTransport).loseWriteConnection(); // the peer reads EOF, we still read its answer
 * ```
 */
export interface IHalfCloseableTransport extends ITransport {
  /** Sends EOF after everything written; reading goes on. */
  loseWriteConnection(): void;
}

/**
 * A stream transport that is also a push producer (pausing stops reading from the socket, so TCP
 * pushes back on the peer).
 *
 * @example
 * ```ts
 * const t = this.transport as IStreamTransport;
 * t.pauseProducing(); // busy: stop delivering dataReceived
 * work().addCallback(() => t.resumeProducing());
 * ```
 */
export interface IStreamTransport extends IHalfCloseableTransport, IPushProducer {
  /** True once `loseConnection()` was called. */
  readonly disconnecting: boolean;
}

/**
 * The TCP transport; Twisted's `ITCPTransport`.
 *
 * @example
 * ```ts
 * const t = this.transport as ITCPTransport;
 * t.setTcpNoDelay(true); // an interactive protocol: send small writes at once
 * console.log('client', t.getPeer().host, 'on port', t.getHost().port);
 * ```
 */
export interface ITCPTransport extends IStreamTransport {
  /**
   * `true` turns Nagle's algorithm off (`TCP_NODELAY`): small writes leave at once, lowering
   * latency at some cost in throughput.
   */
  setTcpNoDelay(enabled: boolean): void;
  /** `true` turns on TCP keep-alive probes (`SO_KEEPALIVE`), so a dead peer is eventually detected. */
  setTcpKeepAlive(enabled: boolean): void;
  /** The remote IP address and port (not to be trusted for security, as in `ITransport.getPeer`). */
  getPeer(): IPv4Address | IPv6Address;
  /** The local IP address and port of this connection. */
  getHost(): IPv4Address | IPv6Address;
}

/**
 * What a transport drives; Twisted's `IProtocol`. Extend `Protocol` rather than implement it.
 *
 * @example
 * ```ts
 * class Echo extends Protocol {
 *   override dataReceived(data: Buffer) { this.transport!.write(data); }
 * }
 * ```
 */
export interface IProtocol {
  /** Attaches the transport, then calls `connectionMade()`. Transports (and tests) call it once. */
  makeConnection(transport: ITransport): void;
  /** The connection is up and `transport` is set: send a greeting or start timers here. */
  connectionMade(): void;
  /**
   * Bytes arrived. Chunks follow the network, not your messages: one call may hold part of a
   * message or several, so buffer (or use `LineReceiver`, `Int32StringReceiver`).
   */
  dataReceived(data: Buffer): void;
  /** `reason` is `ConnectionDone` after a clean close, `ConnectionLost` otherwise. */
  connectionLost(reason: Error): void;
}

/**
 * A protocol that wants to know when each direction closes; Twisted's `IHalfCloseableProtocol`.
 * Without these hooks, the peer's EOF closes the whole connection.
 *
 * @example
 * ```ts
 * class Upload extends Protocol implements IHalfCloseableProtocol {
 *   readConnectionLost() { this.transport!.write('received everything\n'); this.transport!.loseConnection(); }
 *   writeConnectionLost() {}
 * }
 * ```
 */
export interface IHalfCloseableProtocol extends IProtocol {
  /** The peer sent EOF; writing still works. */
  readConnectionLost(): void;
  /** Our write side was closed with `loseWriteConnection()`. */
  writeConnectionLost(): void;
}

/**
 * True when `p` implements the half-close hooks.
 *
 * @example
 * ```ts
 * if (isHalfCloseable(protocol)) protocol.readConnectionLost();
 * else transport.loseConnection();
 * ```
 */
export function isHalfCloseable(p: IProtocol): p is IHalfCloseableProtocol {
  const q = p as Partial<IHalfCloseableProtocol>;
  return typeof q.readConnectionLost === 'function' && typeof q.writeConnectionLost === 'function';
}

/**
 * Builds a protocol per connection; Twisted's `IProtocolFactory`. Extend `Factory` rather than
 * implement it.
 *
 * @example
 * ```ts
 * const factory: IProtocolFactory = Factory.forProtocol(Echo);
 * reactor.listenTCP(8000, factory);
 * ```
 */
export interface IProtocolFactory {
  /** Returns the protocol for a new connection, or `null` to refuse it. */
  buildProtocol(addr: IAddress): IProtocol | null;
  /** Called when the first port starts using the factory (ref-counted). */
  doStart(): void;
  /** Called when the last port stops using the factory. */
  doStop(): void;
}

/**
 * The client side of connecting; Twisted's `ClientFactory` hooks. Extend `ClientFactory` rather
 * than implement it.
 *
 * @example
 * ```ts
 * class Retry extends ClientFactory {
 *   override clientConnectionFailed(connector: IConnector, reason: Error) {
 *     reactor.callLater(5, () => connector.connect());
 *   }
 * }
 * ```
 */
export interface IClientFactory extends IProtocolFactory {
  /** A connection attempt started; `connector.stopConnecting()` can still abandon it. */
  startedConnecting(connector: IConnector): void;
  /**
   * The attempt failed (`ConnectionRefusedError`, `DNSLookupError`, `TimeoutError`, `UserError`
   * …); `connector.connect()` tries again.
   */
  clientConnectionFailed(connector: IConnector, reason: Error): void;
  /** An established connection ended (`reason` as in `connectionLost`); `connector.connect()` reconnects. */
  clientConnectionLost(connector: IConnector, reason: Error): void;
}

// ---------------------------------------------------------------- ports and connectors

/**
 * A listening socket; Twisted's `IListeningPort`.
 *
 * @example
 * ```ts
 * const port = reactor.listenTCP(0, factory, { interface: '127.0.0.1' });
 * console.log('listening on', (port.getHost() as IPv4Address).port);
 * await port.stopListening();
 * ```
 */
export interface IListeningPort {
  /** Starts listening (already done by `listenTCP`). */
  startListening(): void;
  /** Stops accepting; the Deferred fires once the socket is closed. */
  stopListening(): Deferred<void>;
  /** The bound address: how to learn the port the system chose after listening on port 0. */
  getHost(): IAddress;
}

/**
 * An outgoing connection attempt that can be retried; Twisted's `IConnector`, handed to the
 * `IClientFactory` hooks.
 *
 * @example
 * ```ts
 * const connector = reactor.connectTCP('example.com', 80, factory, { timeout: 10 });
 * reactor.callLater(3, () => connector.stopConnecting()); // clientConnectionFailed(…, UserError)
 * ```
 */
export interface IConnector {
  /** Stops a connection attempt in progress. */
  stopConnecting(): void;
  /** Disconnects, or stops connecting. */
  disconnect(): void;
  /** Connects (again). */
  connect(): void;
  /** Where this connector connects to (host as given, not resolved, for TCP). */
  getDestination(): IAddress;
}

/**
 * Options of `listenTCP`.
 *
 * @example
 * ```ts
 * reactor.listenTCP(8080, factory, { interface: '127.0.0.1', backlog: 128 });
 * ```
 */
export interface ListenTCPOptions {
  /** Queue of pending connections (default 50, as in Twisted). */
  backlog?: number;
  /** Address to bind (default all interfaces: `''`). */
  interface?: string;
}

/**
 * Options of `connectTCP`.
 *
 * @example
 * ```ts
 * reactor.connectTCP('127.0.0.1', 8000, factory, { timeout: 5, bindAddress: ['127.0.0.1', 0] });
 * ```
 */
export interface ConnectTCPOptions {
  /** Seconds before a connection attempt fails with `TimeoutError` (default 30). */
  timeout?: number;
  /** Local `[host, port]` to bind before connecting. */
  bindAddress?: readonly [string, number];
}

/**
 * TCP; Twisted's `IReactorTCP`.
 *
 * @example
 * ```ts
 * const port = reactor.listenTCP(0, Factory.forProtocol(Echo), { interface: '127.0.0.1' });
 * reactor.connectTCP('127.0.0.1', (port.getHost() as IPv4Address).port, new ClientFactory());
 * ```
 */
export interface IReactorTCP {
  /**
   * Listens on `port` (0: any free port) and builds a protocol per connection with `factory`.
   * Throws `CannotListenError` when the address cannot be bound (an `interface` given as a host
   * name is bound a tick later: its failure is reported, not thrown).
   */
  listenTCP(port: number, factory: IProtocolFactory, options?: ListenTCPOptions): IListeningPort;
  /**
   * Connects to `host:port` (a name is resolved first); the outcome arrives through `factory`'s
   * hooks, and `options.timeout` is in seconds.
   */
  connectTCP(host: string, port: number, factory: IClientFactory, options?: ConnectTCPOptions): IConnector;
}

/**
 * UDP; Twisted's `IReactorUDP`.
 *
 * @example
 * ```ts
 * const port = reactor.listenUDP(9999, new EchoDatagram(), { interface: '127.0.0.1' });
 * ```
 */
export interface IReactorUDP {
  /** Binds a UDP port (0: any free one) and connects `protocol` to it. */
  listenUDP(port: number, protocol: DatagramProtocol, options?: ListenUDPOptions): IListeningPort;
}

/**
 * UDP multicast; Twisted's `IReactorMulticast`.
 *
 * @example
 * ```ts
 * const port = reactor.listenMulticast(5353, new Mdns(), { listenMultiple: true });
 * ```
 */
export interface IReactorMulticast {
  /** Binds a UDP port with multicast controls and connects `protocol` to it. */
  listenMulticast(port: number, protocol: DatagramProtocol, options?: ListenMulticastOptions): IListeningPort;
}

/**
 * Child processes; Twisted's `IReactorProcess`.
 *
 * @example
 * ```ts
 * reactor.spawnProcess(new MyProcessProtocol(), 'ls', ['ls', '-l'], { path: '/tmp' });
 * ```
 */
export interface IReactorProcess {
  /** Starts `executable` with `args` (`args[0]` is the program's name) and connects `protocol`. */
  spawnProcess(
    protocol: IProcessProtocol,
    executable: string,
    args?: readonly string[],
    options?: SpawnProcessOptions,
  ): IProcessTransport;
}

/**
 * Work off the main thread (worker threads); Twisted's `IReactorThreads`.
 *
 * @example
 * ```ts
 * reactor.suggestThreadPoolSize(4);
 * reactor.callInThread((n: number) => { let s = 0; for (let i = 0; i < n; i++) s += i; }, 1e8);
 * ```
 */
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

/**
 * Host name resolution a reactor carries; Twisted's `IReactorPluggableNameResolver` (and `resolve`).
 *
 * @example
 * ```ts
 * reactor.installNameResolver(new SystemResolver());
 * const ip = await reactor.resolve('localhost');
 * ```
 */
export interface IReactorPluggableNameResolver {
  /** The resolver in use (undefined: the global one, `getResolver()`). */
  readonly nameResolver: IHostnameResolver | undefined;
  /** Installs `resolver` for this reactor; returns the previous one. */
  installNameResolver(resolver: IHostnameResolver): IHostnameResolver | undefined;
  /** Resolves `name` to its first IPv4 address with that resolver. */
  resolve(name: string): Deferred<string>;
}

/**
 * What most library code needs from a reactor: take an `IReactor` parameter (defaulting to the
 * global `reactor`) so tests can pass a `MemoryReactor`.
 *
 * @example
 * ```ts
 * import { reactor as globalReactor, type IReactor } from 'twisted-ts/internet';
 * function startEcho(reactor: IReactor = globalReactor): IListeningPort {
 *   return reactor.listenTCP(0, Factory.forProtocol(Echo));
 * }
 * ```
 */
export interface IReactor extends IReactorCore, IReactorTime, IReactorTCP {}
