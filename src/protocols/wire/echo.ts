/**
 * Echo (RFC 862): sends back everything received.
 *
 * @example
 * ```ts
 * import { EchoFactory } from 'twisted-ts/protocols/wire';
 * reactor.listenTCP(7, new EchoFactory());
 * ```
 * @module
 */
import type { Buffer } from 'node:buffer';
import type { IProtocol } from '../../internet/interfaces.js';
import { Factory, Protocol, type ProtocolClass } from '../../internet/protocol.js';

/**
 * Writes back every chunk it receives; closes its side when the peer half-closes.
 *
 * @example
 * ```ts
 * reactor.listenTCP(7, Factory.forProtocol(Echo));
 * ```
 */
export class Echo extends Protocol {
  override dataReceived(data: Buffer): void {
    this.transport?.write(data);
  }

  /**
   * The peer sent EOF: everything was echoed, so close.
   *
   * @example
   * ```ts
   * echo.readConnectionLost();
   * ```
   */
  readConnectionLost(): void {
    this.transport?.loseConnection();
  }

  /**
   * Our write side closed; nothing to do.
   *
   * @example
   * ```ts
   * echo.writeConnectionLost();
   * ```
   */
  writeConnectionLost(): void {}
}

/**
 * A factory of `Echo` protocols.
 *
 * @example
 * ```ts
 * reactor.listenTCP(0, new EchoFactory());
 * ```
 */
export class EchoFactory extends Factory {
  override protocol: ProtocolClass<IProtocol, []> = Echo;
}
