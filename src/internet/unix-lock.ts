/**
 * The lock file of a listening UNIX socket, as Twisted's `listenUNIX(wantPID=True)` keeps it:
 * `PATH.lock`, a symbolic link made atomically whose target is the owner's pid. A server that
 * dies leaves both files behind; the next one finds the lock's owner gone, breaks the lock and
 * removes the dead server's socket file before binding. A lock whose owner is alive is never
 * broken, so a live server's socket is never removed. Binding stays synchronous (no probe).
 *
 * Every server on the path must use the lock for it to protect them (the `unix:` endpoint does by
 * default). Two servers starting at the very moment a dead owner's lock is found can both break it,
 * as with Twisted's `FilesystemLock`.
 *
 * @example
 * ```ts
 * import { listenUNIX } from 'twisted-ts/internet';
 * listenUNIX('/run/app.sock', factory, { lockfile: true }); // takes /run/app.sock.lock
 * ```
 * @module
 */
import { lstatSync, readlinkSync, symlinkSync, unlinkSync } from 'node:fs';
import { CannotListenError } from './error.js';

/** Lock paths this process holds: a lock naming our pid but not in here is a previous life's. */
const held = new Set<string>();

function ownerAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function unlinkIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/**
 * A held lock on a UNIX socket path.
 *
 * @example
 * ```ts
 * const lock = UNIXSocketLock.acquire('/run/app.sock');
 * try { bind(); } catch (err) { lock.release(); throw err; }
 * ```
 */
export class UNIXSocketLock {
  /** The lock file: the socket path plus `.lock`. */
  readonly path: string;
  /** True when a dead owner's lock was broken and its socket file removed. */
  readonly brokeStaleLock: boolean;
  #released = false;

  private constructor(path: string, brokeStaleLock: boolean) {
    this.path = path;
    this.brokeStaleLock = brokeStaleLock;
  }

  /**
   * Takes the lock of `socketPath`, breaking a dead owner's (and then removing the socket file it
   * left). Throws `CannotListenError` when a live process holds it.
   *
   * @example
   * ```ts
   * const lock = UNIXSocketLock.acquire('/tmp/app.sock');
   * ```
   */
  static acquire(socketPath: string): UNIXSocketLock {
    const lockPath = `${socketPath}.lock`;
    let broke = false;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        symlinkSync(String(process.pid), lockPath);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new CannotListenError(
            `Could not create the lock file ${lockPath}: ${(err as Error).message}`,
            {
              cause: err,
            },
          );
        }
        let target: string;
        try {
          target = readlinkSync(lockPath);
        } catch (readError) {
          if ((readError as NodeJS.ErrnoException).code === 'ENOENT') continue; // released meanwhile
          throw new CannotListenError(`${lockPath} is in the way and is not a lock file.`, {
            cause: readError,
          });
        }
        const pid = Number(target);
        if (!Number.isSafeInteger(pid) || pid <= 0) {
          throw new CannotListenError(`${lockPath} is in the way and does not name a process.`);
        }
        const ours = pid === process.pid && held.has(lockPath);
        if (ours || (pid !== process.pid && ownerAlive(pid))) {
          throw new CannotListenError(
            `Could not listen on UNIX socket ${JSON.stringify(socketPath)}: process ${pid} holds ${lockPath}.`,
            { cause: Object.assign(new Error('EADDRINUSE'), { code: 'EADDRINUSE' }) },
          );
        }
        unlinkIfPresent(lockPath);
        broke = true;
        continue;
      }
      held.add(lockPath);
      if (broke) removeSocketFile(socketPath);
      return new UNIXSocketLock(lockPath, broke);
    }
    throw new CannotListenError(`Could not take ${lockPath}: other processes keep changing it.`);
  }

  /**
   * Removes the lock file (once).
   *
   * @example
   * ```ts
   * await port.stopListening(); // releases the lock
   * ```
   */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    held.delete(this.path);
    try {
      unlinkIfPresent(this.path);
    } catch {}
  }
}

/** Removes the socket a dead owner left (only a socket: any other file stays). */
function removeSocketFile(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {}
}
