/**
 * Runs the `twist` bin as a child process (through tsx, so no build is needed) and lets a test
 * wait for lines of its output and for its exit. Every wait has a real-time guard that fails the
 * test loudly instead of hanging.
 *
 * @example
 * ```ts
 * const twist = startTwist(['echo', '--listen', 'tcp:0:interface=127.0.0.1']);
 * t.after(() => twist.kill());
 * const [, port] = await twist.waitFor(/Listening on 127\.0\.0\.1:(\d+)/);
 * ```
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BIN = join(ROOT, 'src', 'cli', 'twist-bin.ts');
const GUARD_MS = 20_000;

/** A running `twist`. */
export interface TwistProcess {
  readonly child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves with the first match of `re` in the output (now or later). */
  waitFor(re: RegExp): Promise<RegExpMatchArray>;
  /** Resolves with every match of the global `re` once there are at least `count`. */
  waitForAll(re: RegExp, count: number): Promise<RegExpMatchArray[]>;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
  /** Sends `signal` to the child if still running; SIGKILL (the default) goes to its whole process group. */
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Starts `twist ARGS…` from the sources; `command` runs another way of starting it instead (the
 * installed bin: `['npx', '--no-install', 'twist']`), and `guardMs` is how long each wait may take
 * (default 20 s; `npx` first installs the package into its cache, which takes longer on a busy
 * machine). The child leads its own process group, so `kill()` also reaches what it started (the
 * service `npx` runs): no orphan keeps the test's pipes, and the test runner, alive.
 *
 * @example
 * ```ts
 * const twist = startTwist(['--help']);
 * assert.equal(await twist.exited, 0);
 * ```
 */
export function startTwist(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  command: readonly string[] = [process.execPath, '--import', 'tsx', BIN],
  guardMs = GUARD_MS,
): TwistProcess {
  const [file, ...before] = command as [string, ...string[]];
  const child = spawn(file, [...before, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let text = '';
  let listeners: (() => void)[] = [];
  const onData = (chunk: Buffer): void => {
    text += chunk.toString('utf8');
    for (const l of listeners) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let hasExited = false;
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      hasExited = true;
      resolve(code ?? signal ?? -1);
      for (const l of listeners) l();
    });
  });
  const guarded = <T>(what: string, check: () => T | undefined): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const attempt = (): void => {
        const found = check();
        if (found === undefined && !hasExited) return;
        clearTimeout(timer);
        listeners = listeners.filter((l) => l !== attempt);
        if (found !== undefined) resolve(found);
        else reject(new Error(`twist ${args.join(' ')} exited without ${what}; output:\n${text}`));
      };
      const timer = setTimeout(() => {
        listeners = listeners.filter((l) => l !== attempt);
        reject(new Error(`twist ${args.join(' ')}: no ${what} within ${guardMs}ms; output:\n${text}`));
      }, guardMs);
      listeners.push(attempt);
      attempt();
    });
  return {
    child,
    output: () => text,
    waitFor: (re) => guarded(String(re), () => text.match(re) ?? undefined),
    waitForAll: (re, count) =>
      guarded(`${count} × ${re}`, () => {
        const all = [...text.matchAll(re)];
        return all.length >= count ? all : undefined;
      }),
    exited: Promise.race([
      exited,
      new Promise<never>((_, reject) => {
        const t = setTimeout(
          () => reject(new Error(`twist ${args.join(' ')} did not exit; output:\n${text}`)),
          guardMs * 2,
        );
        t.unref();
      }),
    ]),
    kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (signal === 'SIGKILL') {
        // The whole group: whatever the child started dies with it, even once the child is gone.
        try {
          process.kill(-(child.pid as number), 'SIGKILL');
        } catch {
          // Nothing left in the group.
        }
      } else if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

/** A connected client socket that collects what it receives. */
export interface Client {
  readonly socket: Socket;
  /** Resolves once at least `text` has been received in total (since the last `clear`). */
  received(text: string): Promise<void>;
  /** Resolves once the server closed the connection. */
  closed: Promise<void>;
}

/**
 * Connects to 127.0.0.1:`port`.
 *
 * @example
 * ```ts
 * const c = await client(port);
 * c.socket.write('hi');
 * await c.received('hi');
 * ```
 */
export function client(port: number): Promise<Client> {
  return new Promise((resolve, reject) => {
    let data = '';
    let listeners: (() => void)[] = [];
    const socket = connect(port, '127.0.0.1');
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
      for (const l of listeners) l();
    });
    socket.once('error', reject);
    socket.once('connect', () =>
      resolve({
        socket,
        closed,
        received: (text) =>
          new Promise<void>((done) => {
            const check = (): void => {
              if (data.includes(text)) {
                listeners = listeners.filter((l) => l !== check);
                done();
              }
            };
            listeners.push(check);
            check();
          }),
      }),
    );
  });
}
