/**
 * `StandardIO`: a transport over the process's standard input and output, so a protocol can talk
 * to whoever runs the program (a pipe, a terminal, a parent process) exactly as it talks to a TCP
 * peer. Twisted's `twisted.internet.stdio.StandardIO`. The streams can be injected (tests, or
 * another pair of streams).
 *
 * - Input chunks go to `dataReceived`. At end of input a half-closeable protocol gets
 *   `readConnectionLost()` (and may go on writing); any other protocol is disconnected:
 *   `connectionLost(ConnectionDone)` once the output is flushed.
 * - Output has flow control: a registered streaming producer is paused while the output stream's
 *   buffer is full, and resumed on `drain`.
 * - `loseConnection()` stops reading, flushes the output, then calls `connectionLost`. The
 *   process's own `stdout`/`stderr` are flushed but never closed (Node does not close them).
 *
 * @example
 * ```ts
 * import { Protocol, StandardIO } from 'twisted-ts/internet';
 * class Echo extends Protocol {
 *   override dataReceived(data: Buffer) { this.transport!.write(data); }
 * }
 * new StandardIO(new Echo());
 * ```
 * @module
 */
import type { Readable, Writable } from 'node:stream';
import { ConnectionAborted, ConnectionDone, ConnectionLost } from './error.js';
import { reportError } from './error-reporter.js';
import {
  type IHalfCloseableTransport,
  type IProtocol,
  type IPullProducer,
  type IPushProducer,
  isHalfCloseable,
} from './interfaces.js';

/**
 * The address of both ends of a standard I/O transport.
 *
 * @example
 * ```ts
 * if (transport.getPeer().type === 'PIPE') log.info('serving on standard I/O');
 * ```
 */
export interface PipeAddress {
  /** Always `'PIPE'`: standard I/O has no network address. */
  readonly type: 'PIPE';
}

/**
 * Options of `new StandardIO()`.
 *
 * @example
 * ```ts
 * const input = new PassThrough();
 * const output = new PassThrough();
 * new StandardIO(new Echo(), { stdin: input, stdout: output }); // a test without a real terminal
 * ```
 */
export interface StandardIOOptions {
  /** Where input comes from (default `process.stdin`). */
  readonly stdin?: Readable;
  /** Where output goes (default `process.stdout`). */
  readonly stdout?: Writable;
  /** Accepted for Twisted's shape; streams need no reactor. */
  readonly reactor?: unknown;
}

const ADDRESS: PipeAddress = Object.freeze({ type: 'PIPE' });

/**
 * Connects `protocol` to standard input and output (`makeConnection` runs in the constructor).
 *
 * @example
 * ```ts
 * const stdio = new StandardIO(new LineEcho(), { stdin: socket, stdout: socket });
 * stdio.write('ready\n');
 * ```
 */
export class StandardIO implements IHalfCloseableTransport, IPushProducer {
  readonly #protocol: IProtocol;
  readonly #stdin: Readable;
  readonly #stdout: Writable;
  #readClosed = false;
  #writeClosed = false;
  /** The output was closed by `loseWriteConnection()` and flushed. */
  #writeFinished = false;
  #disconnecting = false;
  #lost = false;
  #producer: IPushProducer | IPullProducer | null = null;
  #streaming = false;
  #producerPaused = false;
  #pullPending = false;

  constructor(protocol: IProtocol, options: StandardIOOptions = {}) {
    this.#protocol = protocol;
    this.#stdin = options.stdin ?? process.stdin;
    this.#stdout = options.stdout ?? process.stdout;
    this.#stdin.on('data', this.#onData);
    this.#stdin.on('end', this.#onEnd);
    this.#stdin.on('error', this.#onInputError);
    this.#stdout.on('drain', this.#onDrain);
    this.#stdout.on('error', this.#onOutputError);
    this.#call('makeConnection', () => protocol.makeConnection(this));
  }

  /** True once `loseConnection()` was called. */
  get disconnecting(): boolean {
    return this.#disconnecting;
  }

