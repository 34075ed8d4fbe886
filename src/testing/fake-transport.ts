/**
 * `FakeTransport`: one end of an in-memory connection driven by an `IOPump`. It queues what its
 * protocol writes, keeps the protocol's close/half-close/pause requests as state, and runs
 * write-side flow control against its registered producer; the pump decides when bytes and close
 * events reach the other end (see `iosim.ts` for the rules).
 *
 * @example
 * ```ts
 * const { serverTransport, pump } = connectedServerAndClient(server, client);
 * serverTransport.pauseProducing(); // the server reads nothing until resumeProducing()
 * ```
 * @module
 */
import type {
  IAddress,
  IProtocol,
  IPullProducer,
  IPushProducer,
  IStreamTransport,
} from '../internet/interfaces.js';
import { type ProducerState, toBuffer } from './string-transport.js';

/**
 * Options of `FakeTransport`.
 *
 * @example
 * ```ts
 * const options: FakeTransportOptions = {
 *   isServer: true,
 *   hostAddress: ipAddress('TCP', '127.0.0.1', 80),
 *   peerAddress: ipAddress('TCP', '127.0.0.1', 50_000),
 *   highWaterMark: 1024,
 * };
 * protocol.makeConnection(new FakeTransport(protocol, options));
 * ```
 */
export interface FakeTransportOptions {
  /** True for the server's end. */
  isServer: boolean;
  /** What `getHost()` returns. */
  hostAddress: IAddress;
  /** What `getPeer()` returns. */
  peerAddress: IAddress;
  /** Bytes queued before a streaming producer is paused (default 64 KiB, like the real transports). */
  highWaterMark?: number;
}

/**
 * One end of an in-memory stream connection.
 *
 * @example
 * ```ts
 * const t = new FakeTransport(proto, { isServer: true, hostAddress: a, peerAddress: b });
 * proto.makeConnection(t);
 * ```
 */
export class FakeTransport implements IStreamTransport {
  /** The protocol this end delivers to. */
  readonly protocol: IProtocol;
  /** True for the server's end. */
  readonly isServer: boolean;
  /** What `getHost()` returns. */
  hostAddress: IAddress;
  /** What `getPeer()` returns. */
  peerAddress: IAddress;
  /** Bytes queued before a registered streaming producer is paused. */
  readonly highWaterMark: number;
  /** True once `loseConnection()` was called. */
  disconnecting = false;
  /** True once `connectionLost` was delivered. */
  disconnected = false;
  /** True once `abortConnection()` was called. */
  aborted = false;
  /** True once `loseWriteConnection()` was called. */
  writeDisconnecting = false;
  /** True once this end's EOF reached the peer. */
  writeDisconnected = false;
  /** True once the peer's EOF reached this end. */
  readDisconnected = false;
  /** Reading state: 'paused' stops delivery to the protocol. */
  producerState: ProducerState = 'producing';
  /** The producer registered by the protocol, if any. */
  producer: IPushProducer | IPullProducer | null = null;
  /** Whether `producer` is a push producer; null without a producer. */
  streaming: boolean | null = null;
  /** True while this transport has paused its streaming producer (buffer above the mark). */
  producerPaused = false;
  #outgoing: Buffer[] = [];
  #outgoingLength = 0;

  constructor(protocol: IProtocol, options: FakeTransportOptions) {
    this.protocol = protocol;
    this.isServer = options.isServer;
    this.hostAddress = options.hostAddress;
    this.peerAddress = options.peerAddress;
    this.highWaterMark = options.highWaterMark ?? 64 * 1024;
  }

  /**
   * Queues `data` for the peer (strings as UTF-8); ignored once the write side is closed. Pauses
   * a streaming producer when the queue grows past `highWaterMark`.
   *
   * @example
   * ```ts
   * transport.write('hello');
   * ```
   */
  write(data: Uint8Array | string): void {
    if (this.disconnected || this.aborted || this.writeDisconnecting) return;
    const buf = toBuffer(data);
    if (buf.length === 0) return;
    this.#outgoing.push(buf);
    this.#outgoingLength += buf.length;
    if (this.#outgoingLength > this.highWaterMark && this.streaming === true && !this.producerPaused) {
      this.producerPaused = true;
      (this.producer as IPushProducer).pauseProducing();
    }
  }

  /**
   * Queues each buffer in turn.
   *
   * @example
   * ```ts
   * transport.writeSequence(['a', 'b']);
   * ```
   */
  writeSequence(data: readonly (Uint8Array | string)[]): void {
    for (const chunk of data) this.write(chunk);
  }

