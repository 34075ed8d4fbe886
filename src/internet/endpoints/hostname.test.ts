import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryReactorClock } from '../../testing/memory-reactor.js';
import { StringTransport } from '../../testing/string-transport.js';
import { Deferred, fail, succeed } from '../defer.js';
import { ConnectionRefusedError, DNSLookupError } from '../error.js';
import type { IClientFactory, IProtocol, IPv4Address, IPv6Address } from '../interfaces.js';
import { Factory, Protocol } from '../protocol.js';
import type { IHostnameResolver } from '../resolver.js';
import { HostnameEndpoint, interleaveFamilies } from './hostname.js';
import { ConnectingCancelledError } from './wrapping-factory.js';

const v6 = (host: string): IPv6Address => ({ type: 'TCP', family: 'IPv6', host, port: 80 });
const v4 = (host: string): IPv4Address => ({ type: 'TCP', family: 'IPv4', host, port: 80 });

function resolverOf(addresses: (IPv4Address | IPv6Address)[]): IHostnameResolver {
  return { resolveHostName: () => succeed(addresses) };
}

/** Lets the attempt made by `connectTCP` call number `i` succeed. */
function succeedAttempt(reactor: MemoryReactorClock, i: number): IProtocol {
  const [host, , factory] = reactor.tcpClients[i]!;
  const proto = factory.buildProtocol(v4(host))!;
  proto.makeConnection(new StringTransport());
  return proto;
}

function failAttempt(reactor: MemoryReactorClock, i: number, reason: Error): void {
  const factory = reactor.tcpClients[i]![2] as IClientFactory;
  factory.clientConnectionFailed(reactor.connectors[i]!, reason);
}

const hosts = (reactor: MemoryReactorClock) => reactor.tcpClients.map(([h]) => h);

describe('interleaveFamilies', () => {
  it('alternates families starting with the first address family', () => {
    const out = interleaveFamilies([v6('a'), v6('b'), v4('1'), v4('2'), v4('3')]);
    assert.deepEqual(
      out.map((a) => a.host),
      ['a', '1', 'b', '2', '3'],
    );
    assert.deepEqual(interleaveFamilies([]), []);
  });
});

describe('HostnameEndpoint', () => {
  it('starts the next attempt 0.3 s after the previous one on the reactor clock', () => {
    const reactor = new MemoryReactorClock();
    const ep = new HostnameEndpoint(reactor, 'example.com', 80, {
      resolver: resolverOf([v6('::a'), v6('::b'), v4('1.1.1.1')]),
    });
    ep.connect(Factory.forProtocol(Protocol));
    assert.deepEqual(hosts(reactor), ['::a']);
    reactor.advance(0.29);
    assert.deepEqual(hosts(reactor), ['::a']);
    reactor.advance(0.01);
    assert.deepEqual(hosts(reactor), ['::a', '1.1.1.1']);
    reactor.advance(0.3);
    assert.deepEqual(hosts(reactor), ['::a', '1.1.1.1', '::b']);
  });

  it('fires with the first connection and cancels the other attempts', () => {
    const reactor = new MemoryReactorClock();
    const ep = new HostnameEndpoint(reactor, 'example.com', 80, {
      resolver: resolverOf([v6('::a'), v4('1.1.1.1'), v6('::b')]),
    });
    const d = ep.connect(Factory.forProtocol(Protocol));
    reactor.advance(0.3);
    const winner = succeedAttempt(reactor, 1);
    let result: IProtocol | undefined;
    d.addCallback((p) => {
      result = p;
    });
    assert.ok(result instanceof Protocol);
    assert.equal((winner as { wrappedProtocol?: IProtocol }).wrappedProtocol, result);
    assert.equal(reactor.connectors[0]?.stoppedConnecting, true);
    reactor.advance(10);
    assert.equal(reactor.tcpClients.length, 2);
  });

  it('starts the next attempt at once when one fails, and fails with the last error', async () => {
    const reactor = new MemoryReactorClock();
    const ep = new HostnameEndpoint(reactor, 'example.com', 80, {
      resolver: resolverOf([v4('1.1.1.1'), v4('2.2.2.2')]),
    });
    const d = ep.connect(Factory.forProtocol(Protocol));
    failAttempt(reactor, 0, new ConnectionRefusedError('first'));
    assert.deepEqual(hosts(reactor), ['1.1.1.1', '2.2.2.2']);
    failAttempt(reactor, 1, new ConnectionRefusedError('second'));
    await assert.rejects(d.asPromise(), /second/);
  });

  it('fails with DNSLookupError when the name does not resolve', async () => {
    const reactor = new MemoryReactorClock();
    const resolver: IHostnameResolver = { resolveHostName: () => fail(new DNSLookupError('no such name')) };
    const d = new HostnameEndpoint(reactor, 'nowhere.invalid', 80, { resolver }).connect(
      Factory.forProtocol(Protocol),
    );
    await assert.rejects(d.asPromise(), DNSLookupError);
  });

  it('cancels resolution and attempts when its Deferred is cancelled', async () => {
    const reactor = new MemoryReactorClock();
    const pending = new Deferred<(IPv4Address | IPv6Address)[]>();
    const ep = new HostnameEndpoint(reactor, 'example.com', 80, {
      resolver: { resolveHostName: () => pending },
    });
    const d = ep.connect(Factory.forProtocol(Protocol));
    d.cancel();
    await assert.rejects(d.asPromise(), ConnectingCancelledError);
    assert.equal(pending.called, true);

    const reactor2 = new MemoryReactorClock();
    const d2 = new HostnameEndpoint(reactor2, 'example.com', 80, {
      resolver: resolverOf([v4('1.1.1.1'), v4('2.2.2.2')]),
    }).connect(Factory.forProtocol(Protocol));
    d2.cancel();
    await assert.rejects(d2.asPromise(), ConnectingCancelledError);
    assert.equal(reactor2.connectors[0]?.stoppedConnecting, true);
    reactor2.advance(1);
    assert.equal(reactor2.tcpClients.length, 1);
  });

  it('passes the timeout and bind address to each attempt', () => {
    const reactor = new MemoryReactorClock();
    new HostnameEndpoint(reactor, 'example.com', 80, {
      resolver: resolverOf([v4('1.1.1.1')]),
      timeout: 4,
      bindAddress: ['127.0.0.1', 0],
    }).connect(Factory.forProtocol(Protocol));
    const [, , , timeout, bind] = reactor.tcpClients[0]!;
    assert.equal(timeout, 4);
    assert.deepEqual(bind, ['127.0.0.1', 0]);
  });
});
