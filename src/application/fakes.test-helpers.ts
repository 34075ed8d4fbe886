/**
 * Test doubles for the application tests: endpoints whose outcome the test decides.
 *
 * @example
 * ```ts
 * const endpoint = new FakeClientEndpoint();
 * svc.startService();
 * endpoint.succeed(); // the pending connect fires with a connected protocol
 * ```
 * @module
 */
import { Deferred } from '../internet/defer.js';
import type { IStreamClientEndpoint, IStreamServerEndpoint } from '../internet/endpoints/interfaces.js';
import type { IAddress, IListeningPort, IProtocol, IProtocolFactory } from '../internet/interfaces.js';
import { StringTransportWithDisconnection } from '../testing/string-transport.js';

const ADDR: IAddress = { type: 'TCP', family: 'IPv4', host: '127.0.0.1', port: 1234 } as IAddress;

/** Connects `factory`'s protocol to a fresh `StringTransportWithDisconnection`. */
export function connect(factory: IProtocolFactory): {
  protocol: IProtocol;
  transport: StringTransportWithDisconnection;
} {
  const protocol = factory.buildProtocol(ADDR);
  if (protocol === null) throw new Error('factory refused the connection');
  const transport = new StringTransportWithDisconnection();
  transport.protocol = protocol;
  protocol.makeConnection(transport);
  return { protocol, transport };
}

/** A client endpoint recording each `connect`; the test fires them. */
export class FakeClientEndpoint implements IStreamClientEndpoint {
  readonly attempts: { factory: IProtocolFactory; d: Deferred<IProtocol>; cancelled: boolean }[] = [];

  connect(factory: IProtocolFactory): Deferred<IProtocol> {
    const attempt = { factory, d: null as unknown as Deferred<IProtocol>, cancelled: false };
    attempt.d = new Deferred<IProtocol>(() => {
      attempt.cancelled = true;
    });
    this.attempts.push(attempt);
    return attempt.d;
  }

  /** The last attempt. */
  get last(): { factory: IProtocolFactory; d: Deferred<IProtocol>; cancelled: boolean } {
    const a = this.attempts.at(-1);
    if (a === undefined) throw new Error('no connection attempt');
    return a;
  }

  /** Completes the last attempt with a connected protocol; returns its transport. */
  succeed(): StringTransportWithDisconnection {
    const { protocol, transport } = connect(this.last.factory);
    this.last.d.callback(protocol);
    return transport;
  }

  /** Fails the last attempt. */
  fail(err: Error = new Error('connection refused')): void {
    this.last.d.errback(err);
  }
}

/** A listening port that records `stopListening`. */
export class FakePort implements IListeningPort {
  stopped = 0;
  startListening(): void {}
  stopListening(): Deferred<void> {
    this.stopped += 1;
    const d = new Deferred<void>();
    d.callback(undefined);
    return d;
  }
  getHost(): IAddress {
    return ADDR;
  }
}

/** A server endpoint whose `listen` the test completes. */
export class FakeServerEndpoint implements IStreamServerEndpoint {
  factory: IProtocolFactory | null = null;
  listening: Deferred<IListeningPort> | null = null;
  readonly port = new FakePort();

  listen(factory: IProtocolFactory): Deferred<IListeningPort> {
    this.factory = factory;
    this.listening = new Deferred<IListeningPort>();
    return this.listening;
  }
}
