/**
 * `Protocol` and the factories that build one per connection, as in Twisted.
 *
 * @example
 * ```ts
 * import { Factory, Protocol, reactor } from 'twisted-ts/internet';
 * class Echo extends Protocol {
 *   override dataReceived(data: Buffer) { this.transport!.write(data); }
 * }
 * reactor.listenTCP(8000, Factory.forProtocol(Echo));
 * reactor.run();
 * ```
 * @module
 */
import { ConnectionDone } from './error.js';
import type {
  IAddress,
  IClientFactory,
  IConnector,
  IProtocol,
  IProtocolFactory,
  ITransport,
} from './interfaces.js';

/**
 * The base class of stream protocols: override `connectionMade`, `dataReceived` and
 * `connectionLost`. The transport calls `makeConnection` once, then `dataReceived` per chunk.
 *
 * @example
 * ```ts
 * class Echo extends Protocol {
 *   override dataReceived(data: Buffer) { this.transport!.write(data); }
 * }
 * ```
 */
export class Protocol implements IProtocol {
  /** The connection this protocol talks over; set by `makeConnection`. */
  transport: ITransport | null = null;
  /** The factory that built this protocol, when one did. */
  factory: IProtocolFactory | null = null;
  /** True between `makeConnection` and `connectionLost`. */
  connected = false;

  /**
   * Connects the protocol to a transport, then calls `connectionMade()`. Transports call it; tests too.
   *
   * @example
   * ```ts
   * proto.makeConnection(new StringTransport());
   * ```
   */
  makeConnection(transport: ITransport): void {
    this.connected = true;
    this.transport = transport;
    this.connectionMade();
  }

  /**
   * Called once the connection is up; `this.transport` is set.
   *
   * @example
   * ```ts
   * override connectionMade() { this.transport!.write('220 ready\r\n'); }
   * ```
   */
  connectionMade(): void {}

  /**
   * Called with each chunk of bytes received; chunk boundaries mean nothing.
   *
   * @example
   * ```ts
   * override dataReceived(data: Buffer) { this.#received.push(data); }
   * ```
   */
  dataReceived(_data: Buffer): void {}

  /**
   * Called once when the connection closes; `reason` is `ConnectionDone` when clean. Call `super`.
   *
   * @example
   * ```ts
   * override connectionLost(reason: Error) { super.connectionLost(reason); this.#timer?.cancel(); }
   * ```
   */
  connectionLost(_reason: Error = new ConnectionDone()): void {
    this.connected = false;
  }
}

/**
 * A protocol class whose constructor takes `args`.
 *
 * @example
 * ```ts
 * class Greeter extends Protocol {
 *   constructor(readonly greeting: string) { super(); }
 *   override connectionMade() { this.transport!.write(this.greeting); }
 * }
 * const cls: ProtocolClass<Greeter, [greeting: string]> = Greeter;
 * reactor.listenTCP(8000, Factory.forProtocol(cls, 'hello\r\n'));
 * ```
 */
export type ProtocolClass<P extends IProtocol = IProtocol, A extends unknown[] = unknown[]> = new (
  ...args: A
) => P;

/**
 * Builds a protocol for each connection. Set `protocol` (or use `Factory.forProtocol`) or override
 * `buildProtocol`. `startFactory`/`stopFactory` run when the first port starts using the factory
 * and the last one stops (ref-counted by `doStart`/`doStop`).
 *
 * @example
 * ```ts
 * class ChatFactory extends Factory {
 *   readonly users = new Map<string, Chat>();
 *   override buildProtocol() { return new Chat(this.users); }
 * }
 * reactor.listenTCP(8123, new ChatFactory());
 * ```
 */
export class Factory implements IProtocolFactory {
  /** The class `buildProtocol` instantiates. */
  protocol: ProtocolClass<IProtocol, []> | null = null;
  /** How many ports/connectors use this factory now. */
  numPorts = 0;
  /** Arguments passed to `protocol`'s constructor by `buildProtocol`. */
  protected protocolArgs: unknown[] = [];

