/**
 * Discard (RFC 863): reads and throws away everything.
 *
 * @example
 * ```ts
 * import { DiscardFactory } from 'twisted-ts/protocols/wire';
 * reactor.listenTCP(9, new DiscardFactory());
 * ```
 * @module
 */
import type { Buffer } from 'node:buffer';
import type { IProtocol } from '../../internet/interfaces.js';
import { Factory, Protocol, type ProtocolClass } from '../../internet/protocol.js';

/**
 * Ignores every byte it receives and never writes.
 *
 * @example
 * ```ts
 * reactor.listenTCP(9, Factory.forProtocol(Discard));
 * ```
 */
export class Discard extends Protocol {
  override dataReceived(_data: Buffer): void {}
}

/**
 * A factory of `Discard` protocols.
 *
 * @example
 * ```ts
 * reactor.listenTCP(0, new DiscardFactory());
 * ```
 */
export class DiscardFactory extends Factory {
  override protocol: ProtocolClass<IProtocol, []> = Discard;
}
