/**
 * `StatefulProtocol`: a protocol that reads fixed-size pieces, each handled by the current state,
 * Twisted's `twisted.protocols.stateful.StatefulProtocol`, over the sans-IO `ByteCountCodec`.
 *
 * @example
 * ```ts
 * import { StatefulProtocol, type StateTransition } from 'twisted-ts/protocols/basic';
 * class Records extends StatefulProtocol {
 *   override getInitialState(): StateTransition { return [this.header, 2]; }
 *   header(data: Buffer): StateTransition { return [this.body, data.readUInt16BE(0)]; }
 *   body(data: Buffer): StateTransition { this.onRecord(data); return [this.header, 2]; }
 * }
 * ```
 * @module
 */
import type { Buffer } from 'node:buffer';
import { Protocol } from '../../internet/protocol.js';
import { ByteCountCodec } from './codec/stateful-codec.js';

/**
 * A state: handles a piece and returns the next state, or nothing to stay in this one.
 *
 * @example
 * ```ts
 * header(data: Buffer): StateTransition { return [this.body, data.readUInt16BE(0)]; }
 * ```
 */
export type StateHandler = (data: Buffer) => StateTransition | undefined | void;

/**
 * A state and the number of bytes it wants next.
 *
 * @example
 * ```ts
 * override getInitialState(): StateTransition { return [this.header, 2]; }
 * ```
 */
export type StateTransition = readonly [handler: StateHandler, bytes: number];

/**
 * Reads the stream in pieces whose size the current state decides. Handlers are called with
 * `this` bound to the protocol, so methods can be used directly. Returning nothing keeps the
 * current state and size.
 *
 * A state asking for more than `maxLength` bytes (default 16 MiB) is refused before anything is
 * buffered for it: `lengthLimitExceeded(size)` runs (default: lose the connection) and no more
 * data is delivered. Sizes often come from the peer (a length header); without the limit a peer
 * could make the protocol hold gigabytes. Twisted's `StatefulProtocol` has no limit.
 *
 * @example
 * ```ts
 * class Fixed extends StatefulProtocol {
 *   override getInitialState(): StateTransition { return [(d) => this.got.push(d), 8]; }
 * }
 * ```
 */
export class StatefulProtocol extends Protocol {
  /** The largest piece a state may ask for, in bytes. */
  maxLength = 16 * 1024 * 1024;
  readonly #codec = new ByteCountCodec();
  #state: StateTransition | null = null;
  /** A state asked for more than `maxLength`: nothing more is read. */
  #refused = false;

  /**
   * The first state. Override it.
   *
   * @example
   * ```ts
   * override getInitialState(): StateTransition { return [this.readHeader, 4]; }
   * ```
   */
  getInitialState(): StateTransition {
    throw new TypeError(`${this.constructor.name} must override getInitialState()`);
  }

  /**
   * Called when a state asks for more than `maxLength` bytes; no more data is delivered after it.
   * Default: lose the connection.
   *
   * @example
   * ```ts
   * override lengthLimitExceeded(size: number) { log.warn(`refused a ${size}-byte record`); super.lengthLimitExceeded(size); }
   * ```
   */
  lengthLimitExceeded(_size: number): void {
    this.transport?.loseConnection();
  }

  /**
   * Sets up the initial state, then calls `connectionMade()`.
   *
   * @example
   * ```ts
   * proto.makeConnection(new StringTransport());
   * ```
   */
  override makeConnection(transport: Parameters<Protocol['makeConnection']>[0]): void {
    this.#enter(this.getInitialState());
    super.makeConnection(transport);
  }

  /**
   * Cuts received bytes into pieces and hands each to the current state.
   *
   * @example
   * ```ts
   * proto.dataReceived(Buffer.from([0, 3, 1, 2, 3]));
   * ```
   */
  override dataReceived(data: Buffer): void {
    if (this.#state === null) this.#enter(this.getInitialState());
    if (this.#refused || this.#overLimit()) return;
    this.#codec.feed(data);
    for (let piece = this.#codec.next(); piece !== null; piece = this.#codec.next()) {
      const state = this.#state as StateTransition;
      const next = state[0].call(this, piece);
      if (next) {
        this.#enter(next);
        if (this.#overLimit()) return;
      } else if (state[1] === 0) break; // a 0-byte state that stays put would loop forever
    }
  }

  #enter(state: StateTransition): void {
    this.#state = state;
    this.#codec.expect(state[1]);
  }

  /** Refuses the current state if it asks for too much: drops what is held, tells the subclass. */
  #overLimit(): boolean {
    const size = (this.#state as StateTransition)[1];
    if (size <= this.maxLength) return false;
    this.#refused = true;
    this.#codec.takeBuffered();
    this.lengthLimitExceeded(size);
    return true;
  }
}
