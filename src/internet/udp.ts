/**
 * UDP: `listenUDP(port, protocol)` binds a datagram socket and drives a `DatagramProtocol`, as in
 * Twisted. `transport.write(data, [host, port])` sends a datagram; `transport.connect(host, port)`
 * makes it a connected socket (write without an address; ICMP refusals reach
 * `connectionRefused()`). IPv6 is used when the interface contains a colon.
 *
 * Unlike Twisted, binding is asynchronous in Node: `listenUDP` returns the port at once and
 * `startProtocol()` runs once the socket is bound; `port.whenListening()` fires then (or errbacks
 * with `CannotListenError`). Writes made before that are queued by Node.
 *
 * @example
 * ```ts
 * import { DatagramProtocol, listenUDP } from 'twisted-ts/internet';
 * class Echo extends DatagramProtocol {
 *   override datagramReceived(data: Buffer, addr: IPv4Address | IPv6Address) {
 *     this.transport!.write(data, [addr.host, addr.port]);
 *   }
 * }
 * const port = listenUDP(9999, new Echo(), { interface: '127.0.0.1' });
 * await port.whenListening();
 * ```
 * @module
 */
import { getReactor } from './default-reactor.js';
import { type DatagramProtocol, type ListenUDPOptions, setDefaultUDPReactor, UDPPort } from './udp-port.js';

export * from './udp-port.js';

setDefaultUDPReactor(getReactor);

/**
 * Binds a UDP port and connects `protocol` to it; port `0` picks a free port.
 *
 * @example
 * ```ts
 * const port = listenUDP(0, new Echo(), { interface: '127.0.0.1' });
 * await port.whenListening();
 * ```
 */
export function listenUDP(port: number, protocol: DatagramProtocol, options: ListenUDPOptions = {}): UDPPort {
  const p = new UDPPort(port, protocol, options);
  p.startListening();
  return p;
}
