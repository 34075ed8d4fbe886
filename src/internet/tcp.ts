/**
 * TCP for `NodeReactor`: the listening `TCPPort`, the outgoing `TCPConnector` and the connected
 * `StreamTransport` (Twisted's `twisted.internet.tcp`).
 *
 * @example
 * ```ts
 * import { reactor, Factory } from 'twisted-ts/internet';
 * const port = reactor.listenTCP(0, Factory.forProtocol(Echo), { interface: '127.0.0.1' });
 * ```
 * @module
 */

export { ProducerSlot } from './producer-slot.js';
export { HIGH_WATER_MARK, StreamTransport, type TransportOwner } from './stream-transport.js';
export {
  type ConnectionRegistry,
  type ConnectorState,
  connectErrorFor,
  TCPConnector,
} from './tcp-connector.js';
export { TCPPort } from './tcp-port.js';