  /**
   * Closes once the queued bytes were delivered; reads nothing more meanwhile.
   *
   * @example
   * ```ts
   * transport.loseConnection();
   * pump.flush(); // both protocols got connectionLost(ConnectionDone)
   * ```
   */
  loseConnection(): void {
    this.disconnecting = true;
  }

  /**
   * Drops the connection at the next pump step, discarding queued bytes.
   *
   * @example
   * ```ts
   * transport.abortConnection();
   * ```
   */
  abortConnection(): void {
    if (this.disconnected) return;
    this.aborted = true;
    this.disconnecting = true;
  }

  /**
   * Sends EOF once the queued bytes were delivered; reading goes on.
   *
   * @example
   * ```ts
   * transport.loseWriteConnection();
   * ```
   */
  loseWriteConnection(): void {
    this.writeDisconnecting = true;
  }

  /**
   * Registers the producer writing into this transport (throws if one is registered). A pull
   * producer is asked for its first chunk at once; on a closed transport the producer is stopped.
   *
   * @example
   * ```ts
   * transport.registerProducer(producer, true);
   * ```
   */
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    if (this.producer !== null) throw new Error('Cannot register a producer: one is already registered');
    if (this.disconnected) {
      producer.stopProducing();
      return;
    }
    this.producer = producer;
    this.streaming = streaming;
    this.producerPaused = false;
    if (!streaming) producer.resumeProducing();
  }

  /**
   * Forgets the producer.
   *
   * @example
   * ```ts
   * transport.unregisterProducer();
   * ```
   */
  unregisterProducer(): void {
    this.producer = null;
    this.streaming = null;
    this.producerPaused = false;
  }

  /**
   * Stops delivering to this end's protocol until `resumeProducing()`.
   *
   * @example
   * ```ts
   * transport.pauseProducing();
   * ```
   */
  pauseProducing(): void {
    if (this.producerState !== 'stopped') this.producerState = 'paused';
  }

  /**
   * Delivers again.
   *
   * @example
   * ```ts
   * transport.resumeProducing();
   * ```
   */
  resumeProducing(): void {
    if (this.producerState !== 'stopped') this.producerState = 'producing';
  }

  /**
   * Stops reading for good and closes, as a transport's `stopProducing` does.
   *
   * @example
   * ```ts
   * transport.stopProducing();
   * ```
   */
  stopProducing(): void {
    this.producerState = 'stopped';
    this.loseConnection();
  }

  /**
   * This end's address.
   *
   * @example
   * ```ts
   * transport.getHost();
   * ```
   */
  getHost(): IAddress {
    return this.hostAddress;
  }

  /**
   * The other end's address.
   *
   * @example
   * ```ts
   * transport.getPeer();
   * ```
   */
  getPeer(): IAddress {
    return this.peerAddress;
  }

  /** For the pump: true while bytes wait to be delivered. */
  hasOutgoing(): boolean {
    return this.#outgoingLength > 0;
  }

  /** For the pump: true if this end's protocol may be given bytes now. */
  canReceive(): boolean {
    return (
      !this.disconnected &&
      !this.disconnecting &&
      !this.readDisconnected &&
      this.producerState === 'producing'
    );
  }

  /** For the pump: true unless this end is paused: a close or EOF waits like data (or it is gone). */
  canHearClose(): boolean {
    return this.disconnected || this.producerState !== 'paused';
  }

  /**
   * For the pump: takes the queued bytes (null if none) and resumes a producer paused for them.
   */
  takeOutgoing(): Buffer | null {
    if (this.#outgoingLength === 0) return null;
    const data = this.#outgoing.length === 1 ? (this.#outgoing[0] as Buffer) : Buffer.concat(this.#outgoing);
    this.#outgoing = [];
    this.#outgoingLength = 0;
    if (this.producerPaused && this.producer !== null) {
      this.producerPaused = false;
      this.producer.resumeProducing();
    }
    return data;
  }

  /**
   * For the pump: asks a registered pull producer for a chunk when nothing is queued; true if it
   * wrote or unregistered.
   */
  askPullProducer(): boolean {
    const producer = this.producer;
    if (producer === null || this.streaming !== false || this.#outgoingLength > 0) return false;
    if (this.disconnected || this.disconnecting || this.writeDisconnecting) return false;
    producer.resumeProducing();
    return this.#outgoingLength > 0 || this.producer !== producer;
  }

  /** For the pump: the connection is gone; drop queued bytes and stop the producer. */
  markDisconnected(): void {
    this.disconnected = true;
    this.disconnecting = true;
    this.#outgoing = [];
    this.#outgoingLength = 0;
    const producer = this.producer;
    this.unregisterProducer();
    producer?.stopProducing();
  }
}
