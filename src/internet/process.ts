/**
 * Child processes: `spawnProcess(protocol, executable, args)` starts a program and connects a
 * `ProcessProtocol` to its pipes, as Twisted's `reactor.spawnProcess` does, over
 * `node:child_process`.
 *
 * Mapping onto Node: `args` includes `argv[0]` as in Twisted, so the call is
 * `spawn(executable, args.slice(1), { argv0: args[0] })`. `path` is the working directory.
 *
 * Deviations from Twisted, on purpose:
 * - `env` defaults to a copy of `process.env` (Twisted's default is an empty environment, where
 *   even `PATH` is missing); pass `env: {}` for Twisted's behaviour.
 * - `usePTY: true` throws `PTYNotSupportedError` (Node has no pty without a native add-on).
 * - A program that cannot be started (`ENOENT`, `EACCES`…) does not throw: the protocol gets
 *   `processExited` and `processEnded` with a `ProcessSpawnError` naming the executable. Invalid
 *   arguments, and the few failures Node reports synchronously (such as `EPERM` for `uid`), throw
 *   from `spawnProcess`.
 * - Signals are reported by name (`reason.signal === 'SIGTERM'`), not number.
 *
 * @example
 * ```ts
 * import { ProcessProtocol, spawnProcess } from 'twisted-ts/internet';
 * const p = spawnProcess(new MyProtocol(), 'git', ['git', 'status'], { path: '/repo' });
 * p.closeStdin();
 * ```
 * @module
 */
import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { ProcessDone, ProcessTerminated } from './error.js';
import { reportError } from './error-reporter.js';
import type { IPullProducer, IPushProducer } from './interfaces.js';
import {
  type IProcessProtocol,
  type IProcessTransport,
  type ProcessAddress,
  ProcessExitedAlready,
  ProcessSpawnError,
  PTYNotSupportedError,
} from './process-protocol.js';

/**
 * How the child's file descriptor is connected: `'r'` we read it, `'w'` we write it, a number: the parent's fd it inherits.
 *
 * @example
 * ```ts
 * // stdin and stdout are pipes, stderr is ours, and we read a status pipe on the child's fd 3
 * const childFDs: Record<number, ChildFD> = { 0: 'w', 1: 'r', 2: 2, 3: 'r' };
 * spawnProcess(proto, 'worker', ['worker', '--status-fd=3'], { childFDs });
 * ```
 */
export type ChildFD = 'r' | 'w' | number;

/**
 * Options of `spawnProcess`.
 *
 * @example
 * ```ts
 * spawnProcess(proto, 'git', ['git', 'status'], { path: repoDir, env: { ...process.env, LC_ALL: 'C' } });
 * ```
 */
export interface SpawnProcessOptions {
  /** The child's environment (default: a copy of `process.env`; Twisted's default is `{}`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The child's working directory (default: ours). */
  readonly path?: string;
  /** Run the child as this user id (needs privileges; default: ours). */
  readonly uid?: number;
  /** Run the child with this group id (needs privileges; default: ours). */
  readonly gid?: number;
  /** Must be false: pseudo-terminals are not supported. */
  readonly usePTY?: boolean;
  /** The child's file descriptors (default `{ 0: 'w', 1: 'r', 2: 'r' }`); fds left out are not opened. */
  readonly childFDs?: Readonly<Record<number, ChildFD>>;
  /** Accepted for Twisted's shape; Node's child_process needs no reactor. */
  readonly reactor?: unknown;
}

const DEFAULT_FDS: Readonly<Record<number, ChildFD>> = { 0: 'w', 1: 'r', 2: 'r' };
const ADDRESS: ProcessAddress = Object.freeze({ type: 'PROCESS' });

/**
 * A running child process: the transport of its `ProcessProtocol`. Made by `spawnProcess`.
 *
 * @example
 * ```ts
 * const p = spawnProcess(proto, 'cat', ['cat']);
 * p.write('hello\n');
 * p.closeStdin();
 * ```
 */
export class Process implements IProcessTransport {
  #child: ChildProcess;
  readonly #protocol: IProcessProtocol;
  readonly #executable: string;
  /** Open pipes, by child fd. */
  readonly #readers = new Map<number, Readable>();
  readonly #writers = new Map<number, Writable>();
  #pid: number | null;
  #exitReason: Error | null = null;
  #ended = false;
  #producer: IPushProducer | IPullProducer | null = null;
  #streaming = false;
  #producerPaused = false;
  #pullScheduled = false;

