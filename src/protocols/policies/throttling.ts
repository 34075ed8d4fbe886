/**
 * `ThrottlingFactory`: limits the number of connections and the bytes per second read and written
 * across all of them, by pausing and resuming the transports (reads) and the producers registered
 * by the protocols (writes) — Twisted's `twisted.protocols.policies.ThrottlingFactory`, with the
 * per-second accounting on an injected clock.
 *
 * @example
 * ```ts
 * import { ThrottlingFactory } from 'twisted-ts/protocols/policies';
 * reactor.listenTCP(8000, new ThrottlingFactory(files, { maxConnectionCount: 100, writeLimit: 1e6 }));
 * ```
 * @module
 */
import { Buffer } from 'node:buffer';
import { getReactor } from '../../internet/default-reactor.js';
import type {
  IAddress,
  IDelayedCall,
  IProtocol,
  IProtocolFactory,
  IPushProducer,
  IReactorTime,
} from '../../internet/interfaces.js';
import { ProtocolWrapper, WrappingFactory } from './wrapping.js';

/**
 * Counts traffic for its `ThrottlingFactory` and obeys its throttling.
 *
 * @example
 * ```ts
 * const p = throttlingFactory.buildProtocol(addr) as ThrottlingProtocol;
 * ```
 */
export class ThrottlingProtocol extends ProtocolWrapper {
  readonly #throttler: ThrottlingFactory;

  constructor(factory: ThrottlingFactory, wrapped: IProtocol) {
    super(factory, wrapped);
    this.#throttler = factory;
  }

  override write(data: Uint8Array | string): void {
    this.#throttler.registerWritten(typeof data === 'string' ? Buffer.byteLength(data) : data.length);
    super.write(data);
  }

  override writeSequence(data: readonly (Uint8Array | string)[]): void {
    let n = 0;
    for (const d of data) n += typeof d === 'string' ? Buffer.byteLength(d) : d.length;
    this.#throttler.registerWritten(n);
    super.writeSequence(data);
  }

  override dataReceived(data: Buffer): void {
    this.#throttler.registerRead(data.length);
    super.dataReceived(data);
  }

  /**
   * Stops reading from the transport.
   *
   * @example
   * ```ts
   * p.throttleReads();
   * ```
   */
  throttleReads(): void {
    (this.transport as Partial<IPushProducer> | null)?.pauseProducing?.();
  }

  /**
   * Reads from the transport again.
   *
   * @example
   * ```ts
   * p.unthrottleReads();
   * ```
   */
  unthrottleReads(): void {
    (this.transport as Partial<IPushProducer> | null)?.resumeProducing?.();
  }

  /**
   * Pauses the producer the wrapped protocol registered (if it is a push producer).
   *
   * @example
   * ```ts
   * p.throttleWrites();
   * ```
   */
  throttleWrites(): void {
    (this.producer as Partial<IPushProducer> | null)?.pauseProducing?.();
  }

  /**
   * Resumes that producer.
   *
   * @example
   * ```ts
   * p.unthrottleWrites();
   * ```
   */
  unthrottleWrites(): void {
    (this.producer as Partial<IPushProducer> | null)?.resumeProducing?.();
  }
}

/**
 * Options of `ThrottlingFactory`.
 *
 * @example
 * ```ts
 * new ThrottlingFactory(factory, { maxConnectionCount: 50, readLimit: 1 << 20 });
 * ```
 */
export interface ThrottlingOptions {
  /** Most simultaneous connections; more are refused (default unlimited). */
  readonly maxConnectionCount?: number;
  /** Most bytes read per second over all connections (default unlimited). */
  readonly readLimit?: number | null;
  /** Most bytes written per second over all connections (default unlimited). */
  readonly writeLimit?: number | null;
  /** The clock (default: the global reactor, read when the first connection is built). */
  readonly clock?: IReactorTime;
}

/**
 * Every second, if more than `readLimit` bytes were read in that second, reads are paused for the
 * excess fraction of a second (`read / readLimit - 1` seconds); likewise for writes, which pause
 * the protocols' producers. A connection beyond `maxConnectionCount` is refused (`buildProtocol`
 * returns `null`).
 *
 * @example
 * ```ts
 * const f = new ThrottlingFactory(inner, { readLimit: 10_000, clock });
 * ```
 */
