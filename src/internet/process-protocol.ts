/**
 * `ProcessProtocol`, the errors of child processes and the `IProcessTransport` contract: what
 * `spawnProcess` drives, with Twisted's names.
 *
 * @example
 * ```ts
 * import { ProcessProtocol, spawnProcess } from 'twisted-ts/internet';
 * class Ls extends ProcessProtocol {
 *   override outReceived(data: Buffer) { process.stdout.write(data); }
 *   override processEnded(reason: Error) { console.log('done:', reason.message); }
 * }
 * spawnProcess(new Ls(), 'ls', ['ls', '-l']);
 * ```
 * @module
 */
import { ProcessTerminated, TwistedError } from './error.js';
import type { IConsumer, IPushProducer, ITransport } from './interfaces.js';

/**
 * `signalProcess` on a process that has already exited.
 *
 * @example
 * ```ts
 * try { proc.signalProcess('TERM'); } catch (err) { trap(err, ProcessExitedAlready); }
 * ```
 */
export class ProcessExitedAlready extends TwistedError {
  constructor(message = 'The process has already exited.') {
    super(message, 'ERR_PROCESS_EXITED_ALREADY');
  }
}

/**
 * `usePTY: true`: Node has no pseudo-terminals without a native add-on.
 *
 * @example
 * ```ts
 * spawnProcess(proto, 'sh', ['sh'], { usePTY: true }); // throws PTYNotSupportedError
 * ```
 */
export class PTYNotSupportedError extends TwistedError {
  constructor(
    message = 'usePTY is not supported: Node has no pseudo-terminal support without a native add-on.',
  ) {
    super(message, 'ERR_PTY_NOT_SUPPORTED');
  }
}

/**
 * The process could not be started (missing executable, permission denied, bad working
 * directory…). It is a `ProcessTerminated` with no exit code, so code that only checks for
 * `ProcessDone` treats it as a failure; `errno` is the system's code (`'ENOENT'`) and `cause` the
 * error from Node.
 *
 * @example
 * ```ts
 * if (reason instanceof ProcessSpawnError && reason.errno === 'ENOENT') console.error('not installed');
 * ```
 */
export class ProcessSpawnError extends ProcessTerminated {
  constructor(
    readonly executable: string,
    readonly errno: string,
    cause: unknown,
  ) {
    super(null, null, `Could not start process '${executable}': ${errno}.`);
    this.name = 'ProcessSpawnError';
    this.cause = cause;
  }
}

/** The address a process transport reports for both ends. */
export interface ProcessAddress {
  readonly type: 'PROCESS';
}

/** A child process as its protocol sees it; Twisted's `IProcessTransport`. */
export interface IProcessTransport extends ITransport, IConsumer, IPushProducer {
  /** The child's process id; `null` once it exited or when it could not be started. */
  readonly pid: number | null;
  /** Writes to the child's file descriptor `fd` (one the parent writes: `'w'` in `childFDs`). */
  writeToChild(fd: number, data: Uint8Array | string): void;
  /** Closes our end of the child's `fd`. */
  closeChildFD(fd: number): void;
  closeStdin(): void;
  closeStdout(): void;
  closeStderr(): void;
  /** Sends a signal: `'TERM'`, `'KILL'`, `'INT'`, `'HUP'`… (with or without `SIG`), or a number. */
  signalProcess(signal: string | number): void;
}

/** What `spawnProcess` drives; Twisted's `IProcessProtocol`. `ProcessProtocol` implements it. */
export interface IProcessProtocol {
  makeConnection(transport: IProcessTransport): void;
  childDataReceived(fd: number, data: Buffer): void;
  childConnectionLost(fd: number): void;
  processExited(reason: Error): void;
  processEnded(reason: Error): void;
}

/**
 * The base class of child-process protocols: override the hooks you need. Twisted's
 * `ProcessProtocol`.
 *
 * Order of events: `connectionMade`, then `childDataReceived` (→ `outReceived`/`errReceived`) and
 * `childConnectionLost` (→ `inConnectionLost`/`outConnectionLost`/`errConnectionLost`) as the
 * pipes deliver and close, `processExited` when the process exits, and `processEnded` last, once
 * it exited and every pipe closed. `reason` is `ProcessDone` (exit code 0) or `ProcessTerminated`
 * (`exitCode`, or `signal` such as `'SIGTERM'`).
 *
 * @example
 * ```ts
 * class Collect extends ProcessProtocol {
 *   out: Buffer[] = [];
 *   override outReceived(data: Buffer) { this.out.push(data); }
 *   override processEnded(reason: Error) { console.log(Buffer.concat(this.out).toString(), reason); }
 * }
 * ```
 */
export class ProcessProtocol implements IProcessProtocol {
  /** The process; set by `makeConnection`. */
  transport: IProcessTransport | null = null;

  /** Called by `spawnProcess` with the new process; calls `connectionMade()`. */
  makeConnection(transport: IProcessTransport): void {
    this.transport = transport;
    this.connectionMade();
  }

  /** Hook: the process was started (`transport.pid` is set unless starting failed). */
  connectionMade(): void {}

  /** Data from the child's `fd`; by default 1 goes to `outReceived`, 2 to `errReceived`. */
  childDataReceived(fd: number, data: Buffer): void {
    if (fd === 1) this.outReceived(data);
    else if (fd === 2) this.errReceived(data);
  }

  /** Hook: data from the child's standard output. */
  outReceived(_data: Buffer): void {}

  /** Hook: data from the child's standard error. */
  errReceived(_data: Buffer): void {}

  /** The pipe of `fd` closed; by default 0, 1, 2 go to `inConnectionLost`, `outConnectionLost`, `errConnectionLost`. */
  childConnectionLost(fd: number): void {
    if (fd === 0) this.inConnectionLost();
    else if (fd === 1) this.outConnectionLost();
    else if (fd === 2) this.errConnectionLost();
  }

  /** Hook: the child's standard input closed. */
  inConnectionLost(): void {}

  /** Hook: the child's standard output closed. */
  outConnectionLost(): void {}

  /** Hook: the child's standard error closed. */
  errConnectionLost(): void {}

  /** Hook: the process exited (its pipes may still be open). */
  processExited(_reason: Error): void {}

  /** Hook: the process exited and all its pipes closed: the last event. */
  processEnded(_reason: Error): void {}
}