  /** Starts the process (used by `spawnProcess`; the protocol is connected by it). */
  constructor(
    protocol: IProcessProtocol,
    executable: string,
    args: readonly string[],
    options: SpawnProcessOptions,
  ) {
    this.#protocol = protocol;
    this.#executable = executable;
    const fds = options.childFDs ?? DEFAULT_FDS;
    const max = Math.max(2, ...Object.keys(fds).map(Number));
    const stdio: StdioOptions = [];
    for (let fd = 0; fd <= max; fd++) {
      const spec = fds[fd];
      stdio.push(spec === undefined ? 'ignore' : typeof spec === 'number' ? spec : 'pipe');
    }
    const spawnOptions = {
      argv0: args[0] ?? executable,
      env: { ...(options.env ?? process.env) },
      stdio,
      ...(options.path !== undefined ? { cwd: options.path } : {}),
      ...(options.uid !== undefined ? { uid: options.uid } : {}),
      ...(options.gid !== undefined ? { gid: options.gid } : {}),
    };
    this.#child = spawn(executable, args.slice(1), spawnOptions);
    this.#pid = this.#child.pid ?? null;
    for (let fd = 0; fd <= max; fd++) {
      const spec = fds[fd];
      const stream = this.#child.stdio[fd];
      if (stream === null || stream === undefined) continue;
      if (spec === 'r') this.#attachReader(fd, stream as Readable);
      else if (spec === 'w') this.#attachWriter(fd, stream as Writable);
    }
    this.#child.on('error', (err: NodeJS.ErrnoException) => this.#onError(err));
    this.#child.on('exit', (code, signal) => this.#onExit(code, signal));
  }

  #attachReader(fd: number, stream: Readable): void {
    this.#readers.set(fd, stream);
    stream.on('data', (data: Buffer) =>
      this.#call('childDataReceived', () => this.#protocol.childDataReceived(fd, data)),
    );
    stream.on('error', () => stream.destroy());
    stream.on('close', () => this.#fdLost(fd));
  }

  #attachWriter(fd: number, stream: Writable): void {
    this.#writers.set(fd, stream);
    // EPIPE when the child stops reading: the pipe closes, which `childConnectionLost` reports.
    stream.on('error', () => stream.destroy());
    stream.on('close', () => this.#fdLost(fd));
    if (fd === 0) stream.on('drain', () => this.#resumeProducer());
  }

  #call(hook: string, f: () => void): void {
    try {
      f();
    } catch (err) {
      reportError(err, `ProcessProtocol.${hook}`);
    }
  }

  #fdLost(fd: number): void {
    if (!this.#readers.delete(fd) && !this.#writers.delete(fd)) return;
    this.#call('childConnectionLost', () => this.#protocol.childConnectionLost(fd));
    this.#maybeEnded();
  }

