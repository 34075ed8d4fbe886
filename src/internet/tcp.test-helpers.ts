/**
 * Test helpers for the TCP tests: a protocol that records what happens to it and lets a test await
 * each step.
 *
 * @example
 * ```ts
 * const p = new Recorder();
 * await p.made;
 * ```
 * @module
 */

import type { IConnector, IHalfCloseableProtocol, IProtocol, ITCPTransport } from './interfaces.js';
import { ClientFactory, Factory, Protocol } from './protocol.js';

/** A Promise and its resolver. */
export interface Waiter<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

/**
 * A Promise with its resolve function.
 *
 * @example
 * ```ts
 * const w = waiter<number>(); w.resolve(1); await w.promise;
 * ```
 */
export function waiter<T>(): Waiter<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * Records connectionMade/dataReceived/connectionLost.
 *
 * @example
 * ```ts
 * const server = new Recorder(); await server.lost.promise;
 * ```
 */
export class Recorder extends Protocol {
  readonly chunks: Buffer[] = [];
  received = 0;
  readonly madeW = waiter<void>();
  readonly lostW = waiter<Error>();
  /** Resolved when `received` reaches `expect`. */
  expect = Number.POSITIVE_INFINITY;
  readonly enoughW = waiter<void>();

  get tcp(): ITCPTransport {
    return this.transport as ITCPTransport;
  }

  get data(): Buffer {
    return Buffer.concat(this.chunks);
  }

  override connectionMade(): void {
    this.madeW.resolve();
  }

  override dataReceived(data: Buffer): void {
    this.chunks.push(data);
    this.received += data.length;
    if (this.received >= this.expect) this.enoughW.resolve();
  }

  override connectionLost(reason: Error): void {
    super.connectionLost(reason);
    this.lostW.resolve(reason);
  }
}

/**
 * A recorder implementing the half-close hooks.
 *
 * @example
 * ```ts
 * const p = new HalfCloseRecorder(); await p.readLost.promise;
 * ```
 */
export class HalfCloseRecorder extends Recorder implements IHalfCloseableProtocol {
  readonly readLostW = waiter<void>();
  readonly writeLostW = waiter<void>();
  readConnectionLost(): void {
    this.readLostW.resolve();
  }
  writeConnectionLost(): void {
    this.writeLostW.resolve();
  }
}

/**
 * A server factory handing out the protocols it built, in order.
 *
 * @example
 * ```ts
 * const f = new CollectingFactory(() => new Recorder()); const p = await f.next();
 * ```
 */
export class CollectingFactory<P extends IProtocol> extends Factory {
  readonly built: Waiter<P>[] = [];
  #count = 0;
  readonly #make: () => P;

  constructor(make: () => P) {
    super();
    this.#make = make;
  }

  override buildProtocol(): P {
    const p = this.#make();
    this.#slot(this.#count++).resolve(p);
    return p;
  }

  /** The n-th protocol built (0-based), once it exists. */
  nth(n: number): Promise<P> {
    return this.#slot(n).promise;
  }

  #slot(n: number): Waiter<P> {
    let w = this.built[n];
    if (w === undefined) {
      w = waiter<P>();
      this.built[n] = w;
    }
    return w;
  }
}

/**
 * A client factory recording its hooks.
 *
 * @example
 * ```ts
 * const f = new RecordingClientFactory(() => new Recorder()); const err = await f.failedW.promise;
 * ```
 */
export class RecordingClientFactory<P extends IProtocol> extends ClientFactory {
  readonly built: P[] = [];
  readonly #slots: Waiter<P>[] = [];
  readonly events: string[] = [];
  readonly failedW = waiter<Error>();
  readonly lostW = waiter<Error>();
  readonly #make: () => P;

  constructor(make: () => P) {
    super();
    this.#make = make;
  }

  override buildProtocol(): P {
    const p = this.#make();
    this.#slot(this.built.length).resolve(p);
    this.built.push(p);
    return p;
  }

  /** The n-th protocol built (0-based), once it exists. */
  nth(n = 0): Promise<P> {
    return this.#slot(n).promise;
  }

  #slot(n: number): Waiter<P> {
    let w = this.#slots[n];
    if (w === undefined) {
      w = waiter<P>();
      this.#slots[n] = w;
    }
    return w;
  }

  override startedConnecting(_c: IConnector): void {
    this.events.push('startedConnecting');
  }

  override clientConnectionFailed(_c: IConnector, reason: Error): void {
    this.events.push(`failed:${reason.name}`);
    this.failedW.resolve(reason);
  }

  override clientConnectionLost(_c: IConnector, reason: Error): void {
    this.events.push(`lost:${reason.name}`);
    this.lostW.resolve(reason);
  }

  override startFactory(): void {
    this.events.push('startFactory');
  }

  override stopFactory(): void {
    this.events.push('stopFactory');
  }
}
