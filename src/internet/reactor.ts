/**
 * `NodeReactor`: Twisted's reactor contract (`IReactorCore`, `IReactorTime`, `IReactorTCP`) over
 * Node's own event loop — `node:net` for TCP, Node timers for `callLater`. There is no loop of ours:
 * libuv already is one.
 *
 * Lifetime:
 * - `run()` fires the `startup` triggers (`callWhenRunning` calls run in its `after` phase) and keeps
 *   the process alive with one ref'd, never-firing timer (no polling: an idle reactor uses no CPU),
 *   and installs SIGINT/SIGTERM handlers that call `stop()`.
 * - `stop()` fires the `shutdown` triggers on the next turn of the loop; in its `during` phase the
 *   reactor closes every listening port, stops connection attempts and calls `loseConnection()` on
 *   every connection (flushing what was written), waiting up to `shutdownTimeout` seconds before
 *   aborting the stragglers. Then it clears its timers and handlers, so the process exits by itself,
 *   and the Promise `run()` returned resolves. A stopped reactor cannot run again.
 * - `callLater` works before `run()` too (the call runs when due, and its timer keeps the process
 *   alive like `setTimeout` would); once the reactor has stopped, pending calls never run.
 * - Timed calls live in one heap driven by one Node timer (timer-queue.ts): they run in `getTime()`
 *   order whatever the load, never more than a millisecond early.
 *
 * @example
 * ```ts
 * import { NodeReactor } from 'twisted-ts/internet';
 * const reactor = new NodeReactor();
 * reactor.callWhenRunning(() => {
 *   console.log('running');
 *   reactor.callLater(1, () => reactor.stop());
 * });
 * await reactor.run();
 * ```
 * @module
 */

import type { Deferred } from './defer.js';
import { type AnyDelayedCall, checkSeconds, DelayedCall, type DelayedCallScheduler } from './delayed-call.js';
import { ReactorAlreadyRunning, ReactorNotRestartable, ReactorNotRunning } from './error.js';
import { reportError } from './error-reporter.js';
import type {
  ConnectTCPOptions,
  IClientFactory,
  IConnector,
  IListeningPort,
  IProtocolFactory,
  IReactor,
  ListenTCPOptions,
  SystemEvent,
  SystemEventPhase,
  TriggerId,
} from './interfaces.js';
import { ReactorServices } from './reactor-services.js';
import type { StreamTransport } from './stream-transport.js';
import { SystemEventTriggers } from './system-event-triggers.js';
import { type ConnectionRegistry, TCPConnector } from './tcp-connector.js';
import { TCPPort } from './tcp-port.js';
import { TimerQueue } from './timer-queue.js';
import type { IReactorSSL, TLSClientOptions, TLSServerOptions } from './tls-options.js';
import { connectSSL, listenSSL } from './tls-port.js';
import { UNIXConnector, UNIXPort } from './unix.js';
import type { ConnectUNIXOptions, IReactorUNIX, ListenUNIXOptions } from './unix-options.js';

export { type ErrorReporter, reportError, setErrorReporter } from './error-reporter.js';

/** Node's longest timer (about 24.8 days): the keep-alive interval. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Options of `new NodeReactor()`.
 *
 * @example
 * ```ts
 * // in a test runner: leave SIGINT alone, and give connections one second to close at stop()
 * const reactor = new NodeReactor({ installSignalHandlers: false, shutdownTimeout: 1 });
 * ```
 */
export interface NodeReactorOptions {
  /** Stop gracefully on SIGINT and SIGTERM while running (default true). */
  installSignalHandlers?: boolean;
  /** Seconds shutdown waits for connections to flush and close before aborting them (default 10). */
  shutdownTimeout?: number;
}

type State = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

function keepAlive(): void {}

/** The open connections, with a way to wait until none is left. */
class Connections extends Set<StreamTransport> {
  #whenEmpty: (() => void) | null = null;

