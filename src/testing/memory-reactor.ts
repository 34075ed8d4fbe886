/**
 * `MemoryReactor`: a reactor that opens no sockets. It records every `listenTCP`/`connectTCP` call
 * so a test can check what code under test asked for, then play the network's part itself (take
 * the factory from `tcpClients`, build a protocol, connect it to a `StringTransport`). It runs
 * startup/shutdown triggers like the real reactor, synchronously unless a trigger returns a
 * pending Deferred. `MemoryReactorClock` adds a `Clock`. Twisted's `MemoryReactor`.
 *
 * `listenSSL`/`connectSSL`, `listenUNIX`/`connectUNIX` and `listenUDP` are recorded the same way
 * (`sslServers`, `sslClients`, `unixServers`, `unixClients`, `udpPorts`).
 *
 * @example
 * ```ts
 * import { MemoryReactorClock } from 'twisted-ts/testing';
 * const reactor = new MemoryReactorClock();
 * startClient(reactor);
 * const [host, port, factory] = reactor.tcpClients[0]!;
 * ```
 * @module
 */
import { ipAddress } from '../internet/address.js';
import type { Deferred } from '../internet/defer.js';
import type { DelayedCall } from '../internet/delayed-call.js';
import { ReactorAlreadyRunning, ReactorNotRestartable, ReactorNotRunning } from '../internet/error.js';
import type {
  ConnectTCPOptions,
  IAddress,
  IClientFactory,
  IProtocolFactory,
  IReactor,
  IReactorCore,
  IReactorTCP,
  IReactorUDP,
  ListenTCPOptions,
  SystemEvent,
  SystemEventPhase,
  TriggerId,
} from '../internet/interfaces.js';
import {
  SystemEventTriggers,
  type SystemEventTriggersSnapshot,
  type TriggerErrorHandler,
} from '../internet/system-event-triggers.js';
import type { IReactorSSL, TLSClientOptions, TLSServerOptions } from '../internet/tls-options.js';
import type { DatagramProtocol, ListenUDPOptions } from '../internet/udp.js';
import { unixAddress } from '../internet/unix.js';
import type { ConnectUNIXOptions, IReactorUNIX, ListenUNIXOptions } from '../internet/unix-options.js';
import { Clock } from './clock.js';
import { FakeConnector, FakePort } from './fake-ports.js';

export { FakeConnector, FakePort } from './fake-ports.js';

/**
 * A recorded `listenTCP` call: `[port, factory, backlog, interface]`, as in Twisted.
 *
 * @example
 * ```ts
 * reactor.listenTCP(8080, factory, { interface: '127.0.0.1' });
 * const [port, serverFactory, backlog, iface]: TCPServerRecord = reactor.tcpServers[0]!;
 * // 8080, factory, 50, '127.0.0.1'
 * ```
 */
export type TCPServerRecord = readonly [
  port: number,
  factory: IProtocolFactory,
  backlog: number,
  iface: string,
];

/**
 * A recorded `connectTCP` call: `[host, port, factory, timeout, bindAddress]`, as in Twisted.
 *
 * @example
 * ```ts
 * reactor.connectTCP('example.com', 25, clientFactory, { timeout: 10 });
 * const [host, port, factory, timeout, bindAddress]: TCPClientRecord = reactor.tcpClients[0]!;
 * // 'example.com', 25, clientFactory, 10, null
 * ```
 */
export type TCPClientRecord = readonly [
  host: string,
  port: number,
  factory: IClientFactory,
  timeout: number,
  bindAddress: readonly [string, number] | null,
];

/**
 * A recorded `listenSSL` call: `[port, factory, contextOptions, backlog, interface]`, as in Twisted.
 *
 * @example
 * ```ts
 * reactor.listenSSL(443, factory, { key, cert });
 * const [port, , contextOptions]: SSLServerRecord = reactor.sslServers[0]!;
 * assert.equal(contextOptions.cert, cert);
 * ```
 */
export type SSLServerRecord = readonly [
  port: number,
  factory: IProtocolFactory,
  contextOptions: TLSServerOptions,
  backlog: number,
  iface: string,
];

/**
 * A recorded `connectSSL` call: `[host, port, factory, contextOptions, timeout, bindAddress]`, as in Twisted.
 *
 * @example
 * ```ts
 * reactor.connectSSL('example.com', 443, clientFactory, optionsForClientTLS('example.com'));
 * const [host, port, , contextOptions]: SSLClientRecord = reactor.sslClients[0]!;
 * assert.equal(contextOptions.servername, 'example.com');
 * ```
 */
export type SSLClientRecord = readonly [
  host: string,
  port: number,
  factory: IClientFactory,
  contextOptions: TLSClientOptions,
  timeout: number,
  bindAddress: readonly [string, number] | null,
];

