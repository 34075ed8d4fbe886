/**
 * `--pidfile PATH`: refuses to start when a live process owns the file, replaces a stale one, and
 * removes it on exit (only if it still holds our pid).
 *
 * @example
 * ```ts
 * const pidfile = acquirePidfile('/run/twist.pid');
 * try { await serve(); } finally { pidfile.release(); }
 * ```
 * @module
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';

/**
 * Another live process owns the pidfile.
 *
 * @example
 * ```ts
 * try { acquirePidfile(path); } catch (err) { if (err instanceof PidfileInUseError) return 1; }
 * ```
 */
export class PidfileInUseError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'ERR_PIDFILE_IN_USE';
  constructor(
    readonly path: string,
    readonly pid: number,
  ) {
    super(`${path} says process ${pid} is running: refusing to start (remove the file if it is stale)`);
    this.name = 'PidfileInUseError';
  }
}

/**
 * A pidfile we hold.
 *
 * @example
 * ```ts
 * const pid = acquirePidfile('twist.pid'); try { await run(); } finally { pid.release(); }
 * ```
 */
export interface Pidfile {
  readonly path: string;
  /** Removes the file if it still holds our pid. Idempotent. */
  release(): void;
}

/**
 * True when a process with `pid` exists (signal 0 probes without signalling; EPERM means it
 * exists but belongs to someone else).
 *
 * @example
 * ```ts
 * isProcessAlive(process.pid); // true
 * ```
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Writes `pid` to `path`, created exclusively. An existing file naming a live process other than
 * `pid` throws `PidfileInUseError`; a stale or unreadable one is replaced.
 *
 * @example
 * ```ts
 * const pidfile = acquirePidfile(options.pidfile);
 * process.on('exit', () => pidfile.release());
 * ```
 */
export function acquirePidfile(path: string, pid: number = process.pid): Pidfile {
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, `${pid}\n`, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
      const owner = readPid(path);
      if (owner !== null && owner !== pid && isProcessAlive(owner)) throw new PidfileInUseError(path, owner);
      unlinkSync(path);
    }
  }
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      if (readPid(path) === pid) {
        try {
          unlinkSync(path);
        } catch {
          // Already gone: nothing to clean up.
        }
      }
    },
  };
}