  /**
   * A factory whose `buildProtocol` returns `new P(...args)`.
   *
   * @example
   * ```ts
   * reactor.listenTCP(0, Factory.forProtocol(Echo));
   * ```
   */
  static forProtocol<F extends Factory, A extends unknown[]>(
    this: new () => F,
    protocol: ProtocolClass<IProtocol, A>,
    ...args: A
  ): F {
    const f = new this();
    f.protocol = protocol as unknown as ProtocolClass<IProtocol, []>;
    f.protocolArgs = args;
    return f;
  }

  /**
   * Ref-counted start: calls `startFactory()` for the first user. Ports and connectors call it.
   *
   * @example
   * ```ts
   * factory.doStart(); // startFactory() runs only if no other port uses the factory
   * ```
   */
  doStart(): void {
    if (this.numPorts === 0) this.startFactory();
    this.numPorts++;
  }

  /**
   * Ref-counted stop: calls `stopFactory()` when the last user stops.
   *
   * @example
   * ```ts
   * factory.doStop();
   * ```
   */
  doStop(): void {
    if (this.numPorts === 0) return;
    this.numPorts--;
    if (this.numPorts === 0) this.stopFactory();
  }

  /**
   * Hook: the factory starts being used (open files, connect to databases…).
   *
   * @example
   * ```ts
   * override startFactory() { this.log = openSync('chat.log', 'a'); }
   * ```
   */
  startFactory(): void {}

  /**
   * Hook: the factory is no longer used.
   *
   * @example
   * ```ts
   * override stopFactory() { closeSync(this.log); }
   * ```
   */
  stopFactory(): void {}

  /**
   * Returns a new protocol with `factory` set, or `null` to refuse the connection.
   *
   * @example
   * ```ts
   * override buildProtocol(addr: IAddress) { return banned.has(addr.host) ? null : super.buildProtocol(addr); }
   * ```
   */
  buildProtocol(_addr: IAddress): IProtocol | null {
    if (this.protocol === null) throw new TypeError(`${this.constructor.name}.protocol is not set`);
    const Ctor = this.protocol as unknown as ProtocolClass<IProtocol, unknown[]>;
    const p = new Ctor(...this.protocolArgs);
    (p as { factory?: IProtocolFactory | null }).factory = this;
    return p;
  }
}

/**
 * A factory for servers; the same as `Factory`, named for intent.
 *
 * @example
 * ```ts
 * reactor.listenTCP(8000, ServerFactory.forProtocol(Echo));
 * ```
 */
export class ServerFactory extends Factory {}

/**
 * A factory for clients, with the connection lifecycle hooks.
 *
 * @example
 * ```ts
 * class Once extends ClientFactory {
 *   override clientConnectionFailed(_c: IConnector, reason: Error) { console.error(reason.message); }
 * }
 * reactor.connectTCP('127.0.0.1', 8000, Once.forProtocol(EchoClient));
 * ```
 */
export class ClientFactory extends Factory implements IClientFactory {
  /**
   * A connection attempt started.
   *
   * @example
   * ```ts
   * override startedConnecting(connector: IConnector) { console.log('connecting to', connector.getDestination()); }
   * ```
   */
  startedConnecting(_connector: IConnector): void {}
  /**
   * A connection attempt failed (`ConnectionRefusedError`, `TimeoutError`, `DNSLookupError`…).
   *
   * @example
   * ```ts
   * override clientConnectionFailed(_c: IConnector, reason: Error) { this.done.errback(reason); }
   * ```
   */
  clientConnectionFailed(_connector: IConnector, _reason: Error): void {}
  /**
   * An established connection was lost; `connector.connect()` tries again.
   *
   * @example
   * ```ts
   * override clientConnectionLost(connector: IConnector) { connector.connect(); }
   * ```
   */
  clientConnectionLost(_connector: IConnector, _reason: Error): void {}
}
