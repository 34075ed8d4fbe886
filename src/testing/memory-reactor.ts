/**
 * `MemoryReactor`: a reactor that opens no sockets. It records every `listenTCP`/`connectTCP` call
 * so a test can check what code under test asked for, then play the network's part itself (take
 * the factory from `tcpClients`, build a protocol, connect it to a `StringTransport`). It runs
 * startup/shutdown triggers like the real reactor, synchronously unless a trigger returns a
 * pending Deferred. `MemoryReactorClock` adds a `Clock`. Twisted's `MemoryReactor`.
 *
 * UNIX, UDP and TLS recording (`unixServers`, `udpPorts`, `sslServers`…) will join `tcpServers`
 * here when those reactor interfaces exist.
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
import { type Deferred, succeed } from '../internet/defer.js';
import type { DelayedCall } from '../internet/delayed-call.js';
import { ReactorAlreadyRunning, ReactorNotRestartable, ReactorNotRunning } from '../internet/error.js';
import type {
  ConnectTCPOptions,
  IAddress,
  IClientFactory,
  IConnector,
  IListeningPort,
  IProtocolFactory,
  IReactor,
  IReactorCore,
  IReactorTCP,
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
import { Clock } from './clock.js';

/** A recorded `listenTCP` call: `[port, factory, backlog, interface]`, as in Twisted. */
export type TCPServerRecord = readonly [
  port: number,
  factory: IProtocolFactory,
  backlog: number,
  iface: string,
];

/** A recorded `connectTCP` call: `[host, port, factory, timeout, bindAddress]`, as in Twisted. */
export type TCPClientRecord = readonly [
  host: string,
  port: number,
  factory: IClientFactory,
  timeout: number,
  bindAddress: readonly [string, number] | null,
];

/**
 * The listening port `MemoryReactor.listenTCP` returns: it only records whether it listens.
 *
 * @example
 * ```ts
 * const port = reactor.listenTCP(80, factory) as FakePort;
 * await port.stopListening();
 * assert.equal(port.listening, false);
 * ```
 */
export class FakePort implements IListeningPort {
  /** True until `stopListening()`. */
  listening = true;
  readonly #address: IAddress;

  constructor(address: IAddress) {
    this.#address = address;
  }

  /**
   * Marks the port as listening again.
   *
   * @example
   * ```ts
   * port.startListening();
   * ```
   */
  startListening(): void {
    this.listening = true;
  }

  /**
   * Marks the port as stopped; the Deferred has already fired.
   *
   * @example
   * ```ts
   * successResultOf(port.stopListening());
   * ```
   */
  stopListening(): Deferred<void> {
    this.listening = false;
    return succeed<void>(undefined);
  }

  /**
   * The address given to `listenTCP` (`0.0.0.0` or the interface asked for).
   *
   * @example
   * ```ts
   * port.getHost().port; // the port given to listenTCP
   * ```
   */
  getHost(): IAddress {
    return this.#address;
  }
}

/**
 * The connector `MemoryReactor.connectTCP` returns: it records what was asked of it.
 *
 * @example
 * ```ts
 * const connector = reactor.connectors[0]!;
 * factory.stopTrying();
 * assert.equal(connector.stoppedConnecting, true);
 * ```
 */
export class FakeConnector implements IConnector {
  /** True once `stopConnecting()` was called. */
  stoppedConnecting = false;
  /** True once `disconnect()` was called. */
  disconnected = false;
  /** How many times `connect()` was called (retries). */
  connectCount = 0;
  readonly #destination: IAddress;

  constructor(destination: IAddress) {
    this.#destination = destination;
  }

  /**
   * Records `stoppedConnecting`.
   *
   * @example
   * ```ts
   * connector.stopConnecting();
   * ```
   */
  stopConnecting(): void {
    this.stoppedConnecting = true;
  }

  /**
   * Records `disconnected`.
   *
   * @example
   * ```ts
   * connector.disconnect();
   * ```
   */
  disconnect(): void {
    this.disconnected = true;
  }

  /**
   * Counts a (re)connection attempt in `connectCount`.
   *
   * @example
   * ```ts
   * clock.advance(retryDelay);
   * assert.equal(connector.connectCount, 1);
   * ```
   */
  connect(): void {
    this.connectCount++;
  }

  /**
   * Where `connectTCP` was asked to connect.
   *
   * @example
   * ```ts
   * connector.getDestination(); // { type: 'TCP', family: 'IPv4', host, port }
   * ```
   */
  getDestination(): IAddress {
    return this.#destination;
  }
}

/** Options of `MemoryReactor`. */
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
export class MemoryReactor implements IReactorCore, IReactorTCP {
  /** Every `listenTCP` call. */
  readonly tcpServers: TCPServerRecord[] = [];
  /** Every `connectTCP` call. */
  readonly tcpClients: TCPClientRecord[] = [];
  /** The connectors returned by `connectTCP`, in order. */
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
    const connector = new FakeConnector(ipAddress('TCP', host, port));
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