/**
 * A recorded `listenUNIX` call: `[path, factory, backlog, mode]` (Twisted adds `wantPID`).
 *
 * @example
 * ```ts
 * reactor.listenUNIX('/tmp/app.sock', factory, { mode: 0o600 });
 * const [path, , backlog, mode]: UNIXServerRecord = reactor.unixServers[0]!;
 * // '/tmp/app.sock', 50, 0o600
 * ```
 */
export type UNIXServerRecord = readonly [
  path: string,
  factory: IProtocolFactory,
  backlog: number,
  mode: number,
];

/**
 * A recorded `connectUNIX` call: `[path, factory, timeout]` (Twisted adds `checkPID`).
 *
 * @example
 * ```ts
 * reactor.connectUNIX('/tmp/app.sock', clientFactory);
 * const [path, , timeout]: UNIXClientRecord = reactor.unixClients[0]!;
 * // '/tmp/app.sock', 30 (the default timeout)
 * ```
 */
export type UNIXClientRecord = readonly [path: string, factory: IClientFactory, timeout: number];

/**
 * A recorded `listenUDP` call, keyed by port in `udpPorts`: `[protocol, interface, maxPacketSize]`.
 *
 * @example
 * ```ts
 * reactor.listenUDP(5353, new DatagramProtocol(), { interface: '127.0.0.1' });
 * const [protocol, iface, maxPacketSize]: UDPPortRecord = reactor.udpPorts.get(5353)!;
 * // '127.0.0.1', 8192 (the default)
 * ```
 */
export type UDPPortRecord = readonly [protocol: DatagramProtocol, iface: string, maxPacketSize: number];

/**
 * Options of `MemoryReactor`.
 *
 * @example
 * ```ts
 * const triggerErrors: unknown[] = [];
 * const reactor = new MemoryReactor({ onTriggerError: (err) => triggerErrors.push(err) });
 * reactor.addSystemEventTrigger('before', 'shutdown', () => { throw new Error('boom'); });
 * reactor.run();
 * reactor.stop(); // triggerErrors now holds the Error('boom')
 * ```
 */
export interface MemoryReactorOptions {
  /** Where errors thrown by system event triggers go (default: the engine's `reportError`). */
  onTriggerError?: TriggerErrorHandler;
}

/**
 * An in-memory `IReactorCore` and `IReactorTCP` that records what it is asked to do.
 *
 * @example
 * ```ts
 * const reactor = new MemoryReactor();
 * reactor.listenTCP(8080, factory, { interface: '127.0.0.1' });
 * assert.deepEqual(reactor.tcpServers[0], [8080, factory, 50, '127.0.0.1']);
 * ```
 */
export class MemoryReactor implements IReactorCore, IReactorTCP, IReactorSSL, IReactorUNIX, IReactorUDP {
  /** Every `listenTCP` call. */
  readonly tcpServers: TCPServerRecord[] = [];
  /** Every `connectTCP` call. */
  readonly tcpClients: TCPClientRecord[] = [];
  /** Every `listenSSL` call. */
  readonly sslServers: SSLServerRecord[] = [];
  /** Every `connectSSL` call. */
  readonly sslClients: SSLClientRecord[] = [];
  /** Every `listenUNIX` call. */
  readonly unixServers: UNIXServerRecord[] = [];
  /** Every `connectUNIX` call. */
  readonly unixClients: UNIXClientRecord[] = [];
  /** Every `listenUDP` call, by port number (as Twisted's dict). */
  readonly udpPorts = new Map<number, UDPPortRecord>();
  /** The connectors returned by `connectTCP`, `connectSSL` and `connectUNIX`, in order. */
  readonly connectors: FakeConnector[] = [];
  /** True once `run()` was called. */
  hasRun = false;
  /** True once the shutdown triggers have all run after `stop()`. */
  hasStopped = false;
  #running = false;
  #stopping = false;
  #resolveRun: (() => void) | null = null;
  readonly #triggers: SystemEventTriggers;

  constructor(options: MemoryReactorOptions = {}) {
    this.#triggers = new SystemEventTriggers(options.onTriggerError);
  }

  /** True between the `during startup` and the `during shutdown` phases, as in Twisted. */
  get running(): boolean {
    return this.#running;
  }

  /**
   * The triggers that have not run yet: `reactor.triggers.before.shutdown` lists what a service
   * registered to run at shutdown.
   *
   * @example
   * ```ts
   * assert.equal(reactor.triggers.before.shutdown.length, 1);
   * ```
   */
  get triggers(): SystemEventTriggersSnapshot {
    return this.#triggers.snapshot();
  }

