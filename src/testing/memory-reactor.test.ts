import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deferred } from '../internet/defer.js';
import { ReactorAlreadyRunning, ReactorNotRestartable, ReactorNotRunning } from '../internet/error.js';
import type { IConnector, IReactor } from '../internet/interfaces.js';
import { ClientFactory, Factory, Protocol } from '../internet/protocol.js';
import { DatagramProtocol } from '../internet/udp.js';
import { MemoryReactor, MemoryReactorClock } from './memory-reactor.js';
import { successResultOf } from './results.js';

describe('MemoryReactor', () => {
  it('records listenTCP calls with Twisted defaults and returns a port with the address', () => {
    const reactor = new MemoryReactor();
    const factory = Factory.forProtocol(Protocol);
    const port = reactor.listenTCP(8080, factory);
    reactor.listenTCP(0, factory, { backlog: 5, interface: '::1' });
    assert.deepEqual(reactor.tcpServers, [
      [8080, factory, 50, ''],
      [0, factory, 5, '::1'],
    ]);
    assert.deepEqual(port.getHost(), { type: 'TCP', family: 'IPv4', host: '0.0.0.0', port: 8080 });
  });

  it('returns a port whose stopListening has already succeeded', () => {
    const port = new MemoryReactor().listenTCP(1, Factory.forProtocol(Protocol));
    successResultOf(port.stopListening());
    assert.equal(port.listening, false);
  });

  it('records connectTCP calls, tells the factory it started connecting, and keeps the connector', () => {
    const reactor = new MemoryReactor();
    const started: IConnector[] = [];
    const factory = new (class extends ClientFactory {
      override startedConnecting(c: IConnector): void {
        started.push(c);
      }
    })();
    const connector = reactor.connectTCP('::1', 25, factory, { timeout: 5, bindAddress: ['::1', 0] });
    reactor.connectTCP('example.com', 80, factory);
    assert.deepEqual(reactor.tcpClients, [
      ['::1', 25, factory, 5, ['::1', 0]],
      ['example.com', 80, factory, 30, null],
    ]);
    assert.deepEqual(started, reactor.connectors);
    assert.deepEqual(connector.getDestination(), { type: 'TCP', family: 'IPv6', host: '::1', port: 25 });
  });

  it('records what is asked of a connector', () => {
    const reactor = new MemoryReactor();
    const connector = reactor.connectTCP('h', 1, new ClientFactory());
    connector.stopConnecting();
    connector.disconnect();
    connector.connect();
    assert.equal(connector.stoppedConnecting, true);
    assert.equal(connector.disconnected, true);
    assert.equal(connector.connectCount, 1);
  });

  it('runs startup triggers then callWhenRunning functions when run, with running true', () => {
    const reactor = new MemoryReactor();
    const order: string[] = [];
    reactor.callWhenRunning(() => order.push(`whenRunning running=${reactor.running}`));
    reactor.addSystemEventTrigger('before', 'startup', () => order.push(`before running=${reactor.running}`));
    reactor.addSystemEventTrigger('during', 'startup', () => order.push('during'));
    assert.equal(reactor.triggers.after.startup.length, 1);
    void reactor.run();
    assert.deepEqual(order, ['before running=false', 'during', 'whenRunning running=true']);
    assert.equal(reactor.hasRun, true);
  });

  it('calls a callWhenRunning function at once when already running', () => {
    const reactor = new MemoryReactor();
    void reactor.run();
    let called = false;
    assert.equal(
      reactor.callWhenRunning(() => {
        called = true;
      }),
      undefined,
    );
    assert.equal(called, true);
  });

  it('runs the shutdown triggers on stop and then resolves the run Promise', async () => {
    const reactor = new MemoryReactor();
    const order: string[] = [];
    reactor.addSystemEventTrigger('after', 'shutdown', () => order.push(`after running=${reactor.running}`));
    reactor.addSystemEventTrigger('before', 'shutdown', () =>
      order.push(`before running=${reactor.running}`),
    );
    const done = reactor.run();
    reactor.stop();
    assert.deepEqual(order, ['before running=true', 'after running=false']);
    assert.equal(reactor.hasStopped, true);
    await done;
  });

  it('waits for a shutdown trigger that returns a Deferred before finishing the stop', () => {
    const reactor = new MemoryReactor();
    const gate = new Deferred<void>();
    reactor.addSystemEventTrigger('before', 'shutdown', () => gate);
    void reactor.run();
    reactor.stop();
    assert.equal(reactor.running, true);
    assert.equal(reactor.hasStopped, false);
    assert.throws(() => reactor.stop(), ReactorNotRunning);
    gate.callback(undefined);
    assert.equal(reactor.running, false);
    assert.equal(reactor.hasStopped, true);
  });

  it('refuses to stop when not running, and to run twice', () => {
    const reactor = new MemoryReactor();
    assert.throws(() => reactor.stop(), ReactorNotRunning);
    void reactor.run();
    assert.throws(() => reactor.run(), ReactorAlreadyRunning);
    reactor.stop();
    assert.throws(() => reactor.run(), ReactorNotRestartable);
    assert.throws(() => reactor.stop(), ReactorNotRunning);
  });

  it('does not run a removed trigger', () => {
    const reactor = new MemoryReactor();
    let ran = false;
    const id = reactor.addSystemEventTrigger('during', 'startup', () => {
      ran = true;
    });
    reactor.removeSystemEventTrigger(id);
    void reactor.run();
    assert.equal(ran, false);
  });

  it('fires a system event on demand without starting the reactor', () => {
    const reactor = new MemoryReactor();
    let ran = false;
    reactor.addSystemEventTrigger('before', 'shutdown', () => {
      ran = true;
    });
    successResultOf(reactor.fireSystemEvent('shutdown'));
    assert.equal(ran, true);
    assert.equal(reactor.running, false);
  });
});