export class ThrottlingFactory extends WrappingFactory {
  /** Most simultaneous connections. */
  readonly maxConnectionCount: number;
  /** Most bytes read per second, or `null`. */
  readonly readLimit: number | null;
  /** Most bytes written per second, or `null`. */
  readonly writeLimit: number | null;
  /** Connections open now. */
  connectionCount = 0;
  /** Bytes read in the current second. */
  readThisSecond = 0;
  /** Bytes written in the current second. */
  writtenThisSecond = 0;
  readonly #clockOption: IReactorTime | undefined;
  #checkRead: IDelayedCall | null = null;
  #checkWrite: IDelayedCall | null = null;
  #unthrottleRead: IDelayedCall | null = null;
  #unthrottleWrite: IDelayedCall | null = null;

  constructor(wrappedFactory: IProtocolFactory, options: ThrottlingOptions = {}) {
    super(wrappedFactory);
    this.maxConnectionCount = options.maxConnectionCount ?? Number.POSITIVE_INFINITY;
    this.readLimit = options.readLimit ?? null;
    this.writeLimit = options.writeLimit ?? null;
    this.#clockOption = options.clock;
  }

  /**
   * Counts bytes written.
   *
   * @example
   * ```ts
   * factory.registerWritten(512);
   * ```
   */
  registerWritten(length: number): void {
    this.writtenThisSecond += length;
  }

  /**
   * Counts bytes read.
   *
   * @example
   * ```ts
   * factory.registerRead(512);
   * ```
   */
  registerRead(length: number): void {
    this.readThisSecond += length;
  }

  /**
   * Builds a wrapped protocol unless `maxConnectionCount` connections are open.
   *
   * @example
   * ```ts
   * factory.buildProtocol(addr); // null when full
   * ```
   */
  override buildProtocol(addr: IAddress): ProtocolWrapper | null {
    if (this.connectionCount >= this.maxConnectionCount) return null;
    if (this.connectionCount === 0) this.#startChecks();
    const p = super.buildProtocol(addr);
    if (p === null) {
      if (this.connectionCount === 0) this.#stopChecks();
      return null;
    }
    this.connectionCount++;
    return p;
  }

  /**
   * A connection closed; the checks stop with the last one.
   *
   * @example
   * ```ts
   * factory.unregisterProtocol(wrapper);
   * ```
   */
  override unregisterProtocol(p: ProtocolWrapper): void {
    if (!this.protocols.has(p)) return;
    super.unregisterProtocol(p);
    this.connectionCount--;
    if (this.connectionCount === 0) this.#stopChecks();
  }

  protected override wrap(wrapped: IProtocol, _addr: IAddress): ProtocolWrapper {
    return new ThrottlingProtocol(this, wrapped);
  }

  #clock(): IReactorTime {
    return this.#clockOption ?? getReactor();
  }

  #each(f: (p: ThrottlingProtocol) => void): void {
    for (const p of this.protocols) if (p instanceof ThrottlingProtocol) f(p);
  }

  #checkReadBandwidth = (): void => {
    const limit = this.readLimit as number;
    if (this.readThisSecond > limit) {
      this.#each((p) => p.throttleReads());
      this.#unthrottleRead = this.#clock().callLater(this.readThisSecond / limit - 1, () => {
        this.#unthrottleRead = null;
        this.#each((p) => p.unthrottleReads());
      });
    }
    this.readThisSecond = 0;
    this.#checkRead = this.#clock().callLater(1, this.#checkReadBandwidth);
  };

  #checkWriteBandwidth = (): void => {
    const limit = this.writeLimit as number;
    if (this.writtenThisSecond > limit) {
      this.#each((p) => p.throttleWrites());
      this.#unthrottleWrite = this.#clock().callLater(this.writtenThisSecond / limit - 1, () => {
        this.#unthrottleWrite = null;
        this.#each((p) => p.unthrottleWrites());
      });
    }
    this.writtenThisSecond = 0;
    this.#checkWrite = this.#clock().callLater(1, this.#checkWriteBandwidth);
  };

  #startChecks(): void {
    if (this.readLimit !== null && this.#checkRead === null) {
      this.readThisSecond = 0;
      this.#checkRead = this.#clock().callLater(1, this.#checkReadBandwidth);
    }
    if (this.writeLimit !== null && this.#checkWrite === null) {
      this.writtenThisSecond = 0;
      this.#checkWrite = this.#clock().callLater(1, this.#checkWriteBandwidth);
    }
  }

  #stopChecks(): void {
    for (const c of [this.#checkRead, this.#checkWrite, this.#unthrottleRead, this.#unthrottleWrite]) {
      if (c?.active()) c.cancel();
    }
    this.#checkRead = this.#checkWrite = this.#unthrottleRead = this.#unthrottleWrite = null;
  }
}