  override delete(transport: StreamTransport): boolean {
    const removed = super.delete(transport);
    if (this.size === 0 && this.#whenEmpty !== null) {
      const f = this.#whenEmpty;
      this.#whenEmpty = null;
      f();
    }
    return removed;
  }

  whenEmpty(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#whenEmpty = resolve;
    });
  }
}

/**
 * The reactor for real sockets and timers. Usually reached through the global `reactor`
 * (`default-reactor.ts`); library code takes it as a parameter.
 *
 * @example
 * ```ts
 * const reactor = new NodeReactor();
 * const port = reactor.listenTCP(0, Factory.forProtocol(Echo), { interface: '127.0.0.1' });
 * reactor.callLater(5, () => reactor.stop());
 * await reactor.run();
 * ```
 */
export class NodeReactor extends ReactorServices implements IReactor, IReactorSSL, IReactorUNIX {
  #state: State = 'idle';
  #running = false;
  readonly #installSignals: boolean;
  readonly #shutdownTimeout: number;
  readonly #triggers = new SystemEventTriggers();
  readonly #timers = new TimerQueue(() => this.seconds());
  #keepAlive: NodeJS.Timeout | null = null;
  #resolveRun: (() => void) | null = null;
  readonly #ports = new Set<IListeningPort>();
  readonly #registry: ConnectionRegistry & { readonly connections: Connections } = {
    connections: new Connections(),
    connecting: new Set<{ stopConnecting(): void }>(),
  };
  readonly #scheduler: DelayedCallScheduler = {
    seconds: () => this.seconds(),
    cancelled: (call) => this.#timers.cancelled(call),
    rescheduled: (call) => this.#timers.rescheduled(call),
    refChanged: (call) => this.#timers.refChanged(call),
  };

  /**
   * A reactor, not yet running.
   *
   * @example
   * ```ts
   * const reactor = new NodeReactor({ installSignalHandlers: false });
   * ```
   */
  constructor(options: NodeReactorOptions = {}) {
    super();
    this.#installSignals = options.installSignalHandlers ?? true;
    this.#shutdownTimeout = options.shutdownTimeout ?? 10;
    this.addSystemEventTrigger('during', 'startup', this.#markRunning);
    this.addSystemEventTrigger('during', 'shutdown', this.#disconnectAll);
  }

  /** True between the `startup` and `shutdown` events. */
  get running(): boolean {
    return this.#running;
  }

  /**
   * Starts the reactor; the Promise resolves once `stop()` has run the shutdown triggers. Throws
   * `ReactorAlreadyRunning` while running and `ReactorNotRestartable` once stopped.
   *
   * @example
   * ```ts
   * reactor.callWhenRunning(main);
   * await reactor.run();
   * ```
   */
  run(): Promise<void> {
    if (this.#state === 'stopped') throw new ReactorNotRestartable();
    if (this.#state !== 'idle') throw new ReactorAlreadyRunning();
    this.#state = 'starting';
    this.#keepAlive = setInterval(keepAlive, MAX_TIMER_MS);
    if (this.#installSignals) {
      process.on('SIGINT', this.#onSignal);
      process.on('SIGTERM', this.#onSignal);
    }
    const done = new Promise<void>((resolve) => {
      this.#resolveRun = resolve;
    });
    this.fireSystemEvent('startup');
    return done;
  }

  /**
   * Stops the reactor: on the next turn of the loop, runs the shutdown triggers, closes ports and
   * connections, releases the process. Throws `ReactorNotRunning` unless running.
   *
   * @example
   * ```ts
   * reactor.callLater(10, () => reactor.stop());
   * ```
   */
  stop(): void {
    if (this.#state !== 'running' && this.#state !== 'starting') throw new ReactorNotRunning();
    this.#state = 'stopping';
    setImmediate(this.#shutdown);
  }

  /**
   * Calls `f(...args)` once the reactor runs (now, if it already does). Returns the trigger id, or
   * `undefined` when `f` ran at once.
   *
   * @example
   * ```ts
   * reactor.callWhenRunning(() => console.log('started'));
   * ```
   */
  callWhenRunning<A extends unknown[]>(f: (...args: A) => unknown, ...args: A): TriggerId | undefined {
    if (this.#running) {
      try {
        f(...args);
      } catch (err) {
        reportError(err, 'callWhenRunning');
      }
      return undefined;
    }
    return this.addSystemEventTrigger('after', 'startup', f, ...args);
  }

  /**
   * Adds a trigger to a phase of `startup` or `shutdown`. A trigger returning a Deferred or a Promise
   * delays the next phase until it settles. Triggers run once.
   *
   * @example
   * ```ts
   * reactor.addSystemEventTrigger('before', 'shutdown', () => db.close()); // a Promise: awaited
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
   * Removes a trigger that has not run yet; throws `RangeError` for an unknown id.
   *
   * @example
   * ```ts
   * const id = reactor.addSystemEventTrigger('before', 'shutdown', flush);
   * reactor.removeSystemEventTrigger(id);
   * ```
   */
  removeSystemEventTrigger(id: TriggerId): void {
    this.#triggers.remove(id);
  }

  /**
   * Runs the `before`, `during` and `after` triggers of `event`, each phase waiting for the
   * Deferreds/Promises the previous one returned; errors are reported, not propagated. The
   * returned Deferred fires when the `after` phase is done (synchronously if nothing waited).
   *
   * @example
   * ```ts
   * await reactor.fireSystemEvent('shutdown');
   * ```
   */
  fireSystemEvent(event: SystemEvent): Deferred<void> {
    return this.#triggers.fire(event);
  }

  /**
   * Monotonic time in seconds (from `performance.now()`), with sub-millisecond precision.
   *
   * @example
   * ```ts
   * const start = reactor.seconds();
   * ```
   */
  seconds(): number {
    return performance.now() / 1000;
  }

  /**
   * Calls `f(...args)` in `seconds` seconds. Exceptions it throws are reported.
   *
   * @example
   * ```ts
   * const call = reactor.callLater(1.5, console.log, 'later');
   * call.cancel();
   * ```
   */
  callLater<A extends unknown[]>(seconds: number, f: (...args: A) => unknown, ...args: A): DelayedCall<A> {
    const call = new DelayedCall(this.seconds() + checkSeconds(seconds, false), f, args, this.#scheduler);
    this.#timers.add(call);
    return call;
  }

  /**
   * The calls scheduled and not yet run or cancelled.
   *
   * @example
   * ```ts
   * reactor.getDelayedCalls().length;
   * ```
   */
  getDelayedCalls(): AnyDelayedCall[] {
    return this.#timers.pending();
  }

  /**
   * Listens on `port` (0: any free port) and builds a protocol per connection with `factory`.
   *
   * @example
   * ```ts
   * const port = reactor.listenTCP(0, Factory.forProtocol(Echo), { interface: '127.0.0.1' });
   * console.log(port.getHost().port);
   * ```
   */
  listenTCP(port: number, factory: IProtocolFactory, options: ListenTCPOptions = {}): TCPPort {
    const p = new TCPPort(port, factory, options, this.#registry.connections);
    p.startListening();
    this.#ports.add(p);
    return p;
  }

  /**
   * Connects to `host:port`; the factory's hooks report the outcome.
   *
   * @example
   * ```ts
   * reactor.connectTCP('127.0.0.1', 8000, EchoClientFactory.forProtocol(EchoClient), { timeout: 5 });
   * ```
   */
  connectTCP(
    host: string,
    port: number,
    factory: IClientFactory,
    options: ConnectTCPOptions = {},
  ): TCPConnector {
    const connector = new TCPConnector(host, port, factory, options, this, this.#registry);
    connector.connect();
    return connector;
  }

  /**
   * Listens for TLS connections (TCP upgraded at once; see tls-port.ts). Added by the TLS module.
   *
   * @example
   * ```ts
   * reactor.listenSSL(8443, Factory.forProtocol(Echo), { key, cert }, { interface: '127.0.0.1' });
   * ```
   */
  listenSSL(
    port: number,
    factory: IProtocolFactory,
    contextOptions: TLSServerOptions,
    options: ListenTCPOptions = {},
  ): IListeningPort {
    return listenSSL(this, port, factory, contextOptions, options);
  }

  /**
   * Connects over TLS, verifying the server unless told not to (see tls-port.ts).
   *
   * @example
   * ```ts
   * reactor.connectSSL('localhost', 8443, clientFactory, optionsForClientTLS('localhost'));
   * ```
   */
  connectSSL(
    host: string,
    port: number,
    factory: IClientFactory,
    contextOptions: TLSClientOptions,
    options: ConnectTCPOptions = {},
  ): IConnector {
    return connectSSL(this, host, port, factory, contextOptions, options);
  }

  /**
   * Listens on a UNIX socket (see unix.ts); shutdown closes it and its connections like TCP ones.
   *
   * @example
   * ```ts
   * reactor.listenUNIX('/tmp/app.sock', factory, { mode: 0o600 });
   * ```
   */
  listenUNIX(path: string, factory: IProtocolFactory, options: ListenUNIXOptions = {}): UNIXPort {
    const port = new UNIXPort(path, factory, options, this.#registry);
    port.startListening();
    this.#ports.add(port);
    return port;
  }

  /**
   * Connects to a UNIX socket (see unix.ts).
   *
   * @example
   * ```ts
   * reactor.connectUNIX('/tmp/app.sock', clientFactory, { timeout: 5 });
   * ```
   */
  connectUNIX(path: string, factory: IClientFactory, options: ConnectUNIXOptions = {}): UNIXConnector {
    const connector = new UNIXConnector(path, factory, options, this, this.#registry);
    connector.connect();
    return connector;
  }

  readonly #markRunning = (): void => {
    this.#running = true;
    if (this.#state === 'starting') this.#state = 'running';
  };

  readonly #shutdown = (): void => {
    this.fireSystemEvent('shutdown').addCallback(this.#finish);
  };

  readonly #disconnectAll = (): Promise<void> => {
    this.#running = false;
    const waits: PromiseLike<unknown>[] = [];
    for (const port of this.#ports) waits.push(port.stopListening());
    this.#ports.clear();
    for (const connector of [...this.#registry.connecting]) connector.stopConnecting();
    const connections = this.#registry.connections;
    for (const transport of [...connections]) transport.loseConnection();
    const timer = setTimeout(abortAll, this.#shutdownTimeout * 1000, connections);
    waits.push(connections.whenEmpty().then(() => clearTimeout(timer)));
    return Promise.all(waits).then(ignore, (err: unknown) => reportError(err, 'shutdown'));
  };

  readonly #finish = (): void => {
    this.#state = 'stopped';
    this.#running = false;
    if (this.#keepAlive !== null) clearInterval(this.#keepAlive);
    this.#keepAlive = null;
    this.#timers.stop();
    process.off('SIGINT', this.#onSignal);
    process.off('SIGTERM', this.#onSignal);
    const resolve = this.#resolveRun;
    this.#resolveRun = null;
    resolve?.();
  };

  readonly #onSignal = (signal: NodeJS.Signals): void => {
    if (this.#state === 'running' || this.#state === 'starting') {
      this.stop();
      return;
    }
    // A second signal while shutting down: give up waiting, die the default way.
    process.off('SIGINT', this.#onSignal);
    process.off('SIGTERM', this.#onSignal);
    process.kill(process.pid, signal);
  };
}

function ignore(): void {}

function abortAll(connections: Set<StreamTransport>): void {
  for (const transport of [...connections]) transport.abortConnection();
}
