/**
 * Endpoints over processes: `StandardIOEndpoint` (a server endpoint whose one "connection" is this
 * program's standard input and output; the `stdio:` description) and `ProcessEndpoint` (a client
 * endpoint whose connection is a child process's stdin/stdout). Twisted's endpoints of the same
 * names.
 *
 * @example
 * ```ts
 * import { ProcessEndpoint, StandardIOEndpoint } from 'twisted-ts/internet';
 * await new StandardIOEndpoint().listen(Factory.forProtocol(Echo)); // talk over stdin/stdout
 * const proto = await new ProcessEndpoint('cat', ['cat']).connect(clientFactory);
 * ```
 * @module
 */
import { Deferred, fail, succeed } from '../defer.js';
import { ConnectionDone, ProcessDone, toError } from '../error.js';
import type {
  IAddress,
  IListeningPort,
  IProtocol,
  IProtocolFactory,
  IPullProducer,
  IPushProducer,
  ITransport,
} from '../interfaces.js';
import { type SpawnProcessOptions, spawnProcess } from '../process.js';
import { type IProcessTransport, ProcessProtocol } from '../process-protocol.js';
import { StandardIO, type StandardIOOptions } from '../stdio.js';
import type { IStreamClientEndpoint, IStreamServerEndpoint } from './interfaces.js';

/** What `StandardIOEndpoint.listen` fires with: stopping it closes the standard I/O connection. */
class StandardIOPort implements IListeningPort {
  readonly transport: StandardIO;
  constructor(transport: StandardIO) {
    this.transport = transport;
  }
  startListening(): void {}
  stopListening(): Deferred<void> {
    this.transport.loseConnection();
    return succeed(undefined);
  }
  getHost(): IAddress {
    return { type: 'PIPE' };
  }
}

/**
 * A server endpoint over standard input and output: `listen()` builds one protocol and connects
 * it to `process.stdin`/`process.stdout` (or the streams given).
 *
 * @example
 * ```ts
 * await new StandardIOEndpoint().listen(Factory.forProtocol(LineEcho));
 * ```
 */
export class StandardIOEndpoint implements IStreamServerEndpoint {
  readonly #options: StandardIOOptions;

  constructor(options: StandardIOOptions = {}) {
    this.#options = options;
  }

  listen(factory: IProtocolFactory): Deferred<IListeningPort> {
    try {
      const proto = factory.buildProtocol({ type: 'PIPE' });
      if (proto === null) return fail(new Error('The factory refused to build a protocol for standard I/O.'));
      return succeed(new StandardIOPort(new StandardIO(proto, this.#options)));
    } catch (err) {
      return fail(toError(err));
    }
  }
}

/**
 * What to do with the child's standard error in `ProcessEndpoint`.
 *
 * @example
 * ```ts
 * const errFlag: StderrHandling = 'drop'; // 'log' (the default) copies it to our stderr
 * const ep = new ProcessEndpoint('ssh', ['ssh', 'host', 'nc', 'localhost', '25'], { errFlag });
 * ```
 */
export type StderrHandling = 'log' | 'drop';

/**
 * Options of `ProcessEndpoint`.
 *
 * @example
 * ```ts
 * const ep = new ProcessEndpoint('ssh', ['ssh', 'host', 'nc', 'localhost', '25'], { errFlag: 'drop' });
 * ```
 */
export interface ProcessEndpointOptions extends SpawnProcessOptions {
  /** The child's standard error: written to our stderr (`'log'`, the default) or dropped. */
  errFlag?: StderrHandling;
}

/**
 * The stream transport a `ProcessEndpoint` protocol sees: writes go to the child's stdin and
 * `loseConnection()` closes it (the connection ends when the child exits).
 */
class ProcessEndpointTransport implements ITransport {
  readonly #process: IProcessTransport;
  constructor(process: IProcessTransport) {
    this.#process = process;
  }
  /** The child's process id. */
  get pid(): number | undefined {
    return (this.#process as { pid?: number }).pid;
  }
  write(data: Uint8Array | string): void {
    this.#process.write(data);
  }
  writeSequence(data: readonly (Uint8Array | string)[]): void {
    this.#process.writeSequence(data);
  }
  loseConnection(): void {
    this.#process.closeStdin();
  }
  abortConnection(): void {
    this.#process.abortConnection();
  }
  getPeer(): IAddress {
    return this.#process.getPeer();
  }
  getHost(): IAddress {
    return this.#process.getHost();
  }
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    this.#process.registerProducer(producer, streaming);
  }
  unregisterProducer(): void {
    this.#process.unregisterProducer();
  }
}

/** Turns process events into stream protocol events. */
class ProcessStreamProtocol extends ProcessProtocol {
  readonly #wrapped: IProtocol;
  readonly #errFlag: StderrHandling;
  readonly #made: Deferred<IProtocol>;

  constructor(wrapped: IProtocol, errFlag: StderrHandling, made: Deferred<IProtocol>) {
    super();
    this.#wrapped = wrapped;
    this.#errFlag = errFlag;
    this.#made = made;
  }

  override makeConnection(transport: IProcessTransport): void {
    super.makeConnection(transport);
    // No pid: the program could not be started; processEnded errbacks connect() with the reason.
    if (transport.pid === null) return;
    this.#wrapped.makeConnection(new ProcessEndpointTransport(transport));
    if (!this.#made.called) this.#made.callback(this.#wrapped);
  }

  override outReceived(data: Buffer): void {
    this.#wrapped.dataReceived(data);
  }

  override errReceived(data: Buffer): void {
    if (this.#errFlag === 'log') process.stderr.write(data);
  }

  override processEnded(reason: Error): void {
    if (!this.#made.called) {
      this.#made.errback(reason);
      return;
    }
    this.#wrapped.connectionLost(reason instanceof ProcessDone ? new ConnectionDone() : reason);
  }
}

/**
 * A client endpoint that runs a program: the protocol writes to its stdin and reads its stdout.
 * `connectionLost` gets `ConnectionDone` when the program exits with 0, `ProcessTerminated`
 * otherwise. A program that cannot be started errbacks `connect()` with `ProcessSpawnError`.
 *
 * @example
 * ```ts
 * const p = await new ProcessEndpoint('ssh', ['ssh', 'host', 'nc', 'localhost', '25']).connect(f);
 * ```
 */
export class ProcessEndpoint implements IStreamClientEndpoint {
  readonly #executable: string;
  readonly #args: readonly string[];
  readonly #options: ProcessEndpointOptions;

  constructor(
    executable: string,
    args: readonly string[] = [executable],
    options: ProcessEndpointOptions = {},
  ) {
    this.#executable = executable;
    this.#args = args;
    this.#options = options;
  }

  connect(factory: IProtocolFactory): Deferred<IProtocol> {
    try {
      const proto = factory.buildProtocol({ type: 'PROCESS' });
      if (proto === null) return fail(new Error('The factory refused to build a protocol for the process.'));
      const made = new Deferred<IProtocol>();
      const { errFlag, ...spawnOptions } = this.#options;
      spawnProcess(
        new ProcessStreamProtocol(proto, errFlag ?? 'log', made),
        this.#executable,
        this.#args,
        spawnOptions,
      );
      return made;
    } catch (err) {
      return fail(toError(err));
    }
  }
}
