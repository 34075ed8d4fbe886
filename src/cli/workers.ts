/**
 * `twist --workers N`: the primary process forks N workers with `node:cluster`; each runs the
 * plugin's service and the cluster shares the listening sockets between them. A worker that dies
 * is restarted with backoff (the primary gives up when a worker keeps dying before it ever
 * listened). On SIGTERM/SIGINT the primary asks every worker (over the cluster's IPC channel) to
 * shut down gracefully; a second signal makes them abort their connections at once. A worker
 * also shuts down on its own SIGTERM, and when its primary goes away.
 *
 * @example
 * ```ts
 * if (cluster.isPrimary && workers > 1) return runPrimary({ workers, argv, reactor });
 * ```
 * @module
 */
import cluster, { type Worker } from 'node:cluster';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backoffPolicy } from '../application/backoff.js';
import type { IDelayedCall, IReactorTime } from '../internet/interfaces.js';
import { Logger } from '../logger/logger.js';
import type { SignalSource } from './run-service.js';

const log = new Logger('twisted-ts.twist');

/**
 * The environment variable naming a worker's slot (1…N) in the worker process.
 *
 * @example
 * ```ts
 * const id = Number(process.env[WORKER_ID_ENV]); // in a worker: 1…N
 * ```
 */
export const WORKER_ID_ENV = 'TWIST_WORKER_ID';

/**
 * The IPC messages the primary sends its workers.
 *
 * @example
 * ```ts
 * worker.send({ twist: WORKER_MESSAGES.shutdown });
 * ```
 */
export const WORKER_MESSAGES = { shutdown: 'twist:shutdown', abort: 'twist:abort' } as const;

/**
 * The worker side: a `SignalSource` where the events `'twist:shutdown'` and `'twist:abort'` are
 * the primary's IPC messages and every other event is `process`'s own.
 *
 * @example
 * ```ts
 * runService(service, { reactor, shutdownTimeout, signals: workerSignals(), gracefulOn: ['twist:shutdown'] });
 * ```
 */
export function workerSignals(proc: NodeJS.Process = process): SignalSource {
  // Keyed by event, then listener: one function may listen to both messages.
  const wrapped = new Map<string, Map<(signal: string) => void, (message: unknown) => void>>();
  const isOurs = (event: string): boolean =>
    event === WORKER_MESSAGES.shutdown || event === WORKER_MESSAGES.abort;
  return {
    on(event, listener) {
      if (!isOurs(event)) return proc.on(event as 'SIGTERM', listener);
      const onMessage = (message: unknown): void => {
        if ((message as { twist?: unknown } | null)?.twist === event) listener(event);
      };
      const byListener = wrapped.get(event) ?? new Map();
      wrapped.set(event, byListener);
      const previous = byListener.get(listener);
      if (previous !== undefined) proc.off('message', previous);
      byListener.set(listener, onMessage);
      return proc.on('message', onMessage);
    },
    off(event, listener) {
      if (!isOurs(event)) return proc.off(event as 'SIGTERM', listener);
      const byListener = wrapped.get(event);
      const onMessage = byListener?.get(listener);
      byListener?.delete(listener);
      return onMessage === undefined ? proc : proc.off('message', onMessage);
    },
  };
}

function tell(worker: Worker, message: string): void {
  try {
    worker.send({ twist: message });
  } catch {
    // The IPC channel is gone: fall back to a signal.
    worker.process.kill('SIGTERM');
  }
}

/** After this many deaths in a row before listening, the primary gives up. */
const MAX_EARLY_DEATHS = 5;

/**
 * Options of `runPrimary`.
 *
 * @example
 * ```ts
 * const code = await runPrimary({ workers: 4, argv: process.argv.slice(2), clock: reactor });
 * ```
 */
export interface PrimaryOptions {
  /** How many workers. */
  readonly workers: number;
  /** The arguments each worker runs `twist` with (the primary's own). */
  readonly argv: readonly string[];
  /** Schedules restarts. */
  readonly clock: IReactorTime;
  /** Default `process`. */
  readonly signals?: SignalSource;
}

interface Slot {
  readonly id: number;
  worker: Worker | null;
  failures: number;
  listened: boolean;
  restart: IDelayedCall | null;
}

