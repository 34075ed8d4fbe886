/**
 * Test helpers for the HTTP client: a reactor whose sockets are real but whose time is a `Clock`,
 * so loopback tests drive timeouts with `clock.advance` instead of waiting.
 *
 * @example
 * ```ts
 * const clock = new Clock();
 * const agent = new Agent(socketsWithClock(reactor, clock), { headersTimeout: 5 });
 * const d = agent.request('GET', url);
 * clock.advance(5); // d errbacks with ResponseHeadersTimeoutError
 * ```
 * @module
 */
import { type Deferred, succeed } from '../../internet/defer.js';
import type { IStreamClientEndpoint } from '../../internet/endpoints/interfaces.js';
import type { IProtocol, IProtocolFactory } from '../../internet/interfaces.js';
import { Protocol } from '../../internet/protocol.js';
import type { NodeReactor } from '../../internet/reactor.js';
import type { Clock } from '../../testing/clock.js';
import { StringTransportWithDisconnection } from '../../testing/string-transport.js';
import type { AgentReactor } from './agent.js';

/**
 * `reactor`'s TCP, TLS and name resolution with `clock`'s time.
 *
 * @example
 * ```ts
 * new Agent(socketsWithClock(reactor, clock));
 * ```
 */
export function socketsWithClock(reactor: NodeReactor, clock: Clock): AgentReactor {
  return {
    listenTCP: reactor.listenTCP.bind(reactor),
    connectTCP: reactor.connectTCP.bind(reactor),
    listenSSL: reactor.listenSSL.bind(reactor),
    connectSSL: reactor.connectSSL.bind(reactor),
    nameResolver: reactor.nameResolver,
    seconds: () => clock.seconds(),
    callLater: (seconds, f, ...args) => clock.callLater(seconds, f, ...args),
    getDelayedCalls: () => clock.getDelayedCalls(),
  };
}

/**
 * A Promise with its resolver, for waiting on an event a server callback reports.
 *
 * @example
 * ```ts
 * const closed = signal(); socket.once('close', closed.resolve); await closed.promise;
 * ```
 */
export function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** One connection made by a `MemoryEndpoint`. */
export interface MemoryConnection {
  readonly proto: IProtocol;
  readonly transport: StringTransportWithDisconnection;
}

/**
 * An endpoint that connects at once to a `StringTransport`, recording each connection so the test
 * can read what was sent and answer.
 *
 * @example
 * ```ts
 * const endpoint = new MemoryEndpoint();
 * const d = pool.request(key, endpoint, req, {});
 * endpoint.answer(0, 'HTTP/1.1 204 No Content\r\n\r\n');
 * ```
 */
export class MemoryEndpoint implements IStreamClientEndpoint {
  readonly conns: MemoryConnection[] = [];
  connect(factory: IProtocolFactory): Deferred<IProtocol> {
    const proto = factory.buildProtocol({ type: 'memory' }) as IProtocol;
    const transport = new StringTransportWithDisconnection();
    transport.protocol = proto;
    proto.makeConnection(transport);
    this.conns.push({ proto, transport });
    return succeed(proto);
  }
  /** What was written on connection `i`, as latin1 text. */
  sent(i: number): string {
    return this.conns[i]?.transport.value().toString('latin1') ?? '';
  }
  /** Feeds `wire` (latin1) to connection `i` as if the server had sent it. */
  answer(i: number, wire: string): void {
    this.conns[i]?.proto.dataReceived(Buffer.from(wire, 'latin1'));
  }
}

/**
 * A body protocol that keeps every chunk (copied: a view may alias the receive buffer); `done`
 * settles with the reason the body ended.
 *
 * @example
 * ```ts
 * const sink = new BodySink();
 * response.deliverBody(sink);
 * assert.ok((await sink.done) instanceof ResponseDone);
 * assert.equal(sink.body.toString(), 'hello');
 * ```
 */
export class BodySink extends Protocol {
  readonly chunks: Buffer[] = [];
  readonly done: Promise<Error>;
  #end: (e: Error) => void = () => {};
  constructor() {
    super();
    this.done = new Promise((resolve) => {
      this.#end = resolve;
    });
  }
  /** The chunks received so far, joined. */
  get body(): Buffer {
    return Buffer.concat(this.chunks);
  }
  override dataReceived(data: Buffer): void {
    this.chunks.push(Buffer.from(data));
  }
  override connectionLost(reason: Error): void {
    this.#end(reason);
  }
}
