/**
 * `StringTransport`: a transport that records what a protocol does to it instead of sending
 * anything. A protocol test connects the protocol to one, feeds `dataReceived`, and asserts on
 * `value()` and on the recorded state (`disconnecting`, `producerState`, the registered producer),
 * all synchronously — Twisted's `StringTransport`.
 *
 * @example
 * ```ts
 * import { StringTransport } from 'twisted-ts/testing';
 * const tr = new StringTransport();
 * proto.makeConnection(tr);
 * proto.dataReceived(Buffer.from('PING\r\n'));
 * assert.equal(tr.value().toString(), 'PONG\r\n');
 * ```
 * @module
 */
import { ConnectionAborted, ConnectionDone } from '../internet/error.js';
import type {
  IAddress,
  IProtocol,
  IPullProducer,
  IPushProducer,
  IPv4Address,
  IPv6Address,
  IStreamTransport,
} from '../internet/interfaces.js';

/**
 * The state of a transport seen as a push producer (its reading side).
 *
 * @example
 * ```ts
 * const transport = new StringTransport();
 * protocol.makeConnection(transport);
 * protocol.dataReceived(hugeRequest); // a protocol with a full queue stops reading
 * const state: ProducerState = transport.producerState;
 * assert.equal(state, 'paused');
 * ```
 */
export type ProducerState = 'producing' | 'paused' | 'stopped';

/**
 * Options of `StringTransport`.
 *
 * @example
 * ```ts
 * const options: StringTransportOptions<UNIXAddress> = {
 *   hostAddress: unixAddress('/run/app.sock'),
 *   peerAddress: unixAddress(null),
 * };
 * const transport = new StringTransport(options);
 * ```
 */
export interface StringTransportOptions<A extends IAddress> {
  /** What `getHost()` returns (default TCP 10.0.0.1:12345). */
  hostAddress?: A;
  /** What `getPeer()` returns (default TCP 10.0.0.2:12345). */
  peerAddress?: A;
}

const defaultHost: IPv4Address = { type: 'TCP', family: 'IPv4', host: '10.0.0.1', port: 12345 };
const defaultPeer: IPv4Address = { type: 'TCP', family: 'IPv4', host: '10.0.0.2', port: 12345 };

/** Converts what `write` accepts into a Buffer without copying Buffers (shared with `fake-transport.ts`). */
export function toBuffer(data: Uint8Array | string): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * A fake stream transport that keeps everything written and records every state change. Nothing
 * happens by itself: `loseConnection()` only sets `disconnecting` (use
 * `StringTransportWithDisconnection` to have it call `connectionLost`). By default it looks like
 * a TCP connection from 10.0.0.2:12345 to 10.0.0.1:12345; pass other addresses (even UNIX ones)
 * to the constructor or assign `hostAddress`/`peerAddress`.
 *
 * @example
 * ```ts
 * const tr = new StringTransport();
 * tr.write('a'); tr.writeSequence(['b', 'c']);
 * tr.value().toString(); // 'abc'
 * tr.clear();
 * ```
 */
export class StringTransport<A extends IAddress = IPv4Address | IPv6Address> implements IStreamTransport {
  /** What `getHost()` returns. */
  hostAddress: A;
  /** What `getPeer()` returns. */
  peerAddress: A;
  /** True once `loseConnection()` (or `abortConnection()`) was called. */
  disconnecting = false;
  /** True once `abortConnection()` was called: the connection is gone without a clean close. */
  disconnected = false;
  /** True once `abortConnection()` was called. */
  aborted = false;
  /** True once `loseWriteConnection()` was called. */
  writeDisconnecting = false;
  /** The producer registered with `registerProducer`, if any. */
  producer: IPushProducer | IPullProducer | null = null;
  /** Whether the registered producer is a push (streaming) one; null without a producer. */
  streaming: boolean | null = null;
  /** This transport's own state as a producer: `pauseProducing()` on it means "stop reading". */
  producerState: ProducerState = 'producing';
  /** The last value given to `setTcpNoDelay`, or null if never called. */
  tcpNoDelay: boolean | null = null;
  /** The last value given to `setTcpKeepAlive`, or null if never called. */
  tcpKeepAlive: boolean | null = null;
  #chunks: Buffer[] = [];

  constructor(options: StringTransportOptions<A> = {}) {
    this.hostAddress = options.hostAddress ?? (defaultHost as A);
    this.peerAddress = options.peerAddress ?? (defaultPeer as A);
  }

