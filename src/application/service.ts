/**
 * `Service`: something that starts and stops with the application, Twisted's
 * `twisted.application.service.Service`. Services form a tree under `MultiService`s; `twist` starts
 * the root when the reactor runs and stops it (waiting for what `stopService` returns) on shutdown.
 *
 * @example
 * ```ts
 * import { Service } from 'twisted-ts/application';
 * class Heartbeat extends Service {
 *   override startService() { super.startService(); this.#timer = clock.callLater(5, beat); }
 *   override stopService() { this.#timer?.cancel(); return super.stopService(); }
 * }
 * ```
 * @module
 */

/**
 * What `stopService` may return: nothing, or something to wait for.
 *
 * @example
 * ```ts
 * stopService(): StopResult { return this.port.stopListening(); }
 * ```
 */
export type StopResult = PromiseLike<unknown> | void;

/**
 * A service; Twisted's `IService`.
 *
 * @example
 * ```ts
 * function describe(s: IService): string { return `${s.name ?? '(unnamed)'} running=${s.running}`; }
 * ```
 */
export interface IService {
  /** The name, unique within its parent (or null). */
  name: string | null;
  /** The collection this service belongs to. */
  readonly parent: IServiceCollection | null;
  /** True between `startService` and `stopService`. */
  readonly running: boolean;
  /** Adds this service to `parent` (leaving its previous parent first). */
  setServiceParent(parent: IServiceCollection): void;
  /** Leaves the parent; returns what the parent's `removeService` returned. */
  disownServiceParent(): StopResult;
  /** Starts the service. */
  startService(): void;
  /** Stops the service; a returned Deferred or Promise delays shutdown until it settles. */
  stopService(): StopResult;
}

/**
 * A service holding other services; Twisted's `IServiceCollection`.
 *
 * @example
 * ```ts
 * const web = (app as IServiceCollection).getServiceNamed('web');
 * ```
 */
export interface IServiceCollection extends Iterable<IService> {
  /** The child called `name`; throws when there is none. */
  getServiceNamed(name: string): IService;
  /** Adds a child (and starts it when the collection is running). */
  addService(service: IService): void;
  /** Removes a child (and stops it when the collection is running). */
  removeService(service: IService): StopResult;
}

/**
 * The base class: keeps `running`, `name` and `parent`. Subclasses override `startService` and
 * `stopService` and call `super`.
 *
 * @example
 * ```ts
 * const svc = new Service();
 * svc.name = 'worker';
 * svc.setServiceParent(application);
 * ```
 */
export class Service implements IService {
  name: string | null = null;
  #parent: IServiceCollection | null = null;
  #running = false;

  /**
   * The collection this service belongs to, if any.
   *
   * @example
   * ```ts
   * service.parent?.removeService(service);
   * ```
   */
  get parent(): IServiceCollection | null {
    return this.#parent;
  }

  /**
   * True between `startService` and `stopService`.
   *
   * @example
   * ```ts
   * if (!service.running) service.startService();
   * ```
   */
  get running(): boolean {
    return this.#running;
  }

  /**
   * Adds the service to `parent`, leaving its current parent first.
   *
   * @example
   * ```ts
   * new StreamServerEndpointService(endpoint, factory).setServiceParent(top);
   * ```
   */
  setServiceParent(parent: IServiceCollection): void {
    if (this.#parent !== null) void this.disownServiceParent();
    this.#parent = parent;
    parent.addService(this);
  }

  /**
   * Leaves the parent; returns what the parent's `removeService` returned (the stop, when running).
   *
   * @example
   * ```ts
   * await service.disownServiceParent();
   * ```
   */
  disownServiceParent(): StopResult {
    const parent = this.#parent;
    if (parent === null) return;
    const result = parent.removeService(this);
    this.#parent = null;
    return result;
  }

  /**
   * Marks the service running; subclasses start their work after `super.startService()`.
   *
   * @example
   * ```ts
   * service.startService();
   * service.running; // true
   * ```
   */
  startService(): void {
    this.#running = true;
  }

  /**
   * Marks the service stopped; subclasses return what to wait for.
   *
   * @example
   * ```ts
   * await service.stopService();
   * ```
   */
  stopService(): StopResult {
    this.#running = false;
  }
}
