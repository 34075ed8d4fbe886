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
    /** The program that could not be started, as given to `spawnProcess`. */
    readonly executable: string,
    /** The system error code, such as `'ENOENT'` (not found) or `'EACCES'` (not executable). */
    readonly errno: string,
    cause: unknown,
  ) {
    super(null, null, `Could not start process '${executable}': ${errno}.`);
    this.name = 'ProcessSpawnError';
    this.cause = cause;
  }
}

/**
 * The address a process transport reports for both ends.
 *
 * @example
 * ```ts
 * if (transport.getPeer().type === 'PROCESS') console.log('talking to a child process');
 * ```
 */
export interface ProcessAddress {
  /** Always `'PROCESS'`: a pipe to a child has no network address. */
  readonly type: 'PROCESS';
}

/**
 * A child process as its protocol sees it; Twisted's `IProcessTransport`.
 *
 * @example
 * ```ts
 * class Sort extends ProcessProtocol {
 *   override connectionMade() { this.transport!.write('b\na\n'); this.transport!.closeStdin(); }
 * }
 * ```
 */
export interface IProcessTransport extends ITransport, IConsumer, IPushProducer {
  /** The child's process id; `null` once it exited or when it could not be started. */
  readonly pid: number | null;
  /** Writes to the child's file descriptor `fd` (one the parent writes: `'w'` in `childFDs`). */
  writeToChild(fd: number, data: Uint8Array | string): void;
  /** Closes our end of the child's `fd`. */
  closeChildFD(fd: number): void;
  /** Closes the child's standard input: the end of input it waits for (`sort`, `cat`). */
  closeStdin(): void;
  /** Stops reading the child's standard output; the child gets `EPIPE`/`SIGPIPE` if it writes more. */
  closeStdout(): void;
  /** Stops reading the child's standard error. */
  closeStderr(): void;
  /** Sends a signal: `'TERM'`, `'KILL'`, `'INT'`, `'HUP'`… (with or without `SIG`), or a number. */
  signalProcess(signal: string | number): void;
}

/**
 * What `spawnProcess` drives; Twisted's `IProcessProtocol`. `ProcessProtocol` implements it;
 * extend that rather than implementing this.
 *
 * @example
 * ```ts
 * const proto: IProcessProtocol = {
 *   makeConnection: (t) => t.closeStdin(),
 *   childDataReceived: (_fd, data) => process.stdout.write(data),
 *   childConnectionLost: () => {},
 *   processExited: () => {},
 *   processEnded: (reason) => console.log('ended:', reason.message),
 * };
 * spawnProcess(proto, 'ls', ['ls']);
 * ```
 */
export interface IProcessProtocol {
  /** Called once with the started process (or one that failed to start, `pid` null). */
  makeConnection(transport: IProcessTransport): void;
  /** Bytes the child wrote to its file descriptor `fd` (1 stdout, 2 stderr, or an extra `'r'` fd). */
  childDataReceived(fd: number, data: Buffer): void;
  /** The pipe of the child's `fd` closed (the child closed it or exited). */
  childConnectionLost(fd: number): void;
  /** The process exited; output may still arrive through pipes a grandchild holds open. */
  processExited(reason: Error): void;
  /** The process exited and every pipe closed: nothing more will happen. `reason` as in `processExited`. */
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
