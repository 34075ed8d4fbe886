import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectionAborted, ConnectionDone, ConnectionLost } from '../internet/error.js';
import type { IHalfCloseableProtocol, IPullProducer, IPushProducer } from '../internet/interfaces.js';
import { Factory, Protocol } from '../internet/protocol.js';
import { AccumulatingProtocol } from './accumulating-protocol.js';
import { Clock } from './clock.js';
import { connectedServerAndClient } from './iosim.js';

class Echo extends Protocol {
  override dataReceived(data: Buffer): void {
    this.transport?.write(data);
  }
}

class Greeter extends AccumulatingProtocol {
  override connectionMade(): void {
    super.connectionMade();
    this.transport?.write('hello\n');
  }
}

/** Records its half-close events in `events`. */
class HalfCloser extends AccumulatingProtocol implements IHalfCloseableProtocol {
  readonly events: string[] = [];
  readConnectionLost(): void {
    this.events.push('read');
  }
  writeConnectionLost(): void {
    this.events.push('write');
  }
  override connectionLost(reason: Error): void {
    this.events.push(`lost:${reason.name}`);
    super.connectionLost(reason);
  }
}

describe('connectedServerAndClient', () => {
  it('connects the server, then the client, and flushes the greeting', () => {
    const order: string[] = [];
    const server = new (class extends Greeter {
      override connectionMade(): void {
        order.push('server');
        super.connectionMade();
      }
    })();
    const client = new (class extends AccumulatingProtocol {
      override connectionMade(): void {
        order.push('client');
        super.connectionMade();
      }
    })();
    connectedServerAndClient(server, client);
    assert.deepEqual(order, ['server', 'client']);
    assert.equal(client.data.toString(), 'hello\n');
  });

  it('leaves the greeting unsent when greet is false', () => {
    const { client, pump } = connectedServerAndClient(new Greeter(), new AccumulatingProtocol(), {
      greet: false,
    });
    assert.equal(client.data.length, 0);
    assert.equal(pump.flush(), true);
    assert.equal(client.data.toString(), 'hello\n');
  });

  it('builds protocols from factories, giving each the address of its peer', () => {
    const { server, serverTransport, clientTransport } = connectedServerAndClient(Factory.forProtocol(Echo), {
      buildProtocol: () => new AccumulatingProtocol(),
    });
    assert.ok(server instanceof Echo);
    assert.deepEqual(serverTransport.getPeer(), clientTransport.getHost());
    assert.deepEqual(serverTransport.getHost(), {
      type: 'TCP',
      family: 'IPv4',
      host: '10.0.0.1',
      port: 12345,
    });
  });

  it('throws when a factory refuses the connection', () => {
    assert.throws(
      () => connectedServerAndClient({ buildProtocol: () => null }, new Protocol()),
      /server factory refused/,
    );
  });

  it('moves bytes both ways until quiet', () => {
    const { client, pump } = connectedServerAndClient(new Echo(), new AccumulatingProtocol());
    client.transport?.write('ping');
    client.transport?.writeSequence(['-', Buffer.from('pong')]);
    assert.equal(client.data.length, 0);
    pump.flush();
    assert.equal(client.data.toString(), 'ping-pong');
    assert.equal(pump.flush(), false);
  });

  it('closes after delivering pending writes, telling both sides ConnectionDone, peer first', () => {
    const order: string[] = [];
    const server = new (class extends AccumulatingProtocol {
      override connectionLost(reason: Error): void {
        order.push('server');
        super.connectionLost(reason);
      }
    })();
    const client = new (class extends AccumulatingProtocol {
      override connectionLost(reason: Error): void {
        order.push('client');
        super.connectionLost(reason);
      }
    })();
    const { serverTransport, pump } = connectedServerAndClient(server, client);
    serverTransport.write('last words');
    serverTransport.loseConnection();
    pump.flush();
    assert.equal(client.data.toString(), 'last words');
    assert.ok(client.closedReason instanceof ConnectionDone);
    assert.ok(server.closedReason instanceof ConnectionDone);
    assert.deepEqual(order, ['client', 'server']);
  });

  it('drops pending writes on abortConnection: ConnectionAborted for the aborter, ConnectionLost for the peer', () => {
    const { client, server, serverTransport, pump } = connectedServerAndClient(
      new AccumulatingProtocol(),
      new AccumulatingProtocol(),
    );
    serverTransport.write('never sent');
    serverTransport.abortConnection();
    pump.flush();
    assert.equal(client.data.length, 0);
    assert.ok(client.closedReason instanceof ConnectionLost);
    assert.ok(server.closedReason instanceof ConnectionAborted);
  });

  it('half-closes: the writer hears writeConnectionLost, the half-closeable peer readConnectionLost', () => {
    const { client, server, clientTransport, serverTransport, pump } = connectedServerAndClient(
      new HalfCloser(),
      new HalfCloser(),
    );
    clientTransport.write('request');
    clientTransport.loseWriteConnection();
    pump.flush();
    assert.equal(server.data.toString(), 'request');
    assert.deepEqual(server.events, ['read']);
    assert.deepEqual(client.events, ['write']);
    serverTransport.write('response');
    serverTransport.loseConnection();
    pump.flush();
    assert.equal(client.data.toString(), 'response');
    assert.deepEqual(client.events, ['write', 'read', 'lost:ConnectionDone']);
    assert.deepEqual(server.events, ['read', 'lost:ConnectionDone']);
  });

  it('tells a half-closeable peer readConnectionLost on loseConnection and keeps it open until it closes', () => {
    const { client, server, serverTransport, clientTransport, pump } = connectedServerAndClient(
      new AccumulatingProtocol(),
      new HalfCloser(),
    );
    serverTransport.loseConnection();
    pump.flush();
    assert.ok(server.closedReason instanceof ConnectionDone);
    assert.deepEqual(client.events, ['read']);
    clientTransport.write('into the void');
    clientTransport.loseConnection();
    pump.flush();
    assert.equal(server.data.length, 0);
    assert.deepEqual(client.events, ['read', 'lost:ConnectionDone']);
  });

  it('closes both sides with ConnectionDone once both directions are half-closed', () => {
    const { client, server, clientTransport, serverTransport, pump } = connectedServerAndClient(
      new HalfCloser(),
      new HalfCloser(),
    );
    clientTransport.loseWriteConnection();
    serverTransport.loseWriteConnection();
    pump.flush();
    assert.ok(client.closedReason instanceof ConnectionDone);
    assert.ok(server.closedReason instanceof ConnectionDone);
  });

  it('closes the connection when the peer half-closes and the protocol is not half-closeable', () => {
    const { client, server, clientTransport, pump } = connectedServerAndClient(
      new AccumulatingProtocol(),
      new HalfCloser(),
    );
    clientTransport.loseWriteConnection();
    pump.flush();
    assert.ok(server.closedReason instanceof ConnectionDone);
    assert.deepEqual(client.events, ['write', 'read', 'lost:ConnectionDone']);
  });

  it('delivers nothing to a side whose transport is paused, until it resumes', () => {
    const { client, server, clientTransport, serverTransport, pump } = connectedServerAndClient(
      new AccumulatingProtocol(),
      new AccumulatingProtocol(),
    );
    serverTransport.pauseProducing();
    clientTransport.write('held');
    clientTransport.loseConnection();
    pump.flush();
    assert.equal(server.data.length, 0);
    assert.equal(server.closed, false);
    serverTransport.resumeProducing();
    pump.flush();
    assert.equal(server.data.toString(), 'held');
    assert.ok(client.closedReason instanceof ConnectionDone);
  });

  it('pauses a streaming producer above the high-water mark and resumes it once delivered', () => {
    const events: string[] = [];
    const producer: IPushProducer = {
      pauseProducing: () => events.push('pause'),
      resumeProducing: () => events.push('resume'),
      stopProducing: () => events.push('stop'),
    };
    const { client, serverTransport, pump } = connectedServerAndClient(
      new AccumulatingProtocol(),
      new AccumulatingProtocol(),
      { highWaterMark: 10 },
    );
    serverTransport.registerProducer(producer, true);
    serverTransport.write('0123456789');
    assert.deepEqual(events, []);
    serverTransport.write('!');
    assert.deepEqual(events, ['pause']);
    pump.flush();
    assert.deepEqual(events, ['pause', 'resume']);
    assert.equal(client.data.length, 11);
    serverTransport.loseConnection();
    pump.flush();
    assert.deepEqual(events, ['pause', 'resume', 'stop']);
  });

  it('asks a pull producer for a chunk whenever the buffer is empty, until it unregisters', () => {
    let n = 0;
    const { client, serverTransport, pump } = connectedServerAndClient(
      new AccumulatingProtocol(),
      new AccumulatingProtocol(),
      { greet: false },
    );
    const producer: IPullProducer = {
      resumeProducing: () => {
        if (n === 3) {
          serverTransport.unregisterProducer();
          serverTransport.loseConnection();
          return;
        }
        serverTransport.write(String(n++));
      },
      stopProducing: () => {},
    };
    serverTransport.registerProducer(producer, false);
    pump.flush();
    assert.equal(client.data.toString(), '012');
    assert.ok(client.closedReason instanceof ConnectionDone);
  });

  it('refuses a second producer', () => {
    const { serverTransport } = connectedServerAndClient(new Protocol(), new Protocol());
    const p: IPushProducer = { pauseProducing() {}, resumeProducing() {}, stopProducing() {} };
    serverTransport.registerProducer(p, true);
    assert.throws(() => serverTransport.registerProducer(p, true), /already registered/);
  });

  it('advances the clock by 0 at each step so zero-delay calls run', () => {
    const clock = new Clock();
    const server = new (class extends Protocol {
      override dataReceived(): void {
        clock.callLater(0, () => this.transport?.write('later'));
      }
    })();
    const { client, clientTransport, pump } = connectedServerAndClient(server, new AccumulatingProtocol(), {
      clock,
    });
    clientTransport.write('x');
    pump.flush();
    assert.equal(client.data.toString(), 'later');
  });

  it('throws from flush when two protocols never stop talking', () => {
    const { clientTransport, pump } = connectedServerAndClient(new Echo(), new Echo(), { greet: false });
    clientTransport.write('ping');
    assert.throws(() => pump.flush(50), /still busy after 50 steps/);
  });
});