  /**
   * Fires the startup triggers (`callWhenRunning` functions run in its `after` phase) and returns
   * a Promise that resolves once `stop()` has run the shutdown triggers. Throws
   * `ReactorAlreadyRunning` while running and `ReactorNotRestartable` after it ran.
   *
   * @example
   * ```ts
   * const done = reactor.run();
   * reactor.stop();
   * await done;
   * ```
   */
  run(): Promise<void> {
    if (this.#running || this.#stopping) throw new ReactorAlreadyRunning();
    if (this.hasRun) throw new ReactorNotRestartable();
    this.hasRun = true;
    const done = new Promise<void>((resolve) => {
      this.#resolveRun = resolve;
    });
    this.#triggers.fire('startup', () => {
      this.#running = true;
    });
    return done;
  }

  /**
   * Runs the shutdown triggers (synchronously unless one returns a pending Deferred); `running`
   * turns false in the `during` phase. Throws `ReactorNotRunning` unless running and not already
   * stopping.
   *
   * @example
   * ```ts
   * reactor.stop();
   * assert.equal(reactor.hasStopped, true);
   * ```
   */
  stop(): void {
    if (!this.#running || this.#stopping) throw new ReactorNotRunning();
    this.#stopping = true;
    this.#triggers
      .fire('shutdown', () => {
        this.#running = false;
      })
      .addCallback(() => {
        this.#stopping = false;
        this.hasStopped = true;
        this.#resolveRun?.();
        this.#resolveRun = null;
      });
  }

  /**
   * Calls `f(...args)` now if running, else once the reactor starts (an `after startup` trigger,
   * whose id is returned).
   *
   * @example
   * ```ts
   * reactor.callWhenRunning(() => console.log('started'));
   * ```
   */
  callWhenRunning<A extends unknown[]>(f: (...args: A) => unknown, ...args: A): TriggerId | undefined {
    if (this.#running) {
      f(...args);
      return undefined;
    }
    return this.#triggers.add('after', 'startup', f, ...args);
  }

  /**
   * Adds a system event trigger; one returning a Deferred delays the next phase.
   *
   * @example
   * ```ts
   * reactor.addSystemEventTrigger('before', 'shutdown', () => service.stopService());
   * ```
   */
  addSystemEventTrigger<A extends unknown[]>(
    phase: SystemEventPhase,
    event: SystemEvent,
    f: (...args: A) => unknown,
    ...args: A
  ): TriggerId {
    return this.#triggers.add(phase, event, f, ...args);
  }

  /**
   * Removes a trigger that has not run yet.
   *
   * @example
   * ```ts
   * reactor.removeSystemEventTrigger(id);
   * ```
   */
  removeSystemEventTrigger(id: TriggerId): void {
    this.#triggers.remove(id);
  }

  /**
   * Runs the triggers of `event` without changing `running` (for tests of trigger users).
   *
   * @example
   * ```ts
   * successResultOf(reactor.fireSystemEvent('shutdown'));
   * ```
   */
  fireSystemEvent(event: SystemEvent): Deferred<void> {
    return this.#triggers.fire(event);
  }

  /**
   * Records the call in `tcpServers` and returns a `FakePort`; nothing listens.
   *
   * @example
   * ```ts
   * reactor.listenTCP(0, factory);
   * const [, serverFactory] = reactor.tcpServers[0]!;
   * ```
   */
  listenTCP(port: number, factory: IProtocolFactory, options: ListenTCPOptions = {}): FakePort {
    const iface = options.interface ?? '';
    this.tcpServers.push([port, factory, options.backlog ?? 50, iface]);
    const host = iface !== '' ? iface : '0.0.0.0';
    return new FakePort(ipAddress('TCP', host, port));
  }

  /**
   * Records the call in `tcpClients`, calls `factory.startedConnecting` and returns a
   * `FakeConnector` (also kept in `connectors`); nothing connects.
   *
   * @example
   * ```ts
   * reactor.connectTCP('example.com', 25, factory, { timeout: 10 });
   * const [host, port, , timeout] = reactor.tcpClients[0]!;
   * ```
   */
  connectTCP(
    host: string,
    port: number,
    factory: IClientFactory,
    options: ConnectTCPOptions = {},
  ): FakeConnector {
    this.tcpClients.push([host, port, factory, options.timeout ?? 30, options.bindAddress ?? null]);
    return this.#connector(ipAddress('TCP', host, port), factory);
  }

  /**
   * Records the call in `sslServers` and returns a `FakePort`; nothing listens.
   *
   * @example
   * ```ts
   * reactor.listenSSL(443, factory, { key, cert });
   * const [, serverFactory, contextOptions] = reactor.sslServers[0]!;
   * ```
   */
  listenSSL(
    port: number,
    factory: IProtocolFactory,
    contextOptions: TLSServerOptions,
    options: ListenTCPOptions = {},
  ): FakePort {
    const iface = options.interface ?? '';
    this.sslServers.push([port, factory, contextOptions, options.backlog ?? 50, iface]);
    return new FakePort(ipAddress('TCP', iface !== '' ? iface : '0.0.0.0', port));
  }

  /**
   * Records the call in `sslClients`, calls `factory.startedConnecting` and returns a
   * `FakeConnector` (also kept in `connectors`).
   *
   * @example
   * ```ts
   * reactor.connectSSL('example.com', 443, factory, optionsForClientTLS('example.com'));
   * const [host, port] = reactor.sslClients[0]!;
   * ```
   */
  connectSSL(
    host: string,
    port: number,
    factory: IClientFactory,
    contextOptions: TLSClientOptions,
    options: ConnectTCPOptions = {},
  ): FakeConnector {
    this.sslClients.push([
      host,
      port,
      factory,
      contextOptions,
      options.timeout ?? 30,
      options.bindAddress ?? null,
    ]);
    return this.#connector(ipAddress('TCP', host, port), factory);
  }

  /**
   * Records the call in `unixServers` and returns a `FakePort`; nothing listens.
   *
   * @example
   * ```ts
   * reactor.listenUNIX('/tmp/app.sock', factory, { mode: 0o600 });
   * const [path, , , mode] = reactor.unixServers[0]!;
   * ```
   */
  listenUNIX(path: string, factory: IProtocolFactory, options: ListenUNIXOptions = {}): FakePort {
    this.unixServers.push([path, factory, options.backlog ?? 50, options.mode ?? 0o666]);
    return new FakePort(unixAddress(path));
  }

  /**
   * Records the call in `unixClients`, calls `factory.startedConnecting` and returns a
   * `FakeConnector` (also kept in `connectors`).
   *
   * @example
   * ```ts
   * reactor.connectUNIX('/tmp/app.sock', factory, { timeout: 5 });
   * const [path, , timeout] = reactor.unixClients[0]!;
   * ```
   */
  connectUNIX(path: string, factory: IClientFactory, options: ConnectUNIXOptions = {}): FakeConnector {
    this.unixClients.push([path, factory, options.timeout ?? 30]);
    return this.#connector(unixAddress(path), factory);
  }

  /**
   * Records the call in `udpPorts` (by port) and returns a `FakePort`; nothing is bound and the
   * protocol is not started.
   *
   * @example
   * ```ts
   * reactor.listenUDP(53, new DnsProtocol(), { interface: '127.0.0.1' });
   * const [protocol, iface] = reactor.udpPorts.get(53)!;
   * ```
   */
  listenUDP(port: number, protocol: DatagramProtocol, options: ListenUDPOptions = {}): FakePort {
    const iface = options.interface ?? '';
    this.udpPorts.set(port, [protocol, iface, options.maxPacketSize ?? 8192]);
    return new FakePort(ipAddress('UDP', iface !== '' ? iface : '0.0.0.0', port));
  }

  #connector(destination: IAddress, factory: IClientFactory): FakeConnector {
    const connector = new FakeConnector(destination);
    this.connectors.push(connector);
    factory.startedConnecting(connector);
    return connector;
  }
}

