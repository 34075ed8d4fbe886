/**
 * Connection limits as wrapping factories: `LimitTotalConnectionsFactory` (a cap on simultaneous
 * connections, with an optional overflow protocol) and `LimitConnectionsByPeer` (a cap per peer
 * host) — Twisted's policies of the same names.
 *
 * @example
 * ```ts
 * import { LimitConnectionsByPeer } from 'twisted-ts/protocols/policies';
 * reactor.listenTCP(8000, new LimitConnectionsByPeer(factory, { maxConnectionsPerPeer: 3 }));
 * ```
 * @module
 */
import type { IAddress, IProtocol, IProtocolFactory } from '../../internet/interfaces.js';
import type { ProtocolClass } from '../../internet/protocol.js';
import type { ProtocolWrapper } from './wrapping.js';
import { WrappingFactory } from './wrapping.js';

/**
 * Options of `LimitTotalConnectionsFactory`.
 *
 * @example
 * ```ts
 * new LimitTotalConnectionsFactory(factory, { connectionLimit: 100 });
 * ```
 */
export interface LimitTotalConnectionsOptions {
  /** Most simultaneous connections (`null`: unlimited). */
  readonly connectionLimit: number | null;
  /**
   * Protocol run for connections over the limit (e.g. one that says "busy" and closes); without
   * it they are refused. Overflow connections count toward the total, as in Twisted.
   */
  readonly overflowProtocol?: ProtocolClass<IProtocol, []>;
}

/**
 * Refuses (or hands to `overflowProtocol`) connections beyond `connectionLimit` open at once.
 *
 * @example
 * ```ts
 * class Busy extends Protocol { override connectionMade() { this.transport!.write('busy\r\n'); this.transport!.loseConnection(); } }
 * new LimitTotalConnectionsFactory(factory, { connectionLimit: 100, overflowProtocol: Busy });
 * ```
 */
export class LimitTotalConnectionsFactory extends WrappingFactory {
  /** Most simultaneous connections, or `null`. */
  connectionLimit: number | null;
  /** Protocol for connections over the limit, or `null` to refuse them. */
  overflowProtocol: ProtocolClass<IProtocol, []> | null;
  /** Connections open now. */
  connectionCount = 0;

  constructor(wrappedFactory: IProtocolFactory, options: LimitTotalConnectionsOptions) {
    super(wrappedFactory);
    this.connectionLimit = options.connectionLimit;
    this.overflowProtocol = options.overflowProtocol ?? null;
  }

  /**
   * Builds a wrapped protocol, an overflow protocol, or `null`.
   *
   * @example
   * ```ts
   * factory.buildProtocol(addr);
   * ```
   */
  override buildProtocol(addr: IAddress): ProtocolWrapper | null {
    let inner: IProtocol | null;
    if (this.connectionLimit === null || this.connectionCount < this.connectionLimit) {
      inner = this.wrappedFactory.buildProtocol(addr);
    } else if (this.overflowProtocol === null) {
      return null;
    } else {
      inner = new this.overflowProtocol();
      (inner as { factory?: unknown }).factory = this;
    }
    if (inner === null) return null;
    const wrapper = this.wrap(inner, addr);
    wrapper.factory = this;
    this.connectionCount++;
    return wrapper;
  }

  /**
   * A connection closed.
   *
   * @example
   * ```ts
   * factory.unregisterProtocol(wrapper);
   * ```
   */
  override unregisterProtocol(p: ProtocolWrapper): void {
    super.unregisterProtocol(p);
    this.connectionCount--;
  }
}

/**
 * Options of `LimitConnectionsByPeer`.
 *
 * @example
 * ```ts
 * new LimitConnectionsByPeer(factory, { maxConnectionsPerPeer: 10 });
 * ```
 */
export interface LimitConnectionsByPeerOptions {
  /** Most simultaneous connections from one host (default 5, as in Twisted). */
  readonly maxConnectionsPerPeer?: number;
}

/** The host part of an address (IP for TCP/UDP, the path for UNIX, else the type). */
function peerKey(addr: IAddress): string {
  const a = addr as { host?: unknown; name?: unknown; type: string };
  if (typeof a.host === 'string') return a.host;
  if (typeof a.name === 'string') return a.name;
  return a.type;
}

/**
 * Refuses a connection when its peer host already has `maxConnectionsPerPeer` open.
 *
 * @example
 * ```ts
 * const f = new LimitConnectionsByPeer(inner, { maxConnectionsPerPeer: 2 });
 * f.peerConnections.get('10.0.0.2'); // connections from that host
 * ```
 */
export class LimitConnectionsByPeer extends WrappingFactory {
  /** Most simultaneous connections from one host. */
  readonly maxConnectionsPerPeer: number;
  /** Open connections per peer host. */
  readonly peerConnections = new Map<string, number>();
  readonly #keys = new WeakMap<ProtocolWrapper, string>();

  constructor(wrappedFactory: IProtocolFactory, options: LimitConnectionsByPeerOptions = {}) {
    super(wrappedFactory);
    this.maxConnectionsPerPeer = options.maxConnectionsPerPeer ?? 5;
  }

  /**
   * Builds a wrapped protocol unless the peer is at its limit.
   *
   * @example
   * ```ts
   * factory.buildProtocol({ type: 'TCP', family: 'IPv4', host: '10.0.0.2', port: 4000 });
   * ```
   */
  override buildProtocol(addr: IAddress): ProtocolWrapper | null {
    const key = peerKey(addr);
    const count = this.peerConnections.get(key) ?? 0;
    if (count >= this.maxConnectionsPerPeer) return null;
    const p = super.buildProtocol(addr);
    if (p === null) return null;
    this.peerConnections.set(key, count + 1);
    this.#keys.set(p, key);
    return p;
  }

  /**
   * A connection closed: its peer may connect again.
   *
   * @example
   * ```ts
   * factory.unregisterProtocol(wrapper);
   * ```
   */
  override unregisterProtocol(p: ProtocolWrapper): void {
    super.unregisterProtocol(p);
    const key = this.#keys.get(p);
    if (key === undefined) return;
    this.#keys.delete(p);
    const n = (this.peerConnections.get(key) ?? 1) - 1;
    if (n <= 0) this.peerConnections.delete(key);
    else this.peerConnections.set(key, n);
  }
}
