/**
 * Run-a-program helpers, Twisted's `twisted.internet.utils`: `getProcessOutput`,
 * `getProcessValue` and `getProcessOutputAndValue`. Unlike `spawnProcess`, `args` here does not
 * include `argv[0]` (the executable is used as `argv[0]`), as in Twisted. `env` defaults to a copy
 * of `process.env` (see `spawnProcess`). A program that cannot be started errbacks the Deferred
 * with `ProcessSpawnError`.
 *
 * @example
 * ```ts
 * import { getProcessOutput } from 'twisted-ts/internet';
 * const out = await getProcessOutput('git', ['rev-parse', 'HEAD']);
 * ```
 * @module
 */
import { Deferred } from './defer.js';
import { ProcessTerminated, TwistedError } from './error.js';
import { type Process, type SpawnProcessOptions, spawnProcess } from './process.js';
import { ProcessProtocol, ProcessSpawnError } from './process-protocol.js';

/**
 * `getProcessOutput` without `errortoo`: the program wrote to standard error.
 *
 * @example
 * ```ts
 * getProcessOutput('ls', ['/nope']).addErrback((err) => trap(err, ProcessStderrError).name);
 * ```
 */
export class ProcessStderrError extends TwistedError {
  constructor(
    /** The first chunk the program wrote to standard error (often the useful error message). */
    readonly stderr: Buffer,
  ) {
    super(`got stderr: ${JSON.stringify(stderr.toString('latin1'))}`, 'ERR_PROCESS_STDERR');
  }
}

/**
 * `getProcessOutputAndValue`: the program was killed by a signal; what it wrote is kept.
 *
 * @example
 * ```ts
 * getProcessOutputAndValue('sh', ['-c', 'kill $$']).addErrback((err) => (err as ProcessKilledError).signal);
 * ```
 */
export class ProcessKilledError extends TwistedError {
  constructor(
    /** Everything the program wrote to standard output before it died. */
    readonly stdout: Buffer,
    /** Everything the program wrote to standard error before it died. */
    readonly stderr: Buffer,
    /** The signal's name, such as `'SIGTERM'` or `'SIGKILL'`. */
    readonly signal: string,
  ) {
    super(`The process was killed by ${signal}.`, 'ERR_PROCESS_KILLED');
  }
}

/**
 * Options of the `getProcess*` helpers.
 *
 * @example
 * ```ts
 * const env = { ...process.env, CI: '1' };
 * const code = await getProcessValue('make', ['test'], { path: projectDir, env });
 * ```
 */
export interface ProcessOutputOptions {
  /** The child's environment (default: a copy of `process.env`). */
  readonly env?: SpawnProcessOptions['env'];
  /** The child's working directory. */
  readonly path?: string;
  /** Accepted for Twisted's shape; unused. */
  readonly reactor?: unknown;
}

/** Collects a child's output and hands its end to a function. */
class Collector extends ProcessProtocol {
  readonly out: Buffer[] = [];
  readonly err: Buffer[] = [];
  constructor(
    readonly onEnd: (reason: Error, c: Collector) => void,
    readonly onErr: ((data: Buffer, c: Collector) => void) | null = null,
  ) {
    super();
  }
  override outReceived(data: Buffer): void {
    this.out.push(data);
  }
  override errReceived(data: Buffer): void {
    if (this.onErr !== null) this.onErr(data, this);
    else this.err.push(data);
  }
  override processEnded(reason: Error): void {
    this.onEnd(reason, this);
  }
}

function run(
  executable: string,
  args: readonly string[],
  options: ProcessOutputOptions,
  proto: Collector,
): Process {
  const spawnOptions: SpawnProcessOptions = {
    ...(options.env !== undefined ? { env: options.env } : {}),
    ...(options.path !== undefined ? { path: options.path } : {}),
  };
  const proc = spawnProcess(proto, executable, [executable, ...args], spawnOptions);
  proc.closeStdin();
  return proc;
}

/**
 * Runs a program and fires with its standard output. Anything on standard error errbacks with
 * `ProcessStderrError` (and closes the pipes) unless `errortoo` is set, which mixes standard error
 * into the output instead. The exit code is not checked, as in Twisted.
 *
 * @example
 * ```ts
 * const listing = (await getProcessOutput('ls', ['-1', '/tmp'])).toString();
 * ```
 */
export function getProcessOutput(
  executable: string,
  args: readonly string[] = [],
  options: ProcessOutputOptions & { readonly errortoo?: boolean } = {},
): Deferred<Buffer> {
  const d = new Deferred<Buffer>();
  const onErr = options.errortoo
    ? (data: Buffer, c: Collector) => c.out.push(data)
    : (data: Buffer, c: Collector) => {
        if (d.called) return;
        d.errback(new ProcessStderrError(data));
        c.transport?.loseConnection();
      };
  const proto = new Collector((reason, c) => {
    if (d.called) return;
    if (reason instanceof ProcessSpawnError) d.errback(reason);
    else d.callback(Buffer.concat(c.out));
  }, onErr);
  run(executable, args, options, proto);
  return d;
}

/**
 * Runs a program and fires with its exit code (`null` when a signal killed it).
 *
 * @example
 * ```ts
 * const code = await getProcessValue('test', ['-d', '/tmp']); // 0
 * ```
 */
export function getProcessValue(
  executable: string,
  args: readonly string[] = [],
  options: ProcessOutputOptions = {},
): Deferred<number | null> {
  const d = new Deferred<number | null>();
  run(
    executable,
    args,
    options,
    new Collector((reason) => {
      if (reason instanceof ProcessSpawnError) d.errback(reason);
      else d.callback(reason instanceof ProcessTerminated ? reason.exitCode : 0);
    }),
  );
  return d;
}

/**
 * Runs a program and fires with `[stdout, stderr, exitCode]`; errbacks with `ProcessKilledError`
 * (carrying both outputs and the signal) when a signal killed it.
 *
 * @example
 * ```ts
 * const [out, err, code] = await getProcessOutputAndValue('python3', ['-c', 'print(1)']);
 * ```
 */
export function getProcessOutputAndValue(
  executable: string,
  args: readonly string[] = [],
  options: ProcessOutputOptions = {},
): Deferred<[Buffer, Buffer, number]> {
  const d = new Deferred<[Buffer, Buffer, number]>();
  const proto = new Collector((reason, c) => {
    const out = Buffer.concat(c.out);
    const err = Buffer.concat(c.err);
    if (reason instanceof ProcessSpawnError) d.errback(reason);
    else if (reason instanceof ProcessTerminated && reason.signal !== null) {
      d.errback(new ProcessKilledError(out, err, reason.signal));
    } else d.callback([out, err, reason instanceof ProcessTerminated ? (reason.exitCode ?? 0) : 0]);
  });
  run(executable, args, options, proto);
  return d;
}
