/**
 * `ReactorServices`: the reactor methods that only hand over to the standalone modules — UDP and
 * multicast ports (udp.ts), child processes (process.ts), the thread pool (threads/), name
 * resolution (resolver.ts) — each passing the reactor itself, so that its shutdown closes ports
 * and stops the pool. `NodeReactor` extends it; it keeps reactor.ts to the reactor's own work.
 *
 * @example
 * ```ts
 * const port = reactor.listenUDP(0, new Echo(), { interface: '127.0.0.1' });
 * reactor.callInThread(task);
 * const ip = await reactor.resolve('localhost');
 * ```
 * @module
 */
import type { Deferred } from './defer.js';
import type { DelayedCall } from './delayed-call.js';
import type {
  IReactorMulticast,
  IReactorPluggableNameResolver,
  IReactorProcess,
  IReactorThreads,
  IReactorUDP,
  SystemEvent,
  SystemEventPhase,
  TriggerId,
} from './interfaces.js';
import { type Process, type SpawnProcessOptions, spawnProcess } from './process.js';
import type { IProcessProtocol } from './process-protocol.js';
import { type IHostnameResolver, resolve } from './resolver.js';
import { getThreadPool, suggestThreadPoolSize } from './threads/index.js';
import type { ThreadPool, ThreadTask } from './threads/thread-pool.js';
import { type DatagramProtocol, type ListenUDPOptions, listenUDP, type UDPPort } from './udp.js';
import { type ListenMulticastOptions, listenMulticast, type MulticastPort } from './udp-multicast.js';

/**
 * The delegating half of `NodeReactor`; subclasses provide the core and the clock.
 *
 * @example
 * ```ts
 * class MyReactor extends ReactorServices { ... }
 * ```
 */
export abstract class ReactorServices
  implements IReactorUDP, IReactorMulticast, IReactorProcess, IReactorThreads, IReactorPluggableNameResolver
{
  #nameResolver: IHostnameResolver | undefined;

  abstract callLater<A extends unknown[]>(
    seconds: number,
    f: (...args: A) => unknown,
    ...args: A
  ): DelayedCall<A>;

  abstract addSystemEventTrigger<A extends unknown[]>(
    phase: SystemEventPhase,
    event: SystemEvent,
    f: (...args: A) => unknown,
    ...args: A
  ): TriggerId;

  abstract removeSystemEventTrigger(id: TriggerId): void;

  /**
   * Binds a UDP port (udp.ts), closed by this reactor's shutdown.
   *
   * @example
   * ```ts
   * const port = reactor.listenUDP(0, new Echo(), { interface: '127.0.0.1' });
   * ```
   */
  listenUDP(port: number, protocol: DatagramProtocol, options: ListenUDPOptions = {}): UDPPort {
    return listenUDP(port, protocol, { ...options, reactor: this });
  }

  /**
   * Binds a multicast UDP port (udp-multicast.ts), closed by this reactor's shutdown.
   *
   * @example
   * ```ts
   * const port = reactor.listenMulticast(5353, new Mdns(), { listenMultiple: true });
   * ```
   */
  listenMulticast(
    port: number,
    protocol: DatagramProtocol,
    options: ListenMulticastOptions = {},
  ): MulticastPort {
    return listenMulticast(port, protocol, { ...options, reactor: this });
  }

  /**
   * Starts a child process (process.ts); `args[0]` is the program's name, as in Twisted.
   *
   * @example
   * ```ts
   * reactor.spawnProcess(new MyProtocol(), 'sh', ['sh', '-c', 'echo hi']);
   * ```
   */
  spawnProcess(
    protocol: IProcessProtocol,
    executable: string,
    args: readonly string[] = [executable],
    options: SpawnProcessOptions = {},
  ): Process {
    return spawnProcess(protocol, executable, args, { ...options, reactor: this });
  }

  /**
   * Runs `task(...args)` in this reactor's thread pool (a worker thread), ignoring its result.
   *
   * @example
   * ```ts
   * reactor.callInThread({ module: new URL('./hash.js', import.meta.url), export: 'hash' }, data);
   * ```
   */
  callInThread<A extends unknown[]>(task: ThreadTask<A>, ...args: A): void {
    getThreadPool(this).callInThread(task, ...args);
  }

  /**
   * Runs `f(...args)` on the reactor's thread on its next turn (Node delivers worker results there).
   *
   * @example
   * ```ts
   * reactor.callFromThread(console.log, 'done');
   * ```
   */
  callFromThread<A extends unknown[]>(f: (...args: A) => unknown, ...args: A): void {
    this.callLater(0, f, ...args);
  }

  /**
   * This reactor's thread pool, started on first use and stopped by its shutdown.
   *
   * @example
   * ```ts
   * reactor.getThreadPool().callInThread(task);
   * ```
   */
  getThreadPool(): ThreadPool {
    return getThreadPool(this);
  }

  /**
   * Sets the most threads this reactor's pool may run.
   *
   * @example
   * ```ts
   * reactor.suggestThreadPoolSize(4);
   * ```
   */
  suggestThreadPoolSize(size: number): void {
    suggestThreadPoolSize(size, this);
  }

  /**
   * The resolver `resolve()` and hostname endpoints use (undefined: the global one).
   *
   * @example
   * ```ts
   * reactor.nameResolver ?? getResolver();
   * ```
   */
  get nameResolver(): IHostnameResolver | undefined {
    return this.#nameResolver;
  }

  /**
   * Installs this reactor's resolver; returns the previous one.
   *
   * @example
   * ```ts
   * reactor.installNameResolver(new SystemResolver());
   * ```
   */
  installNameResolver(resolver: IHostnameResolver): IHostnameResolver | undefined {
    const previous = this.#nameResolver;
    this.#nameResolver = resolver;
    return previous;
  }

  /**
   * Resolves `name` to its first IPv4 address with this reactor's resolver (resolver.ts).
   *
   * @example
   * ```ts
   * const ip = await reactor.resolve('localhost'); // '127.0.0.1'
   * ```
   */
  resolve(name: string): Deferred<string> {
    return resolve(name, { reactor: this });
  }
}
