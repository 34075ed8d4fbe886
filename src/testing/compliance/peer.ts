/**
 * Scriptable protocols for the stream compliance suite: each records what happened to it and
 * exposes Deferreds the tests wait on ("made", "received n bytes", "lost"), with hooks for the
 * test's script. `HalfCloseablePeer` adds the half-close hooks (a plain `Peer` does not have
 * them, so transports treat it as not half-closeable).
 *
 * @example
 * ```ts
 * const factory = new PeerFactory(() => new Peer({ onData: (p, data) => p.transport!.write(data) }));
 * ```
 * @module
 */
import { Deferred } from '../../internet/defer.js';
import type { IAddress, IHalfCloseableProtocol, IStreamTransport } from '../../internet/interfaces.js';
import { ClientFactory, Protocol } from '../../internet/protocol.js';

/**
 * The script a `Peer` follows: each hook runs after the peer recorded the event.
 *
 * @example
 * ```ts
 * const hooks: PeerHooks = { onMade: (p) => p.transport!.write('hello'), onData: (p) => p.transport!.loseConnection() };
 * const peer = new Peer(hooks);
 * ```
 */
export interface PeerHooks {
  /** Runs once connected: send a greeting, or close at once. */
  onMade?(peer: Peer): void;
  /** Runs on each chunk received (after `data` and `receivedLength` include it). */
  onData?(peer: Peer, data: Buffer): void;
  /** Runs when the other side's EOF arrives (only on a `HalfCloseablePeer`). */
  onReadConnectionLost?(peer: Peer): void;
}

/**
 * A protocol that records events and bytes and lets tests wait on them.
 *
 * @example
 * ```ts
 * const peer = new Peer();
 * await peer.receivedAtLeast(5);
 * ```
 */
export class Peer extends Protocol {
  /** What happened, in order: 'made', 'data', 'readConnectionLost', 'writeConnectionLost', 'lost'. */
  readonly events: string[] = [];
  /** Fires once connected. */
  readonly made = new Deferred<Peer>();
  /** Fires with the reason given to `connectionLost`. */
  readonly lost = new Deferred<Error>();
  /** How many times `connectionLost` ran. */
  lostCount = 0;
  /** Bytes received so far (cheaper than `data.length`). */
  receivedLength = 0;
  readonly #chunks: Buffer[] = [];
  readonly #waiters: { length: number; d: Deferred<Buffer> }[] = [];
  /** The script given to the constructor; subclasses call its hooks. */
  protected readonly hooks: PeerHooks;

  constructor(hooks: PeerHooks = {}) {
    super();
    this.hooks = hooks;
  }

  /** The transport, typed as the stream transport the suite tests. */
  get stream(): IStreamTransport {
    return this.transport as IStreamTransport;
  }

  /** Everything received so far. */
  get data(): Buffer {
    return Buffer.concat(this.#chunks);
  }

  /**
   * Fires with `data` once at least `length` bytes arrived.
   *
   * @example
   * ```ts
   * await client.receivedAtLeast(4);
   * ```
   */
  receivedAtLeast(length: number): Deferred<Buffer> {
    const d = new Deferred<Buffer>();
    this.#waiters.push({ length, d });
    this.#check();
    return d;
  }

  override connectionMade(): void {
    this.events.push('made');
    this.made.callback(this);
    this.hooks.onMade?.(this);
  }

  override dataReceived(data: Buffer): void {
    if (this.events[this.events.length - 1] !== 'data') this.events.push('data');
    this.#chunks.push(data);
    this.receivedLength += data.length;
    this.#check();
    this.hooks.onData?.(this, data);
  }

  override connectionLost(reason: Error): void {
    super.connectionLost(reason);
    this.events.push('lost');
    this.lostCount++;
    if (!this.lost.called) this.lost.callback(reason);
  }

  #check(): void {
    for (let i = 0; i < this.#waiters.length; ) {
      const w = this.#waiters[i] as { length: number; d: Deferred<Buffer> };
      if (this.receivedLength >= w.length) {
        this.#waiters.splice(i, 1);
        w.d.callback(this.data);
      } else i++;
    }
  }
}

/**
 * A `Peer` that implements `IHalfCloseableProtocol`.
 *
 * @example
 * ```ts
 * const server = new HalfCloseablePeer({ onReadConnectionLost: (p) => p.transport!.loseConnection() });
 * ```
 */
export class HalfCloseablePeer extends Peer implements IHalfCloseableProtocol {
  /** Fires when the peer's EOF arrives. */
  readonly readLost = new Deferred<void>();

  readConnectionLost(): void {
    this.events.push('readConnectionLost');
    this.readLost.callback(undefined);
    this.hooks.onReadConnectionLost?.(this);
  }

  writeConnectionLost(): void {
    this.events.push('writeConnectionLost');
  }
}

/**
 * A factory (usable on both sides) whose `buildProtocol` calls `make`, keeping every protocol
 * built in `built` and handing them out in order, once connected, through `next()`.
 *
 * @example
 * ```ts
 * const factory = new PeerFactory(() => new Peer());
 * const server = await factory.next();
 * ```
 */
export class PeerFactory<P extends Peer> extends ClientFactory {
  /** Every protocol built, in order. */
  readonly built: P[] = [];
  readonly #make: () => P;
  readonly #waiting: { index: number; d: Deferred<P> }[] = [];
  #handed = 0;

  constructor(make: () => P) {
    super();
    this.#make = make;
  }

  override buildProtocol(_addr: IAddress): P {
    const p = this.#make();
    p.factory = this;
    this.built.push(p);
    this.#attach();
    return p;
  }

  /**
   * Fires with the next protocol built, once it is connected.
   *
   * @example
   * ```ts
   * const [first, second] = [factory.next(), factory.next()];
   * ```
   */
  next(): Deferred<P> {
    const d = new Deferred<P>();
    this.#waiting.push({ index: this.#handed++, d });
    this.#attach();
    return d;
  }

  #attach(): void {
    for (let i = 0; i < this.#waiting.length; ) {
      const w = this.#waiting[i] as { index: number; d: Deferred<P> };
      const p = this.built[w.index];
      if (p === undefined) {
        i++;
        continue;
      }
      this.#waiting.splice(i, 1);
      p.made.addCallback(() => {
        w.d.callback(p);
        return p;
      });
    }
  }
}