describe('MemoryReactorClock', () => {
  it('is a whole IReactor whose time moves with advance and pump', () => {
    const reactor: IReactor & MemoryReactorClock = new MemoryReactorClock();
    const seen: number[] = [];
    reactor.callLater(2, () => seen.push(reactor.seconds()));
    assert.equal(reactor.getDelayedCalls().length, 1);
    reactor.advance(1);
    reactor.pump([0.5, 0.5]);
    assert.deepEqual(seen, [2]);
    assert.equal(reactor.clock.seconds(), 2);
  });
});

describe('MemoryReactor TLS, UNIX and UDP recording', () => {
  it('records listenSSL and connectSSL calls with their context options and Twisted defaults', () => {
    const reactor = new MemoryReactor();
    const factory = Factory.forProtocol(Protocol);
    const server = { key: 'k', cert: 'c' };
    const port = reactor.listenSSL(443, factory, server, { interface: '127.0.0.1' });
    assert.deepEqual(reactor.sslServers, [[443, factory, server, 50, '127.0.0.1']]);
    assert.deepEqual(port.getHost(), { type: 'TCP', family: 'IPv4', host: '127.0.0.1', port: 443 });
    const started: IConnector[] = [];
    const client = new (class extends ClientFactory {
      override startedConnecting(c: IConnector): void {
        started.push(c);
      }
    })();
    const connector = reactor.connectSSL('example.com', 443, client, { servername: 'example.com' });
    assert.deepEqual(reactor.sslClients, [
      ['example.com', 443, client, { servername: 'example.com' }, 30, null],
    ]);
    assert.deepEqual(started, [connector]);
    assert.deepEqual(reactor.connectors, [connector]);
  });

  it('records listenUNIX and connectUNIX calls with their options and defaults', () => {
    const reactor = new MemoryReactor();
    const factory = Factory.forProtocol(Protocol);
    const port = reactor.listenUNIX('/tmp/app.sock', factory, { mode: 0o600 });
    reactor.listenUNIX('/tmp/other.sock', factory);
    assert.deepEqual(reactor.unixServers, [
      ['/tmp/app.sock', factory, 50, 0o600],
      ['/tmp/other.sock', factory, 50, 0o666],
    ]);
    assert.deepEqual(port.getHost(), { type: 'UNIX', name: '/tmp/app.sock' });
    const client = new ClientFactory();
    const connector = reactor.connectUNIX('/tmp/app.sock', client, { timeout: 5 });
    assert.deepEqual(reactor.unixClients, [['/tmp/app.sock', client, 5]]);
    assert.deepEqual(connector.getDestination(), { type: 'UNIX', name: '/tmp/app.sock' });
  });

  it('records listenUDP calls by port, without binding or starting the protocol', () => {
    const reactor = new MemoryReactor();
    let started = false;
    const protocol = new (class extends DatagramProtocol {
      override startProtocol(): void {
        started = true;
      }
    })();
    const port = reactor.listenUDP(53, protocol, { interface: '127.0.0.1' });
    reactor.listenUDP(5353, protocol);
    assert.deepEqual(reactor.udpPorts.get(53), [protocol, '127.0.0.1', 8192]);
    assert.deepEqual(reactor.udpPorts.get(5353), [protocol, '', 8192]);
    assert.deepEqual(port.getHost(), { type: 'UDP', family: 'IPv4', host: '127.0.0.1', port: 53 });
    assert.equal(started, false);
  });
});
