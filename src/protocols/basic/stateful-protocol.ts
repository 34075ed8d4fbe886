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
 * @example
 * ```ts
 * class Fixed extends StatefulProtocol {
 *   override getInitialState(): StateTransition { return [(d) => this.got.push(d), 8]; }
 * }
 * ```
 */
export class StatefulProtocol extends Protocol {
  readonly #codec = new ByteCountCodec();
  #state: StateTransition | null = null;

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
    this.#codec.feed(data);
    for (let piece = this.#codec.next(); piece !== null; piece = this.#codec.next()) {
      const state = this.#state as StateTransition;
      const next = state[0].call(this, piece);
      if (next) this.#enter(next);
      else if (state[1] === 0) break; // a 0-byte state that stays put would loop forever
    }
  }

  #enter(state: StateTransition): void {
    this.#state = state;
    this.#codec.expect(state[1]);
  }
}
