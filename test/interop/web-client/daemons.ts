/**
 * Running real server peers for the client's interop tests: each on 127.0.0.1, on a free port,
 * with a private configuration in a temporary directory, stopped by PID. A missing peer fails the
 * test with the command that installs it.
 *
 * @module
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, watch } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/**
 * Throws, naming the Debian package to install, unless `command` runs.
 *
 * @example
 * ```ts
 * requireCommand('nginx', ['-v'], 'nginx');
 * ```
 */
export function requireCommand(command: string, args: readonly string[], debianPackage: string): void {
  const r = spawnSync(command, args, { stdio: 'ignore' });
  if (r.error !== undefined || r.status !== 0) {
    throw new Error(
      `${command} is missing; install it with: apt-get install --no-install-recommends ${debianPackage}`,
    );
  }
}

/**
 * A TCP port free on 127.0.0.1 right now.
 *
 * @example
 * ```ts
 * const port = await freePort();
 * ```
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * A fresh temporary directory.
 *
 * @example
 * ```ts
 * const dir = tempDir('nginx-');
 * ```
 */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Resolves once `path` exists (watching its directory), or rejects when `child` exits first.
 *
 * @example
 * ```ts
 * await fileAppears(join(dir, 'nginx.pid'), child);
 * ```
 */
export function fileAppears(path: string, child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    const watcher = watch(dirname(path), (_event, name) => {
      if (name === basename(path) && existsSync(path)) done();
    });
    const onExit = (code: number | null): void => {
      watcher.close();
      reject(new Error(`${child.spawnfile} exited with ${code} before it was ready`));
    };
    const done = (): void => {
      watcher.close();
      child.off('exit', onExit);
      resolve();
    };
    child.once('exit', onExit);
    if (existsSync(path)) done();
  });
}

/**
 * Resolves once `child` has written a line matching `pattern` (stdout or stderr).
 *
 * @example
 * ```ts
 * await outputMatches(child, /Accepting connections/);
 * ```
 */
export function outputMatches(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (pattern.test(out)) {
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        child.off('exit', onExit);
        resolve();
      }
    };
    const onExit = (code: number | null): void => {
      reject(new Error(`${child.spawnfile} exited with ${code}: ${out}`));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/**
 * Starts `command` and returns the child (its output piped, so it can be read).
 *
 * @example
 * ```ts
 * const child = launch('tinyproxy', ['-d', '-c', conf]);
 * ```
 */
export function launch(command: string, args: readonly string[]): ChildProcess {
  return spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Stops `child` by its PID (SIGTERM) and waits for it to exit.
 *
 * @example
 * ```ts
 * await stop(child);
 * ```
 */
export async function stop(child: ChildProcess | null): Promise<void> {
  if (child === null || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
  await exited;
}
