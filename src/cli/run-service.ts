/**
 * Runs a plugin's service on a reactor until a signal, Twisted's `twist` runner: the service
 * starts when the reactor runs and is stopped (and waited for) in the `before shutdown` phase.
 * The first SIGTERM/SIGINT shuts down gracefully — stop accepting, let open connections finish up
 * to `--shutdown-timeout` — and the second aborts the remaining connections at once.
 *
 * @example
 * ```ts
 * const code = await runService(service, { reactor, shutdownTimeout: 10 });
 * ```
 * @module
 */
import type { IService, IServiceCollection } from '../application/service.js';
import { StreamServerEndpointService } from '../application/stream-server-endpoint-service.js';
import { ReactorNotRunning } from '../internet/error.js';
import type { IAddress, IListeningPort, IReactor } from '../internet/interfaces.js';
import { Logger } from '../logger/logger.js';

const log = new Logger('twisted-ts.twist');

/**
 * Where shutdown requests come from: `process` (signals, `'disconnect'` in a cluster worker).
 *
 * @example
 * ```ts
 * const signals: SignalSource = new EventEmitter(); // a test emits 'SIGTERM' on it
 * ```
 */
export interface SignalSource {
  on(event: string, listener: (signal: string) => void): unknown;
  off(event: string, listener: (signal: string) => void): unknown;
}

/**
 * Options of `runService`.
 *
 * @example
 * ```ts
 * const code = await runService(service, { reactor, shutdownTimeout: 30 });
 * ```
 */
export interface RunServiceOptions {
  readonly reactor: IReactor;
  /** Seconds open connections get to finish after the first signal (for the log line). */
  readonly shutdownTimeout: number;
  /** Default `process`. */
  readonly signals?: SignalSource;
  /** Events that request shutdown; the second one aborts (default `['SIGTERM', 'SIGINT']`). */
  readonly shutdownOn?: readonly string[];
  /** Events that request a graceful shutdown and never escalate (a worker's primary asking). */
  readonly gracefulOn?: readonly string[];
  /** Events that abort open connections at once (shutting down first if needed). */
  readonly abortOn?: readonly string[];
  /** Events that are ignored (a cluster worker ignores the terminal's SIGINT: the primary decides). */
  readonly ignore?: readonly string[];
  /** Log `Listening on ADDRESS` per port (default true; a cluster worker leaves it to the primary). */
  readonly announceListening?: boolean;
}

/**
 * Every `StreamServerEndpointService` in a service tree.
 *
 * @example
 * ```ts
 * for (const server of findServers(root)) await server.whenListening();
 * ```
 */
export function findServers(service: IService): StreamServerEndpointService[] {
  const found: StreamServerEndpointService[] = [];
  const visit = (s: IService): void => {
    if (s instanceof StreamServerEndpointService) found.push(s);
    const children = s as Partial<IServiceCollection>;
    if (typeof children[Symbol.iterator] === 'function')
      for (const child of children as IServiceCollection) visit(child);
  };
  visit(service);
  return found;
}

/**
 * Text of an address for logs: `127.0.0.1:8080`, `[::1]:8080`, a UNIX path.
 *
 * @example
 * ```ts
 * addressText(port.getHost()); // '127.0.0.1:8080'
 * ```
 */
export function addressText(address: IAddress): string {
  const a = address as { host?: string; port?: number; name?: string | null };
  if (a.host !== undefined) return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
  return a.name ?? address.type;
}

/**
 * Starts `service` when `reactor` runs, stops it gracefully on the first shutdown signal and
 * aborts open connections on the second; resolves to the exit code once the reactor has stopped:
 * 0, or 1 when a server could not listen.
 *
 * @example
 * ```ts
 * process.exitCode = await runService(service, { reactor, shutdownTimeout: 10 });
 * ```
 */
export async function runService(service: IService, options: RunServiceOptions): Promise<number> {
  const { reactor, shutdownTimeout } = options;
  const signals = options.signals ?? (process as unknown as SignalSource);
  const servers = findServers(service);
  let exitCode = 0;
  let stopping = false;
  let aborted = false;

  const stopReactor = (): void => {
    try {
      reactor.stop();
    } catch (err) {
      if (!(err instanceof ReactorNotRunning)) throw err;
    }
  };
  const name = (signal: unknown): string => (typeof signal === 'string' ? signal : 'disconnect');
  const graceful = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info('Received {signal}: shutting down; open connections have {seconds}s to finish', {
      signal: name(signal),
      seconds: shutdownTimeout,
    });
    stopReactor();
  };
  const abort = (signal: string): void => {
    graceful(signal);
    if (aborted) return;
    aborted = true;
    log.warn('Received {signal} again: aborting open connections', { signal: name(signal) });
    for (const server of servers) server.abortConnections();
  };
  const escalating = (signal: string): void => (stopping ? abort(signal) : graceful(signal));
  const ignored = (): void => {};

  reactor.addSystemEventTrigger('before', 'shutdown', () => service.stopService());
  reactor.callWhenRunning(() => {
    service.startService();
    Promise.all(servers.map((s) => s.whenListening())).then(
      (ports: IListeningPort[]) => {
        if (options.announceListening === false) return;
        for (const port of ports)
          log.info('Listening on {address}', { address: addressText(port.getHost()) });
      },
      () => {
        exitCode = 1;
        log.critical('A server could not listen; stopping');
        stopReactor();
      },
    );
  });

  const handlers: [string, (signal: string) => void][] = [
    ...(options.shutdownOn ?? ['SIGTERM', 'SIGINT']).map(
      (e) => [e, escalating] as [string, typeof escalating],
    ),
    ...(options.gracefulOn ?? []).map((e) => [e, graceful] as [string, typeof graceful]),
    ...(options.abortOn ?? []).map((e) => [e, abort] as [string, typeof abort]),
    ...(options.ignore ?? []).map((e) => [e, ignored] as [string, typeof ignored]),
  ];
  for (const [event, handler] of handlers) signals.on(event, handler);
  try {
    await reactor.run();
  } finally {
    for (const [event, handler] of handlers) signals.off(event, handler);
  }
  log.info('Stopped');
  return exitCode;
}
