import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Deferred, succeed } from '../defer.js';
import { CannotListenError, ConnectionRefusedError, DNSLookupError } from '../error.js';
import type { IListeningPort, IPv4Address, IPv6Address } from '../interfaces.js';
import { isHalfCloseable } from '../interfaces.js';
import { Factory, Protocol } from '../protocol.js';
import { NodeReactor } from '../reactor.js';
import type { IHostnameResolver } from '../resolver.js';
import { HostnameEndpoint } from './hostname.js';
import {
  connectProtocol,
  TCP4ClientEndpoint,
  TCP4ServerEndpoint,
  TCP6ClientEndpoint,
  TCP6ServerEndpoint,
} from './tcp.js';
import { ConnectingCancelledError, NoProtocol, WrappingProtocol } from './wrapping-factory.js';

const reactor = new NodeReactor({ installSignalHandlers: false });
const ports: IListeningPort[] = [];
after(async () => {
  for (const p of ports) await p.stopListening();
});

class Greeter extends Protocol {
  override connectionMade(): void {
    this.transport!.write('hi');
    this.transport!.loseConnection();
  }
}

class Reader extends Protocol {
  madeBeforeFired = false;
  readonly got = new Deferred<string>();
  #data = '';
  override connectionMade(): void {
    this.madeBeforeFired = true;
  }
  override dataReceived(data: Buffer): void {
    this.#data += data.toString();
  }
  override connectionLost(reason: Error): void {
    super.connectionLost(reason);
    this.got.callback(this.#data);
  }
}

async function listen(iface = '127.0.0.1'): Promise<number> {
  const port = await new TCP4ServerEndpoint(reactor, 0, { interface: iface }).listen(
    Factory.forProtocol(Greeter),
  );
  ports.push(port);
  return (port.getHost() as { port: number }).port;
}

describe('TCP endpoints', { timeout: 10_000 }, () => {
  it('connect fires with the protocol after its connectionMade ran', async () => {
    const port = await listen();
    const proto = (await new TCP4ClientEndpoint(reactor, '127.0.0.1', port).connect(
      Factory.forProtocol(Reader),
    )) as Reader;
    assert.ok(proto instanceof Reader);
    assert.equal(proto.madeBeforeFired, true);
    assert.equal(await proto.got, 'hi');
  });

  it('connectProtocol connects the very protocol given', async () => {
    const port = await listen();
    const mine = new Reader();
    const p = await connectProtocol(new TCP4ClientEndpoint(reactor, '127.0.0.1', port), mine);
    assert.equal(p, mine);
    assert.equal(await mine.got, 'hi');
  });

  it('connect errbacks with ConnectionRefusedError when nothing listens', async () => {
    const port = await listen();
    await ports.pop()!.stopListening();
    const d = new TCP4ClientEndpoint(reactor, '127.0.0.1', port).connect(Factory.forProtocol(Reader));
    await assert.rejects(d.asPromise(), ConnectionRefusedError);
  });

  it('connect errbacks with NoProtocol when the factory refuses', async () => {
    const port = await listen();
    const refusing = new Factory();
    refusing.buildProtocol = () => null;
    await assert.rejects(
      new TCP4ClientEndpoint(reactor, '127.0.0.1', port).connect(refusing).asPromise(),
      NoProtocol,
    );
  });

  it('cancelling connect aborts the attempt with ConnectingCancelledError', async () => {
    const port = await listen();
    const d = new TCP4ClientEndpoint(reactor, '127.0.0.1', port).connect(Factory.forProtocol(Reader));
    d.cancel();
    const err = await d.asPromise().catch((e: unknown) => e);
    assert.ok(err instanceof ConnectingCancelledError);
    assert.equal((err.address as { port: number }).port, port);
  });

  it('listen errbacks with CannotListenError when the port is taken', async () => {
    const port = await listen();
    const d = new TCP4ServerEndpoint(reactor, port, { interface: '127.0.0.1' }).listen(
      Factory.forProtocol(Greeter),
    );
    await assert.rejects(d.asPromise(), CannotListenError);
  });

  it('listens on IPv6 loopback with a TCP6 endpoint', async () => {
    const port = await new TCP6ServerEndpoint(reactor, 0, { interface: '::1' }).listen(
      Factory.forProtocol(Greeter),
    );
    ports.push(port);
    assert.equal((port.getHost() as { family: string }).family, 'IPv6');
  });

  it('connects TCP6ClientEndpoint to an IPv6 literal and to the IPv6 address of a name', async () => {
    const port = await listen('::1');
    const direct = (await new TCP6ClientEndpoint(reactor, '::1', port).connect(
      Factory.forProtocol(Reader),
    )) as Reader;
    assert.equal(await direct.got, 'hi');
    const both: (IPv4Address | IPv6Address)[] = [
      { type: 'TCP', family: 'IPv4', host: '127.0.0.1', port },
      { type: 'TCP', family: 'IPv6', host: '::1', port },
    ];
    const asked: unknown[] = [];
    const resolver: IHostnameResolver = {
      resolveHostName: (_name, _port, options) => {
        asked.push(options?.addressTypes);
        return succeed(both);
      },
    };
    const named = (await new TCP6ClientEndpoint(reactor, 'db.test', port, { resolver }).connect(
      Factory.forProtocol(Reader),
    )) as Reader;
    assert.equal(await named.got, 'hi');
    assert.deepEqual(asked, [['IPv6']]);
    assert.equal((named.transport!.getPeer() as IPv6Address).host, '::1');
  });

  it('fails TCP6ClientEndpoint with DNSLookupError for a name without an IPv6 address', async () => {
    const resolver: IHostnameResolver = {
      resolveHostName: () =>
        succeed<IPv4Address[]>([{ type: 'TCP', family: 'IPv4', host: '10.0.0.1', port: 1 }]),
    };
    const d = new TCP6ClientEndpoint(reactor, 'v4only.test', 1, { resolver }).connect(
      Factory.forProtocol(Reader),
    );
    await assert.rejects(d.asPromise(), DNSLookupError);
  });

  it("connects HostnameEndpoint to localhost over loopback with the system's resolver", async () => {
    const port = await listen('127.0.0.1');
    // localhost may resolve to ::1 first, where nothing listens: that attempt is refused and the
    // next address is tried at once.
    const p = (await new HostnameEndpoint(reactor, 'localhost', port).connect(
      Factory.forProtocol(Reader),
    )) as Reader;
    assert.equal(await p.got, 'hi');
  });

  it('keeps the half-close hooks of a wrapped protocol visible to the transport', () => {
    class Half extends Protocol {
      readConnectionLost(): void {}
      writeConnectionLost(): void {}
    }
    assert.equal(isHalfCloseable(WrappingProtocol.for(new Half(), () => {})), true);
    assert.equal(isHalfCloseable(WrappingProtocol.for(new Protocol(), () => {})), false);
  });
});