  #onError(err: NodeJS.ErrnoException): void {
    if (this.#pid === null && this.#exitReason === null) {
      // spawn failed: no process, no 'exit' event.
      this.#setExited(new ProcessSpawnError(this.#executable, err.code ?? 'EUNKNOWN', err));
      for (const s of [...this.#readers.values(), ...this.#writers.values()]) s.destroy();
      return;
    }
    reportError(err, `process ${this.#executable}`);
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.#setExited(code === 0 ? new ProcessDone() : new ProcessTerminated(code, signal));
    // Nobody reads the child's input any more: close our end as Twisted does.
    for (const s of this.#writers.values()) s.destroy();
  }

  #setExited(reason: Error): void {
    if (this.#exitReason !== null) return;
    this.#exitReason = reason;
    this.#pid = null;
    this.#call('processExited', () => this.#protocol.processExited(reason));
    this.#maybeEnded();
  }

  #maybeEnded(): void {
    const reason = this.#exitReason;
    if (reason === null || this.#ended || this.#readers.size > 0 || this.#writers.size > 0) return;
    this.#ended = true;
    this.#call('processEnded', () => this.#protocol.processEnded(reason));
  }

  /**
   * The child's process id; `null` once it exited or when it could not be started.
   *
   * @example
   * ```ts
   * console.log(proc.pid);
   * ```
   */
  get pid(): number | null {
    return this.#pid;
  }

  /**
   * Writes to the child's standard input.
   *
   * @example
   * ```ts
   * proc.write('input line\n');
   * ```
   */
  write(data: Uint8Array | string): void {
    this.writeToChild(0, data);
  }

  /**
   * Writes several chunks to standard input in one go.
   *
   * @example
   * ```ts
   * proc.writeSequence(['a', 'b']);
   * ```
   */
  writeSequence(data: readonly (Uint8Array | string)[]): void {
    const stream = this.#writers.get(0);
    if (stream === undefined) return;
    stream.cork();
    for (const chunk of data) this.writeToChild(0, chunk);
    stream.uncork();
  }

  /**
   * Writes to the child's `fd` (declared `'w'` in `childFDs`).
   *
   * @example
   * ```ts
   * proc.writeToChild(3, 'control message');
   * ```
   */
  writeToChild(fd: number, data: Uint8Array | string): void {
    const stream = this.#writers.get(fd);
    if (stream === undefined || stream.writableEnded) return;
    const more = stream.write(data);
    if (fd !== 0 || this.#producer === null) return;
    if (!more) this.#pauseProducer();
    else if (!this.#streaming) this.#schedulePull();
  }

  /**
   * Closes our end of the child's `fd` (after pending writes, for one we write).
   *
   * @example
   * ```ts
   * proc.closeChildFD(3);
   * ```
   */
  closeChildFD(fd: number): void {
    const writer = this.#writers.get(fd);
    if (writer !== undefined) writer.end();
    this.#readers.get(fd)?.destroy();
  }

  /**
   * Closes the child's standard input once what was written is sent (the child sees EOF).
   *
   * @example
   * ```ts
   * proc.closeStdin();
   * ```
   */
  closeStdin(): void {
    this.closeChildFD(0);
  }

  /**
   * Stops reading the child's standard output.
   *
   * @example
   * ```ts
   * proc.closeStdout();
   * ```
   */
  closeStdout(): void {
    this.closeChildFD(1);
  }

  /**
   * Stops reading the child's standard error.
   *
   * @example
   * ```ts
   * proc.closeStderr();
   * ```
   */
  closeStderr(): void {
    this.closeChildFD(2);
  }

  /** Closes standard input (after what was written), standard error and standard output. */
  loseConnection(): void {
    this.closeStdin();
    this.closeStderr();
    this.closeStdout();
  }

  /** Closes every pipe at once, discarding unsent input; the process is not signalled. */
  abortConnection(): void {
    for (const s of [...this.#writers.values(), ...this.#readers.values()]) s.destroy();
  }

  /**
   * Sends a signal (`'TERM'`, `'SIGKILL'`, `9`…); throws `ProcessExitedAlready` once the process is gone.
   *
   * @example
   * ```ts
   * proc.signalProcess('TERM');
   * ```
   */
  signalProcess(signal: string | number): void {
    if (this.#pid === null) throw new ProcessExitedAlready();
    const name =
      typeof signal === 'number'
        ? signal
        : ((signal.startsWith('SIG') ? signal : `SIG${signal}`) as NodeJS.Signals);
    if (!this.#child.kill(name)) throw new ProcessExitedAlready();
  }

  /** `{ type: 'PROCESS' }`: a child has no network address. */
  getPeer(): ProcessAddress {
    return ADDRESS;
  }

  /** `{ type: 'PROCESS' }`, as `getPeer`. */
  getHost(): ProcessAddress {
    return ADDRESS;
  }

  /** Stops reading the child's output pipes until `resumeProducing()`. */
  pauseProducing(): void {
    for (const s of this.#readers.values()) s.pause();
  }

  /** Resumes reading the child's output pipes after `pauseProducing()`. */
  resumeProducing(): void {
    for (const s of this.#readers.values()) s.resume();
  }

  /** Closes the pipes as `loseConnection`; the process is not signalled. */
  stopProducing(): void {
    this.loseConnection();
  }

  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    if (this.#producer !== null) throw new Error('A producer is already registered.');
    this.#producer = producer;
    this.#streaming = streaming;
    this.#producerPaused = false;
    if (!streaming) producer.resumeProducing();
  }

  /** Forgets the producer feeding standard input (call it when that producer is done). */
  unregisterProducer(): void {
    this.#producer = null;
  }

  #pauseProducer(): void {
    const p = this.#producer;
    if (p === null || !this.#streaming || this.#producerPaused) return;
    this.#producerPaused = true;
    this.#call('pauseProducing', () => (p as IPushProducer).pauseProducing());
  }

  /** A pull producer is asked for its next chunk once the current write has been accepted. */
  #schedulePull(): void {
    if (this.#pullScheduled) return;
    this.#pullScheduled = true;
    setImmediate(() => {
      this.#pullScheduled = false;
      const p = this.#producer;
      if (p !== null && !this.#streaming && this.#writers.has(0))
        this.#call('resumeProducing', () => p.resumeProducing());
    });
  }

  #resumeProducer(): void {
    const p = this.#producer;
    if (p === null) return;
    if (!this.#streaming) {
      this.#call('resumeProducing', () => p.resumeProducing());
      return;
    }
    if (!this.#producerPaused) return;
    this.#producerPaused = false;
    this.#call('resumeProducing', () => p.resumeProducing());
  }
}

/**
 * Starts `executable` with `args` (`args[0]` is the program's name, as in Twisted) and connects
 * `protocol` to it (`makeConnection` runs before this returns).
 *
 * @example
 * ```ts
 * const proc = spawnProcess(new MyProtocol(), 'sh', ['sh', '-c', 'echo hi'], { env: { PATH: '/bin' } });
 * console.log(proc.pid);
 * ```
 */
export function spawnProcess(
  protocol: IProcessProtocol,
  executable: string,
  args: readonly string[] = [executable],
  options: SpawnProcessOptions = {},
): Process {
  if (options.usePTY === true) throw new PTYNotSupportedError();
  const proc = new Process(protocol, executable, args, options);
  protocol.makeConnection(proc);
  return proc;
}
