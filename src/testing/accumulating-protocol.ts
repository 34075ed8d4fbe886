/**
 * `AccumulatingProtocol`: a protocol that only remembers what happened to it — whether it was
 * connected, every byte received, whether and why it was closed — so transport and reactor tests
 * can assert on the transport's behaviour without writing a protocol each time. Twisted's
 * `AccumulatingProtocol`, plus a factory that hands out Deferreds for "a connection was made".
 *
 * @example
 * ```ts
 * import { AccumulatingFactory } from 'twisted-ts/testing';
 * const factory = new AccumulatingFactory();
 * reactor.listenTCP(0, factory);
 * const server = await factory.nextConnection();
 * ```
 * @module
 */
import { Deferred } from '../internet/defer.js';
import type { IAddress } from '../internet/interfaces.js';
import { ClientFactory, Protocol } from '../internet/protocol.js';

/**
 * Records its connection: `made`, the bytes received (`data`), `closed` and `closedReason`.
 * Set `closedDeferred` to be told when the connection closes (it fires with the reason).
 *
 * @example
 * ```ts
 * const proto = new AccumulatingProtocol();
 * proto.makeConnection(new StringTransport());
 * proto.dataReceived(Buffer.from('abc'));
 * proto.data.toString(); // 'abc'
 * ```
 */
export class AccumulatingProtocol extends Protocol {
  /** True once `connectionMade` ran. */
  made = false;
  /** True once `connectionLost` ran. */
  closed = false;
  /** The reason given to `connectionLost`. */
  closedReason: Error | null = null;
  /** Fired with the reason (then cleared) when the connection closes. */
  closedDeferred: Deferred<Error> | null = null;
  /** Fired with this protocol (then cleared) when the connection is made. */
  madeDeferred: Deferred<AccumulatingProtocol> | null = null;
  #chunks: Buffer[] = [];
  #length = 0;

  /**
   * Everything received so far, as one Buffer.
   *
   * @example
   * ```ts
   * assert.equal(proto.data.toString(), 'hello');
   * ```
   */
  get data(): Buffer {
    if (this.#chunks.length !== 1) this.#chunks = [Buffer.concat(this.#chunks)];
    return this.#chunks[0] as Buffer;
  }

  /**
   * How many bytes were received, without joining them (cheap for large transfers).
   *
   * @example
   * ```ts
   * assert.equal(proto.receivedLength, 10 * 1024 * 1024);
   * ```
   */
  get receivedLength(): number {
    return this.#length;
  }

  /**
   * Records `made`, then fires `madeDeferred` and the factory's `protocolConnectionMade`.
   *
   * @example
   * ```ts
   * proto.makeConnection(transport); // proto.made === true
   * ```
   */
  override connectionMade(): void {
    this.made = true;
    const d = this.madeDeferred;
    this.madeDeferred = null;
    d?.callback(this);
    if (this.factory instanceof AccumulatingFactory) this.factory.connectionMadeBy(this);
  }

  /**
   * Keeps the chunk.
   *
   * @example
   * ```ts
   * proto.dataReceived(Buffer.from('x'));
   * ```
   */
  override dataReceived(data: Buffer): void {
    this.#chunks.push(data);
    this.#length += data.length;
  }

  /**
   * Records `closed` and `closedReason`, then fires `closedDeferred` with the reason.
   *
   * @example
   * ```ts
   * proto.connectionLost(new ConnectionDone());
   * ```
   */
  override connectionLost(reason: Error): void {
    super.connectionLost(reason);
    this.closed = true;
    this.closedReason = reason;
    const d = this.closedDeferred;
    this.closedDeferred = null;
    d?.callback(reason);
  }
}

/**
 * Builds `AccumulatingProtocol`s (for servers and clients alike), keeps them in `protocols`, and
 * fires `protocolConnectionMade` (Twisted's name) when one connects.
 *
 * @example
 * ```ts
 * const factory = new AccumulatingFactory();
 * factory.protocolConnectionMade = new Deferred();
 * reactor.connectTCP('127.0.0.1', port, factory);
 * const client = await factory.protocolConnectionMade;
 * ```
 */
export class AccumulatingFactory extends ClientFactory {
  /** Every protocol built, in order. */
  readonly protocols: AccumulatingProtocol[] = [];
  /** Fired with the next protocol that connects, then cleared. */
  protocolConnectionMade: Deferred<AccumulatingProtocol> | null = null;
  /** Protocols that connected, in order, for `nextConnection`. */
  readonly #made: AccumulatingProtocol[] = [];
  readonly #waiting: Deferred<AccumulatingProtocol>[] = [];
  #handedOut = 0;

  /**
   * A new `AccumulatingProtocol` with `factory` set.
   *
   * @example
   * ```ts
   * const proto = factory.buildProtocol(addr);
   * ```
   */
  override buildProtocol(_addr: IAddress): AccumulatingProtocol {
    const p = new AccumulatingProtocol();
    p.factory = this;
    this.protocols.push(p);
    return p;
  }

  /**
   * A Deferred for the next connection made (the first one not yet handed out by an earlier
   * call, so calling it twice waits for two connections).
   *
   * @example
   * ```ts
   * const [a, b] = [factory.nextConnection(), factory.nextConnection()];
   * ```
   */
  nextConnection(): Deferred<AccumulatingProtocol> {
    const d = new Deferred<AccumulatingProtocol>();
    this.#waiting.push(d);
    this.#drain();
    return d;
  }

  /**
   * Called by the protocols it built when they connect; fires `protocolConnectionMade` and the
   * Deferreds of `nextConnection`.
   *
   * @example
   * ```ts
   * factory.connectionMadeBy(proto);
   * ```
   */
  connectionMadeBy(proto: AccumulatingProtocol): void {
    this.#made.push(proto);
    const d = this.protocolConnectionMade;
    this.protocolConnectionMade = null;
    d?.callback(proto);
    this.#drain();
  }

  #drain(): void {
    while (this.#waiting.length > 0 && this.#handedOut < this.#made.length) {
      const d = this.#waiting.shift() as Deferred<AccumulatingProtocol>;
      d.callback(this.#made[this.#handedOut++] as AccumulatingProtocol);
    }
  }
}
