/**
 * `StreamServerEndpointService`: listens on an endpoint while running, Twisted's service of the
 * same name. With `shutdownTimeout` it also drains: on stop it stops accepting, lets the open
 * connections finish for up to that many seconds, then aborts the rest; it also logs each
 * connection at `debug` level (`Connection from 127.0.0.1:50312`).
 *
 * @example
 * ```ts
 * import { StreamServerEndpointService } from 'twisted-ts/application';
 * import { serverFromString } from 'twisted-ts/internet';
 * new StreamServerEndpointService(serverFromString(reactor, 'tcp:8080'), factory).setServiceParent(top);
 * ```
 * @module
 */

import { reactor } from '../internet/default-reactor.js';
import { CancelledError, Deferred } from '../internet/defer.js';
import type { IStreamServerEndpoint } from '../internet/endpoints/interfaces.js';
import type { IListeningPort, IProtocolFactory, IReactorTime, ITransport } from '../internet/interfaces.js';
import { Logger } from '../logger/logger.js';
import { Service } from './service.js';
import { TrackingFactory } from './tracking-factory.js';

const log = new Logger('twisted-ts.application');

/**
 * Options of `StreamServerEndpointService`.
 *
 * @example
 * ```ts
 * new StreamServerEndpointService(endpoint, factory, { shutdownTimeout: 10, clock: reactor });
 * ```
 */
export interface StreamServerEndpointServiceOptions {
  /**
   * Drain on stop: wait up to this many seconds for open connections to close, then abort them.
   * Without it, stopping only stops listening (open connections are left alone, as in Twisted).
   */
  shutdownTimeout?: number;
  /** The clock of the drain timeout (default: the global reactor). */
  clock?: IReactorTime;
}

/**
 * Listens on `endpoint` with `factory` between start and stop. A failure to listen is logged and
 * available from `whenListening()`.
 *
 * @example
 * ```ts
 * const svc = new StreamServerEndpointService(endpoint, factory, { shutdownTimeout: 10, clock: reactor });
 * svc.startService();
 * const port = await svc.whenListening();
 * ```
 */
export class StreamServerEndpointService extends Service {
  /** Where to listen. */
  readonly endpoint: IStreamServerEndpoint;
  /** The factory given to the endpoint (the tracking wrapper when draining). */
  readonly factory: IProtocolFactory;
  readonly #tracking: TrackingFactory | null;
  readonly #shutdownTimeout: number | undefined;
  readonly #clock: IReactorTime | undefined;
  #listening: Deferred<IListeningPort> | null = null;
  #port: IListeningPort | null = null;
  #failure: Error | null = null;
  #waiters: Deferred<IListeningPort>[] = [];

  constructor(
    endpoint: IStreamServerEndpoint,
    factory: IProtocolFactory,
    options: StreamServerEndpointServiceOptions = {},
  ) {
    super();
    this.endpoint = endpoint;
    this.#shutdownTimeout = options.shutdownTimeout;
    this.#clock = options.clock;
    this.#tracking =
      options.shutdownTimeout === undefined
        ? null
        : new TrackingFactory(factory, {
            connectionMade: (_p, transport) =>
              log.debug('Connection from {peer}', { peer: peerText(transport) }),
          });
    this.factory = this.#tracking ?? factory;
  }

  /**
   * The number of open connections (0 unless draining is enabled).
   *
   * @example
   * ```ts
   * log.info('{n} connections open', { n: svc.connectionCount });
   * ```
   */
  get connectionCount(): number {
    return this.#tracking?.connections.size ?? 0;
  }

  /**
   * Starts listening; a failure is logged (namespace `twisted-ts.application`).
   *
   * @example
   * ```ts
   * svc.startService();
   * ```
   */
  override startService(): void {
    super.startService();
    this.#failure = null;
    const d = this.endpoint.listen(this.factory);
    this.#listening = d;
    d.addCallbacks(
      (port: IListeningPort) => {
        this.#listening = null;
        this.#port = port;
        for (const w of this.#take()) w.callback(port);
        return undefined;
      },
      (err: Error) => {
        this.#listening = null;
        this.#failure = err;
        if (!this.running && err instanceof CancelledError) return undefined;
        log.failure('Could not listen on {endpoint}', err, { endpoint: describe(this.endpoint) }, 'error');
        for (const w of this.#take()) w.errback(err);
        return undefined;
      },
    );
  }

  /**
   * Fires with the listening port once listening, or fails with why it could not listen.
   *
   * @example
   * ```ts
   * const port = await svc.whenListening();
   * console.log(port.getHost());
   * ```
   */
  whenListening(): Deferred<IListeningPort> {
    const d = new Deferred<IListeningPort>();
    if (this.#port !== null) d.callback(this.#port);
    else if (this.#failure !== null) d.errback(this.#failure);
    else this.#waiters.push(d);
    return d;
  }

  /**
   * Stops listening (cancelling a listen still in progress); when draining, then waits for the
   * open connections up to `shutdownTimeout` seconds and aborts what is left.
   *
   * @example
   * ```ts
   * await svc.stopService();
   * ```
   */
  override stopService(): Deferred<void> {
    super.stopService();
    this.#listening?.cancel();
    const port = this.#port;
    this.#port = null;
    const stopped = port === null ? Promise.resolve() : Promise.resolve(port.stopListening());
    return Deferred.fromPromise(stopped.then(() => this.#drain()));
  }

  /**
   * Aborts every open connection now (a second SIGTERM during a graceful shutdown).
   *
   * @example
   * ```ts
   * svc.abortConnections();
   * ```
   */
  abortConnections(): void {
    this.#tracking?.abortAll();
  }

  async #drain(): Promise<void> {
    const tracking = this.#tracking;
    if (tracking === null || tracking.connections.size === 0) return;
    const clock = this.#clock ?? reactor;
    const seconds = this.#shutdownTimeout ?? 0;
    log.info('Waiting up to {seconds}s for {count} open connection(s) to finish', {
      seconds,
      count: tracking.connections.size,
    });
    const timer = clock.callLater(seconds, () => {
      const count = tracking.connections.size;
      if (count > 0)
        log.warn('Aborting {count} connection(s) still open after {seconds}s', { count, seconds });
      tracking.abortAll();
    });
    await tracking.whenEmpty();
    if (timer.active()) timer.cancel();
  }

  #take(): Deferred<IListeningPort>[] {
    const waiters = this.#waiters;
    this.#waiters = [];
    return waiters;
  }
}

function peerText(transport: ITransport): string {
  const peer = transport.getPeer() as { host?: string; port?: number; name?: string | null };
  if (peer.host !== undefined)
    return peer.host.includes(':') ? `[${peer.host}]:${peer.port}` : `${peer.host}:${peer.port}`;
  return peer.name ?? 'unknown';
}

function describe(endpoint: IStreamServerEndpoint): string {
  const text = String(endpoint);
  return text === '[object Object]' ? endpoint.constructor.name : text;
}
