/**
 * `MultiService`: a service made of services, Twisted's `MultiService`. Children start in the
 * order they were added and stop in reverse order; `stopService` waits for all of them.
 *
 * @example
 * ```ts
 * import { MultiService } from 'twisted-ts/application';
 * const top = new MultiService();
 * new StreamServerEndpointService(endpoint, factory).setServiceParent(top);
 * top.startService();
 * ```
 * @module
 */
import { Deferred } from '../internet/defer.js';
import { Logger } from '../logger/logger.js';
import { type IService, type IServiceCollection, Service, type StopResult } from './service.js';

const log = new Logger('twisted-ts.application');

/**
 * `getServiceNamed` found no child of that name.
 *
 * @example
 * ```ts
 * top.getServiceNamed('nope'); // throws NoSuchServiceError
 * ```
 */
export class NoSuchServiceError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'ERR_NO_SUCH_SERVICE';
  constructor(
    /** The name that was asked for. */
    readonly serviceName: string,
  ) {
    super(`no service named ${JSON.stringify(serviceName)}`);
    this.name = 'NoSuchServiceError';
  }
}

/**
 * `addService` with a name a sibling already has.
 *
 * @example
 * ```ts
 * a.name = b.name = 'web';
 * top.addService(a);
 * top.addService(b); // throws DuplicateServiceNameError
 * ```
 */
export class DuplicateServiceNameError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'ERR_DUPLICATE_SERVICE_NAME';
  constructor(
    /** The name both services have. */
    readonly serviceName: string,
  ) {
    super(`a service named ${JSON.stringify(serviceName)} already exists`);
    this.name = 'DuplicateServiceNameError';
  }
}

/**
 * A service that starts and stops its children.
 *
 * @example
 * ```ts
 * const top = new MultiService();
 * top.addService(a);
 * top.addService(b);
 * top.startService(); // a, then b
 * await top.stopService(); // b, then a; waits for both
 * ```
 */
export class MultiService extends Service implements IServiceCollection {
  #services: IService[] = [];
  readonly #named = new Map<string, IService>();

  /** Iterates the children in start order. */
  [Symbol.iterator](): Iterator<IService> {
    return [...this.#services][Symbol.iterator]();
  }

  /**
   * The child called `name`.
   *
   * @example
   * ```ts
   * top.getServiceNamed('web').stopService();
   * ```
   */
  getServiceNamed(name: string): IService {
    const service = this.#named.get(name);
    if (service === undefined) throw new NoSuchServiceError(name);
    return service;
  }

  /**
   * Adds a child; starts it at once when this service is running. Prefer
   * `child.setServiceParent(this)`, which also sets `child.parent`.
   *
   * @example
   * ```ts
   * top.addService(new TimerService(60, cleanup));
   * ```
   */
  addService(service: IService): void {
    if (this.#services.includes(service)) return;
    if (service.name !== null) {
      if (this.#named.has(service.name)) throw new DuplicateServiceNameError(service.name);
      this.#named.set(service.name, service);
    }
    this.#services = [...this.#services, service];
    if (this.running) service.startService();
  }

  /**
   * Removes a child; when running, stops it and returns its stop.
   *
   * @example
   * ```ts
   * await top.removeService(old);
   * ```
   */
  removeService(service: IService): StopResult {
    if (!this.#services.includes(service)) return;
    if (service.name !== null) this.#named.delete(service.name);
    this.#services = this.#services.filter((s) => s !== service);
    if (this.running) return service.stopService();
  }

  /**
   * Starts every child, in order.
   *
   * @example
   * ```ts
   * top.startService();
   * ```
   */
  override startService(): void {
    super.startService();
    for (const service of this.#services) service.startService();
  }

  /**
   * Stops every child in reverse order and fires once all have stopped. A child whose stop fails
   * is logged; the others are still waited for.
   *
   * @example
   * ```ts
   * await top.stopService();
   * ```
   */
  override stopService(): Deferred<void> {
    super.stopService();
    const waits = [...this.#services].reverse().map(async (service) => {
      try {
        await service.stopService();
      } catch (err) {
        log.failure(
          'Error while stopping service {service}',
          err,
          { service: service.name ?? '(unnamed)' },
          'error',
        );
      }
    });
    return Deferred.fromPromise(Promise.all(waits).then(() => undefined));
  }
}