/**
 * A `MemoryReactor` with a `Clock`: the whole `IReactor` in memory. Time moves with `advance()`.
 *
 * @example
 * ```ts
 * const reactor = new MemoryReactorClock();
 * const client = new MyClient(reactor);       // takes an IReactor
 * reactor.advance(30);                         // its connect timeout fires
 * ```
 */
export class MemoryReactorClock extends MemoryReactor implements IReactor {
  /** The clock behind `seconds`/`callLater`/`advance`. */
  readonly clock = new Clock();

  /**
   * The clock's time.
   *
   * @example
   * ```ts
   * reactor.seconds(); // 0 until advanced
   * ```
   */
  seconds(): number {
    return this.clock.seconds();
  }

  /**
   * Schedules on the clock.
   *
   * @example
   * ```ts
   * reactor.callLater(5, retry);
   * ```
   */
  callLater<A extends unknown[]>(seconds: number, f: (...args: A) => unknown, ...args: A): DelayedCall<A> {
    return this.clock.callLater(seconds, f, ...args);
  }

  /**
   * The clock's pending calls.
   *
   * @example
   * ```ts
   * assert.deepEqual(reactor.getDelayedCalls(), []);
   * ```
   */
  getDelayedCalls(): DelayedCall[] {
    return this.clock.getDelayedCalls();
  }

  /**
   * Moves the clock forward and runs what is due.
   *
   * @example
   * ```ts
   * reactor.advance(1);
   * ```
   */
  advance(seconds: number): void {
    this.clock.advance(seconds);
  }

  /**
   * Advances by each amount in turn.
   *
   * @example
   * ```ts
   * reactor.pump([1, 1, 1]);
   * ```
   */
  pump(timings: Iterable<number>): void {
    this.clock.pump(timings);
  }
}