/**
 * Runs the primary until every worker has exited after a shutdown signal; resolves to the exit
 * code (0, or 1 when workers kept dying before listening).
 *
 * @example
 * ```ts
 * process.exitCode = await runPrimary({ workers: 4, argv: process.argv.slice(2), clock: reactor });
 * ```
 */
export function runPrimary(options: PrimaryOptions): Promise<number> {
  const signals = options.signals ?? (process as unknown as SignalSource);
  const self = fileURLToPath(import.meta.url);
  cluster.setupPrimary({
    exec: self.replace(/workers(\.[cm]?[jt]s)$/, `twist-bin${extname(self)}`),
    args: [...options.argv],
  });
  const retry = backoffPolicy({ initialDelay: 0.5, maxDelay: 30 });
  const slots: Slot[] = [];
  let shuttingDown = false;
  let exitCode = 0;
  let requests = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });

  const live = (): Worker[] => slots.flatMap((s) => (s.worker === null ? [] : [s.worker]));
  const checkDone = (): void => {
    if (shuttingDown && live().length === 0) finish();
  };

  const fork = (slot: Slot): void => {
    slot.restart = null;
    slot.listened = false;
    const worker = cluster.fork({ [WORKER_ID_ENV]: String(slot.id) });
    slot.worker = worker;
    worker.on('listening', (address: { address?: string | null; port?: number }) => {
      log.info('Worker {id} (pid {pid}) is listening on {address}', {
        id: slot.id,
        pid: worker.process.pid,
        address:
          address.port === undefined ? String(address.address) : `${address.address ?? '*'}:${address.port}`,
      });
      slot.listened = true;
      slot.failures = 0;
    });
    worker.on('exit', (code: number | null, signal: string | null) => {
      slot.worker = null;
      if (shuttingDown) {
        log.info('Worker {id} (pid {pid}) exited', { id: slot.id, pid: worker.process.pid });
        checkDone();
        return;
      }
      slot.failures += 1;
      const how = signal === null ? `exit code ${code}` : `signal ${signal}`;
      if (!slot.listened && slot.failures >= MAX_EARLY_DEATHS) {
        log.critical('Worker {id} died {n} times before listening ({how}); giving up', {
          id: slot.id,
          n: slot.failures,
          how,
        });
        exitCode = 1;
        shutdown();
        return;
      }
      const delay = retry(slot.failures - 1);
      log.warn('Worker {id} (pid {pid}) died ({how}); restarting in {delay}s', {
        id: slot.id,
        pid: worker.process.pid,
        how,
        delay: Math.round(delay * 100) / 100,
      });
      slot.restart = options.clock.callLater(delay, fork, slot);
    });
  };

  const shutdown = (): void => {
    shuttingDown = true;
    for (const slot of slots) {
      if (slot.restart?.active()) slot.restart.cancel();
      slot.restart = null;
    }
    for (const slot of slots) {
      if (slot.worker === null) continue;
      // A worker that is not listening yet may not handle messages yet either: SIGTERM stops it
      // gracefully once its handlers are installed, and ends it before that.
      if (slot.listened) tell(slot.worker, WORKER_MESSAGES.shutdown);
      else slot.worker.process.kill('SIGTERM');
    }
    checkDone();
  };

  const onSignal = (signal: string): void => {
    requests += 1;
    if (requests === 1) {
      log.info('Received {signal}: stopping {n} worker(s) gracefully', { signal, n: live().length });
      shutdown();
    } else {
      log.warn('Received {signal} again: workers abort their connections now', { signal });
      for (const worker of live()) tell(worker, WORKER_MESSAGES.abort);
    }
  };

  for (const event of ['SIGTERM', 'SIGINT']) signals.on(event, onSignal);
  log.info('Starting {n} workers', { n: options.workers });
  for (let id = 1; id <= options.workers; id++) {
    const slot: Slot = { id, worker: null, failures: 0, listened: false, restart: null };
    slots.push(slot);
    fork(slot);
  }
  return finished.then(() => {
    for (const event of ['SIGTERM', 'SIGINT']) signals.off(event, onSignal);
    log.info('All workers stopped');
    return exitCode;
  });
}