  #call(hook: string, f: () => void): void {
    try {
      f();
    } catch (err) {
      reportError(err, `StandardIO ${hook}`);
    }
  }

  readonly #onData = (data: Buffer | string): void => {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    this.#call('dataReceived', () => this.#protocol.dataReceived(buf));
  };

  readonly #onEnd = (): void => {
    this.#readClosed = true;
    const p = this.#protocol;
    if (isHalfCloseable(p)) {
      this.#call('readConnectionLost', () => p.readConnectionLost());
      if (this.#writeFinished) this.#connectionLost(new ConnectionDone());
    } else {
      this.loseConnection();
    }
  };

  readonly #onInputError = (err: Error): void => {
    this.#connectionLost(new ConnectionLost(`Standard input failed: ${err.message}`, { cause: err }));
  };

  readonly #onOutputError = (err: Error): void => {
    this.#connectionLost(new ConnectionLost(`Standard output failed: ${err.message}`, { cause: err }));
  };

  readonly #onDrain = (): void => {
    const p = this.#producer;
    if (p === null || this.#lost) return;
    if (this.#streaming && !this.#producerPaused) return;
    this.#producerPaused = false;
    this.#call('resumeProducing', () => p.resumeProducing());
  };

  readonly #pullNext = (err?: Error | null): void => {
    this.#pullPending = false;
    const p = this.#producer;
    if (err || p === null || this.#streaming || this.#lost) return;
    this.#call('resumeProducing', () => p.resumeProducing());
  };

  #isProcessStream(): boolean {
    return this.#stdout === process.stdout || this.#stdout === process.stderr;
  }

  /** Calls `done` once everything written so far has been handed to the system. */
  #flush(close: boolean, done: () => void): void {
    const out = this.#stdout;
    if (out.destroyed || out.writableFinished) {
      done();
      return;
    }
    if (close && !this.#isProcessStream()) {
      if (out.writableEnded) out.once('finish', done);
      else out.end(done);
      return;
    }
    if (out.writableEnded) out.once('finish', done);
    else out.write('', () => done());
  }

  #stopReading(): void {
    this.#stdin.off('data', this.#onData);
    this.#stdin.pause();
  }

  #connectionLost(reason: Error): void {
    if (this.#lost) return;
    this.#lost = true;
    this.#disconnecting = true;
    this.#stopReading();
    this.#stdin.off('end', this.#onEnd);
    this.#stdout.off('drain', this.#onDrain);
    this.#call('connectionLost', () => this.#protocol.connectionLost(reason));
  }

  /**
   * Writes to the output; a streaming producer is paused while the output buffer is full.
   *
   * @example
   * ```ts
   * stdio.write('prompt> ');
   * ```
   */
  write(data: Uint8Array | string): void {
    if (this.#writeClosed || this.#lost) return;
    if (this.#producer !== null && !this.#streaming) {
      // A pull producer is asked for its next chunk once this one has been written.
      if (this.#pullPending) this.#stdout.write(data);
      else {
        this.#pullPending = true;
        this.#stdout.write(data, this.#pullNext);
      }
      return;
    }
    const more = this.#stdout.write(data);
    if (!more && this.#producer !== null && this.#streaming && !this.#producerPaused) {
      this.#producerPaused = true;
      const p = this.#producer as IPushProducer;
      this.#call('pauseProducing', () => p.pauseProducing());
    }
  }

  /**
   * Writes several chunks in one go.
   *
   * @example
   * ```ts
   * stdio.writeSequence(['a', 'b\n']);
   * ```
   */
  writeSequence(data: readonly (Uint8Array | string)[]): void {
    this.#stdout.cork();
    for (const chunk of data) this.write(chunk);
    this.#stdout.uncork();
  }

  /** Stops reading, flushes (and, unless it is the process's own, closes) the output, then disconnects. */
  loseConnection(): void {
    if (this.#disconnecting) return;
    this.#disconnecting = true;
    this.#stopReading();
    this.#writeClosed = true;
    this.#flush(true, () => this.#connectionLost(new ConnectionDone()));
  }

  /** Closes the output after what was written; input goes on (`writeConnectionLost` follows). */
  loseWriteConnection(): void {
    if (this.#writeClosed) return;
    this.#writeClosed = true;
    this.#flush(true, () => {
      this.#writeFinished = true;
      const p = this.#protocol;
      if (isHalfCloseable(p)) this.#call('writeConnectionLost', () => p.writeConnectionLost());
      if (this.#readClosed) this.#connectionLost(new ConnectionDone());
    });
  }

  /** Disconnects at once, discarding unwritten output (injected streams are destroyed). */
  abortConnection(): void {
    if (this.#lost) return;
    if (!this.#isProcessStream()) this.#stdout.destroy();
    this.#writeClosed = true;
    this.#connectionLost(new ConnectionAborted());
  }

  /** `{ type: 'PIPE' }`: whoever is on the other end has no address. */
  getPeer(): PipeAddress {
    return ADDRESS;
  }

  /** `{ type: 'PIPE' }`, as `getPeer`. */
  getHost(): PipeAddress {
    return ADDRESS;
  }

  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    if (this.#producer !== null) throw new Error('A producer is already registered.');
    this.#producer = producer;
    this.#streaming = streaming;
    this.#producerPaused = false;
    if (!streaming) producer.resumeProducing();
  }

  /** Forgets the producer feeding the output (call it when that producer is done). */
  unregisterProducer(): void {
    this.#producer = null;
  }

  /** Stops reading standard input until `resumeProducing()`. */
  pauseProducing(): void {
    this.#stdin.pause();
  }

  /** Resumes reading standard input (not once the transport is closing). */
  resumeProducing(): void {
    if (!this.#disconnecting) this.#stdin.resume();
  }

  /** Stops reading and closes, as `loseConnection`. */
  stopProducing(): void {
    this.loseConnection();
  }
}
