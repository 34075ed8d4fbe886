/**
 * `loopbackAsync(server, client)`: runs two protocols against each other in memory, moving bytes
 * on the clock's turns, and fires a Deferred once both sides are disconnected — Twisted's
 * `twisted.protocols.loopback.loopbackAsync`, built on the in-memory transports of
 * `twisted-ts/testing` (`FakeTransport`, `IOPump`).
 *
 * @example
 * ```ts
 * import { loopbackAsync } from 'twisted-ts/protocols/loopback';
 * await loopbackAsync(new EchoServer(), new OneShotClient());
 * ```
 * @module
 */

import { getReactor } from '../../internet/default-reactor.js';
import { Deferred } from '../../internet/defer.js';
import type {
  IAddress,
  IDelayedCall,
  IProtocol,
  IPullProducer,
  IPushProducer,
  IReactorTime,
} from '../../internet/interfaces.js';
import { FakeTransport, type FakeTransportOptions } from '../../testing/fake-transport.js';
import { IOPump } from '../../testing/iosim.js';

/**
 * Options of `loopbackAsync`.
 *
 * @example
 * ```ts
 * const done = loopbackAsync(server, client, { clock }); clock.advance(0);
 * ```
 */
export interface LoopbackOptions {
  /** Moves bytes on `callLater(0)` turns of this clock (default: the global reactor). */
  readonly clock?: IReactorTime;
  /** The server's address (default TCP 127.0.0.1:12345). */
  readonly serverAddress?: IAddress;
  /** The client's address (default TCP 127.0.0.1:54321). */
  readonly clientAddress?: IAddress;
}

/** A FakeTransport that asks for a pump turn whenever something may move. */
class NotifyingTransport extends FakeTransport {
  readonly #notify: () => void;

  constructor(protocol: IProtocol, options: FakeTransportOptions, notify: () => void) {
    super(protocol, options);
    this.#notify = notify;
  }

  override write(data: Uint8Array | string): void {
    super.write(data);
    this.#notify();
  }

  override writeSequence(data: readonly (Uint8Array | string)[]): void {
    super.writeSequence(data);
    this.#notify();
  }

  override loseConnection(): void {
    super.loseConnection();
    this.#notify();
  }

  override abortConnection(): void {
    super.abortConnection();
    this.#notify();
  }

  override loseWriteConnection(): void {
    super.loseWriteConnection();
    this.#notify();
  }

  override resumeProducing(): void {
    super.resumeProducing();
    this.#notify();
  }

  override registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    super.registerProducer(producer, streaming);
    this.#notify();
  }
}

/** Pump steps per reactor turn before yielding to other work. */
const STEPS_PER_TURN = 100;

const defaultServer: IAddress = { type: 'TCP', family: 'IPv4', host: '127.0.0.1', port: 12345 } as IAddress;
const defaultClient: IAddress = { type: 'TCP', family: 'IPv4', host: '127.0.0.1', port: 54321 } as IAddress;

/**
 * Connects `server` and `client` in memory (server first) and delivers what each writes to the
 * other on later turns of the clock, with TCP-like closing, half-closing and flow control. Each
 * turn moves a bounded amount, so an endless stream never starves the reactor. The Deferred fires
 * with `undefined` once both have had `connectionLost`; it never fires if they never close.
 *
 * @example
 * ```ts
 * const clock = new Clock();
 * const done = loopbackAsync(server, client, { clock });
 * clock.advance(0);
 * successResultOf(done);
 * ```
 */
export function loopbackAsync(
  server: IProtocol,
  client: IProtocol,
  options: LoopbackOptions = {},
): Deferred<void> {
  const clock = options.clock ?? getReactor();
  const serverAddress = options.serverAddress ?? defaultServer;
  const clientAddress = options.clientAddress ?? defaultClient;
  const done = new Deferred<void>();
  let scheduled: IDelayedCall | null = null;
  let pump: IOPump | null = null;

  const turn = (): void => {
    scheduled = null;
    if (pump === null || done.called) return;
    // A bounded number of steps per turn: an endless producer (chargen) keeps the connection busy
    // forever, as on a socket, without starving the reactor.
    let busy = true;
    for (let i = 0; i < STEPS_PER_TURN && busy; i++) busy = pump.pump();
    if (serverTransport.disconnected && clientTransport.disconnected) done.callback(undefined);
    else if (busy) notify();
  };
  const notify = (): void => {
    if (scheduled === null && !done.called) scheduled = clock.callLater(0, turn);
  };

  const serverTransport = new NotifyingTransport(
    server,
    { isServer: true, hostAddress: serverAddress, peerAddress: clientAddress },
    notify,
  );
  const clientTransport = new NotifyingTransport(
    client,
    { isServer: false, hostAddress: clientAddress, peerAddress: serverAddress },
    notify,
  );
  pump = new IOPump(client, server, clientTransport, serverTransport);
  server.makeConnection(serverTransport);
  client.makeConnection(clientTransport);
  notify();
  return done;
}
