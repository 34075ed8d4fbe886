import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { StringTransport } from '../testing/string-transport.js';
import { ConnectionDone } from './error.js';
import type { IListeningPort } from './interfaces.js';
import { ClientFactory, Factory, Protocol, ServerFactory } from './protocol.js';
import { NodeReactor } from './reactor.js';

const reactor = new NodeReactor({ installSignalHandlers: false });
after(() => reactor.fireSystemEvent('shutdown'));

class Greeter extends Protocol {
  constructor(
    readonly greeting = 'hello',
    readonly punctuation = '!',
  ) {
    super();
  }
  override connectionMade(): void {
    this.transport!.write(`${this.greeting}${this.punctuation}`);
  }
}

/** Counts its start/stop hooks. */
class CountingFactory extends ServerFactory {
  readonly events: string[] = [];
  override startFactory(): void {
    this.events.push('start');
  }
  override stopFactory(): void {
    this.events.push('stop');
  }
}

const addr = { type: 'TCP', family: 'IPv4', host: '10.0.0.2', port: 1234 } as const;

describe('Protocol', () => {
  it('is connected to its transport by makeConnection, which calls connectionMade', () => {
    const p = new Greeter();
    const t = new StringTransport();
    assert.equal(p.connected, false);
    assert.equal(p.transport, null);
    p.makeConnection(t);
    assert.equal(p.connected, true);
    assert.equal(p.transport, t);
    assert.equal(t.value().toString(), 'hello!');
  });

  it('is no longer connected after connectionLost, which defaults to a clean reason', () => {
    const p = new Protocol();
    p.makeConnection(new StringTransport());
    p.connectionLost();
    assert.equal(p.connected, false);
    p.makeConnection(new StringTransport());
    p.connectionLost(new ConnectionDone());
    assert.equal(p.connected, false);
  });
});

describe('Factory', () => {
  it('builds a protocol per call with forProtocol, passing the arguments and setting factory', () => {
    const f = Factory.forProtocol(Greeter, 'hi', '?');
    const a = f.buildProtocol(addr) as Greeter;
    const b = f.buildProtocol(addr) as Greeter;
    assert.notEqual(a, b);
    assert.ok(a instanceof Greeter);
    assert.deepEqual([a.greeting, a.punctuation], ['hi', '?']);
    assert.equal(a.factory, f);
  });

  it('builds the subclass forProtocol is called on', () => {
    const f = CountingFactory.forProtocol(Greeter);
    assert.ok(f instanceof CountingFactory);
    const c = ClientFactory.forProtocol(Greeter);
    assert.ok(c instanceof ClientFactory);
  });

  it('refuses to build without a protocol class', () => {
    assert.throws(() => new Factory().buildProtocol(addr), TypeError);
  });

  it('starts once for the first port and stops once after the last (doStart/doStop)', async () => {
    const f = CountingFactory.forProtocol(Greeter);
    const ports: IListeningPort[] = [
      reactor.listenTCP(0, f, { interface: '127.0.0.1' }),
      reactor.listenTCP(0, f, { interface: '127.0.0.1' }),
    ];
    assert.deepEqual(f.events, ['start']);
    assert.equal(f.numPorts, 2);
    await ports[0]!.stopListening();
    assert.deepEqual(f.events, ['start']);
    await ports[1]!.stopListening();
    assert.deepEqual(f.events, ['start', 'stop']);
    assert.equal(f.numPorts, 0);
    f.doStop(); // one stop too many is ignored
    assert.deepEqual(f.events, ['start', 'stop']);
  });
});
