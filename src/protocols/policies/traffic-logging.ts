/**
 * `TrafficLoggingFactory`: logs every connection's traffic and lifecycle, one line per event, to a
 * function or a writable stream — Twisted's `TrafficLoggingFactory` without the file naming.
 *
 * Line format (`id` numbers connections from 1; bytes are shown as a JSON string of their latin1
 * decoding, so any byte is visible and the line stays one line):
 *
 * ```
 * <prefix><id> connectionMade <peer>
 * <prefix><id> C "<bytes the peer sent>"
 * <prefix><id> S "<bytes we sent>"
 * <prefix><id> loseConnection | abortConnection | loseWriteConnection | readConnectionLost
 * <prefix><id> connectionLost <ErrorName>
 * ```
 *
 * @example
 * ```ts
 * import { TrafficLoggingFactory } from 'twisted-ts/protocols/policies';
 * reactor.listenTCP(8000, new TrafficLoggingFactory(factory, { log: process.stderr, logPrefix: 'echo ' }));
 * ```
 * @module
 */
import { Buffer } from 'node:buffer';
import type { IAddress, IProtocol, IProtocolFactory } from '../../internet/interfaces.js';
import { ProtocolWrapper, WrappingFactory } from './wrapping.js';

/**
 * Where log lines go: a function (called per line, no newline) or a stream (written with `\n`).
 *
 * @example
 * ```ts
 * const log: TrafficLog = (line) => lines.push(line);
 * ```
 */
export type TrafficLog =
  | ((line: string) => void)
  | {
      /** Receives one line with its `\n`, as a `Writable` or `process.stderr` does. */
      write(chunk: string): unknown;
    };

/**
 * Options of `TrafficLoggingFactory`.
 *
 * @example
 * ```ts
 * new TrafficLoggingFactory(factory, { log: process.stderr, logPrefix: 'smtp' });
 * ```
 */
export interface TrafficLoggingOptions {
  /** The log sink. */
  readonly log: TrafficLog;
  /** Prepended to every line (default `''`). */
  readonly logPrefix?: string;
}

function show(data: Uint8Array | string): string {
  const text =
    typeof data === 'string'
      ? data
      : Buffer.from(data.buffer, data.byteOffset, data.length).toString('latin1');
  return JSON.stringify(text);
}

function describe(addr: IAddress): string {
  const a = addr as { host?: string; port?: number; name?: string | null; type: string };
  if (a.host !== undefined) return `${a.type}:${a.host}:${a.port ?? ''}`;
  return `${a.type}:${a.name ?? ''}`;
}

/**
 * Logs what passes through one connection.
 *
 * @example
 * ```ts
 * const p = loggingFactory.buildProtocol(addr) as TrafficLoggingProtocol;
 * ```
 */
export class TrafficLoggingProtocol extends ProtocolWrapper {
  /** The connection's number in the log. */
  readonly id: number;
  readonly #emit: (line: string) => void;

  constructor(factory: WrappingFactory, wrapped: IProtocol, id: number, emit: (line: string) => void) {
    super(factory, wrapped);
    this.id = id;
    this.#emit = emit;
  }

  #log(text: string): void {
    this.#emit(`${this.id} ${text}`);
  }

  override makeConnection(transport: Parameters<ProtocolWrapper['makeConnection']>[0]): void {
    this.transport = transport;
    this.#log(`connectionMade ${describe(transport.getPeer())}`);
    super.makeConnection(transport);
  }

  override dataReceived(data: Buffer): void {
    this.#log(`C ${show(data)}`);
    super.dataReceived(data);
  }

  override write(data: Uint8Array | string): void {
    this.#log(`S ${show(data)}`);
    super.write(data);
  }

  override writeSequence(data: readonly (Uint8Array | string)[]): void {
    this.#log(`S ${show(Buffer.concat(data.map((d) => (typeof d === 'string' ? Buffer.from(d) : d))))}`);
    super.writeSequence(data);
  }

  override loseConnection(): void {
    this.#log('loseConnection');
    super.loseConnection();
  }

  override abortConnection(): void {
    this.#log('abortConnection');
    super.abortConnection();
  }

  override loseWriteConnection(): void {
    this.#log('loseWriteConnection');
    super.loseWriteConnection();
  }

  override readConnectionLost(): void {
    this.#log('readConnectionLost');
    super.readConnectionLost();
  }

  override connectionLost(reason?: Error): void {
    this.#log(`connectionLost ${reason?.name ?? 'ConnectionDone'}`);
    super.connectionLost(reason);
  }
}

/**
 * Wraps each connection in a `TrafficLoggingProtocol`.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const f = new TrafficLoggingFactory(inner, { log: (l) => lines.push(l) });
 * ```
 */
export class TrafficLoggingFactory extends WrappingFactory {
  /** Prepended to every line. */
  readonly logPrefix: string;
  /** Connections numbered so far. */
  connectionCount = 0;
  readonly #emit: (line: string) => void;

  constructor(wrappedFactory: IProtocolFactory, options: TrafficLoggingOptions) {
    super(wrappedFactory);
    this.logPrefix = options.logPrefix ?? '';
    const sink = options.log;
    this.#emit =
      typeof sink === 'function'
        ? (line) => sink(this.logPrefix + line)
        : (line) => void sink.write(`${this.logPrefix}${line}\n`);
  }

  protected override wrap(wrapped: IProtocol, _addr: IAddress): ProtocolWrapper {
    this.connectionCount++;
    return new TrafficLoggingProtocol(this, wrapped, this.connectionCount, this.#emit);
  }
}