  /**
   * Everything written since creation or the last `clear()`, as one Buffer.
   *
   * @example
   * ```ts
   * assert.equal(tr.value().toString('latin1'), '250 OK\r\n');
   * ```
   */
  value(): Buffer {
    if (this.#chunks.length !== 1) this.#chunks = [Buffer.concat(this.#chunks)];
    return this.#chunks[0] as Buffer;
  }

  /**
   * Forgets what was written, so the next assertion only sees new output.
   *
   * @example
   * ```ts
   * tr.clear();
   * proto.dataReceived(Buffer.from('QUIT\r\n'));
   * assert.equal(tr.value().toString(), '221 Bye\r\n');
   * ```
   */
  clear(): void {
    this.#chunks = [];
  }

  /**
   * Records `data` (strings as UTF-8). Writes after `loseConnection()` are recorded too, so a
   * test can check that a protocol stops writing.
   *
   * @example
   * ```ts
   * tr.write(Buffer.from([1, 2]));
   * ```
   */
  write(data: Uint8Array | string): void {
    const buf = toBuffer(data);
    if (buf.length > 0) this.#chunks.push(buf);
  }

  /**
   * Records each buffer in turn.
   *
   * @example
   * ```ts
   * tr.writeSequence(['HTTP/1.1 200 OK\r\n', '\r\n']);
   * ```
   */
  writeSequence(data: readonly (Uint8Array | string)[]): void {
    for (const chunk of data) this.write(chunk);
  }

  /**
   * Records a clean close request (`disconnecting`); nothing else happens.
   *
   * @example
   * ```ts
   * proto.dataReceived(Buffer.from('QUIT\r\n'));
   * assert.ok(tr.disconnecting);
   * ```
   */
  loseConnection(): void {
    this.disconnecting = true;
  }

  /**
   * Records an abort: `aborted`, `disconnecting` and `disconnected` become true.
   *
   * @example
   * ```ts
   * clock.advance(timeout);
   * assert.ok(tr.aborted);
   * ```
   */
  abortConnection(): void {
    this.aborted = true;
    this.disconnecting = true;
    this.disconnected = true;
  }

  /**
   * Records a half-close (`writeDisconnecting`).
   *
   * @example
   * ```ts
   * assert.ok(tr.writeDisconnecting);
   * ```
   */
  loseWriteConnection(): void {
    this.writeDisconnecting = true;
  }

  /**
   * Registers the producer writing into this transport. Throws if one is already registered, as
   * a real transport does. Nothing is asked of the producer: the test drives it (for a pull
   * producer, call `tr.producer.resumeProducing()` to ask for each chunk).
   *
   * @example
   * ```ts
   * tr.registerProducer(fileSender, true);
   * assert.equal(tr.streaming, true);
   * ```
   */
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    if (this.producer !== null) throw new Error('Cannot register a producer: one is already registered');
    this.producer = producer;
    this.streaming = streaming;
  }

  /**
   * Forgets the producer. Throws if none is registered.
   *
   * @example
   * ```ts
   * tr.unregisterProducer();
   * assert.equal(tr.producer, null);
   * ```
   */
  unregisterProducer(): void {
    if (this.producer === null) throw new Error('Cannot unregister a producer: none is registered');
    this.producer = null;
    this.streaming = null;
  }

  /**
   * Records that the protocol asked the transport to stop reading (`producerState` 'paused').
   *
   * @example
   * ```ts
   * assert.equal(tr.producerState, 'paused');
   * ```
   */
  pauseProducing(): void {
    this.#checkNotStopped();
    this.producerState = 'paused';
  }

  /**
   * Records that reading may go on (`producerState` 'producing'). Throws after `stopProducing()`.
   *
   * @example
   * ```ts
   * tr.resumeProducing();
   * ```
   */
  resumeProducing(): void {
    this.#checkNotStopped();
    this.producerState = 'producing';
  }

  /**
   * Records that reading stopped for good (`producerState` 'stopped').
   *
   * @example
   * ```ts
   * tr.stopProducing();
   * ```
   */
  stopProducing(): void {
    this.producerState = 'stopped';
  }

  /**
   * Records the Nagle setting (`tcpNoDelay`).
   *
   * @example
   * ```ts
   * assert.equal(tr.tcpNoDelay, true);
   * ```
   */
  setTcpNoDelay(enabled: boolean): void {
    this.tcpNoDelay = enabled;
  }

  /**
   * Records the keep-alive setting (`tcpKeepAlive`).
   *
   * @example
   * ```ts
   * assert.equal(tr.tcpKeepAlive, true);
   * ```
   */
  setTcpKeepAlive(enabled: boolean): void {
    this.tcpKeepAlive = enabled;
  }

  /**
   * The local address (default TCP 10.0.0.1:12345).
   *
   * @example
   * ```ts
   * new StringTransport().getHost().port; // 12345
   * ```
   */
  getHost(): A {
    return this.hostAddress;
  }

  /**
   * The remote address (default TCP 10.0.0.2:12345).
   *
   * @example
   * ```ts
   * new StringTransport().getPeer().host; // '10.0.0.2'
   * ```
   */
  getPeer(): A {
    return this.peerAddress;
  }

  #checkNotStopped(): void {
    if (this.producerState === 'stopped') throw new Error('Cannot pause or resume a stopped producer');
  }
}

/**
 * A `StringTransport` whose `loseConnection()` tells the protocol: it calls
 * `protocol.connectionLost(ConnectionDone)` once (and `abortConnection()` calls it with
 * `ConnectionAborted`, as the real transports do), for tests that check what a protocol does
 * after closing.
 *
 * @example
 * ```ts
 * const tr = new StringTransportWithDisconnection();
 * tr.protocol = proto;
 * proto.makeConnection(tr);
 * tr.loseConnection(); // proto.connectionLost(new ConnectionDone()) ran
 * ```
 */
export class StringTransportWithDisconnection<
  A extends IAddress = IPv4Address | IPv6Address,
> extends StringTransport<A> {
  /** The protocol told about the disconnection. */
  protocol: IProtocol | null = null;
  /** True until the protocol was told the connection is gone. */
  connected = true;

  /**
   * Records the close, then calls `protocol.connectionLost(ConnectionDone)` once.
   *
   * @example
   * ```ts
   * tr.loseConnection();
   * assert.equal(proto.connected, false);
   * ```
   */
  override loseConnection(): void {
    super.loseConnection();
    this.#lost(new ConnectionDone());
  }

  /**
   * Records the abort, then calls `protocol.connectionLost(ConnectionAborted)` once.
   *
   * @example
   * ```ts
   * tr.abortConnection();
   * ```
   */
  override abortConnection(): void {
    super.abortConnection();
    this.#lost(new ConnectionAborted());
  }

  #lost(reason: Error): void {
    if (!this.connected) return;
    this.connected = false;
    this.protocol?.connectionLost(reason);
  }
}
