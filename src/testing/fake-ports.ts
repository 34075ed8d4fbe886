/**
 * The port and connector `MemoryReactor` returns: they open nothing and record what was asked
 * of them (re-exported by memory-reactor.ts).
 *
 * @example
 * ```ts
 * const port = reactor.listenTCP(80, factory) as FakePort;
 * await port.stopListening();
 * ```
 * @module
 */
import { type Deferred, succeed } from '../internet/defer.js';
import type { IAddress, IConnector, IListeningPort } from '../internet/interfaces.js';

/**
 * The listening port `MemoryReactor.listenTCP` returns: it only records whether it listens.
 *
 * @example
 * ```ts
 * const port = reactor.listenTCP(80, factory) as FakePort;
 * await port.stopListening();
 * assert.equal(port.listening, false);
 * ```
 */
export class FakePort implements IListeningPort {
  /** True until `stopListening()`. */
  listening = true;
  readonly #address: IAddress;

  constructor(address: IAddress) {
    this.#address = address;
  }

  /**
   * Marks the port as listening again.
   *
   * @example
   * ```ts
   * port.startListening();
   * ```
   */
  startListening(): void {
    this.listening = true;
  }

  /**
   * Marks the port as stopped; the Deferred has already fired.
   *
   * @example
   * ```ts
   * successResultOf(port.stopListening());
   * ```
   */
  stopListening(): Deferred<void> {
    this.listening = false;
    return succeed<void>(undefined);
  }

  /**
   * The address given to `listenTCP` (`0.0.0.0` or the interface asked for).
   *
   * @example
   * ```ts
   * port.getHost().port; // the port given to listenTCP
   * ```
   */
  getHost(): IAddress {
    return this.#address;
  }
}

/**
 * The connector `MemoryReactor.connectTCP` returns: it records what was asked of it.
 *
 * @example
 * ```ts
 * const connector = reactor.connectors[0]!;
 * factory.stopTrying();
 * assert.equal(connector.stoppedConnecting, true);
 * ```
 */
export class FakeConnector implements IConnector {
  /** True once `stopConnecting()` was called. */
  stoppedConnecting = false;
  /** True once `disconnect()` was called. */
  disconnected = false;
  /** How many times `connect()` was called (retries). */
  connectCount = 0;
  readonly #destination: IAddress;

  constructor(destination: IAddress) {
    this.#destination = destination;
  }

  /**
   * Records `stoppedConnecting`.
   *
   * @example
   * ```ts
   * connector.stopConnecting();
   * ```
   */
  stopConnecting(): void {
    this.stoppedConnecting = true;
  }

  /**
   * Records `disconnected`.
   *
   * @example
   * ```ts
   * connector.disconnect();
   * ```
   */
  disconnect(): void {
    this.disconnected = true;
  }

  /**
   * Counts a (re)connection attempt in `connectCount`.
   *
   * @example
   * ```ts
   * clock.advance(retryDelay);
   * assert.equal(connector.connectCount, 1);
   * ```
   */
  connect(): void {
    this.connectCount++;
  }

  /**
   * Where `connectTCP` was asked to connect.
   *
   * @example
   * ```ts
   * connector.getDestination(); // { type: 'TCP', family: 'IPv4', host, port }
   * ```
   */
  getDestination(): IAddress {
    return this.#destination;
  }
}
